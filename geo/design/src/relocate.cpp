// Location-allocation with prices (docs/designer.md, "How", step 4): a re-cut of the plan
// around its hubs, repaired and improved again while that lowers the objective.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "problem.hpp"

namespace lotwright::geo::design_detail {

// Location-allocation with prices: every unit goes to the lot minimising
//   travel from the lot's hub + the lot's price (minutes),
// prices rising on lots above their target and falling below it until hours balance. With
// travel measured along roads, a unit's lot is also the lot of every unit on its shortest
// path from the hub, so lots come out (almost always) in one piece; stray pieces are
// repaired. Returns the assignment closest to balance.
std::vector<int> Designer::price_assign(const State& s) {
  // Each unit's few nearest lots (by its travel from their hubs) with their base cost; the
  // price iterations then only look at those.
  const std::size_t na = active_units_.size();
  const int C = std::min(k_, 6);
  std::vector<int> cand(na * static_cast<std::size_t>(C), kNoLot);
  std::vector<double> base(na * static_cast<std::size_t>(C), kInf);
  double mean_d = 0, wsum = 0;
  for (std::size_t i = 0; i < na; ++i) {
    const int u = active_units_[i];
    mean_d += obj_.weight(u) * obj_.distance(s, s.lot[u], u), wsum += obj_.weight(u);
    if (!locked_.empty() && locked_[u] != kNoLot) {
      cand[i * C] = locked_[u];
      base[i * C] = 0;
      continue;
    }
    int* cl = &cand[i * C];
    double* cb = &base[i * C];
    for (int m : parts_[comp_[u]].lot_ids) {
      const double c = obj_.assign_cost(u, m, obj_.distance(s, m, u));
      if (c >= cb[C - 1]) continue;
      int j = C - 1;
      while (j > 0 && cb[j - 1] > c) cb[j] = cb[j - 1], cl[j] = cl[j - 1], --j;
      cb[j] = c, cl[j] = m;
    }
  }
  mean_d = wsum > 0 ? mean_d / wsum : 1;
  std::vector<double> price(static_cast<std::size_t>(k_), 0);
  std::vector<int> lot(static_cast<std::size_t>(n_), kNoLot), best_lot;
  double best_err = kInf;
  double band = kInf;
  for (int l = 0; l < k_; ++l)
    band = std::min(band, (spec_[l].hi - spec_[l].lo) / std::max(2 * spec_[l].target, 1e-9));
  double step = std::max(0.5, mean_d);
  std::vector<double> h(static_cast<std::size_t>(k_));
  for (int it = 0; it < 80; ++it) {
    std::fill(h.begin(), h.end(), 0.0);
    for (std::size_t i = 0; i < na; ++i) {
      const int* cl = &cand[i * C];
      const double* cb = &base[i * C];
      int l = cl[0];
      double bc = cb[0] + price[l];
      for (int j = 1; j < C && cl[j] != kNoLot; ++j)
        if (cb[j] + price[cl[j]] < bc) bc = cb[j] + price[cl[j]], l = cl[j];
      lot[active_units_[i]] = l;
      h[l] += g_.hours[active_units_[i]];
    }
    double err = 0;
    for (int l = 0; l < k_; ++l)
      err = std::max(err, std::abs(h[l] - spec_[l].target) / std::max(spec_[l].target, 1e-9));
    if (err < best_err) best_err = err, best_lot = lot;
    if (err < 0.4 * band) break;
    for (int l = 0; l < k_; ++l)
      price[l] += step * (h[l] - spec_[l].target) / std::max(spec_[l].target, 1e-9);
    step *= 0.93;
  }
  return best_lot;
}

// Rounds of price assignment -> contiguity repair -> hubs -> local search; the state is
// replaced when the objective improves.
bool Designer::relocate(State& s, Rng& rng, int rounds, int sweeps) {
  bool improved = false;
  std::vector<double> targets(static_cast<std::size_t>(k_));
  for (int l = 0; l < k_; ++l) targets[l] = spec_[l].target;
  std::vector<int> all(static_cast<std::size_t>(k_));
  std::iota(all.begin(), all.end(), 0);
  for (int r = 0; r < rounds && !time_up(); ++r) {
    // Lloyd steps: assign by price, re-centre hubs on the assignment, until hubs settle.
    State t = s;
    for (int step = 0; step < 6; ++step) {
      t.lot = price_assign(t);
      std::fill(t.hours.begin(), t.hours.end(), 0.0);
      std::fill(t.count.begin(), t.count.end(), 0);
      for (int u : active_units_) t.hours[t.lot[u]] += g_.hours[u], ++t.count[t.lot[u]];
      bool empty = false;
      for (int l = 0; l < k_; ++l) empty = empty || t.count[l] == 0;
      if (empty) break;
      const auto before = t.hub;
      for (int l = 0; l < k_; ++l)
        if (t.hub[l] >= 0 && t.lot[t.hub[l]] != l) t.hub[l] = -1;
      update_hubs(t, all);
      if (t.hub == before) break;
    }
    std::vector<int> lot = t.lot;
    repair_pieces(lot);
    fill_unassigned(lot, targets);
    join_locked(lot, targets);
    State u;
    u.lot = lot;
    init_state(u);
    bool empty = false;
    for (int l = 0; l < k_; ++l) empty = empty || u.count[l] == 0;
    if (empty) break;
    improve(u, rng, sweeps);
    if (obj_.total(u) < obj_.total(s) - 1e-6 * std::max(1.0, std::abs(obj_.total(s)))) {
      s = std::move(u);
      improved = true;
    } else {
      break;
    }
  }
  return improved;
}

}  // namespace lotwright::geo::design_detail
