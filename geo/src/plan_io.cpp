#include "lotwright/geo/plan_io.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
Plan read_plan_csv(const std::filesystem::path&, const UnitGraph&, std::vector<std::string>*) { throw DataError(std::string(__func__) + " is not implemented yet"); }
void write_plan(const std::filesystem::path&, const PlanOutputs&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
