#pragma once
// Plain geometry types shared by every module. Coordinates are EPSG:27700 metres
// (x = easting, y = northing) unless a function says otherwise. No GEOS/GDAL/PROJ
// types appear in public headers; conversions live in geo/src/detail/.
#include <cstdint>
#include <string>
#include <vector>

namespace lotwright::geo {

struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

using Ring = std::vector<Point>;  // closed: front() == back()

struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
};

using MultiPolygon = std::vector<Polygon>;

struct Polyline {
  std::vector<Point> points;
};

struct Box {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

}  // namespace lotwright::geo
