// The call-gap target's stage (call_gap.hpp, docs/rounds.md "A call-gap target"): boundary
// moves and swaps on lots whose p90 call gap is over the target, each tried with the care-round
// estimate of the two lots it touches (rounds.hpp, the one estimate).
#include "lotwright/design/call_gap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "call_gap_state.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/parallel.hpp"
#include "lotwright/core/pieces.hpp"
#include "lotwright/metrics/hubs.hpp"
#include "lotwright/metrics/metrics.hpp"

namespace lotwright::geo {
namespace call_gap_detail {
namespace {

// Minutes charged for a unit its hub's tree does not reach, when weighing a move (the
// designer's objective charges the same).
constexpr double kUnreachableMin = 1e4;
// Moves estimated on one lot before the best acceptable one is taken, and at most per attempt.
constexpr int kBatch = 6;
constexpr int kPerAttempt = 24;

struct Change {
  int unit = 0, from = 0, to = 0;
};

// A move on the boundary of lot a (over the target) with its neighbour b: a unit of a to b
// (kind 0), a unit of b to a (kind 1), or one of each swapped (kind 2).
struct Move {
  int a = 0, b = 0, kind = 0;
  std::vector<Change> changes;
  double score = 0;  // long legs of a it touches (a unit at their end, or beside one)
};

double band_out(const std::vector<Band>& bands, double h) {
  if (bands.empty()) return 0;
  double best = std::numeric_limits<double>::infinity();
  for (const Band& b : bands) best = std::min(best, hours_outside(h, b));
  return best;
}

double hub_minutes(const GapState& s, int l, int u) {
  const float t = s.tree[l][u];
  return std::isfinite(t) ? static_cast<double>(t) : kUnreachableMin;
}

void set_hub_tree(GapState& s, int l) {
  s.tree[l].assign(s.g.size(), kUnreachable);
  if (l < static_cast<int>(s.plan.hub.size()) && s.plan.hub[l] >= 0)
    s.g.travel->tree(s.plan.hub[l], s.tree[l]);
}

void estimate(GapState& s, int l) {
  s.fig[l] = estimate_rounds(s.g, s.members[l], s.rounds, s.legs[l]);
  ++s.estimates;
}

void init(GapState& s) {
  const UnitGraph& g = s.g;
  s.k = s.plan.lot_count;
  s.members.assign(s.k, {});
  s.hours.assign(s.k, 0);
  for (std::size_t u = 0; u < g.size() && u < s.plan.lot_of.size(); ++u) {
    const int l = s.plan.lot_of[u];
    if (l < 0 || l >= s.k) continue;
    s.members[l].push_back(static_cast<int>(u));
    s.hours[l] += g.hours[u];
    s.assigned_h += g.hours[u];
  }
  s.plan.hub.resize(s.k, -1);
  s.limit.assign(s.k, std::numeric_limits<double>::infinity());
  s.bands.assign(s.k, {});
  s.pieces.assign(s.k, 0);
  const std::vector<double> w = hub_weights(g);
  for (int l = 0; l < s.k; ++l) {
    const std::string tier = l < static_cast<int>(s.plan.tier.size()) ? s.plan.tier[l] : "";
    s.limit[l] = lot_travel_limit(s.design, tier);
    s.bands[l] = lot_bands(s.design, tier, s.assigned_h, s.k);
    s.pieces[l] = count_pieces(g, s.plan.lot_of, l, s.members[l]);
    const int h = s.plan.hub[l];
    if ((h < 0 || s.plan.lot_of[h] != l) && !s.members[l].empty())
      s.plan.hub[l] = exact_hub(g, *g.travel, s.members[l], w, s.limit[l]);
  }
  s.tree.assign(s.k, {});
  detail::parallel_for(static_cast<std::size_t>(s.k),
                       [&](std::size_t l) { set_hub_tree(s, static_cast<int>(l)); });
  s.fig.assign(s.k, {});
  s.legs.assign(s.k, {});
  s.refused.assign(s.k, {});
  for (int l = 0; l < s.k; ++l) estimate(s, l);
}

// Per unit: the legs over the target of lot a that end there.
std::vector<int> long_leg_ends(const GapState& s, int a) {
  std::vector<int> at(s.g.size(), 0);
  for (const RoundLeg& leg : s.legs[a])
    if (leg.minutes > s.target) ++at[leg.from], ++at[leg.to];
  return at;
}

bool has_hours(const GapState& s, int u) { return s.g.hours[u] > 0; }

// The moves on lot a's boundary: those that touch its long legs first (most first), then
// those that bring a neighbour's calls in.
std::vector<Move> candidates(const GapState& s, int a) {
  const UnitGraph& g = s.g;
  const std::vector<int>& lot_of = s.plan.lot_of;
  const std::vector<int> at = long_leg_ends(s, a);
  // Long legs of a beside unit v (v itself excluded).
  const auto beside = [&](int v, int skip) {
    double n = 0;
    for (auto e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
      const int w = static_cast<int>(g.targets[e]);
      if (w != skip && lot_of[w] == a) n += at[w];
    }
    return n;
  };
  std::vector<Move> out;
  std::vector<char> seen_in(g.size(), 0);
  for (int u : s.members[a]) {
    if (!has_hours(s, u)) continue;
    std::vector<int> to;
    for (auto e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
      const int v = static_cast<int>(g.targets[e]);
      const int b = lot_of[v];
      if (b < 0 || b == a || b >= s.k) continue;
      if (std::find(to.begin(), to.end(), b) == to.end()) {
        to.push_back(b);
        if (at[u] > 0) out.push_back({a, b, 0, {{u, a, b}}, static_cast<double>(at[u])});
      }
      if (!has_hours(s, v)) continue;
      // Moves that bring calls in come after those at long legs: more calls near the lot's
      // own shorten its legs (tie-break: the postcode's hours, most first).
      const double more = 1e-6 * g.hours[v];
      if (!seen_in[v]) {
        seen_in[v] = 1;
        out.push_back({a, b, 1, {{v, b, a}}, beside(v, -1) + more});
      }
      out.push_back({a, b, 2, {{u, a, b}, {v, b, a}}, at[u] + beside(v, u) + more});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Move& x, const Move& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.kind != y.kind) return x.kind < y.kind;
    if (x.changes[0].unit != y.changes[0].unit) return x.changes[0].unit < y.changes[0].unit;
    return x.changes.back().unit < y.changes.back().unit;
  });
  return out;
}

// Members of lot l after the move (ascending).
std::vector<int> members_after(const GapState& s, const Move& m, int l) {
  std::vector<int> out;
  out.reserve(s.members[l].size() + 1);
  for (int u : s.members[l]) {
    bool leaves = false;
    for (const Change& c : m.changes) leaves |= c.unit == u && c.from == l;
    if (!leaves) out.push_back(u);
  }
  for (const Change& c : m.changes)
    if (c.to == l) out.insert(std::upper_bound(out.begin(), out.end(), c.unit), c.unit);
  return out;
}

double hours_after(const GapState& s, const Move& m, int l) {
  double h = s.hours[l];
  for (const Change& c : m.changes) {
    if (c.from == l) h -= s.g.hours[c.unit];
    if (c.to == l) h += s.g.hours[c.unit];
  }
  return h;
}

enum class Verdict { kOk, kLocked, kBand, kTravel, kPieces };

// The hard rules a move must keep: no locked unit moves, both lots stay in (or come no
// further out of) their hours band, every moved unit with hours within its new lot's travel
// limit of that lot's hub, and neither lot splits into more pieces.
Verdict check(GapState& s, const Move& m, PieceFinder& finder) {
  for (const Change& c : m.changes) {
    if (!s.locked.empty() && s.locked[c.unit] != kNoLot) return Verdict::kLocked;
    if (has_hours(s, c.unit) && !(hub_minutes(s, c.to, c.unit) <= s.limit[c.to] + 1e-6))
      return Verdict::kTravel;
  }
  for (int l : {m.a, m.b})
    if (band_out(s.bands[l], hours_after(s, m, l)) > band_out(s.bands[l], s.hours[l]) + 1e-9)
      return Verdict::kBand;
  for (const Change& c : m.changes) s.plan.lot_of[c.unit] = c.to;
  bool split = false;
  for (int l : {m.a, m.b}) {
    const std::vector<int> after = members_after(s, m, l);
    split |= after.empty() || finder.label(s.g, s.plan.lot_of, l, after) > s.pieces[l];
  }
  for (const Change& c : m.changes) s.plan.lot_of[c.unit] = c.from;
  return split ? Verdict::kPieces : Verdict::kOk;
}

// A move estimated: the two lots' figures and legs after it, and what it changes.
struct Tried {
  Move move;
  std::vector<int> members_a, members_b;
  RoundFigures fa, fb;
  std::vector<RoundLeg> la, lb;
  double d_excess = 0, d_travel = 0, d_objective = 0;
};

Tried try_move(GapState& s, const Move& m, double weight) {
  Tried t;
  t.move = m;
  t.members_a = members_after(s, m, m.a);
  t.members_b = members_after(s, m, m.b);
  t.fa = estimate_rounds(s.g, t.members_a, s.rounds, t.la);
  t.fb = estimate_rounds(s.g, t.members_b, s.rounds, t.lb);
  s.estimates += 2;
  const auto over = [&](const RoundFigures& f) {
    return std::max(0.0, f.call_gap_p90_min - s.target);
  };
  t.d_excess = over(t.fa) + over(t.fb) - s.excess(m.a) - s.excess(m.b);
  double dt = 0;
  for (const Change& c : m.changes)
    dt += s.g.hours[c.unit] * (hub_minutes(s, c.to, c.unit) - hub_minutes(s, c.from, c.unit));
  t.d_travel = s.assigned_h > 0 ? dt / s.assigned_h : 0;
  t.d_objective = t.d_travel + weight * t.d_excess;
  return t;
}

// Takes a move: the lots' members, hours, pieces, figures, and their exact hubs and trees.
void apply(GapState& s, Tried& t, const std::vector<double>& hub_w) {
  const Move& m = t.move;
  for (const Change& c : m.changes) s.plan.lot_of[c.unit] = c.to;
  for (int l : {m.a, m.b}) s.hours[l] = hours_after(s, m, l);
  s.members[m.a] = std::move(t.members_a);
  s.members[m.b] = std::move(t.members_b);
  s.fig[m.a] = t.fa;
  s.fig[m.b] = t.fb;
  s.legs[m.a] = std::move(t.la);
  s.legs[m.b] = std::move(t.lb);
  for (int l : {m.a, m.b}) {
    s.pieces[l] = count_pieces(s.g, s.plan.lot_of, l, s.members[l]);
    s.plan.hub[l] = exact_hub(s.g, *s.g.travel, s.members[l], hub_w, s.limit[l]);
    set_hub_tree(s, l);
  }
}

void refuse(Refusals& r, Verdict v) {
  switch (v) {
    case Verdict::kLocked:
      ++r.locked;
      break;
    case Verdict::kBand:
      ++r.band;
      break;
    case Verdict::kTravel:
      ++r.travel;
      break;
    case Verdict::kPieces:
      ++r.pieces;
      break;
    case Verdict::kOk:
      break;
  }
}

// One attempt on lot a: its candidate moves in order, checked, then estimated in batches;
// the best acceptable move of the first batch that has one is taken. Returns the lots whose
// candidate moves may have changed (empty: no move taken).
std::vector<int> improve(GapState& s, int a, const CallGapRequest& req,
                         const std::vector<double>& hub_w, CallGapTargetReport& r) {
  const double weight = s.design.call_gap_weight;
  Refusals& refused = s.refused[a];
  refused = {};
  PieceFinder finder;
  const std::vector<Move> moves = candidates(s, a);
  int tried = 0;
  bool have = false;
  Tried best;
  std::size_t i = 0;
  for (; i < moves.size(); ++i) {
    if (tried >= kPerAttempt || (have && tried % kBatch == 0 && tried > 0)) break;
    if (s.estimates + 2 > req.estimate_budget) {
      r.budget_reached = true;
      break;
    }
    const Verdict v = check(s, moves[i], finder);
    if (v != Verdict::kOk) {
      refuse(refused, v);
      continue;
    }
    Tried t = try_move(s, moves[i], weight);
    ++tried;
    if (t.d_excess >= -1e-9) {
      ++refused.no_gain;
    } else if (t.d_objective >= -1e-12) {
      ++refused.objective;
    } else if (!have || t.d_objective < best.d_objective) {
      best = std::move(t);
      have = true;
    }
  }
  refused.untried += static_cast<long>(moves.size() - i);
  if (!have) return {};
  apply(s, best, hub_w);
  (best.move.kind == 2 ? r.swaps : r.moves) += 1;
  std::vector<int> touched = {best.move.a, best.move.b};
  for (const Change& c : best.move.changes)
    for (auto e = s.g.offsets[c.unit]; e < s.g.offsets[c.unit + 1]; ++e)
      touched.push_back(s.plan.lot_of[s.g.targets[e]]);
  return touched;
}

std::vector<CallGapLot> lots_over(const GapState& s) {
  std::vector<CallGapLot> out;
  for (int l = 0; l < s.k; ++l)
    if (s.excess(l) > 0) out.push_back({l + 1, s.fig[l].call_gap_p90_min, s.excess(l), ""});
  return out;
}

}  // namespace

double mean_hub_travel(const GapState& s) {
  double sum = 0, h = 0;
  for (int l = 0; l < s.k; ++l)
    for (int u : s.members[l]) {
      const float t = s.tree[l][u];
      if (!std::isfinite(t)) continue;
      sum += s.g.hours[u] * t;
      h += s.g.hours[u];
    }
  return h > 0 ? sum / h : 0;
}

}  // namespace call_gap_detail

