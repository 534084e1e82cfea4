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

// Subgradient steps of the aggregated bound: work, not time. Every kFullEvery-th step
// evaluates every group (bound.cpp), the others the kCandidateGroups groups that looked
// cheapest: on the Isle of Wight postcodes 160 such steps cost half of 80 full ones and
// end higher (demand seed 1: 3.94 -> 4.09 min).
constexpr int kAggregatedIterations = 160;
constexpr int kFullEvery = 8;
constexpr int kCandidateGroups = 64;
// Refinement (bound.cpp, BoundRequest::refine_pairs): the groups holding the 2 × lots smallest
// hub values get their hubs' own trees at each full evaluation, up to 20 million (unit,
// minutes) pairs (160 MB). Isle of Wight postcodes (demand seed 1): gap 33.1% -> 10.8%,
// 2,551 hubs refined; the bound's CPU about doubles (1.2-1.5 -> 2.7 s).
constexpr std::size_t kRefinePairs = 20'000'000;
constexpr int kRefineRankPerLot = 2;
// Above kLargeUnits the bound's cost is bounded: kLargeCentres centres spread, more only for
// hubs farther than kLargeCover minutes from every centre and while fewer than
// kLargeMaxCentres (a hub farther than that from its centre has its group's knapsack run
// over every unit, bound.cpp: valid, slower), kLargeGroup hubs per group, kLargeIterations
// steps with every kLargeFullEvery-th full, and kLargeRefinePairs pairs of hubs' own trees
// for the `lots` smallest. A 40,000-postcode county (29 lots, 50 min): gap 67%, about 9-10 s
// of CPU against 19 s for the design without it, 170 MB more (docs/designer.md).
constexpr std::size_t kLargeUnits = 10000;
constexpr int kLargeCentres = 500, kLargeMaxCentres = 1200, kLargeGroup = 16;
constexpr int kLargeIterations = 80, kLargeFullEvery = 16;
constexpr double kLargeCover = 5.0;
constexpr std::size_t kLargeRefinePairs = 6'000'000;
// Above this many units no bound is computed: the centres' trees grow with the units within
// the travel limit, so memory grows with the study (not measured past 40,000 postcodes).
constexpr std::size_t kAggregatedMaxUnits = 50000;

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

// The certificate of studies the exact polish does not take (docs/designer.md, "How", step
// 7): the Lagrangian bound, on a feasible plan in lots mode without keep_from (whose
// objective also prices moves). When none is computed, the notes say why.
void Designer::certify_lagrangian(const Plan& plan) {
  // An infeasible plan has its own account; a deadline already passed, its own note.
  if (!report_ || report_->lower_bound_min >= 0 || !report_->feasible || time_up()) return;
  std::string why;
  if (tiers_mode_)
    why = "tiers mode (lots of different bands)";
  else if (!obj_.keep().empty())
    why = "keep_from prices moves as well as travel";
  else if (g_.size() > kAggregatedMaxUnits)
    why = "the bound is computed up to " + group_digits(std::to_string(kAggregatedMaxUnits)) +
          " units (its centres' trees grow with the units within the travel limit; measured " +
          "up to 40,000 postcodes: about 10 s of CPU and 170 MB)";
  BoundResult b;
  if (why.empty()) {
    report_progress(req_.progress, "design", "lower bound");
    BoundRequest r;
    r.lots = k_;
    r.tolerance = req_.design.tolerance;
    r.max_travel_minutes = req_.design.max_travel_minutes;
    r.incumbent = &plan;
    // Up to max_units every unit is a centre (each hub's own tree: no shift, groups of one,
    // the band's lower edge kept, which the earlier per-unit bound dropped: IoW LSOAs, 30 min:
    // gap 11.4% -> 7.7%); above, a few hundred centres' trees stand in (bound.cpp).
    r.iterations = kAggregatedIterations;
    r.full_every = kFullEvery;
    r.candidate_groups = kCandidateGroups;
    r.refine_pairs = kRefinePairs;
    r.refine_rank = kRefineRankPerLot * k_;
    if (g_.size() <= r.max_units) {
      r.centres = r.max_centres = static_cast<int>(g_.size());
      r.group_size = 1;
    } else if (g_.size() > kLargeUnits) {
      r.centres = kLargeCentres;
      r.max_centres = kLargeMaxCentres;
      r.group_size = kLargeGroup;
      r.iterations = kLargeIterations;
      r.full_every = kLargeFullEvery;
      r.refine_pairs = kLargeRefinePairs;
      r.refine_rank = k_;
      r.cover_minutes = kLargeCover;
    }
    // The search's trees serve as centres' trees where it has them (on road travel only:
    // the chain search's cache is of another travel).
    std::unique_ptr<CachedFirst> reuse;
    if (const TreeCache* trees = road_trees()) {
      reuse = std::make_unique<CachedFirst>(*trees);
      r.trees = reuse.get();
    }
    b = aggregated_bound(g_, r);
    why = b.why_not;
  }
  if (!b.computed || !(b.weight > 0) || !(b.incumbent > 0)) {
    note("no lower bound: " + why);
    return;
  }
  report_->lower_bound_min = b.lower_bound / b.weight;
  report_->gap_pct = bound_gap_pct(b.incumbent, b.lower_bound);
}

}  // namespace lotwright::geo::design_detail
