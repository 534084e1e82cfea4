#pragma once
// The [tender] table of the configuration (reference in docs/configuration.md and
// docs/tender.md). Study's load_config accepts the table; this module reads it.
#include <optional>
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
  // Whether price_low / price_high were given in [tender] (false: the Worcestershire 2023
  // defaults above, labelled as such in the schedule and warned about by run / tender).
  bool price_low_given = false;
  bool price_high_given = false;
  // Publication date of the OCDS release, "YYYY-MM-DD"; "" = not given: publication_date()
  // derives it from start_date (reproducible, never the clock).
  std::string publication_date;
  // OCDS lots extension tender.lotDetails (optional: absent when not given).
  std::optional<int> max_lots_bid_per_supplier;
  std::optional<int> max_lots_awarded_per_supplier;
  // Roles per tier; empty means the defaults: lead 60% + two secondaries 20% each in
  // lots mode; West Sussex style by tier name otherwise (see docs/configuration.md).
  std::vector<TierRolesConfig> roles;
};

// Reads [tender] from config.file (the defaults when there is no table, or no file: a
// Config made in code), buyer defaulting to "<area name> Council". Throws DataError naming
// the file, the line and the key, as load_config does for the other tables.
TenderConfig load_tender_config(const geo::Config& config);

// Months between the derived publication date and start_date when [tender]
// publication_date is not given.
inline constexpr int kDefaultNoticeMonths = 6;

// The OCDS release date, "YYYY-MM-DD": [tender] publication_date, else start_date minus
// kDefaultNoticeMonths months (the day clamped to the month's last day).
std::string publication_date(const TenderConfig& tc);

// Where the default prices come from (the schedule's Assumptions note them as defaults).
inline constexpr const char* kDefaultPriceSource =
    "Worcestershire County Council, independence-focused domiciliary care (May 2023), para. 6: "
    "2023/24 prices \u00a320.64\u2013\u00a325.02 an hour";

// Warnings for run / tender: default prices applied, publication date derived.
std::vector<std::string> tender_config_warnings(const TenderConfig& tc);

}  // namespace lotwright::tender
