#pragma once
// Internal declarations shared by the pack writers (not part of the public API).
#include <filesystem>
#include <string>
#include <vector>

#include "lotwright/core/types.hpp"
#include "lotwright/tender/disclosure.hpp"
#include "lotwright/tender/tender.hpp"

namespace lotwright::tender::detail {

// Postcode sector of a unit id ("PO30 1AE" -> "PO30 1"); "(other)" when not a postcode.
std::string sector_of_unit(const std::string& id);

// The plan's metrics with every demand figure replaced by its published one (hours rounded
// to 5, zone figures from the schedule): what the writers may show.
geo::PlanMetrics published_metrics(const geo::PlanMetrics& m, const Schedule& s);

// Everything the writers need, computed once.
struct PackContext {
  const PackInputs* in = nullptr;
  const geo::PlanMetrics* metrics = nullptr;  // published_metrics: rounded figures only
  Schedule schedule;
  std::vector<int> zone_colour;  // palette index per zone (geo::zone_colours)
  std::vector<SectorDemand> demand;
  // Per zone (plan lot), EPSG:27700; empty vectors when no unit cells were given.
  std::vector<geo::MultiPolygon> zone_shapes;
  std::vector<geo::Point> zone_labels;
  // Per provider_demand row: the sector's area per zone (EPSG:27700), for shading maps.
  std::vector<std::vector<std::pair<int, geo::MultiPolygon>>> sector_shapes;
  std::vector<double> sector_area_m2;
  bool has_geometry() const { return !zone_shapes.empty(); }
};

// Whether unmet hours were given (a demand column, or a unit with some): else the schedule
// and the zone pages show them blank / "not known", never 0.
bool unmet_hours_known(const PackContext& ctx);

void write_schedule_xlsx(const std::filesystem::path& file, const PackContext& ctx);
void write_zone_maps_pdf(const std::filesystem::path& file, const PackContext& ctx);
// lots.gpkg, lots.shp (+ sidecars), lots.geojson; returns the file names written.
std::vector<std::string> write_lot_layers(const std::filesystem::path& dir, const PackContext& ctx);
std::string ocds_json(const PackContext& ctx);
// provider.gpkg: zones, lots, sector_demand, metadata and layer_styles (provider.cpp).
void write_provider_gpkg(const std::filesystem::path& file, const PackContext& ctx);

// EPSG:27700 -> EPSG:4326 (x = longitude, y = latitude).
std::vector<geo::Point> to_wgs84(std::vector<geo::Point> pts);

}  // namespace lotwright::tender::detail
