// The lot designer on synthetic graphs with known answers, property tests on random graphs,
// tier bands, infeasible asks, reproducibility, and the Isle of Wight.
#include "lotwright/design/designer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <metis.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

// The designer's private header (standard headers only): the recombination test.
#include "../../geo/design/src/recombine.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/parallel.hpp"
#include "lotwright/design/exact.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/synth/synth.hpp"
#include "support.hpp"
#include "synthetic_graphs.hpp"

using namespace lotwright;
using ::testing::HasSubstr;

namespace {

geo::DesignRequest lots_request(int lots, double tolerance = 0.05, std::uint64_t seed = 1,
                                double max_travel = 0) {
  geo::DesignRequest r;
  r.design.lots = lots;
  r.design.tolerance = tolerance;
  r.design.seed = seed;
  r.design.max_travel_minutes = max_travel;
  return r;
}

// Checks every hard constraint through evaluate(): all units in a lot, one piece each,
// inside the band, travel within the limit.
void expect_valid(const geo::UnitGraph& g, const geo::Plan& p, const geo::DesignConfig& d) {
  ASSERT_EQ(p.lot_of.size(), g.size());
  geo::EvaluateOptions o;
  o.design = &d;
  const auto m = evaluate(g, p, o);
  EXPECT_EQ(m.unassigned_units, 0);
  EXPECT_NEAR(m.assigned_hours, test::total_hours(g), 1e-6);
  for (const auto& l : m.lots) {
    EXPECT_EQ(l.pieces, 1) << "lot " << l.lot;
    EXPECT_TRUE(l.within_band) << "lot " << l.lot << " has " << l.hours << " h";
  }
  EXPECT_EQ(m.lots_within_band, p.lot_count);
  // The travel limit binds postcodes with hours; evaluate() reports any beyond it.
  for (const auto& problem : m.problems)
    EXPECT_THAT(problem, ::testing::Not(HasSubstr("beyond the travel limit")));
  if (d.max_travel_minutes > 0) {
    for (std::size_t u = 0; u < g.size(); ++u) {
      if (g.hours[u] <= 0) continue;
      const int l = p.lot_of[u];
      EXPECT_LE(g.travel->minutes(p.hub[l], static_cast<int>(u)), d.max_travel_minutes + 1e-4)
          << g.id[u];
    }
  }
}

}  // namespace

TEST(Designer, TwoClustersJoinedByOneEdgeGiveTheClusters) {
  // Two 5x5 grids 20 km apart, joined by one edge; each holds 100 h. Best plan: one each.
  geo::UnitGraph g;
  std::vector<geo::GraphEdge> edges;
  for (int c = 0; c < 2; ++c)
    for (int j = 0; j < 5; ++j)
      for (int i = 0; i < 5; ++i) {
        g.site.push_back({c * 20000.0 + i * 500.0, j * 500.0});
        g.hours.push_back(4);
        const int u = c * 25 + j * 5 + i;
        if (i + 1 < 5) edges.push_back({u, u + 1, 0, 0});
        if (j + 1 < 5) edges.push_back({u, u + 5, 0, 0});
      }
  edges.push_back({2 * 5 + 4, 25 + 2 * 5, 0, 0});  // the bridge
  test::finish_graph(g, edges);
  const auto plan = geo::design(g, lots_request(2));
  ASSERT_EQ(plan.lot_count, 2);
  for (int u = 0; u < 25; ++u) EXPECT_EQ(plan.lot_of[u], plan.lot_of[0]) << u;
  for (int u = 25; u < 50; ++u) EXPECT_EQ(plan.lot_of[u], plan.lot_of[25]) << u;
  EXPECT_NE(plan.lot_of[0], plan.lot_of[25]);
  EXPECT_EQ(plan.lot_of[0], 0);  // lots numbered by their first postcode
  // Hubs are the centres of the two grids (the 1-median of a uniform 5x5 grid).
  EXPECT_EQ(plan.hub[0], 12);
  EXPECT_EQ(plan.hub[1], 37);
}

TEST(Designer, UniformStripSplitsIntoEqualBlocks) {
  // 12 x 3 strip, 1 h per unit, 3 lots exactly: the optimum is three 4 x 3 blocks.
  auto g = test::grid_graph(12, 3, [](int, int) { return 1.0; });
  const auto plan = geo::design(g, lots_request(3, 0.0));
  for (int j = 0; j < 3; ++j)
    for (int i = 0; i < 12; ++i) EXPECT_EQ(plan.lot_of[j * 12 + i], i / 4) << i << "," << j;
}

class DesignerProperty : public ::testing::TestWithParam<int> {};

