// The Lagrangian lower bound (exact.hpp, lagrangian_bound; docs/designer.md, "How", step 7).
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
// (w_i t(j,i) >= w_i R >= λ_i) and needs no tree beyond R. λ starts at the incumbent's own
// costs and follows a fixed number of subgradient steps (Polyak's step towards the
// incumbent's objective), keeping the best L.
//
// Units the incumbent's hubs do not reach (a postcode off the roads) are left out of both
// sides: the bound is on Σ w·minutes over the units it reaches, as is the incumbent's.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
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

// v_j's knapsack over hub j's pairs; `take` (may be null) gets x_i per unit taken.
double knapsack(const std::vector<Pair>& pairs, const std::vector<double>& w,
                const std::vector<double>& hours, const std::vector<double>& lambda,
                double capacity, std::vector<Item>& items,
                std::vector<std::pair<int, double>>* take) {
  double sum = 0, item_hours = 0;
  items.clear();
  for (const auto& p : pairs) {
    const double r = w[p.unit] * static_cast<double>(p.minutes) - lambda[p.unit];
    if (!(r < 0)) continue;
    if (hours[p.unit] <= 0) {
      sum += r;
      if (take) take->push_back({p.unit, 1.0});
    } else {
      items.push_back({r / hours[p.unit], r, hours[p.unit], p.unit});
      item_hours += hours[p.unit];
    }
  }
  if (item_hours <= capacity) {
    for (const auto& it : items) {
      sum += it.reduced;
      if (take) take->push_back({it.unit, 1.0});
    }
    return sum;
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.ratio < b.ratio || (a.ratio == b.ratio && a.unit < b.unit);
  });
  double left = std::max(0.0, capacity);
  for (const auto& it : items) {
    if (left <= 0) break;
    const double x = std::min(1.0, left / it.hours);
    sum += x * it.reduced;
    left -= x * it.hours;
    if (take) take->push_back({it.unit, x});
  }
  return sum;
}

}  // namespace

