#pragma once
// The pack's naming, the one place for it (docs/tender.md "Zones and lots"): a ZONE is a
// geographic area (a plan lot, numbered 1..n: "Zone 3"); a LOT is zone x role, what a
// provider bids for ("Lot 3a"). The schedule, the PDF, the GIS layers, OCDS, the provider
// package and the viewer all name zones and lots through these functions.
#include <string>

#include "lotwright/core/plan.hpp"

namespace lotwright::tender {

// The plan's own name for a zone (plan lot, 0-based): "Newport & Cowes"; "" when it has
// none, or only a placeholder that numbers it ("Lot 3", "Zone 3": plan.gpkg without names).
std::string zone_own_name(const geo::Plan& plan, int lot);

// A zone's name as the pack writes it: the plan's own name, or "Zone 3".
std::string zone_name(const geo::Plan& plan, int lot);

// A zone's title: "Zone 3", or "Zone 3 – Newport & Cowes" when it has a name of its own
// (a placeholder name, "Zone 3" or "Lot 3", is not repeated). zone is 1-based. ascii: " - " instead
// of the en dash, for fonts without one (the viewer's).
std::string zone_title(int zone, const std::string& name, bool ascii = false);
// The same for a plan's zone (0-based lot); "unassigned" for a negative lot.
std::string zone_title(const geo::Plan& plan, int lot, bool ascii = false);

// A lot's id: the zone number and the role's letter, "3a" (role 0-based; past 'z' stays
// 'z').
std::string lot_id(int zone, int role);

}  // namespace lotwright::tender
