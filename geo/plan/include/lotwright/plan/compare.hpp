#pragma once
// Comparing two plans of one study (`lotwright compare`, the viewer's "Compare with..."):
// the overall figures side by side with their differences, the lots matched one to one by the
// hours they share (the rule of kept_share), every postcode whose hours change lot, the flows
// between lots, and for a re-let subset of lot A's lots what moved. Plain types in and out;
// the figures come from evaluate() (PlanMetrics), never recomputed here.
#include <filesystem>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/units.hpp"

namespace lotwright::geo {

// One overall figure of both plans.
struct MetricDifference {
  std::string metric;  // the metrics.json name ("mean_travel_min", "call_gap_p90_min", ...)
  double a = 0;
  double b = 0;
  double difference() const { return b - a; }
};

// A lot of A and its match in B (either side may be missing: -1), figures side by side.
struct LotPair {
  int lot_a = -1;  // 0-based lot of A, -1: a lot only B has
  int lot_b = -1;  // 0-based lot of B, -1: a lot only A has
  std::string name_a, name_b;
  double shared_hours = 0;                // hours in both lot_a (of A) and lot_b (of B)
  const LotMetrics* metrics_a = nullptr;  // into the PlanMetrics given (null when absent)
  const LotMetrics* metrics_b = nullptr;
};

// A postcode whose hours are not kept: its lot in B is not the match of its lot in A.
struct PostcodeChange {
  int unit = -1;
  std::string postcode;
  int lot_a = kNoLot;  // 0-based, kNoLot when unassigned in that plan
  int lot_b = kNoLot;
  double hours = 0;
};

// Hours flowing from a lot of A to a lot of B that is not its match.
struct LotFlow {
  int lot_a = kNoLot;
  int lot_b = kNoLot;
  double hours = 0;
  int postcodes = 0;
};

// "After re-letting these lots, what moved?": the re-let lots are lots of A.
struct ReletSummary {
  std::vector<int> lots;               // 0-based lots of A being re-let
  double hours = 0;                    // hours in those lots in A
  double kept_hours = 0;               // of those, still in the matched lot of B
  double moved_within_hours = 0;       // moved to another re-let lot's match
  double moved_out_hours = 0;          // moved to a lot of B matching no re-let lot (or none)
  double moved_in_hours = 0;           // hours from lots not re-let now in a re-let lot's match
  double untouched_changed_hours = 0;  // hours of lots not re-let that changed lot at all
};

struct PlanComparison {
  std::vector<MetricDifference> metrics;
  std::vector<LotPair> lots;  // matched pairs by shared hours (largest first), then the rest
  std::vector<PostcodeChange> changed;  // in unit (postcode) order, with or without hours
  std::vector<LotFlow> flows;           // by hours, largest first
  double total_hours = 0;
  double changed_hours = 0;  // = total_hours * (1 - kept_share)
  double kept_share = 1;     // kept_share(g, b, a): the same figure metrics.json reports
  ReletSummary relet;        // empty lots: no re-let subset asked for
};

// Compares plan b against plan a (both of g, with their evaluate() figures). `relet` lists
// 0-based lots of a (may be empty). The LotPair pointers point into ma and mb, which must
// outlive the result.
PlanComparison compare_plans(const UnitGraph& g, const Plan& a, const PlanMetrics& ma,
                             const Plan& b, const PlanMetrics& mb,
                             const std::vector<int>& relet = {});

// Lot numbers of `plan` named by `labels` (1-based numbers or lot names, any case); throws
// UsageError naming an unknown label.
std::vector<int> lots_by_label(const Plan& plan, const std::vector<std::string>& labels);

// The changes as a GeoPackage (EPSG:27700), written atomically: layer `changes` (the cells of
// the changed postcodes: postcode, lot_a, lot_b, name_a, name_b, hours; lots 1-based, 0 none)
// and layer `lots_b` (every cell of B with its lot and whether it changed).
void write_comparison_gpkg(const std::filesystem::path& file, const UnitGraph& g,
                           const Units& units, const Plan& a, const Plan& b,
                           const PlanComparison& c);

// The comparison as text: the figure table, the lots side by side, the flows, the re-let.
std::string comparison_text(const PlanComparison& c, const Plan& a, const Plan& b);

// changes.csv: postcode,lot_a,lot_b,hours (commissioner-facing; postcode level).
std::string changes_csv(const PlanComparison& c);

}  // namespace lotwright::geo