BoundResult lagrangian_bound(const UnitGraph& g, const BoundRequest& r) {
  const auto t0 = std::chrono::steady_clock::now();
  BoundResult res;
  const std::size_t n = g.size();
  const Plan* plan = r.incumbent;
  if (!plan || plan->lot_of.size() != n || static_cast<int>(plan->hub.size()) != r.lots ||
      r.lots < 1 || !g.travel) {
    res.why_not = "no plan with hubs to certify";
    return res;
  }
  if (n > r.max_units) {
    res.why_not = "the bound needs a travel tree from every postcode, and " +
                  plural(static_cast<long long>(n), "postcode") + " are more than the " +
                  group_digits(std::to_string(r.max_units)) + " it is computed for";
    return res;
  }
  const auto w = design_weights(g);
  // The incumbent's minutes per unit, from its hubs.
  std::vector<std::vector<float>> hub_tree(static_cast<std::size_t>(r.lots));
  detail::parallel_for(hub_tree.size(), [&](std::size_t l) {
    if (plan->hub[l] >= 0) g.travel->tree(plan->hub[l], hub_tree[l]);
  });
  std::vector<char> in(n, 0);
  std::vector<double> own(n, 0);
  double total_hours = 0, far_hours = 0;
  for (std::size_t i = 0; i < n; ++i) {
    total_hours += g.hours[i];
    const int l = plan->lot_of[i];
    if (l < 0 || l >= r.lots || plan->hub[l] < 0) continue;
    const float d = hub_tree[l][i];
    if (!std::isfinite(d)) continue;
    in[i] = 1;
    own[i] = d;
    res.incumbent += w[i] * static_cast<double>(d);
    res.weight += w[i];
    if (g.hours[i] > 0) far_hours = std::max(far_hours, static_cast<double>(d));
  }
  const double hi = total_hours / r.lots * (1 + r.tolerance);
  const bool limited = r.max_travel_minutes > 0;
  const double limit = limited ? r.max_travel_minutes : std::numeric_limits<double>::infinity();
  // Pairs up to R; λ of a unit a pair beyond R may serve is capped at w R.
  const double radius = limited ? limit : far_hours + 1;
  std::vector<double> cap(n), hours(n);
  for (std::size_t i = 0; i < n; ++i) {
    hours[i] = in[i] ? g.hours[i] : 0;
    cap[i] = in[i] ? (limited && g.hours[i] > 0 ? std::numeric_limits<double>::infinity()
                                                : w[i] * radius)
                   : 0;
  }
  std::vector<std::vector<Pair>> pairs(n);
  std::vector<char> hub_ok(n, 0);
  detail::parallel_for(n, [&](std::size_t j) {
    if (g.hours[j] > hi) return;  // a hub is in its own lot
    hub_ok[j] = 1;
    thread_local std::vector<float> t;
    g.travel->tree(static_cast<int>(j), t, static_cast<float>(radius));
    for (std::size_t i = 0; i < n; ++i) {
      if (i == j || !in[i] || !std::isfinite(t[i]) || t[i] > radius) continue;
      if (g.hours[i] > 0 && t[i] > limit) continue;
      pairs[j].push_back({static_cast<int>(i), t[i]});
    }
  });
  std::vector<int> hubs;
  for (std::size_t j = 0; j < n; ++j)
    if (hub_ok[j]) hubs.push_back(static_cast<int>(j));
  if (static_cast<int>(hubs.size()) < r.lots) {
    res.why_not = "fewer possible hubs than lots";
    return res;
  }

  std::vector<double> lambda(n);
  for (std::size_t i = 0; i < n; ++i) lambda[i] = std::min(cap[i], w[i] * own[i]);
  std::vector<double> v(n, 0), sub(n);
  std::vector<int> order(hubs.size());
  double best = -std::numeric_limits<double>::infinity(), theta = 1.0;
  int stall = 0;
  const std::size_t p = static_cast<std::size_t>(r.lots);
  for (int it = 0; it < r.iterations; ++it) {
    detail::parallel_for(hubs.size(), [&](std::size_t k) {
      thread_local std::vector<Item> items;
      const int j = hubs[k];
      v[j] = -lambda[j] + knapsack(pairs[j], w, hours, lambda, hi - g.hours[j], items, nullptr);
    });
    std::iota(order.begin(), order.end(), 0);
    std::nth_element(order.begin(), order.begin() + static_cast<long>(p - 1), order.end(),
                     [&](int a, int b) {
                       const double va = v[hubs[a]], vb = v[hubs[b]];
                       return va < vb || (va == vb && a < b);
                     });
    double value = 0;
    for (std::size_t i = 0; i < n; ++i) value += lambda[i];
    for (std::size_t k = 0; k < p; ++k) value += v[hubs[order[k]]];
    ++res.iterations;
    if (it == 0 || value > best + 1e-9 * std::abs(best)) {
      best = value;
      stall = 0;
    } else if (++stall >= 6) {
      theta /= 2;
      stall = 0;
    }
    const double room = res.incumbent - value;
    if (room <= 1e-9 * res.incumbent || theta < 1e-4) break;
    // Subgradient: 1 - how much of unit i the chosen hubs take.
    for (std::size_t i = 0; i < n; ++i) sub[i] = in[i] ? 1.0 : 0.0;
    std::vector<Item> items;
    std::vector<std::pair<int, double>> take;
    for (std::size_t k = 0; k < p; ++k) {
      const int j = hubs[order[k]];
      take.clear();
      knapsack(pairs[j], w, hours, lambda, hi - g.hours[j], items, &take);
      if (in[j]) sub[j] -= 1;
      for (const auto& [i, x] : take) sub[i] -= x;
    }
    double norm = 0;
    for (double s : sub) norm += s * s;
    if (norm <= 0) break;  // every unit taken once: L is the relaxation's optimum
    const double step = theta * room / norm;
    for (std::size_t i = 0; i < n; ++i)
      if (in[i]) lambda[i] = std::clamp(lambda[i] + step * sub[i], 0.0, cap[i]);
  }
  res.computed = true;
  res.lower_bound = std::max(0.0, std::min(best, res.incumbent));
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace lotwright::geo
