#pragma once
// "Compare with...": the viewer's plan (A) against a plan on disk (B), by the library's
// compare_plans; the panel section, the map's changed-postcode outlines and the --dump line.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lotwright/plan/compare.hpp"
#include "lotwright/plan/plan_store.hpp"

namespace lotwright::viewer {

struct Comparison {
  std::filesystem::path path;  // the file B was read from
  geo::Plan a, b;
  geo::PlanMetrics ma, mb;
  geo::PlanComparison result;  // points into ma and mb: a Comparison is never copied or moved
  std::vector<std::string> problems;  // of the lenient read of B
  Comparison() = default;
  Comparison(const Comparison&) = delete;
  Comparison& operator=(const Comparison&) = delete;
};

// B's file: `path` itself, or `path`/assignment.csv when `path` is a plan folder.
std::filesystem::path compare_source(const std::filesystem::path& path);

// Reads B with the one reader (read_plan_csv against the store's graph), evaluates both plans
// with evaluate_store_plan and compares them. Throws DataError naming the file on bad input.
std::unique_ptr<Comparison> compare_with(const geo::PlanStore& store, const geo::Plan& current,
                                         const std::filesystem::path& path);

// "compare: kept_share=0.9876, changed_hours=12.3, changed_postcodes=N" (the --dump line;
// hours to one decimal as `lotwright compare` prints them).
std::string compare_summary(const Comparison& c);

}  // namespace lotwright::viewer
