#include "lotwright/geo/metrics.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
PlanMetrics evaluate(const UnitGraph&, const Plan&, const EvaluateOptions&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
std::string metrics_json(const PlanMetrics&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
