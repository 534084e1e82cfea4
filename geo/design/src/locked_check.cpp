// check_locked_hubs (locked_check.hpp): a lot's locked postcodes with hours need a common hub
// within the travel limit, proved on road times before the design starts.
#include "locked_check.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "lotwright/core/error.hpp"
#include "lotwright/core/parallel.hpp"
#include "lotwright/core/travel.hpp"
#include "lotwright/metrics/hubs.hpp"

namespace lotwright::geo {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxSpread = 12;   // locked postcodes a lot is checked on (the most spread)
constexpr std::size_t kMaxTries = 4000;  // hubs left to try on road times: above, no proof
constexpr double kWalkMetresPerMinute = 4800.0 / 60;  // the off-road legs (road_travel.cpp)

std::string minutes(double m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", m);
  return buf;
}

// Metres per minute of the fastest piece of any route: the fastest road edge (times in
// deciseconds), or the walk to and from a road; +inf when an edge takes no time at all.
double fastest_metres_per_minute(const RoadNetwork& roads) {
  const RoadGraph& r = roads.graph;
  double v = kWalkMetresPerMinute;
  for (std::size_t e = 0; e < r.edge_count() && e < r.lengths_m.size(); ++e) {
    const double m = r.lengths_m[e], min = r.weights_ds[e] / 600.0;
    if (min > 0)
      v = std::max(v, m / min);
    else if (m > 1)
      return kInf;
  }
  return v * 1.01;  // the rounding of times to deciseconds
}

// The most limiting travel limit a locked lot may have: lots mode, the design's; tiers mode,
// the most generous tier's (the lot's tier is known only after the design).
double loosest_limit(const DesignConfig& design) {
  if (design.lots || design.tiers.empty()) return lot_travel_limit(design, "");
  double limit = 0;
  for (const auto& t : design.tiers) limit = std::max(limit, lot_travel_limit(design, t.name));
  return limit;
}

struct LockedReach {
  const UnitGraph& g;
  double limit;  // minutes
  double reach;  // metres: no route of `limit` minutes goes further in a straight line

  double line(int a, int b) const {
    return std::hypot(g.site[a].x - g.site[b].x, g.site[a].y - g.site[b].y);
  }
  // 1: a unit reaches every one of `set` within the limit; 0: none does (proved); -1: too
  // many candidates to say. A unit h is tried on road times unless ruled out first by a
  // straight line (further than `reach` from one of the set) or by the triangle inequality
  // on trees from the set (d(h,u) >= d(s,u) - d(s,h) for s, u in the set: exact on one-way
  // roads too, as s -> h -> u is a route from s to u).
  int common_hub(const std::vector<int>& set) const {
    const std::size_t k = set.size(), n = g.size();
    std::vector<std::vector<float>> from(k);
    for (std::size_t i = 0; i < k; ++i) g.travel->tree(set[i], from[i]);
    std::vector<std::pair<double, int>> cand;  // (furthest straight line to the set, unit)
    for (std::size_t h = 0; h < n; ++h) {
      double far = 0;
      for (int s : set) far = std::max(far, line(static_cast<int>(h), s));
      bool out = far > reach;
      for (std::size_t i = 0; i < k && !out; ++i)
        for (std::size_t j = 0; j < k && !out; ++j)
          out = std::isfinite(from[i][h]) && std::isfinite(from[i][set[j]]) &&
                from[i][set[j]] - from[i][h] > limit + 1e-3;
      if (!out) cand.emplace_back(far, static_cast<int>(h));
    }
    if (cand.size() > kMaxTries) return -1;
    std::sort(cand.begin(), cand.end());
    std::atomic<bool> found{false};
    detail::parallel_for(cand.size(), [&](std::size_t i) {
      if (found.load()) return;
      thread_local std::vector<float> t;
      g.travel->times_to(cand[i].second, set, t, static_cast<float>(limit + 1e-6));
      bool all = true;
      for (float m : t) all = all && std::isfinite(m) && m <= limit + 1e-6;
      if (all) found = true;
    });
    return found ? 1 : 0;
  }
};

// Up to kMaxSpread of `units`, each the furthest (straight line) from those already taken.
std::vector<int> spread(const LockedReach& s, const std::vector<int>& units) {
  std::vector<int> out{units.front()};
  std::vector<double> near(units.size(), kInf);
  while (out.size() < std::min(units.size(), kMaxSpread)) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
      near[i] = std::min(near[i], s.line(units[i], out.back()));
      if (near[i] > near[best]) best = i;
    }
    if (near[best] <= 0) break;
    out.push_back(units[best]);
  }
  return out;
}

}  // namespace

