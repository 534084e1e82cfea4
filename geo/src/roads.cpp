#include "lotwright/geo/roads.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
Profile make_profile(const RoadsConfig&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
double way_speed_kmh(const Profile&, std::string_view, std::string_view) { throw DataError(std::string(__func__) + " is not implemented yet"); }
double parse_maxspeed_kmh(std::string_view) { throw DataError(std::string(__func__) + " is not implemented yet"); }
RoadNetwork build_road_network(const std::filesystem::path&, const Profile&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
RoadNetwork load_road_network(const std::filesystem::path&, const Profile&,
                              const std::filesystem::path&, bool*) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
