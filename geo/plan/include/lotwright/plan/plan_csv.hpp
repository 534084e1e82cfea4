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
// strict: an unknown postcode, a row with no lot, a bad lot number and a conflict throw
// DataError `FILE:LINE: column "COL": ...` at the first such row.
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

// A foreign plan: lenient, compact numbering.
Plan read_plan_csv(const std::filesystem::path& file, const UnitGraph& g,
                   std::vector<std::string>* problems);

}  // namespace lotwright::geo
