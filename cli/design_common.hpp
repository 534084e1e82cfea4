#pragma once
// Shared by `design`, `evaluate`, `run` and `tender`: reading locked/keep_from CSVs, designing a
// study, and printing the lot table. Thin: the work is in lotwright::geo.
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lotwright/design/designer.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/study.hpp"

namespace lotwright::cli {

// `postcode,lot` with lot numbers 1-based (names are numbered after the numbers, in
// alphabetical order). strict: unknown postcodes and bad lots are errors (locked.csv);
// otherwise they are reported in `problems` (keep_from, foreign plans).
std::vector<int> read_lot_numbers(const std::filesystem::path& file, const geo::UnitGraph& g,
                                  bool strict, std::vector<std::string>* problems);

struct DesignOutcome {
  geo::Plan plan;
  geo::PlanMetrics metrics;
  geo::DesignReport report;
  geo::DesignConfig design;  // as used (after command-line overrides)
};

// design -> names -> evaluate (with baseline when given).
DesignOutcome design_study(const geo::Study& study, std::optional<int> lots,
                           std::optional<std::uint64_t> seed, const std::filesystem::path& baseline,
                           std::ostream& warn);

// Options for evaluating a plan of the study (bands, hours outside, cell areas and lot
// perimeters). `study` and `design` must outlive the options (they point at them).
geo::EvaluateOptions evaluate_options(const geo::Study& study, const geo::DesignConfig& design);

void print_lot_table(std::ostream& os, const geo::PlanMetrics& m);

// Writes a designed study's plan (assignment.csv, lots.csv, metrics.json, plan.gpkg) into dir.
void write_study_plan(const std::filesystem::path& dir, const geo::Study& study,
                      const DesignOutcome& o);

}  // namespace lotwright::cli
