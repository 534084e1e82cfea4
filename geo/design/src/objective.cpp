// The designer's objective (objective.hpp).
#include "objective.hpp"

#include <algorithm>

namespace lotwright::geo::design_detail {

void Objective::set_weights() {
  double hsum = 0;
  for (int u : active_) hsum += g_.hours[u];
  eps_ = 1e-3 * hsum / std::max<std::size_t>(1, active_.size()) + 1e-9;
  w_.assign(g_.size(), 0);
  for (std::size_t u = 0; u < g_.size(); ++u) w_[u] = g_.hours[u] + eps_;
}

HubSearch Objective::hub_search(int l) const {
  HubSearch s;
  s.weight = &w_;
  s.limit_minutes = spec_[l].limit;
  s.over_cost = wt.over;
  s.over_factor_no_hours = kNoHoursOver;
  s.unreachable_minutes = unreachable;
  return s;
}

double Objective::move_delta(const State& s, int u, int a, int b) const {
  const double h = g_.hours[u];
  const double da = distance(s, a, u), db = distance(s, b, u);
  double d = w_[u] * (db - da);
  d += over_cost(u) * (over(b, db) - over(a, da));
  d += wt.band * (viol(b, s.hours[b] + h) - viol(b, s.hours[b]) + viol(a, s.hours[a] - h) -
                  viol(a, s.hours[a]));
  if (wt.dev > 0) {
    const double ta = spec_[a].target, tb = spec_[b].target;
    const double ea = s.hours[a] - ta, eb = s.hours[b] - tb;
    d += wt.dev * ((ea - h) * (ea - h) - ea * ea + (eb + h) * (eb + h) - eb * eb);
  }
  d += keep_cost(u, b) - keep_cost(u, a);
  return d;
}

double Objective::total(const State& s, double* travel, double* band, double* overv) const {
  double t = 0, o = 0, b = 0, k = 0, soft = 0;
  for (int u : active_) {
    const int l = s.lot[u];
    const double d = distance(s, l, u);
    t += w_[u] * d;
    if (excused(u)) {
      // an excused breach is not priced (objective.hpp); feasible() counts it
    } else if (g_.hours[u] > 0) {
      o += over(l, d);
    } else {
      soft += over_weight(u) * over(l, d);
    }
    k += keep_cost(u, l);
  }
  for (std::size_t l = 0; l < spec_.size(); ++l) b += viol(static_cast<int>(l), s.hours[l]);
  if (travel) *travel = t;
  if (band) *band = b;
  if (overv) *overv = o;
  return t + wt.over * (o + soft) + wt.band * b + k;
}

bool Objective::feasible(const State& s) const {
  double b = 0, o = 0;
  total(s, nullptr, &b, &o);
  if (b > 1e-6 || o > 1e-6) return false;
  if (!excused_.empty())
    for (int u : active_)
      if (excused(u) && over(s.lot[u], distance(s, s.lot[u], u)) > 1e-6) return false;
  return true;
}

}  // namespace lotwright::geo::design_detail
