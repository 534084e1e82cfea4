#pragma once
// Demand growth (docs/scenarios.md "Projection"): a plan evaluated year by year on demand
// grown by factors per area and year; for each lot the first year it leaves its band (the
// band of the base year's demand) or passes the call-gap or travel threshold; a re-plan with
// keep_from in the first failing year and the share of hours that would change lot.
#include <filesystem>
#include <string>
#include <vector>

#include "lotwright/core/plan.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/study.hpp"

namespace lotwright::geo {

// One row of GROWTH.csv: area,year,factor. `area` is "*" (every unit), a unit id (postcode),
// a postcode's outward code ("PO30"), or a [population] area code (an LSOA) of the unit's
// postcodes. The factor multiplies the base demand's hours; rows matching one unit and year
// multiply (65+ growth x hours-per-customer trend).
struct GrowthFactor {
  std::string area;
  int year = 0;
  double factor = 1;
};

// Reads GROWTH.csv (columns area, year, factor in any order; extra columns ignored).
// DataError naming file, line and column on a bad value.
std::vector<GrowthFactor> read_growth_csv(const std::filesystem::path& file);

// The growth factor of each unit of the study in `year` (1 where no row matches).
std::vector<double> unit_growth(const Study& study, const std::vector<GrowthFactor>& growth,
                                int year);

struct ProjectionOptions {
  int from_year = 0;
  int to_year = 0;
  double max_call_gap_p90_min = 15;  // the market's "at most 15 minutes between calls"
  bool replan = true;                // re-plan with keep_from in the first failing year
  std::filesystem::path plan_file;   // the plan's file: the re-plan's keep_from ("" no re-plan)
};

struct LotYear {
  int year = 0;
  LotMetrics metrics;                 // evaluate() on that year's demand
  double band_min = 0, band_max = 0;  // the base year's band (lots mode) or the tier's band
  bool within_band = true;
  bool gap_over = false;     // call_gap_p90_min above the threshold
  bool travel_over = false;  // a postcode with hours beyond the travel limit
};

struct LotProjection {
  int lot = 0;  // 0-based
  std::string name;
  std::vector<LotYear> years;
  int leaves_band = 0;  // first year out of band, 0: never
  int gap_over = 0;     // first year past the call-gap threshold, 0: never
  int travel_over = 0;  // first year past the travel limit, 0: never
};

struct Projection {
  std::vector<LotProjection> lots;
  std::vector<double> total_hours;  // per year
  int first_failing_year = 0;       // 0: none within the years
  // The re-plan in the first failing year (keep_from = the plan): share of hours kept and
  // the hours that would change lot; -1 when not re-planned.
  double replan_kept_share = -1;
  double replan_changed_hours = -1;
  bool replan_feasible = false;
  // Lots mode: the re-plan held every lot to the base year's band (true), or, when that band
  // cannot hold the grown hours, re-planned the same number of lots at the grown mean.
  bool replan_base_band = false;
  int replan_lots = 0;
  Plan replan;
};

Projection project_plan(const Study& study, const Plan& plan,
                        const std::vector<GrowthFactor>& growth, const ProjectionOptions& options);

// projection.csv: one row per lot and year.
std::string projection_csv(const Projection& p);

// projection.pdf: a chart per lot (hours by year against its band; flags), and a summary.
void write_projection_pdf(const std::filesystem::path& file, const Projection& p,
                          const std::string& title);

}  // namespace lotwright::geo
