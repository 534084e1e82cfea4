// Local search (docs/designer.md, "How", step 3): boundary moves that keep lots in one
// piece, under the objective (objective.hpp), with hubs re-centred between sweeps by
// core's hub search (core/hubs.hpp).
#include <algorithm>
#include <limits>
#include <numeric>

#include "lotwright/core/hubs.hpp"
#include "lotwright/metrics/hubs.hpp"
#include "problem.hpp"

namespace lotwright::geo::design_detail {

// Removing u from lot a keeps a in one piece? Neighbours of u in a must stay joined without
// u. First a cheap test on u's ring, then a bounded search (a failed bound says "no").
bool Designer::keeps_connected(const State& s, int u, int a) {
  int nb[64];
  int m = 0;
  for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
    const int v = static_cast<int>(g_.targets[k]);
    if (s.lot[v] == a) {
      if (m == 64) return false;
      nb[m++] = v;
    }
  }
  if (m <= 1) return true;
  // Cheap test: the neighbours are joined to each other directly (adjacency lists are sorted).
  {
    int root[64];
    for (int i = 0; i < m; ++i) root[i] = i;
    auto find = [&](int i) {
      while (root[i] != i) i = root[i] = root[root[i]];
      return i;
    };
    int groups = m;
    for (int i = 0; i < m && groups > 1; ++i) {
      const auto* b = g_.targets.data() + g_.offsets[nb[i]];
      const auto* e = g_.targets.data() + g_.offsets[nb[i] + 1];
      for (int j = i + 1; j < m; ++j) {
        if (find(i) == find(j)) continue;
        if (std::binary_search(b, e, static_cast<std::uint32_t>(nb[j]))) {
          root[find(i)] = find(j);
          --groups;
        }
      }
    }
    if (groups == 1) return true;
  }
  // Search from nb[0] inside lot a without u until every other neighbour is reached; past
  // kCap units queued it gives up ("no"). It runs in steps that resume where they stopped,
  // so its answer is the plain search's; between them, short searches from the neighbours
  // not yet reached may prove one cut off (its piece used up without meeting the first
  // search): then the answer is "no" without the first search queuing kCap units of the
  // other side (a cut vertex with nb[0] on the big side was the costly case).
  if (++stamp_now_ == std::numeric_limits<int>::max()) {
    std::fill(stamp_.begin(), stamp_.end(), 0);
    stamp_now_ = 1;
  }
  const int mark = stamp_now_;
  stamp_[u] = mark;
  int remaining = m - 1;
  for (int i = 1; i < m; ++i) stamp_[nb[i]] = -mark;  // targets
  static thread_local std::vector<int> queue;
  queue.clear();
  queue.push_back(nb[0]);
  stamp_[nb[0]] = mark;
  constexpr std::size_t kCap = 1500, kFirst = 48, kProbe = 200;
  bool ok = false, done = false;
  std::size_t qi = 0;
  // The search from nb[0] until it has queued more than `until` units (or ends: done).
  const auto search = [&](std::size_t until) {
    while (qi < queue.size()) {
      const int x = queue[qi++];
      for (auto k = g_.offsets[x]; k < g_.offsets[x + 1]; ++k) {
        const int v = static_cast<int>(g_.targets[k]);
        if (s.lot[v] != a || stamp_[v] == mark) continue;
        if (stamp_[v] == -mark && --remaining == 0) {
          ok = true;
          break;
        }
        stamp_[v] = mark;
        queue.push_back(v);
      }
      if (ok || queue.size() > kCap) break;
      if (queue.size() > until) return;
    }
    done = true;
  };
  // A neighbour's own search: true when its piece of lot a without u runs out (under kProbe
  // units) before meeting a unit the first search queued, so no path joins it to nb[0].
  static thread_local std::vector<int> seen, probe;
  static thread_local int seen_now = 0;
  const auto cut_off = [&](int t) {
    if (seen.size() < stamp_.size()) seen.assign(stamp_.size(), 0), seen_now = 0;
    if (++seen_now == std::numeric_limits<int>::max()) {
      std::fill(seen.begin(), seen.end(), 0);
      seen_now = 1;
    }
    probe.clear();
    probe.push_back(t);
    seen[t] = seen_now;
    for (std::size_t pi = 0; pi < probe.size(); ++pi) {
      const int x = probe[pi];
      for (auto k = g_.offsets[x]; k < g_.offsets[x + 1]; ++k) {
        const int v = static_cast<int>(g_.targets[k]);
        if (v == u || s.lot[v] != a || seen[v] == seen_now) continue;
        if (stamp_[v] == mark) return false;  // joined to nb[0]
        seen[v] = seen_now;
        probe.push_back(v);
      }
      if (probe.size() > kProbe) return false;  // no proof either way
    }
    return true;
  };
  search(kFirst);
  for (int i = 1; i < m && !done; ++i)
    if (stamp_[nb[i]] == -mark && cut_off(nb[i])) done = true;  // ok stays false
  if (!done) search(kCap);
  // Clear target marks that were not reached (so a later stamp cannot confuse them).
  for (int i = 1; i < m; ++i)
    if (stamp_[nb[i]] == -mark) stamp_[nb[i]] = 0;
  return ok;
}

