#pragma once
// Units: one Voronoi cell per postcode site, clipped to the boundary (GEOS), each a single
// polygon holding its postcode; stray parts from coastal clipping join the neighbouring
// cell they share most border with. Geometric adjacency = cells sharing a border.
#include <string>
#include <vector>

#include "lotwright/study/county.hpp"
#include "lotwright/core/types.hpp"

namespace lotwright::geo {

struct Unit {
  std::string id;  // postcode (or polygon id when units come from a polygon layer)
  Point site;
  MultiPolygon cell;
  double area_m2 = 0;
  double hours = 0;
  double customers = 0;
  double unmet_hours = 0;
  std::string rural;
  std::vector<int> postcodes;  // indices into County::postcodes held by this unit
};

struct UnitEdge {
  int a = 0, b = 0;  // a < b
  double border_m = 0;
};

struct Units {
  std::vector<Unit> units;        // sorted by id
  std::vector<UnitEdge> edges;    // geometric adjacency, sorted (a, b)
  std::vector<std::string> warnings;
};

// Cells from sites (EPSG:27700) clipped to boundary. Sites at one point share it sensibly:
// none is lost. Result cells cover the boundary.
Units build_units(const County& county);

// Units from a polygon layer (config [units]: LSOA, ward, ...) instead of postcode cells: one
// unit per distinct id, its polygon clipped to the boundary; every postcode inside the
// boundary goes to the polygon holding it (else the nearest one, reported), and the unit
// sums their demand. Same adjacency rule as above. Throws DataError on a bad layer.
Units build_units(const County& county, const UnitsConfig& layer);

// Geometric adjacency of any cells (by index), by the rule build_units uses for
// Units::edges: pairs sharing a border longer than 1 cm, with its length; sorted (a, b).
std::vector<UnitEdge> cell_borders(const std::vector<MultiPolygon>& cells);

}  // namespace lotwright::geo
