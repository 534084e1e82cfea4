#pragma once
// Tender lot packs: lot schedule (XLSX), zone maps (PDF), GIS layers, OCDS JSON and
// provider demand with disclosure control. Reads plans and metrics only through lotwright::geo.
// Formats and formulas: docs/tender.md; disclosure rules: docs/disclosure.md.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/core/progress.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/study/roads.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/study/units.hpp"
#include "lotwright/tender/config.hpp"
#include "lotwright/tender/disclosure.hpp"
#include "lotwright/tender/naming.hpp"

namespace lotwright::tender {

struct PackInputs {
  const geo::Config* config = nullptr;
  TenderConfig tender;                  // [tender] (load_tender_config)
  const geo::County* county = nullptr;  // may be null
  const geo::UnitGraph* graph = nullptr;
  const geo::Units* units = nullptr;        // cells; may be null (no maps/layers then)
  const geo::RoadNetwork* roads = nullptr;  // main roads and places; may be null
  const geo::Plan* plan = nullptr;
  const geo::PlanMetrics* metrics = nullptr;  // may be null: computed with geo::evaluate
  // Test hook: throw after this many files of the pack are written (-1: never). The
  // environment variable LOTWRIGHT_TENDER_FAIL_AFTER=N does the same for the command line.
  int fail_after_files = -1;
  geo::ProgressSink progress;  // each file and each zone map page (core/progress.hpp)
};

struct PackSummary {
  std::vector<std::string> files;  // written, relative to the pack folder
  int zones = 0;
  int lots = 0;  // zone x role
  double hours = 0;
};

// Inputs for a study built by geo::load_study (the `tender` and `run` commands).
PackInputs pack_inputs(const geo::Study& study, const TenderConfig& tender, const geo::Plan& plan,
                       const geo::PlanMetrics& metrics);

// Writes the whole pack into dir atomically: lot-schedule.xlsx, zone-maps.pdf, lots.gpkg,
// lots.shp (+ sidecars), lots.geojson, ocds-lots.json, provider-demand.csv.
PackSummary write_tender_pack(const std::filesystem::path& dir, const PackInputs& in);

// ---- Building blocks (also used by the viewer and the tests) ----

// The one rural classifier (geo::is_rural_class, geo/rural.hpp): ONS RUC2011 D1, D2, E1,
// E2, F1, F2 and mySociety's ukruc "1" / "2" are rural; A1..C2, "0" and "" are not.
bool is_rural_class(std::string_view cls);

// Roles for a zone of the given tier (docs/tender.md "Roles"):
//   1. [[tender.roles]] with tier == the zone's tier name;
//   2. [[tender.roles]] with tier == "" (applies to every zone);
//   3. defaults: lots mode (tier "") -> Lead 60% + Secondary 20% + Secondary 20%
//      (Worcestershire); tiers mode by West Sussex level = the number in the tier's name
//      ("Level 2" -> 2), else the tier's position in [[design.tiers]]: level 1 -> Lead 60% +
//      Secondary 40%, level 2 -> Lead 100%, level 3 and beyond -> no roles (the zone is let
//      through the reserve list / DPS: one "Reserve list (DPS)" row with 100%).
//   A tier neither numbered nor listed in [[design.tiers]] gets the lots-mode default.
std::vector<RoleConfig> roles_for_tier(const geo::Config& config, const TenderConfig& tender,
                                       const std::string& tier);
inline constexpr const char* kReserveRole = "Reserve list (DPS)";

// Average visit length used to turn travel minutes into worker time (docs/tender.md).
inline constexpr double kVisitMinutes = 45;
inline constexpr double kWeeksPerYear = 52;

struct LotRow {
  int zone = 0;  // 1-based
  std::string zone_name;
  std::string tier;
  std::string lot_id;                 // "1a", "1b", ... ("1" when the zone has a single row)
  std::string role;                   // "Lead", "Secondary", "Reserve list (DPS)"
  double share = 0;                   // of the zone's hours
  double weekly_hours = 0;            // exact (adds up to the plan's assigned hours)
  std::optional<long> customers;      // rounded to 5; empty when fewer than 5
  double annual_hours = 0;            // weekly x 52
  double value_low = 0;               // £/year at price_low incl. rural enhancement
  double value_high = 0;              // £/year at price_high incl. rural enhancement
  double rural_share = 0;             // of hours, 0..1
  double rural_enhancement_low = 0;   // £/year included in value_low
  double rural_enhancement_high = 0;  // £/year included in value_high
  double travel_min = 0;              // zone mean travel minutes (hub -> unit, hours-weighted)
  // Care workers: the zone's care-round workers_needed (docs/rounds.md) x share; without a
  // round estimate (no travel), hours x (1 + travel_min / visit) / hours per worker.
  double workers = 0;
  double travel_cost_per_contact_hour = 0;  // £, the zone's care rounds (0: not estimated)
  // The zone's call gaps (minutes between consecutive calls); empty when not estimated or
  // suppressed (a zone with fewer than 5 customers, docs/disclosure.md).
  std::optional<double> call_gap_median_min;
  std::optional<double> call_gap_p90_min;
  // Empty when the zone's unmet hours are suppressed (fewer than 5 customers have any); the
  // totals row sums the published ones.
  std::optional<double> unmet_hours;
  double area_km2 = 0;
  std::string places;         // main places, "Newport, Carisbrooke"
  std::string title() const;  // "Lot 1a – Zone 1 – Newport – Lead"
};

// Postcode sector x zone: provider_demand's rows (disclosure-controlled), in the same order.
struct SectorZoneRow {
  std::string sector;  // "PO30 1"; kSuppressedSectors for a zone's combined row
  int zone = 0;        // 1-based; 0 = unassigned
  std::string zone_name;
  int units = 0;                  // units of the sector in this zone (0 on the combined row)
  double unit_share = 0;          // of the sector's units
  double hours_share = 0;         // of the sector's published hours (0 when suppressed)
  std::optional<double> hours;    // published: multiple of 5; empty when suppressed
  std::optional<long> customers;  // published: multiple of 5; empty when suppressed
  bool suppressed = false;
  bool combined = false;  // the zone's suppressed sectors together
};

struct Assumption {
  std::string name;
  std::string value;
  std::string note;
};

// A zone's figures as published (zone_figures, the one disclosure function): every file
// of the pack shows these and only these.
struct Zone {
  int zone = 0;  // 1-based
  std::string name;
  std::string tier;
  double hours = 0;      // rounded to 5
  double customers = 0;  // rounded to 5; when fewer than 5, 1 (disclosed_customers: not shown)
  bool customers_suppressed = false;
  double rural_hours = 0;  // the sum of the zone's rural-class bars (rural_class_demand)
  double unmet_hours = 0;  // rounded to 5; 0 when suppressed (fewer than 5 customers)
  bool unmet_suppressed = false;
  double area_km2 = 0;
  double travel_min = 0;
  std::vector<std::string> places;
  // The zone's care-round figures (evaluate's), when estimated.
  std::optional<geo::RoundFigures> rounds;
  // Whether the care-round figures that rest on customers' own hours and calls (call gaps,
  // care workers, care worker hours) may be published: estimated, and 5 or more customers.
  // Otherwise workers come from the published hours (docs/disclosure.md).
  bool call_gaps_disclosed() const;
};

struct Schedule {
  std::vector<Zone> zones;
  std::vector<LotRow> lots;
  std::vector<std::string> zone_names() const;  // zone x role, zone order then role order
  // Per zone: its rows summed; lot_id "1a,1b,1c", role "Lead 60%; Secondary 20%; ...".
  std::vector<LotRow> zone_totals;
  LotRow totals;                       // sums; customers rounded to 5
  std::vector<SectorZoneRow> sectors;  // sorted by sector, then zone
  std::vector<Assumption> assumptions;
};

// Everything the schedule shows, from the plan and metrics (metrics may be null).
Schedule build_schedule(const PackInputs& in);

// zone_name (naming.hpp): the plan's name, or "Zone 3". (The schedule's Zone::name goes
// further: a plan without names takes them from the zone's two main places, "Newport &
// Cowes".)

}  // namespace lotwright::tender
