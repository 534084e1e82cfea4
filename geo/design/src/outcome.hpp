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

// A proof that the ask is infeasible: which of the first `tries` of `units` (farthest beyond the
// limit first; the tries stop at the third unit not proved, or at the first after a proof) no
// possible hub can serve (every unit within `limit` minutes of it reaches, within the limit, fewer hours than
// `min_lot_hours`, the smallest lot allowed), and the proof of the first of them, worded for
// the notes and the report (explain_failure words the same proof). Empty when none gives one.
struct UnreachableProof {
  std::vector<int> units;  // the units no possible hub serves, in the order of `units`
  std::string text;        // the first one's proof
};
UnreachableProof prove_unreachable(const UnitGraph& g, const std::vector<int>& units, double limit,
                                   double min_lot_hours, const std::string& noun, int tries);

}  // namespace lotwright::geo::design_detail
