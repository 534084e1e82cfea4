// PlanEditor (incremental totals, pieces, undo/redo, strokes) and the plan store
// (plan.gpkg -> UnitGraph/Plan/cells, locator, CSV) without any display.
#include "lotwright/plan/plan_editor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "lotwright/core/error.hpp"
#include "lotwright/plan/plan_store.hpp"
#include "plan_fixture.hpp"
#include "support.hpp"

using namespace lotwright;
using geo::kNoLot;

namespace {

// side x side grid, 4-neighbour adjacency, lots in vertical stripes.
geo::UnitGraph grid_graph(int side) {
  geo::UnitGraph g;
  std::vector<geo::GraphEdge> edges;
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const int i = r * side + c;
      char id[16];
      std::snprintf(id, sizeof id, "U%04d", i);
      g.id.push_back(id);
      g.site.push_back({c * 1.0, r * 1.0});
      g.hours.push_back(test::grid_hours(i) + 0.1 * (i % 7));
      g.customers.push_back(test::grid_customers(i));
      g.rural.push_back("");
      if (c + 1 < side) edges.push_back({i, i + 1, 1.f, 1.f});
      if (r + 1 < side) edges.push_back({i, i + side, 1.f, 1.f});
    }
  geo::set_edges(g, edges);
  return g;
}

geo::Plan stripes(int side, int lots) {
  geo::Plan p;
  p.lot_count = lots;
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) p.lot_of.push_back(c * lots / side);
  p.hub.assign(static_cast<std::size_t>(lots), -1);
  p.name.assign(static_cast<std::size_t>(lots), "");
  p.tier.assign(static_cast<std::size_t>(lots), "");
  return p;
}

// Full recount, independent of the editor: totals and connected parts per lot.
struct Recount {
  std::vector<double> hours, customers;
  std::vector<int> units, pieces;
};

Recount recount(const geo::UnitGraph& g, const geo::Plan& p) {
  Recount r;
  const auto L = static_cast<std::size_t>(p.lot_count);
  r.hours.assign(L, 0);
  r.customers.assign(L, 0);
  r.units.assign(L, 0);
  r.pieces.assign(L, 0);
  std::vector<char> seen(g.size(), 0);
  for (std::size_t u = 0; u < g.size(); ++u) {
    const int l = p.lot_of[u];
    if (l == kNoLot) continue;
    r.hours[static_cast<std::size_t>(l)] += g.hours[u];
    r.customers[static_cast<std::size_t>(l)] += g.customers[u];
    ++r.units[static_cast<std::size_t>(l)];
    if (seen[u]) continue;
    ++r.pieces[static_cast<std::size_t>(l)];
    std::vector<std::size_t> stack{u};
    seen[u] = 1;
    while (!stack.empty()) {
      const std::size_t x = stack.back();
      stack.pop_back();
      for (auto k = g.offsets[x]; k < g.offsets[x + 1]; ++k) {
        const std::size_t y = g.targets[k];
        if (!seen[y] && p.lot_of[y] == l) {
          seen[y] = 1;
          stack.push_back(y);
        }
      }
    }
  }
  return r;
}

void expect_matches_recount(const geo::PlanEditor& ed, const geo::UnitGraph& g) {
  const Recount r = recount(g, ed.plan());
  double unassigned = 0, total = 0;
  for (std::size_t u = 0; u < g.size(); ++u) {
    total += g.hours[u];
    if (ed.plan().lot_of[u] == kNoLot) unassigned += g.hours[u];
  }
  double sum = ed.unassigned_hours();
  for (int l = 0; l < ed.lot_count(); ++l) {
    const auto s = static_cast<std::size_t>(l);
    ASSERT_NEAR(ed.lot_hours(l), r.hours[s], 1e-6) << "lot " << l;
    ASSERT_NEAR(ed.lot_customers(l), r.customers[s], 1e-6) << "lot " << l;
    ASSERT_EQ(ed.lot_units(l), r.units[s]) << "lot " << l;
    ASSERT_EQ(ed.lot_pieces(l), r.pieces[s]) << "lot " << l;
    ASSERT_EQ(static_cast<int>(ed.lot_members(l).size()), r.units[s]);
    sum += ed.lot_hours(l);
  }
  ASSERT_NEAR(ed.unassigned_hours(), unassigned, 1e-6);
  ASSERT_NEAR(sum, total, 1e-6);  // hours are never lost
}

}  // namespace

