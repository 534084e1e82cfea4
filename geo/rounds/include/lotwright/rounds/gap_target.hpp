#pragma once
// What the call-gap target's design stage did ([design] max_call_gap_minutes, docs/rounds.md
// "A call-gap target"): the lots over the target before and after, by how much, why those
// still over are, and what meeting it cost in hub travel. Written by the designer's stage
// (lotwright::design, call_gap.hpp), carried on PlanMetrics into metrics.json.
#include <string>
#include <vector>

namespace lotwright::geo {

// A lot over the target (p90 call gap above max_call_gap_minutes).
struct CallGapLot {
  int lot = 0;            // 1-based
  double p90_min = 0;     // call_gap_p90_min
  double excess_min = 0;  // p90_min - target
  std::string why;        // lots still over after the stage: the measured reason
};

struct CallGapTargetReport {
  double target_min = 0;  // max_call_gap_minutes
  double weight = 0;      // call_gap_weight
  std::vector<CallGapLot> over_before;
  std::vector<CallGapLot> over_after;
  double excess_before_min = 0;  // sum over the lots of p90 minutes above the target
  double excess_after_min = 0;
  // The designer's objective measure: hours-weighted mean travel from each unit to its lot's
  // hub (minutes), before and after the stage; the difference is what the target cost.
  double hub_travel_before_min = 0;
  double hub_travel_after_min = 0;
  int moves = 0;                // units moved to a neighbouring lot
  int swaps = 0;                // pairs of units swapped between neighbouring lots
  long lot_estimates = 0;       // care-round estimates of one lot the stage made
  bool budget_reached = false;  // stopped at its estimate budget, lots possibly improvable
};

}  // namespace lotwright::geo
