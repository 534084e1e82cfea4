// load_tender_config: the [tender] table, read with study's ConfigReader so the messages
// match every other table of the configuration.
#include "lotwright/tender/config.hpp"

#include <algorithm>
#include <cmath>
#include <system_error>

#include "lotwright/study/config_reader.hpp"

namespace lotwright::tender {
namespace {

using Reader = geo::ConfigReader;

// Sane bounds (docs/robustness.md): far beyond any real tender, low enough that every
// figure made from them (a lot's value over the contract) stays exact and finite.
constexpr double kMaxPricePerHour = 1000;  // GBP an hour; real rates are 20-40
constexpr std::int64_t kMaxYears = 25;     // contract or extension years

void read_tender(Reader& r, TenderConfig& tc, const geo::Config& config) {
  r.str("buyer", tc.buyer);
  r.str("ocid_prefix", tc.ocid_prefix);
  r.number("price_low", tc.price_low, 0, kMaxPricePerHour);
  r.number("price_high", tc.price_high, 0, kMaxPricePerHour);
  if (tc.price_high < tc.price_low)
    r.fail(r.get("price_high"), "price_high",
           "expected a price >= price_low (" + std::to_string(tc.price_low) + ")");
  r.number("rural_enhancement", tc.rural_enhancement, 0, 10);
  r.number("hours_per_worker", tc.hours_per_worker, 1, 168);
  std::int64_t years = tc.contract_years, ext = tc.extension_years;
  r.integer("contract_years", years, 1, kMaxYears);
  r.integer("extension_years", ext, 0, kMaxYears);
  tc.contract_years = static_cast<int>(years);
  tc.extension_years = static_cast<int>(ext);
  r.str("start_date", tc.start_date);
  {
    const auto& s = tc.start_date;
    const bool ok =
        s.size() == 10 && s[4] == '-' && s[7] == '-' &&
        std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    if (!ok) r.fail(r.get("start_date"), "start_date", "expected a date \"YYYY-MM-DD\"");
  }
  r.str("currency", tc.currency);
  if (const toml::array* roles = r.array_of_tables("roles")) {
    for (const toml::node& n : *roles) {
      Reader t(r.file(), *n.as_table(), r.full("roles"));
      TierRolesConfig trc;
      t.str("tier", trc.tier);
      if (!trc.tier.empty()) {
        std::string names;
        bool known = false;
        for (const auto& tier : config.design.tiers) {
          known = known || tier.name == trc.tier;
          names += (names.empty() ? "\"" : ", \"") + tier.name + "\"";
        }
        if (!known)
          t.fail(t.get("tier"), "tier",
                 "no tier \"" + trc.tier.substr(0, 60) + "\" in [[design.tiers]]" +
                     (names.empty() ? std::string(" (the design uses lots = N, not tiers)")
                                    : " (the tiers are " + names + ")"));
      }
      const toml::node* list = t.get("roles");
      if (!list) {
        t.missing("roles", "a list like [{ name = \"Lead\", share = 0.6 }, ...]");
        t.finish();
      }
      const toml::array* arr = list->as_array();
      if (!arr || arr->empty())
        t.fail(list, "roles", "expected a non-empty list of { name = \"...\", share = 0.6 }");
      double sum = 0;
      for (const toml::node& rn : *arr) {
        const toml::table* rt = rn.as_table();
        if (!rt) t.fail(&rn, "roles", "expected each role as { name = \"...\", share = 0.6 }");
        Reader role(r.file(), *rt, t.full("roles"));
        RoleConfig rc;
        role.str("name", rc.name, true);
        if (!role.has("share")) role.missing("share", "the role's share of the lot's hours, 0..1");
        role.number("share", rc.share, 0, 1);
        role.finish();
        sum += rc.share;
        trc.roles.push_back(rc);
      }
      if (std::abs(sum - 1.0) > 1e-6)
        t.fail(list, "roles", "the shares add up to " + std::to_string(sum) + ", expected 1");
      t.finish();
      for (const auto& other : tc.roles)
        if (other.tier == trc.tier)
          t.fail(t.get("tier"), "tier", "roles for tier \"" + trc.tier + "\" are given twice");
      tc.roles.push_back(trc);
    }
  }
  r.finish();
}

}  // namespace

TenderConfig load_tender_config(const geo::Config& config) {
  TenderConfig tc;
  std::error_code ec;
  if (!config.file.empty() && std::filesystem::is_regular_file(config.file, ec)) {
    const toml::table root = geo::parse_toml_file(config.file);
    if (const toml::node* n = root.get("tender")) {
      if (const toml::table* t = n->as_table()) {
        Reader r(config.file, *t, "tender");
        read_tender(r, tc, config);
      }
    }
  }
  if (tc.buyer.empty()) tc.buyer = config.area.name + " Council";
  return tc;
}

}  // namespace lotwright::tender
