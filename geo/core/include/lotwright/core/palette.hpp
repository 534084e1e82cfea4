#pragma once
// The lot colours, one palette for every output: the viewer, the QGIS style in plan.gpkg and
// the tender PDF maps. 20 qualitative colours (Tableau 20 without its greys, plus four of
// Kelly's), ordered so neighbouring lot numbers differ strongly; lot 1 is blue. Past 20 lots
// the colours repeat as darker variants (x 0.75 per round: lot 21 is lot 1 at 75%).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"

namespace lotwright::geo {

struct LotRgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const LotRgb&) const = default;
};

inline constexpr int kPaletteSize = 20;

// Colour of a lot by its 0-based index (lot 1 -> 0); negative (unassigned): light grey.
LotRgb lot_rgb(int lot);
// "#1f77b4" for lot 0.
std::string lot_hex(int lot);

// The one zone colouring every output uses (PDF, plan.gpkg and lots.gpkg styles, the
// viewer): a palette index per zone such that no two neighbouring zones share a colour.
// DSATUR over the zone adjacency graph: the zone with the most differently coloured
// neighbours next (ties: most neighbours, then lowest zone), given the palette colour its
// neighbours do not use that is used least so far (ties: lowest index), so the colours
// spread over the palette. Deterministic. Colour zone z with lot_rgb(colours[z]).
std::vector<int> colour_zones(int zones, const std::vector<std::pair<int, int>>& adjacent);
// Zones are neighbours when a unit of one borders (UnitGraph adjacency) a unit of the other.
std::vector<int> zone_colours(const UnitGraph& g, const Plan& plan);

// QGIS styles (the layer_styles table of a GeoPackage) for a layer of zones: categorised
// by the integer field `attr` (value = zone number, 1-based), filled with the zone colouring,
// labelled by the field "name". QML for QGIS, SLD for other clients.
struct ZoneStyle {
  std::string layer;               // "lots", "zones"
  std::string attr;                // "lot", "zone"
  std::vector<std::string> names;  // per zone ("" = none)
  std::vector<int> colours;        // per zone, zone_colours
};
std::string zone_style_qml(const ZoneStyle& st);
std::string zone_style_sld(const ZoneStyle& st);

}  // namespace lotwright::geo
