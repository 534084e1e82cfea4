#include "lotwright/study/road_travel.hpp"
#include "lotwright/study/study.hpp"

#include <chrono>
#include <cstdio>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "lotwright/core/error.hpp"
#include "lotwright/core/travel.hpp"

namespace lotwright::geo {

double peak_rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

namespace {

// "6", "2.5": a [roads] setting as the dropped-pairs warning prints it.
std::string study_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

class StageClock {
 public:
  StageClock(Study& s, std::string name, bool verbose)
      : s_(s), name_(std::move(name)), verbose_(verbose), t0_(std::chrono::steady_clock::now()) {}
  ~StageClock() {
    const double sec =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    s_.stages.push_back({name_, sec, peak_rss_mb()});
    if (verbose_)
      std::fprintf(stderr, "  stage %-10s %7.2f s  peak %6.0f MB\n", name_.c_str(), sec,
                   peak_rss_mb());
  }

 private:
  Study& s_;
  std::string name_;
  bool verbose_;
  std::chrono::steady_clock::time_point t0_;
};


}  // namespace

UnitGraph graph_from_units(const Units& units) {
  UnitGraph g;
  const std::size_t n = units.units.size();
  g.id.reserve(n);
  for (const auto& u : units.units) {
    g.id.push_back(u.id);
    g.site.push_back(u.site);
    g.hours.push_back(u.hours);
    g.customers.push_back(u.customers);
    g.unmet_hours.push_back(u.unmet_hours);
    g.rural.push_back(u.rural);
    g.area_m2.push_back(u.area_m2);
  }
  return g;
}

Study load_study(const Config& config, const StudyOptions& options) {
  Study s;
  s.config = config;
  {
    report_progress(options.progress, "inputs", "reading postcodes, boundary and demand");
    StageClock c(s, "inputs", options.verbose);
    s.county = load_county(config);
  }
  s.warnings = s.county.warnings;
  {
    report_progress(options.progress, "units", "building postcode units and neighbours");
    StageClock c(s, "units", options.verbose);
    s.units = config.units ? build_units(s.county, *config.units) : build_units(s.county);
  }
  s.warnings.insert(s.warnings.end(), s.units.warnings.begin(), s.units.warnings.end());
  s.graph = graph_from_units(s.units);

  const bool roads = options.roads && !config.roads.osm.empty();
  if (roads) {
    {
      report_progress(options.progress, "roads", "reading the OSM extract (or its cache)");
      StageClock c(s, "roads", options.verbose);
      const auto profile = make_profile(config.roads);
      const auto cache = options.cache_dir.empty() ? (config.roads.cache_dir.empty()
                                                          ? config.dir / ".lotwright-cache"
                                                          : config.roads.cache_dir)
                                                   : options.cache_dir;
      s.roads = std::make_shared<const RoadNetwork>(
          load_road_network(config.roads.osm, profile, cache));
    }
    {
      report_progress(options.progress, "travel",
                      "road searches: snapping " + std::to_string(s.graph.size()) +
                          " units to roads, timing neighbour pairs");
      StageClock c(s, "travel", options.verbose);
      auto travel = std::make_shared<RoadTravel>(s.roads, s.graph.site, config.roads.max_snap_m);
      const auto far = travel->unsnapped();
      const std::size_t n = s.graph.size();
      if (n > 0 && 2 * far.size() > n) {  // most of the study is off the roads: the wrong map
        char pct[32];
        std::snprintf(pct, sizeof pct, "%.0f%%", 100.0 * double(n - far.size()) / double(n));
        throw DataError(where(config.roads.osm) + "the OSM extract covers only " + pct +
                        " of the postcodes (" + std::to_string(n - far.size()) + " of " +
                        std::to_string(n) + " within [roads] max_snap_m = " +
                        std::to_string(int(config.roads.max_snap_m)) +
                        " m of a road); is it the right county?");
      }
      for (int u : far)
        s.warnings.push_back("postcode " + s.graph.id[static_cast<std::size_t>(u)] +
                             " is more than " + std::to_string(int(config.roads.max_snap_m)) +
                             " m from any road");
      for (int u : travel->off_main_network())
        s.warnings.push_back("postcode " + s.graph.id[static_cast<std::size_t>(u)] +
                             " is on a part of the road network not joined to the rest");
      s.graph.travel = std::move(travel);
      build_road_adjacency(s.graph, s.units, config.roads);
    }
    if (s.graph.dropped_edges > 0)
      s.warnings.push_back(std::to_string(s.graph.dropped_edges) + " of " +
                           std::to_string(s.graph.geometric_edges) +
                           " geometric neighbour pairs dropped: the road trip between them is "
                           "longer than " +
                           study_number(config.roads.neighbour_minutes) + " min and " +
                           study_number(config.roads.neighbour_detour) +
                           " times the straight line at 30 km/h (water or no direct road "
                           "between them; [roads] neighbour_minutes, neighbour_detour)");
  } else {
    // No roads: straight-line travel at 30 km/h and plain geometric adjacency.
    s.graph.travel = std::make_shared<EuclideanTravel>(s.graph.site, 30.0);
    std::vector<GraphEdge> edges;
    for (const auto& e : s.units.edges) {
      const float m = s.graph.travel->minutes(e.a, e.b);
      edges.push_back({e.a, e.b, m, static_cast<float>(e.border_m)});
    }
    s.graph.geometric_edges = static_cast<long>(edges.size());
    set_edges(s.graph, std::move(edges));
  }
  int parts = 0;
  components(s.graph, &parts);
  if (parts > 1)
    s.warnings.push_back("the unit graph has " + std::to_string(parts) +
                         " parts that no road joins; each is designed on its own");
  return s;
}

}  // namespace lotwright::geo
