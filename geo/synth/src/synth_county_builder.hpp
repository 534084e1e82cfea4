#pragma once
// Internal to synth-county: the builder of the model, one stage per file --
// synth_county.cpp (roads as ways, the entry point), synth_terrain.cpp (names, boundary,
// settlements, streets), synth_roads.cpp (lanes, links, connect), synth_postcodes.cpp
// (sites, postcodes), synth_areas.cpp (small areas, demand).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "lotwright/core/error.hpp"
#include "lotwright/core/types.hpp"
#include "lotwright/gis/geometry.hpp"
#include "synth_county_model.hpp"

namespace lotwright::geo::synth {

constexpr double kPi = 3.14159265358979323846;
constexpr double kStepM = 30;              // spacing of nodes along roads (OSM-like densification)
constexpr double kLaneGridM = 1100;        // mean spacing of the rural lane mesh
constexpr double kSettledShare = 0.82;     // postcodes in settlements; the rest along lanes
constexpr double kAreaResidents = 1500;    // residents per small area (LSOA-like)
constexpr double kHoursPerPostcode = 1.1;  // Devon-like demand density
constexpr double kHoursPerCustomer = 7.5;
constexpr double kLotHours = 1500;
// The county sits inland in southern England, centred here (EPSG:27700).
constexpr Point kCentre{420000, 230000};

inline double dist(Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); }

// A settlement name not in used (synth_terrain.cpp).
std::string make_name(Rng& rng, Kind kind, std::set<std::string>& used);
double ring_area(const Ring& r);
double segment_distance(Point p, Point a, Point b);
// A smooth random county outline of the given area around kCentre.
Ring make_boundary(Rng& rng, double area_m2);

// ---------------------------------------------------------------------------------------
// A coarse bucket grid for "which settlements are near this point".

class Buckets {
 public:
  Buckets(Box box, double cell) : box_(box), cell_(cell) {
    nx_ = static_cast<int>((box.max_x - box.min_x) / cell) + 1;
    ny_ = static_cast<int>((box.max_y - box.min_y) / cell) + 1;
    cells_.resize(static_cast<std::size_t>(nx_) * ny_);
  }
  void add(int id, Point c, double reach) {
    for (int j = cy(c.y - reach); j <= cy(c.y + reach); ++j)
      for (int i = cx(c.x - reach); i <= cx(c.x + reach); ++i) cells_[idx(i, j)].push_back(id);
  }
  const std::vector<int>& near(Point p) const { return cells_[idx(cx(p.x), cy(p.y))]; }

 private:
  int cx(double x) const {
    return std::clamp(static_cast<int>((x - box_.min_x) / cell_), 0, nx_ - 1);
  }
  int cy(double y) const {
    return std::clamp(static_cast<int>((y - box_.min_y) / cell_), 0, ny_ - 1);
  }
  std::size_t idx(int i, int j) const { return static_cast<std::size_t>(j) * nx_ + i; }
  Box box_;
  double cell_;
  int nx_ = 0, ny_ = 0;
  std::vector<std::vector<int>> cells_;
};

class Builder {
 public:
  Builder(const SynthCountyOptions& o) : rng_(o.seed * 0x9E3779B97F4A7C15ULL + 0x5EED) {
    m_.options = o;
    m_.area_code = "ZX";
  }

  Model build() {
    const double n = static_cast<double>(m_.options.postcodes);
    m_.area_km2 = 600.0 * std::pow(n / 3000.0, 0.89);
    m_.boundary = make_boundary(rng_, m_.area_km2 * 1e6);
    m_.area_km2 = ring_area(m_.boundary) / 1e6;
    box_ = bounds(MultiPolygon{Polygon{m_.boundary, {}}});
    settlements();
    streets();
    lanes();
    links();
    connect();
    sites();
    postcodes();
    areas();
    demand();
    split_long_ways();
    return std::move(m_);
  }

 private:
  int add_node(Point p);

  // Appends the nodes strictly between a and b (straight, every ~kStepM) to way.
  void densify(std::vector<int>& way, Point a, Point b);

  // A meandering road from node a to node b (midpoint displacement), densified.
  void road(int a, int b, const char* highway, std::string ref = "", double wiggle = 0.12);

  // OSM ways stay under 2,000 nodes: long ones are cut into pieces sharing end nodes.
  void split_long_ways();

  int nearest_street_node(const Settlement& s, Point q) const;

  // Zipf-like sizes; placed largest first, apart from each other and from the edge.
  void settlements();

  // A jittered street lattice clipped to each settlement's disc; rows and columns become
  // residential ways. Hamlets get a small cross.
  void streets();

  // The settlement whose disc (plus margin) holds p, or -1.
  int settlement_at(Point p, double margin) const {
    for (int i : settlement_buckets_->near(p)) {
      const auto& s = m_.settlements[static_cast<std::size_t>(i)];
      if (dist(p, s.centre) < s.radius_m + margin) return i;
    }
    return -1;
  }

  // The rural mesh of lanes: a jittered grid of junctions, most neighbours joined by a
  // winding lane; some whole rows/columns are tertiary roads. Junctions falling in a
  // settlement join its streets instead.
  void lanes();

  // Roads between settlements: an A-road tree between towns (Prim), B-roads to the second
  // nearest town; villages to the nearest larger place; villages and hamlets to the lanes.
  void links();

  // Joins every part of the network not reached from the largest part with a lane from
  // its nearest anchor (junction or street node) to the largest part.
  void connect();

  double residents_for(int settlement);

  // Postcode sites: clustered in settlements (denser at the centre), the rest along lanes.
  void sites();

  static std::uint64_t hilbert(std::uint32_t x, std::uint32_t y, int order);

  // Postcodes in Hilbert order: districts and sectors are compact areas, like real ones.
  void postcodes();

  // Small areas (~1,500 residents): Voronoi cells (GEOS) of the centroids of runs of
  // postcodes in Hilbert order, clipped to the boundary; each postcode goes to the area
  // whose cell holds it (its nearest seed).
  void areas();
  std::vector<Point> area_seeds();

  void demand();

  Rng rng_;
  Model m_;
  Box box_;
  std::unique_ptr<Buckets> settlement_buckets_;
  std::vector<int> anchors_;            // street and junction nodes: where new roads may start
  std::vector<int> junctions_;          // junctions of the rural mesh outside settlements
  std::vector<std::size_t> lane_ways_;  // ways of the rural mesh (farms sit along them)
};

}  // namespace lotwright::geo::synth
