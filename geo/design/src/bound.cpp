// The Lagrangian lower bound (exact.hpp, aggregated_bound; docs/designer.md, "How", step 7).
//
// The model is exact.hpp's: x[i][j] = unit i in the lot of hub j, y[j] = x[j][j] opens hub j,
// Σ_j y[j] = lots, Σ_j x[i][j] = 1, x[i][j] <= y[j], hours of j's lot <= hi y[j] (and >= lo,
// contiguity, which are dropped: fewer constraints, a lower optimum). Moving the rows
// Σ_j x[i][j] = 1 into the objective with multipliers λ_i leaves, for any λ,
//   L(λ) = Σ_i λ_i + the `lots` smallest v_j,
//   v_j = -λ_j + min { Σ_{i != j} (w_i t(j,i) - λ_i) x_i : Σ h_i x_i <= hi - h_j, 0 <= x <= 1 },
// a fractional knapsack (greedy by ratio), and every L(λ) is a lower bound. Pairs beyond the
// travel limit (units with hours) are not allowed; pairs are listed up to a radius R, and
// λ_i <= w_i R for the units a pair beyond R may serve, so an unlisted pair never pays
// (w_i t(j,i) >= w_i R >= λ_i) and needs no tree beyond R; the band's lower edge takes the
// hours it still lacks from unlisted units at w_i R - λ_i each (LowerEdgePool). λ starts at
// the incumbent's own costs and follows a fixed number of subgradient steps (Polyak's step
// towards the incumbent's objective), keeping the best L.
//
// Units the incumbent's hubs do not reach (a postcode off the roads) are left out of both
// sides: the bound is on Σ w·minutes over the units it reaches, as is the incumbent's.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "lotwright/core/parallel.hpp"
#include "lotwright/core/text.hpp"
#include "lotwright/design/exact.hpp"

namespace lotwright::geo {
namespace {

struct Pair {
  int unit;
  float minutes;
};

struct Item {
  double ratio, reduced, hours;
  int unit;
};

// The incumbent's side: per unit its minutes from its lot's hub, and which units count (those
// its hubs reach); fills res.incumbent and res.weight.
struct Incumbent {
  std::vector<char> in;
  std::vector<double> own;
  double total_hours = 0, far_hours = 0;
};

Incumbent incumbent_costs(const UnitGraph& g, const Plan& plan, int lots,
                          const std::vector<double>& w, BoundResult& res) {
  const std::size_t n = g.size();
  std::vector<std::vector<float>> hub_tree(static_cast<std::size_t>(lots));
  detail::parallel_for(hub_tree.size(), [&](std::size_t l) {
    if (plan.hub[l] >= 0) g.travel->tree(plan.hub[l], hub_tree[l]);
  });
  Incumbent c;
  c.in.assign(n, 0);
  c.own.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    c.total_hours += g.hours[i];
    const int l = plan.lot_of[i];
    if (l < 0 || l >= lots || plan.hub[l] < 0) continue;
    const float d = hub_tree[l][i];
    if (!std::isfinite(d)) continue;
    c.in[i] = 1;
    c.own[i] = d;
    res.incumbent += w[i] * static_cast<double>(d);
    res.weight += w[i];
    if (g.hours[i] > 0) c.far_hours = std::max(c.far_hours, static_cast<double>(d));
  }
  return c;
}

bool bad_request(const UnitGraph& g, const BoundRequest& r, BoundResult& res) {
  const Plan* plan = r.incumbent;
  if (!plan || plan->lot_of.size() != g.size() || static_cast<int>(plan->hub.size()) != r.lots ||
      r.lots < 1 || !g.travel) {
    res.why_not = "no plan with hubs to certify";
    return true;
  }
  return false;
}

}  // namespace

