#include "lotwright/geo/error.hpp"
#include "lotwright/geo/synth.hpp"
namespace lotwright::geo {
SynthDemandSummary synth_demand(const Config&, const std::filesystem::path&, const SynthDemandOptions&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