TEST_P(DesignerProperty, RandomGraphsGiveValidPlans) {
  const int seed = GetParam();
  auto g = test::random_graph(700 + seed * 137, static_cast<std::uint64_t>(seed));
  const int lots = 3 + seed % 6;
  auto req = lots_request(lots, 0.05, static_cast<std::uint64_t>(seed));
  // Lock a few units to lots 1 and 2 (far apart corners).
  req.locked.assign(g.size(), geo::kNoLot);
  req.locked[0] = 0;
  req.locked[g.size() - 1] = 1;
  geo::DesignReport report;
  const auto plan = geo::design(g, req, &report);
  EXPECT_EQ(plan.lot_count, lots);
  EXPECT_EQ(plan.lot_of[0], 0);
  EXPECT_EQ(plan.lot_of[g.size() - 1], 1);
  expect_valid(g, plan, req.design);
}

// Seeds 1 and 3: 837 units in 4 lots and 1,111 in 6 (seed 2, 974 in 5, was a third of the
// same kind).
INSTANTIATE_TEST_SUITE_P(Seeds, DesignerProperty, ::testing::Values(1, 3));

TEST(Designer, LockedPostcodesFarApartAreJoinedInOneLot) {
  auto g = test::grid_graph(20, 20, [](int, int) { return 1.0; });
  auto req = lots_request(4, 0.05, 1);
  req.locked.assign(g.size(), geo::kNoLot);
  req.locked[0] = 2;  // two corners of the bottom row, 9.5 km apart, in lot 3
  req.locked[19] = 2;
  req.locked[399] = 0;  // the opposite corner in lot 1
  const auto plan = geo::design(g, req);
  EXPECT_EQ(plan.lot_of[0], 2);
  EXPECT_EQ(plan.lot_of[19], 2);
  EXPECT_EQ(plan.lot_of[399], 0);
  expect_valid(g, plan, req.design);
}

TEST(Designer, TravelLimitIsRespected) {
  // A limit 15% below the farthest trip of the unconstrained plan binds, yet can be met.
  auto g = test::random_graph(900, 11);
  auto req = lots_request(5, 0.1, 3);
  const auto free_plan = geo::design(g, req);
  double far = 0;
  for (const auto& l : geo::evaluate(g, free_plan).lots) far = std::max(far, l.max_travel_min);
  req.design.max_travel_minutes = std::floor(far * 0.85);
  const auto plan = geo::design(g, req);
  expect_valid(g, plan, req.design);
  RecordProperty("limit_min", std::to_string(req.design.max_travel_minutes));
}

// The West Sussex tiers, with a travel limit.
TEST(Designer, TiersPutEveryLotInABand) {
  auto g = test::random_graph(1600, 5);
  geo::DesignRequest req;
  req.design.tiers = {{"Level 1", 700, 1300, std::nullopt},
                      {"Level 2", 240, 450, std::nullopt},
                      {"Level 3", 0, 150, std::nullopt}};
  req.design.max_travel_minutes = 25;
  const double total = test::total_hours(g);
  const auto plan = geo::design(g, req);
  ASSERT_GE(plan.lot_count, static_cast<int>(std::ceil(total / 1300)));
  expect_valid(g, plan, req.design);
  std::set<std::string> names{"Level 1", "Level 2", "Level 3"};
  const auto m = geo::evaluate(g, plan);
  for (int l = 0; l < plan.lot_count; ++l) {
    ASSERT_TRUE(names.count(plan.tier[l])) << plan.tier[l];
    const auto& t = plan.tier[l] == "Level 1"   ? req.design.tiers[0]
                    : plan.tier[l] == "Level 2" ? req.design.tiers[1]
                                                : req.design.tiers[2];
    EXPECT_GE(m.lots[l].hours, t.min_hours);
    EXPECT_LE(m.lots[l].hours, t.max_hours);
  }
}

TEST(Designer, TiersMixWhenNoSingleTierFits) {
  // 1,350 h cannot be one 700-1300 lot nor two; one Level 1 and one Level 2 lot can hold it.
  auto g = test::grid_graph(30, 15, [](int, int) { return 3.0; });  // 450 units x 3 h
  geo::DesignRequest req;
  req.design.tiers = {{"Level 1", 700, 1300, std::nullopt}, {"Level 2", 240, 450, std::nullopt}};
  req.design.max_travel_minutes = 0;
  const auto plan = geo::design(g, req);
  ASSERT_EQ(plan.lot_count, 2);
  std::multiset<std::string> tiers(plan.tier.begin(), plan.tier.end());
  EXPECT_EQ(tiers.count("Level 1"), 1u);
  EXPECT_EQ(tiers.count("Level 2"), 1u);
  expect_valid(g, plan, req.design);
}

TEST(Designer, SameSeedSamePlanOtherSeedExplores) {
  auto g = test::random_graph(800, 21);
  const auto a = geo::design(g, lots_request(6, 0.05, 7));
  const auto b = geo::design(g, lots_request(6, 0.05, 7));
  EXPECT_EQ(a.lot_of, b.lot_of);
  EXPECT_EQ(a.hub, b.hub);
  bool differs = false;
  for (std::uint64_t s = 8; s < 11 && !differs; ++s)
    differs = geo::design(g, lots_request(6, 0.05, s)).lot_of != a.lot_of;
  EXPECT_TRUE(differs);
}