// ---- The aggregated bound (exact.hpp, aggregated_bound) ----
//
// The same Lagrangian, with every hub's travel replaced by a lower bound that needs trees from
// a few centres only. For a centre c and any units j, i, the road times obey the triangle
// inequality t(c,i) <= t(c,j) + t(j,i), so t(j,i) >= t(c,i) - t(c,j): a hub j of centre c's
// cell (the centre that reaches j soonest, δ_j = t(c,j)) serves i at no less than
// l(j,i) = max(0, t(c,i) - δ_j) >= max(0, t(c,i) - D) for any D >= δ_j. The hubs of a cell are
// put in groups by δ (D = the group's largest δ). Hub j's value v_j is written with x_j = 1 as
// an item of its own knapsack (cost -λ_j, its hours counted in the band); freeing x_j and
// lowering every cost to l gives the group's knapsack K, at most v_j for each of its hubs, and
// Σλ + the `lots` smallest K over the hubs is a lower bound on every plan. The knapsack keeps
// both band edges (the lower one only with a travel limit, see below). A pair is allowed when
// its lower bound l is within the travel limit (a pair beyond it is beyond it for real). Pairs
// are listed to a radius R (the travel limit, else the incumbent's farthest trip + 1 minute)
// and λ_i <= w_i R where an unlisted pair could serve i, so an unlisted pair never pays. Cost:
// one bounded tree per centre and a fixed number of subgradient steps over the groups' pairs.
namespace {

// Fractional knapsack min Σ reduced·x, Σ hours·x <= capacity, by weighted selection (expected
// linear time; the items are reordered): the cheapest `capacity` hours by ratio. `take` (may
// be null) gets x per unit taken; `taken` (may be null) the hours taken.
double select_knapsack(std::vector<Item>& items, double capacity,
                       std::vector<std::pair<int, double>>* take, double* taken = nullptr) {
  const auto before = [](const Item& a, const Item& b) {
    return a.ratio < b.ratio || (a.ratio == b.ratio && a.unit < b.unit);
  };
  double sum = 0, left = std::max(0.0, capacity);
  std::size_t lo = 0, hi = items.size();
  while (lo < hi && left > 0) {
    const std::size_t mid = lo + (hi - lo) / 2;
    std::nth_element(items.begin() + static_cast<long>(lo), items.begin() + static_cast<long>(mid),
                     items.begin() + static_cast<long>(hi), before);
    double h = 0;
    for (std::size_t k = lo; k < mid; ++k) h += items[k].hours;
    if (h > left) {
      hi = mid;
      continue;
    }
    for (std::size_t k = lo; k < mid; ++k) {
      sum += items[k].reduced;
      if (take) take->push_back({items[k].unit, 1.0});
    }
    left -= h;
    const Item& it = items[mid];
    const double x = std::min(1.0, left / it.hours);
    sum += x * it.reduced;
    left -= x * it.hours;
    if (take) take->push_back({it.unit, x});
    lo = mid + 1;
  }
  if (taken) *taken = std::max(0.0, capacity) - left;
  return sum;
}

// A group of hubs of one centre's cell: the centre's pairs shifted by D.
struct Group {
  int centre = 0;
  double shift = 0;          // D: the group's largest δ
  double capacity = 0;       // the band's upper edge
  double need = 0;           // the band's lower edge (0 without a travel limit)
  double listed = 0;         // the centre's pairs are listed up to these minutes
  int first = 0, count = 0;  // its hubs: BoundGroups::hubs[first, first + count)
  bool exact = false;        // one hub with its own tree (no shift)
  bool retired = false;      // replaced by its hubs' own groups (refined)
};

// Centres spread over the units the incumbent reaches: farthest-point sampling on the sites
// (deterministic), from the unit nearest the hours-weighted centre.
std::vector<int> spread_centres(const UnitGraph& g, const std::vector<char>& in, int count) {
  const std::size_t n = g.size();
  double hx = 0, hy = 0, hs = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (in[i])
      hx += (g.hours[i] + 1e-9) * g.site[i].x, hy += (g.hours[i] + 1e-9) * g.site[i].y,
          hs += g.hours[i] + 1e-9;
  std::vector<int> out;
  if (!(hs > 0)) return out;
  // Squared distances (the same order as distances, a fifth of hypot's cost: 450 million
  // at 150,000 postcodes and 3,000 centres).
  const auto sq = [](double dx, double dy) { return dx * dx + dy * dy; };
  std::vector<double> far(n, std::numeric_limits<double>::infinity());
  auto next = [&](double px, double py, bool first) {
    int best = -1;
    double bd = first ? std::numeric_limits<double>::infinity() : -1;
    for (std::size_t i = 0; i < n; ++i) {
      if (!in[i]) continue;
      const double d = first ? sq(g.site[i].x - px, g.site[i].y - py) : far[i];
      if (first ? d < bd : d > bd) bd = d, best = static_cast<int>(i);
    }
    return best;
  };
  int c = next(hx / hs, hy / hs, true);
  while (c >= 0 && static_cast<int>(out.size()) < count) {
    out.push_back(c);
    far[c] = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (in[i])
        far[i] = std::min(far[i], sq(g.site[i].x - g.site[c].x, g.site[i].y - g.site[c].y));
    c = next(0, 0, false);
    if (c >= 0 && !(far[c] > 0)) break;
  }
  return out;
}

// The centres, each with its tree's pairs within `reach`, and every possible hub's cell (the
// soonest centre) and shift δ (its minutes from that centre).
struct BoundCells {
  std::vector<int> centres;
  std::vector<std::vector<Pair>> pairs;
  std::vector<int> cell;
  std::vector<double> delta;
  double reach = 0;  // the pairs' minutes from their centre are at most this
  // Per centre, how far its pairs are listed (at least reach): a centre whose cell holds a
  // hub farther than the cover from it lists its pairs to R + that hub's δ, so that every
  // group of the cell lies within its list (extend_lists).
  std::vector<double> listed;
};

BoundCells cover_with_centres(const UnitGraph& g, const BoundRequest& r, const Incumbent& inc,
                              int want, double hi, double cover, double reach) {
  const std::size_t n = g.size();
  BoundCells bc;
  bc.reach = reach;
  auto& centres = bc.centres;
  auto& pairs = bc.pairs;
  auto& cell = bc.cell;
  auto& delta = bc.delta;
  centres = spread_centres(g, inc.in, want);
  cell.assign(n, -1);
  delta.assign(n, std::numeric_limits<double>::infinity());
  std::size_t done = 0;
  while (done < centres.size()) {
    pairs.resize(centres.size());
    detail::parallel_for(centres.size() - done, [&](std::size_t k) {
      thread_local std::vector<float> t;
      const std::size_t c = done + k;
      (r.trees ? *r.trees : *g.travel).tree(centres[c], t, static_cast<float>(reach));
      for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(t[i]) && t[i] <= reach) pairs[c].push_back({static_cast<int>(i), t[i]});
    });
    for (std::size_t c = done; c < centres.size(); ++c)  // cells: soonest centre, then first
      for (const auto& pr : pairs[c])
        if (pr.minutes < delta[pr.unit])
          delta[pr.unit] = pr.minutes, cell[pr.unit] = static_cast<int>(c);
    done = centres.size();
    // Hubs left uncovered: new centres among them, thinned on the map (at most one per
    // square of `cover` minutes at 30 km/h, 500 m a minute), until none is left.
    const double side = std::max(1.0, 500.0 * cover);
    std::map<std::pair<long long, long long>, int> taken;
    // Past max_centres only hubs no centre reaches at all get one (a hub with no centre would
    // have no bound on its travel); the others keep their cell, with a larger shift. The cap
    // holds per centre added, not per round (a round at 150,000 postcodes added thousands).
    const std::size_t most = static_cast<std::size_t>(std::max(want, r.max_centres));
    for (std::size_t j = 0; j < n; ++j) {
      const bool more = centres.size() < most;
      if (!(g.hours[j] <= hi) || (cell[j] >= 0 && (delta[j] <= cover || !more))) continue;
      const std::pair<long long, long long> key{std::llround(std::floor(g.site[j].x / side)),
                                                std::llround(std::floor(g.site[j].y / side))};
      if (!taken.emplace(key, static_cast<int>(j)).second && cell[j] >= 0) continue;
      centres.push_back(static_cast<int>(j));
      delta[j] = 0;
      cell[j] = static_cast<int>(centres.size()) - 1;
    }
  }
  bc.listed.assign(centres.size(), reach);
  return bc;
}