TEST(PlanEditor, InitialTotalsMatchRecount) {
  const auto g = grid_graph(10);
  geo::PlanEditor ed(g, stripes(10, 4));
  expect_matches_recount(ed, g);
  for (int l = 0; l < 4; ++l) EXPECT_EQ(ed.lot_pieces(l), 1);
  EXPECT_FALSE(ed.can_undo());
  EXPECT_FALSE(ed.can_redo());
}

TEST(PlanEditor, RandomEditsKeepIncrementalTotalsEqualToFullRecount) {
  const int side = 20;
  const auto g = grid_graph(side);
  geo::PlanEditor ed(g, stripes(side, 5));
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> unit(0, side * side - 1), lot(-1, 4), size(1, 12);
  int changed = 0;
  for (int step = 0; step < 300; ++step) {
    std::vector<int> units;
    const int k = size(rng);
    for (int i = 0; i < k; ++i) units.push_back(unit(rng));
    const int to = lot(rng);  // -1 = kNoLot: unassign
    changed += ed.assign(units, to) ? 1 : 0;
    if (step % 7 == 3) ed.undo();
    if (step % 11 == 5) ed.redo();
    expect_matches_recount(ed, g);
    if (HasFatalFailure()) FAIL() << "after step " << step;
  }
  EXPECT_GT(changed, 250);
  // Random scatter breaks lots into pieces somewhere.
  int max_pieces = 0;
  for (int l = 0; l < 5; ++l) max_pieces = std::max(max_pieces, ed.lot_pieces(l));
  EXPECT_GT(max_pieces, 1);
}

TEST(PlanEditor, PiecesFollowASplitAndItsRepair) {
  const auto g = grid_graph(10);
  geo::PlanEditor ed(g, stripes(10, 2));  // lot 0: columns 0-4, lot 1: columns 5-9
  // Column 2 of lot 0, rows 0..9, moved to lot 1: lot 0 splits into columns 0-1 and 3-4.
  std::vector<int> column;
  for (int r = 0; r < 10; ++r) column.push_back(r * 10 + 2);
  EXPECT_TRUE(ed.assign(column, 1));
  EXPECT_EQ(ed.lot_pieces(0), 2);
  EXPECT_EQ(ed.lot_pieces(1), 2);  // column 2 does not touch columns 5-9
  EXPECT_EQ(ed.lot_units(0), 40);
  EXPECT_EQ(ed.lot_units(1), 60);
  EXPECT_EQ(ed.take_changed_lots(), (std::vector<int>{0, 1}));
  EXPECT_TRUE(ed.take_changed_lots().empty());
  // Bridge column 2 to lot 1 through row 0 (columns 3 and 4).
  EXPECT_TRUE(ed.assign({3, 4}, 1));
  EXPECT_EQ(ed.lot_pieces(1), 1);
  EXPECT_EQ(ed.lot_pieces(0), 2);
  EXPECT_TRUE(ed.undo());
  EXPECT_EQ(ed.lot_pieces(1), 2);
  EXPECT_TRUE(ed.undo());
  EXPECT_EQ(ed.lot_pieces(0), 1);
  EXPECT_EQ(ed.lot_pieces(1), 1);
  expect_matches_recount(ed, g);
}

TEST(PlanEditor, UndoRedoRoundTrip) {
  const auto g = grid_graph(8);
  const geo::Plan start = stripes(8, 4);
  geo::PlanEditor ed(g, start);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> unit(0, 63), lot(0, 3);
  int steps = 0;
  for (int i = 0; i < 40; ++i) steps += ed.assign({unit(rng), unit(rng)}, lot(rng)) ? 1 : 0;
  const std::vector<int> end = ed.plan().lot_of;
  ASSERT_NE(end, start.lot_of);
  int undone = 0;
  while (ed.undo()) ++undone;
  EXPECT_EQ(undone, steps);
  EXPECT_EQ(ed.plan().lot_of, start.lot_of);
  expect_matches_recount(ed, g);
  int redone = 0;
  while (ed.redo()) ++redone;
  EXPECT_EQ(redone, steps);
  EXPECT_EQ(ed.plan().lot_of, end);
  expect_matches_recount(ed, g);
  // A new edit after an undo drops the redo history.
  ASSERT_TRUE(ed.undo());
  EXPECT_TRUE(ed.can_redo());
  const int target = ed.plan().lot_of[0] == 0 ? 1 : 0;
  ASSERT_TRUE(ed.assign({0}, target));
  EXPECT_FALSE(ed.can_redo());
}

