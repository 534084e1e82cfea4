#pragma once
// Writing plans: assignment.csv, plan.gpkg, lots.csv, metrics.json.
#include <filesystem>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/plan/plan_csv.hpp"  // read_plan_csv, the reader of what write_plan writes
#include "lotwright/study/config.hpp"
#include "lotwright/study/roads.hpp"
#include "lotwright/study/units.hpp"

namespace lotwright::geo {

struct PlanOutputs {
  const UnitGraph* graph = nullptr;
  const Units* units = nullptr;        // cells; may be null (no geometry layers)
  const RoadNetwork* roads = nullptr;  // places for names; may be null
  const Plan* plan = nullptr;
  const PlanMetrics* metrics = nullptr;
  // For the `meta` table (mode, lots, tolerance, tiers, ...); may be null.
  const DesignConfig* design = nullptr;
  std::filesystem::path config;  // the config file (absolute), "" when unknown
};

// The places of each lot, first the most important: OSM place nodes whose nearest unit site
// (the cell holding them) is in the lot, within 2 km; ranked city, town, village, suburb,
// hamlet, others, then by the lot's weekly hours within 1.5 km (busiest first), then by name.
// The one ranking of places: lot names and the tender pack's "main places" both read it.
std::vector<std::vector<std::string>> lot_places(const UnitGraph& g, const Plan& plan,
                                                 const RoadNetwork* roads);
// Lot names from the first two of lot_places ("Newport & Cowes"); falls back to the hub's
// postcode district. Names are unique.
std::vector<std::string> lot_names(const UnitGraph& g, const Plan& plan, const RoadNetwork* roads);

// `postcode,lot` CSV (lot 1-based, unassigned units left out), units in id order. The format
// read_plan_csv and `lotwright evaluate --plan` read; save_assignment_csv writes it atomically.
std::string assignment_csv(const UnitGraph& g, const Plan& plan);
void save_assignment_csv(const std::filesystem::path& file, const UnitGraph& g, const Plan& plan);

// Writes assignment.csv, plan.gpkg (units, lots, hubs, edges, roads, meta + layer_styles;
// fields in plan_schema.hpp), lots.csv,
// metrics.json into dir atomically (temporary folder, then rename of each file).
void write_plan(const std::filesystem::path& dir, const PlanOutputs& out);

}  // namespace lotwright::geo