// Lists long enough for every hub of the cell (BoundCells::listed): a group whose shift D
// passes its list's cover would otherwise run its knapsack over every unit at every
// evaluation (150,000 postcodes: 11,924 of 35,867 groups, 59,503 hubs, about 1.8 billion
// pairs a full evaluation against 90 million for the others). A centre's tree is searched again
// to R + its cell's largest δ, at most R + most_shift; past that a group keeps the scan over
// every unit (valid, slower).
void extend_lists(const UnitGraph& g, const BoundRequest& r, BoundCells& bc, double hi,
                  double radius, double most_shift) {
  const std::size_t n = g.size();
  std::vector<double> far(bc.centres.size(), 0);
  for (std::size_t j = 0; j < n; ++j)
    if (g.hours[j] <= hi && bc.cell[j] >= 0)
      far[bc.cell[j]] = std::max(far[bc.cell[j]], std::min(bc.delta[j], most_shift));
  std::vector<int> longer;
  for (std::size_t c = 0; c < bc.centres.size(); ++c)
    if (radius + far[c] > bc.listed[c]) longer.push_back(static_cast<int>(c));
  detail::parallel_for(longer.size(), [&](std::size_t k) {
    thread_local std::vector<float> t;
    const auto c = static_cast<std::size_t>(longer[k]);
    const double to = radius + far[c];
    (r.trees ? *r.trees : *g.travel).tree(bc.centres[c], t, static_cast<float>(to));
    bc.pairs[c].clear();
    for (std::size_t i = 0; i < n; ++i)
      if (std::isfinite(t[i]) && t[i] <= to) bc.pairs[c].push_back({static_cast<int>(i), t[i]});
    bc.listed[c] = to;
  });
}

