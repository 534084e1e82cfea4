// Postcode units: synthetic cases with known answers, then the Isle of Wight.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "lotwright/study/config.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/study/units.hpp"
#include "lotwright/study/study.hpp"
#include "support.hpp"

namespace lotwright::geo {
namespace {

Polygon rect(double x0, double y0, double x1, double y1) {
  return {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}};
}

PostcodeRecord pc(const std::string& id, double x, double y, double hours = 0) {
  PostcodeRecord r;
  r.id = id;
  r.site = {x, y};
  r.hours = hours;
  r.customers = hours > 0 ? 1 : 0;
  r.rural = "C1";
  return r;
}

County county_of(MultiPolygon boundary, std::vector<PostcodeRecord> postcodes) {
  County c;
  c.name = "test";
  c.boundary = std::move(boundary);
  c.boundary_area_km2 = area(c.boundary) / 1e6;
  c.postcodes = std::move(postcodes);
  c.postcodes_read = static_cast<long>(c.postcodes.size());
  for (const PostcodeRecord& r : c.postcodes) c.postcodes_inside += r.inside ? 1 : 0;
  return c;
}

int find_unit(const Units& u, const std::string& id) {
  for (size_t i = 0; i < u.units.size(); ++i)
    if (u.units[i].id == id) return static_cast<int>(i);
  return -1;
}

const UnitEdge* find_edge(const Units& u, int a, int b) {
  if (a > b) std::swap(a, b);
  for (const UnitEdge& e : u.edges)
    if (e.a == a && e.b == b) return &e;
  return nullptr;
}

double total_area(const Units& u) {
  double a = 0;
  for (const Unit& unit : u.units) a += unit.area_m2;
  return a;
}

// Invariants every result must keep.
void expect_well_formed(const County& c, const Units& u) {
  ASSERT_TRUE(std::is_sorted(u.units.begin(), u.units.end(),
                             [](const Unit& a, const Unit& b) { return a.id < b.id; }));
  for (const Unit& unit : u.units) {
    ASSERT_EQ(unit.postcodes.size(), 1u) << unit.id;
    EXPECT_EQ(c.postcodes[unit.postcodes[0]].id, unit.id);
    EXPECT_NEAR(unit.area_m2, area(unit.cell), 1e-6 * std::max(1.0, unit.area_m2));
  }
  for (size_t i = 0; i < u.edges.size(); ++i) {
    EXPECT_LT(u.edges[i].a, u.edges[i].b);
    EXPECT_GT(u.edges[i].border_m, 0);
    if (i > 0) {
      EXPECT_TRUE(std::pair(u.edges[i - 1].a, u.edges[i - 1].b) <
                  std::pair(u.edges[i].a, u.edges[i].b));
    }
  }
}

TEST(Units, GridOfNineSitesGivesNineEqualCellsAndTwelveBorders) {
  std::vector<PostcodeRecord> pcs;
  // Listed in reverse id order: units must come out sorted by postcode.
  for (int r = 2; r >= 0; --r)
    for (int col = 2; col >= 0; --col)
      pcs.push_back(pc("AB1 " + std::to_string(r) + std::to_string(col) + "A", 50 + 100 * col,
                       50 + 100 * r, r * 3 + col));
  const County c = county_of({rect(0, 0, 300, 300)}, pcs);
  const Units u = build_units(c);
  expect_well_formed(c, u);
  ASSERT_EQ(u.units.size(), 9u);
  EXPECT_EQ(u.units.front().id, "AB1 00A");
  EXPECT_EQ(u.units.back().id, "AB1 22A");
  for (const Unit& unit : u.units) {
    EXPECT_NEAR(unit.area_m2, 10000, 1e-6) << unit.id;
    ASSERT_EQ(unit.cell.size(), 1u);
    EXPECT_TRUE(contains(unit.cell, unit.site));
    const Box b = bounds(unit.cell);
    EXPECT_NEAR(b.max_x - b.min_x, 100, 1e-6);
    EXPECT_NEAR(b.max_y - b.min_y, 100, 1e-6);
    EXPECT_EQ(unit.rural, "C1");
  }
  EXPECT_EQ(u.units[find_unit(u, "AB1 21A")].hours, 7);
  // 12 rook neighbours (diagonals touch at a point only), each border 100 m.
  ASSERT_EQ(u.edges.size(), 12u);
  for (const UnitEdge& e : u.edges) EXPECT_NEAR(e.border_m, 100, 1e-6);
  EXPECT_NE(find_edge(u, find_unit(u, "AB1 11A"), find_unit(u, "AB1 01A")), nullptr);
  EXPECT_EQ(find_edge(u, find_unit(u, "AB1 11A"), find_unit(u, "AB1 00A")), nullptr);
  EXPECT_NEAR(total_area(u), 90000, 1e-6);
  EXPECT_TRUE(u.warnings.empty());
}

TEST(Units, ColocatedPostcodesEachGetASmallCell) {
  std::vector<PostcodeRecord> pcs = {pc("ZZ1 1AA", 100, 100), pc("ZZ1 1AC", 500, 500, 4),
                                     pc("ZZ1 1AB", 500, 500, 2), pc("ZZ1 1AD", 500, 500, 8),
                                     pc("ZZ1 1AE", 900, 900), pc("ZZ1 1AF", 900, 100)};
  const County c = county_of({rect(0, 0, 1000, 1000)}, pcs);
  const Units u = build_units(c);
  expect_well_formed(c, u);
  ASSERT_EQ(u.units.size(), 6u);
  double hours = 0;
  for (const std::string id : {"ZZ1 1AB", "ZZ1 1AC", "ZZ1 1AD"}) {
    const int i = find_unit(u, id);
    ASSERT_GE(i, 0) << id;
    const Unit& unit = u.units[i];
    hours += unit.hours;
    EXPECT_GT(unit.area_m2, 1000) << id;
    ASSERT_EQ(unit.cell.size(), 1u);
    EXPECT_TRUE(contains(unit.cell, unit.site)) << id;
    // The generator site is on a circle of 5 m around the shared point...
    EXPECT_NEAR(std::hypot(unit.site.x - 500, unit.site.y - 500), 5.0, 1e-9) << id;
    // ...and the shared point is a corner of all three cells.
  }
  EXPECT_EQ(hours, 14);
  // Sorted by postcode, counter-clockwise from east: ZZ1 1AB sits east of the point.
  EXPECT_NEAR(u.units[find_unit(u, "ZZ1 1AB")].site.x, 505, 1e-9);
  EXPECT_NEAR(u.units[find_unit(u, "ZZ1 1AB")].site.y, 500, 1e-9);
  // The three co-located cells are mutual neighbours.
  const int b = find_unit(u, "ZZ1 1AB"), cc = find_unit(u, "ZZ1 1AC"), d = find_unit(u, "ZZ1 1AD");
  EXPECT_NE(find_edge(u, b, cc), nullptr);
  EXPECT_NE(find_edge(u, b, d), nullptr);
  EXPECT_NE(find_edge(u, cc, d), nullptr);
  EXPECT_NEAR(total_area(u), 1e6, 1e-3);
  ASSERT_EQ(u.warnings.size(), 1u);
  EXPECT_NE(u.warnings[0].find("3 postcodes share 1 point;"), std::string::npos) << u.warnings[0];
}

TEST(Units, NearbySiteLimitsTheSpreadRadius) {
  // Two postcodes at one point, another site 2 m away: spread by 0.4 * 2 m.
  const County c = county_of({rect(0, 0, 100, 100)},
                             {pc("A1 1AA", 50, 50), pc("A1 1AB", 50, 50), pc("A1 1AC", 52, 50)});
  const Units u = build_units(c);
  expect_well_formed(c, u);
  ASSERT_EQ(u.units.size(), 3u);
  EXPECT_NEAR(std::hypot(u.units[0].site.x - 50, u.units[0].site.y - 50), 0.8, 1e-9);
  for (const Unit& unit : u.units) {
    EXPECT_GT(unit.area_m2, 0);
    EXPECT_TRUE(contains(unit.cell, unit.site));
  }
  EXPECT_NEAR(total_area(u), 10000, 1e-6);
}

TEST(Units, TwoIslandsAreCoveredAndNotNeighbours) {
  const MultiPolygon boundary = {rect(0, 0, 200, 100), rect(1000, 0, 1200, 100)};
  const County c = county_of(boundary, {pc("W1 1AA", 50, 50), pc("W1 1AB", 150, 50),
                                        pc("E1 1AA", 1050, 50), pc("E1 1AB", 1150, 50)});
  const Units u = build_units(c);
  expect_well_formed(c, u);
  ASSERT_EQ(u.units.size(), 4u);
  for (const Unit& unit : u.units) {
    EXPECT_NEAR(unit.area_m2, 10000, 1e-6) << unit.id;
    ASSERT_EQ(unit.cell.size(), 1u);
    EXPECT_TRUE(contains(unit.cell, unit.site));
  }
  ASSERT_EQ(u.edges.size(), 2u);
  EXPECT_NE(find_edge(u, find_unit(u, "W1 1AA"), find_unit(u, "W1 1AB")), nullptr);
  EXPECT_NE(find_edge(u, find_unit(u, "E1 1AA"), find_unit(u, "E1 1AB")), nullptr);
  EXPECT_NEAR(u.edges[0].border_m, 100, 1e-6);
  EXPECT_NEAR(total_area(u), area(boundary), 1e-6);
}

TEST(Units, StrayPartAcrossAnInletJoinsTheNeighbourWithTheLongestBorder) {
  // A square with an inlet (x 190..210, from the top down to y = 100). A's Voronoi cell
  // reaches across the inlet (A is nearer than B up to x = 250): that strip is cut off from A
  // and must join B, with which it shares the line x = 250.
  const Polygon u_shape{{{0, 0},
                         {400, 0},
                         {400, 400},
                         {210, 400},
                         {210, 100},
                         {190, 100},
                         {190, 400},
                         {0, 400},
                         {0, 0}},
                        {}};
  const County c = county_of({u_shape}, {pc("A1 1AA", 150, 300), pc("B1 1AA", 350, 300),
                                         pc("C1 1AA", 200, 40)});
  const Units u = build_units(c);
  expect_well_formed(c, u);
  ASSERT_EQ(u.units.size(), 3u);
  const Unit& a = u.units[find_unit(u, "A1 1AA")];
  const Unit& b = u.units[find_unit(u, "B1 1AA")];
  for (const Unit& unit : u.units) {
    ASSERT_EQ(unit.cell.size(), 1u) << unit.id;
    EXPECT_TRUE(contains(unit.cell, unit.site)) << unit.id;
  }
  EXPECT_TRUE(contains(b.cell, {230, 380}));  // the stray strip
  EXPECT_FALSE(contains(a.cell, {230, 380}));
  EXPECT_TRUE(contains(a.cell, {180, 380}));
  EXPECT_NEAR(total_area(u), area(u_shape), 1e-6);
  // A and B no longer share a border (the inlet lies between them).
  EXPECT_EQ(find_edge(u, find_unit(u, "A1 1AA"), find_unit(u, "B1 1AA")), nullptr);
  EXPECT_NE(find_edge(u, find_unit(u, "A1 1AA"), find_unit(u, "C1 1AA")), nullptr);
  EXPECT_NE(find_edge(u, find_unit(u, "B1 1AA"), find_unit(u, "C1 1AA")), nullptr);
  for (const std::string& w : u.warnings) ADD_FAILURE() << "unexpected warning: " << w;
}

TEST(Units, PartTouchingNoOtherCellStaysAndIsReported) {
  // A small island with no postcode of its own: it falls in W1 1AB's Voronoi cell but
  // touches no other cell, so it stays with W1 1AB and is reported.
  const MultiPolygon boundary = {rect(0, 0, 200, 100), rect(300, 40, 320, 60)};
  const County c = county_of(boundary, {pc("W1 1AA", 50, 50), pc("W1 1AB", 150, 50)});
  const Units u = build_units(c);
  expect_well_formed(c, u);
  ASSERT_EQ(u.units.size(), 2u);
  EXPECT_EQ(u.units[1].cell.size(), 2u);
  EXPECT_NEAR(u.units[1].area_m2, 10000 + 400, 1e-6);
  EXPECT_NEAR(total_area(u), area(boundary), 1e-6);
  ASSERT_EQ(u.warnings.size(), 1u);
  EXPECT_NE(u.warnings[0].find("W1 1AB"), std::string::npos) << u.warnings[0];
  EXPECT_NE(u.warnings[0].find("touches no other cell"), std::string::npos) << u.warnings[0];
}

TEST(Units, PostcodesOutsideTheBoundaryAreNotUnits) {
  std::vector<PostcodeRecord> pcs = {pc("A1 1AA", 50, 50), pc("A1 1AB", 150, 50),
                                     pc("A1 1AC", 500, 500, 9)};
  pcs[2].inside = false;
  const County c = county_of({rect(0, 0, 200, 100)}, pcs);
  const Units u = build_units(c);
  expect_well_formed(c, u);
  ASSERT_EQ(u.units.size(), 2u);
  EXPECT_EQ(find_unit(u, "A1 1AC"), -1);
  EXPECT_NEAR(total_area(u), 20000, 1e-6);
}

TEST(Units, OneSiteTakesTheWholeBoundary) {
  const County c = county_of({rect(0, 0, 200, 100)}, {pc("A1 1AA", 50, 50, 3)});
  const Units u = build_units(c);
  ASSERT_EQ(u.units.size(), 1u);
  EXPECT_NEAR(u.units[0].area_m2, 20000, 1e-9);
  EXPECT_EQ(u.units[0].hours, 3);
  EXPECT_TRUE(u.edges.empty());
}

TEST(Units, NoSiteInsideGivesNoUnitsAndSaysSo) {
  std::vector<PostcodeRecord> pcs = {pc("A1 1AA", 500, 500)};
  pcs[0].inside = false;
  const Units u = build_units(county_of({rect(0, 0, 200, 100)}, pcs));
  EXPECT_TRUE(u.units.empty());
  ASSERT_EQ(u.warnings.size(), 1u);
}

TEST(Units, CollinearSitesGiveStrips) {
  std::vector<PostcodeRecord> pcs;
  for (int i = 0; i < 5; ++i) pcs.push_back(pc("L1 " + std::to_string(i) + "AA", 50 + 100 * i, 10));
  const County c = county_of({rect(0, 0, 500, 20)}, pcs);
  const Units u = build_units(c);
  expect_well_formed(c, u);
  ASSERT_EQ(u.units.size(), 5u);
  for (const Unit& unit : u.units) EXPECT_NEAR(unit.area_m2, 2000, 1e-6) << unit.id;
  ASSERT_EQ(u.edges.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(u.edges[i].a, static_cast<int>(i));
    EXPECT_EQ(u.edges[i].b, static_cast<int>(i + 1));
    EXPECT_NEAR(u.edges[i].border_m, 20, 1e-6);
  }
}

TEST(Units, EighteenPostcodesAtOnePointAllSurvive) {
  std::vector<PostcodeRecord> pcs = {pc("N1 1AA", 100, 100), pc("N1 1AB", 900, 900)};
  for (int i = 0; i < 18; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "F1 1%c%c", 'A' + i / 10, 'A' + i % 10);
    pcs.push_back(pc(id, 500, 500, 1));
  }
  const County c = county_of({rect(0, 0, 1000, 1000)}, pcs);
  const Units u = build_units(c);
  expect_well_formed(c, u);
  ASSERT_EQ(u.units.size(), 20u);
  double hours = 0;
  for (const Unit& unit : u.units) {
    hours += unit.hours;
    EXPECT_GT(unit.area_m2, 0) << unit.id;
    ASSERT_EQ(unit.cell.size(), 1u) << unit.id;
    EXPECT_TRUE(contains(unit.cell, unit.site)) << unit.id;
  }
  EXPECT_EQ(hours, 18);
  EXPECT_NEAR(total_area(u), 1e6, 1e-3);
  // Neighbours around the circle: each co-located cell borders the next one.
  const int first = find_unit(u, "F1 1AA"), second = find_unit(u, "F1 1AB");
  EXPECT_NE(find_edge(u, first, second), nullptr);
}

