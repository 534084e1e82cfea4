// core/hubs.hpp: the hub search against a brute-force 1-median on small synthetic graphs;
// core/travel.hpp: GraphTravel's trees against Boost.Graph's Dijkstra.
#include "lotwright/core/hubs.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "synthetic_graphs.hpp"

using namespace lotwright;

namespace {

// Σ service_cost over `units` from `hub`, as find_hub charges it.
double cost_from(const geo::UnitGraph& g, const std::vector<int>& units, int hub,
                 const geo::HubSearch& s) {
  std::vector<float> t;
  g.travel->tree(hub, t, s.tree_limit);
  const auto& w = s.weight ? *s.weight : g.hours;
  double c = 0;
  for (int u : units) {
    const double d = std::isfinite(t[u]) ? t[u] : s.unreachable_minutes;
    c += geo::service_cost(w[u], d, s.limit_minutes,
                           g.hours[u] > 0 ? s.over_cost : s.over_cost * s.over_factor_no_hours);
  }
  return c;
}

// The brute-force hub: every unit tried.
geo::Hub brute_force(const geo::UnitGraph& g, const std::vector<int>& units,
                     const geo::HubSearch& s) {
  geo::Hub best;
  for (int u : units) {
    const double c = cost_from(g, units, u, s);
    if (c < best.cost) best = {u, c};
  }
  return best;
}

std::vector<int> all_units(const geo::UnitGraph& g) {
  std::vector<int> u(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) u[i] = static_cast<int>(i);
  return u;
}

}  // namespace

TEST(Hubs, ServiceCostChargesTravelAndMinutesBeyondTheLimit) {
  EXPECT_DOUBLE_EQ(geo::service_cost(2, 10, 15, 1e5), 20);
  EXPECT_DOUBLE_EQ(geo::service_cost(2, 20, 15, 1e5), 40 + 5e5);
  EXPECT_DOUBLE_EQ(geo::minutes_over(20, std::numeric_limits<double>::infinity()), 0);
}

TEST(Hubs, EveryUnitACandidateFindsTheBruteForceMedian) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto g = test::random_graph(150, seed);
    const auto units = all_units(g);
    geo::HubSearch s;
    s.candidates = units.size();
    const auto hub = geo::find_hub(g, *g.travel, units, s);
    const auto want = brute_force(g, units, s);
    EXPECT_NEAR(hub.cost, want.cost, 1e-9 * want.cost) << "seed " << seed;
    EXPECT_DOUBLE_EQ(hub.cost, cost_from(g, units, hub.unit, s)) << "seed " << seed;
  }
}

TEST(Hubs, FewCandidatesAndTheWalkReachTheMedianOnAGrid) {
  // Hours heavy in one corner: the median is off the centre, so the walk must find it.
  const auto g = test::grid_graph(15, 15, [](int i, int j) { return i < 4 && j < 4 ? 20.0 : 1.0; });
  const auto units = all_units(g);
  geo::HubSearch s;
  s.candidates = 3;
  const auto hub = geo::find_hub(g, *g.travel, units, s);
  const auto want = brute_force(g, units, s);
  EXPECT_NEAR(hub.cost, want.cost, 1e-9 * want.cost);
  // Without the walk, three units near the centre of hours miss it.
  s.walk_steps = 0;
  EXPECT_GT(geo::find_hub(g, *g.travel, units, s).cost, want.cost + 1);
}

TEST(Hubs, TheTravelLimitMovesTheHubSoEveryUnitWithHoursIsWithinIt) {
  // A line of 21 units 1 minute apart; almost all hours at the left end.
  const auto g = test::grid_graph(21, 1, [](int i, int) { return i < 3 ? 100.0 : 1.0; });
  const auto units = all_units(g);
  geo::HubSearch s;
  const auto free_hub = geo::find_hub(g, *g.travel, units, s);
  EXPECT_LE(free_hub.unit, 2);
  s.limit_minutes = 10.5;
  const auto hub = geo::find_hub(g, *g.travel, units, s);
  EXPECT_EQ(hub.unit, 10);  // the only unit within 10.5 minutes of both ends
  EXPECT_DOUBLE_EQ(hub.cost, brute_force(g, units, s).cost);
  EXPECT_DOUBLE_EQ(hub.cost, cost_from(g, units, hub.unit, s));
}