void check_locked_hubs(const UnitGraph& g, const RoadNetwork* roads, const DesignConfig& design,
                       const std::filesystem::path& locked_file, const PlanCsvRead& locked) {
  const double limit = loosest_limit(design);
  if (!roads || !g.travel || !std::isfinite(limit) || limit <= 0) return;
  const double speed = fastest_metres_per_minute(*roads);
  if (!std::isfinite(speed)) return;
  const LockedReach s{g, limit, speed * limit};
  int lots = 0;
  for (int l : locked.plan.lot_of) lots = std::max(lots, l + 1);
  std::vector<std::vector<int>> members(static_cast<std::size_t>(lots));
  for (std::size_t u = 0; u < g.size() && u < locked.plan.lot_of.size(); ++u)
    if (locked.plan.lot_of[u] >= 0 && g.hours[u] > 0)
      members[locked.plan.lot_of[u]].push_back(static_cast<int>(u));
  auto line_of = [&](int u) { return locked.line[u]; };
  for (int l = 0; l < lots; ++l) {
    auto& m = members[l];
    if (m.size() < 2) continue;  // one postcode is its own hub
    std::sort(m.begin(), m.end(), [&](int a, int b) { return line_of(a) < line_of(b); });
    const std::vector<int> set = spread(s, m);
    if (s.common_hub(set) != 0) continue;
    const std::string lot = "lot " + std::to_string(l + 1);
    const std::string limit_text = "the travel limit of " + minutes(limit) + " min";
    const std::string advice =
        "; lock them in different lots, unlock some, or raise max_travel_minutes";
    // The two furthest apart in a straight line, when they alone cannot share a hub.
    int a = set[0], b = set[1];
    for (std::size_t i = 0; i < set.size(); ++i)
      for (std::size_t j = i + 1; j < set.size(); ++j)
        if (s.line(set[i], set[j]) > s.line(a, b)) a = set[i], b = set[j];
    if (line_of(a) > line_of(b)) std::swap(a, b);
    if (s.common_hub({a, b}) == 0) {
      std::vector<float> t;
      g.travel->times_to(a, {b}, t, static_cast<float>(4 * limit));
      const std::string apart =
          std::isfinite(t[0]) ? minutes(t[0]) + " min" : "more than " + minutes(4 * limit) + " min";
      throw DataError(where(locked_file, line_of(b)) + "column \"lot\": postcode " + g.id[b] +
                      " is locked in " + lot + " with postcode " + g.id[a] + " (line " +
                      std::to_string(line_of(a)) + "), but no postcode lies within " + limit_text +
                      " of both (" + g.id[a] + " to " + g.id[b] + ": " + apart +
                      " by road), so no hub can serve the lot" + advice);
    }
    std::string named;
    for (std::size_t i = 0; i < set.size() && i < 4; ++i)
      named += (i ? ", " : "") + g.id[set[i]] + " (line " + std::to_string(line_of(set[i])) + ")";
    throw DataError(where(locked_file) + "column \"lot\": the postcodes locked in " + lot +
                    " have no postcode within " + limit_text + " of them all (" + named +
                    (set.size() > 4 ? ", ..." : "") + "), so no hub can serve the lot" + advice);
  }
}

}  // namespace lotwright::geo