TEST(Units, SameInputSameOutput) {
  std::vector<PostcodeRecord> pcs;
  std::uint64_t s = 42;
  auto next = [&] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < 300; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "R%03d 1AA", i);
    pcs.push_back(pc(id, std::round(next() * 5000), std::round(next() * 5000)));
  }
  const County c = county_of({rect(-1, -1, 5001, 5001)}, pcs);
  const Units a = build_units(c), b = build_units(c);
  ASSERT_EQ(a.units.size(), b.units.size());
  for (size_t i = 0; i < a.units.size(); ++i) {
    EXPECT_EQ(a.units[i].id, b.units[i].id);
    ASSERT_EQ(a.units[i].cell.size(), b.units[i].cell.size());
    EXPECT_EQ(a.units[i].cell[0].outer, b.units[i].cell[0].outer);
  }
  ASSERT_EQ(a.edges.size(), b.edges.size());
  for (size_t i = 0; i < a.edges.size(); ++i) {
    EXPECT_EQ(a.edges[i].a, b.edges[i].a);
    EXPECT_EQ(a.edges[i].border_m, b.edges[i].border_m);
  }
  EXPECT_NEAR(total_area(a), area(c.boundary), 1e-6 * area(c.boundary));
}


// ---- Real data: the Isle of Wight (two parts: the island and a small islet) ----

