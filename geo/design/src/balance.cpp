// Chains of border moves that bring a lot back inside its hours band (docs/designer.md,
// "How", step 3): the balancing sweeps move one unit at a time between two lots, and each
// move must lower the penalised objective, so a lot outside its band whose neighbours all sit
// at the edge of theirs stays outside (moving hours into a full neighbour only moves the
// breach). An ejection chain passes the hours on: the lot sheds them to a neighbour, which
// sheds as much to its own neighbour, and so on to the nearest lot (in lots crossed) that
// has room for them; a lot short of hours takes them the same way from the nearest lot with
// hours to spare. Each step moves border units of the giving lot that keep it in one piece,
// cheapest travel first; the hubs stay where they are until the chain is made.
#include <algorithm>
#include <deque>
#include <queue>
#include <tuple>

#include "problem.hpp"

namespace lotwright::geo::design_detail {

namespace {

// At most this many chains per call and this many units moved per link of a chain.
constexpr int kChains = 24;
constexpr int kMovesPerLink = 4000;

}  // namespace

// Moves units of lot x into lot y (across their border) until at least `need` hours have
// moved: units with hours first, then empty ones (which open the way to more), each time the
// one whose move raises the objective least, among those whose move keeps x in one piece
// (never x's hub, never a locked unit). Returns the hours moved.
double Designer::shed_hours(State& s, int x, int y, double need) {
  using Item = std::tuple<int, double, int>;  // (no hours, cost, unit): smallest first
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> q;
  const auto offer = [&](int u) {
    if (s.lot[u] != x || u == s.hub[x] || (!locked_.empty() && locked_[u] != kNoLot)) return;
    bool touches = false;
    for (auto k = g_.offsets[u]; k < g_.offsets[u + 1] && !touches; ++k)
      touches = s.lot[g_.targets[k]] == y;
    if (!touches) return;
    const double c =
        obj_.unit_cost(u, y, obj_.distance(s, y, u)) - obj_.unit_cost(u, x, obj_.distance(s, x, u));
    q.emplace(g_.hours[u] > 0 ? 0 : 1, c, u);
  };
  for (int u : active_units_) offer(u);
  double moved = 0;
  for (int step = 0; step < kMovesPerLink && moved < need && !q.empty(); ++step) {
    const int u = std::get<2>(q.top());
    q.pop();
    if (s.lot[u] != x || s.count[x] <= 1 || !keeps_connected(s, u, x)) continue;
    s.lot[u] = y;
    s.hours[x] -= g_.hours[u];
    s.hours[y] += g_.hours[u];
    --s.count[x];
    ++s.count[y];
    moved += g_.hours[u];
    for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) offer(static_cast<int>(g_.targets[k]));
  }
  return moved;
}

// Every lot outside its band, in turn, sends or takes its excess along the shortest chain
// of neighbouring lots (breadth-first over the lots' borders) to or from the nearest lot
// with room (or hours to spare) for all of it. True when a unit moved; the caller re-centres
// the hubs and improves.
bool Designer::balance_chains(State& s) {
  bool any = false;
  for (int chain = 0; chain < kChains; ++chain) {
    int worst = -1;
    double worst_v = 1e-6;
    for (int l = 0; l < k_; ++l)
      if (const double v = obj_.viol(l, s.hours[l]); v > worst_v) worst_v = v, worst = l;
    if (worst < 0) break;
    const bool over = s.hours[worst] > spec_[worst].hi;
    // Which lots touch which.
    std::vector<std::vector<char>> touch(static_cast<std::size_t>(k_),
                                         std::vector<char>(static_cast<std::size_t>(k_), 0));
    for (int u : active_units_)
      for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
        const int b = s.lot[g_.targets[k]];
        if (b != kNoLot && b != s.lot[u]) touch[s.lot[u]][b] = 1;
      }
    // Room (over) or spare hours (short) of each lot, against the breach.
    const auto enough = [&](int l) {
      return over ? spec_[l].hi - s.hours[l] >= worst_v : s.hours[l] - spec_[l].lo >= worst_v;
    };
    std::vector<int> from(static_cast<std::size_t>(k_), -2);
    std::deque<int> q{worst};
    from[worst] = -1;
    int end = -1;
    while (!q.empty() && end < 0) {
      const int l = q.front();
      q.pop_front();
      for (int m = 0; m < k_; ++m) {
        if (!touch[l][m] || from[m] != -2) continue;
        from[m] = l;
        if (enough(m)) {
          end = m;
          break;
        }
        q.push_back(m);
      }
    }
    if (end < 0) break;     // no lot within reach can take (or give) the hours
    std::vector<int> path;  // worst ... end
    for (int l = end; l >= 0; l = from[l]) path.push_back(l);
    std::reverse(path.begin(), path.end());
    const std::vector<double> before = s.hours;
    bool moved = false;
    if (over) {
      // worst sheds its excess to the next lot, which sheds what it took, and so on.
      for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        const int x = path[i];
        const double need = i == 0 ? worst_v : s.hours[x] - before[x];
        if (need <= 0) break;
        moved = shed_hours(s, x, path[i + 1], need) > 0 || moved;
      }
    } else {
      // The lot beside worst gives it the hours it lacks, then takes as much from the next.
      for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        const int y = path[i];
        const double need = i == 0 ? worst_v : before[y] - s.hours[y];
        if (need <= 0) break;
        moved = shed_hours(s, path[i + 1], y, need) > 0 || moved;
      }
    }
    if (!moved) break;
    any = true;
    if (obj_.viol(worst, s.hours[worst]) >= worst_v - 1e-9) break;  // no progress on it
  }
  return any;
}

}  // namespace lotwright::geo::design_detail
