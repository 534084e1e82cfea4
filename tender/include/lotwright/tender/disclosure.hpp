#pragma once
// Disclosure control for provider-facing outputs (docs/disclosure.md): demand by postcode
// sector; customer counts under 5 suppressed; hours rounded to the nearest 5; secondary
// suppression so lot totals cannot reveal a suppressed cell; never a full postcode.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"

namespace lotwright::tender {

inline constexpr int kMinCustomers = 5;
inline constexpr double kRoundHours = 5;

// ---- The one disclosure function (docs/disclosure.md) ----
// Everything published (schedule, PDF, GIS layers, OCDS, provider CSV and provider.gpkg)
// takes its demand figures from publish_table; the zone figures of the Schedule are its
// group totals, so every file shows the same numbers.
//
// A table is cells in groups (a group = one published total, e.g. the sectors of a zone).
//  - Primary: a cell is suppressed when it has hours or customers but fewer than 5
//    customers (1..4, and also 0 or a fraction with hours: someone is there).
//  - Secondary: in each group, while the suppressed cells together have fewer than 5
//    customers, the unsuppressed cell with the fewest customers (ties: lowest index; cells
//    without customers last) is suppressed too. The suppressed cells of a group are then
//    published only together, as one "combined" figure of 5 or more customers, so a group
//    total minus its published cells gives that combined figure and nothing smaller.
//  - Rounding: the group's hours are rounded to 5 and its customers to 5 (under 5:
//    suppressed); the published cells plus the combined figure are rounded to multiples of
//    5 that add up EXACTLY to the group's published figures (largest remainder), so
//    every sum of a table agrees with its total.
struct CellIn {
  double hours = 0;
  double customers = 0;
  int group = 0;
};
struct CellOut {
  bool suppressed = false;
  std::optional<double> hours;    // multiple of 5; empty when suppressed
  std::optional<long> customers;  // multiple of 5; empty when suppressed
};
struct GroupOut {
  double hours = 0;                        // rounded to 5 (the group's published hours)
  std::optional<long> customers;           // rounded to 5; empty under 5
  bool small = false;                      // the whole group has fewer than 5 customers
  int suppressed_cells = 0;                // cells published only in `combined`
  std::optional<double> combined_hours;    // the suppressed cells together; empty if none
  std::optional<long> combined_customers;  // (empty also when the group is small)
};
struct PublishedTable {
  std::vector<CellOut> cells;      // per input cell
  std::map<int, GroupOut> groups;  // per group id
};
PublishedTable publish_table(const std::vector<CellIn>& cells);

// Test hook, never for a real pack: switches secondary suppression off in this process, so
// a zone's "(suppressed sectors)" figure may be a single small cell. published_test uses it
// to show that its differencing attack then recovers such cells (docs/disclosure.md). No
// command, option, environment variable or config key calls it: a pack written by the CLI
// or the viewer is always fully suppressed.
void set_secondary_suppression_for_tests(bool on);
bool secondary_suppression_on();

// A cell that must not be published on its own: fewer than 5 customers with some demand.
bool is_small_cell(double hours, double customers);

// Rounds values to multiples of `base` that add up to round(sum / base) * base, by largest
// remainder (ties: lowest index). Each value goes to the multiple just below or above it.
std::vector<double> controlled_round(const std::vector<double>& values, double base);

// Demand by postcode sector and zone: one row per zone x sector it touches (sorted by
// sector, then zone), then one "(suppressed sectors)" row per zone holding the combined
// figures of its suppressed rows. Units whose id is not a postcode are grouped under the
// sector "(other)". Per zone, the rows' hours (combined row included) add up to the zone's
// published hours, and the customers to its published customers.
inline constexpr const char* kSuppressedSectors = "(suppressed sectors)";
struct SectorDemand {
  std::string sector;             // "PO30 1", or kSuppressedSectors
  int lot = -1;                   // 0-based zone (plan lot) of this row; -1 unassigned
  std::optional<double> hours;    // multiple of 5; empty when suppressed
  std::optional<long> customers;  // multiple of 5; empty when suppressed
  bool suppressed = false;
  bool combined = false;  // the zone's suppressed rows together
  geo::Point centre;      // hours-weighted centre of the sector's part in the zone (maps)
};
std::vector<SectorDemand> provider_demand(const geo::UnitGraph& g, const geo::Plan& plan);

// The published figures of each zone (plan lot): publish_table's group totals over the
// zone's sector cells, plus the rural split and unmet hours, disclosure-controlled.
struct ZoneFigures {
  double hours = 0;               // rounded to 5
  std::optional<long> customers;  // rounded to 5; empty under 5
  // Rural hours as published: the sum of the zone's rural-class bars (rural_class_demand),
  // so the rural/urban split never isolates a class with fewer than 5 customers.
  double rural_hours = 0;
  // Unmet hours rounded to 5; empty (not published) when fewer than 5 customers have unmet
  // hours in the zone.
  std::optional<double> unmet_hours;
};
std::vector<ZoneFigures> zone_figures(const geo::UnitGraph& g, const geo::Plan& plan);

// Hours rounded to the nearest 5 (halves up).
double round_hours(double hours);
// A customer count as providers may see it: rounded to the nearest 5; empty under 5.
// (0 customers stays 0.)
std::optional<long> disclosed_customers(double customers);

// Hours of one zone by rural class (for the zone maps' chart): publish_table over the
// zone's classes; the suppressed classes are one combined row "D1+E2" (cls joined by '+',
// rural when most of its hours are rural). The rows add up to the zone's published hours.
// A zone with fewer than 5 customers has one suppressed row.
struct ClassDemand {
  std::string cls;  // "C1", "D1", ... ; "unknown" when a unit has no class; "D1+E2" combined
  bool rural = false;
  std::optional<double> hours;  // rounded to 5; empty when suppressed
  bool suppressed = false;
};
std::vector<ClassDemand> rural_class_demand(const geo::UnitGraph& g, const geo::Plan& plan,
                                            int lot);

// provider-demand.csv: sector,zone,zone_name,customers,hours,suppressed (suppressed cells
// left empty; the zone's "(suppressed sectors)" row has their combined figures).
// zone_names: per zone (Schedule::zone_names()).
std::string provider_demand_csv(const std::vector<SectorDemand>& rows,
                                const std::vector<std::string>& zone_names);

}  // namespace lotwright::tender
