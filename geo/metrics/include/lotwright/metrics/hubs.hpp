#pragma once
// The exact hub of every lot of a plan: one rule for evaluate and the designer's final hubs,
// so a plan is scored the same wherever it is scored (docs/metrics.md, "Hubs").
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/study/config.hpp"

namespace lotwright::geo {

// The travel limit of a lot of tier `tier` under `design`: the tier's own, else the design's
// max_travel_minutes; +inf when none (0 or less).
double lot_travel_limit(const DesignConfig& design, const std::string& tier);

// Hub weights: hours + 10⁻³ of the mean hours per unit of the graph (zero-hour units pull a
// little, so a lot without hours still has a hub).
std::vector<double> hub_weights(const UnitGraph& g);

// The hub of one lot (`units`: its units): the travel-time 1-median of core's service cost
// (core/hubs.hpp: weight × minutes, 1e6 minutes where unreachable) over ALL its units, among
// the units from which every unit with hours in the lot is within `limit_minutes` when any
// unit qualifies (else among all). Exact, by branch and bound: a candidate is dropped only
// when a bound proves it no better than the best found (the triangle inequality over landmark
// trees, d(c,u) >= d(L,u) - d(L,c), or a partial tree search that already costs more), never
// by a shortlist. Ties go to the candidate nearest the lot's weighted centre (straight line),
// then the lower index. -1 for an empty lot. The designer's final hubs and evaluate (for a
// plan without hubs) both call this.
int exact_hub(const UnitGraph& g, const TravelOracle& travel, const std::vector<int>& units,
              const std::vector<double>& weight, double limit_minutes);

// exact_hub() for every lot of `lot_of` (entries outside 0..lot_count-1 are in no lot), with
// limit_minutes[l] per lot (empty: no limit).
std::vector<int> exact_hubs(const UnitGraph& g, const TravelOracle& travel,
                            const std::vector<int>& lot_of, int lot_count,
                            const std::vector<double>& limit_minutes);

// exact_hub() for each of several lots (members[l], its units; limit_minutes[l], its limit,
// +inf when missing; -1 for an empty lot): with more lots than twice the cores, the lots run
// on the cores side by side. The hubs are those exact_hub() gives one lot at a time, whatever
// the number of threads.
std::vector<int> exact_hubs_of(const UnitGraph& g, const TravelOracle& travel,
                               const std::vector<std::vector<int>>& members,
                               const std::vector<double>& weight,
                               const std::vector<double>& limit_minutes);

}  // namespace lotwright::geo
