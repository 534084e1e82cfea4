// The care-round estimate of a lot and of a whole plan (docs/rounds.md).
#include "lotwright/rounds/rounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "lotwright/core/error.hpp"
#include "lotwright/core/parallel.hpp"
#include "lotwright/core/plan.hpp"

namespace lotwright::geo {
namespace {

constexpr double kMetresPerMile = 1609.344;
constexpr float kNoLeg = std::numeric_limits<float>::infinity();

unsigned thread_count(const RoundParams& p) {
  return p.threads == 0 ? detail::worker_count() : p.threads;
}

// The units with calls (ascending) and the minutes of a leg between two of them: the slower
// of the two directions (as the adjacency does), none beyond max_leg_minutes. One bounded
// search per unit, to its search_neighbours nearest units with calls (straight line); a leg
// searched one way only takes that way's minutes, a pair searched neither way has no leg.
struct Places {
  std::vector<int> unit;
  std::vector<float> leg;  // unit.size() squared, row-major, symmetric
};

// The k units nearest to each (straight line, ties by index); all the others when k is 0.
std::vector<std::vector<int>> nearest_units(const UnitGraph& g, const std::vector<int>& unit, int k,
                                            unsigned threads) {
  const std::size_t m = unit.size();
  const std::size_t take = k <= 0 ? m - 1 : std::min<std::size_t>(m - 1, k);
  std::vector<std::vector<int>> out(m);
  detail::parallel_for(
      m,
      [&](std::size_t i) {
        if (take == m - 1) {
          for (std::size_t j = 0; j < m; ++j)
            if (j != i) out[i].push_back(static_cast<int>(j));
          return;
        }
        std::vector<std::pair<double, int>> by;
        by.reserve(m - 1);
        const Point a = g.site[unit[i]];
        for (std::size_t j = 0; j < m; ++j)
          if (j != i) {
            const Point b = g.site[unit[j]];
            by.push_back(
                {(a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y), static_cast<int>(j)});
          }
        std::partial_sort(by.begin(), by.begin() + static_cast<std::ptrdiff_t>(take), by.end());
        for (std::size_t r = 0; r < take; ++r) out[i].push_back(by[r].second);
        std::sort(out[i].begin(), out[i].end());
      },
      threads);
  return out;
}

Places places_of(const UnitGraph& g, const std::vector<Visit>& visits, const RoundParams& p) {
  Places out;
  for (const Visit& v : visits)
    if (out.unit.empty() || out.unit.back() != v.unit) out.unit.push_back(v.unit);
  const std::size_t m = out.unit.size();
  const float limit = p.max_leg_minutes > 0 ? static_cast<float>(p.max_leg_minutes) : kNoLeg;
  const auto near = nearest_units(g, out.unit, p.search_neighbours, thread_count(p));
  constexpr float kNotSearched = -1;
  std::vector<float> raw(m * m, kNotSearched);
  detail::parallel_for(
      m,
      [&](std::size_t i) {
        std::vector<int> targets;
        for (int j : near[i]) targets.push_back(out.unit[j]);
        std::vector<float> row;
        g.travel->times_to(out.unit[i], targets, row, limit);
        for (std::size_t r = 0; r < targets.size(); ++r) raw[i * m + near[i][r]] = row[r];
      },
      thread_count(p));
  out.leg.assign(m * m, kNoLeg);
  for (std::size_t i = 0; i < m; ++i) {
    out.leg[i * m + i] = 0;
    for (std::size_t j = i + 1; j < m; ++j) {
      const float a = raw[i * m + j], b = raw[j * m + i];
      if (a == kNotSearched && b == kNotSearched) continue;
      const float t = std::max(a, b);  // kNotSearched is below any time
      if (t <= limit) out.leg[i * m + j] = out.leg[j * m + i] = t;
    }
  }
  return out;
}

// Every leg of a week (minutes and miles), in day, window, run order; and the totals.
struct Legs {
  std::vector<double> minutes, miles;
  std::vector<std::pair<int, int>> ends;  // units at either end (only when asked for)
  long visits = 0, runs = 0;
  double contact_minutes = 0;
};

double leg_miles(const UnitGraph& g, int a, int b, double minutes, const RoundParams& p) {
  if (p.road_speed_mph > 0) return minutes / 60.0 * p.road_speed_mph;
  const double dx = g.site[a].x - g.site[b].x, dy = g.site[a].y - g.site[b].y;
  return std::hypot(dx, dy) * p.detour_factor / kMetresPerMile;
}

Legs lot_legs(const UnitGraph& g, const std::vector<int>& units, const RoundParams& p,
              bool with_ends = false) {
  Legs out;
  const std::vector<Visit> visits = make_visits(g, units, p);
  out.visits = static_cast<long>(visits.size());
  for (const Visit& v : visits) out.contact_minutes += v.minutes;
  if (visits.empty()) return out;
  const Places places = places_of(g, visits, p);
  const int m = static_cast<int>(places.unit.size());

  // Calls by day and window (in visit order), then each group's runs, side by side.
  const std::size_t windows = p.windows.size();
  const std::size_t groups = static_cast<std::size_t>(std::max(1, p.days_per_week)) * windows;
  std::vector<std::vector<int>> stop_place(groups);
  std::vector<std::vector<double>> stop_minutes(groups);
  for (const Visit& v : visits) {
    const std::size_t k = static_cast<std::size_t>(v.day) * windows + v.window;
    const auto it = std::lower_bound(places.unit.begin(), places.unit.end(), v.unit);
    stop_place[k].push_back(static_cast<int>(it - places.unit.begin()));
    stop_minutes[k].push_back(v.minutes);
  }
  std::vector<Legs> part(groups);
  detail::parallel_for(
      groups,
      [&](std::size_t k) {
        const RoundWindow& w = p.windows[k % windows];
        const double capacity = std::min<double>(w.length_min(), p.shift_minutes);
        const auto runs = build_runs(stop_place[k], stop_minutes[k], places.leg, m, capacity);
        part[k].runs = static_cast<long>(runs.size());
        for (const auto& run : runs)
          for (std::size_t i = 1; i < run.size(); ++i) {
            const int a = stop_place[k][run[i - 1]], b = stop_place[k][run[i]];
            const double t = places.leg[static_cast<std::size_t>(a) * m + b];
            part[k].minutes.push_back(t);
            part[k].miles.push_back(leg_miles(g, places.unit[a], places.unit[b], t, p));
            if (with_ends) part[k].ends.emplace_back(places.unit[a], places.unit[b]);
          }
      },
      thread_count(p));
  for (const Legs& l : part) {
    out.runs += l.runs;
    out.minutes.insert(out.minutes.end(), l.minutes.begin(), l.minutes.end());
    out.miles.insert(out.miles.end(), l.miles.begin(), l.miles.end());
    out.ends.insert(out.ends.end(), l.ends.begin(), l.ends.end());
  }
  return out;
}

// Linear interpolation between closest ranks (Hyndman and Fan type 7, numpy's default).
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double at = q * static_cast<double>(v.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(at));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (at - static_cast<double>(lo));
}

double pct_over(const std::vector<double>& v, double threshold) {
  if (v.empty()) return 0;
  const auto over = std::count_if(v.begin(), v.end(), [&](double x) { return x > threshold; });
  return 100.0 * static_cast<double>(over) / static_cast<double>(v.size());
}

RoundFigures figures_of(const Legs& l, const RoundParams& p) {
  RoundFigures f;
  f.visits = l.visits;
  f.runs = l.runs;
  f.legs = static_cast<long>(l.minutes.size());
  f.contact_hours = l.contact_minutes / 60.0;
  double minutes = 0, miles = 0;
  for (double t : l.minutes) minutes += t;
  for (double d : l.miles) miles += d;
  f.travel_hours = minutes / 60.0;
  f.travel_miles = miles;
  f.call_gap_median_min = quantile(l.minutes, 0.5);
  f.call_gap_p90_min = quantile(l.minutes, 0.9);
  f.call_gap_median_miles = quantile(l.miles, 0.5);
  f.legs_over_15_min_pct = pct_over(l.minutes, kGapThresholdMinutes);
  f.legs_over_6_miles_pct = pct_over(l.miles, kGapThresholdMiles);
  if (f.contact_hours > 0) {
    f.travel_min_per_contact_hour = minutes / f.contact_hours;
    f.travel_cost_per_contact_hour =
        (f.travel_hours * p.pay_per_hour + miles * p.mileage_per_mile) / f.contact_hours;
  }
  if (p.hours_per_worker > 0)
    f.workers_needed = (f.contact_hours + f.travel_hours) / p.hours_per_worker;
  return f;
}

void require_travel(const UnitGraph& g) {
  if (!g.travel)
    throw DataError(
        "care rounds need travel times between postcodes (a [roads] network or "
        "straight-line travel); this unit graph has none");
}

}  // namespace

