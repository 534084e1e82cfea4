#pragma once
// What the commands print: the lot table and warnings. Presentation only; the figures come
// from lotwright::geo.
#include <ostream>
#include <string>
#include <vector>

#include "lotwright/core/text.hpp"
#include "lotwright/design/designer.hpp"
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
int print_outcome(std::ostream& os, const geo::PlanMetrics& m, const geo::DesignReport& report);

// "1 postcode", "2 postcodes", "12,345 postcodes": core/text.hpp, the one plural rule of the
// library's messages and the command line's.
using geo::plural;

// 100000 -> "100,000"; 2.5 -> "2.5"; 0.05 -> "0.05": numbers as people write them in ranges.
std::string human_number(double v);

// Messages never echo a huge value whole: each run of over 200 characters without a space or quote
// is cut to its first 60 and "... (N characters)", and the message to at most 2,000 characters.
std::string cut_long_values(const std::string& message);

// A path or word as a POSIX shell reads it back: as is when plain, else in single quotes.
std::string shell_quote(const std::string& word);

// The name closest to `word` by edit distance, or "" when none is near (more than a third of
// the letters differ): for "did you mean" hints.
std::string closest_name(const std::string& word, const std::vector<std::string>& names);

// What the command line changed of the config's [design]: "lots 8 (config 6), seed 3
// (config 1)"; "" when nothing.
std::string overrides_summary(const geo::DesignConfig& config, const geo::DesignConfig& used);

// "lotwright COMMAND: warning: ..." for each (long values cut).
void print_warnings(std::ostream& os, const std::string& command,
                    const std::vector<std::string>& warnings);

}  // namespace lotwright::cli