class IsleOfWightUnits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    test::ScratchDir dir("units_iow");
    const Config cfg = load_config(test::write_iow_config(dir.path(), ""));
    county_ = new County(load_county(cfg));
    units_ = new Units(build_units(*county_));
  }
  static void TearDownTestSuite() {
    delete units_;
    delete county_;
  }
  static County* county_;
  static Units* units_;
};
County* IsleOfWightUnits::county_ = nullptr;
Units* IsleOfWightUnits::units_ = nullptr;

bool reported(const Units& u, const std::string& id) {
  for (const std::string& w : u.warnings)
    if (w.find(id) != std::string::npos) return true;
  return false;
}

TEST_F(IsleOfWightUnits, EveryPostcodeInsideIsExactlyOneUnit) {
  const County& c = *county_;
  const Units& u = *units_;
  EXPECT_EQ(c.postcodes_read, 5129);
  EXPECT_EQ(static_cast<long>(c.postcodes.size()), 5129);
  expect_well_formed(c, u);
  ASSERT_EQ(static_cast<long>(u.units.size()), c.postcodes_inside);
  EXPECT_GT(c.postcodes_inside, 5100);
  std::vector<int> seen(c.postcodes.size(), 0);
  for (const Unit& unit : u.units)
    for (int i : unit.postcodes) ++seen[i];
  for (size_t i = 0; i < c.postcodes.size(); ++i)
    EXPECT_EQ(seen[i], c.postcodes[i].inside ? 1 : 0) << c.postcodes[i].id;
  std::set<std::string> ids;
  for (const Unit& unit : u.units) ids.insert(unit.id);
  EXPECT_EQ(ids.size(), u.units.size());
}

