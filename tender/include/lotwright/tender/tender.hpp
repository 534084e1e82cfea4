#pragma once
// Tender lot packs: lot schedule (XLSX), zone maps (PDF), GIS layers, OCDS JSON and
// provider demand with disclosure control. Reads plans and metrics only through lotwright::geo.
#include <filesystem>
#include <string>
#include <vector>

#include "lotwright/geo/config.hpp"
#include "lotwright/geo/county.hpp"
#include "lotwright/geo/metrics.hpp"
#include "lotwright/geo/network.hpp"
#include "lotwright/geo/plan.hpp"
#include "lotwright/geo/roads.hpp"
#include "lotwright/geo/units.hpp"

namespace lotwright::tender {

struct PackInputs {
  const geo::Config* config = nullptr;
  const geo::County* county = nullptr;       // may be null
  const geo::UnitGraph* graph = nullptr;
  const geo::Units* units = nullptr;         // cells; may be null (no maps/layers then)
  const geo::RoadNetwork* roads = nullptr;   // main roads and places; may be null
  const geo::Plan* plan = nullptr;
  const geo::PlanMetrics* metrics = nullptr;
};

struct PackSummary {
  std::vector<std::string> files;  // written, relative to the pack folder
  int zones = 0;
  int lots = 0;  // zone x role
  double hours = 0;
};

// Writes the whole pack into dir atomically: lot-schedule.xlsx, zone-maps.pdf, lots.gpkg,
// lots.shp (+ sidecars), lots.geojson, ocds-lots.json, provider-demand.csv.
PackSummary write_tender_pack(const std::filesystem::path& dir, const PackInputs& in);

}  // namespace lotwright::tender