TEST(Designer, UnitAboveEveryBandIsInfeasible) {
  auto g = test::grid_graph(6, 6, [](int i, int j) { return i == 2 && j == 3 ? 1450.0 : 10.0; });
  try {
    geo::design(g, lots_request(3));
    FAIL() << "expected InfeasibleError";
  } catch (const geo::InfeasibleError& e) {
    EXPECT_THAT(e.what(),
                HasSubstr("postcode " + g.id[3 * 6 + 2] + " alone has 1,450 h, above every band"));
  }
  geo::DesignRequest tiers;
  tiers.design.tiers = {{"Level 1", 700, 1300, std::nullopt}};
  tiers.unit_noun = "ward";  // units named as the study's [units] layer says
  try {
    geo::design(g, tiers);
    FAIL();
  } catch (const geo::InfeasibleError& e) {
    EXPECT_THAT(e.what(),
                HasSubstr("ward " + g.id[3 * 6 + 2] + " alone has 1,450 h, above every band"));
  }
}

TEST(Designer, TooManyLotsIsInfeasible) {
  auto g = test::random_graph(400, 2);
  try {
    geo::design(g, lots_request(3000));
    FAIL();
  } catch (const geo::InfeasibleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("3000 lots for 400 postcodes"));
  }
  int positive = 0;
  for (double h : g.hours) positive += h > 0;
  try {
    geo::design(g, lots_request(positive + 1));
    FAIL();
  } catch (const geo::InfeasibleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("of them have any care hours"));
  }
}

