// The exact hub of a lot (metrics/hubs.hpp): a travel-time 1-median found by branch and
// bound. Lower bounds come from the triangle inequality over a few landmark trees
// (d(c,u) >= d(L,u) - d(L,c) for every landmark L, directed, so one-way streets are fine);
// candidates are costed in full in the order of their bound, and the search stops when the
// next bound already reaches the best cost found. Every unit of the lot is a candidate.
#include "lotwright/metrics/hubs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "lotwright/core/hubs.hpp"
#include "lotwright/core/parallel.hpp"

namespace lotwright::geo {
namespace {

constexpr double kInfCost = std::numeric_limits<double>::infinity();

// One lot's search: its units (the candidates too), their weights, its hours units and the
// limit, and the landmark trees the bounds come from.
struct LotSearch {
  const TravelOracle& travel;
  const std::vector<int>& units;
  std::vector<double> w;      // per entry of units
  std::vector<int> hours_at;  // indices into units of the units with hours
  double limit = kInfCost;
  double unreachable = HubSearch{}.unreachable_minutes;
  float radius = kUnreachable;         // trees are searched this far first
  std::vector<std::vector<float>> lm;  // landmark trees, over the entries of units

  // Σ weight × minutes over a tree (unreachable charged `unreachable`); qualifies: every
  // unit with hours is within the limit.
  double cost_of(const std::vector<float>& t, bool* qualifies) const {
    double s = 0;
    for (std::size_t j = 0; j < units.size(); ++j)
      s += w[j] * (std::isfinite(t[j]) ? t[j] : unreachable);
    bool ok = true;
    for (int j : hours_at) ok = ok && std::isfinite(t[j]) && t[j] <= limit + 1e-6;
    *qualifies = ok;
    return s;
  }
  // Minutes from units[i] to every entry of units (out), its cost and whether it qualifies.
  // The tree is searched to `radius` first, then (when it left out a unit) to kWider times
  // that, then in full. When a search left out a unit, what it reached gives a lower bound
  // (its radius charged beyond it), and the candidate is dropped (cost +inf) when that bound
  // is above `incumbent`. A bounded search that reaches every unit gives the full search's
  // minutes, so the costs do not depend on the steps (150,000 postcodes, 111 lots: 1,572
  // full searches of ~40 ms each became 1,461 to 3 × radius and 111 in full). (Road parts are not
  // trusted to say what no road joins: a postcode far from the roads may be in none and
  // still reached.)
  static constexpr float kWider = 3;
  double cost(std::size_t i, double incumbent, bool* qualifies, std::vector<float>& out) const {
    thread_local std::vector<float> t;
    const int c = units[i];
    out.resize(units.size());
    const float wide = kWider * radius;
    const bool staged = std::isfinite(wide) && wide < unreachable;
    for (const float r : {radius, staged ? wide : kUnreachable, kUnreachable}) {
      travel.tree(c, t, r);
      bool missed = false;
      double reached = 0;
      for (std::size_t j = 0; j < units.size(); ++j) {
        out[j] = t[units[j]];
        missed = missed || !std::isfinite(out[j]);
        reached += w[j] * (std::isfinite(out[j]) ? out[j] : r);
      }
      if (!missed || !std::isfinite(r)) break;
      if (reached * (1 - 1e-6) > incumbent + 1e-9) {
        *qualifies = false;
        return kInfCost;
      }
    }
    return cost_of(out, qualifies);
  }
  // A lower bound on the cost of units[i] from the landmarks (d(c,u) >= d(L,u) - d(L,c);
  // a landmark tree bounded at `radius` says at least `radius` where it did not reach), and
  // whether some unit with hours is surely beyond the limit.
  double bound(std::size_t i, bool* surely_out) const {
    thread_local std::vector<float> m;
    m.assign(units.size(), 0.f);
    for (const auto& d : lm) {
      const float dc = d[i];
      if (!std::isfinite(dc)) continue;
      for (std::size_t j = 0; j < units.size(); ++j)
        m[j] = std::max(m[j], std::min(d[j], radius) - dc);
    }
    double s = 0;
    for (std::size_t j = 0; j < units.size(); ++j) s += w[j] * static_cast<double>(m[j]);
    bool out = false;
    for (int j : hours_at) out = out || m[j] > limit + 1e-3 + 1e-5 * limit;
    if (surely_out) *surely_out = out;
    // Trees are sums of floats: allow for their rounding.
    return s * (1 - 1e-5) - 1e-6;
  }
};

// Landmarks spread over the lot (straight line): the unit nearest its centre (order[0]),
// then again and again the unit furthest from those chosen.
std::vector<std::size_t> pick_landmarks(const UnitGraph& g, const std::vector<int>& units,
                                        std::size_t first, std::size_t count) {
  std::vector<std::size_t> pick{first};
  std::vector<double> near(units.size(), kInfCost);
  while (pick.size() < std::min(count, units.size())) {
    const Point& p = g.site[units[pick.back()]];
    std::size_t far = 0;
    for (std::size_t j = 0; j < units.size(); ++j) {
      near[j] = std::min(near[j], std::hypot(g.site[units[j]].x - p.x, g.site[units[j]].y - p.y));
      if (near[j] > near[far]) far = j;
    }
    if (near[far] <= 0) break;
    pick.push_back(far);
  }
  return pick;
}

// The best candidate: least cost among those that qualify when `only_qualifying`, else
// among all; ties (within 1e-9) go to the lower rank. Candidates are taken in the order of
// their first bounds; each bound is brought up to date with the landmarks added since
// (every costed candidate's tree becomes one, up to kMaxLandmarks) and the candidate
// dropped when it reaches the best cost, else costed (in batches across the cores). The
// search ends when the next first bound reaches the best cost.
struct Best {
  std::size_t at = 0;
  double cost = kInfCost;
  bool found = false;
};
constexpr std::size_t kMaxLandmarks = 64;
Best branch_and_bound(LotSearch& s, const std::vector<std::size_t>& by_bound,
                      const std::vector<double>& lb, const std::vector<std::size_t>& rank,
                      std::vector<double>& cost, std::vector<signed char>& q,
                      bool only_qualifying) {
  Best b;
  auto take = [&](std::size_t i) {
    if ((only_qualifying && q[i] != 1) || !std::isfinite(cost[i])) return;
    if (!b.found || cost[i] < b.cost - 1e-9 || (cost[i] <= b.cost + 1e-9 && rank[i] < rank[b.at]))
      b.at = i, b.cost = cost[i], b.found = true;
  };
  for (std::size_t i = 0; i < cost.size(); ++i)
    if (q[i] >= 0) take(i);  // already costed
  const std::size_t batch = 2 * std::max(1u, detail::core_count());
  std::vector<std::size_t> todo;
  std::vector<std::vector<float>> trees;
  std::vector<std::size_t> seen(cost.size(), 0);  // landmarks behind up[i]
  std::vector<double> up = lb;                    // lb brought up to date
  for (std::size_t k = 0; k < by_bound.size();) {
    todo.clear();
    for (; k < by_bound.size() && todo.size() < batch; ++k) {
      const std::size_t i = by_bound[k];
      if (b.found && lb[i] > b.cost + 1e-9) {  // the first bounds are in order
        k = by_bound.size();
        break;
      }
      if (q[i] >= 0) continue;
      if (seen[i] < s.lm.size())
        up[i] = std::max(up[i], s.bound(i, nullptr)), seen[i] = s.lm.size();
      if (b.found && up[i] > b.cost + 1e-9) continue;
      todo.push_back(i);
    }
    trees.resize(todo.size());
    const double incumbent = b.found ? b.cost : kInfCost;
    detail::parallel_for(todo.size(), [&](std::size_t t) {
      bool ok = false;
      cost[todo[t]] = s.cost(todo[t], incumbent, &ok, trees[t]);
      q[todo[t]] = ok ? 1 : 0;
    });
    for (std::size_t t = 0; t < todo.size(); ++t) {
      take(todo[t]);
      if (s.lm.size() < kMaxLandmarks) s.lm.push_back(std::move(trees[t]));
    }
  }
  return b;
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
  const std::size_t n = units.size();
  LotSearch s{travel, units, {}, {}, limit_minutes, HubSearch{}.unreachable_minutes, {}, {}};
  double sx = 0, sy = 0, total_w = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const int u = units[j];
    s.w.push_back(weight[u]);
    if (g.hours[u] > 0) s.hours_at.push_back(static_cast<int>(j));
    sx += weight[u] * g.site[u].x, sy += weight[u] * g.site[u].y, total_w += weight[u];
  }
  // Rank: nearest the weighted centre first (the tie rule), then the lower unit index.
  const double cx = sx / total_w, cy = sy / total_w;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<double> dc(n);
  for (std::size_t j = 0; j < n; ++j)
    dc[j] = std::hypot(g.site[units[j]].x - cx, g.site[units[j]].y - cy);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return dc[a] != dc[b] ? dc[a] < dc[b] : units[a] < units[b];
  });
  std::vector<std::size_t> rank(n);
  for (std::size_t r = 0; r < n; ++r) rank[order[r]] = r;

  // The unit nearest the centre is costed in full; its reach sizes the radius of every other
  // search. It and units spread over the lot are the first landmarks (costed too).
  std::vector<double> cost(n, kInfCost);
  std::vector<signed char> q(n, -1);  // -1: not costed; 0/1: costed, qualifies
  const std::size_t nl = n > 20000 ? 6 : (n > 5000 ? 10 : 16);
  const auto marks = pick_landmarks(g, units, order[0], nl);
  s.lm.resize(marks.size());
  auto one = [&](std::size_t m) {
    bool ok = false;
    cost[marks[m]] = s.cost(marks[m], kInfCost, &ok, s.lm[m]);
    q[marks[m]] = ok ? 1 : 0;
  };
  one(0);
  float reach = 0;
  for (float d : s.lm[0])
    if (std::isfinite(d)) reach = std::max(reach, d);
  s.radius = 1.1f * reach + 0.5f;
  detail::parallel_for(marks.size() - 1, [&](std::size_t m) { one(m + 1); });

  std::vector<double> lb(n);
  std::vector<char> out(n);
  detail::parallel_for(n, [&](std::size_t i) {
    bool o = false;
    lb[i] = s.bound(i, &o);
    out[i] = o;
  });
  std::vector<std::size_t> by_bound(n);
  std::iota(by_bound.begin(), by_bound.end(), std::size_t{0});
  std::sort(by_bound.begin(), by_bound.end(), [&](std::size_t a, std::size_t b) {
    return lb[a] != lb[b] ? lb[a] < lb[b] : rank[a] < rank[b];
  });
  if (std::isfinite(limit_minutes) && !s.hours_at.empty()) {
    // Among the units that may keep the limit first; the rest cannot qualify.
    std::vector<std::size_t> may;
    for (std::size_t i : by_bound)
      if (!out[i]) may.push_back(i);
    const Best b = branch_and_bound(s, may, lb, rank, cost, q, true);
    if (b.found) return units[b.at];
  }
  const Best b = branch_and_bound(s, by_bound, lb, rank, cost, q, false);
  return units[b.found ? b.at : order[0]];
}