TEST(PlanEditor, StrokeIsOneUndoStepAndNoOpsAreNotSteps) {
  const auto g = grid_graph(6);
  const geo::Plan start = stripes(6, 3);
  geo::PlanEditor ed(g, start);
  EXPECT_FALSE(ed.assign({0, 1}, 0));  // already in lot 0
  EXPECT_FALSE(ed.can_undo());
  const auto rev = ed.revision();
  ed.begin_stroke();
  EXPECT_TRUE(ed.assign({2}, 2));
  EXPECT_TRUE(ed.assign({3, 2}, 2));
  EXPECT_TRUE(ed.assign({8}, 2));
  ed.end_stroke();
  EXPECT_GT(ed.revision(), rev);
  EXPECT_EQ(ed.lot_of(2), 2);
  EXPECT_EQ(ed.lot_of(3), 2);
  EXPECT_EQ(ed.lot_of(8), 2);
  ASSERT_TRUE(ed.undo());
  EXPECT_FALSE(ed.can_undo());
  EXPECT_EQ(ed.plan().lot_of, start.lot_of);
  ASSERT_TRUE(ed.redo());
  EXPECT_EQ(ed.lot_of(8), 2);
  EXPECT_THROW(ed.assign({0}, 3), geo::UsageError);
  EXPECT_THROW(ed.assign({36}, 0), geo::UsageError);
  geo::Plan bad = start;
  bad.lot_of.pop_back();
  EXPECT_THROW(geo::PlanEditor(g, bad), geo::UsageError);
}

TEST(PlanStore, LoadsGridPlan) {
  test::ScratchDir dir;
  const test::GridPlanSpec spec;
  const auto file = dir / "plan.gpkg";
  test::write_grid_plan(file, spec);
  const geo::PlanStore s = geo::load_plan_store(file);
  const auto& g = s.graph;
  ASSERT_EQ(g.size(), 144u);
  EXPECT_TRUE(std::is_sorted(g.id.begin(), g.id.end()));
  EXPECT_EQ(s.plan.lot_count, 9);
  EXPECT_EQ(s.meta.lots, 9);
  EXPECT_DOUBLE_EQ(s.meta.tolerance, 0.1);
  EXPECT_EQ(s.meta.seed, 7u);
  EXPECT_EQ(g.targets.size(), 2u * 2u * 12u * 11u);  // 264 undirected grid edges
  ASSERT_EQ(s.cells.size(), 144u);
  ASSERT_EQ(s.roads.size(), 1u);
  EXPECT_EQ(s.roads[0].highway, "primary");
  double total = 0;
  for (int row = 0; row < 12; ++row)
    for (int col = 0; col < 12; ++col) {
      const int u = g.find(test::grid_postcode(spec, row, col));
      ASSERT_GE(u, 0);
      const auto su = static_cast<std::size_t>(u);
      EXPECT_EQ(s.plan.lot_of[su], test::grid_lot(spec, row, col));
      EXPECT_DOUBLE_EQ(g.hours[su], test::grid_hours(row * 12 + col));
      EXPECT_NEAR(g.area_m2[su], 10000, 1e-6);
      EXPECT_EQ(g.rural[su], col < 6 ? "C1" : "E1");
      total += g.hours[su];
    }
  const auto bands = geo::plan_bands(s.meta, g, s.plan);
  ASSERT_EQ(bands.size(), 9u);
  for (int l = 0; l < 9; ++l) {
    const auto sl = static_cast<std::size_t>(l);
    EXPECT_EQ(s.plan.name[sl], "Lot " + std::to_string(l + 1) + " Test");
    ASSERT_GE(s.plan.hub[sl], 0);
    EXPECT_EQ(s.plan.lot_of[static_cast<std::size_t>(s.plan.hub[sl])], l);
    ASSERT_EQ(bands[sl].size(), 1u);
    EXPECT_NEAR(bands[sl][0].lo, total / 9 * 0.9, 1e-9);
    EXPECT_NEAR(bands[sl][0].hi, total / 9 * 1.1, 1e-9);
  }
  EXPECT_NEAR(s.bounds.min_x, 450000, 1e-9);
  EXPECT_NEAR(s.bounds.max_y, 81200, 1e-9);
  // Graph travel: 2 minutes per grid step (Manhattan distance).
  const int a = g.find(test::grid_postcode(spec, 0, 0)),
            b = g.find(test::grid_postcode(spec, 3, 5));
  EXPECT_FLOAT_EQ(g.travel->minutes(a, b), 16.f);
  std::vector<float> hub_travel;
  geo::travel_to_hubs(g, s.plan, hub_travel);
  const int hub0 = s.plan.hub[0];
  EXPECT_FLOAT_EQ(hub_travel[static_cast<std::size_t>(hub0)], 0.f);
  EXPECT_FLOAT_EQ(hub_travel[static_cast<std::size_t>(a)], 2.f * (2 + 2));  // (0,0) -> (2,2)
}