int Designer::sweep(State& s, Rng& rng) {
  std::vector<int> order;
  order.reserve(active_units_.size());
  for (int u : active_units_) {
    const int a = s.lot[u];
    for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k)
      if (s.lot[g_.targets[k]] != a) {
        order.push_back(u);
        break;
      }
  }
  rng.shuffle(order);
  int moved = 0;
  for (int u : order) {
    if (!locked_.empty() && locked_[u] != kNoLot) continue;
    const int a = s.lot[u];
    if (s.hub[a] == u || s.count[a] <= 1) continue;
    int best_b = -1;
    double best = -1e-9;
    for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
      const int b = s.lot[g_.targets[k]];
      if (b == a || b == kNoLot || b == best_b) continue;
      const double d = obj_.move_delta(s, u, a, b);
      if (d < best) best = d, best_b = b;
    }
    if (best_b < 0 || !keeps_connected(s, u, a)) continue;
    s.lot[u] = best_b;
    s.hours[a] -= g_.hours[u];
    s.hours[best_b] += g_.hours[u];
    --s.count[a];
    ++s.count[best_b];
    ++moved;
  }
  return moved;
}

// Hub = the lot's travel-time 1-median (core/hubs.hpp), searched from the current hub and
// up to three of its neighbours in the lot, then the units nearest the lot's hours-weighted
// centre, then a walk to better neighbours; costs are the objective's (unit_cost).
void Designer::update_hubs(State& s, const std::vector<int>& lots) {
  std::vector<std::vector<int>> members(static_cast<std::size_t>(k_));
  std::vector<char> want(static_cast<std::size_t>(k_), 0);
  for (int l : lots) want[l] = 1;
  for (int u : active_units_)
    if (want[s.lot[u]]) members[s.lot[u]].push_back(u);
  std::vector<std::vector<int>> units;
  std::vector<HubSearch> searches;
  for (int l : lots) {
    HubSearch hs = obj_.hub_search(l);
    hs.tree_limit = tree_limit_;
    hs.candidates = static_cast<std::size_t>(hub_candidates_);
    hs.walk_steps = hub_steps_ - 1;
    if (s.hub[l] >= 0 && s.lot[s.hub[l]] == l) {
      hs.first.push_back(s.hub[l]);
      for (auto k = g_.offsets[s.hub[l]]; k < g_.offsets[s.hub[l] + 1]; ++k) {
        const int v = static_cast<int>(g_.targets[k]);
        if (s.lot[v] == l && hs.first.size() < 4) hs.first.push_back(v);
      }
    }
    units.push_back(std::move(members[l]));
    searches.push_back(std::move(hs));
  }
  const auto hubs =
      find_hubs(g_, *cache_, units, searches, [&](const std::vector<int>& c) { cache_->fetch(c); });
  std::vector<int> found;
  for (const auto& h : hubs)
    if (h.unit >= 0) found.push_back(h.unit);
  const auto trees = cache_->fetch(found);
  std::size_t ti = 0;
  for (std::size_t i = 0; i < lots.size(); ++i)
    if (hubs[i].unit >= 0) {
      s.hub[lots[i]] = hubs[i].unit;
      s.dist[lots[i]] = trees[ti++];
    }
}

void Designer::init_state(State& s) {
  s.hours.assign(static_cast<std::size_t>(k_), 0);
  s.count.assign(static_cast<std::size_t>(k_), 0);
  s.hub.assign(static_cast<std::size_t>(k_), -1);
  s.dist.assign(static_cast<std::size_t>(k_), nullptr);
  for (int u : active_units_) {
    s.hours[s.lot[u]] += g_.hours[u];
    ++s.count[s.lot[u]];
  }
  std::vector<int> lots(static_cast<std::size_t>(k_));
  std::iota(lots.begin(), lots.end(), 0);
  // First hubs: any member (update_hubs then picks from candidates near the centre).
  update_hubs(s, lots);
}