// The hubs in groups: each cell's hubs by δ, at most group_size per group; a group's shift is
// its largest δ.
struct BoundGroups {
  std::vector<Group> groups;
  std::vector<int> hubs, group_of;
};

BoundGroups group_cell_hubs(const UnitGraph& g, const BoundRequest& r, const Incumbent& inc,
                            const BoundCells& bc, double hi, double lo, bool limited) {
  const std::size_t n = g.size();
  const auto& centres = bc.centres;
  const auto& cell = bc.cell;
  const auto& delta = bc.delta;
  BoundGroups bg;
  auto& groups = bg.groups;
  auto& hubs = bg.hubs;
  auto& group_of = bg.group_of;
  std::vector<std::vector<int>> cell_hubs(centres.size());
  for (std::size_t j = 0; j < n; ++j)
    if (g.hours[j] <= hi && cell[j] >= 0) cell_hubs[cell[j]].push_back(static_cast<int>(j));
  // Hours of units the incumbent's hubs do not reach count towards no knapsack, so the
  // lower edge is lowered by them all (a lot may hold them).
  double out_hours = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!inc.in[i]) out_hours += g.hours[i];
  const std::size_t size = static_cast<std::size_t>(std::max(1, r.group_size));
  for (std::size_t c = 0; c < centres.size(); ++c) {
    auto& hs = cell_hubs[c];
    std::sort(hs.begin(), hs.end(),
              [&](int a, int b) { return delta[a] < delta[b] || (delta[a] == delta[b] && a < b); });
    for (std::size_t k = 0; k < hs.size(); k += size) {
      Group gr;
      gr.centre = static_cast<int>(c);
      gr.first = static_cast<int>(hubs.size());
      gr.count = static_cast<int>(std::min(hs.size(), k + size) - k);
      gr.exact = gr.count == 1 && centres[c] == hs[k];
      for (std::size_t q = k; q < std::min(hs.size(), k + size); ++q) {
        gr.shift = std::max(gr.shift, delta[hs[q]]);
        hubs.push_back(hs[q]);
        group_of.push_back(static_cast<int>(groups.size()));
      }
      gr.capacity = hi;
      gr.need = limited ? lo - out_hours : 0;
      gr.listed = bc.listed[c];
      groups.push_back(gr);
    }
  }
  return bg;
}

// Lists cut below the travel limit (BoundRequest::radius_minutes): a unit i not listed for a
// group lies more than R from its hubs, so it joins that lot at a reduced cost of at least
// w_i R - λ_i >= 0 (λ_i <= w_i R). Every unit with hours in that order, by cost per hour: the
// band's lower edge is filled from the cheapest ones a group has not listed, each once (the
// pool used to be one price, the least of any unit, for as many hours as asked: one unit at
// its cap, λ_i = w_i R, made the lower edge free).
struct LowerEdgePool {
  bool on = false;
  std::vector<Item> order;

  void update(const std::vector<double>& hours, const std::vector<double>& cap,
              const std::vector<double>& lambda) {
    order.clear();
    if (!on) return;
    for (std::size_t i = 0; i < hours.size(); ++i)
      if (hours[i] > 0) {
        const double red = std::max(0.0, cap[i] - lambda[i]);
        order.push_back({red / hours[i], red, hours[i], static_cast<int>(i)});
      }
    std::sort(order.begin(), order.end(), [](const Item& a, const Item& b) {
      return a.ratio < b.ratio || (a.ratio == b.ratio && a.unit < b.unit);
    });
  }
};

