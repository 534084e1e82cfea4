// The set-partitioning method of the exact solver (exact_sets.hpp; exact.hpp has the model):
// the classic redistricting formulation (Garfinkel & Nemhauser 1970; Mehrotra, Johnson &
// Nemhauser 1998). A lot is a connected set of units whose hours lie in the band, priced at
// its best hub (the unit of the set, serving every unit of the set with hours within the travel
// limit, of least Σ w·minutes); CBC chooses `lots` sets covering every unit once. Contiguity,
// the band and the travel limit are in the columns, so the program is exact with no cuts, and
// its LP is tight (on Rutland's 15 wards, 4 lots ±5%, the root closes it).
//
// The sets are enumerated deterministically, each once: for each root r, the connected sets
// whose smallest unit is r, by including or excluding the smallest unit of the frontier (the
// neighbours of the set not yet excluded). A branch stops when its hours pass the band's upper
// edge or no unit can serve all its units with hours within the limit (both only grow), so the
// work follows the sets that can be lots. A set is kept when its hours reach the lower edge,
// one of its units can be its hub, and every part of the rest of the graph can hold a whole
// number of lots that add up to lots - 1.
#include "exact_sets.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "exact_cbc.hpp"

namespace lotwright::geo::detail {
namespace {

using Mask = std::uint64_t;
constexpr double kSetsInf = std::numeric_limits<double>::infinity();
constexpr double kSetsEps = 1e-9;  // hours at the band's edges, as the cut formulation's start

Mask bit(int u) { return Mask{1} << u; }

// Whether the units outside s fall into parts that can each hold a whole number (at least one)
// of lots within the band, adding up to lots - 1.
bool rest_can_be_lots(const SetsInput& in, const std::vector<Mask>& nb, Mask all, Mask s) {
  Mask rest = all & ~s;
  long fewest = 0, most = 0;
  while (rest != 0) {
    Mask part = rest & (~rest + 1), frontier = part;
    while (frontier != 0) {
      Mask next = 0;
      for (Mask f = frontier; f != 0; f &= f - 1)
        next |= nb[static_cast<std::size_t>(std::countr_zero(f))];
      frontier = next & rest & ~part;
      part |= frontier;
    }
    rest &= ~part;
    double h = 0;
    for (Mask f = part; f != 0; f &= f - 1)
      h += in.g->hours[static_cast<std::size_t>(std::countr_zero(f))];
    const long lo = std::max(1L, static_cast<long>(std::ceil((h - kSetsEps) / in.hi)));
    const long hi = in.lo > 0 ? static_cast<long>(std::floor((h + kSetsEps) / in.lo)) : in.lots;
    if (lo > hi) return false;
    fewest += lo, most += hi;
  }
  return fewest <= in.lots - 1 && in.lots - 1 <= most;
}

struct Enumeration {
  const SetsInput& in;
  std::vector<Mask> nb;      // neighbours of each unit
  std::vector<Mask> served;  // served[i]: units that may be the hub of a lot holding i
  Mask all = 0;
  std::vector<std::pair<Mask, Mask>> found;  // (set, the units that may be its hub)
  long steps = 0;
  bool over = false;

