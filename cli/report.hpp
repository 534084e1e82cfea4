#pragma once
// What the commands print: the lot table and warnings. Presentation only; the figures come
// from lotwright::geo.
#include <ostream>
#include <string>
#include <vector>

#include "lotwright/metrics/metrics.hpp"

namespace lotwright::cli {

// One row per lot (hours, deviation, units, pieces, travel), the totals and the kept share.
void print_lot_table(std::ostream& os, const geo::PlanMetrics& m);

// The care-round figures per lot and for the county (docs/metrics.md "Care rounds"), as
// lots.csv has them; nothing when they were not estimated. print_lot_table ends with it.
void print_rounds_table(std::ostream& os, const geo::PlanMetrics& m);

// The certificate (lower bound and gap) when computed, and for a plan that misses a hard
// constraint: why (proved or not found), the violating postcodes with exact minutes, and the
// relaxations measured to work. Returns the exit code: 0 feasible, 1 not.
int print_outcome(std::ostream& os, const geo::PlanMetrics& m, const std::string& reason);

// "lotwright COMMAND: warning: ..." for each.
void print_warnings(std::ostream& os, const std::string& command,
                    const std::vector<std::string>& warnings);

}  // namespace lotwright::cli
