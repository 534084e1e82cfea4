// The exact solver (exact.hpp): the balanced, contiguous p-median with a travel limit as a
// 0-1 program for CBC, with contiguity kept by vertex-separator cuts added in rounds.
//
// Round 1 holds the assignment, hub, band and travel-limit constraints and the cuts with the
// smallest separators (a unit other than the hub needs a neighbour in its lot). Each round's
// program is a relaxation of the real one (every cut is valid for contiguous lots), so its
// bound is a lower bound, a proof of infeasibility is a proof, and an optimum whose lots are
// all in one piece is the optimum. A lot in pieces gives, for each piece C without the hub j
// and each unit i of C, the cut x[i][j] <= sum_{s in S} x[s][j], where S is the set of
// neighbours of C from which j can be reached without entering C over units allowed in j's
// lot (every path from i to j leaves C last through S). Validi, Buchanan & Lykhovyd (2022),
// "Imposing contiguity constraints in political districting models", the CUT formulation.
#include "lotwright/design/exact.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "exact_cbc.hpp"
#include "exact_sets.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/parallel.hpp"

namespace lotwright::geo {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kInf = std::numeric_limits<double>::infinity();

// The problem's data: travel, band, the units each hub may take, one column per pair.
struct Problem {
  explicit Problem(const UnitGraph& graph) : g(graph) {}
  const UnitGraph& g;
  int n = 0, lots = 0;
  double lo = 0, hi = 0;
  std::vector<double> w;                 // design_weights()
  std::vector<std::vector<float>> time;  // time[j][i]: minutes from j to i
  std::vector<int> col;                  // col[j * n + i]: column of x[i][j], -1 if none
  std::vector<int> col_unit, col_hub;    // per column
  int column(int i, int j) const { return col[static_cast<std::size_t>(j) * n + i]; }
};

void check_request(const UnitGraph& g, const ExactRequest& r) {
  if (r.lots < 1) throw UsageError("exact: lots must be at least 1");
  if (!(r.tolerance >= 0 && r.tolerance < 1))
    throw UsageError("exact: tolerance must be between 0 and 1 (0.05 = ±5%)");
  if (g.hours.size() != g.size() || g.offsets.size() != g.size() + 1)
    throw DataError("exact: the unit graph is incomplete (hours or adjacency missing)");
  if (!g.travel || g.travel->size() != g.size())
    throw DataError("exact: the unit graph has no travel times for its units");
}

// Units hub j may take: reachable, within the travel limit when they have hours, and joined
// to j through such units (anything else could not be in one piece with j).
std::vector<int> allowed_units(const Problem& p, int j, double limit) {
  const auto& t = p.time[j];
  std::vector<char> ok(static_cast<std::size_t>(p.n), 0);
  for (int i = 0; i < p.n; ++i)
    ok[i] = std::isfinite(t[i]) && (limit <= 0 || p.g.hours[i] <= 0 || !(t[i] > limit));
  std::vector<int> out;
  if (!ok[j]) return out;
  std::vector<char> seen(ok.size(), 0);
  out.push_back(j);
  seen[j] = 1;
  for (std::size_t k = 0; k < out.size(); ++k)
    for (auto e = p.g.offsets[out[k]]; e < p.g.offsets[out[k] + 1]; ++e) {
      const int v = static_cast<int>(p.g.targets[e]);
      if (ok[v] && !seen[v]) seen[v] = 1, out.push_back(v);
    }
  std::sort(out.begin(), out.end());
  return out;
}

Problem make_problem(const UnitGraph& g, const ExactRequest& r) {
  Problem p(g);
  p.n = static_cast<int>(g.size());
  p.lots = r.lots;
  double total = 0;
  for (double h : g.hours) total += h;
  const double mean = total / r.lots;
  p.lo = mean * (1 - r.tolerance);
  p.hi = mean * (1 + r.tolerance);
  p.w = design_weights(g);
  p.time.resize(static_cast<std::size_t>(p.n));
  detail::parallel_for(p.time.size(),
                       [&](std::size_t j) { g.travel->tree(static_cast<int>(j), p.time[j]); });
  p.col.assign(static_cast<std::size_t>(p.n) * p.n, -1);
  for (int j = 0; j < p.n; ++j) {
    if (g.hours[j] > p.hi) continue;  // a hub is in its own lot
    const auto units = allowed_units(p, j, r.max_travel_minutes);
    double reach = 0;
    for (int i : units) reach += g.hours[i];
    if (reach < p.lo - 1e-9) continue;  // j's lot could never reach the band
    for (int i : units) {
      p.col[static_cast<std::size_t>(j) * p.n + i] = static_cast<int>(p.col_unit.size());
      p.col_unit.push_back(i);
      p.col_hub.push_back(j);
    }
  }
  return p;
}

// Cut x[i][j] <= sum_{s in sep} x[s][j].
detail::MipRow cut_row(const Problem& p, int i, int j, const std::vector<int>& sep) {
  detail::MipRow row;
  row.cols.push_back(p.column(i, j));
  row.coefs.push_back(1);
  for (int s : sep)
    if (p.column(s, j) >= 0) row.cols.push_back(p.column(s, j)), row.coefs.push_back(-1);
  row.lo = -kInf;
  row.hi = 0;
  return row;
}

// The rows every round holds: assignment, number of hubs, hub links, band, and the cuts of
// single units (a unit other than the hub needs a neighbour in its lot).
std::vector<detail::MipRow> base_rows(const Problem& p) {
  std::vector<detail::MipRow> rows;
  std::vector<std::vector<int>> of_unit(static_cast<std::size_t>(p.n));
  std::vector<std::vector<int>> of_hub(static_cast<std::size_t>(p.n));
  for (int c = 0; c < static_cast<int>(p.col_unit.size()); ++c) {
    of_unit[p.col_unit[c]].push_back(c);
    of_hub[p.col_hub[c]].push_back(c);
  }
  for (int i = 0; i < p.n; ++i)
    rows.push_back({of_unit[i], std::vector<double>(of_unit[i].size(), 1.0), 1, 1});
  detail::MipRow hubs;
  for (int j = 0; j < p.n; ++j)
    if (p.column(j, j) >= 0) hubs.cols.push_back(p.column(j, j)), hubs.coefs.push_back(1);
  hubs.lo = hubs.hi = p.lots;
  rows.push_back(std::move(hubs));
  for (int j = 0; j < p.n; ++j) {
    const int y = p.column(j, j);
    if (y < 0) continue;
    detail::MipRow under, over;  // hours - lo y >= 0, hours - hi y <= 0
    for (int c : of_hub[j]) {
      const int i = p.col_unit[c];
      const double h = p.g.hours[i];
      under.cols.push_back(c), under.coefs.push_back(i == j ? h - p.lo : h);
      over.cols.push_back(c), over.coefs.push_back(i == j ? h - p.hi : h);
      if (i == j) continue;
      rows.push_back({{c, y}, {1, -1}, -kInf, 0});
      std::vector<int> nb;
      for (auto e = p.g.offsets[i]; e < p.g.offsets[i + 1]; ++e)
        nb.push_back(static_cast<int>(p.g.targets[e]));
      rows.push_back(cut_row(p, i, j, nb));
    }
    under.lo = 0, under.hi = kInf;
    over.lo = -kInf, over.hi = 0;
    rows.push_back(std::move(under));
    rows.push_back(std::move(over));
  }
  return rows;
}

// hub_of[i]: the hub of unit i's lot in a 0-1 solution (-1 when the solution has none).
std::vector<int> decode(const Problem& p, const std::vector<double>& x) {
  std::vector<int> hub_of(static_cast<std::size_t>(p.n), -1);
  for (std::size_t c = 0; c < x.size(); ++c)
    if (x[c] > 0.5) hub_of[p.col_unit[c]] = p.col_hub[c];
  return hub_of;
}

std::vector<double> encode(const Problem& p, const std::vector<int>& hub_of) {
  std::vector<double> x(p.col_unit.size(), 0.0);
  for (int i = 0; i < p.n; ++i) x[p.column(i, hub_of[i])] = 1;
  return x;
}

// Pieces of hub j's lot without j, each with the cut's separator.
struct Piece {
  std::vector<int> units;
  std::vector<int> sep;
};

std::vector<Piece> stray_pieces(const Problem& p, const std::vector<int>& hub_of, int j) {
  const auto& g = p.g;
  std::vector<int> piece(static_cast<std::size_t>(p.n), -1);  // 0: j's piece, k > 0: others
  std::vector<Piece> out;
  auto flood = [&](int s, int id, const auto& inside) {
    std::vector<int> stack{s}, seen_units;
    piece[s] = id;
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      seen_units.push_back(u);
      for (auto e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        const int v = static_cast<int>(g.targets[e]);
        if (piece[v] < 0 && inside(v)) piece[v] = id, stack.push_back(v);
      }
    }
    return seen_units;
  };
  const auto in_lot = [&](int v) { return hub_of[v] == j; };
  flood(j, 0, in_lot);
  for (int s = 0; s < p.n; ++s)
    if (hub_of[s] == j && piece[s] < 0)
      out.push_back({flood(s, static_cast<int>(out.size()) + 1, in_lot), {}});
  for (auto& pc : out) {
    // Units j reaches without entering the piece, over units allowed in j's lot.
    std::vector<char> in_piece(static_cast<std::size_t>(p.n), 0), reach(in_piece.size(), 0);
    for (int u : pc.units) in_piece[u] = 1;
    std::vector<int> stack{j};
    reach[j] = 1;
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      for (auto e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        const int v = static_cast<int>(g.targets[e]);
        if (!reach[v] && !in_piece[v] && p.column(v, j) >= 0) reach[v] = 1, stack.push_back(v);
      }
    }
    std::vector<char> added(in_piece.size(), 0);
    for (int u : pc.units)
      for (auto e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        const int v = static_cast<int>(g.targets[e]);
        if (reach[v] && !added[v]) added[v] = 1, pc.sep.push_back(v);
      }
  }
  return out;
}