TEST_F(IsleOfWightUnits, CellsAreOnePolygonHoldingTheirSiteAndCoverTheBoundary) {
  const County& c = *county_;
  const Units& u = *units_;
  int multi = 0;
  double total = 0;
  for (const Unit& unit : u.units) {
    total += unit.area_m2;
    EXPECT_GT(unit.area_m2, 0) << unit.id;
    if (unit.cell.size() != 1) {
      ++multi;
      EXPECT_TRUE(reported(u, unit.id)) << unit.id << " has " << unit.cell.size() << " parts";
    }
    if (!contains(unit.cell, unit.site)) {
      EXPECT_TRUE(reported(u, unit.id)) << unit.id;
    }
    // The generator site is the postcode's own point, or within 5 m of it when shared.
    const Point p = c.postcodes[unit.postcodes[0]].site;
    EXPECT_LE(std::hypot(unit.site.x - p.x, unit.site.y - p.y), 5.0 + 1e-9) << unit.id;
  }
  // The islet has no postcode: it stays with one cell, which is reported.
  EXPECT_LE(multi, 1);
  const double boundary = area(c.boundary);
  EXPECT_NEAR(total, boundary, 0.001 * boundary);
  EXPECT_NEAR(boundary / 1e6, c.boundary_area_km2, 0.001 * c.boundary_area_km2);
  // Co-located postcodes were spread and said so.
  bool spread = false;
  for (const std::string& w : u.warnings) spread |= w.find("postcodes share") != std::string::npos;
  EXPECT_TRUE(spread);
}

