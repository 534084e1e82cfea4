#pragma once
// Synthetic inputs: demand for counties whose real demand is personal data, and whole
// synthetic counties (boundary, postcodes, roads, rural class, population, config).
#include <cstdint>
#include <filesystem>
#include <string>

#include "lotwright/study/config.hpp"

namespace lotwright::geo {

struct SynthDemandOptions {
  long customers = 0;  // 0: ~ 1.8% of residents aged 65+ (docs/synth-demand.md)
  std::uint64_t seed = 1;
  double mean_hours = 13.0;
  double unmet_share = 0.05;
};

struct SynthDemandSummary {
  long rows = 0;
  long customers = 0;
  double hours = 0;
  double unmet_hours = 0;
};

// Writes CSV postcode,hours_per_week,customers,unmet_hours (atomically).
SynthDemandSummary synth_demand(const Config& config, const std::filesystem::path& out,
                                const SynthDemandOptions& options);

struct SynthCountyOptions {
  long postcodes = 3000;
  std::uint64_t seed = 1;
  std::string name = "Wessex Vale";
};

struct SynthCountySummary {
  long postcodes = 0;
  long settlements = 0;
  long road_nodes = 0;
  long road_ways = 0;
  double area_km2 = 0;
};

// Writes into dir: boundary.shp, small_areas.shp (rural class, residents 65+),
// postcodes.csv, roads.osm.pbf, demand.csv, county.toml. Deterministic for a seed.
SynthCountySummary synth_county(const std::filesystem::path& dir,
                                const SynthCountyOptions& options);

}  // namespace lotwright::geo