void Designer::improve(State& s, Rng& rng, int max_sweeps) {
  // Hubs are re-centred only for lots whose members changed since the last sweep.
  auto changed_lots = [&](const std::vector<int>& count, const std::vector<double>& hours) {
    std::vector<int> lots;
    for (int l = 0; l < k_; ++l)
      if (count[l] != s.count[l] || hours[l] != s.hours[l] || s.hub[l] < 0) lots.push_back(l);
    return lots;
  };
  // Balance first with a growing pull to each lot's target, then optimise travel.
  const double base = mean_lot_ > 0 ? 1.0 / mean_lot_ : 1.0;
  double lambda = base * 0.5;
  for (int i = 0; i < 30 && !obj_.feasible(s) && !time_up(); ++i) {
    obj_.wt.dev = lambda;
    const auto count = s.count;
    const auto hours = s.hours;
    sweep(s, rng);
    update_hubs(s, changed_lots(count, hours));
    lambda *= 1.6;
  }
  obj_.wt.dev = 0;
  int stall = 0;
  double f = obj_.total(s);
  for (int i = 0; i < max_sweeps && !time_up(); ++i) {
    const auto count = s.count;
    const auto hours = s.hours;
    const int moved = sweep(s, rng);
    const auto before = s.hub;
    update_hubs(s, changed_lots(count, hours));
    if (moved == 0 && before == s.hub) break;
    const double nf = obj_.total(s);
    stall = (f - nf < 1e-5 * std::abs(f)) ? stall + 1 : 0;
    f = nf;
    if (stall >= 3) break;
  }
  if (time_up()) hit_time_ = true;
}

// The search's hubs come from a cheap walk (update_hubs: the current hub, a few units near
// the lot's straight-line centre, steps to better neighbours), which misses the best hub of a
// lot whose best hub lies across an estuary from its centre; a plan that looks worse under
// those hubs may be better under its true ones. Here every lot gets its exact hub (the
// travel-time 1-median under the travel limit, metrics/hubs.hpp, the hubs the plan is
// finally scored with), and the boundary moves run again around them, until the hubs stay.
// Only on road travel (the chain search's travel is not the roads') and up to 20,000
// postcodes (set_budget; above, the trees cost more than the search). True when a hub moved.
bool Designer::exact_recentre(State& s, Rng& rng, int max_sweeps) {
  if (!recentre_exact_ || adjacency_travel_ || s.lot.empty()) return false;
  std::vector<double> limits(static_cast<std::size_t>(k_));
  for (int l = 0; l < k_; ++l) limits[l] = spec_[l].limit;
  bool moved = false;
  for (int round = 0; round < 3 && !time_up(); ++round) {
    const auto hubs = exact_hubs_kept(s.lot, limits);
    if (hubs == s.hub) break;
    const double before = obj_.total(s);
    State t = s;
    const auto trees = cache_->fetch(hubs);
    for (int l = 0; l < k_; ++l)
      if (hubs[l] >= 0) t.hub[l] = hubs[l], t.dist[l] = trees[l];
    improve(t, rng, max_sweeps);
    if (!(obj_.total(t) < before - 1e-9 * std::max(1.0, std::abs(before)))) break;
    s = std::move(t);
    moved = true;
  }
  return moved;
}

// exact_hubs() on the search's trees, each lot's hub kept with its exact member list and
// limit: a lot the search did not change since an earlier call (a lot a kick left alone, a
// lot the sweeps after a re-centring did not touch) gets its hub back without a search.
// exact_hub() is a pure function of the members, the limit and the travel, so the hubs are
// those exact_hubs() gives. The memo holds the last kHubMemo lots asked, and is emptied with
// the tree cache (search()).
std::vector<int> Designer::exact_hubs_kept(const std::vector<int>& lot,
                                           const std::vector<double>& limits) {
  constexpr std::size_t kHubMemo = 64;
  std::vector<std::vector<int>> members(static_cast<std::size_t>(k_));
  for (std::size_t u = 0; u < lot.size() && u < g_.size(); ++u)
    if (lot[u] >= 0 && lot[u] < k_) members[lot[u]].push_back(static_cast<int>(u));
  if (hub_weights_.size() != g_.size()) hub_weights_ = hub_weights(g_);
  std::vector<int> hub(static_cast<std::size_t>(k_), -1);
  for (int l = 0; l < k_; ++l) {
    const auto it = std::find_if(hub_memo_.begin(), hub_memo_.end(), [&](const HubMemo& m) {
      return m.limit == limits[l] && m.members == members[l];
    });
    if (it != hub_memo_.end()) {
      hub[l] = it->hub;
      continue;
    }
    hub[l] = exact_hub(g_, *cache_, members[l], hub_weights_, limits[l]);
    if (hub_memo_.size() >= kHubMemo) hub_memo_.pop_front();
    hub_memo_.push_back({limits[l], std::move(members[l]), hub[l]});
  }
  return hub;
}

}  // namespace lotwright::geo::design_detail