TEST_F(IsleOfWightUnits, AdjacencyIsSymmetricAndConnected) {
  const Units& u = *units_;
  const size_t n = u.units.size();
  std::vector<std::vector<int>> nb(n);
  std::set<std::pair<int, int>> pairs;
  for (const UnitEdge& e : u.edges) {
    ASSERT_LT(e.a, e.b);
    ASSERT_LT(e.b, static_cast<int>(n));
    EXPECT_TRUE(pairs.insert({e.a, e.b}).second) << "duplicate edge";
    EXPECT_GT(e.border_m, 0.01);
    nb[e.a].push_back(e.b);
    nb[e.b].push_back(e.a);
  }
  // A planar subdivision: about 3 neighbours per cell on average (Euler: < 3n edges).
  EXPECT_GT(u.edges.size(), 2 * n);
  EXPECT_LT(u.edges.size(), 3 * n);
  // No unit isolated (the only islet has no postcode) and one connected whole.
  std::vector<int> comp(n, -1);
  int components = 0;
  for (size_t s = 0; s < n; ++s) {
    EXPECT_FALSE(nb[s].empty()) << u.units[s].id << " has no neighbour";
    if (comp[s] >= 0) continue;
    std::vector<int> stack = {static_cast<int>(s)};
    comp[s] = components;
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      for (int w : nb[v])
        if (comp[w] < 0) {
          comp[w] = components;
          stack.push_back(w);
        }
    }
    ++components;
  }
  EXPECT_EQ(components, 1);
  // Border lengths add up: every cell's borders to its neighbours are no longer than its
  // perimeter.
  std::vector<double> border(n, 0);
  for (const UnitEdge& e : u.edges) {
    border[e.a] += e.border_m;
    border[e.b] += e.border_m;
  }
  for (size_t i = 0; i < n; ++i) {
    double perimeter = 0;
    for (const Polygon& p : u.units[i].cell)
      for (size_t k = 0; k + 1 < p.outer.size(); ++k)
        perimeter += std::hypot(p.outer[k + 1].x - p.outer[k].x, p.outer[k + 1].y - p.outer[k].y);
    EXPECT_LE(border[i], perimeter * (1 + 1e-9) + 1e-6) << u.units[i].id;
  }
}

