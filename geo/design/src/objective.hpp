#pragma once
// The designer's one objective (docs/designer.md), minimised by every stage:
//   Σ_u service_cost(weight_u, travel from the hub of u's lot, the lot's limit, over_cost_u)
//   + band · Σ_l hours outside l's band + keep · weight of units moved from keep_from's lot
//   (+ dev · Σ_l (hours − target)² while the first sweeps balance the lots).
// service_cost and minutes_over are core's (core/hubs.hpp), so the hub search charges what
// the moves, the totals and the price assignment charge. Each use below keeps the order of
// its floating-point operations, so plans stay bit-identical to the former spelled-out
// copies.
#include <cmath>
#include <limits>
#include <vector>

#include "lotwright/core/hubs.hpp"
#include "lotwright/core/network.hpp"
#include "tree_cache.hpp"

namespace lotwright::geo::design_detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct LotSpec {
  double lo = 0, hi = 0, target = 0;
  double limit = kInf;  // travel minutes from hub
  int tier = -1;
  int part = 0;
};

struct Weights {
  double band = 1e5;  // per hour outside the band
  double over = 1e5;  // per minute beyond the travel limit, per unit
  double keep = 0;    // per hour moved away from keep_from's lot
  double dev = 0;     // lambda on (hours - target)^2
};

struct State {
  std::vector<int> lot;  // per unit; kNoLot for units outside the design
  std::vector<double> hours;
  std::vector<int> count;
  std::vector<int> hub;
  std::vector<Tree> dist;
};

class Objective {
 public:
  // The travel limit is hard for postcodes with hours; postcodes without demand today are
  // only pulled within it (a far, empty postcode must not make a design infeasible).
  static constexpr double kNoHoursOver = 1e-7;

  Objective(const UnitGraph& g, const std::vector<LotSpec>& spec,
            const std::vector<int>& active_units)
      : g_(g), spec_(spec), active_(active_units) {}

  // Travel weights: hours + eps, eps = 10⁻³ of the mean hours of the designed units (so
  // zero-hour units tie to compactness).
  void set_weights();
  void set_keep(std::vector<int> keep) { keep_ = std::move(keep); }
  const std::vector<int>& keep() const { return keep_; }

  Weights wt;
  double unreachable = 1e4;  // minutes charged where a hub's tree does not reach

  double weight(int u) const { return w_[u]; }
  const std::vector<double>& weights() const { return w_; }
  double eps() const { return eps_; }
  // Minutes from lot l's hub to u.
  double distance(const State& s, int l, int u) const {
    const float d = (*s.dist[l])[u];
    return std::isfinite(d) ? d : unreachable;
  }
  double over(int l, double d) const { return minutes_over(d, spec_[l].limit); }
  double over_weight(int u) const {
    if (excused(u)) return 0;
    return g_.hours[u] > 0 ? 1.0 : kNoHoursOver;
  }
  // A unit proved unservable (no possible hub serves it within the limit:
  // Designer::prove_unservable) breaches the limit in every plan, so its breach is not priced:
  // a constant of millions in every objective would swamp the relative tests that steer the
  // search (a kick within 0.3% of the best gets exact hubs). feasible() still counts it.
  void excuse(int u) {
    if (excused_.empty()) excused_.assign(g_.size(), 0);
    excused_[static_cast<std::size_t>(u)] = 1;
  }
  bool excused(int u) const { return !excused_.empty() && excused_[static_cast<std::size_t>(u)]; }
  // Price of one minute beyond the limit for unit u.
  double over_cost(int u) const { return wt.over * over_weight(u); }
  // Serving u from lot l's hub d minutes away (the hub search's sum, core/hubs.hpp).
  double unit_cost(int u, int l, double d) const {
    return service_cost(w_[u], d, spec_[l].limit, over_cost(u));
  }
  // The same, per unit of weight, with the limit softened 1000-fold: the price
  // assignment's base cost of lot l for u.
  double assign_cost(int u, int l, double d) const {
    return d + over_cost(u) * over(l, d) / w_[u] * 1e-3;
  }
  double viol(int l, double h) const {
    const auto& sp = spec_[l];
    return h > sp.hi + 1e-9 ? h - sp.hi : (h < sp.lo - 1e-9 ? sp.lo - h : 0.0);
  }
  double keep_cost(int u, int l) const {
    if (keep_.empty() || wt.keep == 0) return 0;
    return keep_[u] == l ? 0.0 : wt.keep * (g_.hours[u] + eps_);
  }
  // The hub search that minimises Σ unit_cost over lot l's units.
  HubSearch hub_search(int l) const;

  // Change of the objective when u moves from lot a to lot b.
  double move_delta(const State& s, int u, int a, int b) const;
  // The objective; optionally its travel, band and (hard) travel-limit parts.
  double total(const State& s, double* travel = nullptr, double* band = nullptr,
               double* overv = nullptr) const;
  bool feasible(const State& s) const;

 private:
  const UnitGraph& g_;
  const std::vector<LotSpec>& spec_;
  const std::vector<int>& active_;
  std::vector<int> keep_;
  std::vector<char> excused_;
  std::vector<double> w_;
  double eps_ = 1e-6;
};

}  // namespace lotwright::geo::design_detail
