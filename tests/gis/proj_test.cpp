// The one reprojection path (detail::CrsTransform): known answers, and a point outside the
// CRS's domain is a DataError naming it, never a silent HUGE_VAL.
#include "lotwright/gis/proj.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "lotwright/core/error.hpp"

namespace lotwright::geo::detail {
namespace {

using ::testing::HasSubstr;

TEST(CrsTransform, LonLatToBritishNationalGridAndBack) {
  // Newport, Isle of Wight: about 449,700 E, 89,000 N.
  std::vector<Point> pts{{-1.2925, 50.7005}};
  CrsTransform("EPSG:4326", "EPSG:27700").apply_all(pts);
  EXPECT_NEAR(pts[0].x, 449700, 500);
  EXPECT_NEAR(pts[0].y, 89000, 500);
  CrsTransform("EPSG:27700", "EPSG:4326").apply_all(pts);
  EXPECT_NEAR(pts[0].x, -1.2925, 1e-6);
  EXPECT_NEAR(pts[0].y, 50.7005, 1e-6);
}

TEST(CrsTransform, PointOutsideTheDomainIsAClearError) {
  const CrsTransform t("EPSG:4326", "EPSG:27700");
  Point bad{0, 95};  // latitude beyond the pole
  EXPECT_FALSE(t.apply(bad));
  EXPECT_EQ(bad.y, 95);  // left unchanged, not HUGE_VAL
  std::vector<Point> pts{{-1.29, 50.70}, {0, 95}, {-1.3, 50.8}};
  try {
    t.apply_all(pts);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("point 1 at (0, 95)"));
    EXPECT_THAT(e.what(), HasSubstr("from EPSG:4326 to EPSG:27700 (outside its domain)"));
  }
  for (const Point& p : pts) EXPECT_TRUE(std::isfinite(p.x) && std::isfinite(p.y));
  EXPECT_EQ(pts[2].x, -1.3);  // after the failure: untouched
  try {
    t.apply_all(pts = {{0, 95}}, [](std::size_t i) { return "OSM node " + std::to_string(i + 7); });
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("OSM node 7 at (0, 95) cannot be transformed"));
  }
}

TEST(CrsTransform, UnknownCrsIsADataError) {
  try {
    CrsTransform("EPSG:27700", "EPSG:999999");
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown CRS \"EPSG:999999\""));
  }
}

}  // namespace
}  // namespace lotwright::geo::detail
