#pragma once
// Scenario sweeps (docs/scenarios.md): every combination of lot counts (or tier sets), travel
// limits and tolerances designed on ONE loaded study (its road graph and travel trees), in
// parallel, one row of figures per scenario; shards of a sweep and their merge; the Pareto
// set; sweep.pdf. The figures come from the design workflow's evaluate(), never recomputed.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lotwright/core/plan.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"

namespace lotwright::geo {

// One alternative set of tiers ([[sweep.tiers_sets]]: name and [[sweep.tiers_sets.tiers]]).
struct TiersSet {
  std::string name;
  std::vector<TierConfig> tiers;
};

// The axes. Empty axes take the config's [design] value (one value).
struct SweepSpec {
  std::vector<int> lots;             // lots = N scenarios
  std::vector<TiersSet> tiers_sets;  // tier scenarios (tolerance does not apply to them)
  std::vector<double> max_travel;    // minutes
  std::vector<double> tolerance;     // fraction (0.05)
  double price_per_hour = 22.83;     // GBP, for lot value ([sweep] price_per_hour)
  // Pareto objectives: sweep.csv column names, minimised; "-name" is maximised.
  std::vector<std::string> objectives = {"mean_travel_min", "call_gap_p90_min",
                                         "max_deviation_pct"};
};

// The [sweep] table of the config file (tiers_sets, price_per_hour, objectives, and the axes
// lots "4:16" / [4, 6], max_travel, tolerance); DataError naming file, line and key.
SweepSpec read_sweep_config(const Config& config);

// "4:16" (every whole number), "4:16:2" (step) or "4,6,8"; UsageError naming `what`.
std::vector<int> parse_int_axis(const std::string& text, const std::string& what);
// "20,25,30"; UsageError naming `what`.
std::vector<double> parse_number_axis(const std::string& text, const std::string& what);

struct Scenario {
  int index = 0;  // 1-based, in sweep order
  DesignConfig design;
  std::string tiers_set;      // "" in lots mode
  std::string label() const;  // "8 lots, 25 min, ±5%" / "west-sussex, 25 min"
};

// Lots values (then tier sets) x travel limits x tolerances, in that nesting order.
std::vector<Scenario> sweep_scenarios(const SweepSpec& spec, const DesignConfig& base);

// The figures of one designed scenario: one row of sweep.csv.
struct SweepRow {
  int scenario = 0;
  std::string mode;       // "lots" | "tiers"
  std::string tiers_set;  // "" in lots mode
  int lots_asked = 0;     // lots mode; 0 for tiers
  double max_travel_min = 0;
  double tolerance = 0;                                 // lots mode
  std::vector<std::pair<std::string, double>> figures;  // columns after the scenario's own
  double figure(const std::string& name) const;         // NaN when absent
};

// The sweep.csv figure columns, in order.
const std::vector<std::string>& sweep_figure_columns();

// The row of a designed scenario (figures from the outcome's PlanMetrics and DesignReport).
SweepRow sweep_row(const Scenario& s, const DesignOutcome& o, double price_per_hour);

struct SweepOptions {
  int shard = 1;  // 1-based: runs scenarios whose (index - 1) % shards == shard - 1
  int shards = 1;
  unsigned threads = 0;  // scenarios at once; 0: every core
  // Called after each scenario (from a worker thread, serialised): done, total, label.
  std::function<void(int, int, const std::string&)> progress;
};

struct SweepResult {
  std::vector<SweepRow> rows;  // scenario order
  std::vector<Plan> plans;     // per row
};

// Designs the scenarios of this shard, in parallel; each row and plan by its scenario index,
// so the result does not depend on the number of threads.
SweepResult run_sweep(const Study& study, const std::vector<Scenario>& scenarios,
                      const SweepSpec& spec, const SweepOptions& options);

// sweep.csv text (header + rows in scenario order); and its reader (DataError naming file,
// line and column).
std::string sweep_csv(const std::vector<SweepRow>& rows);
std::vector<SweepRow> read_sweep_csv(const std::filesystem::path& file);

// Rows on the Pareto front of the feasible rows over the objectives (see SweepSpec).
std::vector<SweepRow> pareto_rows(const std::vector<SweepRow>& rows,
                                  const std::vector<std::string>& objectives);

// Writes a sweep folder: sweep.csv, pareto.csv, sweep.pdf, shard.txt, and per scenario
// scenarios/NNN.csv (postcode,lot) and scenarios/NNN.png (its map), atomically per file.
void write_sweep(const std::filesystem::path& dir, const Study& study, const SweepResult& r,
                 const SweepSpec& spec, const SweepOptions& options, int total_scenarios);

// Merges shard folders into out: checks every folder's shard.txt names the same sweep
// (total, objectives) and that together they hold each scenario exactly once; then writes
// sweep.csv, pareto.csv, sweep.pdf and the scenario files. DataError on a gap or overlap.
void merge_sweeps(const std::vector<std::filesystem::path>& shards,
                  const std::filesystem::path& out);

// sweep.pdf from rows and the scenario map PNGs in `maps_dir` (NNN.png; missing ones skipped).
void write_sweep_pdf(const std::filesystem::path& file, const std::vector<SweepRow>& rows,
                     const std::vector<SweepRow>& pareto, const std::filesystem::path& maps_dir,
                     const std::string& title);

// A scenario's map: the units' cells coloured by lot, as a PNG of width px.
void write_plan_png(const std::filesystem::path& file, const Study& study, const Plan& plan,
                    int px);

}  // namespace lotwright::geo
