// Hub search: the travel-time 1-median of a lot among its units (core/hubs.hpp).
#include "lotwright/core/hubs.hpp"

#include <algorithm>
#include <cmath>

#include "lotwright/core/error.hpp"
#include "lotwright/core/parallel.hpp"

namespace lotwright::geo {
namespace {

// Per-unit marks shared by one call: the lot (index + 1) a unit belongs to, and whether it
// was tried as a hub. Cleared for the call's units on the way out.
struct Marks {
  std::vector<int>& lot;
  std::vector<char>& tried;
  const std::vector<std::vector<int>>& lots;
  Marks(std::vector<int>& l, std::vector<char>& t, const std::vector<std::vector<int>>& ls,
        std::size_t n)
      : lot(l), tried(t), lots(ls) {
    if (lot.size() < n) lot.resize(n, 0), tried.resize(n, 0);
  }
  ~Marks() {
    for (const auto& units : lots)
      for (int u : units) lot[u] = 0, tried[u] = 0;
  }
};

// The first candidates of one lot: `first`, then the units nearest its weighted centre.
std::vector<int> first_candidates(const UnitGraph& g, const std::vector<double>& w,
                                  const std::vector<int>& units, const HubSearch& s, int me,
                                  Marks& marks) {
  std::vector<int> cand;
  auto add = [&](int u) {
    if (marks.lot[u] == me && !marks.tried[u]) marks.tried[u] = 1, cand.push_back(u);
  };
  for (int u : s.first) add(u);
  double sx = 0, sy = 0, sw = 0;
  for (int u : units) {
    sx += w[u] * g.site[u].x;
    sy += w[u] * g.site[u].y;
    sw += w[u];
  }
  const double cx = sx / sw, cy = sy / sw;
  std::vector<std::pair<double, int>> near;
  near.reserve(units.size());
  for (int u : units) near.emplace_back(std::hypot(g.site[u].x - cx, g.site[u].y - cy), u);
  const std::size_t c = std::min(s.candidates, near.size());
  std::partial_sort(near.begin(), near.begin() + static_cast<long>(c), near.end());
  for (std::size_t i = 0; i < c; ++i) add(near[i].second);
  return cand;
}

// The untried neighbours of `from` inside the lot.
std::vector<int> walk_candidates(const UnitGraph& g, int from, int me, Marks& marks) {
  std::vector<int> cand;
  for (auto k = g.offsets[from]; k < g.offsets[from + 1]; ++k) {
    const int v = static_cast<int>(g.targets[k]);
    if (marks.lot[v] == me && !marks.tried[v]) marks.tried[v] = 1, cand.push_back(v);
  }
  return cand;
}

}  // namespace

std::vector<Hub> find_hubs(const UnitGraph& g, const TravelOracle& travel,
                           const std::vector<std::vector<int>>& lots,
                           const std::vector<HubSearch>& searches,
                           const std::function<void(const std::vector<int>&)>& prefetch) {
  if (searches.size() != lots.size()) throw DataError("find_hubs: one search per lot is needed");
  const std::size_t k = lots.size();
  std::vector<Hub> best(k);
  thread_local std::vector<int> lot_mark;
  thread_local std::vector<char> tried_mark;
  Marks marks(lot_mark, tried_mark, lots, g.size());
  for (std::size_t l = 0; l < k; ++l)
    for (int u : lots[l]) {
      if (marks.lot[u] != 0) throw DataError("find_hubs: the lots overlap");
      marks.lot[u] = static_cast<int>(l) + 1;
    }

  // cost of serving lot l from a hub with travel t (t[j] for lots[l][j]), summed in order.
  auto cost_of = [&](std::size_t l, const std::vector<float>& t) {
    const HubSearch& s = searches[l];
    const auto& w = s.weight ? *s.weight : g.hours;
    const double over_no_hours = s.over_cost * s.over_factor_no_hours;
    double c = 0;
    for (std::size_t j = 0; j < lots[l].size(); ++j) {
      const int u = lots[l][j];
      const double d = std::isfinite(t[j]) ? t[j] : s.unreachable_minutes;
      c += service_cost(w[u], d, s.limit_minutes, g.hours[u] > 0 ? s.over_cost : over_no_hours);
    }
    return c;
  };

  std::vector<std::vector<int>> cand(k);
  for (std::size_t l = 0; l < k; ++l)
    if (!lots[l].empty()) {
      const auto& w = searches[l].weight ? *searches[l].weight : g.hours;
      cand[l] = first_candidates(g, w, lots[l], searches[l], static_cast<int>(l) + 1, marks);
    }
  std::vector<char> walking(k, 1);
  for (int step = 0;; ++step) {
    // Every candidate of every lot, evaluated together.
    std::vector<std::pair<std::size_t, int>> all;
    for (std::size_t l = 0; l < k; ++l)
      for (int u : cand[l]) all.emplace_back(l, u);
    if (all.empty()) break;
    std::vector<double> cost(all.size());
    auto evaluate = [&](std::size_t i) {
      thread_local std::vector<float> t;
      const auto [l, u] = all[i];
      travel.times_to(u, lots[l], t, searches[l].tree_limit);
      cost[i] = cost_of(l, t);
    };
    if (prefetch) {
      std::vector<int> units;
      for (const auto& [l, u] : all) units.push_back(u);
      prefetch(units);
      for (std::size_t i = 0; i < all.size(); ++i) evaluate(i);
    } else {
      detail::parallel_for(all.size(), evaluate);
    }
    std::fill(walking.begin(), walking.end(), 0);
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto [l, u] = all[i];
      if (cost[i] < best[l].cost - 1e-9) best[l] = {u, cost[i]}, walking[l] = 1;
    }
    // Next: the untried neighbours of each lot's best unit, while it keeps improving.
    for (std::size_t l = 0; l < k; ++l) {
      cand[l].clear();
      if (walking[l] && step < searches[l].walk_steps)
        cand[l] = walk_candidates(g, best[l].unit, static_cast<int>(l) + 1, marks);
    }
  }
  return best;
}

Hub find_hub(const UnitGraph& g, const TravelOracle& travel, const std::vector<int>& units,
             const HubSearch& search) {
  return find_hubs(g, travel, {units}, {search}).front();
}

}  // namespace lotwright::geo