// K of a group: the centre's pairs at l = max(0, t - D), within R and the travel limit.
struct GroupKnapsack {
  const UnitGraph& g;
  const Incumbent& inc;
  const std::vector<double>& w;
  const std::vector<std::vector<Pair>>& pairs;
  const std::vector<double>& hours;
  const std::vector<double>& lambda;
  double radius, limit;
  // Lists cut below the travel limit (BoundRequest::radius_minutes): the units with hours by
  // the least reduced cost per hour of an unlisted pair, (w_i R - λ_i) / hours_i; the band's
  // lower edge is filled past a group's listed units from these, each unit once (empty when
  // every allowed pair is listed).
  const LowerEdgePool& pool;

  double operator()(const Group& gr, std::vector<Item>& items, std::vector<Item>& fill,
                    std::vector<std::pair<int, double>>* take) const {
    double sum = 0;
    items.clear();
    fill.clear();
    // The units this group accounts for at their listed minutes (l <= R): the pool skips them.
    thread_local std::vector<unsigned> seen;
    thread_local unsigned visit = 0;
    if (seen.size() < g.size()) seen.assign(g.size(), 0), visit = 0;
    if (++visit == 0) std::fill(seen.begin(), seen.end(), 0u), visit = 1;
    const auto consider = [&](int i, double l) {
      if (!inc.in[i] || l > radius) return;
      seen[static_cast<std::size_t>(i)] = visit;
      if (g.hours[i] > 0 && l > limit) return;
      const double red = w[i] * l - lambda[i];
      if (!(red < 0)) {
        if (hours[i] > 0 && gr.need > 0) fill.push_back({red / hours[i], red, hours[i], i});
      } else if (hours[i] <= 0) {
        sum += red;
        if (take) take->push_back({i, 1.0});
      } else {
        items.push_back({red / hours[i], red, hours[i], i});
      }
    };
    const auto& list = pairs[gr.centre];
    if (gr.shift + radius <= gr.listed) {
      // Every pair within R of a hub of the group is listed: t(c,i) <= t(j,i) + δ <= R + D.
      for (const auto& p : list)
        consider(p.unit, std::max(0.0, static_cast<double>(p.minutes) - gr.shift));
    } else {
      // A shift beyond the list's cover (past max_centres): a unit not listed lies farther
      // than `listed` from the centre, so at least listed - D from the hub; every unit counts.
      thread_local std::vector<float> at;
      at.assign(g.size(), std::numeric_limits<float>::infinity());
      for (const auto& p : list) at[p.unit] = p.minutes;
      const double beyond = std::max(0.0, gr.listed - gr.shift);
      for (std::size_t i = 0; i < g.size(); ++i)
        consider(static_cast<int>(i), std::isfinite(at[i])
                                          ? std::max(0.0, static_cast<double>(at[i]) - gr.shift)
                                          : beyond);
    }
    double taken = 0;
    sum += select_knapsack(items, gr.capacity, take, &taken);
    // Below the band's lower edge: the cheapest further hours (units with hours only), from
    // the listed units and, past the lists, the pool's units this group has not listed (an
    // unlisted pair costs at least w_i R - λ_i): each unit once, a fractional knapsack.
    if (taken < gr.need) {
      const double want = gr.need - taken;
      double last = 0;
      if (pool.on) {
        thread_local std::vector<Item> extra;
        extra.clear();
        double got = 0;
        for (const Item& it : pool.order) {
          if (got >= want) break;
          if (seen[static_cast<std::size_t>(it.unit)] == visit) continue;
          extra.push_back(it);
          got += it.hours;
          last = it.ratio;
        }
        // Listed units dearer than the pool's last needed unit are never taken.
        if (got >= want)
          fill.erase(std::remove_if(fill.begin(), fill.end(),
                                    [&](const Item& it) { return it.ratio > last; }),
                     fill.end());
        fill.insert(fill.end(), extra.begin(), extra.end());
      }
      double filled = 0;
      sum += select_knapsack(fill, want, take, &filled);
      // Not enough hours for the lower edge: the hub's lot cannot reach the band, and any
      // value is a lower bound on its +inf; the remainder at the pool's last price.
      sum += last * std::max(0.0, want - filled);
    }
    return sum;
  }
};

