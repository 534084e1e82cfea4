// Road-aware adjacency (rule and tuning in docs/adjacency.md): a geometric neighbour pair
// (cells share a border) stays a pair only when the road trip between the two units, the
// slower of both directions, is at most
//     max(neighbour_minutes, neighbour_detour * straight-line minutes at 30 km/h).
// Pairs without road evidence (a unit not on the same road component as the other, e.g.
// more than max_snap_m from any road or on a network piece joined to nothing) keep their
// border. A dropped pair is put back when without it two groups of units that touch would
// end up in different parts of the unit graph (quickest such pair first), so the rule never
// cuts the area apart; it only removes shortcuts the roads do not provide.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

#include "lotwright/core/parallel.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/core/travel.hpp"

namespace lotwright::geo {

namespace {

constexpr double kDetourKmh = 30.0;

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) {
    while (parent[static_cast<std::size_t>(x)] != x) {
      auto& p = parent[static_cast<std::size_t>(x)];
      p = parent[static_cast<std::size_t>(p)];
      x = p;
    }
    return x;
  }
  bool join(int a, int b) {
    a = find(a);
    b = find(b);
    if (a == b) return false;
    parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
    return true;
  }
};

}  // namespace

void build_road_adjacency(UnitGraph& g, const Units& units, const RoadsConfig& roads) {
  const std::size_t n = g.size();
  if (units.units.size() != n)
    throw DataError("build_road_adjacency: the unit graph and the units differ in size");
  if (!g.travel) throw DataError("build_road_adjacency: the unit graph has no travel oracle");
  const TravelOracle& travel = *g.travel;
  // Travel along roads: the road network part each unit is placed on (empty otherwise).
  const std::vector<std::int64_t> road_parts = travel.road_parts();
  const bool road = !road_parts.empty();
  const auto& edges = units.edges;
  const std::size_t m = edges.size();

  // Road evidence: both units snapped within max_snap_m on one road component.
  std::vector<std::int64_t> network(n, 0);
  if (road)
    for (std::size_t u = 0; u < n; ++u)
      network[u] = road_parts[u] >= 0 ? road_parts[u] : -1 - std::int64_t(u);

  std::vector<double> threshold(m), straight(m);
  std::vector<float> limit(n, 0.f);
  std::vector<std::vector<std::uint32_t>> incident(n);
  for (std::size_t e = 0; e < m; ++e) {
    const auto a = static_cast<std::size_t>(edges[e].a), b = static_cast<std::size_t>(edges[e].b);
    if (a >= n || b >= n) throw DataError("build_road_adjacency: unit edge out of range");
    const double d = std::hypot(g.site[a].x - g.site[b].x, g.site[a].y - g.site[b].y);
    straight[e] = d / (kDetourKmh * 1000.0 / 60.0);
    threshold[e] = std::max(roads.neighbour_minutes, roads.neighbour_detour * straight[e]);
    // Searches run a little past the threshold so float rounding cannot flip a decision.
    const float l = static_cast<float>(threshold[e] + 0.01);
    limit[a] = std::max(limit[a], l);
    limit[b] = std::max(limit[b], l);
    incident[a].push_back(static_cast<std::uint32_t>(e));
    incident[b].push_back(static_cast<std::uint32_t>(e));
  }

  // t_ab[e]: a -> b, written by a's search; t_ba[e]: b -> a, written by b's search.
  std::vector<float> t_ab(m, kUnreachable), t_ba(m, kUnreachable);
  detail::parallel_for(n, [&](std::size_t u) {
    if (incident[u].empty()) return;
    thread_local std::vector<int> targets;
    thread_local std::vector<float> out;
    targets.clear();
    for (auto e : incident[u])
      targets.push_back(static_cast<std::size_t>(edges[e].a) == u ? edges[e].b : edges[e].a);
    travel.times_to(static_cast<int>(u), targets, out, limit[u]);
    for (std::size_t i = 0; i < incident[u].size(); ++i) {
      const auto e = incident[u][i];
      if (static_cast<std::size_t>(edges[e].a) == u)
        t_ab[e] = out[i];
      else
        t_ba[e] = out[i];
    }
  });

  std::vector<char> keep(m, 0);
  std::vector<float> minutes(m, kUnreachable);
  for (std::size_t e = 0; e < m; ++e) {
    const auto a = static_cast<std::size_t>(edges[e].a), b = static_cast<std::size_t>(edges[e].b);
    if (road && network[a] != network[b]) {
      keep[e] = 1;  // no road evidence either way: keep the shared border
      minutes[e] = static_cast<float>(straight[e]);
      continue;
    }
    const float t = std::max(t_ab[e], t_ba[e]);
    minutes[e] = t;
    keep[e] = t <= threshold[e] ? 1 : 0;
  }

  // Never cut the area apart: restore dropped pairs that join parts the kept pairs leave
  // separate, quickest first (Kruskal over the dropped pairs).
  UnionFind kept(n);
  std::vector<std::uint32_t> dropped;
  for (std::size_t e = 0; e < m; ++e) {
    if (keep[e])
      kept.join(edges[e].a, edges[e].b);
    else
      dropped.push_back(static_cast<std::uint32_t>(e));
  }
  std::vector<std::uint32_t> bridging;
  for (auto e : dropped)
    if (kept.find(edges[e].a) != kept.find(edges[e].b)) bridging.push_back(e);
  if (!bridging.empty()) {
    detail::parallel_for(bridging.size(), [&](std::size_t i) {
      const auto e = bridging[i];
      minutes[e] = std::max(travel.minutes(edges[e].a, edges[e].b),
                            travel.minutes(edges[e].b, edges[e].a));
    });
    std::sort(bridging.begin(), bridging.end(), [&](std::uint32_t x, std::uint32_t y) {
      return std::tie(minutes[x], edges[x].a, edges[x].b) <
             std::tie(minutes[y], edges[y].a, edges[y].b);
    });
    for (auto e : bridging)
      if (kept.join(edges[e].a, edges[e].b)) {
        keep[e] = 1;
        if (!std::isfinite(minutes[e])) minutes[e] = static_cast<float>(straight[e]);
      }
  }

  std::vector<GraphEdge> out;
  out.reserve(m);
  long drop_count = 0;
  for (std::size_t e = 0; e < m; ++e) {
    if (!keep[e]) {
      ++drop_count;
      continue;
    }
    out.push_back({edges[e].a, edges[e].b, minutes[e], static_cast<float>(edges[e].border_m)});
  }
  g.geometric_edges = static_cast<long>(m);
  g.dropped_edges = drop_count;
  set_edges(g, std::move(out));
}

}  // namespace lotwright::geo