  void grow(Mask s, double h, Mask frontier, Mask excluded, Mask hubs) {
    if (over) return;
    if (++steps > in.max_steps) {
      over = true;
      return;
    }
    if (frontier == 0) {
      if (h >= in.lo - kSetsEps && (hubs & s) != 0 && rest_can_be_lots(in, nb, all, s)) {
        if (found.size() >= in.max_sets) {
          over = true;
          return;
        }
        found.emplace_back(s, hubs);
      }
      return;
    }
    const int v = std::countr_zero(frontier);
    const Mask bv = bit(v);
    const double with = h + in.g->hours[static_cast<std::size_t>(v)];
    const Mask with_hubs = hubs & served[static_cast<std::size_t>(v)];
    if (with <= in.hi + kSetsEps && with_hubs != 0)
      grow(s | bv, with,
           (frontier & ~bv) | (nb[static_cast<std::size_t>(v)] & ~s & ~bv & ~excluded), excluded,
           with_hubs);
    grow(s, h, frontier & ~bv, excluded | bv, hubs);
  }
};

// The set's best hub (least Σ w·minutes; ties to the smaller unit) among `hubs`, and its cost.
std::pair<int, double> best_hub(const SetsInput& in, Mask s, Mask hubs) {
  int best = -1;
  double cost = kSetsInf;
  for (Mask j = hubs & s; j != 0; j &= j - 1) {
    const int hub = std::countr_zero(j);
    const auto& t = (*in.time)[static_cast<std::size_t>(hub)];
    double c = 0;
    for (Mask f = s; f != 0; f &= f - 1) {
      const auto i = static_cast<std::size_t>(std::countr_zero(f));
      c += (*in.w)[i] * static_cast<double>(t[i]);
    }
    if (c < cost) cost = c, best = hub;
  }
  return {best, cost};
}

}  // namespace

SetsAnswer solve_sets(const SetsInput& in) {
  SetsAnswer a;
  const auto& g = *in.g;
  const int n = static_cast<int>(g.size());
  // (No hours at all: no band to enumerate against; the cut formulation answers.)
  if (n > 64 || n < 1 || in.max_sets == 0 || in.max_steps <= 0 || !(in.hi > 0)) return a;
  Enumeration e{in, {}, {}, 0, {}, 0, false};
  e.nb.assign(static_cast<std::size_t>(n), 0);
  e.served.assign(static_cast<std::size_t>(n), 0);
  for (int u = 0; u < n; ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
      e.nb[static_cast<std::size_t>(u)] |= bit(static_cast<int>(g.targets[k]));
  for (int j = 0; j < n; ++j) {
    const auto& t = (*in.time)[static_cast<std::size_t>(j)];
    for (int i = 0; i < n; ++i) {
      const float m = t[static_cast<std::size_t>(i)];
      if (std::isfinite(m) && (in.limit <= 0 || g.hours[i] <= 0 || !(m > in.limit)))
        e.served[static_cast<std::size_t>(i)] |= bit(j);
    }
  }
  const Mask all = n == 64 ? ~Mask{0} : bit(n) - 1;
  e.all = all;
  for (int r = 0; r < n && !e.over; ++r) {
    const double h = g.hours[static_cast<std::size_t>(r)];
    const Mask below = bit(r) - 1;
    if (h > in.hi + kSetsEps || e.served[static_cast<std::size_t>(r)] == 0) continue;
    e.grow(bit(r), h, e.nb[static_cast<std::size_t>(r)] & ~below & ~bit(r), below | bit(r),
           e.served[static_cast<std::size_t>(r)]);
  }
  a.steps = e.steps;
  if (e.over) return a;  // too_many

  // Columns: the sets, each at its best hub.
  Mip mip;
  std::vector<Mask> cols;
  std::vector<int> hub;
  for (const auto& [s, hubs] : e.found) {
    const auto [j, cost] = best_hub(in, s, hubs);
    if (j < 0) continue;
    cols.push_back(s);
    hub.push_back(j);
    mip.cost.push_back(cost);
  }
  a.sets = cols.size();
  // Rows: every unit in one set; `lots` sets.
  mip.rows.resize(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i < n; ++i)
    mip.rows[static_cast<std::size_t>(i)].lo = mip.rows[static_cast<std::size_t>(i)].hi = 1;
  auto& count = mip.rows.back();
  count.lo = count.hi = in.lots;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    for (Mask f = cols[c]; f != 0; f &= f - 1) {
      auto& row = mip.rows[static_cast<std::size_t>(std::countr_zero(f))];
      row.cols.push_back(static_cast<int>(c));
      row.coefs.push_back(1);
    }
    count.cols.push_back(static_cast<int>(c));
    count.coefs.push_back(1);
  }
  for (int i = 0; i < n; ++i)
    if (mip.rows[static_cast<std::size_t>(i)].cols.empty()) {  // a unit no lot can hold
      a.status = SetsAnswer::Status::infeasible;
      a.bound = kSetsInf;
      return a;
    }

  // The start plan, when each of its lots is a column.
  std::vector<double> start;
  if (in.start && static_cast<int>(in.start->size()) == n) {
    std::vector<Mask> lot_of_hub(static_cast<std::size_t>(n), 0);
    for (int i = 0; i < n; ++i) {
      const int j = (*in.start)[static_cast<std::size_t>(i)];
      if (j < 0 || j >= n) {
        lot_of_hub.clear();
        break;
      }
      lot_of_hub[static_cast<std::size_t>(j)] |= bit(i);
    }
    start.assign(cols.size(), 0.0);
    int placed = 0;
    for (Mask s : lot_of_hub) {
      if (s == 0) continue;
      const auto it = std::find(cols.begin(), cols.end(), s);
      if (it == cols.end()) {
        placed = -1;
        break;
      }
      start[static_cast<std::size_t>(it - cols.begin())] = 1, ++placed;
    }
    if (placed != in.lots) start.clear();
  }
  const auto m = solve_mip(mip, start.empty() ? nullptr : &start, in.seconds,
                           static_cast<int>(std::min<long>(in.max_nodes, 1L << 30)));
  a.nodes = std::max(0, m.nodes);
  a.stopped_on_time = m.stopped_on_time;
  if (m.status == MipAnswer::Status::infeasible ||
      (m.status == MipAnswer::Status::optimal && m.solutions.empty())) {
    a.status = SetsAnswer::Status::infeasible;
    a.bound = kSetsInf;
    return a;
  }
  a.status = m.status == MipAnswer::Status::optimal ? SetsAnswer::Status::optimal
                                                    : SetsAnswer::Status::stopped;
  a.bound = m.bound;
  if (!m.solutions.empty()) {
    a.hub_of.assign(static_cast<std::size_t>(n), -1);
    for (std::size_t c = 0; c < cols.size(); ++c)
      if (m.solutions.front()[c] > 0.5)
        for (Mask f = cols[c]; f != 0; f &= f - 1)
          a.hub_of[static_cast<std::size_t>(std::countr_zero(f))] = hub[c];
    if (std::count(a.hub_of.begin(), a.hub_of.end(), -1) > 0) a.hub_of.clear();
  }
  return a;
}

}  // namespace lotwright::geo::detail