// Refinement (BoundRequest::refine_pairs): a group's K is at most each of its hubs' own
// values, so replacing a group by one group per hub, each with the hub's own tree (no shift, no
// centre), keeps every hub's value bounded below and only raises it. The climb refines the
// groups holding the refine_rank (at least `lots`) smallest hub values at each full evaluation
// until those are all exact (or the budget of pairs is spent): the bound at that λ is then the one
// a tree per hub gives, for the trees of the hubs that compete only. Trees reach the radius R (no
// cover).
struct Refiner {
  const UnitGraph& g;
  const BoundRequest& r;
  BoundCells& bc;
  BoundGroups& bg;
  double radius;
  std::size_t used = 0;  // pairs listed so far
  int refined = 0;       // hubs given their own tree

  bool can() const { return used < r.refine_pairs; }

  // Replaces the groups `which` (not exact) by one exact group per hub; returns the new ones.
  std::vector<int> refine(const std::vector<int>& which) {
    std::vector<int> hub_index;
    for (int gi : which)
      for (int h = bg.groups[gi].first; h < bg.groups[gi].first + bg.groups[gi].count; ++h)
        hub_index.push_back(h);
    std::vector<std::vector<Pair>> fresh(hub_index.size());
    const std::size_t n = g.size();
    detail::parallel_for(hub_index.size(), [&](std::size_t k) {
      thread_local std::vector<float> t;
      (r.trees ? *r.trees : *g.travel).tree(bg.hubs[hub_index[k]], t, static_cast<float>(radius));
      for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(t[i]) && t[i] <= radius) fresh[k].push_back({static_cast<int>(i), t[i]});
    });
    std::vector<int> out;
    std::size_t k = 0;
    for (int gi : which) {
      bg.groups[gi].retired = true;
      const Group old = bg.groups[gi];
      for (int h = old.first; h < old.first + old.count; ++h, ++k) {
        used += fresh[k].size();
        bc.pairs.push_back(std::move(fresh[k]));
        Group gr = old;
        gr.centre = static_cast<int>(bc.pairs.size()) - 1;
        gr.shift = 0;
        gr.listed = radius;
        gr.first = h;
        gr.count = 1;
        gr.exact = true;
        gr.retired = false;
        bg.group_of[h] = static_cast<int>(bg.groups.size());
        out.push_back(static_cast<int>(bg.groups.size()));
        bg.groups.push_back(gr);
        ++refined;
      }
    }
    return out;
  }
};

// The groups' values K at the current λ, and the candidates (the groups with the smallest K
// at the last full evaluation), for the subgradient climb.
struct GroupValues {
  BoundGroups& bg;
  Refiner& refiner;
  const GroupKnapsack& knapsack;
  std::size_t keep_groups, rank;
  std::vector<double> k_of;
  std::vector<int> cand_groups, cand_hubs, all_hubs;

  void evaluate(const std::vector<int>& which) {
    detail::parallel_for(which.size(), [&](std::size_t k) {
      thread_local std::vector<Item> items, fill;
      k_of[which[k]] = knapsack(bg.groups[which[k]], items, fill, nullptr);
    });
  }
  double value_of(int h) const { return k_of[bg.group_of[h]]; }
  // The hubs (indices into bg.hubs) of `from` with the `count` smallest values first.
  std::vector<int> smallest(const std::vector<int>& from, std::size_t count) const {
    std::vector<int> order = from;
    count = std::min(count, order.size());
    if (count == 0) return order;
    std::nth_element(order.begin(), order.begin() + static_cast<long>(count - 1), order.end(),
                     [&](int a, int b) {
                       const double va = value_of(a), vb = value_of(b);
                       return va < vb || (va == vb && a < b);
                     });
    return order;
  }
  // Every group, refined until the `rank` smallest hub values are exact (or the refiner's
  // budget is spent), then the candidates.
  void full() {
    const auto inf = std::numeric_limits<double>::infinity();
    k_of.assign(bg.groups.size(), inf);
    std::vector<int> live;
    for (std::size_t k = 0; k < bg.groups.size(); ++k)
      if (!bg.groups[k].retired) live.push_back(static_cast<int>(k));
    evaluate(live);
    while (refiner.can()) {
      const auto order = smallest(all_hubs, rank);
      std::vector<int> coarse;
      for (std::size_t k = 0; k < std::min(rank, order.size()); ++k) {
        const int gi = bg.group_of[order[k]];
        if (!bg.groups[gi].exact && std::find(coarse.begin(), coarse.end(), gi) == coarse.end())
          coarse.push_back(gi);
      }
      if (coarse.empty()) break;
      const auto fresh = refiner.refine(coarse);
      k_of.resize(bg.groups.size(), inf);
      for (int gi : coarse) k_of[gi] = inf;
      evaluate(fresh);
    }
    live.clear();
    for (std::size_t k = 0; k < bg.groups.size(); ++k)
      if (!bg.groups[k].retired) live.push_back(static_cast<int>(k));
    const std::size_t keep = std::min(keep_groups, live.size());
    std::nth_element(
        live.begin(), live.begin() + static_cast<long>(keep - 1), live.end(),
        [&](int a, int b) { return k_of[a] < k_of[b] || (k_of[a] == k_of[b] && a < b); });
    live.resize(keep);
    std::sort(live.begin(), live.end());
    cand_groups = live;
    cand_hubs.clear();
    for (int gi : cand_groups)
      for (int h = bg.groups[gi].first; h < bg.groups[gi].first + bg.groups[gi].count; ++h)
        if (bg.group_of[h] == gi) cand_hubs.push_back(h);
    std::sort(cand_hubs.begin(), cand_hubs.end());
  }
};