TEST(Designer, SmallDisconnectedPartIsNamed) {
  // Main grid 1,000 h + an island of 230 h no road joins: 6 lots of ~205 h cannot be made
  // ... the island alone is a lot's worth; ask 3 lots (410 h) so it is too small.
  auto g = test::grid_graph(10, 10, [](int, int) { return 10.0; });
  const std::size_t main_n = g.size();
  std::vector<geo::GraphEdge> edges;
  for (std::size_t u = 0; u < g.size(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
      if (g.targets[k] > u)
        edges.push_back({static_cast<int>(u), static_cast<int>(g.targets[k]), 0, 0});
  for (int i = 0; i < 10; ++i) {
    g.site.push_back({60000.0 + i * 500, 0});
    g.hours.push_back(23);
    if (i) edges.push_back({static_cast<int>(main_n) + i - 1, static_cast<int>(main_n) + i, 0, 0});
  }
  test::finish_graph(g, edges);
  try {
    geo::design(g, lots_request(3));
    FAIL();
  } catch (const geo::InfeasibleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("3 lots of 410 h ± 5% cannot be made: the part of the network "
                                    "around ZZ10 (10 postcodes) holds only 230 h"));
  }
  // 5 lots of 246 h ± 10%: the island is a lot of its own, the rest 4 lots.
  geo::DesignReport report;
  auto req = lots_request(5, 0.1);
  const auto plan = geo::design(g, req, &report);
  expect_valid(g, plan, req.design);
  ASSERT_FALSE(report.notes.empty());
  EXPECT_THAT(report.notes.back(), HasSubstr("designed on its own"));
}

TEST(Designer, ZeroHourIslandJoinsTheNearestLotAndIsReported) {
  auto g = test::grid_graph(8, 8, [](int, int) { return 5.0; });
  std::vector<geo::GraphEdge> edges;
  for (std::size_t u = 0; u < g.size(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
      if (g.targets[k] > u)
        edges.push_back({static_cast<int>(u), static_cast<int>(g.targets[k]), 0, 0});
  g.site.push_back({8 * 500.0 + 3000, 0});  // off the east edge, near unit 7
  g.hours.push_back(0);
  test::finish_graph(g, edges);
  geo::DesignReport report;
  const auto plan = geo::design(g, lots_request(2), &report);
  EXPECT_EQ(plan.lot_of[64], plan.lot_of[7]);
  ASSERT_FALSE(report.notes.empty());
  EXPECT_THAT(report.notes.front(), HasSubstr("joins the nearest lot"));
}

TEST(Designer, UnattainableToleranceIsInfeasible) {
  // 10 units of 10 h, 3 lots of 33.3 h ± 1%: every lot is a multiple of 10 h. The best plan
  // comes back flagged (issue 11), with the reason.
  auto g = test::grid_graph(10, 1, [](int, int) { return 10.0; });
  geo::DesignReport report;
  const auto plan = geo::design(g, lots_request(3, 0.01), &report);
  EXPECT_EQ(plan.lot_count, 3);
  EXPECT_FALSE(report.feasible);
  EXPECT_FALSE(report.violations.empty());
  EXPECT_EQ(report.violations.front().what, "band");
  EXPECT_THAT(report.reason, HasSubstr("3 lots of 33.3 h ± 1% could not be made"));
  // A small study: the exact solve proves it (polish.cpp).
  EXPECT_TRUE(report.proved_infeasible);
  EXPECT_THAT(report.reason, HasSubstr("proved by the exact solve"));
}

// Small studies get the exact polish (polish.cpp): on a grid the plan is the proven optimum
// and the certificate says so, on the objective's weights (hours + eps).
TEST(Designer, SmallStudiesAreCertifiedByTheExactSolve) {
  const auto g = test::grid_graph(4, 3, [](int i, int j) { return (i * 7 + j * 3) % 5 + 0.5 * j; });
  geo::DesignReport report;
  const auto plan = geo::design(g, lots_request(3, 0.3), &report);
  geo::ExactRequest r;
  r.lots = 3;
  r.tolerance = 0.3;
  const auto opt = geo::solve_exact(g, r);
  ASSERT_EQ(opt.status, geo::ExactStatus::optimal);
  const double ours = geo::plan_objective(g, plan);
  EXPECT_NEAR(ours, opt.objective, 1e-9 * opt.objective);
  double wsum = 0;
  for (double w : geo::design_weights(g)) wsum += w;
  EXPECT_TRUE(report.proved_optimal);
  EXPECT_NEAR(report.lower_bound_min, opt.objective / wsum, 1e-6 * opt.objective / wsum);
  EXPECT_NEAR(report.gap_pct, 0, 1e-4);
  EXPECT_DOUBLE_EQ(report.time_budget_s, 2.0 + 0.6e-3 * 12);
}

// Bigger studies get no exact polish; their certificate is the Lagrangian bound, below the
// plan's objective. The budget grows with the county.
TEST(Designer, BiggerStudiesReportTheirBudgetAndALagrangianBound) {
  const auto g = test::random_graph(900, 8);
  geo::DesignReport report;
  const auto plan = geo::design(g, lots_request(8, 0.05, 1), &report);
  EXPECT_DOUBLE_EQ(report.time_budget_s, 2.0 + 0.6e-3 * 900);
  const double ours = geo::plan_objective(g, plan);
  double wsum = 0;
  for (double w : geo::design_weights(g)) wsum += w;
  EXPECT_GT(report.lower_bound_min, 0);
  EXPECT_LE(report.lower_bound_min * wsum, ours * (1 + 1e-9));
  EXPECT_NEAR(report.gap_pct, (ours - report.lower_bound_min * wsum) / ours * 100, 1e-6);
  RecordProperty("gap_pct", std::to_string(report.gap_pct));
  EXPECT_FALSE(report.proved_optimal);
}

// A travel limit no plan can meet (2 lots on a 10 km square, 3 minutes) comes back flagged
// with travel violations beyond the limit: design_failure_test's ProvedByAPostcodeNoHubServes,
// on the same grid and ask, checks that and the proof (this file's copy designed it again).

TEST(Designer, TimeLimitStopsTheSearchAndSaysSo) {
  auto g = test::random_graph(3000, 8);
  auto req = lots_request(6, 0.05, 1);
  req.time_limit_s = 1e-6;
  geo::DesignReport report;
  const auto plan = geo::design(g, req, &report);
  if (report.feasible)
    expect_valid(g, plan, req.design);
  else
    EXPECT_THAT(report.reason, HasSubstr("time budget"));
  ASSERT_FALSE(report.notes.empty());
  EXPECT_THAT(report.notes.back(), HasSubstr("stopped at the time limit"));
}

TEST(Designer, KeepFromChangesLittle) {
  auto g = test::random_graph(800, 9);
  auto req = lots_request(5, 0.05, 2);
  const auto first = geo::design(g, req);
  // Same demand: the plan is kept as it is.
  auto keep = req;
  keep.keep_from = first.lot_of;
  const auto again = geo::design(g, keep);
  EXPECT_EQ(again.lot_of, first.lot_of);
  // Demand grows in one corner: most hours stay in their lot.
  for (std::size_t u = 0; u < g.size(); ++u)
    if (g.site[u].x < 3000 && g.site[u].y < 3000) g.hours[u] += 4;
  const auto moved = geo::design(g, keep);
  expect_valid(g, moved, keep.design);
  double same = 0, total = 0;
  for (std::size_t u = 0; u < g.size(); ++u) {
    total += g.hours[u];
    same += moved.lot_of[u] == first.lot_of[u] ? g.hours[u] : 0;
  }
  EXPECT_GT(same / total, 0.85);
  const auto fresh = geo::design(g, req);
  double same_fresh = 0;
  for (std::size_t u = 0; u < g.size(); ++u)
    same_fresh += fresh.lot_of[u] == first.lot_of[u] ? g.hours[u] : 0;
  EXPECT_GE(same, same_fresh);
}

// Our plan against METIS -contig on the same graph and hour weights, both measured by
// evaluate(): hours-weighted travel to the lot hub must be at least 10% lower.
TEST(Designer, BeatsMetisContigOnHoursWeightedTravel) {
  auto g = test::random_graph(2500, 4);
  const int lots = 8;
  const auto ours = geo::design(g, lots_request(lots, 0.05, 1));
  idx_t nv = static_cast<idx_t>(g.size()), ncon = 1, np = lots, cut = 0;
  std::vector<idx_t> xadj(g.offsets.begin(), g.offsets.end()),
      adj(g.targets.begin(), g.targets.end()), vw;
  for (double h : g.hours) vw.push_back(static_cast<idx_t>(std::lround(h * 100)) + 1);
  real_t ub = 1.05f;
  idx_t opt[METIS_NOPTIONS];
  METIS_SetDefaultOptions(opt);
  opt[METIS_OPTION_CONTIG] = 1;
  std::vector<idx_t> part(g.size());
  ASSERT_EQ(METIS_PartGraphKway(&nv, &ncon, xadj.data(), adj.data(), vw.data(), nullptr, nullptr,
                                &np, nullptr, &ub, opt, &cut, part.data()),
            METIS_OK);
  geo::Plan metis;
  metis.lot_count = lots;
  metis.lot_of.assign(part.begin(), part.end());
  const auto mo = geo::evaluate(g, ours), mm = geo::evaluate(g, metis);
  RecordProperty("ours_min", std::to_string(mo.mean_travel_min));
  RecordProperty("metis_min", std::to_string(mm.mean_travel_min));
  EXPECT_LE(mo.mean_travel_min, 0.9 * mm.mean_travel_min)
      << "ours " << mo.mean_travel_min << " metis " << mm.mean_travel_min;
}

// ---- Isle of Wight (real postcodes and roads, synthetic demand) ----------------------------

class IsleOfWight : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("designer-iow");
    const auto cfg0 = geo::load_config(test::write_iow_config(dir_->path(), ""));
    geo::SynthDemandOptions o;
    o.seed = 5;
    geo::synth_demand(cfg0, *dir_ / "demand.csv", o);
    const auto cfg = geo::load_config(test::write_iow_config(dir_->path(), *dir_ / "demand.csv"));
    geo::StudyOptions so;
    so.cache_dir = dir_->path() / "cache";
    study_ = new geo::Study(geo::load_study(cfg, so));
    // The one design of the Isle of Wight in this executable (the road search's is
    // design_evaluate_agree_test's): 6 lots ±5%, 25 minutes, with the search big studies use
    // (travel along chains of neighbouring postcodes, then settled on the roads), switched on
    // here for the island.
    request_ = new geo::DesignRequest(lots_request(6, 0.05, 1, 25));
    request_->adjacency_search_above = 1000;
    report_ = new geo::DesignReport;
    plan_ = new geo::Plan(geo::design(study_->graph, *request_, report_));
  }
  static void TearDownTestSuite() {
    delete plan_;
    delete report_;
    delete request_;
    delete study_;
    delete dir_;
  }
  static test::ScratchDir* dir_;
  static geo::Study* study_;
  static geo::DesignRequest* request_;
  static geo::DesignReport* report_;
  static geo::Plan* plan_;
};
test::ScratchDir* IsleOfWight::dir_ = nullptr;
geo::Study* IsleOfWight::study_ = nullptr;
geo::DesignRequest* IsleOfWight::request_ = nullptr;
geo::DesignReport* IsleOfWight::report_ = nullptr;
geo::Plan* IsleOfWight::plan_ = nullptr;

TEST_F(IsleOfWight, SixLotsWithinFivePercentEachOnePiece) {
  const auto& g = study_->graph;
  ASSERT_EQ(g.size(), 5129u);
  const auto& a = *plan_;
  const auto& req = *request_;
  RecordProperty("seconds", std::to_string(report_->seconds));
  ASSERT_EQ(a.lot_count, 6);
  for (std::size_t u = 0; u < g.size(); ++u) ASSERT_NE(a.lot_of[u], geo::kNoLot) << g.id[u];
  geo::EvaluateOptions o;
  o.design = &req.design;
  const auto m = geo::evaluate(g, a, o);
  EXPECT_EQ(m.unassigned_units, 0);
  EXPECT_LE(m.max_deviation_pct, 5.0 + 1e-9);
  int parts = 0;
  geo::components(g, &parts);
  for (const auto& l : m.lots) {
    // A lot is one piece on the road-aware adjacency, unless it took in a part no road joins.
    if (parts == 1) {
      EXPECT_EQ(l.pieces, 1) << "lot " << l.lot;
    }
    EXPECT_TRUE(l.within_band);
  }
}

// The search big studies use (travel along chains of neighbouring postcodes, then settled on
// the roads): a plan valid on road travel.
TEST_F(IsleOfWight, ChainSearchOfBigStudiesGivesAPlanValidOnRoads) {
  const auto& g = study_->graph;
  const auto& plan = *plan_;
  bool noted = false;
  for (const auto& n : report_->notes)
    noted = noted || n.find("chains of neighbouring") != std::string::npos;
  EXPECT_TRUE(noted);
  EXPECT_TRUE(report_->feasible) << report_->reason;
  // The travel limit holds on the roads for every postcode with hours.
  ASSERT_EQ(plan.hub.size(), 6u);
  int with_hours = 0;
  for (int l = 0; l < 6; ++l) {
    std::vector<float> tree;
    g.travel->tree(plan.hub[static_cast<std::size_t>(l)], tree);
    for (std::size_t u = 0; u < g.size(); ++u)
      if (plan.lot_of[u] == l && g.hours[u] > 0) {
        EXPECT_LE(tree[u], 25.0f + 1e-3f) << g.id[u];
        ++with_hours;
      }
  }
  EXPECT_GT(with_hours, 500);
}

// The Isle of Wight's 5,129 postcodes are above the size where every unit is a centre: the
// bound comes from spread centres' trees (aggregated_bound), is claimed, never exceeds the
// plan's own mean travel as evaluate() reports it, and its gap is the gap between the two.
TEST_F(IsleOfWight, BoundFromCentresIsBelowThePlanAndGivesTheGap) {
  ASSERT_TRUE(report_->feasible) << report_->reason;
  const double lb = report_->lower_bound_min, gap = report_->gap_pct;
  const double ours = geo::evaluate(study_->graph, *plan_).mean_travel_min;
  EXPECT_GT(lb, 0);
  EXPECT_LE(lb, ours * (1 + 1e-9));
  EXPECT_GT(gap, 0);
  EXPECT_LT(gap, 100);
  EXPECT_NEAR(gap, (ours - lb) / ours * 100, 0.05) << "ours " << ours << " bound " << lb;
  RecordProperty("bound_min", std::to_string(lb));
  RecordProperty("gap_pct", std::to_string(gap));
}

// Lot perimeters from cell perimeters and shared borders (the geometric ones: some pairs are
// no neighbours on the road-aware graph) agree with the GEOS union of each lot's cells.
TEST_F(IsleOfWight, LotPerimetersMatchTheDissolvedLots) {
  const auto& g = study_->graph;
  const auto& units = study_->units;
  ASSERT_EQ(units.units.size(), g.size());
  ASSERT_GT(g.dropped_edges, 0);
  // Six bands of easting with equal numbers of postcodes.
  std::vector<int> order(g.size());
  for (std::size_t u = 0; u < g.size(); ++u) order[u] = static_cast<int>(u);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return std::tie(g.site[a].x, a) < std::tie(g.site[b].x, b); });
  geo::Plan plan;
  plan.lot_count = 6;
  plan.lot_of.assign(g.size(), geo::kNoLot);
  for (std::size_t i = 0; i < order.size(); ++i)
    plan.lot_of[order[i]] = static_cast<int>(6 * i / order.size());
  const auto perimeter = geo::lot_perimeters(units, plan.lot_of, plan.lot_count);
  ASSERT_EQ(perimeter.size(), 6u);
  for (int l = 0; l < 6; ++l) {
    std::vector<const geo::MultiPolygon*> cells;
    for (std::size_t u = 0; u < g.size(); ++u)
      if (plan.lot_of[u] == l) cells.push_back(&units.units[u].cell);
    const double dissolved = geo::perimeter(geo::dissolve(cells));
    EXPECT_NEAR(perimeter[l], dissolved, 1e-6 * dissolved) << "lot " << l + 1;
  }
  // The road-aware graph's borders alone would count the pairs it dropped inside a lot as
  // outer border.
  std::vector<double> cell_perimeter;
  for (const auto& u : units.units) cell_perimeter.push_back(geo::perimeter(u.cell));
  std::vector<geo::UnitEdge> road_aware;
  for (std::size_t u = 0; u < g.size(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
      if (g.targets[k] > u)
        road_aware.push_back({static_cast<int>(u), static_cast<int>(g.targets[k]),
                              static_cast<double>(g.edge_border_m[k])});
  const auto overstated = geo::lot_perimeters(cell_perimeter, road_aware, plan.lot_of, 6);
  double excess = 0;
  for (int l = 0; l < 6; ++l) excess += overstated[l] - perimeter[l];
  EXPECT_GT(excess, 1000);
  geo::EvaluateOptions o;
  o.units = &units;
  for (const auto& l : geo::evaluate(g, plan, o).lots) {
    EXPECT_GT(l.polsby_popper, 0) << "lot " << l.lot;
    EXPECT_LE(l.polsby_popper, 1) << "lot " << l.lot;
  }
}

TEST_F(IsleOfWight, ThreeThousandLotsIsInfeasible) {
  try {
    geo::design(study_->graph, lots_request(3000));
    FAIL();
  } catch (const geo::InfeasibleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("3000 lots for 5,129 postcodes"));
  }
}

