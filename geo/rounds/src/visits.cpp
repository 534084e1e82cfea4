// The week's calls of a lot's demand (docs/rounds.md "Visits").
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "lotwright/rounds/rounds.hpp"

namespace lotwright::geo {
namespace {

// SplitMix64 (Steele, Lea and Flood 2014): a fixed, portable mix, so the same seed gives the
// same visits on every platform (the standard distributions are implementation-defined).
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A number in [0, 1) fixed by the seed, the unit, the customer and what it is for.
double draw(std::uint64_t seed, int unit, int customer, std::uint64_t purpose) {
  std::uint64_t h = mix(seed);
  h = mix(h ^ static_cast<std::uint64_t>(unit));
  h = mix(h ^ (static_cast<std::uint64_t>(customer) << 8) ^ purpose);
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

// Whole customers at a unit: a fractional count rounds up with the chance of its fraction;
// hours with no customer count get hours / hours_per_customer_if_unknown (at least one).
int customers_at(const UnitGraph& g, int u, const RoundParams& p) {
  const double hours = g.hours[u];
  const double c = u < static_cast<int>(g.customers.size()) ? g.customers[u] : 0.0;
  if (c > 0) {
    const double whole = std::floor(c);
    const int n = static_cast<int>(whole) + (draw(p.seed, u, 0, 1) < c - whole ? 1 : 0);
    return std::max(1, n);
  }
  const double per = p.hours_per_customer_if_unknown > 0 ? p.hours_per_customer_if_unknown : 13;
  return std::max(1, static_cast<int>(std::lround(hours / per)));
}

// One customer's week: weekly minutes split into as many calls as fit at the shortest call
// length (at most one per window a day, at least one a week), spread evenly over the days
// from a seeded first day; on each day the windows of lowest rank.
void customer_week(int u, int customer, double weekly_min, const RoundParams& p,
                   const std::vector<int>& windows_by_rank, std::vector<Visit>& out) {
  const int days = std::max(1, p.days_per_week);
  const int per_day_max = static_cast<int>(windows_by_rank.size());
  const long slots = static_cast<long>(days) * per_day_max;
  const double fit = p.min_visit_minutes > 0 ? std::floor(weekly_min / p.min_visit_minutes + 1e-9)
                                             : static_cast<double>(slots);
  const long calls = std::clamp(static_cast<long>(fit), 1L, slots);
  const double length = weekly_min / static_cast<double>(calls);
  const int base = static_cast<int>(calls / days), extra = static_cast<int>(calls % days);
  std::vector<int> count(days, base);
  const int first = static_cast<int>(draw(p.seed, u, customer, 2) * days);
  for (int k = 0; k < extra; ++k) ++count[(first + k * days / extra) % days];
  for (int day = 0; day < days; ++day) {
    std::vector<int> w(windows_by_rank.begin(), windows_by_rank.begin() + count[day]);
    std::sort(w.begin(), w.end());
    for (int window : w) out.push_back({u, customer, day, window, length});
  }
}

}  // namespace

std::vector<Visit> make_visits(const UnitGraph& g, const std::vector<int>& units,
                               const RoundParams& p) {
  std::vector<int> windows_by_rank(p.windows.size());
  std::iota(windows_by_rank.begin(), windows_by_rank.end(), 0);
  std::stable_sort(windows_by_rank.begin(), windows_by_rank.end(),
                   [&](int a, int b) { return p.windows[a].rank < p.windows[b].rank; });
  std::vector<int> sorted(units);
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<Visit> out;
  if (windows_by_rank.empty()) return out;
  for (int u : sorted) {
    if (u < 0 || u >= static_cast<int>(g.hours.size()) || !(g.hours[u] > 0)) continue;
    const int n = customers_at(g, u, p);
    const double weekly_min = g.hours[u] * 60.0 / n;
    for (int c = 0; c < n; ++c) customer_week(u, c, weekly_min, p, windows_by_rank, out);
  }
  return out;
}

}  // namespace lotwright::geo
