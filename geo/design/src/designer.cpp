// The lot designer (docs/designer.md): design() and Designer::run(), the orchestration.
//
// Outline: the unit graph is split into the parts no road joins (components()); lots are
// allotted to parts by hours (lots mode) or by tier bands (tiers mode) (problem.cpp).
// Several seeded starts (METIS k-way with contiguity on hour weights; capacitated growth
// from p-median seeds; starts.cpp) are each improved by boundary moves under one
// penalised objective (objective.hpp)
//   hours-weighted travel to hub + band violation + travel-limit violation (+ keep_from),
// with hubs re-centred (core's travel-time 1-median, core/hubs.hpp) between sweeps
// (local_search.cpp), then re-cut by location-allocation with prices (each unit to the lot
// minimising hub travel + a per-lot price, prices balancing hours; pieces repaired
// (repair.cpp); improved again) while that lowers the objective (relocate.cpp). The best
// feasible plan over the starts is kept (search.cpp). Everything is driven by a seeded
// generator and a fixed work budget, so results do not depend on timing or on the number
// of threads (threads only compute travel trees into fixed slots), unless a time limit
// cuts the search short.
#include "lotwright/design/designer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>

#include "lotwright/core/bands.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/design/exact.hpp"
#include "lotwright/metrics/hubs.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "outcome.hpp"
#include "problem.hpp"

