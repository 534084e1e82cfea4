#include "lotwright/tender/naming.hpp"

#include <algorithm>

namespace lotwright::tender {

namespace {
// "Lot 3" (plan.gpkg without names) or "Zone 3": a name that only numbers the zone.
bool placeholder(const std::string& name, int zone) {
  const std::string number = std::to_string(zone);
  return name.empty() || name == "Lot " + number || name == "Zone " + number;
}
}  // namespace

std::string zone_own_name(const geo::Plan& plan, int lot) {
  if (lot < 0 || static_cast<std::size_t>(lot) >= plan.name.size()) return "";
  const std::string& name = plan.name[static_cast<std::size_t>(lot)];
  return placeholder(name, lot + 1) ? "" : name;
}

std::string zone_name(const geo::Plan& plan, int lot) {
  const std::string own = zone_own_name(plan, lot);
  return own.empty() ? "Zone " + std::to_string(lot + 1) : own;
}

std::string zone_title(int zone, const std::string& name, bool ascii) {
  const std::string title = "Zone " + std::to_string(zone);
  if (placeholder(name, zone)) return title;
  return title + (ascii ? " - " : " \u2013 ") + name;
}

std::string zone_title(const geo::Plan& plan, int lot, bool ascii) {
  if (lot < 0) return "unassigned";
  return zone_title(lot + 1, zone_own_name(plan, lot), ascii);
}

std::string lot_id(int zone, int role) {
  return std::to_string(zone) + static_cast<char>('a' + std::clamp(role, 0, 25));
}

}  // namespace lotwright::tender
