// Contiguity repair: lots cut into pieces keep their biggest piece (or the one holding their
// locked postcodes), the rest is refilled from neighbours, and lots whose locked postcodes
// lie apart are joined along a chain of units.
#include <deque>
#include <functional>
#include <queue>
#include <tuple>

#include "lotwright/core/pieces.hpp"
#include "problem.hpp"

namespace lotwright::geo::design_detail {

// Pieces of lot l on the adjacency (piece id per unit in *piece_of, -1 elsewhere): core's
// one flood fill (core/pieces.hpp), labelled in the order of the active units.
int Designer::count_pieces(const std::vector<int>& lot, int l, std::vector<int>* piece_of) const {
  PieceFinder finder;
  const int pieces = finder.label(g_, lot, l, active_units_);
  if (piece_of) {
    piece_of->assign(static_cast<std::size_t>(n_), -1);
    for (int u = 0; u < n_; ++u)
      if (lot[u] == l) (*piece_of)[u] = finder.piece(u);
  }
  return pieces;
}

// A lot whose locked postcodes lie in several pieces is joined along the shortest chain of
// units not locked elsewhere; the lots that chain cuts through are repaired and refilled.
void Designer::join_locked(std::vector<int>& lot, const std::vector<double>& target) const {
  if (locked_.empty()) return;
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (int l = 0; l < k_; ++l) {
      std::vector<int> piece;
      if (count_pieces(lot, l, &piece) <= 1) continue;
      // Grow from the piece holding the first locked unit to the nearest other piece.
      int start = -1;
      for (int u : active_units_)
        if (locked_[u] == l) {
          start = piece[u];
          break;
        }
      if (start < 0) continue;
      std::vector<int> from(static_cast<std::size_t>(n_), -2);
      std::deque<int> q;
      for (int u : active_units_)
        if (piece[u] == start) from[u] = -1, q.push_back(u);
      int hit = -1;
      while (!q.empty() && hit < 0) {
        const int u = q.front();
        q.pop_front();
        for (auto k = g_.offsets[u]; k < g_.offsets[u + 1] && hit < 0; ++k) {
          const int v = static_cast<int>(g_.targets[k]);
          if (from[v] != -2 || !active_[v]) continue;
          if (locked_[v] != kNoLot && locked_[v] != l) continue;
          from[v] = u;
          if (lot[v] == l && piece[v] != start) hit = v;
          q.push_back(v);
        }
      }
      for (int v = hit >= 0 ? from[hit] : -1; v >= 0 && from[v] != -1; v = from[v]) {
        lot[v] = l;
        changed = true;
      }
    }
    if (!changed) break;
    repair_pieces(lot);
    fill_unassigned(lot, target);
  }
}

// Every lot keeps only its biggest piece (the piece with its locked units when it has
// some); the rest is filled in again from neighbours.
void Designer::repair_pieces(std::vector<int>& lot) const {
  std::vector<int> piece(static_cast<std::size_t>(n_), -1);
  std::vector<double> best_h(static_cast<std::size_t>(k_), -1);
  std::vector<int> best_piece(static_cast<std::size_t>(k_), -1);
  std::vector<double> piece_h;
  std::vector<int> piece_lot;
  std::vector<int> stack;
  for (int s : active_units_) {
    if (piece[s] >= 0 || lot[s] == kNoLot) continue;
    const int id = static_cast<int>(piece_h.size());
    const int l = lot[s];
    double h = 0;
    bool has_lock = false;
    piece[s] = id;
    stack.push_back(s);
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      h += g_.hours[u] + 1e-9;
      has_lock = has_lock || (!locked_.empty() && locked_[u] == l);
      for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
        const int v = static_cast<int>(g_.targets[k]);
        if (piece[v] < 0 && lot[v] == l) {
          piece[v] = id;
          stack.push_back(v);
        }
      }
    }
    if (has_lock) h += 1e12;
    piece_h.push_back(h);
    piece_lot.push_back(l);
    if (h > best_h[l]) best_h[l] = h, best_piece[l] = id;
  }
  for (int u : active_units_)
    if (lot[u] != kNoLot && piece[u] != best_piece[lot[u]] &&
        (locked_.empty() || locked_[u] == kNoLot))
      lot[u] = kNoLot;
}

// Unassigned units join a neighbouring lot, the one furthest below its target first;
// repeated until every reachable unit has a lot.
void Designer::fill_unassigned(std::vector<int>& lot, const std::vector<double>& target) const {
  std::vector<double> h(static_cast<std::size_t>(k_), 0);
  for (int u : active_units_)
    if (lot[u] != kNoLot) h[lot[u]] += g_.hours[u];
  // Multi-source growth: frontier ordered by how far below target the lot is.
  using Item = std::tuple<double, int, int>;  // (fill ratio, unit, lot)
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> pq;
  auto push_from = [&](int u) {
    for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
      const int v = static_cast<int>(g_.targets[k]);
      if (lot[v] == kNoLot && active_[v])
        pq.emplace(h[lot[u]] / std::max(target[lot[u]], 1e-9), v, lot[u]);
    }
  };
  for (int u : active_units_)
    if (lot[u] != kNoLot) push_from(u);
  while (!pq.empty()) {
    auto [r, v, l] = pq.top();
    pq.pop();
    if (lot[v] != kNoLot) continue;
    const double now = h[l] / std::max(target[l], 1e-9);
    if (now > r + 1e-12) {  // stale priority: re-queue with the current fill
      pq.emplace(now, v, l);
      continue;
    }
    lot[v] = l;
    h[l] += g_.hours[v];
    push_from(v);
  }
}

}  // namespace lotwright::geo::design_detail
