#pragma once
// The call-gap target ([design] max_call_gap_minutes, docs/rounds.md "A call-gap target"): a
// stage after the designer's search that moves and swaps units on the boundaries of lots
// whose 90th-percentile call gap is over the target, when that lowers
//   (hours-weighted mean travel to the hubs) + call_gap_weight × Σ_lots p90 minutes over
// and keeps every lot in one piece, inside its hours band and within its travel limit.
// Soft: the plan is never refused; lots still over are reported with the measured reason.
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/rounds/gap_target.hpp"
#include "lotwright/rounds/params.hpp"
#include "lotwright/study/config.hpp"

namespace lotwright::geo {

// Care-round estimates of one lot the stage makes at most (two per move tried). Counted, not
// timed, so the result never depends on the machine.
inline constexpr long kCallGapEstimateBudget = 600;

struct CallGapRequest {
  const DesignConfig* design = nullptr;      // max_call_gap_minutes (required), weight, bands
  const RoundParams* rounds = nullptr;       // null: RoundParams{}
  const std::vector<int>* locked = nullptr;  // per unit: lot it must stay in, or kNoLot
  long estimate_budget = kCallGapEstimateBudget;
};

// Improves `plan` in place (lot_of and the hubs of the lots it changes, which are the exact
// hubs of metrics/hubs.hpp) and says what it did. Deterministic: the same graph, plan and
// parameters give the same plan on any number of threads. Does nothing but measure when no
// lot is over the target. Needs g.travel (DataError otherwise).
CallGapTargetReport meet_call_gap_target(const UnitGraph& g, Plan& plan,
                                         const CallGapRequest& request);

// The report as the lines of a design's summary (the CLI prints them as notes).
std::vector<std::string> call_gap_notes(const CallGapTargetReport& report);

}  // namespace lotwright::geo