CallGapTargetReport meet_call_gap_target(const UnitGraph& g, Plan& plan,
                                         const CallGapRequest& req) {
  using namespace call_gap_detail;
  if (!req.design || !req.design->max_call_gap_minutes)
    throw UsageError("the call-gap stage needs [design] max_call_gap_minutes");
  if (!g.travel)
    throw DataError(
        "the call-gap target needs travel times between postcodes; this unit graph "
        "has none");
  static const std::vector<int> kNone;
  const RoundParams defaults;
  GapState s(g, *req.design, req.rounds ? *req.rounds : defaults, req.locked ? *req.locked : kNone,
             plan);
  s.target = *req.design->max_call_gap_minutes;
  CallGapTargetReport r;
  r.target_min = s.target;
  r.weight = req.design->call_gap_weight;
  init(s);
  r.over_before = lots_over(s);
  r.excess_before_min = s.total_excess();
  r.hub_travel_before_min = mean_hub_travel(s);
  const std::vector<double> hub_w = hub_weights(g);
  std::vector<char> stuck(static_cast<std::size_t>(s.k), 0);
  while (true) {
    int a = -1;
    for (int l = 0; l < s.k; ++l)
      if (!stuck[l] && s.excess(l) > 0 && (a < 0 || s.excess(l) > s.excess(a))) a = l;
    if (a < 0) break;
    if (s.estimates + 2 > req.estimate_budget) {
      r.budget_reached = true;
      break;
    }
    const std::vector<int> touched = improve(s, a, req, hub_w, r);
    if (touched.empty()) stuck[a] = 1;
    for (int l : touched)
      if (l >= 0 && l < s.k) stuck[l] = 0;
  }
  r.over_after = lots_over(s);
  for (CallGapLot& lot : r.over_after) lot.why = why_over(s, lot.lot - 1);
  r.excess_after_min = s.total_excess();
  r.hub_travel_after_min = mean_hub_travel(s);
  r.lot_estimates = s.estimates;
  return r;
}

}  // namespace lotwright::geo
