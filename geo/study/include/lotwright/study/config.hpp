#pragma once
// The TOML configuration (contract in ../shared/DESIGN.md, reference in docs/configuration.md).
// Relative paths are resolved against the config file's folder at load time, so every
// std::filesystem::path here is absolute (or empty when the key is absent).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lotwright/rounds/params.hpp"

namespace lotwright::geo {

struct AreaConfig {
  std::string name;
  std::filesystem::path boundary;  // polygon layer; several features are dissolved
  std::string layer;               // optional layer name inside the dataset
};

struct PostcodesConfig {
  std::filesystem::path path;  // CSV with x/y columns, or any point layer
  std::string layer;
  std::string id = "postcode";
  std::string x = "easting";
  std::string y = "northing";
  std::string crs = "EPSG:27700";
};

struct UnitsConfig {  // optional: a polygon layer (LSOA, ward) used as units instead of postcodes
  std::filesystem::path path;
  std::string layer;
  std::string id;  // unit id column; postcodes are given to the polygon that holds them
};

struct DemandConfig {
  std::filesystem::path path;
  std::string layer;
  std::string postcode = "postcode";
  std::string hours = "hours_per_week";
  std::string customers;    // optional: empty means 1 customer a row
  std::string unmet_hours;  // optional column of unmet hours (Devon-style)
};

struct RoadsConfig {
  std::filesystem::path osm;
  std::string profile = "car";  // car | ebike
  bool ferries = false;         // allow route=ferry ways
  double ferry_minutes = 20;    // crossing time added per ferry way when allowed
  double max_snap_m = 1000;     // postcodes farther from a road are reported
  // Road-aware adjacency: cells sharing a border are neighbours only when the road trip
  // is at most max(neighbour_minutes, neighbour_detour * straight-line time at detour_kmh).
  double neighbour_minutes = 6;
  double neighbour_detour = 3.0;
  std::filesystem::path cache_dir;  // empty: <out>/.cache
};

struct RuralConfig {
  std::filesystem::path path;  // empty: no rural classification
  std::string layer;
  std::string key = "LSOA11CD";
  std::string postcode_key = "lsoa11cd";
  std::string cls = "RUC11CD";  // TOML key "class"
};

struct PopulationConfig {
  std::filesystem::path path;  // empty: none
  std::string layer;
  std::string key = "LSOA21CD";
  std::string postcode_key = "lsoa21cd";
  std::string count = "age_65_plus";
};

struct TierConfig {
  std::string name;
  double min_hours = 0;
  double max_hours = 0;
  std::optional<double> max_travel_minutes;
};

struct DesignConfig {
  std::optional<int> lots;  // lots = N mode; absent means tiers mode
  double tolerance = 0.05;
  double max_travel_minutes = 25;
  std::uint64_t seed = 1;
  std::vector<TierConfig> tiers;    // [[design.tiers]]
  std::filesystem::path locked;     // CSV postcode,lot
  std::filesystem::path keep_from;  // CSV postcode,lot: change as little as constraints allow
  double time_limit_seconds = 0;    // 0: the designer's own budget
  // Soft target on each lot's 90th-percentile call gap (minutes between consecutive calls,
  // docs/rounds.md "A call-gap target"); absent: no target and the designer's plan as is.
  std::optional<double> max_call_gap_minutes;
  // Minutes of county-wide mean hub travel that one minute of p90 call gap over the target
  // (summed over the lots) is worth when the target's stage trades one for the other.
  double call_gap_weight = 1;
};

// [rounds] is read straight into lotwright::geo::RoundParams (rounds/params.hpp): one key per
// field, of the same name and default (docs/configuration.md, sources in docs/rounds.md).

struct Config {
  std::filesystem::path file;  // the config file itself (absolute)
  std::filesystem::path dir;   // its folder
  AreaConfig area;
  PostcodesConfig postcodes;
  std::optional<UnitsConfig> units;
  std::optional<DemandConfig> demand;
  RoadsConfig roads;
  std::optional<RuralConfig> rural;
  std::optional<PopulationConfig> population;
  DesignConfig design;
  RoundParams rounds;
  // [tender] is accepted here and read by lotwright::tender (tender/config.hpp).
};

// Reads and validates CONFIG; throws DataError naming the file, the key and, for an
// unknown key, the nearest known key ("did you mean ...?").
Config load_config(const std::filesystem::path& file);

// Every file a config reads (config, boundary, postcodes, units, demand, roads, rural,
// population, locked, keep_from): none may lie in what an output replaces (gis/out_folder.hpp).
std::vector<std::filesystem::path> config_inputs(const Config& cfg);

}  // namespace lotwright::geo