TEST(Designer, ConfigTimeLimitBoundsTheSearchAndStillGivesAValidPlan) {
  // [design] time_limit_seconds alone (DesignRequest::time_limit_s left 0) bounds the search.
  auto g = test::random_graph(3000, 4);
  // What is asserted is the stop and its report, never a duration (tests time nothing).
  auto req = lots_request(8, 0.1, 1);
  // A limit no search meets on any machine: the stop is certain, not a race with the clock.
  req.design.time_limit_seconds = 1e-6;
  geo::DesignReport report;
  const auto quick = geo::design(g, req, &report);
  expect_valid(g, quick, req.design);
  EXPECT_THAT(report.notes, ::testing::Contains(HasSubstr("stopped at the time limit of")));
  EXPECT_TRUE(report.stopped_on_time);
}

// Issue 11, a search that does not depend on luck (docs/designer.md, "How", step 5: the elite
// pool and the hub and regrow kicks). A synthetic county of 1,000 postcodes (synth-county seed
// 21, synth-demand seed 1), 6 lots ±5%, 30 minutes: with the iterated local search from the
// best start only and ball kicks, design seeds 1-4 gave 5.04, 5.05, 5.06 and 5.58 min (10.7%
// apart: seed 4's starts ended in a worse basin and most kicks ended outside the hours band);
// now 5.05-5.06. They must agree within 1%.
namespace {

// Design seeds 1-`seeds` of a synth-county of `postcodes` (seed `county_seed`, synth-demand
// seed 1), 6 lots ±5%, 30 minutes: every plan feasible and valid, and their mean travel within
// 1%.
void expect_seeds_agree(const std::string& scratch, int postcodes, std::uint64_t county_seed,
                        std::uint64_t seeds = 4) {
  test::ScratchDir dir(scratch);
  geo::SynthCountyOptions c;
  c.postcodes = postcodes;
  c.seed = county_seed;
  geo::synth_county(dir.path(), c);
  geo::SynthDemandOptions demand;
  demand.seed = 1;
  geo::synth_demand(geo::load_config(dir / "county.toml"), dir / "demand.csv", demand);
  geo::StudyOptions so;
  so.cache_dir = dir / "cache";
  const auto study = geo::load_study(geo::load_config(dir / "county.toml"), so);
  std::vector<double> travel;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    auto req = lots_request(6, 0.05, seed, 30);
    req.measure_relaxations = false;
    geo::DesignReport report;
    const auto plan = geo::design(study.graph, req, &report);
    ASSERT_TRUE(report.feasible) << "seed " << seed;
    expect_valid(study.graph, plan, req.design);
    geo::EvaluateOptions o;
    o.design = &req.design;
    travel.push_back(evaluate(study.graph, plan, o).mean_travel_min);
  }
  const auto [lo, hi] = std::minmax_element(travel.begin(), travel.end());
  EXPECT_LE(*hi / *lo - 1, 0.01) << "mean travel " << ::testing::PrintToString(travel);
}

}  // namespace

