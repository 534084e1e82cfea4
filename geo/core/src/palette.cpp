#include "lotwright/core/palette.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace lotwright::geo {
namespace {

constexpr std::array<LotRgb, kPaletteSize> kPalette = {{
    {31, 119, 180},  {255, 127, 14},  {44, 160, 44},   {214, 39, 40},   {148, 103, 189},
    {140, 86, 75},   {227, 119, 194}, {188, 189, 34},  {23, 190, 207},  {174, 199, 232},
    {255, 187, 120}, {152, 223, 138}, {255, 152, 150}, {197, 176, 213}, {196, 156, 148},
    {247, 182, 210}, {219, 219, 141}, {158, 218, 229}, {0, 125, 52},    {246, 118, 142},
}};

}  // namespace

LotRgb lot_rgb(int lot) {
  if (lot < 0) return {205, 205, 205};
  const LotRgb base = kPalette[static_cast<std::size_t>(lot % kPaletteSize)];
  const int round = lot / kPaletteSize;
  if (round == 0) return base;
  const double f = std::pow(0.75, round);
  return {static_cast<std::uint8_t>(base.r * f), static_cast<std::uint8_t>(base.g * f),
          static_cast<std::uint8_t>(base.b * f)};
}

std::string lot_hex(int lot) {
  const LotRgb c = lot_rgb(lot);
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

}  // namespace lotwright::geo