// Cuts a solution violates (empty when every lot is one piece).
std::vector<detail::MipRow> violated_cuts(const Problem& p, const std::vector<int>& hub_of) {
  std::vector<detail::MipRow> cuts;
  for (int j = 0; j < p.n; ++j) {
    if (hub_of[j] != j) continue;
    for (const auto& pc : stray_pieces(p, hub_of, j))
      for (int i : pc.units) cuts.push_back(cut_row(p, i, j, pc.sep));
  }
  return cuts;
}

double objective_of(const Problem& p, const std::vector<int>& hub_of) {
  double t = 0;
  for (int i = 0; i < p.n; ++i) t += p.w[i] * static_cast<double>(p.time[hub_of[i]][i]);
  return t;
}

// The start plan as hubs per unit, when it meets every constraint of the model.
std::vector<int> start_hubs(const Problem& p, const Plan* start) {
  if (!start || static_cast<int>(start->lot_of.size()) != p.n || start->lot_count != p.lots ||
      static_cast<int>(start->hub.size()) != p.lots)
    return {};
  std::vector<int> hub_of(static_cast<std::size_t>(p.n));
  std::vector<double> hours(static_cast<std::size_t>(p.lots), 0);
  for (int i = 0; i < p.n; ++i) {
    const int l = start->lot_of[i];
    if (l < 0 || l >= p.lots) return {};
    const int j = start->hub[l];
    if (j < 0 || j >= p.n || start->lot_of[j] != l || p.column(i, j) < 0) return {};
    hub_of[i] = j;
    hours[l] += p.g.hours[i];
  }
  for (double h : hours)
    if (h < p.lo - 1e-9 || h > p.hi + 1e-9) return {};
  if (!violated_cuts(p, hub_of).empty()) return {};
  return hub_of;
}

