#include "lotwright/geo/travel.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
struct RoadTravel::Impl {};
RoadTravel::RoadTravel(std::shared_ptr<const RoadNetwork>, std::vector<Point>, double) { throw DataError(std::string(__func__) + " is not implemented yet"); }
RoadTravel::~RoadTravel() = default;
std::size_t RoadTravel::size() const { throw DataError(std::string(__func__) + " is not implemented yet"); }
void RoadTravel::tree(int, std::vector<float>&, float) const { throw DataError(std::string(__func__) + " is not implemented yet"); }
float RoadTravel::minutes(int, int) const { throw DataError(std::string(__func__) + " is not implemented yet"); }
const std::vector<Snap>& RoadTravel::snaps() const { throw DataError(std::string(__func__) + " is not implemented yet"); }
std::vector<int> RoadTravel::unsnapped() const { throw DataError(std::string(__func__) + " is not implemented yet"); }
std::vector<int> RoadTravel::off_main_network() const { throw DataError(std::string(__func__) + " is not implemented yet"); }
const RoadNetwork& RoadTravel::network() const { throw DataError(std::string(__func__) + " is not implemented yet"); }
RouteResult RoadTravel::route(Point, Point) const { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
