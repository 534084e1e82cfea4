#include "lotwright/geo/county.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
std::string normalise_postcode(std::string_view) { throw DataError(std::string(__func__) + " is not implemented yet"); }
std::string postcode_sector(std::string_view) { throw DataError(std::string(__func__) + " is not implemented yet"); }
County load_county(const Config&, const LoadOptions&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
MultiPolygon read_boundary(const std::filesystem::path&, const std::string&, std::vector<std::string>*) { throw DataError(std::string(__func__) + " is not implemented yet"); }
std::vector<Point> transform_points(const std::vector<Point>&, const std::string&, const std::string&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
