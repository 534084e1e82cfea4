#pragma once
// The [tender] table of the configuration (reference in docs/configuration.md and
// docs/tender.md). Study's load_config accepts the table; this module reads it.
#include <string>
#include <vector>

#include "lotwright/study/config.hpp"

namespace lotwright::tender {

struct RoleConfig {
  std::string name;  // "Lead", "Secondary"
  double share = 0;  // of the zone's hours, 0..1
};

struct TierRolesConfig {
  std::string tier;  // tier name ("" = lots mode / any)
  std::vector<RoleConfig> roles;
};

struct TenderConfig {
  std::string buyer = "";  // default: "<area name> Council"
  std::string ocid_prefix = "ocds-lotwright";
  double price_low = 20.64;  // £ per hour (Worcestershire 2023)
  double price_high = 25.02;
  double rural_enhancement = 0.10;  // share added to the price for rural hours
  double hours_per_worker = 30;     // contact hours a care worker gives a week
  int contract_years = 5;
  int extension_years = 2;
  std::string start_date = "2027-04-01";
  std::string currency = "GBP";
  // Roles per tier; empty means the defaults: lead 60% + two secondaries 20% each in
  // lots mode; West Sussex style by tier name otherwise (see docs/configuration.md).
  std::vector<TierRolesConfig> roles;
};

// Reads [tender] from config.file (the defaults when there is no table, or no file: a
// Config made in code), buyer defaulting to "<area name> Council". Throws DataError naming
// the file, the line and the key, as load_config does for the other tables.
TenderConfig load_tender_config(const geo::Config& config);

}  // namespace lotwright::tender
