#include "lotwright/geo/units.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
Units build_units(const County&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
