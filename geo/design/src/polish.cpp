// Exact polish and certificate (docs/designer.md, "How", step 6): on small studies (lots
// mode, one part, no locked postcodes or keep_from, up to kExactUnits = 60 units) the exact
// solver (exact.hpp, CBC) runs after the heuristic, from the heuristic's plan, for a share
// of work sized to the instance (polish_nodes). Its plan is taken when it is better; its bound
// is the certificate.
//
// The certificate is on the designer's objective: Σ_u w_u · minutes from u's hub, with
// w = design_weights() = hours + ε (ε = 10⁻³ × mean hours per unit + 10⁻⁹, so units
// without hours weigh ε, not 0). lower_bound_min = bound / Σ_u w_u, the weighted mean no
// plan can beat; gap_pct compares the plan's Σ w·minutes / Σ w with it. (The metrics'
// mean_travel_min weighs by hours alone; the two differ by the ε terms, about 0.1%.)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>

#include "lotwright/core/text.hpp"
#include "lotwright/design/exact.hpp"
#include "problem.hpp"

namespace lotwright::geo::design_detail {

namespace {
// CBC's root on 89 Isle of Wight LSOAs (4 lots) ran 20–30 s whatever the time limit, so the
// polish stops at ward/MSOA sizes; bigger studies get the Lagrangian bound (bound.cpp).
constexpr std::size_t kExactUnits = 60;
// The polish's work budget: branch-and-bound nodes over all its rounds, sized to the
// instance. A node's LP grows with the columns (up to units², one per unit and hub), so
// the budget is kPolishWork / units² nodes, within [kMinNodes, kMaxNodes]: 39 Isle of Wight
// wards get 328 nodes (about 10 s at 30 ms a node), 17 MSOAs the full 3,000. Proving the
// wards' 4-lot optimum took 1,068 nodes in 5 rounds (36 s idle, 53 s at load 10); the
// budget stops short of that and keeps the bound it reached (the gap says how far).
constexpr double kPolishWork = 5e5;
constexpr long kMinNodes = 100, kMaxNodes = 3000;
constexpr int kPolishRounds = 12;
// The set-partitioning method first (exact.hpp, exact_sets.cpp): while its enumeration keeps
// at most kExactSets sets in the band within kExactSetSteps steps (work, not time); beyond,
// the cut formulation within the node budget above.
constexpr std::size_t kExactSets = 200000;
constexpr long kExactSetSteps = 30000000;
// The wall clock is only a safety stop, far above the budget's time: a slow or loaded
// machine finishes the same work, so the same seed gives the same plan and bound.
constexpr double kSafetyStopS = 600;

long polish_nodes(std::size_t units) {
  const double n = static_cast<double>(std::max<std::size_t>(units, 1));
  return std::clamp(static_cast<long>(kPolishWork / (n * n)), kMinNodes, kMaxNodes);
}
}  // namespace

bool Designer::exact_applies() const {
  return !tiers_mode_ && locked_.empty() && obj_.keep().empty() && parts_.size() == 1 &&
         static_cast<int>(active_units_.size()) == n_ && active_units_.size() <= kExactUnits;
}

void Designer::polish_exact(State& best) {
  if (!exact_applies() || time_up()) return;
  const bool feasible = !best.lot.empty() && obj_.feasible(best);
  Plan start;
  if (!best.lot.empty()) {
    start.lot_count = k_;
    start.lot_of = best.lot;
    start.hub = best.hub;
  }
  ExactRequest r;
  r.lots = k_;
  r.tolerance = req_.design.tolerance;
  r.max_travel_minutes = req_.design.max_travel_minutes;
  r.start = best.lot.empty() ? nullptr : &start;
  // A work budget (nodes over all rounds, and rounds): the same answer on a slow or loaded
  // machine. The wall clock is a safety stop only (kSafetyStopS), never past the deadline.
  r.max_total_nodes = polish_nodes(active_units_.size());
  r.max_nodes = static_cast<int>(r.max_total_nodes);
  r.max_rounds = kPolishRounds;
  r.max_sets = kExactSets;
  r.max_set_steps = kExactSetSteps;
  double limit = kSafetyStopS;
  if (deadline_ != Clock::time_point::max())
    limit = std::min(limit, std::chrono::duration<double>(deadline_ - Clock::now()).count());
  if (!(limit > 0.05)) {
    clock_stopped_ = true;
    return;
  }
  r.time_limit_s = limit;
  const ExactResult res = solve_exact(g_, r);
  if (res.stopped_on_time) clock_stopped_ = true;

  if (res.status == ExactStatus::infeasible && !feasible) {
    exact_infeasible_ = true;
    if (report_) {
      report_->proved_infeasible = true;
      report_->reason = "proved by the exact solve (CBC): no plan of " + std::to_string(k_) +
                        " contiguous lots meets the hours band and the travel limit";
    }
    return;
  }
  if (!res.plan.lot_of.empty()) {
    State t;
    t.lot = res.plan.lot_of;
    t.hours.assign(static_cast<std::size_t>(k_), 0);
    t.count.assign(static_cast<std::size_t>(k_), 0);
    for (int u : active_units_) t.hours[t.lot[u]] += g_.hours[u], ++t.count[t.lot[u]];
    t.hub = res.plan.hub;
    t.dist = cache_->fetch(t.hub);
    const double f = obj_.total(t);
    if (!feasible || f < obj_.total(best) - 1e-9 * std::max(1.0, std::abs(f))) {
      best = std::move(t);
      note("the exact solve (CBC) improved the heuristic's plan");
    }
  }
  if (!report_ || !(res.lower_bound > 0) || !std::isfinite(res.lower_bound)) return;
  Plan plan;
  plan.lot_count = k_;
  plan.lot_of = best.lot;
  plan.hub = best.hub;
  const double value = plan_objective(g_, plan);
  double wsum = 0;
  for (double w : design_weights(g_)) wsum += w;
  report_->lower_bound_min = res.lower_bound / wsum;
  report_->gap_pct = bound_gap_pct(value, res.lower_bound);
  report_->proved_optimal =
      res.status == ExactStatus::optimal && value <= res.lower_bound * (1 + 1e-7) + 1e-9;
}

}  // namespace lotwright::geo::design_detail
