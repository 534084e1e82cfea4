// Demand growth on a small grid (no study files): the year each lot leaves the band of the base
// year, the re-plan with keep_from in the first failing year, projection.csv, and GROWTH.csv
// errors naming file, line and column.
#include "lotwright/scenario/project.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lotwright/core/error.hpp"
#include "lotwright/plan/plan_io.hpp"
#include "support.hpp"
#include "synthetic_graphs.hpp"

using namespace lotwright;
using ::testing::HasSubstr;

namespace {

// 4 x 2 grid of 10 h units; West = columns 0-1, East = columns 2-3; 2 lots +-10%.
geo::Study grid_study() {
  geo::Study s;
  s.config.area.name = "Grid";
  s.config.design.lots = 2;
  s.config.design.tolerance = 0.1;
  s.config.design.max_travel_minutes = 60;
  s.graph = test::grid_graph(4, 2, [](int, int) { return 10.0; });
  return s;
}

geo::Plan west_east() {
  geo::Plan p;
  p.lot_of = {0, 0, 1, 1, 0, 0, 1, 1};
  p.lot_count = 2;
  p.name = {"West", "East"};
  p.hub = {-1, -1};
  p.tier = {"", ""};
  return p;
}

TEST(Project, LotLeavesItsBandInTheYearItsAreaGrows) {
  const geo::Study s = grid_study();
  const geo::Plan plan = west_east();
  test::ScratchDir dir("project");
  geo::save_assignment_csv(dir / "plan.csv", s.graph, plan);
  std::vector<geo::GrowthFactor> growth = {{"*", 2027, 1.02}, {"*", 2028, 1.04}};
  for (int u : {2, 3, 6, 7}) growth.push_back({s.graph.id[u], 2028, 1.25});
  geo::ProjectionOptions o;
  o.from_year = 2027;
  o.to_year = 2028;
  o.plan_file = dir / "plan.csv";
  const auto f = geo::unit_growth(s, growth, 2028);
  EXPECT_DOUBLE_EQ(f[0], 1.04);
  EXPECT_DOUBLE_EQ(f[2], 1.04 * 1.25);
  const geo::Projection p = geo::project_plan(s, plan, growth, o);
  ASSERT_EQ(p.lots.size(), 2u);
  ASSERT_EQ(p.lots[1].years.size(), 2u);
  // The base band: 80 h over 2 lots +-10% = 36..44, held fixed as demand grows.
  EXPECT_NEAR(p.lots[0].years[1].band_min, 36, 1e-9);
  EXPECT_NEAR(p.lots[0].years[1].band_max, 44, 1e-9);
  EXPECT_NEAR(p.lots[1].years[1].metrics.hours, 40 * 1.04 * 1.25, 1e-9);
  EXPECT_EQ(p.lots[0].leaves_band, 0) << "West grows 4%: inside 36..44";
  EXPECT_EQ(p.lots[1].leaves_band, 2028);
  EXPECT_EQ(p.first_failing_year, 2028);
  // Re-planned in 2028 with keep_from: some hours move West, most stay.
  ASSERT_GE(p.replan_kept_share, 0);
  EXPECT_LT(p.replan_kept_share, 1);
  EXPECT_GT(p.replan_kept_share, 0.5);
  EXPECT_NEAR(p.replan_changed_hours, (p.total_hours[1]) * (1 - p.replan_kept_share), 1e-9);
  const std::string csv = geo::projection_csv(p);
  EXPECT_THAT(csv, HasSubstr("2,East,2028,52.00,36.00,44.00,0,"));
  EXPECT_THAT(csv, HasSubstr("1,West,2027,40.80,36.00,44.00,1,"));
  geo::write_projection_pdf(dir / "projection.pdf", p, "Grid");
  EXPECT_EQ(test::read_text(dir / "projection.pdf").substr(0, 5), "%PDF-");
}

TEST(Project, NoGrowthNoFailure) {
  const geo::Study s = grid_study();
  geo::ProjectionOptions o;
  o.from_year = 2027;
  o.to_year = 2030;
  const geo::Projection p = geo::project_plan(s, west_east(), {}, o);
  EXPECT_EQ(p.first_failing_year, 0);
  EXPECT_EQ(p.replan_kept_share, -1);
  EXPECT_EQ(p.lots[0].years.size(), 4u);
}

// The re-plan holds the band the projection judged: on an 8 x 4 grid (2.5 h a unit, West =
// columns 0-3, East = 4-7; band 40 h +-10% = 36..44) East grows 15% to 46 h and leaves it;
// the re-plan keeps 2 lots, both inside 36..44, by moving a little of East to West. (At the
// grown mean, 43 +-10%, East's 46 h would be inside and nothing would move.)
TEST(Project, ReplanHoldsTheBaseBand) {
  geo::Study s = grid_study();
  s.graph = test::grid_graph(8, 4, [](int, int) { return 2.5; });
  geo::Plan plan = west_east();
  plan.lot_of.clear();
  for (std::size_t u = 0; u < s.graph.size(); ++u) plan.lot_of.push_back(u % 8 < 4 ? 0 : 1);
  test::ScratchDir dir("project-band");
  geo::save_assignment_csv(dir / "plan.csv", s.graph, plan);
  std::vector<geo::GrowthFactor> growth;
  for (std::size_t u = 0; u < s.graph.size(); ++u)
    if (u % 8 >= 4) growth.push_back({s.graph.id[u], 2027, 1.15});
  geo::ProjectionOptions o;
  o.from_year = o.to_year = 2027;
  o.plan_file = dir / "plan.csv";
  const geo::Projection p = geo::project_plan(s, plan, growth, o);
  EXPECT_EQ(p.lots[1].leaves_band, 2027);
  ASSERT_EQ(p.first_failing_year, 2027);
  EXPECT_TRUE(p.replan_base_band);
  EXPECT_TRUE(p.replan_feasible);
  ASSERT_EQ(p.replan_lots, 2);
  const auto f = geo::unit_growth(s, growth, 2027);
  std::vector<double> hours(2, 0);
  for (std::size_t u = 0; u < s.graph.size(); ++u) hours[p.replan.lot_of[u]] += 2.5 * f[u];
  for (double h : hours) {
    EXPECT_GE(h, 36 - 1e-9);
    EXPECT_LE(h, 44 + 1e-9);
  }
  EXPECT_LT(p.replan_kept_share, 1) << "some of East moved";
  EXPECT_GT(p.replan_kept_share, 0.8) << "keep_from: most hours stay";
}

TEST(Project, GrowthCsvErrorsNameLineAndColumn) {
  test::ScratchDir dir("growth");
  test::write_text(dir / "g.csv", "area,year,factor\n*,2027,1.01\nPO30,2028,-2\n");
  try {
    geo::read_growth_csv(dir / "g.csv");
    FAIL();
  } catch (const geo::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("g.csv:3"));
    EXPECT_THAT(e.what(), HasSubstr("factor"));
  }
  test::write_text(dir / "h.csv", "area,year\n*,2027\n");
  EXPECT_THROW(geo::read_growth_csv(dir / "h.csv"), geo::DataError);
  test::write_text(dir / "ok.csv", "area,factor,year\n*,1.01,2027\n");
  const auto g = geo::read_growth_csv(dir / "ok.csv");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].year, 2027);
  EXPECT_DOUBLE_EQ(g[0].factor, 1.01);
}

}  // namespace
