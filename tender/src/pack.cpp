#include "lotwright/tender/tender.hpp"

#include "lotwright/geo/error.hpp"

namespace lotwright::tender {

PackSummary write_tender_pack(const std::filesystem::path&, const PackInputs&) {
  throw geo::DataError("tender packs are not implemented yet");
}

}  // namespace lotwright::tender