Plan to_plan(const Problem& p, const std::vector<int>& hub_of) {
  Plan plan;
  plan.lot_count = p.lots;
  plan.lot_of.assign(static_cast<std::size_t>(p.n), kNoLot);
  std::vector<int> lot_of_hub(static_cast<std::size_t>(p.n), -1);
  for (int i = 0; i < p.n; ++i) {  // lots numbered by their first unit
    int& l = lot_of_hub[hub_of[i]];
    if (l < 0) l = static_cast<int>(plan.hub.size()), plan.hub.push_back(hub_of[i]);
    plan.lot_of[i] = l;
  }
  plan.name.assign(plan.hub.size(), "");
  plan.tier.assign(plan.hub.size(), "");
  return plan;
}

// The rounds: solve, keep the best plan in one piece, add the cuts the others violate.
ExactResult solve_rounds(const Problem& p, const ExactRequest& r, Clock::time_point t0) {
  ExactResult res;
  detail::Mip mip;
  mip.cost.resize(p.col_unit.size());
  for (std::size_t c = 0; c < mip.cost.size(); ++c)
    mip.cost[c] = p.w[p.col_unit[c]] * static_cast<double>(p.time[p.col_hub[c]][p.col_unit[c]]);
  mip.rows = base_rows(p);
  std::vector<int> best = start_hubs(p, r.start);
  double best_obj = best.empty() ? kInf : objective_of(p, best);
  double bound = -kInf;
  res.status = ExactStatus::time_limit;
  for (;;) {
    double left = 0;
    if (r.time_limit_s > 0) {
      left = r.time_limit_s - std::chrono::duration<double>(Clock::now() - t0).count();
      if (left <= 0) {
        res.stopped_on_time = true;
        break;
      }
    }
    if (r.max_rounds > 0 && res.rounds >= r.max_rounds) break;
    // The round's node budget: max_nodes, within what is left of max_total_nodes.
    long nodes = r.max_nodes > 0 ? r.max_nodes : 0;
    if (r.max_total_nodes > 0) {
      const long rest = r.max_total_nodes - res.nodes;
      if (rest <= 0) break;  // the work budget is spent: stopped, with the bound so far
      nodes = nodes > 0 ? std::min(nodes, rest) : rest;
    }
    const std::vector<double> start = best.empty() ? std::vector<double>{} : encode(p, best);
    const auto a = detail::solve_mip(mip, best.empty() ? nullptr : &start, left,
                                     static_cast<int>(std::min<long>(nodes, 1L << 30)));
    ++res.rounds;
    res.nodes += std::max(0, a.nodes);
    res.stopped_on_time = res.stopped_on_time || a.stopped_on_time;
    const bool none = a.status == detail::MipAnswer::Status::optimal && a.solutions.empty();
    if (a.status == detail::MipAnswer::Status::infeasible || none) {
      res.status = ExactStatus::infeasible;
      bound = kInf;
      break;
    }
    bound = std::max(bound, a.bound);
    bool first_whole = false;
    for (std::size_t s = 0; s < a.solutions.size(); ++s) {
      const auto hub_of = decode(p, a.solutions[s]);
      if (std::count(hub_of.begin(), hub_of.end(), -1) > 0) continue;
      auto cuts = violated_cuts(p, hub_of);
      if (cuts.empty()) {
        first_whole = first_whole || s == 0;
        const double obj = objective_of(p, hub_of);
        if (obj < best_obj) best_obj = obj, best = hub_of;
      }
      res.cuts += static_cast<int>(cuts.size());
      for (auto& c : cuts) mip.rows.push_back(std::move(c));
    }
    const bool proven = a.status == detail::MipAnswer::Status::optimal;
    if ((proven && first_whole) || (!best.empty() && best_obj <= bound + 1e-7 * (1 + bound))) {
      res.status = ExactStatus::optimal;
      break;
    }
    if (!proven) break;  // stopped on time
  }
  res.lower_bound = res.status == ExactStatus::optimal ? std::min(bound, best_obj) : bound;
  if (!best.empty()) res.plan = to_plan(p, best);
  res.objective = best_obj;
  return res;
}

