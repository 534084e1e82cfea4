#pragma once
// The map of what changed between two plans (`lotwright compare --out`, docs/scenarios.md):
// one A4 landscape page with the cells of the postcodes that change lot coloured by their
// move (lot of A -> lot of B, one colour per move, largest first), plan A's lot boundaries
// dashed and plan B's solid over them, B's lot numbers, main roads and towns; the panel
// gives the hours that change lot and a legend of the moves with their hours. Written as
// PDF and as PNG (the same drawing). It lives in tender beside the zone maps it shares its
// drawing with; the comparison itself is geo::compare_plans (plan/compare.hpp).
#include <filesystem>
#include <string>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/plan/compare.hpp"
#include "lotwright/study/roads.hpp"
#include "lotwright/study/units.hpp"

namespace lotwright::tender {

struct ChangeMapInputs {
  const geo::UnitGraph* graph = nullptr;
  const geo::Units* units = nullptr;        // the cells (required)
  const geo::RoadNetwork* roads = nullptr;  // main roads and places; may be null
  const geo::Plan* a = nullptr;
  const geo::Plan* b = nullptr;
  const geo::PlanComparison* comparison = nullptr;  // compare_plans(a, b)
  std::string area;                                 // "Isle of Wight"
  std::string label_a, label_b;                     // what A and B are (file names)
};

// The moves drawn in their own colour (the largest by hours); smaller ones share one grey.
inline constexpr int kChangeMapMoves = 12;

// Writes the map as a one-page PDF and the same page as a PNG `png_width_px` wide, each
// atomically (an empty path skips that file). DataError naming the file on failure.
void write_change_map(const std::filesystem::path& pdf, const std::filesystem::path& png,
                      const ChangeMapInputs& in, int png_width_px = 1600);

}  // namespace lotwright::tender
