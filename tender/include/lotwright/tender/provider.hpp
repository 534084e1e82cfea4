#pragma once
// The provider package, tender/provider.gpkg (written by write_tender_pack; provider.cpp):
// layers zones, lots and sector_demand (EPSG:27700), tables metadata and layer_styles.
// Published figures only (disclosure.hpp); no postcode.
#include <filesystem>

namespace lotwright::tender {

// metadata.format of a provider package.
inline constexpr const char* kProviderFormat = "lotwright-provider-package-1";

// True when file is a GeoPackage whose metadata table says kProviderFormat.
bool is_provider_package(const std::filesystem::path& file);

}  // namespace lotwright::tender
