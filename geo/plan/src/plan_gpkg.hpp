#pragma once
// Inside the plan module: the plan.gpkg writer (plan_gpkg.cpp) that write_plan (plan_io.cpp)
// calls, and the number format they share.
#include <filesystem>
#include <string>

#include "lotwright/metrics/metrics.hpp"
#include "lotwright/plan/plan_io.hpp"

namespace lotwright::geo {

// v with `decimals` decimals, "-0" printed as "0" (lots.csv and the meta table).
std::string plan_number(double v, int decimals);

// Writes plan.gpkg: units, lots, hubs, edges, roads, meta and layer_styles (schema in
// plan_schema.hpp and docs/outputs.md). `plan` is the plan as completed by write_plan.
void write_gpkg(const std::filesystem::path& file, const PlanOutputs& out, const Plan& plan,
                const PlanMetrics& m);

}  // namespace lotwright::geo
