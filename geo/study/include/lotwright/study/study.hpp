#pragma once
// The whole study, built stage by stage from a config: county inputs -> units -> road
// network (cached) -> travel between units -> road-aware unit graph.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lotwright/study/config.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/core/network.hpp"
#include "lotwright/core/progress.hpp"
#include "lotwright/study/roads.hpp"
#include "lotwright/study/units.hpp"

namespace lotwright::geo {

struct StageTime {
  std::string stage;
  double seconds = 0;
  double peak_rss_mb = 0;
};

struct Study {
  Config config;
  County county;
  Units units;
  std::shared_ptr<const RoadNetwork> roads;  // null when [roads] has no osm
  UnitGraph graph;
  std::vector<std::string> warnings;  // from every stage
  std::vector<StageTime> stages;
};

struct StudyOptions {
  std::filesystem::path cache_dir;  // road graph cache; empty: <config dir>/.lotwright-cache
  bool roads = true;                // build travel times and road-aware adjacency
  bool verbose = false;             // stage lines on stderr
  ProgressSink progress;            // each stage as it starts (core/progress.hpp)
};

Study load_study(const Config& config, const StudyOptions& options = {});

// Unit graph fields (ids, sites, hours, customers, unmet hours, rural, area) from the units,
// in their order; no adjacency and no travel yet.
UnitGraph graph_from_units(const Units& units);

// Road-aware adjacency: keeps a geometric neighbour pair only when the road trip between
// them is short (rule in docs/adjacency.md). Fills g's CSR and dropped/geometric counts.
void build_road_adjacency(UnitGraph& g, const Units& units, const RoadsConfig& roads);

double peak_rss_mb();  // VmHWM of this process

}  // namespace lotwright::geo
