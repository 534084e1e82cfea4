// Geometry helpers over our plain types (GEOS underneath).
#include "lotwright/gis/geometry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>

#include "lotwright/core/error.hpp"

namespace lotwright::geo {
namespace {

Polygon rect(double x0, double y0, double x1, double y1) {
  return {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}};
}

// A square 0..100 with a 20x20 hole in the middle.
Polygon square_with_hole() {
  Polygon p = rect(0, 0, 100, 100);
  p.holes.push_back({{40, 40}, {40, 60}, {60, 60}, {60, 40}, {40, 40}});
  return p;
}

// A U: 0..300 x 0..300 without the notch 100..200 x 100..300.
Polygon u_shape() {
  return {{{0, 0},
           {300, 0},
           {300, 300},
           {200, 300},
           {200, 100},
           {100, 100},
           {100, 300},
           {0, 300},
           {0, 0}},
          {}};
}

double triangles_area(const std::vector<Point>& t) {
  double a = 0;
  for (size_t i = 0; i + 2 < t.size(); i += 3)
    a += ((t[i + 1].x - t[i].x) * (t[i + 2].y - t[i].y) -
          (t[i + 2].x - t[i].x) * (t[i + 1].y - t[i].y)) /
         2;
  return a;
}

TEST(Geometry, AreaSubtractsHolesAndIgnoresOrientation) {
  EXPECT_DOUBLE_EQ(area(rect(0, 0, 100, 50)), 5000);
  Polygon cw = rect(0, 0, 100, 50);
  std::reverse(cw.outer.begin(), cw.outer.end());
  EXPECT_DOUBLE_EQ(area(cw), 5000);
  EXPECT_DOUBLE_EQ(area(square_with_hole()), 10000 - 400);
  EXPECT_DOUBLE_EQ(area(MultiPolygon{square_with_hole(), rect(200, 0, 210, 10)}), 9700);
  EXPECT_DOUBLE_EQ(area(MultiPolygon{}), 0);
  // British National Grid magnitudes keep full precision.
  EXPECT_NEAR(area(rect(449000, 88000, 449001, 88001)), 1.0, 1e-9);
}

TEST(Geometry, BoundsOfSeveralParts) {
  const Box b = bounds(MultiPolygon{rect(10, 20, 30, 40), rect(-5, 25, 0, 90)});
  EXPECT_EQ(b.min_x, -5);
  EXPECT_EQ(b.min_y, 20);
  EXPECT_EQ(b.max_x, 30);
  EXPECT_EQ(b.max_y, 90);
  const Box e = bounds(MultiPolygon{});
  EXPECT_EQ(e.min_x, 0);
  EXPECT_EQ(e.max_x, 0);
}

TEST(Geometry, ContainsRespectsHolesAndParts) {
  const MultiPolygon mp{square_with_hole(), rect(200, 0, 210, 10)};
  EXPECT_TRUE(contains(mp, {10, 10}));
  EXPECT_FALSE(contains(mp, {50, 50}));  // in the hole
  EXPECT_TRUE(contains(mp, {205, 5}));
  EXPECT_FALSE(contains(mp, {150, 5}));
  EXPECT_FALSE(contains(MultiPolygon{u_shape()}, {150, 200}));  // in the notch
  EXPECT_TRUE(contains(MultiPolygon{u_shape()}, {150, 50}));
}

TEST(Geometry, DissolveAdjacentCellsGivesOnePolygon) {
  // A 4x4 grid of 10 m cells: one 40x40 square with no inner edges left.
  std::vector<MultiPolygon> cells;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) cells.push_back({rect(10 * i, 10 * j, 10 * i + 10, 10 * j + 10)});
  std::vector<const MultiPolygon*> parts;
  for (const MultiPolygon& c : cells) parts.push_back(&c);
  const MultiPolygon d = dissolve(parts);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(d[0].holes.empty());
  EXPECT_NEAR(area(d), 1600, 1e-9);
  const Box b = bounds(d);
  EXPECT_EQ(b.min_x, 0);
  EXPECT_EQ(b.max_y, 40);
  // Collinear vertices may remain, but no vertex lies inside the square.
  for (const Point& p : d[0].outer)
    EXPECT_TRUE(p.x == 0 || p.x == 40 || p.y == 0 || p.y == 40) << p.x << "," << p.y;
}