TEST_F(IsleOfWightUnits, SameCountySameUnits) {
  const Units again = build_units(*county_);
  ASSERT_EQ(again.units.size(), units_->units.size());
  for (size_t i = 0; i < again.units.size(); ++i) {
    ASSERT_EQ(again.units[i].cell.size(), units_->units[i].cell.size());
    for (size_t k = 0; k < again.units[i].cell.size(); ++k)
      ASSERT_EQ(again.units[i].cell[k].outer, units_->units[i].cell[k].outer) << again.units[i].id;
  }
  ASSERT_EQ(again.edges.size(), units_->edges.size());
  for (size_t i = 0; i < again.edges.size(); ++i)
    EXPECT_EQ(again.edges[i].border_m, units_->edges[i].border_m);
  EXPECT_EQ(again.warnings, units_->warnings);
}


// ---- A polygon layer (LSOA, ward) as units ----

std::string square_feature(const std::string& id, double x0, double y0, double x1, double y1) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"type\":\"Feature\",\"properties\":{\"code\":\"%s\"},\"geometry\":{\"type\":"
                "\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}",
                id.c_str(), x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
  return buf;
}

std::string layer_of(const std::vector<std::string>& features) {
  std::string s =
      "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
      "\"urn:ogc:def:crs:EPSG::27700\"}},\"features\":[";
  for (size_t i = 0; i < features.size(); ++i) s += (i ? "," : "") + features[i];
  return s + "]}";
}

