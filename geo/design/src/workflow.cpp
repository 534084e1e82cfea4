// The design workflow (workflow.hpp): the steps `design`, `run` and `evaluate` share.
#include "lotwright/design/workflow.hpp"

#include <cctype>
#include <chrono>

#include "locked_check.hpp"
#include "lotwright/design/call_gap.hpp"
#include "lotwright/plan/plan_csv.hpp"
#include "lotwright/plan/plan_io.hpp"

namespace lotwright::geo {

namespace {

// Reads the baseline leniently; its problems go to `warnings` as "baseline: ...".
Plan read_baseline(const std::filesystem::path& file, const UnitGraph& g,
                   std::vector<std::string>& warnings) {
  std::vector<std::string> problems;
  Plan base = read_plan_csv(file, g, &problems);
  for (const auto& p : problems) warnings.push_back("baseline: " + p);
  return base;
}

// What the study's units are, for the designer's messages: postcodes without [units]; with a
// polygon layer, what its id column or file name says (WD25CD: ward, LSOA21CD, MSOA21CD), else
// "unit".
std::string unit_noun(const Config& c) {
  if (!c.units) return "postcode";
  auto has = [&](const std::string& s, const char* what) {
    std::string up = s;
    for (auto& ch : up) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return up.find(what) != std::string::npos;
  };
  for (const std::string& s : {c.units->id, c.units->path.filename().string()}) {
    if (has(s, "MSOA")) return "MSOA";
    if (has(s, "LSOA")) return "LSOA";
    if (has(s, "WARD") || has(s, "WD")) return "ward";
  }
  return "unit";
}

}  // namespace

DesignOutcome run_design(const Study& study, const DesignOverrides& overrides) {
  return run_design(study, study.config.design, overrides);
}

DesignOutcome run_design(const Study& study, const DesignConfig& config,
                         const DesignOverrides& overrides) {
  DesignOutcome o;
  o.design = config;
  if (overrides.lots) o.design.lots = *overrides.lots;
  if (overrides.seed) o.design.seed = *overrides.seed;
  if (overrides.tolerance) o.design.tolerance = *overrides.tolerance;
  if (overrides.max_travel) {
    o.design.max_travel_minutes = *overrides.max_travel;
    for (auto& t : o.design.tiers) t.max_travel_minutes = *overrides.max_travel;
  }
  DesignRequest req;
  req.design = o.design;
  req.progress = overrides.progress;
  req.time_limit_s = o.design.time_limit_seconds;
  req.measure_relaxations = overrides.measure_relaxations;
  req.unit_noun = unit_noun(study.config);
  PlanCsvOptions as_written;
  as_written.numbering = PlanCsvOptions::Numbering::kAsWritten;
  PlanCsvRead locked;
  if (!o.design.locked.empty()) {
    PlanCsvOptions strict = as_written;
    strict.strict = true;
    locked = read_plan_csv_lines(o.design.locked, study.graph, strict, nullptr);
    req.locked = locked.plan.lot_of;
    check_locked_hubs(study.graph, study.roads.get(), o.design, o.design.locked, locked);
  }
  if (!o.design.keep_from.empty()) {
    // Kept as far as possible; what cannot be kept is reported row by row (plan_csv.hpp).
    PlanCsvRead keep =
        read_plan_csv_lines(o.design.keep_from, study.graph, as_written, &o.warnings);
    const auto conflicts =
        reconcile_keep_from(o.design.keep_from, keep, study.graph, o.design.locked,
                            req.locked.empty() ? nullptr : &locked, o.design.lots.value_or(0));
    o.warnings.insert(o.warnings.end(), conflicts.begin(), conflicts.end());
    req.keep_from = keep.plan.lot_of;
  }
  const auto t0 = std::chrono::steady_clock::now();
  o.plan = design(study.graph, req, &o.report);
  std::optional<CallGapTargetReport> gap;  // [design] max_call_gap_minutes (call_gap.hpp)
  if (o.design.max_call_gap_minutes && study.graph.travel) {
    report_progress(overrides.progress, "design", "call-gap target");
    gap = meet_call_gap_target(study.graph, o.plan, {&o.design, &study.config.rounds, &req.locked});
    for (auto& line : call_gap_notes(*gap)) o.report.notes.push_back(std::move(line));
  }
  report_progress(overrides.progress, "design", "naming the lots");
  o.plan.name = lot_names(study.graph, o.plan, study.roads.get());
  report_progress(overrides.progress, "evaluate", "figures of the plan");
  o.metrics = evaluate(study.graph, o.plan, evaluate_options(study, o.design));
  o.metrics.runtime_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // The designer's verdict and certificate travel with the figures (metrics.json).
  o.metrics.feasible = o.report.feasible;
  o.metrics.relaxations = o.report.relaxations;
  o.metrics.time_budget_s = o.report.time_budget_s;
  o.metrics.lower_bound_min = o.report.lower_bound_min;
  // A gap measures a plan that meets every constraint against the bound, which holds for
  // such plans only: a flagged plan can travel less than the bound (IoW wards, 6 lots, 25
  // min, demand seed 2: 8.11 min against 8.77), so it has none.
  o.metrics.gap_pct = o.report.feasible ? o.report.gap_pct : -1;
  o.metrics.call_gap_target = std::move(gap);
  if (!overrides.baseline.empty()) {
    const Plan base = read_baseline(overrides.baseline, study.graph, o.warnings);
    o.metrics.baseline_kept_share = kept_share(study.graph, o.plan, base);
  } else if (!req.keep_from.empty()) {
    Plan base;
    base.lot_of = req.keep_from;
    o.metrics.baseline_kept_share = kept_share(study.graph, o.plan, base);
  }
  return o;
}

void write_study_plan(const std::filesystem::path& dir, const Study& study,
                      const DesignOutcome& outcome) {
  PlanOutputs po;
  po.graph = &study.graph;
  po.units = &study.units;
  po.roads = study.roads.get();
  po.plan = &outcome.plan;
  po.metrics = &outcome.metrics;
  po.design = &outcome.design;
  po.config = study.config.file;
  write_plan(dir, po);
}

PlanEvaluation evaluate_plan(const Study& study, const std::filesystem::path& plan_file,
                             const std::filesystem::path& baseline) {
  PlanEvaluation e;
  std::vector<std::string> problems;
  e.plan = read_plan_csv(plan_file, study.graph, &problems);
  e.plan.seed = study.config.design.seed;
  const auto names = lot_names(study.graph, e.plan, study.roads.get());
  for (std::size_t l = 0; l < e.plan.name.size(); ++l)
    if (e.plan.name[l].empty()) e.plan.name[l] = names[l];
  e.metrics = evaluate(study.graph, e.plan, evaluate_options(study, study.config.design));
  e.metrics.problems.insert(e.metrics.problems.begin(), problems.begin(), problems.end());
  if (!baseline.empty()) {
    std::vector<std::string> warnings;
    const Plan base = read_baseline(baseline, study.graph, warnings);
    e.metrics.problems.insert(e.metrics.problems.end(), warnings.begin(), warnings.end());
    e.metrics.baseline_kept_share = kept_share(study.graph, e.plan, base);
  }
  return e;
}

}  // namespace lotwright::geo
