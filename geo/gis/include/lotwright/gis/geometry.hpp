#pragma once
// Geometry operations over our plain types, implemented with the GEOS C API
// (thread-local GEOS contexts; GEOS errors become DataError).
#include <vector>

#include "lotwright/core/types.hpp"

namespace lotwright::geo {

double area(const MultiPolygon& mp);
double area(const Polygon& p);
// Length of every ring, outer and holes (metres).
double perimeter(const MultiPolygon& mp);
Box bounds(const MultiPolygon& mp);
bool contains(const MultiPolygon& mp, Point p);
// Union of many polygons (cells of one lot) into one MultiPolygon.
MultiPolygon dissolve(const std::vector<const MultiPolygon*>& parts);
// A point guaranteed inside the polygon (for labels).
Point label_point(const MultiPolygon& mp);
// Triangles (3 points each) covering the polygon, for the viewer's vertex buffers.
std::vector<Point> triangulate(const MultiPolygon& mp);

}  // namespace lotwright::geo
