#pragma once
// Locked postcodes that no hub can serve together (issue 18): checked before the design, so the
// error names the locked file, its lines and the postcodes instead of a travel-limit failure
// of the plan found.
#include <filesystem>

#include "lotwright/core/network.hpp"
#include "lotwright/plan/plan_csv.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/roads.hpp"

namespace lotwright::geo {

// Throws DataError
//   `LOCKED:LINE: column "lot": postcode B is locked in lot 1 with postcode A (line 2), but no
//   postcode lies within the travel limit of 25 min of both (A to B: 48.2 min by road); ...`
// when the postcodes with hours locked in one lot have no common hub within the travel limit
// (lots mode: max_travel_minutes; tiers mode: the most generous tier's, as the lot's tier is
// not known yet). Proved, never guessed: a hub h qualifies only when road times from h reach
// them all within the limit, and the hubs tried are every postcode not ruled out by straight
// lines (no route is faster than the fastest road of `roads`: straight-line metres over its
// speed). Does nothing without roads, without a finite limit, or when the candidates are too
// many to try cheaply (the designer then reports what it finds).
void check_locked_hubs(const UnitGraph& g, const RoadNetwork* roads, const DesignConfig& design,
                       const std::filesystem::path& locked_file, const PlanCsvRead& locked);

}  // namespace lotwright::geo
