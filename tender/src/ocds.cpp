// ocds-lots.json: an OCDS 1.1 release package with one planned tender whose lots are the
// schedule's zone x role rows (lots, location and renewal extensions).
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "internal.hpp"
#include "lotwright/core/error.hpp"
#include "text.hpp"

namespace lotwright::tender::detail {

namespace {

using Json = nlohmann::ordered_json;
namespace chr = std::chrono;

chr::year_month_day parse_date(const std::string& text, const std::filesystem::path& config) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) == 3) {
    chr::year_month_day ymd{chr::year{y}, chr::month{m}, chr::day{d}};
    if (ymd.ok()) return ymd;
  }
  throw geo::DataError(geo::where(config) + "[tender] start_date \"" + text +
                       "\": expected a date YYYY-MM-DD");
}

std::string iso(chr::year_month_day d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT00:00:00Z", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

// start + years; 29 February becomes 28 February in a common year.
chr::year_month_day add_years(chr::year_month_day start, int years) {
  chr::year_month_day d = start + chr::years{years};
  return d.ok() ? d : chr::year_month_day{d.year() / d.month() / chr::last};
}

// The period from start for `years` years (end = the day before the anniversary).
Json period(chr::year_month_day start, int years) {
  const chr::year_month_day anniversary = add_years(start, years);
  const chr::sys_days end = chr::sys_days{anniversary} - chr::days{1};
  Json p;
  p["startDate"] = iso(start);
  p["endDate"] = iso(chr::year_month_day{end});
  p["durationInDays"] = (chr::sys_days{anniversary} - chr::sys_days{start}).count();
  return p;
}

std::string slug(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "area" : out;
}

Json value(double amount, const std::string& currency) {
  return Json{{"amount", std::round(amount)}, {"currency", currency}};
}

}  // namespace

