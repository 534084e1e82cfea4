#include "lotwright/geo/export.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
GraphFormat parse_graph_format(const std::string&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
void export_graph(const UnitGraph&, GraphFormat, const std::filesystem::path&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
