#pragma once
// The call-gap stage's working state (call_gap.cpp): a plan's lots with their members, hours,
// pieces, hubs' travel trees and care-round figures, and what the stage saw while searching
// (call_gap_report.cpp explains the lots still over from it).
#include <vector>

#include "lotwright/core/bands.hpp"
#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/rounds/rounds.hpp"
#include "lotwright/study/config.hpp"

namespace lotwright::geo::call_gap_detail {

// Moves that lower a lot's excess but were turned down, by reason (the "why" of a lot still
// over the target).
struct Refusals {
  long band = 0;       // would take a lot outside its hours band
  long pieces = 0;     // would split a lot
  long travel = 0;     // would put a postcode beyond its new lot's travel limit
  long locked = 0;     // a locked postcode
  long objective = 0;  // lowered the excess but cost more hub travel than the weight allows
  long no_gain = 0;    // tried, the excess did not fall
  long untried = 0;    // feasible, never estimated (budget, or a better move came first)
};

struct GapState {
  const UnitGraph& g;
  const DesignConfig& design;
  const RoundParams& rounds;
  const std::vector<int>& locked;  // may be empty
  Plan& plan;
  double target = 0;
  int k = 0;
  double assigned_h = 0;
  std::vector<std::vector<int>> members;  // ascending
  std::vector<double> hours;
  std::vector<int> pieces;
  std::vector<double> limit;                // travel limit per lot (+inf: none)
  std::vector<std::vector<Band>> bands;     // per lot (empty: no band)
  std::vector<std::vector<float>> tree;     // per lot: minutes from its hub to every unit
  std::vector<RoundFigures> fig;            // per lot
  std::vector<std::vector<RoundLeg>> legs;  // per lot
  std::vector<Refusals> refused;            // per lot, while it was the lot being improved
  long estimates = 0;

  GapState(const UnitGraph& graph, const DesignConfig& d, const RoundParams& r,
           const std::vector<int>& lock, Plan& p)
      : g(graph), design(d), rounds(r), locked(lock), plan(p) {}

  double excess(int l) const {
    return fig[l].call_gap_p90_min > target ? fig[l].call_gap_p90_min - target : 0.0;
  }
  double total_excess() const {
    double s = 0;
    for (int l = 0; l < k; ++l) s += excess(l);
    return s;
  }
};

// Hours-weighted mean minutes from each unit to its lot's hub, over the units the hub reaches
// (what evaluate() reports as mean_travel_min for the same hubs).
double mean_hub_travel(const GapState& s);

// Why lot l is still over the target, measured (call_gap_report.cpp).
std::string why_over(const GapState& s, int l);

}  // namespace lotwright::geo::call_gap_detail
