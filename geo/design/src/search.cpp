// One search (docs/designer.md, "How"): starts, local search and relocation, the best
// state kept; along chains of neighbouring units, settled on the roads after ("The chain
// search"). And the reason a search found nothing inside the constraints.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "lotwright/core/error.hpp"
#include "lotwright/core/text.hpp"
#include "outcome.hpp"
#include "problem.hpp"

namespace lotwright::geo::design_detail {

// Travel along chains of neighbouring units (geo::GraphTravel: Dijkstra over the
// adjacency's road minutes). A chain of road trips is a detour, so the search's travel
// limits stretch by the median ratio seen from a few sample hubs; where the detour is
// longer than that the search keeps lots tighter than the roads need, which leaves the
// slack a road search at 150,000 postcodes lacked (lots held at both band edges, a few
// postcodes over the limit that no single move could mend). The plan is settled and
// checked on the roads after (settle_on_roads).
void Designer::stretch_to_adjacency(bool limited) {
  adjacency_travel_ = std::make_unique<GraphTravel>(g_);
  if (!limited) return;
  std::vector<double> ratio;
  std::vector<float> a, r;
  for (int i = 0; i < 8; ++i) {
    const int u = active_units_[active_units_.size() * static_cast<std::size_t>(i) / 8];
    adjacency_travel_->tree(u, a, tree_limit_);
    g_.travel->tree(u, r, tree_limit_);
    for (int v : active_units_)
      if (std::isfinite(a[v]) && std::isfinite(r[v]) && r[v] > 1) ratio.push_back(a[v] / r[v]);
  }
  if (!ratio.empty()) {
    std::nth_element(ratio.begin(), ratio.begin() + static_cast<long>(ratio.size() / 2),
                     ratio.end());
    stretch_ = std::max(1.0, ratio[ratio.size() / 2]);
  }
  road_limits_.clear();
  for (auto& sp : spec_) road_limits_.push_back(sp.limit), sp.limit *= stretch_;
  tree_limit_ = static_cast<float>(tree_limit_ * stretch_);
  obj_.unreachable *= stretch_;
}

// Work budget (deterministic): starts and sweeps shrink for big graphs.
Budget Designer::set_budget() {
  const std::size_t n_active = active_units_.size();
  const bool big = n_active > 20000;
  Budget b;
  // Up to 8,000 units, one rule (step 5): more starts, threshold acceptance, the hub scan
  // (each lot's unconstrained 1-median first) and the recombination of the lots seen
  // (perturb.cpp); up to 2,000 units, 12 starts and 5 elite starts of 18 kicks (the starts
  // are cheap there, and which basin a seed ends in is fixed by its starts).
  const bool mid = n_active <= 8000;
  b.growth_starts = big ? 1 : (n_active > 8000 ? 2 : (n_active <= 2000 ? 12 : 6));
  b.sweeps = big ? 40 : 80;
  b.relocate_rounds = n_active > 80000 ? 1 : (big ? 2 : 4);
  hub_candidates_ = big ? 4 : 10;
  hub_steps_ = big ? 6 : 30;
  recentre_exact_ = !big;
  // Iterated local search (perturb.cpp): a fixed number of kicks by size, the work budget
  // (deterministic: the same plan on a slow machine or a loaded one). The seconds below are
  // the share the exact polish may use (polish.cpp) and what metrics.json reports as the
  // budget; only time_limit_seconds (the deadline) stops the kicks early, and says so.
  b.kicks = n_active > 20000 ? 0 : (n_active > 8000 ? 8 : (n_active > 2000 ? 20 : 18));
  // ... from each of the 3 (up to 2,000 units: 5) best distinct starts (the elite pool,
  // perturb.cpp iterate_elite).
  b.elite = n_active <= 2000 ? 5 : 3;
  // ... (2,001-8,000 units) among the starts within 5% of the best; up to 2,000 units the 5
  // best distinct starts whatever their objectives (a start 3% worse than the best, kicked,
  // became a plan 0.7% better than the best start's: a window there cut the elite pool to 2
  // on the seeds whose starts were poor, so the seed chose the basin). Each kicked under
  // threshold acceptance (a plan up to 2% worse than the current one at the first kick, 0%
  // at the last), then a hub scan of 8 positions per lot (perturb.cpp).
  b.elite_within = mid && n_active > 2000 ? 0.05 : kInf;
  b.threshold = mid ? 0.02 : 0;
  b.scan = mid ? 8 : 0;
  b.seconds = std::min(20.0, 2.0 + 0.6e-3 * static_cast<double>(n_active));
  budget_s_ = b.seconds;
  if (report_) report_->time_budget_s = b.seconds;
  return b;
}

// Back to the roads: real limits and road trees from the hubs; a short local search on
// road travel mends what the stretched limit let through.
void Designer::settle_on_roads(State& best, Rng& rng) {
  for (int l = 0; l < k_ && !road_limits_.empty(); ++l) spec_[l].limit = road_limits_[l];
  tree_limit_ = static_cast<float>(tree_limit_ / stretch_);
  obj_.unreachable /= stretch_;
  cache_ = std::make_unique<TreeCache>(*g_.travel, tree_limit_);
  const auto trees = cache_->fetch(best.hub);
  for (int l = 0; l < k_; ++l) best.dist[l] = trees[l];
  if (!obj_.feasible(best)) {
    hub_candidates_ = 2;
    hub_steps_ = 2;
    improve(best, rng, 6);
  }
}

// The largest study whose best start, beyond the travel limit, is checked for a unit no hub can
// serve (prove_unservable): the kicked sizes (docs/designer.md, step 5).
constexpr std::size_t kProveUnits = 8000;
constexpr int kProveTries = 8;  // units tried by prove_unservable, farthest beyond the limit first

// One search: starts (METIS, growth, or the kept plan), local search and relocation; the
// best state on road travel. along_adjacency: search with travel along chains of
// neighbouring units (geo::GraphTravel), then settle on the roads.
State Designer::search(bool along_adjacency, bool limited, double max_limit) {
  adjacency_travel_.reset();
  stretch_ = 1;
  road_limits_.clear();
  hit_time_ = false;
  tree_limit_ = limited ? static_cast<float>(max_limit * 1.6) : kUnreachable;
  obj_.unreachable = limited ? max_limit * 4 : 1e4;
  if (along_adjacency) stretch_to_adjacency(limited);
  cache_ =
      std::make_unique<TreeCache>(adjacency_travel_ ? *adjacency_travel_ : *g_.travel, tree_limit_);
  stamp_.assign(static_cast<std::size_t>(n_), 0);
  hub_memo_.clear();
  // Keeping postcodes in their lot outweighs travel (minutes per hour) but yields to the
  // hard constraints (band, travel limit).
  if (!obj_.keep().empty()) obj_.wt.keep = 1e3;

  Rng rng(req_.design.seed);
  const Budget budget = set_budget();
  std::vector<double> targets(static_cast<std::size_t>(k_));
  for (int l = 0; l < k_; ++l) targets[l] = spec_[l].target;
  auto starts = make_starts(rng, budget);
  State best;
  double best_f = kInf;
  // Every start with its objective, for the elite pool (perturb.cpp); none kept without kicks.
  std::vector<std::pair<double, State>> pool;
  const bool kicked = !adjacency_travel_ && budget.kicks > 0;
  int start_no = 0;
  for (auto& lot : starts) {
    if (start_no > 0 && time_up()) break;
    report_progress(req_.progress, "design",
                    "start " + std::to_string(start_no + 1) + " of " +
                        std::to_string(starts.size()) +
                        (adjacency_travel_ ? " (along chains of neighbouring postcodes)" : ""),
                    start_no, static_cast<long>(starts.size()));
    ++start_no;
    give_empty_lots_a_unit(lot);
    repair_pieces(lot);
    fill_unassigned(lot, targets);
    join_locked(lot, targets);
    State s;
    s.lot = lot;
    init_state(s);
    Rng r2(req_.design.seed * 7919 + static_cast<std::uint64_t>(start_no));
    improve(s, r2, budget.sweeps);
    if (obj_.keep().empty()) relocate(s, r2, budget.relocate_rounds, budget.sweeps);
    exact_recentre(s, r2, budget.sweeps);
    const double f = obj_.total(s);
    if (kicked) pool.emplace_back(f, s);
    if (f < best_f - 1e-9) best_f = f, best = std::move(s);
  }

  // Up to kProveUnits units only: the proof runs one bounded search per unit of the study.
  if (limited && !best.lot.empty() && unservable_proof_.empty() &&
      active_units_.size() <= kProveUnits && !obj_.feasible(best)) {
    prove_unservable(best, max_limit);
    if (!unservable_proof_.empty()) {  // the starts re-scored without the excused breach
      for (auto& p : pool) p.first = obj_.total(p.second);
      best_f = obj_.total(best);
    }
  }
  if (kicked && !best.lot.empty()) {
    report_progress(req_.progress, "design", "iterated local search",
                    static_cast<long>(starts.size()), static_cast<long>(starts.size()));
    best = iterate_elite(pool, budget);
  }
  if (hit_time_ || time_up())
    note("stopped at the time limit of " + fmt_hours(time_limit_s_) +
         " s; a longer limit may find a better plan (and the result may vary from run to run)");
  if (adjacency_travel_) {
    report_progress(req_.progress, "design", "settling the lots on road travel");
    settle_on_roads(best, rng);
  }
  return best;
}

// The best start leaves units beyond the travel limit: are some of them (the farthest beyond
// first) proved unservable? On the road travel (g_.travel), the largest limit and the
// smallest lot allowed, so the proof holds for every lot it could join.
void Designer::prove_unservable(const State& best, double max_limit) {
  std::vector<std::pair<double, int>> over;
  for (int u : active_units_)
    if (g_.hours[u] > 0)
      if (const double o = obj_.over(best.lot[u], obj_.distance(best, best.lot[u], u)); o > 0)
        over.push_back({-o, u});
  if (over.empty()) return;
  std::sort(over.begin(), over.end());
  std::vector<int> far;
  for (const auto& o : over) far.push_back(o.second);
  double min_lot = kInf;
  for (const auto& s : spec_) min_lot = std::min(min_lot, s.lo);
  // Every proved unit is excused, not the first only: a second one's breach, priced in every
  // plan, would still swamp the relative tests (objective.hpp, Objective::excuse).
  auto proof = prove_unreachable(g_, far, max_limit, min_lot, req_.unit_noun, kProveTries);
  if (proof.units.empty()) return;
  unservable_proof_ = std::move(proof.text);
  for (int u : proof.units) obj_.excuse(u);
}

[[noreturn]] void Designer::infeasible_after_search(const State& s) {
  if (hit_time_ || time_up())
    throw InfeasibleError("no plan inside the constraints was found within the time limit of " +
                          fmt_hours(time_limit_s_) + " s; allow more time (time_limit_seconds)");
  // Band first, then travel.
  int worst = -1;
  double wv = 0;
  for (int l = 0; l < k_; ++l)
    if (obj_.viol(l, s.hours[l]) > wv) wv = obj_.viol(l, s.hours[l]), worst = l;
  if (worst >= 0) {
    const auto& sp = spec_[worst];
    std::string ask;
    if (tiers_mode_)
      ask = "lots inside the tier bands could not be made";
    else
      ask = std::to_string(k_) + " lots of " + fmt_hours(mean_lot_) + " h ± " +
            fmt_pct(req_.design.tolerance) + "% could not be made";
    throw InfeasibleError(ask + ": the best plan found still has a lot of " +
                          fmt_hours(s.hours[worst]) + " h (band " + fmt_hours(sp.lo) + "–" +
                          fmt_hours(sp.hi) + " h) in " + parts_[sp.part].where + "; " +
                          req_.unit_noun +
                          "s carry hours in steps too coarse or too constrained "
                          "(travel limit, locked units) for this band — widen the "
                          "tolerance, change the number of lots or relax the travel limit");
  }
  int units = 0;
  double hours = 0, far = 0, limit = 0;
  int example = -1;
  for (int u : active_units_) {
    const int l = s.lot[u];
    const double d = obj_.distance(s, l, u);
    if (g_.hours[u] > 0 && obj_.over(l, d) > 1e-6) {
      ++units;
      hours += g_.hours[u];
      if (d > far) far = d, example = u, limit = spec_[l].limit;
      if (tiers_mode_) travel_failed_part_ = spec_[l].part;
    }
  }
  throw InfeasibleError(
      "the travel limit of " + fmt_hours(limit) +
      " minutes cannot be met: the best plan found leaves " + plural(units, req_.unit_noun) + " (" +
      fmt_hours(hours) + " h) further from their lot's hub, e.g. " +
      (example >= 0 ? g_.id[example] + " at " + fmt_minutes_up(far) + " min" : std::string("?")) +
      "; raise max_travel_minutes or ask for more lots");
}

}  // namespace lotwright::geo::design_detail