// The subgradient climb of L(λ) over the groups' knapsacks, from the incumbent's λ; the best
// fully evaluated L is the bound (res.iterations, res.full_evaluations, res.refined counted).
double climb_bound(const UnitGraph& g, const BoundRequest& r, const Incumbent& inc,
                   const std::vector<double>& w, BoundCells& bc, BoundGroups& bg, double radius,
                   double limit, BoundResult& res) {
  const std::size_t n = g.size();
  const bool limited = r.max_travel_minutes > 0;
  // Every allowed pair of a unit with hours is listed when the lists reach the limit.
  const bool all_listed = limited && !(radius < limit);
  std::vector<double> hours(n), cap(n), lambda(n);
  for (std::size_t i = 0; i < n; ++i) {
    hours[i] = inc.in[i] ? g.hours[i] : 0;
    cap[i] = inc.in[i] ? (all_listed && g.hours[i] > 0 ? std::numeric_limits<double>::infinity()
                                                       : w[i] * radius)
                       : 0;
    lambda[i] = std::min(cap[i], w[i] * inc.own[i]);
  }
  LowerEdgePool pool;
  pool.on = !all_listed;
  const auto update_pool = [&] { pool.update(hours, cap, lambda); };
  update_pool();
  const GroupKnapsack group_knapsack{g, inc, w, bc.pairs, hours, lambda, radius, limit, pool};
  // The subgradient steps. L(λ) needs every group's knapsack, but a step needs only the
  // `lots` smallest, which come from the same few groups from one step to the next. So every
  // full_every-th step (and the last) evaluates every group and keeps the groups with the
  // smallest K as candidates; the steps between evaluate the candidates only, which gives
  // the step's direction (the exact subgradient while the candidates hold the smallest) and
  // an estimate of L (at least L: a minimum over fewer groups). Only full evaluations count
  // towards the bound (any λ fully evaluated is a valid bound), so the candidates decide the
  // speed of the climb, never its validity.
  const std::size_t p = static_cast<std::size_t>(r.lots);
  Refiner refiner{g, r, bc, bg, radius};
  GroupValues gv{bg,
                 refiner,
                 group_knapsack,
                 std::max<std::size_t>(4 * p, static_cast<std::size_t>(r.candidate_groups)),
                 std::max(p, static_cast<std::size_t>(std::max(0, r.refine_rank))),
                 {},
                 {},
                 {},
                 {}};
  gv.all_hubs.resize(bg.hubs.size());
  std::iota(gv.all_hubs.begin(), gv.all_hubs.end(), 0);
  std::vector<double> sub(n);
  double best = -std::numeric_limits<double>::infinity(), theta = 1.0;
  double full_best_before = best;  // best at the previous full evaluation
  double step_best = best;         // the best value the steps saw (estimates included)
  int stall = 0, flat = 0;
  const int full_every = std::max(1, r.full_every);
  bool force_full = true;
  for (int it = 0; it < r.iterations; ++it) {
    const bool full = force_full || it % full_every == 0 || it + 1 == r.iterations;
    force_full = false;
    if (full)
      gv.full();
    else
      gv.evaluate(gv.cand_groups);
    const std::vector<int> order = gv.smallest(full ? gv.all_hubs : gv.cand_hubs, p);
    double value = 0;
    for (std::size_t i = 0; i < n; ++i) value += lambda[i];
    for (std::size_t k = 0; k < p; ++k) value += gv.value_of(order[k]);
    ++res.iterations;
    if (full) {
      ++res.full_evaluations;
      if (value > best) best = value;
      // Early stop: the bound rose by less than stall_fraction of the room left over
      // stall_checks full evaluations in a row.
      const double rise = best - full_best_before;
      flat = std::isfinite(full_best_before) &&
                     rise < r.stall_fraction * std::max(0.0, res.incumbent - best)
                 ? flat + 1
                 : 0;
      full_best_before = best;
      if (flat >= r.stall_checks) break;
    }
    if (it == 0 || value > step_best + 1e-9 * std::abs(step_best)) {
      step_best = value;
      stall = 0;
    } else if (++stall >= 6) {
      theta /= 2;
      stall = 0;
    }
    const double room = res.incumbent - value;
    if (room <= 1e-9 * res.incumbent) {
      if (full) break;
      force_full = true;  // the estimate reached the incumbent: see whether L did
      continue;
    }
    if (theta < 1e-4) break;
    for (std::size_t i = 0; i < n; ++i) sub[i] = inc.in[i] ? 1.0 : 0.0;
    std::vector<Item> items, fill;
    std::vector<std::pair<int, double>> take;
    for (std::size_t k = 0; k < p; ++k) {
      take.clear();
      group_knapsack(bg.groups[bg.group_of[order[k]]], items, fill, &take);
      for (const auto& [i, x] : take) sub[i] -= x;
    }
    double norm = 0;
    for (double s : sub) norm += s * s;
    if (norm <= 0) {
      if (full) break;
      force_full = true;
      continue;
    }
    const double step = theta * room / norm;
    for (std::size_t i = 0; i < n; ++i)
      if (inc.in[i]) lambda[i] = std::clamp(lambda[i] + step * sub[i], 0.0, cap[i]);
    update_pool();
  }
  res.refined = refiner.refined;
  return best;
}

}  // namespace

