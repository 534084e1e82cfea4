#pragma once
// Metrics for any plan — ours, an edited one, a foreign one — by one function
// (definitions in docs/metrics.md).
#include <optional>
#include <string>
#include <vector>

#include "lotwright/core/bands.hpp"
#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/rounds/gap_target.hpp"
#include "lotwright/rounds/rounds.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/units.hpp"

namespace lotwright::geo {

struct LotMetrics {
  int lot = 0;  // 1-based
  std::string name;
  std::string tier;
  double hours = 0;
  double customers = 0;
  double unmet_hours = 0;
  int units = 0;
  int pieces = 0;              // connected parts on the road-aware adjacency
  std::string hub;             // hub postcode
  double mean_travel_min = 0;  // hours-weighted, hub -> unit
  double p95_travel_min = 0;
  double max_travel_min = 0;
  double area_km2 = 0;
  double polsby_popper = 0;  // needs geometry; 0 when not computed
  int cut_edges = 0;
  bool within_band = true;
  double rural_hours = 0;  // hours in units with a rural class (ONS RUC D*/E*/F* or ukruc rural)
  // Care rounds (docs/rounds.md): call-to-call travel of the lot's week of calls; the output
  // columns are the first eight fields. All 0 when PlanMetrics::rounds_estimated is false.
  RoundFigures rounds;
};

// A hard constraint a plan misses: a postcode with hours beyond its lot's travel limit
// ("travel"), a lot outside its hours band ("band") or in pieces ("pieces").
struct PlanViolation {
  int unit = -1;         // graph index of the postcode (travel), -1 for a lot
  std::string postcode;  // travel only
  int lot = 0;           // 1-based
  double hours = 0;      // the postcode's hours (travel) or the lot's (band, pieces)
  double minutes = 0;    // travel from the hub, exact (travel only)
  double limit = 0;      // the travel limit broken (travel only)
  std::string what;
};

struct PlanMetrics {
  std::vector<LotMetrics> lots;
  double total_hours = 0;
  double assigned_hours = 0;
  double unassigned_hours = 0;  // includes county-level unassigned (unmatched, outside)
  int unassigned_units = 0;
  double max_deviation_pct = 0;
  double cv = 0;
  int lots_within_band = 0;
  double mean_travel_min = 0;  // hours-weighted over all assigned units
  int cut_edges = 0;
  double runtime_s = 0;
  std::uint64_t seed = 0;
  std::string version;
  std::vector<std::string> problems;  // unassigned postcodes, lots in pieces, out of band...
  // Re-procurement: share of hours that stay in the same lot as a baseline plan (-1 = none).
  double baseline_kept_share = -1;
  // Care rounds over every lot (legs pooled): county-wide figures. rounds_estimated is false
  // when the graph has no travel oracle (the figures are then absent from the outputs).
  RoundFigures rounds;
  bool rounds_estimated = false;
  // [design] max_call_gap_minutes: what the designer's call-gap stage did (design/call_gap.hpp);
  // absent when the target is not set or the plan was not designed here.
  std::optional<CallGapTargetReport> call_gap_target;

  // Hard constraints: feasible when there are no violations (evaluate(); the designer's
  // outcome says the same of its plan).
  bool feasible = true;
  std::vector<PlanViolation> violations;
  std::vector<std::string> relaxations;  // measured to work (a design that failed)
  double time_budget_s = 0;              // the designer's time budget (0: not designed)
  double lower_bound_min = -1;           // certificate (-1: not computed)
  double gap_pct = -1;
};

struct EvaluateOptions {
  const DesignConfig* design = nullptr;  // bands/tolerance for within_band; null: skip
  double outside_unassigned_hours = 0;   // county hours that never reached a unit
  const std::vector<double>* unit_area_m2 = nullptr;
  const std::vector<double>* lot_perimeter_m = nullptr;  // for Polsby-Popper
  // Cells and their borders, in the graph's order: lot perimeters by lot_perimeters() when
  // lot_perimeter_m is not given. Null (or other units than the graph's): Polsby-Popper 0.
  const Units* units = nullptr;
  // The [rounds] parameters; null: the library's defaults (RoundParams{}).
  const RoundParams* rounds = nullptr;
};

PlanMetrics evaluate(const UnitGraph& g, const Plan& plan, const EvaluateOptions& options = {});

// The hours bands a lot may sit in under `design` (docs/metrics.md), the one rule evaluate,
// the plan store, the viewer and the designer use. Lots mode: one band, the assigned hours
// shared by lot_count lots ± tolerance (none when there are no hours). Tiers mode: the band of
// the lot's tier, or every tier's band for a lot with no tier.
std::vector<Band> lot_bands(const DesignConfig& design, const std::string& tier,
                            double assigned_hours, int lot_count);
// Whether hours lie within any of the bands (within_band in core/bands.hpp).
bool within_any_band(double hours, const std::vector<Band>& bands);

// Perimeter (m) of each lot as drawn from its units' cells: the cells' perimeters less twice
// every border two cells of the same lot share. `borders` must be the geometric adjacency
// (every pair of cells sharing a border, as Units::edges or cell_borders() give), not the
// road-aware graph, which drops some pairs. Entries of lot_of outside 0..lot_count-1 count in
// no lot. O(units + borders).
std::vector<double> lot_perimeters(const std::vector<double>& unit_perimeter_m,
                                   const std::vector<UnitEdge>& borders,
                                   const std::vector<int>& lot_of, int lot_count);
// The same from the units' cells and edges.
std::vector<double> lot_perimeters(const Units& units, const std::vector<int>& lot_of,
                                   int lot_count);

std::string metrics_json(const PlanMetrics& m);  // pretty JSON (contract in DESIGN.md)

// Re-procurement: the share of hours (0..1) whose postcode stays in the same lot as in
// `baseline`. Lots are matched one to one by the hours they share (largest first), so a
// renumbered but unchanged plan keeps 100%.
double kept_share(const UnitGraph& g, const Plan& plan, const Plan& baseline);

}  // namespace lotwright::geo