TEST(PlanStore, LocatorFindsTheCellUnderAPoint) {
  test::ScratchDir dir;
  const test::GridPlanSpec spec;
  test::write_grid_plan(dir / "plan.gpkg", spec);
  const geo::PlanStore s = geo::load_plan_store(dir / "plan.gpkg");
  const geo::UnitLocator loc(s.cells);
  for (int row = 0; row < 12; row += 5)
    for (int col = 0; col < 12; col += 3) {
      const geo::Point p{spec.x0 + (col + 0.3) * 100, spec.y0 + (row + 0.8) * 100};
      EXPECT_EQ(loc.find(p), s.graph.find(test::grid_postcode(spec, row, col)));
    }
  EXPECT_EQ(loc.find({spec.x0 - 5, spec.y0 + 50}), -1);
  // Radius 60 m around a cell centre reaches its 4 neighbours (50 m away), not diagonals.
  const auto near = loc.within({spec.x0 + 550, spec.y0 + 550}, 60);
  EXPECT_EQ(near.size(), 5u);
}

TEST(PlanStore, AssignmentCsvListsAssignedUnitsOneBased) {
  test::ScratchDir dir;
  test::write_grid_plan(dir / "plan.gpkg");
  geo::PlanStore s = geo::load_plan_store(dir / "plan.gpkg");
  geo::PlanEditor ed(s.graph, s.plan);
  ed.assign({0}, 8);
  ed.assign({1}, kNoLot);
  const std::string csv = geo::assignment_csv(s.graph, ed.plan());
  EXPECT_EQ(csv.rfind("postcode,lot,hub\n", 0), 0u);
  EXPECT_NE(csv.find(s.graph.id[0] + ",9,"), std::string::npos);
  EXPECT_EQ(csv.find(s.graph.id[1] + ","), std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 144);  // header + 143 assigned
}

TEST(PlanStore, MissingLotFieldIsAClearError) {
  test::ScratchDir dir;
  test::GridPlanSpec spec;
  spec.with_lot_field = false;
  test::write_grid_plan(dir / "broken.gpkg", spec);
  try {
    geo::load_plan_store(dir / "broken.gpkg");
    FAIL() << "expected DataError";
  } catch (const geo::DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("broken.gpkg"), std::string::npos) << m;
    EXPECT_NE(m.find("layer \"units\""), std::string::npos) << m;
    EXPECT_NE(m.find("no field \"lot\""), std::string::npos) << m;
  }
}

TEST(PlanStore, UnknownPostcodeInEdgesNamesTheFeature) {
  test::ScratchDir dir;
  test::GridPlanSpec spec;
  spec.bad_edge_postcode = "ZZ99 9ZZ";
  test::write_grid_plan(dir / "plan.gpkg", spec);
  try {
    geo::load_plan_store(dir / "plan.gpkg");
    FAIL() << "expected DataError";
  } catch (const geo::DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("layer \"edges\", feature "), std::string::npos) << m;
    EXPECT_NE(m.find("\"ZZ99 9ZZ\""), std::string::npos) << m;
  }
  EXPECT_THROW(geo::load_plan_store(dir / "missing.gpkg"), geo::DataError);
  test::write_text(dir / "junk.gpkg", "not a geopackage");
  EXPECT_THROW(geo::load_plan_store(dir / "junk.gpkg"), geo::DataError);
}

