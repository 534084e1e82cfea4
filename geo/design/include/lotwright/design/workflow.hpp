#pragma once
// The design workflow as library calls (what `lotwright design`, `run` and `evaluate` do,
// OSRM-style: the command line only fills the request and prints the outcome).
//   run_design:        locked + keep_from (from the config) -> design -> lot names ->
//                      evaluate (kept share against the baseline or keep_from)
//   write_study_plan:  assignment.csv, lots.csv, metrics.json, plan.gpkg
//   evaluate_plan:     the same figures, by the same code, for any plan file
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lotwright/core/plan.hpp"
#include "lotwright/core/progress.hpp"
#include "lotwright/design/designer.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/metrics/study_options.hpp"  // evaluate_options
#include "lotwright/study/study.hpp"

namespace lotwright::geo {

// What the command line may change of the study's [design] section.
struct DesignOverrides {
  std::optional<int> lots;            // [design] lots (and no tiers)
  std::optional<std::uint64_t> seed;  // [design] seed
  std::optional<double> max_travel;   // [design] max_travel_minutes (and every tier's)
  std::optional<double> tolerance;    // [design] tolerance (0..1)
  // A previous plan (postcode,lot): report the share of hours kept in metrics. "" = none
  // (then keep_from, when configured, is the baseline).
  std::filesystem::path baseline;
  ProgressSink progress;  // design stages, lot names, evaluation (core/progress.hpp)
  // When the plan misses a hard constraint, measure the relaxations that work (re-designs);
  // a sweep turns it off (DesignRequest::measure_relaxations).
  bool measure_relaxations = true;
};

struct DesignOutcome {
  Plan plan;            // named lots
  PlanMetrics metrics;  // runtime_s: design + names + evaluation
  DesignReport report;  // the designer's notes
  DesignConfig design;  // as used (the config's, after the overrides)
  // Problems of the keep_from and baseline files (lenient reads), for the user; baseline
  // ones start "baseline: ".
  std::vector<std::string> warnings;
};

// Reads [design] locked strictly (DataError naming file:line:column) and keep_from
// leniently (plan_csv.hpp, lot numbers as written), designs, names and evaluates.
// Throws InfeasibleError only when the designer can make no plan at all; a plan that misses
// a hard constraint comes back with report.feasible (and metrics.feasible) false, the
// violations, the reason and the relaxations measured to work.
DesignOutcome run_design(const Study& study, const DesignOverrides& overrides = {});
// The same with another [design] section than the study's (a sweep's scenario), the
// overrides applied on top of it.
DesignOutcome run_design(const Study& study, const DesignConfig& design,
                         const DesignOverrides& overrides);

// Writes a designed study's plan (assignment.csv, lots.csv, metrics.json, plan.gpkg) into
// dir, atomically.
void write_study_plan(const std::filesystem::path& dir, const Study& study,
                      const DesignOutcome& outcome);

struct PlanEvaluation {
  Plan plan;            // as read; lots the file does not name are named from places
  PlanMetrics metrics;  // problems: the file's first, then the plan's, then "baseline: ..."
};

// `evaluate --plan`: reads any plan leniently (compact numbering) and evaluates it against
// the study's [design] section; with a baseline, the share of hours kept.
PlanEvaluation evaluate_plan(const Study& study, const std::filesystem::path& plan,
                             const std::filesystem::path& baseline = {});

}  // namespace lotwright::geo