BoundResult aggregated_bound(const UnitGraph& g, const BoundRequest& r) {
  const auto t0 = std::chrono::steady_clock::now();
  BoundResult res;
  const std::size_t n = g.size();
  if (bad_request(g, r, res)) return res;
  const auto w = design_weights(g);
  const Incumbent inc = incumbent_costs(g, *r.incumbent, r.lots, w, res);
  const double hi = inc.total_hours / r.lots * (1 + r.tolerance);
  // The band's lower edge is kept too (the hours a lot must gather), when a travel limit
  // makes every pair a unit with hours could be in a listed pair; without one, an unlisted
  // pair may fill the band at a reduced cost of 0 or more, so the lower edge is dropped.
  const double lo = inc.total_hours / r.lots * (1 - r.tolerance);
  const bool limited = r.max_travel_minutes > 0;
  const double limit = limited ? r.max_travel_minutes : std::numeric_limits<double>::infinity();
  double radius = limited ? limit : inc.far_hours + 1;
  if (r.radius_minutes > 0) radius = std::min(radius, r.radius_minutes);
  // A hub no centre reaches within `cover` minutes becomes a centre itself (in a sparse cell
  // a far hub's shift D would make every unit near the centre free); trees reach R + cover.
  const double cover = std::min(radius, r.cover_minutes > 0 ? r.cover_minutes : radius);
  const double reach = radius + cover;
  const int want =
      r.centres > 0 ? r.centres : static_cast<int>(std::clamp<std::size_t>(n / 5, 64, 1500));
  BoundCells bc = cover_with_centres(g, r, inc, want, hi, cover, reach);
  res.centres = static_cast<int>(bc.centres.size());
  if (r.extend_shift > 0) extend_lists(g, r, bc, hi, radius, r.extend_shift);
  BoundGroups bg = group_cell_hubs(g, r, inc, bc, hi, lo, limited);
  if (static_cast<int>(bg.hubs.size()) < r.lots) {
    res.why_not = "fewer possible hubs than lots";
    return res;
  }
  const double best = climb_bound(g, r, inc, w, bc, bg, radius, limit, res);
  res.computed = true;
  // Less a millionth: float minutes may break the triangle inequality by an ulp.
  res.lower_bound = std::max(0.0, std::min(best, res.incumbent) * (1 - 1e-6));
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace lotwright::geo