std::string ocds_json(const PackContext& ctx) {
  const geo::Config& cfg = *ctx.in->config;
  const auto& t = ctx.in->tender;
  const Schedule& s = ctx.schedule;
  const auto start = parse_date(t.start_date, cfg.file);
  const int years = t.contract_years + t.extension_years;
  const std::string id = slug(cfg.area.name) + "-home-care-" + t.start_date;
  const std::string ocid = t.ocid_prefix + "-" + id;
  const std::string buyer_id = "buyer-" + slug(t.buyer);
  const std::string published = iso(start);

  std::vector<geo::Point> centres;
  if (ctx.has_geometry()) centres = to_wgs84(ctx.zone_labels);

  Json lots = Json::array(), items = Json::array();
  for (const LotRow& r : s.lots) {
    const Zone& z = s.zones[r.zone - 1];
    std::string where = z.name;
    if (!r.places.empty() && r.places != z.name) where += " (" + r.places + ")";
    Json lot;
    lot["id"] = r.lot_id;
    lot["title"] = r.title();
    lot["description"] =
        r.role + " provider for zone " + std::to_string(r.zone) + ", " + where + ": " +
        fixed(r.share * 100, 0) + "% of the zone's estimated " + grouped(z.hours, 0) +
        " weekly hours of home care (about " + grouped(r.weekly_hours, 0) + " hours a week, " +
        grouped(r.annual_hours, 0) + " a year, estimated " + money(r.value_low) + "\u2013" +
        money(r.value_high) + " a year including the rural enhancement).";
    lot["status"] = "planned";
    lot["value"] = value(r.value_high * years, t.currency);
    lot["contractPeriod"] = period(start, t.contract_years);
    lot["hasRenewal"] = t.extension_years > 0;
    if (t.extension_years > 0) {
      Json renewal;
      renewal["description"] =
          "Optional extension of up to " + std::to_string(t.extension_years) + " year(s).";
      renewal["maximumRenewals"] = 1;
      renewal["period"] = period(add_years(start, t.contract_years), t.extension_years);
      lot["renewal"] = renewal;
    }
    lots.push_back(lot);

    Json item;
    item["id"] = "item-" + r.lot_id;
    item["description"] = "Home care (domiciliary care) hours, " + r.title();
    item["classification"] = {{"scheme", "CPV"},
                              {"id", "85312000"},
                              {"description", "Social work services without accommodation"}};
    item["additionalClassifications"] =
        Json::array({{{"scheme", "CPV"},
                      {"id", "85000000"},
                      {"description", "Health and social work services"}}});
    item["quantity"] = std::round(r.annual_hours);
    item["unit"] = {{"scheme", "UNCEFACT"},
                    {"id", "HUR"},
                    {"name", "hour"},
                    {"value", {{"amount", t.price_high}, {"currency", t.currency}}}};
    item["relatedLot"] = r.lot_id;
    item["deliveryAddresses"] =
        Json::array({{{"region", z.name}, {"countryName", "United Kingdom"}}});
    Json loc;
    loc["description"] = "Zone " + std::to_string(r.zone) + ": " + where;
    if (static_cast<std::size_t>(r.zone - 1) < centres.size()) {
      const geo::Point c = centres[r.zone - 1];
      loc["geometry"] = {
          {"type", "Point"},
          {"coordinates", {std::round(c.x * 1e5) / 1e5, std::round(c.y * 1e5) / 1e5}}};
    }
    item["deliveryLocation"] = loc;
    items.push_back(item);
  }

  Json party;
  party["id"] = buyer_id;
  party["name"] = t.buyer;
  party["address"] = {{"region", cfg.area.name}, {"countryName", "United Kingdom"}};
  party["roles"] = {"buyer", "procuringEntity"};

  Json tender;
  tender["id"] = id + "-tender";
  tender["title"] = "Home care lots \u2013 " + cfg.area.name;
  tender["description"] =
      std::to_string(s.zones.size()) + " zones let as " + std::to_string(s.lots.size()) +
      " lots; estimated " + grouped(s.totals.weekly_hours, 0) + " weekly hours; hourly price " +
      money2(t.price_low) + "\u2013" + money2(t.price_high) + " with a " +
      fixed(t.rural_enhancement * 100, 0) + "% rural enhancement; " +
      std::to_string(t.contract_years) + " years plus " + std::to_string(t.extension_years) +
      ". Zone maps and estimated hours: zone-maps.pdf and lot-schedule.xlsx.";
  tender["status"] = "planned";
  tender["procuringEntity"] = {{"id", buyer_id}, {"name", t.buyer}};
  tender["mainProcurementCategory"] = "services";
  tender["value"] = value(s.totals.value_high * years, t.currency);
  tender["minValue"] = value(s.totals.value_low * t.contract_years, t.currency);
  tender["contractPeriod"] = period(start, t.contract_years);
  tender["items"] = items;
  tender["lots"] = lots;

  Json release;
  release["ocid"] = ocid;
  release["id"] = ocid + "-tender-" + t.start_date;
  release["date"] = published;
  release["tag"] = {"tender"};
  release["initiationType"] = "tender";
  release["language"] = "en";
  release["parties"] = Json::array({party});
  release["buyer"] = {{"id", buyer_id}, {"name", t.buyer}};
  release["tender"] = tender;

  Json pkg;
  pkg["uri"] = "urn:ocds:" + ocid;
  pkg["version"] = "1.1";
  pkg["extensions"] = {
      "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
      "v1.1.5/extension.json",
      "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/"
      "v1.1.5/extension.json",
      "https://raw.githubusercontent.com/open-contracting-extensions/ocds_renewal_extension/"
      "master/extension.json"};
  pkg["publishedDate"] = published;
  pkg["publisher"] = {{"name", t.buyer}};
  pkg["license"] = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";
  pkg["releases"] = Json::array({release});
  return pkg.dump(2) + "\n";
}

}  // namespace lotwright::tender::detail
