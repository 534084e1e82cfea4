#pragma once
// The lot colours, one palette for every output: the viewer, the QGIS style in plan.gpkg and
// the tender PDF maps. 20 qualitative colours (Tableau 20 without its greys, plus four of
// Kelly's), ordered so neighbouring lot numbers differ strongly; lot 1 is blue. Past 20 lots
// the colours repeat as darker variants (x 0.75 per round: lot 21 is lot 1 at 75%).
#include <cstdint>
#include <string>

namespace lotwright::geo {

struct LotRgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const LotRgb&) const = default;
};

inline constexpr int kPaletteSize = 20;

// Colour of a lot by its 0-based index (lot 1 -> 0); negative (unassigned): light grey.
LotRgb lot_rgb(int lot);
// "#1f77b4" for lot 0.
std::string lot_hex(int lot);

}  // namespace lotwright::geo
