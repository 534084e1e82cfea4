#pragma once
// The one reader of `postcode,lot` files: foreign plans (`evaluate --plan`, `tender --plan`,
// `--baseline`, `[design] keep_from`) leniently, `[design] locked` strictly. Formats in
// docs/outputs.md.
//
// Rules, the same in both modes:
// - columns: `postcode`/`pcd`/`pcds`/`pcd7`/`pcd8`/`id`/`unit` and `lot`/`zone`/`lot_id`/
//   `zone_id`/`area` (any case; extra columns ignored); a missing column is an error;
// - an optional `hub` column: "1" marks the hub postcode of its lot (the first such row of a
//   lot counts), as assignment.csv writes it;
// - cells are trimmed; postcodes are matched as written, then normalised (`po301ae`);
//   rows with neither postcode nor lot are skipped;
// - a lot that is blank or the number 0 means "no lot";
// - a postcode given twice: the first row counts; the same lot again is harmless, a
//   different lot is a conflict.
// strict: an unknown postcode, a row with no lot, a bad lot number, a lot given as a name
// (kAsWritten: a locked lot keeps its number, so it must be given as one) and a conflict
// throw DataError `FILE:LINE: column "COL": ...` at the first such row.
// lenient: those rows are skipped and listed in `problems` (with the postcodes of the study
// that are in no lot), so a foreign plan can always be evaluated.
#include <filesystem>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"

namespace lotwright::geo {

struct PlanCsvOptions {
  bool strict = false;
  // How lot labels become lot numbers (Plan::lot_of, 0-based).
  enum class Numbering {
    // Foreign plans: the labels present are numbered 0..n-1, numbers first in numeric
    // order, then names alphabetically (lots 3, 7, "East" -> 0, 1, 2).
    kCompact,
    // locked / keep_from, whose numbers the design keeps: lot N is lot N (index N-1), so a
    // number must be a whole number from 1; names are numbered after the highest number,
    // alphabetically. Lots no row names are empty.
    kAsWritten,
  };
  Numbering numbering = Numbering::kCompact;
};

// Reads `file` into a plan of `g` (lot_of per unit, kNoLot where no row gives a lot; name[]
// holds the lot names given as names, "" for numbered lots; hub from the `hub` column, else -1;
// tier ""). Problems of a lenient read are appended to `problems` (may be null).
Plan read_plan_csv(const std::filesystem::path& file, const UnitGraph& g,
                   const PlanCsvOptions& options, std::vector<std::string>* problems);

// As read_plan_csv, with the line of the row that counts for each unit (0: none), for
// messages about single postcodes (keep_from against locked).
struct PlanCsvRead {
  Plan plan;
  std::vector<long> line;  // per unit
};
PlanCsvRead read_plan_csv_lines(const std::filesystem::path& file, const UnitGraph& g,
                                const PlanCsvOptions& options, std::vector<std::string>* problems);

// keep_from honoured as far as possible: the postcodes it cannot keep are taken out of
// `keep` (kNoLot: the design places them) and each is reported as
// `KEEP:LINE: postcode X: keep_from puts it in lot 2, but LOCKED:LINE: locks it in lot 1;
// the lock counts` (locked to another lot) or `... but the design has 4 lots` (`lots` > 0,
// lots mode), followed by a summary line. Empty when everything can be kept.
std::vector<std::string> reconcile_keep_from(const std::filesystem::path& keep_file,
                                             PlanCsvRead& keep, const UnitGraph& g,
                                             const std::filesystem::path& locked_file,
                                             const PlanCsvRead* locked, int lots);

// A foreign plan: lenient, compact numbering.
Plan read_plan_csv(const std::filesystem::path& file, const UnitGraph& g,
                   std::vector<std::string>* problems);

}  // namespace lotwright::geo