// The set-partitioning method (exact_sets.cpp) when it applies: false when the sets pass
// their caps (res then holds only the enumeration's count), and the cut formulation runs.
bool solve_by_sets(const Problem& p, const ExactRequest& r, Clock::time_point t0,
                   ExactResult& res) {
  if (r.max_sets == 0 || p.n > 64) return false;
  detail::SetsInput in;
  in.g = &p.g;
  in.time = &p.time;
  in.w = &p.w;
  in.lots = p.lots;
  in.lo = p.lo;
  in.hi = p.hi;
  in.limit = r.max_travel_minutes;
  in.max_sets = r.max_sets;
  in.max_steps = r.max_set_steps > 0 ? r.max_set_steps : std::numeric_limits<long>::max();
  const std::vector<int> start = start_hubs(p, r.start);
  in.start = start.empty() ? nullptr : &start;
  if (r.time_limit_s > 0) {
    in.seconds = r.time_limit_s - std::chrono::duration<double>(Clock::now() - t0).count();
    if (in.seconds <= 0) in.seconds = 1e-3;
  }
  in.max_nodes = r.max_total_nodes > 0 ? r.max_total_nodes : r.max_nodes;
  const auto a = detail::solve_sets(in);
  res.sets = a.sets;
  res.set_steps = a.steps;
  if (a.status == detail::SetsAnswer::Status::too_many) return false;
  res.by_sets = true;
  res.rounds = 1;
  res.nodes = a.nodes;
  res.stopped_on_time = a.stopped_on_time;
  std::vector<int> best = a.hub_of;
  double best_obj = best.empty() ? kInf : objective_of(p, best);
  if (!start.empty() && objective_of(p, start) < best_obj) {  // CBC stopped above the start
    best = start;
    best_obj = objective_of(p, start);
  }
  if (a.status == detail::SetsAnswer::Status::infeasible) {
    res.status = ExactStatus::infeasible;
    res.lower_bound = kInf;
    res.objective = kInf;
    return true;
  }
  res.status = a.status == detail::SetsAnswer::Status::optimal ||
                       (!best.empty() && best_obj <= a.bound + 1e-7 * (1 + a.bound))
                   ? ExactStatus::optimal
                   : ExactStatus::time_limit;
  res.lower_bound = res.status == ExactStatus::optimal ? std::min(a.bound, best_obj) : a.bound;
  if (!best.empty()) res.plan = to_plan(p, best);
  res.objective = best_obj;
  return true;
}

}  // namespace

