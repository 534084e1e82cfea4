// The one zone colouring (geo::colour_zones / zone_colours): neighbours never share a colour,
// the colours spread over the palette, and the result is deterministic.
#include <gtest/gtest.h>

#include <set>

#include "lotwright/core/palette.hpp"

using namespace lotwright;

namespace {

std::vector<std::pair<int, int>> grid(int cols, int rows) {
  std::vector<std::pair<int, int>> e;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const int z = r * cols + c;
      if (c + 1 < cols) e.emplace_back(z, z + 1);
      if (r + 1 < rows) e.emplace_back(z, z + cols);
      if (c + 1 < cols && r + 1 < rows) e.emplace_back(z, z + cols + 1);  // diagonal touch
    }
  return e;
}

void expect_proper(const std::vector<int>& colour, const std::vector<std::pair<int, int>>& e) {
  for (const auto& [a, b] : e) EXPECT_NE(colour[a], colour[b]) << a + 1 << " and " << b + 1;
}

}  // namespace

TEST(ZoneColours, NeighboursDifferAndColoursSpread) {
  for (int n : {4, 10, 30, 60}) {
    const auto e = grid(n >= 10 ? 10 : n, (n + 9) / 10);
    const auto c = geo::colour_zones(n, e);
    ASSERT_EQ(c.size(), static_cast<std::size_t>(n));
    expect_proper(c, e);
    const std::set<int> used(c.begin(), c.end());
    EXPECT_EQ(used.size(), static_cast<std::size_t>(std::min(n, geo::kPaletteSize))) << n;
    for (int x : c) EXPECT_LT(x, geo::kPaletteSize);  // no darker repeats needed
    EXPECT_EQ(geo::colour_zones(n, e), c);            // deterministic
  }
}

TEST(ZoneColours, ACliqueBeyondThePaletteGoesDarker) {
  std::vector<std::pair<int, int>> e;
  for (int a = 0; a < 22; ++a)
    for (int b = a + 1; b < 22; ++b) e.emplace_back(a, b);
  const auto c = geo::colour_zones(22, e);
  expect_proper(c, e);
  EXPECT_EQ(std::set<int>(c.begin(), c.end()).size(), 22u);
  // Out-of-range and self pairs are ignored; no zones, no colours.
  EXPECT_EQ(geo::colour_zones(2, {{0, 0}, {1, 5}, {-1, 0}}).size(), 2u);
  EXPECT_TRUE(geo::colour_zones(0, {}).empty());
}

TEST(ZoneColours, FromTheUnitGraphOfAPlan) {
  // Units 0-1-2-3 in a row; lots 0,0,1,2: lots 0-1 and 1-2 touch, 0-2 do not.
  geo::UnitGraph g;
  g.id = {"A", "B", "C", "D"};
  geo::set_edges(g, {{0, 1, 1, 1}, {1, 2, 1, 1}, {2, 3, 1, 1}});
  geo::Plan p;
  p.lot_count = 3;
  p.lot_of = {0, 0, 1, 2};
  const auto c = geo::zone_colours(g, p);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_NE(c[0], c[1]);
  EXPECT_NE(c[1], c[2]);
}