std::vector<int> exact_hubs_of(const UnitGraph& g, const TravelOracle& travel,
                               const std::vector<std::vector<int>>& members,
                               const std::vector<double>& weight,
                               const std::vector<double>& limit_minutes) {
  const std::size_t k = members.size();
  std::vector<int> hub(k, -1);
  auto one = [&](std::size_t l) {
    hub[l] = exact_hub(g, travel, members[l], weight,
                       l < limit_minutes.size() ? limit_minutes[l] : kInfCost);
  };
  // Few lots: one at a time, each searched on every core (its candidates in batches). More
  // lots than twice the cores: the lots themselves spread over the cores (each searched on
  // one), biggest first so the last lot to finish is a small one; a lot's serial steps (its
  // first tree, the bounds between batches) then overlap another lot's. Each lot's search is
  // the same either way (its batches are sized by core_count(), not by who runs it) and
  // writes only its own slot, so the hubs do not depend on the number of threads.
  const unsigned workers = detail::worker_count();
  if (k < 2 * static_cast<std::size_t>(workers) || detail::in_parallel_for) {
    for (std::size_t l = 0; l < k; ++l) one(l);
    return hub;
  }
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return members[a].size() > members[b].size();
  });
  detail::parallel_for(
      k, [&](std::size_t i) { one(order[i]); }, workers);
  return hub;
}

std::vector<int> exact_hubs(const UnitGraph& g, const TravelOracle& travel,
                            const std::vector<int>& lot_of, int lot_count,
                            const std::vector<double>& limit_minutes) {
  std::vector<std::vector<int>> members(static_cast<std::size_t>(std::max(lot_count, 0)));
  for (std::size_t u = 0; u < lot_of.size() && u < g.size(); ++u)
    if (lot_of[u] >= 0 && lot_of[u] < lot_count) members[lot_of[u]].push_back(static_cast<int>(u));
  return exact_hubs_of(g, travel, members, hub_weights(g), limit_minutes);
}

}  // namespace lotwright::geo
