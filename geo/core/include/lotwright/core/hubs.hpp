#pragma once
// The hub of a lot: its travel-time 1-median among its own units, and the cost every hub
// search and the designer's objective charge for serving one unit from a hub.
#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/travel.hpp"

namespace lotwright::geo {

// Minutes beyond a travel limit (0 within it).
inline double minutes_over(double minutes, double limit) {
  return minutes > limit ? minutes - limit : 0.0;
}

// What serving one unit from a hub `minutes` away costs: weight × minutes, plus `over_cost`
// per minute beyond `limit`. The designer's objective is the sum of this over the units
// (lotwright::design, objective.hpp); find_hub() minimises it over a lot's units.
inline double service_cost(double weight, double minutes, double limit, double over_cost) {
  return weight * minutes + over_cost * minutes_over(minutes, limit);
}

struct HubSearch {
  // Travel weight per unit of the graph (the designer and metrics: hours + a tiny epsilon,
  // so zero-hour units still pull a little); null: the graph's hours.
  const std::vector<double>* weight = nullptr;
  // The travel limit from the hub and its price per minute beyond it: over_cost for a unit
  // with hours, over_cost × over_factor_no_hours for one without (its limit is soft).
  double limit_minutes = std::numeric_limits<double>::infinity();
  double over_cost = 1e5;
  double over_factor_no_hours = 1e-7;
  // Minutes charged for a unit the hub cannot reach (or beyond tree_limit).
  double unreachable_minutes = 1e6;
  // Travel searches from a candidate stop here (kUnreachable: no bound).
  float tree_limit = kUnreachable;
  // Units of the lot tried first (e.g. the current hub and a few of its neighbours), in
  // order; then the `candidates` units nearest the lot's weighted centre (straight line).
  std::vector<int> first;
  std::size_t candidates = 12;
  // Then up to walk_steps steps to better neighbouring units inside the lot; each step
  // tries the untried neighbours of the best unit so far and stops when none is better.
  int walk_steps = 40;
};

struct Hub {
  int unit = -1;                                          // -1 when the lot has no units
  double cost = std::numeric_limits<double>::infinity();  // sum of service_cost over the lot
};

// The lot's hub among `units` (the lot's units, in the order costs are summed; a lot must be
// one piece on the adjacency for the walk to reach all of it). Candidates are tried in order
// and a later one wins only when cheaper by more than 1e-9, so ties go to the earlier.
// Travel from candidates comes from travel.times_to(candidate, units, ..., tree_limit),
// run on all cores. Metrics' own hub search is this with weight = its weights, no limit,
// unreachable_minutes = 1e6, candidates 12 and walk_steps 40 (4 and 6 above 20,000 units).
Hub find_hub(const UnitGraph& g, const TravelOracle& travel, const std::vector<int>& units,
             const HubSearch& search = {});

// find_hub() for several disjoint lots at once (lots[i] searched with searches[i]); the
// same answers, with each step's travel searches of every lot run together on all cores.
// With `prefetch` (a travel oracle that caches, e.g. the designer's trees): each step's
// candidates are handed to it first (to compute what is missing on all cores) and then
// evaluated on this thread, so a step whose travel is all cached starts no thread.
std::vector<Hub> find_hubs(const UnitGraph& g, const TravelOracle& travel,
                           const std::vector<std::vector<int>>& lots,
                           const std::vector<HubSearch>& searches,
                           const std::function<void(const std::vector<int>&)>& prefetch = {});

}  // namespace lotwright::geo