TEST(PlanStore, SavedPlanFolderLoadsBackWithTheEdit) {
  test::ScratchDir dir;
  const test::GridPlanSpec spec;
  test::write_grid_plan(dir / "plan.gpkg", spec);
  const geo::PlanStore s = geo::load_plan_store(dir / "plan.gpkg");
  geo::PlanEditor ed(s.graph, s.plan);
  const int u = s.graph.find(test::grid_postcode(spec, 0, 0));
  ASSERT_TRUE(ed.assign({u}, 8));
  geo::save_plan_folder(dir / "edited", s, ed.plan());
  for (const char* f : {"assignment.csv", "plan.gpkg", "lots.csv", "metrics.json"})
    EXPECT_TRUE(std::filesystem::exists(dir / "edited" / f)) << f;
  const geo::PlanStore back = geo::load_plan_store(dir / "edited" / "plan.gpkg");
  EXPECT_EQ(back.graph.id, s.graph.id);
  EXPECT_EQ(back.plan.lot_of, ed.plan().lot_of);
  EXPECT_EQ(back.plan.lot_count, 9);
  EXPECT_DOUBLE_EQ(back.meta.tolerance, 0.1);  // the meta survives the save
  EXPECT_EQ(back.graph.targets, s.graph.targets);
  for (std::size_t i = 0; i < s.graph.size(); ++i) {
    ASSERT_DOUBLE_EQ(back.graph.hours[i], s.graph.hours[i]);
    ASSERT_NEAR(back.graph.area_m2[i], 10000, 1e-6);
  }
  // The roads layer survives the save.
  ASSERT_EQ(s.roads.size(), 1u);
  ASSERT_EQ(back.roads.size(), s.roads.size());
  for (std::size_t i = 0; i < s.roads.size(); ++i) {
    EXPECT_EQ(back.roads[i].highway, s.roads[i].highway);
    EXPECT_EQ(back.roads[i].ref, s.roads[i].ref);
    EXPECT_EQ(back.roads[i].line.points, s.roads[i].line.points);
  }
  {
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "edited" / "plan.gpkg").c_str(),
                                              GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    OGRLayer* roads = ds->GetLayerByName("roads");
    ASSERT_NE(roads, nullptr);
    EXPECT_EQ(roads->GetFeatureCount(), 1);
  }
  const std::string csv = test::read_text(dir / "edited" / "assignment.csv");
  EXPECT_NE(csv.find(test::grid_postcode(spec, 0, 0) + ",9"), std::string::npos);
  // A save into a path that cannot be a folder fails and leaves nothing half-written.
  test::write_text(dir / "file", "x");
  EXPECT_ANY_THROW(geo::save_plan_folder(dir / "file" / "sub", s, ed.plan()));
  EXPECT_FALSE(std::filesystem::exists(dir / "file" / "sub"));
}

// Lots of 4 x 4 cells of 100 m: squares, Polsby-Popper pi/4, also where the road-aware
// `edges` leave out a pair of cells inside a lot (the perimeter comes from the cells).
TEST(PlanStore, PolsbyPopperFromTheCellsOfEachLot) {
  test::ScratchDir dir;
  test::GridPlanSpec spec;
  spec.drop_first_edge = true;
  test::write_grid_plan(dir / "plan.gpkg", spec);
  const geo::PlanStore s = geo::load_plan_store(dir / "plan.gpkg");
  EXPECT_EQ(s.graph.targets.size(), 2u * (2u * 12u * 11u - 1u));
  EXPECT_EQ(s.borders.size(), 2u * 12u * 11u);
  const auto m = geo::evaluate_store_plan(s, s.plan);
  ASSERT_EQ(m.lots.size(), 9u);
  for (const auto& l : m.lots) EXPECT_NEAR(l.polsby_popper, M_PI / 4, 1e-9) << "lot " << l.lot;
  // Cell (0,0) moves from lot 1 to lot 9: lot 1 loses a corner (same perimeter, 15 cells),
  // lot 9 gains a detached square (1,600 + 400 m around 17 cells).
  geo::PlanEditor ed(s.graph, s.plan);
  ASSERT_TRUE(ed.assign({s.graph.find(test::grid_postcode(spec, 0, 0))}, 8));
  const auto e = geo::evaluate_store_plan(s, ed.plan());
  EXPECT_NEAR(e.lots[0].polsby_popper, 4 * M_PI * 15e4 / (1600.0 * 1600.0), 1e-9);
  EXPECT_NEAR(e.lots[8].polsby_popper, 4 * M_PI * 17e4 / (2000.0 * 2000.0), 1e-9);
}