TEST(Designer, SeedsAgreeWithinOnePercentOnASyntheticCounty) {
  expect_seeds_agree("designer-seed-spread", 1000, 21);
}

// Issue 11, item 6: the second core is used deterministically. The same ask designed on one
// thread (worker_cap 1) and on every core gives the same plan, hubs and certificate, and
// evaluate the same figures: the final exact hubs run lots side by side (exact_hubs_of) with
// 8 lots on 2 cores, trees fill fixed slots. 900 units, 8 lots ±5%.
TEST(Designer, OneThreadAndEveryCoreGiveTheSamePlanAndFigures) {
  const auto g = test::random_graph(900, 8);
  const auto req = lots_request(8, 0.05, 1);
  struct Run {
    geo::Plan plan;
    geo::DesignReport report;
    geo::PlanMetrics metrics;
  };
  auto run = [&](unsigned cap) {
    geo::detail::worker_cap().store(cap);
    Run r;
    r.plan = geo::design(g, req, &r.report);
    geo::EvaluateOptions o;
    o.design = &req.design;
    geo::Plan no_hubs = r.plan;
    no_hubs.hub.clear();  // evaluate's own exact hubs, lots side by side
    r.metrics = evaluate(g, no_hubs, o);
    geo::detail::worker_cap().store(0);
    return r;
  };
  const Run one = run(1), all = run(0);
  EXPECT_EQ(one.plan.lot_of, all.plan.lot_of);
  EXPECT_EQ(one.plan.hub, all.plan.hub);
  EXPECT_EQ(one.report.feasible, all.report.feasible);
  EXPECT_EQ(one.report.lower_bound_min, all.report.lower_bound_min);
  EXPECT_EQ(one.report.gap_pct, all.report.gap_pct);
  EXPECT_EQ(one.metrics.mean_travel_min, all.metrics.mean_travel_min);
  ASSERT_EQ(one.metrics.lots.size(), all.metrics.lots.size());
  for (std::size_t l = 0; l < one.metrics.lots.size(); ++l) {
    EXPECT_EQ(one.metrics.lots[l].hub, all.metrics.lots[l].hub) << "lot " << l + 1;
    // evaluate's exact hubs are the design's (one rule, metrics/hubs.hpp).
    EXPECT_EQ(all.metrics.lots[l].hub, g.id[all.plan.hub[l]]) << "lot " << l + 1;
  }
}

