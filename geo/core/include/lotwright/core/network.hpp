#pragma once
// The unit graph every later stage works on: units with their demand, the road-aware
// adjacency (CSR, symmetric) and a travel oracle between units. Built by pipeline.hpp from
// the config; built by hand in tests and benchmarks.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lotwright/core/travel.hpp"
#include "lotwright/core/types.hpp"

namespace lotwright::geo {

struct UnitGraph {
  std::vector<std::string> id;  // postcode per unit, sorted ascending
  std::vector<Point> site;
  std::vector<double> hours;
  std::vector<double> customers;
  std::vector<double> unmet_hours;
  std::vector<std::string> rural;  // rural class code per unit ("" unknown)
  std::vector<double> area_m2;
  // Symmetric CSR adjacency: neighbours of u are targets[offsets[u] .. offsets[u+1]).
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> targets;
  std::vector<float> edge_minutes;   // road time between the two units (max of both ways)
  std::vector<float> edge_border_m;  // shared border length
  std::shared_ptr<const TravelOracle> travel;
  long geometric_edges = 0;       // cell borders before the road rule
  long dropped_edges = 0;         // geometric neighbours the road rule removed
  std::size_t size() const { return id.size(); }
  int find(const std::string& postcode) const;  // -1 when absent (binary search)
};

// Builds CSR from an undirected edge list (a,b,minutes,border); duplicates merged.
struct GraphEdge {
  int a = 0, b = 0;
  float minutes = 0;
  float border_m = 0;
};
void set_edges(UnitGraph& g, std::vector<GraphEdge> edges);

// Connected components of the adjacency: component id per unit, 0 = the one with most hours.
std::vector<int> components(const UnitGraph& g, int* count = nullptr);

}  // namespace lotwright::geo
