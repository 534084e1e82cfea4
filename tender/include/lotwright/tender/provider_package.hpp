#pragma once
// Reading the provider package (tender/provider.gpkg, written by write_tender_pack; see
// provider.hpp) back into plain types: what lotwright-viewer --provider shows. Only the
// package's published figures; nothing is recomputed and nothing is written.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lotwright/core/types.hpp"

namespace lotwright::tender {

struct ProviderZone {
  int zone = 0;  // 1-based, as published
  std::string name, tier, lot_ids, roles, places;
  std::string colour_hex;  // "#rrggbb", the zone's colour in the pack's maps
  std::uint8_t r = 0, g = 0, b = 0;
  double hours = 0;               // published weekly hours
  std::optional<long> customers;  // empty: suppressed
  std::optional<double> rural_hours, unmet_hours, travel_min, area_km2;
  geo::MultiPolygon shape;  // EPSG:27700
  geo::Point label;         // a point inside the shape for its label
};

struct ProviderLot {
  std::string lot_id, title, role;
  int zone = 0;
  double share = 0, hours = 0;
  std::optional<long> customers;
};

struct ProviderSector {
  std::string sector;  // a postcode sector, or "(suppressed sectors)"
  int zone = 0;        // the zone the row belongs to (1-based)
  std::optional<double> hours, hours_km2;
  std::optional<long> customers;
  bool suppressed = false, combined = false;
  geo::MultiPolygon shape;  // empty when the layer or the row has no geometry
};

struct ProviderPackage {
  std::filesystem::path file;
  std::vector<std::pair<std::string, std::string>> metadata;  // key, value in table order
  std::vector<ProviderZone> zones;                            // by zone number
  std::vector<ProviderLot> lots;
  std::vector<ProviderSector> sectors;             // in the layer's order
  std::string meta(const std::string& key) const;  // "" when absent
};

// Reads a provider package, read-only. Throws DataError naming the file, the layer, the
// feature and the field when it is not one or a value is missing or malformed.
ProviderPackage read_provider_package(const std::filesystem::path& file);

// Why a provider may not open file, "" when it is a provider package. A plan (layer units:
// postcode-level demand) gets "plan.gpkg holds postcode-level demand; providers open
// tender/provider.gpkg (written by lotwright tender)"; any other file says it is not one.
std::string provider_refusal(const std::filesystem::path& file);

}  // namespace lotwright::tender
