// core's one band rule, one pieces flood fill and one lot palette; and that the former call
// sites (evaluate, the plan editor) now count pieces alike.
#include <gtest/gtest.h>

#include "lotwright/core/bands.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/core/pieces.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/plan/plan_editor.hpp"
#include "synthetic_graphs.hpp"

using namespace lotwright;

TEST(Bands, EqualHoursBandIsTheMeanPlusMinusTolerance) {
  const auto b = geo::equal_hours_band(1000, 4, 0.1);
  ASSERT_TRUE(b);
  EXPECT_DOUBLE_EQ(b->lo, 225);
  EXPECT_DOUBLE_EQ(b->hi, 275);
  EXPECT_FALSE(geo::equal_hours_band(0, 4, 0.1));
  EXPECT_FALSE(geo::equal_hours_band(100, 0, 0.1));
}

TEST(Bands, EdgesAreInsideWithARoundingSlack) {
  const geo::Band b{225, 275};
  EXPECT_TRUE(geo::within_band(225, b));
  EXPECT_TRUE(geo::within_band(275 + 1e-8, b));  // 1e-9 x 25 + 1e-9
  EXPECT_FALSE(geo::within_band(275.001, b));
  EXPECT_FALSE(geo::within_band(224.99, b));
  EXPECT_DOUBLE_EQ(geo::hours_outside(200, b), 25);
  EXPECT_DOUBLE_EQ(geo::hours_outside(300, b), 25);
  EXPECT_DOUBLE_EQ(geo::hours_outside(250, b), 0);
  // Zero tolerance: only the mean itself.
  const auto z = geo::equal_hours_band(300, 3, 0);
  ASSERT_TRUE(z);
  EXPECT_TRUE(geo::within_band(100, *z));
  EXPECT_FALSE(geo::within_band(100.001, *z));
}

TEST(Bands, EvaluateUsesTheRule) {
  // 3 x 1 grid, hours 10, 20, 30; lots {0}, {1, 2}: mean 30, ±50% = 15..45.
  const auto g = test::grid_graph(3, 1, [](int i, int) { return 10.0 * (i + 1); });
  geo::Plan plan;
  plan.lot_count = 2;
  plan.lot_of = {0, 1, 1};
  geo::DesignConfig d;
  d.lots = 2;
  d.tolerance = 0.5;
  geo::EvaluateOptions o;
  o.design = &d;
  const auto m = geo::evaluate(g, plan, o);
  EXPECT_FALSE(m.lots[0].within_band);  // 10 < 15
  EXPECT_FALSE(m.lots[1].within_band);  // 50 > 45
  d.tolerance = 0.7;                    // 9..51
  const auto m2 = geo::evaluate(g, plan, o);
  EXPECT_TRUE(m2.lots[0].within_band);
  EXPECT_TRUE(m2.lots[1].within_band);
  EXPECT_EQ(geo::lot_bands(d, "", m2.assigned_hours, 2).size(), 1u);
}

TEST(Pieces, CountsConnectedPartsOfALot) {
  // 5 x 1 path: lot 0 at 0, 2, 4 (three pieces), lot 1 at 1, 3 (two pieces).
  const auto g = test::grid_graph(5, 1, [](int, int) { return 1.0; });
  const std::vector<int> lot_of = {0, 1, 0, 1, 0};
  EXPECT_EQ(geo::count_pieces(g, lot_of, 0, {0, 2, 4}), 3);
  EXPECT_EQ(geo::pieces_per_lot(g, lot_of, 2), (std::vector<int>{3, 2}));
  geo::PieceFinder f;
  EXPECT_EQ(f.label(g, lot_of, 1, {3, 1}), 2);
  EXPECT_EQ(f.piece(3), 0);  // in the order of the members given
  EXPECT_EQ(f.piece(1), 1);
  EXPECT_EQ(f.piece(0), -1);  // not of the lot labelled last
  const std::vector<int> joined = {0, 0, 0, 1, 1};
  EXPECT_EQ(geo::pieces_per_lot(g, joined, 2), (std::vector<int>{1, 1}));
  // Without adjacency every unit is a piece.
  geo::UnitGraph bare;
  bare.id = {"A", "B"};
  EXPECT_EQ(geo::count_pieces(bare, {0, 0}, 0, {0, 1}), 2);
}

TEST(Pieces, EvaluateAndTheEditorAgree) {
  const auto g = test::random_graph(400, 7);
  geo::Plan plan;
  plan.lot_count = 6;
  for (std::size_t u = 0; u < g.size(); ++u)
    plan.lot_of.push_back(static_cast<int>((u * 2654435761u >> 7) % 6));  // scattered
  const geo::PlanEditor ed(g, plan);
  const auto m = geo::evaluate(g, plan);
  const auto per_lot = geo::pieces_per_lot(g, plan.lot_of, 6);
  int broken = 0;
  for (int l = 0; l < 6; ++l) {
    EXPECT_EQ(m.lots[static_cast<std::size_t>(l)].pieces, ed.lot_pieces(l)) << "lot " << l + 1;
    EXPECT_EQ(per_lot[static_cast<std::size_t>(l)], ed.lot_pieces(l));
    broken += ed.lot_pieces(l) > 1;
  }
  EXPECT_GT(broken, 0);
}

TEST(Palette, LotOneIsBlueAndColoursRepeatDarker) {
  EXPECT_EQ(geo::lot_rgb(0), (geo::LotRgb{31, 119, 180}));
  EXPECT_EQ(geo::lot_rgb(1), (geo::LotRgb{255, 127, 14}));
  EXPECT_EQ(geo::lot_hex(0), "#1f77b4");
  // Lot 21 is lot 1 at 75%, lot 41 at 56.25%.
  EXPECT_EQ(geo::lot_rgb(20), (geo::LotRgb{23, 89, 135}));
  EXPECT_EQ(geo::lot_rgb(40), (geo::LotRgb{17, 66, 101}));
  EXPECT_EQ(geo::lot_rgb(geo::kNoLot), (geo::LotRgb{205, 205, 205}));
  for (int l = 0; l < geo::kPaletteSize; ++l)
    for (int k = l + 1; k < geo::kPaletteSize; ++k) EXPECT_NE(geo::lot_rgb(l), geo::lot_rgb(k));
}
