#pragma once
// Disclosure control for provider-facing outputs (docs/disclosure.md): demand by postcode
// sector; customer counts under 5 suppressed; hours rounded to the nearest 5; secondary
// suppression so lot totals cannot reveal a suppressed cell; never a full postcode.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"

namespace lotwright::tender {

inline constexpr int kMinCustomers = 5;
inline constexpr double kRoundHours = 5;

struct SectorDemand {
  std::string sector;             // "PO30 1"
  int lot = -1;                   // 0-based lot holding most of the sector's hours; -1 none
  std::optional<double> hours;    // rounded to 5; empty when suppressed
  std::optional<long> customers;  // empty when suppressed
  bool suppressed = false;
  geo::Point centre;  // hours-weighted centre of the sector (for maps)
};

// One row per postcode sector (sorted by sector). Units whose id is not a postcode are
// grouped under the sector "(other)". Suppression: see suppress_cells.
std::vector<SectorDemand> provider_demand(const geo::UnitGraph& g, const geo::Plan& plan);

// Primary and secondary suppression over cells in groups (a group = the cells that add up
// to one published total, e.g. the sectors of a lot). A cell is suppressed when it has
// 1..4 customers (primary). Then, in any group with exactly one suppressed cell, the
// unsuppressed cell with the fewest customers (ties: lowest index) is suppressed too, so
// the group total minus the published cells never reveals a single suppressed cell.
// Cells with 0 customers are never suppressed and never chosen as secondary when another
// cell exists. Returns the suppressed flag per cell.
std::vector<bool> suppress_cells(const std::vector<double>& customers,
                                 const std::vector<int>& group);

// Hours rounded to the nearest 5 (halves up).
double round_hours(double hours);
// A customer count as providers may see it: rounded to the nearest 5; empty under 5.
// (0 customers stays 0.)
std::optional<long> disclosed_customers(double customers);

// Hours of one lot by rural class (for the zone maps' chart). Classes with 1..4 customers
// are combined into one row "D1+E2" (cls joined by '+'); while that row has fewer than 5
// customers the class with the fewest joins it. Hours rounded to 5. A combined row that
// still has fewer than 5 customers is suppressed (hours empty).
struct ClassDemand {
  std::string cls;  // "C1", "D1", ... ; "unknown" when a unit has no class; "D1+E2" combined
  bool rural = false;
  std::optional<double> hours;  // rounded to 5; empty when suppressed
  bool suppressed = false;
};
std::vector<ClassDemand> rural_class_demand(const geo::UnitGraph& g, const geo::Plan& plan,
                                            int lot);

// provider-demand.csv: sector,zone,zone_name,customers,hours,suppressed (suppressed cells
// left empty). Zone totals are in the lot schedule.
// zone_names: per lot (Schedule::zone_names()).
std::string provider_demand_csv(const std::vector<SectorDemand>& rows,
                                const std::vector<std::string>& zone_names);

}  // namespace lotwright::tender
