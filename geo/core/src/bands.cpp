#include "lotwright/core/bands.hpp"

#include <algorithm>

namespace lotwright::geo {

std::optional<Band> equal_hours_band(double hours, int lots, double tolerance) {
  if (lots <= 0) return std::nullopt;
  const double mean = hours / lots;
  if (!(mean > 0)) return std::nullopt;
  return Band{mean - tolerance * mean, mean + tolerance * mean};
}

bool within_band(double hours, const Band& band) {
  const double slack = 1e-9 * std::max(band.hi - band.lo, 0.0) / 2 + 1e-9;
  return hours >= band.lo - slack && hours <= band.hi + slack;
}

double hours_outside(double hours, const Band& band) {
  if (hours < band.lo) return band.lo - hours;
  if (hours > band.hi) return hours - band.hi;
  return 0;
}

}  // namespace lotwright::geo