TEST(Hubs, SeveralLotsAtOnceAgreeWithOneAtATime) {
  const auto g = test::random_graph(400, 5);
  // Three lots: vertical strips (each one piece on the triangulated grid).
  std::vector<std::vector<int>> lots(3);
  double xmax = 0;
  for (const auto& p : g.site) xmax = std::max(xmax, p.x);
  for (std::size_t u = 0; u < g.size(); ++u)
    lots[std::min<std::size_t>(2, static_cast<std::size_t>(3 * g.site[u].x / (xmax + 1)))]
        .push_back(static_cast<int>(u));
  std::vector<geo::HubSearch> searches(3);
  searches[1].limit_minutes = 8;
  searches[2].candidates = 2;
  searches[2].first = {lots[2].back()};
  const auto together = geo::find_hubs(g, *g.travel, lots, searches);
  ASSERT_EQ(together.size(), 3u);
  for (std::size_t l = 0; l < 3; ++l) {
    const auto alone = geo::find_hub(g, *g.travel, lots[l], searches[l]);
    EXPECT_EQ(together[l].unit, alone.unit) << "lot " << l;
    EXPECT_DOUBLE_EQ(together[l].cost, alone.cost) << "lot " << l;
    EXPECT_DOUBLE_EQ(alone.cost, cost_from(g, lots[l], alone.unit, searches[l])) << "lot " << l;
  }
}

TEST(Hubs, AnEmptyLotHasNoHub) {
  const auto g = test::grid_graph(3, 3, [](int, int) { return 1.0; });
  const auto hub = geo::find_hub(g, *g.travel, {});
  EXPECT_EQ(hub.unit, -1);
}

// GraphTravel (Dijkstra with a radix heap on the float minutes' bits) against Boost.Graph's
// dijkstra_shortest_paths on the same CSR and float weights: the same minutes to the bit,
// bounded or not, with many equal keys (integer minutes) and the out vector reused.
namespace {

std::vector<float> boost_tree(const geo::UnitGraph& g, int from, float limit) {
  using BoostGraph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                            boost::property<boost::edge_weight_t, float>>;
  BoostGraph bg(g.size());
  for (std::size_t u = 0; u < g.size(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
      boost::add_edge(u, g.targets[k], g.edge_minutes[k], bg);
  std::vector<float> d(g.size());
  boost::dijkstra_shortest_paths(
      bg, static_cast<std::size_t>(from),
      boost::distance_map(d.data()).distance_inf(geo::kUnreachable).distance_zero(0.f));
  for (float& x : d)
    if (x > limit) x = geo::kUnreachable;
  return d;
}

void expect_same_trees(const geo::UnitGraph& g, const char* what) {
  const geo::GraphTravel travel(g);
  std::vector<float> out(7, -1.f);  // reused across trees, stale contents
  const int n = static_cast<int>(g.size());
  for (int from : {0, n / 3, n / 2, n - 1})
    for (float limit : {geo::kUnreachable, 6.f, 2.5f}) {
      travel.tree(from, out, limit);
      const auto want = boost_tree(g, from, limit);
      ASSERT_EQ(out.size(), want.size());
      int reached = 0, differ = 0;
      for (std::size_t v = 0; v < want.size(); ++v) {
        reached += std::isfinite(want[v]);
        differ += std::bit_cast<std::uint32_t>(out[v]) != std::bit_cast<std::uint32_t>(want[v]);
      }
      EXPECT_EQ(differ, 0) << what << ": from " << from << ", limit " << limit;
      EXPECT_GT(reached, 1) << what;
    }
}

}  // namespace

TEST(GraphTravel, TreesEqualBoostDijkstraToTheBit) {
  for (std::uint64_t seed : {1, 2}) {
    auto g = test::random_graph(3000, seed);
    expect_same_trees(g, "straight-line minutes");
    // Whole minutes 0..4: many equal keys and zero-minute edges (kept symmetric).
    test::SynthRng r(seed + 10);
    for (std::size_t u = 0; u < g.size(); ++u)
      for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
        if (g.targets[k] > u) {
          const float m = static_cast<float>(r.next() % 5);
          g.edge_minutes[k] = m;
          const auto b = g.targets[k];
          for (auto j = g.offsets[b]; j < g.offsets[b + 1]; ++j)
            if (g.targets[j] == u) g.edge_minutes[j] = m;
        }
    expect_same_trees(g, "whole minutes");
  }
}

TEST(GraphTravel, NegativeMinutesAreRefused) {
  auto g = test::grid_graph(3, 3, [](int, int) { return 1.0; });
  g.edge_minutes[0] = -1.f;
  EXPECT_THROW(geo::GraphTravel{g}, std::invalid_argument);
}