namespace lotwright::geo {
namespace design_detail {

// Inputs checked, lots allotted and numbered, the designed units and the objective's
// weights set.
void Designer::prepare() {
  check_inputs();
  split_parts();
  if (!req_.locked.empty()) locked_ = req_.locked;
  if (!req_.keep_from.empty()) obj_.set_keep(req_.keep_from);
  if (tiers_mode_)
    allot_tiers_mode();
  else
    allot_lots_mode();
  assign_lot_ids();
  active_.assign(static_cast<std::size_t>(n_), 0);
  for (const auto& p : parts_)
    if (!p.stray)
      for (int u : p.units) active_[u] = 1, active_units_.push_back(u);
  std::sort(active_units_.begin(), active_units_.end());
  if (!locked_.empty())
    for (int u = 0; u < n_; ++u)
      if (!active_[u]) locked_[u] = kNoLot;
  obj_.set_weights();
}

// Studies on roads search on road travel; the biggest (and any whose road search leaves
// postcodes beyond the travel limit) search along chains of neighbouring postcodes.
State Designer::search_best(bool limited, double max_limit) {
  const bool roads = !g_.travel->road_parts().empty();
  const bool big_on_roads = roads && active_units_.size() > req_.adjacency_search_above;
  State best = search(big_on_roads, limited, max_limit);
  if (big_on_roads)
    note("a big study (over " + std::to_string(req_.adjacency_search_above) +
         " postcodes): lots were searched with travel along chains of neighbouring postcodes, "
         "then settled on road travel; the travel limit was checked on the roads, and the "
         "metrics use road travel");
  if (roads && limited && !big_on_roads && !obj_.feasible(best) && !time_up()) {
    double over_hours = 0;
    for (int u : active_units_)
      if (obj_.over(best.lot[u], obj_.distance(best, best.lot[u], u)) > 0)
        over_hours += g_.hours[u];
    // A unit no possible hub can serve within the limit (search() proved it after its starts)
    // makes every plan miss it: the second search could not mend that, so it is not run (the
    // Isle of Wight, demand seed 2, whose PO32 6NU no lot of allowed hours reaches).
    if (!unservable_proof_.empty()) {
      note("the search on road travel left " + fmt_hours(over_hours) +
           " h beyond the travel limit; no second search was run, as infeasibility is proved: " +
           unservable_proof_);
      return best;
    }
    State again = search(true, limited, max_limit);
    if (obj_.feasible(again) || obj_.total(again) < obj_.total(best)) {
      note("the search on road travel left " + fmt_hours(over_hours) +
           " h beyond the travel limit (lots held at the edges of their hours band); a second "
           "search along chains of neighbouring postcodes, settled on road travel, was kept");
      best = std::move(again);
    }
  }
  return best;
}

// The hard constraint the search keeps by construction, checked once more.
void Designer::check_contiguous(const State& best) const {
  for (int l = 0; l < k_; ++l)
    if (count_pieces(best.lot, l) != 1)
      throw InfeasibleError(
          "lot " + std::to_string(l + 1) + " could not be made one piece" +
          (locked_.empty()
               ? std::string()
               : ": its locked postcodes are cut apart by postcodes locked to other lots"));
}

void Designer::note_far_empty_postcodes(const State& best) {
  int far_units = 0;
  std::string examples;
  for (int u : active_units_) {
    const int l = best.lot[u];
    if (g_.hours[u] <= 0 && obj_.over(l, obj_.distance(best, l, u)) > 1e-6) {
      if (far_units < 3) examples += (examples.empty() ? "" : ", ") + g_.id[u];
      ++far_units;
    }
  }
  if (far_units > 0)
    note(with_commas(far_units) +
         " postcodes with no hours today lie beyond the travel limit "
         "from their lot's hub (e.g. " +
         examples + (far_units > 3 ? ", ..." : "") +
         "); the limit binds postcodes with hours only");
}

// Stray parts join the lot of the nearest designed unit (straight line).
void Designer::join_strays(Plan& plan, const State& best) {
  for (const auto& p : parts_) {
    if (!p.stray) continue;
    std::map<int, double> joined;
    for (int u : p.units) {
      int near = -1;
      double bd = kInf;
      for (int v : active_units_) {
        const double d = std::hypot(g_.site[u].x - g_.site[v].x, g_.site[u].y - g_.site[v].y);
        if (d < bd) bd = d, near = v;
      }
      if (near >= 0) {
        plan.lot_of[u] = best.lot[near];
        joined[best.lot[near]] += g_.hours[u];
      }
    }
    std::string to;
    for (const auto& [l, h] : joined) to += (to.empty() ? "" : ", ") + std::to_string(l + 1);
    note(p.where + " is joined to the rest by no road and holds " + fmt_hours(p.hours) +
         " h, too little for a lot: it joins the nearest lot (" +
         (to.empty() ? "none" : "lot " + to) + ") across the gap");
  }
}

// Number the free lots by their first postcode (locked / kept lots keep their numbers).
void Designer::number_lots(Plan& plan, State& best) {
  if (!obj_.keep().empty()) return;
  std::vector<char> fixed(static_cast<std::size_t>(k_), 0);
  if (!locked_.empty())
    for (int u : active_units_)
      if (locked_[u] != kNoLot) fixed[locked_[u]] = 1;
  std::vector<int> first(static_cast<std::size_t>(k_), n_);
  for (int u = n_ - 1; u >= 0; --u)
    if (plan.lot_of[u] != kNoLot) first[plan.lot_of[u]] = u;
  std::vector<int> free_ids, free_lots;
  for (int l = 0; l < k_; ++l)
    if (!fixed[l]) free_ids.push_back(l), free_lots.push_back(l);
  std::sort(free_lots.begin(), free_lots.end(), [&](int a, int b) { return first[a] < first[b]; });
  std::vector<int> map(static_cast<std::size_t>(k_));
  std::iota(map.begin(), map.end(), 0);
  for (std::size_t i = 0; i < free_lots.size(); ++i) map[free_lots[i]] = free_ids[i];
  for (auto& l : plan.lot_of)
    if (l != kNoLot) l = map[l];
  std::vector<int> hub(static_cast<std::size_t>(k_));
  std::vector<LotSpec> sp(static_cast<std::size_t>(k_));
  std::vector<double> hrs(static_cast<std::size_t>(k_));
  for (int l = 0; l < k_; ++l)
    hub[map[l]] = best.hub[l], sp[map[l]] = spec_[l], hrs[map[l]] = best.hours[l];
  plan.hub = hub;
  spec_ = sp;
  best.hours = hrs;
}

// Each lot's tier: its own, or the first whose band holds its hours.
void Designer::tag_tiers(Plan& plan, const State& best) const {
  plan.name.assign(static_cast<std::size_t>(k_), "");
  plan.tier.assign(static_cast<std::size_t>(k_), "");
  if (!tiers_mode_) return;
  const auto& tiers = req_.design.tiers;
  for (int l = 0; l < k_; ++l) {
    int t = spec_[l].tier;
    const double h = best.hours[l];
    // The one band rule (core/bands.hpp), as metrics judges the lot.
    if (!within_band(h, tier_band(tiers[t].min_hours, tiers[t].max_hours)))
      for (std::size_t i = 0; i < tiers.size(); ++i)
        if (within_band(h, tier_band(tiers[i].min_hours, tiers[i].max_hours))) {
          t = static_cast<int>(i);
          break;
        }
    plan.tier[l] = tiers[t].name;
  }
}

void Designer::note_parts() {
  int designed_parts = 0;
  for (const auto& p : parts_) designed_parts += !p.stray && p.lots > 0;
  if (designed_parts <= 1) return;
  std::string s = "the network falls into " + std::to_string(designed_parts) +
                  " parts that no road joins; each was designed on its own:";
  for (const auto& p : parts_)
    if (!p.stray)
      s += " " + p.where + " " + fmt_hours(p.hours) + " h → " + std::to_string(p.lots) +
           (p.lots == 1 ? " lot;" : " lots;");
  s.pop_back();
  note(s);
}

// The search judges travel from its own hubs; the plan is scored from its exact hubs (the
// travel-time 1-median among the units that keep the lot's hours within the limit,
// metrics/hubs.hpp), which can bring within the limit a postcode the search's hub left beyond
// it. Rutland's wards, 4 lots ±5%, 30 min, demand seed 1 (docs/rutland.md): the plan was
// written "feasible": false with no violation, and evaluate found it feasible. True (and the
// state on those hubs) when the exact hubs meet every constraint.
bool Designer::feasible_with_exact_hubs(State& s) {
  if (s.lot.empty() || !cache_) return false;
  std::vector<double> limits(static_cast<std::size_t>(k_));
  for (int l = 0; l < k_; ++l) limits[l] = spec_[l].limit;
  const auto hubs = exact_hubs_kept(s.lot, limits);
  State t = s;
  const auto trees = cache_->fetch(hubs);
  for (int l = 0; l < k_; ++l)
    if (hubs[l] >= 0) t.hub[l] = hubs[l], t.dist[l] = trees[l];
  if (!obj_.feasible(t)) return false;
  note(
      "the search's own hubs left a postcode beyond the travel limit; the plan's exact hubs "
      "meet every constraint");
  s = std::move(t);
  return true;
}

Plan Designer::run() {
  prepare();
  double max_limit = 0;
  bool limited = true;
  for (const auto& s : spec_) {
    if (std::isfinite(s.limit))
      max_limit = std::max(max_limit, s.limit);
    else
      limited = false;
  }
  State best = search_best(limited, max_limit);
  report_progress(req_.progress, "design", "exact polish");
  polish_exact(best);
  // A missed constraint no longer ends the design: the best plan is returned, flagged.
  if (!obj_.feasible(best) && !feasible_with_exact_hubs(best)) try {
      infeasible_after_search(best);
    } catch (const InfeasibleError& e) {
      if (report_) {
        report_->feasible = false;
        // The exact solve's proof, when it gave one, goes with the search's account.
        report_->reason = exact_infeasible_
                              ? std::string(e.what()) + " (infeasibility " + report_->reason + ")"
                              : e.what();
      }
      search_timed_out_ = hit_time_ || time_up();
    }
  check_contiguous(best);
  note_far_empty_postcodes(best);
  Plan plan;
  plan.lot_count = k_;
  plan.lot_of = best.lot;
  plan.hub = best.hub;
  plan.seed = req_.design.seed;
  join_strays(plan, best);
  number_lots(plan, best);
  tag_tiers(plan, best);
  note_parts();
  // The final hubs are the exact hubs evaluate computes for a plan without hubs
  // (metrics/hubs.hpp), whatever the size (40,000 postcodes: about 9 s of CPU on top of the
  // search, and 7% less travel than the search's own hubs). The hubs travel with the plan
  // (assignment.csv `hub`, plan.gpkg `hubs`), so design and evaluate score the plan alike.
  report_progress(req_.progress, "design", "exact hubs");
  std::vector<double> limits(static_cast<std::size_t>(k_));
  for (int l = 0; l < k_; ++l) limits[l] = lot_travel_limit(req_.design, plan.tier[l]);
  // On the road travel's own trees: the search's where it has them (the same minutes).
  if (const TreeCache* trees = road_trees())
    plan.hub = exact_hubs(g_, CachedFirst(*trees), plan.lot_of, k_, limits);
  else
    plan.hub = exact_hubs(g_, *g_.travel, plan.lot_of, k_, limits);
  // The certificate's gap is of the plan as returned (its hubs may have just improved).
  if (report_ && report_->lower_bound_min >= 0) {
    double wsum = 0;
    for (double w : design_weights(g_)) wsum += w;
    const double ours = plan_objective(g_, plan);
    if (ours > 0) report_->gap_pct = bound_gap_pct(ours, report_->lower_bound_min * wsum);
  }
  certify_lagrangian(plan);
  return plan;
}

}  // namespace design_detail

Plan design(const UnitGraph& g, const DesignRequest& request, DesignReport* report) {
  using design_detail::Clock;
  const auto t0 = Clock::now();
  // One deadline for the whole call (every try below): DesignRequest::time_limit_s, else
  // [design] time_limit_seconds; none when both are 0.
  const double limit_s =
      request.time_limit_s > 0 ? request.time_limit_s : request.design.time_limit_seconds;
  const auto deadline =
      limit_s > 0 && limit_s < 1e9
          ? t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limit_s))
          : Clock::time_point::max();
  // In tiers mode the designer picks the number of lots: when the fewest lots the bands
  // allow cannot keep the travel limit, it tries again with one more lot in that part (up
  // to three more), and says so. Lots mode keeps the number asked for.
  std::vector<int> extra;
  std::map<int, int> first_lots;  // part -> lots on the first try that missed the limit
  bool clock_stopped = false;     // a wall-clock stop in any try
  for (int attempt = 0;; ++attempt) {
    DesignReport local;
    design_detail::Designer d(g, request, &local, extra, deadline, limit_s);
    Plan p = d.run();  // throws only when no plan can be made
    clock_stopped = clock_stopped || d.clock_stopped();
    const int part = d.travel_failed_part();
    if (!local.feasible && part >= 0 && attempt < 3) {
      first_lots.emplace(part, d.part_lots(part));
      extra.resize(d.part_count(), 0);
      ++extra[static_cast<std::size_t>(part)];
      continue;
    }
    for (auto it = first_lots.rbegin(); it != first_lots.rend(); ++it)
      local.notes.insert(local.notes.begin(),
                         "the travel limit could not be met with " + std::to_string(it->second) +
                             " lots in " + d.part_name(it->first) + "; the plan has " +
                             std::to_string(d.part_lots(it->first)) +
                             " there (in tiers mode the designer picks the number of lots)");
    // The search's budget (search.cpp), or the caller's deadline when that is shorter.
    if (limit_s > 0 && (local.time_budget_s <= 0 || limit_s < local.time_budget_s))
      local.time_budget_s = limit_s;
    if (!local.feasible)
      design_detail::explain_failure(g, request, p, d.timed_out(), attempt, local);
    local.unit_noun = request.unit_noun;
    local.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    local.stopped_on_time = clock_stopped;
    if (report) *report = std::move(local);
    return p;
  }
}

}  // namespace lotwright::geo