TEST(UnitsFromLayer, PostcodesGoToThePolygonHoldingThem) {
  test::ScratchDir dir("units_layer");
  // Three areas over a 300 x 100 boundary; "B" sticks out past it and is clipped; "D" lies
  // wholly outside; a gap between A and B (x 95..100) holds one postcode.
  test::write_text(dir / "areas.geojson",
                   layer_of({square_feature("C", 200, 0, 300, 100),
                             square_feature("A", 0, 0, 95, 100),
                             square_feature("B", 100, 0, 200, 150),
                             square_feature("D", 1000, 0, 1100, 100)}));
  std::vector<PostcodeRecord> pcs = {pc("A1 1AA", 10, 10, 2),  pc("A1 1AB", 20, 20, 3),
                                     pc("B1 1AA", 150, 50, 5), pc("X1 1AA", 96, 50, 7),
                                     pc("Z9 9ZZ", 900, 50, 11)};
  pcs[1].rural = "E2";
  pcs[4].inside = false;
  const County c = county_of({rect(0, 0, 300, 100)}, pcs);
  UnitsConfig cfg;
  cfg.path = dir / "areas.geojson";
  cfg.id = "code";
  const Units u = build_units(c, cfg);
  ASSERT_EQ(u.units.size(), 3u);
  EXPECT_EQ(u.units[0].id, "A");
  EXPECT_EQ(u.units[1].id, "B");
  EXPECT_EQ(u.units[2].id, "C");
  EXPECT_EQ(u.units[0].postcodes, (std::vector<int>{0, 1, 3}));  // the gap goes to the nearest
  EXPECT_EQ(u.units[0].hours, 12);
  EXPECT_EQ(u.units[0].customers, 3);
  EXPECT_EQ(u.units[1].postcodes, (std::vector<int>{2}));
  EXPECT_EQ(u.units[1].hours, 5);
  EXPECT_TRUE(u.units[2].postcodes.empty());
  EXPECT_NEAR(u.units[1].area_m2, 10000, 1e-6);  // clipped to the boundary
  for (const Unit& unit : u.units) EXPECT_TRUE(contains(unit.cell, unit.site)) << unit.id;
  // Rural class: the most common among the unit's postcodes (ties: the first by code).
  EXPECT_EQ(u.units[0].rural, "C1");
  // A and B do not touch (the gap); B and C share 100 m.
  ASSERT_EQ(u.edges.size(), 1u);
  EXPECT_EQ(u.edges[0].a, 1);
  EXPECT_EQ(u.edges[0].b, 2);
  EXPECT_NEAR(u.edges[0].border_m, 100, 1e-6);
  std::string all;
  for (const std::string& w : u.warnings) all += w + "\n";
  EXPECT_NE(all.find("1 unit polygon lies outside the boundary and is not a unit"), std::string::npos) << all;
  EXPECT_NE(all.find("1 postcode (7.0 h/week) lies in no polygon"), std::string::npos) << all;
  EXPECT_NE(all.find("1 unit of areas.geojson holds no postcode"), std::string::npos) << all;
  EXPECT_NE(all.find("units cover"), std::string::npos) << all;  // the gap: 500 m2 of 30,000
}