// Issue 11: the recombination of pooled lots (geo/design/src/recombine.hpp; the designer's
// private header, standard headers only). Two plans of a 2 x 8 grid, 4 lots of 4 units (1 h
// each, band 4-4 h): A is cheap on the left half, B on the right; a decoy lot, cheaper than
// any, fits no partition of the pool. The answer is A's left lots with B's right ones, cheaper
// than either plan, and a valid partition: every unit once, lots in one piece, hours in band.
// With only B pooled nothing beats B, and the answer is empty (the start is kept).

TEST(Designer, RecombinationPicksTheCheapestPartitionOfThePooledLots) {
  using geo::design_detail::LotPool;
  using geo::design_detail::recombine;
  // Unit r * 8 + c at row r (0-1), column c (0-7).
  const std::vector<std::vector<int>> a = {
      {0, 1, 8, 9}, {2, 3, 10, 11}, {4, 5, 6, 7}, {12, 13, 14, 15}};
  const std::vector<double> a_cost = {10, 10, 30, 30};  // 80
  const std::vector<std::vector<int>> b = {
      {0, 1, 2, 3}, {8, 9, 10, 11}, {4, 5, 12, 13}, {6, 7, 14, 15}};
  const std::vector<double> b_cost = {25, 25, 6, 6};  // 62
  std::vector<int> units;
  for (int u = 0; u < 16; ++u) units.push_back(u);
  LotPool pool(100);
  std::vector<int> a_cols, b_cols;
  for (std::size_t l = 0; l < 4; ++l) a_cols.push_back(pool.add(0, a[l], a[l][0], a_cost[l]));
  for (std::size_t l = 0; l < 4; ++l) b_cols.push_back(pool.add(0, b[l], b[l][0], b_cost[l]));
  ASSERT_EQ(pool.add(0, {3, 4, 11, 12}, 3, 1), 8);  // the decoy: 3-4 and 11-12 are adjacent
  EXPECT_EQ(pool.add(0, a[0], 9, 12), a_cols[0]);   // seen again, dearer: kept at 10
  EXPECT_EQ(pool.lot(static_cast<std::size_t>(a_cols[0])).cost, 10);
  EXPECT_EQ(pool.size(), 9u);

  const auto r = recombine(pool, units, {4}, b_cols, 100);
  ASSERT_EQ(r.columns.size(), 4u);
  EXPECT_TRUE(r.optimal);
  EXPECT_DOUBLE_EQ(r.cost, 32);  // A's 10 + 10, B's 6 + 6
  EXPECT_LT(r.cost, 62);         // never worse than the best plan pooled (B)
  std::set<int> chosen(r.columns.begin(), r.columns.end());
  EXPECT_EQ(chosen, (std::set<int>{a_cols[0], a_cols[1], b_cols[2], b_cols[3]}));
  std::vector<int> cover(16, 0);
  for (int c : r.columns) {
    const auto& m = pool.lot(static_cast<std::size_t>(c)).members;
    EXPECT_EQ(m.size(), 4u) << "hours in the band (4 units of 1 h)";
    for (int u : m) ++cover[static_cast<std::size_t>(u)];
    // In one piece on the grid: a walk over grid neighbours inside the lot reaches all.
    std::set<int> seen{m[0]}, todo{m[0]};
    while (!todo.empty()) {
      const int u = *todo.begin();
      todo.erase(todo.begin());
      for (int v : m)
        if (!seen.count(v) && std::abs(u / 8 - v / 8) + std::abs(u % 8 - v % 8) == 1)
          seen.insert(v), todo.insert(v);
    }
    EXPECT_EQ(seen.size(), m.size()) << "lot " << c << " in one piece";
  }
  EXPECT_EQ(cover, std::vector<int>(16, 1));

  LotPool only_b(100);
  std::vector<int> start;
  for (std::size_t l = 0; l < 4; ++l) start.push_back(only_b.add(0, b[l], b[l][0], b_cost[l]));
  EXPECT_TRUE(recombine(only_b, units, {4}, start, 100).columns.empty());
  // A lot count no pooled choice meets: no answer.
  EXPECT_TRUE(recombine(pool, units, {3}, b_cols, 100).columns.empty());
}

// Issue 11: one search rule up to 8,000 units (docs/designer.md, step 5: 12 starts and 5
// elite starts up to 2,000 units, threshold acceptance, the hub scan from each lot's
// unconstrained 1-median, the recombination of the lots seen). A 600-postcode county whose
// design seeds 1-4 spread 6.2% before (3.71-3.94 min: two seeds in a worse basin) now agree
// within 1%.
TEST(Designer, SeedsAgreeWithinOnePercentOnASmallCountyWithTwoBasins) {
  expect_seeds_agree("designer-seed-spread-600", 600, 26);
}

// Up to 2,000 units the elite pool is the 5 best distinct starts, with no window on their
// objectives (search.cpp, set_budget). A 1,000-postcode county (synth-county seed 22): with
// the elite starts kept within 5% of the best start, design seed 2 kicked only 2 starts (its
// best start was poor, 5,931 against 5,694 for seed 1) and ended at 4.47 min against 4.36 for
// seed 1 (2.5% apart); now both 4.36. Two seeds only: each design costs about 2 s.
TEST(Designer, SeedsAgreeWhenTheBestStartIsPoor) {
  expect_seeds_agree("designer-seed-spread-poor-start", 1000, 22, 2);
}
