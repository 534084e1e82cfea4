#include "lotwright/geo/geometry.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
double area(const MultiPolygon&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
double area(const Polygon&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
Box bounds(const MultiPolygon&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
bool contains(const MultiPolygon&, Point) { throw DataError(std::string(__func__) + " is not implemented yet"); }
MultiPolygon dissolve(const std::vector<const MultiPolygon*>&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
Point label_point(const MultiPolygon&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
MultiPolygon simplify(const MultiPolygon&, double) { throw DataError(std::string(__func__) + " is not implemented yet"); }
std::vector<Point> triangulate(const MultiPolygon&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
