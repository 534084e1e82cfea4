// compare_plans: lots matched by shared hours, the postcodes and flows that change lot, the
// figure differences and a re-let subset's moves, on a small grid with hand-checked answers.
#include "lotwright/plan/compare.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lotwright/core/error.hpp"
#include "support.hpp"
#include "synthetic_graphs.hpp"

using namespace lotwright;
using ::testing::HasSubstr;

namespace {

// 4 x 2 grid, unit u = j*4 + i, 10 h each (unit 7 has 30 h).
geo::UnitGraph grid() {
  return test::grid_graph(4, 2, [](int i, int j) { return i == 3 && j == 1 ? 30.0 : 10.0; });
}

geo::Plan plan_of(std::vector<int> lot_of, std::vector<std::string> names) {
  geo::Plan p;
  p.lot_of = std::move(lot_of);
  p.lot_count = static_cast<int>(names.size());
  p.name = std::move(names);
  p.hub.assign(p.lot_count, -1);
  p.tier.assign(p.lot_count, "");
  return p;
}

TEST(Compare, RenumberedPlanChangesNothing) {
  const auto g = grid();
  const auto a = plan_of({0, 0, 1, 1, 0, 0, 1, 1}, {"West", "East"});
  const auto b = plan_of({1, 1, 0, 0, 1, 1, 0, 0}, {"East", "West"});
  const auto ma = geo::evaluate(g, a), mb = geo::evaluate(g, b);
  const auto c = geo::compare_plans(g, a, ma, b, mb);
  EXPECT_TRUE(c.changed.empty());
  EXPECT_DOUBLE_EQ(c.changed_hours, 0);
  EXPECT_DOUBLE_EQ(c.kept_share, 1);
  ASSERT_EQ(c.lots.size(), 2u);
  for (const auto& p : c.lots) {
    EXPECT_EQ(p.lot_b, 1 - p.lot_a);
    EXPECT_EQ(p.name_a, p.name_b);
    ASSERT_NE(p.metrics_a, nullptr);
    ASSERT_NE(p.metrics_b, nullptr);
    EXPECT_DOUBLE_EQ(p.metrics_a->hours, p.metrics_b->hours);
  }
  for (const auto& m : c.metrics) EXPECT_NEAR(m.difference(), 0, 1e-9) << m.metric;
}

TEST(Compare, MovedUnitsFlowsAndKeptShareAgree) {
  const auto g = grid();
  // West = columns 0-1 (40 h), East = columns 2-3 (60 h). B moves unit 2 (10 h) West and
  // unit 6 (10 h) into a new third lot with unit 7 (30 h).
  const auto a = plan_of({0, 0, 1, 1, 0, 0, 1, 1}, {"West", "East"});
  const auto b = plan_of({0, 0, 0, 1, 0, 0, 2, 2}, {"West", "East", "Corner"});
  const auto ma = geo::evaluate(g, a), mb = geo::evaluate(g, b);
  const auto c = geo::compare_plans(g, a, ma, b, mb, {1});
  // East (60 h) shares 30 h with Corner and 10 h with East of B: it matches Corner.
  ASSERT_GE(c.lots.size(), 3u);
  EXPECT_EQ(c.lots[0].lot_a, 0);
  EXPECT_EQ(c.lots[0].lot_b, 0);
  EXPECT_DOUBLE_EQ(c.lots[0].shared_hours, 40);
  EXPECT_EQ(c.lots[1].lot_a, 1);
  EXPECT_EQ(c.lots[1].lot_b, 2);
  EXPECT_DOUBLE_EQ(c.lots[1].shared_hours, 40);
  EXPECT_EQ(c.lots[2].lot_a, -1);  // B's East has no match
  EXPECT_EQ(c.lots[2].lot_b, 1);
  // Changed: unit 2 (East -> West), unit 3 (East -> East of B, not East's match).
  ASSERT_EQ(c.changed.size(), 2u);
  EXPECT_EQ(c.changed[0].postcode, g.id[2]);
  EXPECT_EQ(c.changed[0].lot_a, 1);
  EXPECT_EQ(c.changed[0].lot_b, 0);
  EXPECT_EQ(c.changed[1].unit, 3);
  EXPECT_DOUBLE_EQ(c.changed_hours, 20);
  EXPECT_DOUBLE_EQ(c.total_hours, 100);
  // The same figure as kept_share (metrics.json's baseline_kept_share).
  EXPECT_NEAR(c.kept_share, 1 - c.changed_hours / c.total_hours, 1e-12);
  EXPECT_EQ(c.flows.size(), 2u);
  // Re-letting East: 60 h, of which 40 kept (in Corner), 20 moved out to other lots.
  EXPECT_DOUBLE_EQ(c.relet.hours, 60);
  EXPECT_DOUBLE_EQ(c.relet.kept_hours, 40);
  EXPECT_DOUBLE_EQ(c.relet.moved_out_hours, 20);
  EXPECT_DOUBLE_EQ(c.relet.untouched_changed_hours, 0);
  // Figures: one more lot.
  bool saw_lots = false;
  for (const auto& m : c.metrics)
    if (m.metric == "lots") {
      saw_lots = true;
      EXPECT_DOUBLE_EQ(m.difference(), 1);
    }
  EXPECT_TRUE(saw_lots);
  const std::string text = geo::comparison_text(c, a, b);
  EXPECT_THAT(text, HasSubstr("East -> West: 10.0 h"));
  EXPECT_THAT(text, HasSubstr("kept share 80.0%"));
  EXPECT_EQ(geo::changes_csv(c),
            "postcode,lot_a,lot_b,hours\n" + g.id[2] + ",2,1,10.00\n" + g.id[3] + ",2,2,10.00\n");
}

TEST(Compare, LotsByLabel) {
  const auto a = plan_of({0, 1}, {"West", "East"});
  EXPECT_EQ(geo::lots_by_label(a, {"2", "west"}), (std::vector<int>{1, 0}));
  try {
    geo::lots_by_label(a, {"3"});
    FAIL() << "lot 3 accepted";
  } catch (const geo::UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("\"3\" is not a lot of the first plan"));
  }
  EXPECT_THROW(geo::lots_by_label(a, {"North"}), geo::UsageError);
}

TEST(CompareCli, NeedsTwoPlans) {
  const auto r = test::run_cli({"compare", "cfg.toml", "--plan", "a.csv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("exactly two plans"));
}

}  // namespace
