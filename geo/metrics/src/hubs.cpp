// The exact hub of a lot (metrics/hubs.hpp): a bound-pruned travel-time 1-median.
#include "lotwright/metrics/hubs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "lotwright/core/hubs.hpp"
#include "lotwright/core/parallel.hpp"

namespace lotwright::geo {
namespace {

constexpr double kInfCost = std::numeric_limits<double>::infinity();

// One lot's search: its units, their weights, its hours units and the limit.
struct LotSearch {
  const TravelOracle& travel;
  const std::vector<int>& units;
  std::vector<double> w;      // per entry of units
  std::vector<int> hours_at;  // indices into units of the units with hours
  double limit;
  double unreachable = HubSearch{}.unreachable_minutes;

  std::vector<std::int64_t> part;  // road part per site (empty: not on roads)

  // Whether no road joins c to u (different road parts, or either off the roads).
  bool apart(int c, int u) const {
    return !part.empty() && u != c && part[c] >= 0 && part[u] >= 0 && part[c] != part[u];
  }
  // Σ weight × minutes from c (unreachable charged `unreachable`), in the order of units.
  // qualifies: every unit with hours is within the limit.
  double cost(int c, bool* qualifies) const {
    thread_local std::vector<float> t;
    travel.tree(c, t);
    double s = 0;
    bool ok = true;
    for (std::size_t j = 0; j < units.size(); ++j) {
      const float d = t[units[j]];
      s += w[j] * (std::isfinite(d) ? d : unreachable);
    }
    for (int j : hours_at) ok = ok && std::isfinite(t[units[j]]) && t[units[j]] <= limit + 1e-6;
    if (qualifies) *qualifies = ok;
    return s;
  }
  // A lower bound on cost(c): a search bounded at radius r charges r beyond it (and the
  // full charge where no road joins them).
  double bound(int c, double r) const {
    thread_local std::vector<float> t;
    travel.tree(c, t, static_cast<float>(r));
    double s = 0;
    for (std::size_t j = 0; j < units.size(); ++j) {
      const float d = t[units[j]];
      s += w[j] *
           (std::isfinite(d) ? std::min<double>(d, r) : (apart(c, units[j]) ? unreachable : r));
    }
    return s;
  }
  // Whether every unit with hours is within the limit of c (one search bounded at it).
  bool qualifies(int c) const {
    thread_local std::vector<int> targets;
    thread_local std::vector<float> t;
    targets.clear();
    for (int j : hours_at) targets.push_back(units[j]);
    travel.times_to(c, targets, t, static_cast<float>(limit + 1e-3));
    for (float d : t)
      if (!std::isfinite(d) || d > limit + 1e-6) return false;
    return true;
  }
};

// The first candidate in `order` of least cost among those `allowed` (all when null); a later
// one wins only when cheaper by more than 1e-9. Candidates go in batches across the cores:
// each is first bounded at twice the incumbent's mean minutes and dropped when the bound
// already reaches the incumbent, else costed in full.
int best_of(const LotSearch& s, const std::vector<int>& order, double total_w,
            const std::vector<char>* allowed, bool* best_qualifies) {
  int best = -1;
  double best_cost = kInfCost;
  bool best_q = false;
  const std::size_t batch = 4 * std::max(1u, detail::worker_count());
  std::vector<int> cand;
  for (std::size_t i = 0; i < order.size();) {
    cand.clear();
    for (; i < order.size() && cand.size() < batch; ++i)
      if (!allowed || (*allowed)[i]) cand.push_back(order[i]);
    if (cand.empty()) continue;
    const double r = std::isfinite(best_cost) ? 2 * best_cost / total_w : kInfCost;
    std::vector<double> cost(cand.size(), kInfCost);
    std::vector<char> q(cand.size(), 0);
    const double incumbent = best_cost;
    detail::parallel_for(cand.size(), [&](std::size_t j) {
      if (std::isfinite(incumbent) && r < s.unreachable && s.bound(cand[j], r) >= incumbent - 1e-9)
        return;
      bool ok = false;
      cost[j] = s.cost(cand[j], &ok);
      q[j] = ok;
    });
    for (std::size_t j = 0; j < cand.size(); ++j)
      if (cost[j] < best_cost - 1e-9) best_cost = cost[j], best = cand[j], best_q = q[j];
  }
  if (best_qualifies) *best_qualifies = best_q;
  return best;
}

}  // namespace

double lot_travel_limit(const DesignConfig& design, const std::string& tier) {
  double limit = design.max_travel_minutes;
  for (const auto& t : design.tiers)
    if (t.name == tier && t.max_travel_minutes) limit = *t.max_travel_minutes;
  return limit > 0 ? limit : kInfCost;
}

std::vector<double> hub_weights(const UnitGraph& g) {
  const std::size_t n = g.size();
  double total = 0;
  for (std::size_t u = 0; u < n; ++u) total += g.hours[u];
  const double eps = 1e-3 * (n ? total / static_cast<double>(n) : 0) + 1e-9;
  std::vector<double> w(n);
  for (std::size_t u = 0; u < n; ++u) w[u] = g.hours[u] + eps;
  return w;
}

int exact_hub(const UnitGraph& g, const TravelOracle& travel, const std::vector<int>& units,
              const std::vector<double>& weight, double limit_minutes) {
  if (units.empty()) return -1;
  if (units.size() == 1) return units[0];
  LotSearch s{travel, units, {}, {}, limit_minutes, HubSearch{}.unreachable_minutes, {}};
  s.part = travel.road_parts();
  double sx = 0, sy = 0, total_w = 0;
  for (std::size_t j = 0; j < units.size(); ++j) {
    const int u = units[j];
    s.w.push_back(weight[u]);
    if (g.hours[u] > 0) s.hours_at.push_back(static_cast<int>(j));
    sx += weight[u] * g.site[u].x, sy += weight[u] * g.site[u].y, total_w += weight[u];
  }
  // Candidates nearest the weighted centre first: a good incumbent early prunes the rest.
  const double cx = sx / total_w, cy = sy / total_w;
  std::vector<std::pair<double, int>> near;
  for (int u : units) near.emplace_back(std::hypot(g.site[u].x - cx, g.site[u].y - cy), u);
  std::sort(near.begin(), near.end());
  std::vector<int> order;
  for (const auto& [d, u] : near) order.push_back(u);

  bool q = false;
  const int plain = best_of(s, order, total_w, nullptr, &q);
  if (q || !std::isfinite(limit_minutes) || s.hours_at.empty()) return plain;
  // The plain 1-median breaks the limit: the best among the units that keep it, if any.
  std::vector<char> allowed(order.size(), 0);
  detail::parallel_for(order.size(), [&](std::size_t i) { allowed[i] = s.qualifies(order[i]); });
  if (std::find(allowed.begin(), allowed.end(), 1) == allowed.end()) return plain;
  return best_of(s, order, total_w, &allowed, nullptr);
}

std::vector<int> exact_hubs(const UnitGraph& g, const TravelOracle& travel,
                            const std::vector<int>& lot_of, int lot_count,
                            const std::vector<double>& limit_minutes) {
  std::vector<std::vector<int>> members(static_cast<std::size_t>(std::max(lot_count, 0)));
  for (std::size_t u = 0; u < lot_of.size() && u < g.size(); ++u)
    if (lot_of[u] >= 0 && lot_of[u] < lot_count) members[lot_of[u]].push_back(static_cast<int>(u));
  const auto w = hub_weights(g);
  std::vector<int> hub(members.size(), -1);
  for (std::size_t l = 0; l < members.size(); ++l)
    hub[l] =
        exact_hub(g, travel, members[l], w, l < limit_minutes.size() ? limit_minutes[l] : kInfCost);
  return hub;
}

}  // namespace lotwright::geo
