// load_tender_config: the [tender] table, read with study's ConfigReader so the messages
// match every other table of the configuration.
#include "lotwright/tender/config.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <system_error>

#include "lotwright/study/config_reader.hpp"

namespace lotwright::tender {
namespace {

using Reader = geo::ConfigReader;

bool is_date(const std::string& s) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' ||
      std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return false;
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                     std::chrono::day{unsigned(d)}}
      .ok();
}

void read_date(Reader& r, const char* key, std::string& out) {
  r.str(key, out);
  if (r.has(key) && !is_date(out)) r.fail(r.get(key), key, "expected a date \"YYYY-MM-DD\"");
}

void read_lot_limit(Reader& r, const char* key, std::optional<int>& out) {
  if (!r.has(key)) return;
  std::int64_t v = 1;
  r.integer(key, v, 1);
  out = static_cast<int>(v);
}

// Sane bounds (docs/robustness.md): far beyond any real tender, low enough that every
// figure made from them (a lot's value over the contract) stays exact and finite.
constexpr double kMaxPricePerHour = 1000;  // GBP an hour; real rates are 20-40
constexpr std::int64_t kMaxYears = 25;     // contract or extension years

void read_tender(Reader& r, TenderConfig& tc, const geo::Config& config) {
  r.str("buyer", tc.buyer);
  r.str("ocid_prefix", tc.ocid_prefix);
  tc.price_low_given = r.has("price_low");
  tc.price_high_given = r.has("price_high");
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
  read_date(r, "publication_date", tc.publication_date);
  if (!tc.publication_date.empty() && tc.publication_date > tc.start_date)
    r.fail(r.get("publication_date"), "publication_date",
           "expected a date on or before start_date (" + tc.start_date + ")");
  read_lot_limit(r, "max_lots_bid_per_supplier", tc.max_lots_bid_per_supplier);
  read_lot_limit(r, "max_lots_awarded_per_supplier", tc.max_lots_awarded_per_supplier);
  if (tc.max_lots_bid_per_supplier && tc.max_lots_awarded_per_supplier &&
      *tc.max_lots_awarded_per_supplier > *tc.max_lots_bid_per_supplier)
    r.fail(r.get("max_lots_awarded_per_supplier"), "max_lots_awarded_per_supplier",
           "expected at most max_lots_bid_per_supplier (" +
               std::to_string(*tc.max_lots_bid_per_supplier) + ")");
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

std::string publication_date(const TenderConfig& tc) {
  if (!tc.publication_date.empty()) return tc.publication_date;
  namespace chr = std::chrono;
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(tc.start_date.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return tc.start_date;
  chr::year_month_day ymd = chr::year_month_day{chr::year{y}, chr::month{m}, chr::day{d}} -
                            chr::months{kDefaultNoticeMonths};
  if (!ymd.ok()) ymd = chr::year_month_day{ymd.year() / ymd.month() / chr::last};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string default_price_text() {
  const TenderConfig d;
  char buf[96];
  std::snprintf(buf, sizeof buf, "\u00a3%.2f\u2013\u00a3%.2f an hour", d.price_low, d.price_high);
  return buf;
}

std::vector<std::string> tender_config_warnings(const TenderConfig& tc) {
  std::vector<std::string> w;
  if (!tc.price_low_given || !tc.price_high_given)
    w.push_back("[tender] " +
                std::string(!tc.price_low_given && !tc.price_high_given ? "price_low and price_high"
                            : !tc.price_low_given                       ? "price_low"
                                                                        : "price_high") +
                " not set: the schedule's values use the Worcestershire 2023 default (" +
                default_price_text() + "); set the prices of your own market");
  if (tc.publication_date.empty())
    w.push_back("[tender] publication_date not set: the OCDS release is dated " +
                publication_date(tc) + ", " + std::to_string(kDefaultNoticeMonths) +
                " months before start_date " + tc.start_date);
  return w;
}

}  // namespace lotwright::tender