TEST(UnitsFromLayer, MissingIdColumnNamesTheFileAndTheColumns) {
  test::ScratchDir dir("units_layer_bad");
  test::write_text(dir / "areas.geojson", layer_of({square_feature("A", 0, 0, 100, 100)}));
  UnitsConfig cfg;
  cfg.path = dir / "areas.geojson";
  cfg.id = "LSOA21CD";
  const County c = county_of({rect(0, 0, 100, 100)}, {pc("A1 1AA", 10, 10)});
  try {
    build_units(c, cfg);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("areas.geojson"), std::string::npos) << m;
    EXPECT_NE(m.find("\"LSOA21CD\""), std::string::npos) << m;
    EXPECT_NE(m.find("code"), std::string::npos) << m;
  }
  cfg.path = dir / "missing.geojson";
  cfg.id = "code";
  try {
    build_units(c, cfg);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.geojson"), std::string::npos) << e.what();
  }
}

TEST_F(IsleOfWightUnits, Lsoa2021PolygonsAsUnits) {
  UnitsConfig cfg;
  cfg.path = test::iow_dir() / "boundaries/lsoa21_E06000046_bgc.geojson";
  cfg.id = "LSOA21CD";
  const Units u = build_units(*county_, cfg);
  EXPECT_EQ(u.units.size(), 89u);
  long postcodes = 0;
  for (const Unit& unit : u.units) {
    postcodes += static_cast<long>(unit.postcodes.size());
    EXPECT_EQ(unit.id.rfind("E01", 0), 0u) << unit.id;
    EXPECT_TRUE(contains(unit.cell, unit.site)) << unit.id;
  }
  EXPECT_EQ(postcodes, county_->postcodes_inside);
  double total = 0;
  for (const Unit& unit : u.units) total += unit.area_m2;
  EXPECT_NEAR(total, area(county_->boundary), 0.001 * area(county_->boundary));
  EXPECT_GT(u.edges.size(), 150u);
  std::vector<int> degree(u.units.size(), 0);
  for (const UnitEdge& e : u.edges) ++degree[e.a], ++degree[e.b];
  for (size_t i = 0; i < degree.size(); ++i) EXPECT_GT(degree[i], 0) << u.units[i].id;
}

// Rutland (land-locked, rural; docs/rutland.md): the road rule drops bordering cells with no
// direct road between them (fields, Rutland Water), not across an estuary. The warning says
// so with the thresholds that dropped them, and the road-aware graph stays one piece.
TEST(RutlandStudy, DroppedNeighbourPairsAreExplainedAndTheGraphStaysWhole) {
  test::ScratchDir dir("rutland-study");
  const auto r = test::rutland_dir();
  auto q = [](const std::filesystem::path& p) { return "\"" + p.string() + "\""; };
  test::write_text(
      dir / "c.toml",
      "[area]\nname = \"Rutland\"\nboundary = " +
          q(r / "boundaries/la_E06000017_dissolved_from_lsoa21_bgc.geojson") +
          "\n[postcodes]\npath = " + q(r / "postcodes/postcodes_E06000017_enriched.csv") +
          "\n[roads]\nosm = " + q(r / "osm/rutland-latest-2018-02-27.osm.pbf") + "\n");
  StudyOptions so;
  so.cache_dir = dir / "cache";
  const auto s = load_study(load_config(dir / "c.toml"), so);
  EXPECT_EQ(s.graph.size(), 1279u);
  ASSERT_GT(s.graph.dropped_edges, 0);
  EXPECT_LT(s.graph.dropped_edges, s.graph.geometric_edges / 10);
  std::string all;
  for (const auto& w : s.warnings) all += w + "\n";
  EXPECT_NE(all.find(std::to_string(s.graph.dropped_edges) + " of " +
                     std::to_string(s.graph.geometric_edges) +
                     " geometric neighbour pairs dropped: the road trip between them is longer "
                     "than 6 min and 3 times the straight line at 30 km/h (water or no direct "
                     "road between them"),
            std::string::npos)
      << all;
  EXPECT_EQ(all.find("estuary"), std::string::npos) << all;
  int count = 0;
  components(s.graph, &count);
  EXPECT_EQ(count, 1);
}

}  // namespace
}  // namespace lotwright::geo
