#include "lotwright/geo/error.hpp"
#include "lotwright/geo/synth.hpp"
namespace lotwright::geo {
SynthCountySummary synth_county(const std::filesystem::path&, const SynthCountyOptions&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