RoundFigures estimate_rounds(const UnitGraph& g, const std::vector<int>& units_of_lot,
                             const RoundParams& params) {
  require_travel(g);
  return figures_of(lot_legs(g, units_of_lot, params), params);
}

RoundFigures estimate_rounds(const UnitGraph& g, const std::vector<int>& units_of_lot,
                             const RoundParams& params, std::vector<RoundLeg>& legs) {
  require_travel(g);
  const Legs l = lot_legs(g, units_of_lot, params, true);
  legs.clear();
  legs.reserve(l.minutes.size());
  for (std::size_t i = 0; i < l.minutes.size(); ++i)
    legs.push_back({l.ends[i].first, l.ends[i].second, l.minutes[i], l.miles[i]});
  return figures_of(l, params);
}

CountyRounds estimate_rounds(const UnitGraph& g, const std::vector<int>& lot_of, int lot_count,
                             const RoundParams& params) {
  require_travel(g);
  std::vector<std::vector<int>> units(static_cast<std::size_t>(std::max(0, lot_count)));
  for (std::size_t u = 0; u < lot_of.size(); ++u)
    if (lot_of[u] >= 0 && lot_of[u] < lot_count) units[lot_of[u]].push_back(static_cast<int>(u));
  CountyRounds out;
  Legs all;
  for (const auto& lot : units) {
    Legs l = lot_legs(g, lot, params);
    out.lots.push_back(figures_of(l, params));
    all.visits += l.visits;
    all.runs += l.runs;
    all.contact_minutes += l.contact_minutes;
    all.minutes.insert(all.minutes.end(), l.minutes.begin(), l.minutes.end());
    all.miles.insert(all.miles.end(), l.miles.begin(), l.miles.end());
  }
  out.county = figures_of(all, params);
  return out;
}

}  // namespace lotwright::geo
