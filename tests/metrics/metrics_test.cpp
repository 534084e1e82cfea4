// evaluate() on hand-made plans with known answers (Polsby-Popper from square cells);
// metrics_json; kept_share.
#include "lotwright/metrics/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "synthetic_graphs.hpp"

using namespace lotwright;
using ::testing::HasSubstr;

namespace {

// 3 x 3 grid, 500 m apart, 30 km/h: neighbours 1 min apart, diagonals 1.414 min.
geo::UnitGraph grid3() {
  return test::grid_graph(3, 3, [](int, int) { return 1.0; });
}

bool any_problem(const geo::PlanMetrics& m, const std::string& text) {
  for (const auto& p : m.problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(Metrics, OneLotTravelFromTheComputedHub) {
  const auto g = grid3();
  geo::Plan p;
  p.lot_count = 1;
  p.lot_of.assign(9, 0);
  const auto m = geo::evaluate(g, p);
  ASSERT_EQ(m.lots.size(), 1u);
  const auto& l = m.lots[0];
  EXPECT_EQ(l.hub, g.id[4]);  // the centre is the 1-median
  EXPECT_NEAR(l.mean_travel_min, (4 * 1.0 + 4 * std::sqrt(2.0)) / 9, 1e-4);
  EXPECT_NEAR(l.max_travel_min, std::sqrt(2.0), 1e-4);
  EXPECT_NEAR(l.p95_travel_min, std::sqrt(2.0), 1e-4);
  EXPECT_EQ(l.units, 9);
  EXPECT_EQ(l.pieces, 1);
  EXPECT_DOUBLE_EQ(l.hours, 9);
  EXPECT_DOUBLE_EQ(l.customers, 9);
  EXPECT_NEAR(l.area_km2, 9 * 0.25, 1e-9);
  EXPECT_EQ(l.cut_edges, 0);
  EXPECT_EQ(m.cut_edges, 0);
  EXPECT_DOUBLE_EQ(m.max_deviation_pct, 0);
  EXPECT_DOUBLE_EQ(m.cv, 0);
  EXPECT_TRUE(m.problems.empty());
}

TEST(Metrics, NonContiguousPlanReportsItsPieces) {
  const auto g = grid3();
  // Lot 1: left and right columns (two pieces); lot 2: the middle column.
  geo::Plan p;
  p.lot_count = 2;
  p.lot_of = {0, 1, 0, 0, 1, 0, 0, 1, 0};
  const auto m = geo::evaluate(g, p);
  EXPECT_EQ(m.lots[0].pieces, 2);
  EXPECT_EQ(m.lots[1].pieces, 1);
  EXPECT_TRUE(any_problem(m, "lot 1 is in 2 pieces"));
  EXPECT_EQ(m.cut_edges, 6);  // every horizontal edge
  EXPECT_EQ(m.lots[0].cut_edges, 6);
  EXPECT_EQ(m.lots[1].cut_edges, 6);
  EXPECT_NEAR(m.max_deviation_pct, 100.0 * (6 - 4.5) / 4.5, 1e-9);
  EXPECT_NEAR(m.cv, 1.5 / 4.5, 1e-9);
}

TEST(Metrics, UnassignedHoursAreCountedNotLost) {
  auto g = grid3();
  g.hours[8] = 5;
  geo::Plan p;
  p.lot_count = 1;
  p.lot_of = {0, 0, 0, 0, 0, 0, 0, 0, geo::kNoLot};
  geo::EvaluateOptions o;
  o.outside_unassigned_hours = 2.5;
  const auto m = geo::evaluate(g, p, o);
  EXPECT_DOUBLE_EQ(m.total_hours, 8 + 5 + 2.5);
  EXPECT_DOUBLE_EQ(m.assigned_hours, 8);
  EXPECT_DOUBLE_EQ(m.unassigned_hours, 5 + 2.5);
  EXPECT_EQ(m.unassigned_units, 1);
  EXPECT_TRUE(any_problem(m, "1 postcode (5.0 h) is in no lot: " + g.id[8]));
}

TEST(Metrics, BandsAndTravelLimitFromTheDesign) {
  const auto g = test::grid_graph(4, 1, [](int i, int) { return i == 3 ? 3.0 : 1.0; });
  geo::Plan p;
  p.lot_count = 2;
  p.lot_of = {0, 0, 1, 1};  // 2 h and 4 h: mean 3 h, ±33%
  geo::DesignConfig d;
  d.lots = 2;
  d.tolerance = 0.2;
  d.max_travel_minutes = 0.5;
  geo::EvaluateOptions o;
  o.design = &d;
  const auto m = geo::evaluate(g, p, o);
  EXPECT_FALSE(m.lots[0].within_band);
  EXPECT_FALSE(m.lots[1].within_band);
  EXPECT_EQ(m.lots_within_band, 0);
  EXPECT_TRUE(any_problem(m, "outside ±20.0%"));
  EXPECT_TRUE(any_problem(m, "beyond the travel limit of 0.50 min"));
  d.tolerance = 0.34;
  d.max_travel_minutes = 5;
  const auto ok = geo::evaluate(g, p, o);
  EXPECT_EQ(ok.lots_within_band, 2);
  EXPECT_TRUE(ok.problems.empty()) << ok.problems.front();
  // Tiers: lot 2 fits "small" (0-2 h)? no: 4 h fits "big" (3-5 h); lot 1 fits "small".
  geo::DesignConfig t;
  t.tiers = {{"big", 3, 5, std::nullopt}, {"small", 0, 2, std::nullopt}};
  o.design = &t;
  const auto mt = geo::evaluate(g, p, o);
  EXPECT_EQ(mt.lots_within_band, 2);
}

TEST(Metrics, GivenHubsAreUsedAndPolsbyPopperFromPerimeter) {
  const auto g = grid3();
  geo::Plan p;
  p.lot_count = 1;
  p.lot_of.assign(9, 0);
  p.hub = {0};                                   // a corner
  const std::vector<double> perimeter = {6000};  // the 1.5 km square
  geo::EvaluateOptions o;
  o.lot_perimeter_m = &perimeter;
  const auto m = geo::evaluate(g, p, o);
  EXPECT_EQ(m.lots[0].hub, g.id[0]);
  EXPECT_NEAR(m.lots[0].max_travel_min, 2 * std::sqrt(2.0), 1e-4);
  EXPECT_NEAR(m.lots[0].polsby_popper, 4 * M_PI * 2.25e6 / (6000.0 * 6000.0), 1e-9);
}

// 4 x 4 grid of 500 m square cells centred on grid_graph's sites (index i + 4 j). The lots
// (0-based; '.' in no lot):
//   row 3:  3 3 . 3    two pieces
//   row 2:  1 1 1 1    a strip
//   row 1:  0 0 2 .    a square (0) and an L (2)
//   row 0:  0 0 2 2
TEST(Metrics, PolsbyPopperFromTheCellsOfEachLot) {
  auto g = test::grid_graph(4, 4, [](int, int) { return 1.0; });
  geo::Units units;
  for (std::size_t u = 0; u < g.size(); ++u) {
    const double x = g.site[u].x, y = g.site[u].y, h = 250;
    geo::Unit unit;
    unit.id = g.id[u];
    unit.cell = {geo::Polygon{
        {{x - h, y - h}, {x + h, y - h}, {x + h, y + h}, {x - h, y + h}, {x - h, y - h}}, {}}};
    units.units.push_back(std::move(unit));
  }
  std::vector<geo::MultiPolygon> cells;
  for (const auto& u : units.units) cells.push_back(u.cell);
  units.edges = geo::cell_borders(cells);
  ASSERT_EQ(units.edges.size(), 24u);  // 4-neighbour pairs; corners touching are none
  for (const auto& e : units.edges) EXPECT_NEAR(e.border_m, 500, 1e-9);
  // The road-aware graph drops the pair 8-9 inside lot 1 (as across an estuary): the
  // perimeter must not take that border for an outer one.
  std::vector<geo::GraphEdge> kept;
  for (std::size_t u = 0; u < g.size(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
      if (g.targets[k] > u && !(u == 8 && g.targets[k] == 9))
        kept.push_back({static_cast<int>(u), static_cast<int>(g.targets[k]), 1.f, 500.f});
  geo::set_edges(g, kept);

  constexpr int N = geo::kNoLot;
  geo::Plan p;
  p.lot_count = 4;
  p.lot_of = {0, 0, 2, 2, 0, 0, 2, N, 1, 1, 1, 1, 3, 3, N, 3};
  geo::EvaluateOptions o;
  o.units = &units;
  const auto m = geo::evaluate(g, p, o);
  const double perimeter[] = {4000, 5000, 4000, 3000 + 2000};
  const double area_m2[] = {1e6, 1e6, 0.75e6, 0.75e6};
  const auto direct = geo::lot_perimeters(units, p.lot_of, p.lot_count);
  ASSERT_EQ(direct.size(), 4u);
  for (int l = 0; l < 4; ++l) {
    EXPECT_NEAR(direct[l], perimeter[l], 1e-6) << "lot " << l + 1;
    EXPECT_NEAR(m.lots[l].area_km2, area_m2[l] / 1e6, 1e-12);
    EXPECT_NEAR(m.lots[l].polsby_popper, 4 * M_PI * area_m2[l] / (perimeter[l] * perimeter[l]),
                1e-9)
        << "lot " << l + 1;
  }
  EXPECT_NEAR(m.lots[0].polsby_popper, M_PI / 4, 1e-9);  // a square
  // Given perimeters win over the cells; without either, 0.
  const std::vector<double> given = {8000, 8000, 8000, 8000};
  o.lot_perimeter_m = &given;
  EXPECT_NEAR(geo::evaluate(g, p, o).lots[0].polsby_popper, 4 * M_PI * 1e6 / 64e6, 1e-9);
  EXPECT_EQ(geo::evaluate(g, p).lots[0].polsby_popper, 0);
}

TEST(Metrics, JsonCarriesTheContract) {
  const auto g = grid3();
  geo::Plan p;
  p.lot_count = 2;
  p.lot_of = {0, 0, 0, 0, 0, 1, 1, 1, 1};
  p.seed = 42;
  auto m = geo::evaluate(g, p);
  m.baseline_kept_share = 0.75;
  const auto j = nlohmann::json::parse(geo::metrics_json(m));
  for (const char* k : {"total_hours", "assigned_hours", "unassigned_hours", "max_deviation_pct",
                        "cv", "lots_within_band", "mean_travel_min", "cut_edges", "runtime_s",
                        "seed", "version", "problems", "baseline_kept_share", "lots"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["seed"], 42);
  ASSERT_EQ(j["lots"].size(), 2u);
  for (const char* k :
       {"lot", "hours", "customers", "units", "pieces", "tier", "hub", "mean_travel_min",
        "p95_travel_min", "max_travel_min", "area_km2", "polsby_popper", "cut_edges"})
    EXPECT_TRUE(j["lots"][0].contains(k)) << k;
  EXPECT_EQ(j["lots"][1]["lot"], 2);
  EXPECT_DOUBLE_EQ(j["lots"][0]["hours"].get<double>(), 5);
}

// Figures are written as the decimals they were rounded to: 103.32, never 103.32000000000001.
TEST(Metrics, JsonNumbersPrintAsTheirRoundedDecimals) {
  geo::PlanMetrics m;
  m.total_hours = 103.3249;
  m.cv = 0.171700001;
  m.runtime_s = 1.2345;
  m.mean_travel_min = 12.994999;
  geo::LotMetrics l;
  l.area_km2 = 103.32;
  l.polsby_popper = 0.17170000000000002;
  l.hours = 1234.5678;
  m.lots = {l};
  const std::string text = geo::metrics_json(m);
  EXPECT_EQ(text.find("0000000"), std::string::npos) << text;
  EXPECT_EQ(text.find("9999999"), std::string::npos) << text;
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["lots"][0]["area_km2"].dump(), "103.32");
  EXPECT_EQ(j["lots"][0]["polsby_popper"].dump(), "0.1717");
  EXPECT_EQ(j["cv"].dump(), "0.1717");
}

TEST(Metrics, KeptShareMatchesRenumberedLots) {
  const auto g = grid3();
  geo::Plan a, b;
  a.lot_count = b.lot_count = 2;
  a.lot_of = {0, 0, 0, 0, 0, 1, 1, 1, 1};
  b.lot_of = {1, 1, 1, 1, 1, 0, 0, 0, 0};  // same lots, other numbers
  EXPECT_DOUBLE_EQ(geo::kept_share(g, a, b), 1.0);
  b.lot_of = {1, 1, 1, 1, 0, 0, 0, 0, 0};  // one unit of 9 moved
  EXPECT_NEAR(geo::kept_share(g, a, b), 8.0 / 9, 1e-12);
}

// ---- Care rounds (docs/rounds.md) -------------------------------------------------------

namespace {

const char* const kRoundFields[] = {"call_gap_median_min",   "call_gap_p90_min",
                                    "call_gap_median_miles", "legs_over_15_min_pct",
                                    "legs_over_6_miles_pct", "travel_min_per_contact_hour",
                                    "workers_needed",        "travel_cost_per_contact_hour"};

// Two lots of a 6 x 4 grid with hours everywhere: enough calls for legs in every window.
geo::Plan two_lots(const geo::UnitGraph& g) {
  geo::Plan p;
  p.lot_count = 2;
  for (std::size_t u = 0; u < g.size(); ++u) p.lot_of.push_back(g.site[u].x < 1400 ? 0 : 1);
  return p;
}

}  // namespace

// evaluate's round figures are estimate_rounds' (one function), per lot and for the county,
// with the [rounds] parameters it is given.
TEST(Rounds, EvaluateShowsTheOneEstimate) {
  const auto g = test::grid_graph(6, 4, [](int i, int j) { return 10.0 + 3 * i + j; });
  const geo::Plan p = two_lots(g);
  geo::RoundParams rc;
  rc.hours_per_worker = 37.5;
  rc.pay_per_hour = 12;
  geo::EvaluateOptions eo;
  eo.rounds = &rc;
  const auto m = geo::evaluate(g, p, eo);
  ASSERT_TRUE(m.rounds_estimated);
  const auto direct = geo::estimate_rounds(g, p.lot_of, p.lot_count, rc);
  ASSERT_EQ(m.lots.size(), direct.lots.size());
  for (std::size_t l = 0; l < m.lots.size(); ++l) {
    EXPECT_GT(m.lots[l].rounds.legs, 0) << l;
    EXPECT_EQ(m.lots[l].rounds.call_gap_median_min, direct.lots[l].call_gap_median_min);
    EXPECT_EQ(m.lots[l].rounds.workers_needed, direct.lots[l].workers_needed);
    EXPECT_EQ(m.lots[l].rounds.travel_cost_per_contact_hour,
              direct.lots[l].travel_cost_per_contact_hour);
  }
  EXPECT_EQ(m.rounds.call_gap_p90_min, direct.county.call_gap_p90_min);
  // The parameters matter: the default 30-hour week needs more workers.
  const auto d = geo::evaluate(g, p);
  EXPECT_NEAR(d.lots[0].rounds.workers_needed, m.lots[0].rounds.workers_needed * 37.5 / 30, 1e-9);
}

TEST(Rounds, JsonHasEveryFieldPerLotAndForTheCounty) {
  const auto g = test::grid_graph(6, 4, [](int, int) { return 12.0; });
  const auto m = geo::evaluate(g, two_lots(g));
  const auto j = nlohmann::json::parse(geo::metrics_json(m));
  ASSERT_TRUE(j.contains("rounds"));
  for (const char* k : kRoundFields) {
    EXPECT_TRUE(j["rounds"].contains(k)) << k;
    for (const auto& lot : j["lots"]) EXPECT_TRUE(lot.contains(k)) << k;
  }
  EXPECT_NEAR(j["lots"][0]["workers_needed"].get<double>(), m.lots[0].rounds.workers_needed, 0.005);
  EXPECT_GT(j["lots"][0]["workers_needed"].get<double>(), 0);
}

// Without a travel oracle there is no estimate, and no round fields are written.
TEST(Rounds, NoTravelNoFigures) {
  auto g = test::grid_graph(3, 3, [](int, int) { return 1.0; });
  g.travel.reset();
  geo::Plan p;
  p.lot_count = 1;
  p.lot_of.assign(9, 0);
  const auto m = geo::evaluate(g, p);
  EXPECT_FALSE(m.rounds_estimated);
  const auto j = nlohmann::json::parse(geo::metrics_json(m));
  EXPECT_FALSE(j.contains("rounds"));
  EXPECT_FALSE(j["lots"][0].contains("call_gap_median_min"));
}

// A postcode no road reaches from the hub (straight-line travel, with one unit cut off):
// the problem names it and its hours, and the lot's travel figures leave it out.
TEST(Metrics, AnUnreachablePostcodeIsNamedWithItsHours) {
  struct CutOff : geo::TravelOracle {
    std::shared_ptr<const geo::TravelOracle> base;
    int cut = 0;
    std::size_t size() const override { return base->size(); }
    void tree(int from, std::vector<float>& out, float limit) const override {
      base->tree(from, out, limit);
      if (from == cut)
        std::fill(out.begin(), out.end(), geo::kUnreachable), out[cut] = 0;
      else
        out[cut] = geo::kUnreachable;
    }
  };
  auto g = grid3();
  auto cut = std::make_shared<CutOff>();
  cut->base = g.travel;
  cut->cut = 8;
  g.travel = cut;
  g.hours[8] = 3.5;
  geo::Plan p;
  p.lot_count = 1;
  p.lot_of.assign(9, 0);
  p.hub = {4};
  const auto m = geo::evaluate(g, p);
  ASSERT_TRUE(any_problem(m, "lot 1: 1 postcode (3.50 h) cannot be reached by road from its hub " +
                                 g.id[4] + ": " + g.id[8] + " (3.50 h)"))
      << (m.problems.empty() ? "" : m.problems.front());
  EXPECT_NEAR(m.lots[0].max_travel_min, std::sqrt(2.0), 1e-4);  // the other corners
}
