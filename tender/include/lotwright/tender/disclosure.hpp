#pragma once
// Disclosure control for provider-facing outputs (docs/disclosure.md): demand by postcode
// sector; customer counts under 5 suppressed; hours rounded to the nearest 5; secondary
// suppression so lot totals cannot reveal a suppressed cell; never a full postcode.
#include <optional>
#include <string>
#include <vector>

#include "lotwright/geo/network.hpp"
#include "lotwright/geo/plan.hpp"

namespace lotwright::tender {

inline constexpr int kMinCustomers = 5;

struct SectorDemand {
  std::string sector;  // "PO30 1"
  int lot = -1;        // 0-based lot holding most of the sector's hours; -1 none
  std::optional<double> hours;      // rounded to 5; empty when suppressed
  std::optional<long> customers;    // empty when suppressed
  bool suppressed = false;
  geo::Point centre;                // hours-weighted centre of the sector (for maps)
};

std::vector<SectorDemand> provider_demand(const geo::UnitGraph& g, const geo::Plan& plan);

}  // namespace lotwright::tender
