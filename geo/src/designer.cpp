#include "lotwright/geo/designer.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
Plan design(const UnitGraph&, const DesignRequest&, DesignReport*) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
