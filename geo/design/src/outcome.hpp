#pragma once
// What design() says of a plan that misses a hard constraint (docs/designer.md, "Infeasible
// asks"): the violations, whether infeasibility is proved, and relaxations measured to work.
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/design/designer.hpp"

namespace lotwright::geo::design_detail {

// Fills r.violations, r.reason, r.proved_infeasible and (unless request.measure_relaxations
// is false) r.relaxations for `plan`, the best plan of a design that missed a constraint.
// timed_out: the search stopped at its deadline; extra_lot_tries: tiers-mode retries made.
void explain_failure(const UnitGraph& g, const DesignRequest& request, const Plan& plan,
                     bool timed_out, int extra_lot_tries, DesignReport& r);

// A proof that the ask is infeasible, from the first of `units` (at most the first 3 are
// tried) that no possible hub can serve: every unit within `limit` minutes of it reaches,
// within the limit, fewer hours than `min_lot_hours`, the smallest lot allowed. "" when none
// of them gives one. explain_failure words the same proof for the report.
struct UnreachableProof {
  int unit = -1;     // the unit no possible hub serves; -1: no proof
  std::string text;  // the proof, worded for the notes and the report
};
UnreachableProof prove_unreachable(const UnitGraph& g, const std::vector<int>& units, double limit,
                                   double min_lot_hours, const std::string& noun);

}  // namespace lotwright::geo::design_detail