TEST(Geometry, DissolveRingOfCellsKeepsTheHole) {
  std::vector<MultiPolygon> cells;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      if (i != 1 || j != 1) cells.push_back({rect(10 * i, 10 * j, 10 * i + 10, 10 * j + 10)});
  std::vector<const MultiPolygon*> parts;
  for (const MultiPolygon& c : cells) parts.push_back(&c);
  const MultiPolygon d = dissolve(parts);
  ASSERT_EQ(d.size(), 1u);
  ASSERT_EQ(d[0].holes.size(), 1u);
  EXPECT_NEAR(area(d), 800, 1e-9);
}

TEST(Geometry, DissolveOverlappingAndDisjointInputs) {
  // Overlapping squares are not a coverage: the general union must be used.
  const MultiPolygon a{rect(0, 0, 10, 10)}, b{rect(5, 0, 15, 10)}, c{rect(100, 100, 110, 110)};
  const MultiPolygon d = dissolve({&a, &b, &c});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_NEAR(area(d), 150 + 100, 1e-9);
  // A vertex of one cell in the middle of the other's edge (not noded alike).
  const MultiPolygon e{rect(0, 0, 10, 10)}, f{rect(10, 5, 20, 15)};
  const MultiPolygon g = dissolve({&e, &f});
  ASSERT_EQ(g.size(), 1u);
  EXPECT_NEAR(area(g), 200, 1e-9);
  EXPECT_TRUE(dissolve({}).empty());
}

TEST(Geometry, LabelPointIsInsideAndAwayFromTheEdges) {
  // The centroid of the U lies in the notch; the label must not.
  const MultiPolygon u{u_shape()};
  const Point p = label_point(u);
  EXPECT_TRUE(contains(u, p));
  // The widest place of the U is its base (100 m tall): the label sits well inside it.
  EXPECT_GT(p.y, 20);
  EXPECT_LT(p.y, 80);
  // A square with a hole: inside the ring, not in the hole.
  const Point q = label_point(MultiPolygon{square_with_hole()});
  EXPECT_TRUE(contains(MultiPolygon{square_with_hole()}, q));
  // Several parts: the label goes on the largest.
  const Point r = label_point(MultiPolygon{rect(0, 0, 10, 10), rect(100, 0, 200, 100)});
  EXPECT_NEAR(r.x, 150, 1);
  EXPECT_NEAR(r.y, 50, 1);
  EXPECT_THROW(label_point(MultiPolygon{}), DataError);
}

TEST(Geometry, TriangulateCoversThePolygonExactly) {
  const MultiPolygon mp{square_with_hole(), u_shape()};
  for (const Polygon& p : mp) {
    const std::vector<Point> t = triangulate({p});
    ASSERT_EQ(t.size() % 3, 0u);
    ASSERT_GT(t.size(), 0u);
    EXPECT_NEAR(triangles_area(t), area(p), 1e-6);
    for (size_t i = 0; i < t.size(); i += 3) {
      const Point c{(t[i].x + t[i + 1].x + t[i + 2].x) / 3, (t[i].y + t[i + 1].y + t[i + 2].y) / 3};
      EXPECT_TRUE(contains({p}, c)) << "triangle centroid " << c.x << "," << c.y;
      // Counter-clockwise: each triangle has positive signed area.
      EXPECT_GT(triangles_area({t[i], t[i + 1], t[i + 2]}), 0);
    }
  }
  const std::vector<Point> both = triangulate(mp);
  EXPECT_NEAR(triangles_area(both), area(mp), 1e-6);
  EXPECT_TRUE(triangulate({}).empty());
}

TEST(Geometry, BadRingIsADataErrorNotACrash) {
  const MultiPolygon degenerate{Polygon{{{0, 0}, {10, 10}, {0, 0}}, {}}};
  try {
    triangulate(degenerate);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("distinct points"), std::string::npos) << e.what();
  }
  const MultiPolygon nan{Polygon{{{0, 0}, {10, 0}, {NAN, 10}, {0, 0}}, {}}};
  EXPECT_THROW(triangulate(nan), DataError);
}

TEST(Geometry, WorksFromSeveralThreads) {
  // One GEOS context per thread: concurrent use gives the same answers.
  std::vector<MultiPolygon> cells;
  for (int i = 0; i < 20; ++i) cells.push_back({rect(i, 0, i + 1, 1)});
  std::vector<const MultiPolygon*> parts;
  for (const MultiPolygon& c : cells) parts.push_back(&c);
  double areas[4] = {0, 0, 0, 0};
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int r = 0; r < 50; ++r) areas[k] = area(dissolve(parts));
    });
  for (std::thread& t : threads) t.join();
  for (double a : areas) EXPECT_NEAR(a, 20, 1e-9);
}

}  // namespace
}  // namespace lotwright::geo
