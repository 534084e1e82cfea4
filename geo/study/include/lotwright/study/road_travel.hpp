#pragma once
// Road travel between units: sites snapped to the road network, bounded Dijkstra over its
// chain-contracted graph.
#include <cstdint>
#include <memory>
#include <vector>

#include "lotwright/core/travel.hpp"
#include "lotwright/core/types.hpp"
#include "lotwright/study/roads.hpp"

namespace lotwright::geo {

struct Snap {
  std::uint32_t from = 0, to = 0;  // the edge's end nodes
  double along = 0;                // 0..1 along the edge
  double offroad_m = 0;            // straight-line walk from the site to the edge
  bool ok = false;                 // false: no road within max_snap_m
};

struct RouteResult {
  double minutes = 0;
  double km = 0;
  bool reachable = false;
};

// Road travel between a fixed set of sites (units), each snapped to its nearest road edge;
// the off-road leg is timed at walking pace (4.8 km/h).
//
// Searches run on the road graph with its chains contracted: nodes that only join two
// segments under the same one-way rule (most OSM nodes: one every 30 m along a road) are
// folded into one arc between junctions, and sites are placed on those chains. Times are
// integer deciseconds, so the answers are exactly those of a search over every node
// (contract_chains = false, kept for tests and benchmarks).
class RoadTravel : public TravelOracle {
 public:
  RoadTravel(std::shared_ptr<const RoadNetwork> net, std::vector<Point> sites,
             double max_snap_m = 1000, bool contract_chains = true);
  ~RoadTravel() override;
  std::size_t size() const override;
  void tree(int from, std::vector<float>& out, float limit_minutes = kUnreachable) const override;
  float minutes(int from, int to) const override;
  void times_to(int from, const std::vector<int>& targets, std::vector<float>& out,
                float limit_minutes = kUnreachable) const override;
  // The road network component of each site's snap (-1: not snapped).
  std::vector<std::int64_t> road_parts() const override;
  const std::vector<Snap>& snaps() const;
  // Sites whose snap failed (> max_snap_m) or that sit on a network part not joined to the
  // largest component.
  std::vector<int> unsnapped() const;
  std::vector<int> off_main_network() const;
  const RoadNetwork& network() const;
  // Nodes of the graph searches run on (junctions, dead ends and one-way changes when
  // chains are contracted).
  std::size_t search_nodes() const;
  // Quickest route between two arbitrary points (EPSG:27700), snapped the same way.
  RouteResult route(Point a, Point b) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lotwright::geo
