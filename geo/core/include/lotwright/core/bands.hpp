#pragma once
// The one hours-band rule (docs/metrics.md): a lot is within its band when its hours lie
// between the band's edges, edges included, with a rounding slack of 1e-9 of the band's
// half-width plus 1e-9 h. Lots mode: the band is the mean hours per lot ± tolerance;
// tiers mode: the tier's [min_hours, max_hours].
#include <optional>

namespace lotwright::geo {

struct Band {
  double lo = 0;
  double hi = 0;
};

// Lots mode: `hours` shared equally by `lots` lots ± tolerance (0.05 = ±5%). None when there
// are no lots or no hours (then no lot is within a band).
std::optional<Band> equal_hours_band(double hours, int lots, double tolerance);

// Tiers mode: the tier's band as configured.
inline Band tier_band(double min_hours, double max_hours) { return {min_hours, max_hours}; }

bool within_band(double hours, const Band& band);

// Hours below lo or above hi (0 inside the band, slack not applied).
double hours_outside(double hours, const Band& band);

}  // namespace lotwright::geo