std::vector<double> design_weights(const UnitGraph& g) {
  double hsum = 0;
  for (double h : g.hours) hsum += h;
  const double eps = 1e-3 * hsum / std::max<std::size_t>(1, g.size()) + 1e-9;
  std::vector<double> w(g.size());
  for (std::size_t u = 0; u < g.size(); ++u) w[u] = g.hours[u] + eps;
  return w;
}

double bound_gap_pct(double plan_total, double bound_total) {
  return plan_total > 0 ? std::max(0.0, (plan_total - bound_total) / plan_total * 100) : 0.0;
}

double plan_objective(const UnitGraph& g, const Plan& plan) {
  const int n = static_cast<int>(g.size());
  if (static_cast<int>(plan.lot_of.size()) != n || !g.travel) return kInf;
  std::vector<std::vector<float>> tree(plan.hub.size());
  for (int u = 0; u < n; ++u) {
    const int l = plan.lot_of[u];
    if (l < 0 || l >= static_cast<int>(plan.hub.size()) || plan.hub[l] < 0) return kInf;
  }
  detail::parallel_for(tree.size(), [&](std::size_t l) { g.travel->tree(plan.hub[l], tree[l]); });
  const auto w = design_weights(g);
  double t = 0;
  for (int u = 0; u < n; ++u) t += w[u] * static_cast<double>(tree[plan.lot_of[u]][u]);
  return t;
}

ExactResult solve_exact(const UnitGraph& g, const ExactRequest& r) {
  const auto t0 = Clock::now();
  check_request(g, r);
  const Problem p = make_problem(g, r);
  ExactResult res;
  if (r.lots > p.n) {
    res.status = ExactStatus::infeasible;
    res.lower_bound = kInf;
    res.objective = kInf;
  } else if (!solve_by_sets(p, r, t0, res)) {
    const std::size_t sets = res.sets;
    const long steps = res.set_steps;
    res = solve_rounds(p, r, t0);
    res.sets = sets, res.set_steps = steps;
  }
  if (!res.plan.lot_of.empty())
    for (int u = 0; u < p.n; ++u)
      res.hours_travel +=
          g.hours[u] * static_cast<double>(p.time[res.plan.hub[res.plan.lot_of[u]]][u]);
  res.gap = res.plan.lot_of.empty() ? kInf
            : res.objective > 0 ? std::max(0.0, (res.objective - res.lower_bound) / res.objective)
                                : 0.0;
  res.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return res;
}

}  // namespace lotwright::geo
