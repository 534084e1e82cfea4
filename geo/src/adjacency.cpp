#include "lotwright/geo/error.hpp"
#include "lotwright/geo/pipeline.hpp"
namespace lotwright::geo {
void build_road_adjacency(UnitGraph&, const Units&, const RoadsConfig&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
