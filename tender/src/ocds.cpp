// ocds-lots.json: an OCDS 1.1 release package with one planning release whose tender lots are
// the schedule's zone x role rows (lots, location and renewal extensions), dated by
// [tender] publication_date (config.hpp: publication_date()).
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "internal.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/output_check.hpp"
#include "text.hpp"

namespace lotwright::tender::detail {

namespace {

// The extensions used, pinned: lots and location at their v1.1.5 release; renewal has never
// been tagged, so it is pinned to a commit (the copies under tests/data/ocds/ validate it).
constexpr const char* kOcdsExtensions[] = {
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/"
    "v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_renewal_extension/"
    "cf26577519ced7a0429652aaa2358e3ab7d39fa3/extension.json"};

using Json = nlohmann::ordered_json;
namespace chr = std::chrono;

chr::year_month_day parse_date(const std::string& text, const std::filesystem::path& config,
                               const char* key) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) == 3) {
    chr::year_month_day ymd{chr::year{y}, chr::month{m}, chr::day{d}};
    if (ymd.ok()) return ymd;
  }
  throw geo::DataError(geo::where(config) + "[tender] " + key + " \"" + text +
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

// The description of a zone for lots and locations: "Newport (Newport, Carisbrooke)".
std::string where(const LotRow& r, const Zone& z) {
  std::string w = z.name;
  if (!r.places.empty() && r.places != z.name) w += " (" + r.places + ")";
  return w;
}

// Everything the parts of the release share.
struct Release {
  const PackContext& ctx;
  const TenderConfig& t;
  chr::year_month_day start;
  int years;                        // contract + extension
  std::vector<geo::Point> centres;  // zone label points, WGS84
};

Json lot_json(const Release& rel, const LotRow& r) {
  const auto& t = rel.t;
  const Zone& z = rel.ctx.schedule.zones[r.zone - 1];
  // The counts the description prints, through the one output check (core/output_check.hpp).
  auto count = [&](double v, const char* field) {
    return geo::output_number(v, "ocds-lots.json", std::string(field) + " of lot " + r.lot_id);
  };
  Json lot;
  lot["id"] = r.lot_id;
  lot["title"] = r.title();
  lot["description"] =
      r.role + " provider for zone " + std::to_string(r.zone) + ", " + where(r, z) + ": " +
      fixed(count(r.share, "share") * 100, 0) + "% of the zone's estimated " +
      grouped(count(z.hours, "zone hours"), 0) + " weekly hours of home care (about " +
      grouped(count(r.weekly_hours, "weekly hours"), 0) + " hours a week, " +
      grouped(count(r.annual_hours, "annual hours"), 0) + " a year, estimated " +
      money(count(r.value_low, "value_low")) + "\u2013" + money(count(r.value_high, "value_high")) +
      " a year including the rural enhancement).";
  lot["status"] = "planning";
  lot["value"] = value(r.value_high * rel.years, t.currency);
  lot["contractPeriod"] = period(rel.start, t.contract_years);
  lot["hasRenewal"] = t.extension_years > 0;
  if (t.extension_years > 0) {
    Json renewal;
    renewal["description"] =
        "Optional extension of up to " + std::to_string(t.extension_years) + " year(s).";
    renewal["maximumRenewals"] = 1;
    renewal["period"] = period(add_years(rel.start, t.contract_years), t.extension_years);
    lot["renewal"] = renewal;
  }
  return lot;
}

Json item_json(const Release& rel, const LotRow& r) {
  const auto& t = rel.t;
  const Zone& z = rel.ctx.schedule.zones[r.zone - 1];
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
  item["deliveryAddress"] = {{"region", z.name}, {"countryName", "United Kingdom"}};
  Json loc;
  loc["description"] = "Zone " + std::to_string(r.zone) + ": " + where(r, z);
  if (static_cast<std::size_t>(r.zone - 1) < rel.centres.size()) {
    const geo::Point c = rel.centres[r.zone - 1];
    loc["geometry"] = {{"type", "Point"},
                       {"coordinates", {std::round(c.x * 1e5) / 1e5, std::round(c.y * 1e5) / 1e5}}};
  }
  item["deliveryLocation"] = loc;
  return item;
}

// tender.lotDetails (lots extension): only the limits given in [tender].
Json lot_details(const TenderConfig& t) {
  Json d = Json::object();
  if (t.max_lots_bid_per_supplier) d["maximumLotsBidPerSupplier"] = *t.max_lots_bid_per_supplier;
  if (t.max_lots_awarded_per_supplier)
    d["maximumLotsAwardedPerSupplier"] = *t.max_lots_awarded_per_supplier;
  return d;
}

Json tender_json(const Release& rel, const std::string& id, const std::string& buyer_id) {
  const auto& t = rel.t;
  const Schedule& s = rel.ctx.schedule;
  const std::string& area = rel.ctx.in->config->area.name;
  Json lots = Json::array(), items = Json::array();
  for (const LotRow& r : s.lots) {
    lots.push_back(lot_json(rel, r));
    items.push_back(item_json(rel, r));
  }
  Json tender;
  tender["id"] = id + "-tender";
  tender["title"] = "Home care lots \u2013 " + area;
  auto count = [](double v, const char* field) {  // core/output_check.hpp
    return geo::output_number(v, "ocds-lots.json", field);
  };
  tender["description"] =
      std::to_string(s.zones.size()) + " zones let as " + std::to_string(s.lots.size()) +
      " lots; estimated " + grouped(count(s.totals.weekly_hours, "weekly hours"), 0) +
      " weekly hours; hourly price " + money2(count(t.price_low, "price_low")) + "\u2013" +
      money2(count(t.price_high, "price_high")) + " with a " +
      fixed(count(t.rural_enhancement, "rural_enhancement") * 100, 0) + "% rural enhancement; " +
      std::to_string(t.contract_years) + " years plus " + std::to_string(t.extension_years) +
      ". Volumes are estimates, not guaranteed. Zone maps and estimated hours: zone-maps.pdf and "
      "lot-schedule.xlsx.";
  tender["status"] = "planning";
  tender["procuringEntity"] = {{"id", buyer_id}, {"name", t.buyer}};
  tender["mainProcurementCategory"] = "services";
  tender["value"] = value(s.totals.value_high * rel.years, t.currency);
  tender["minValue"] = value(s.totals.value_low * t.contract_years, t.currency);
  tender["contractPeriod"] = period(rel.start, t.contract_years);
  tender["items"] = items;
  tender["lots"] = lots;
  if (Json d = lot_details(t); !d.empty()) tender["lotDetails"] = d;
  return tender;
}

}  // namespace

std::string ocds_json(const PackContext& ctx) {
  const geo::Config& cfg = *ctx.in->config;
  const auto& t = ctx.in->tender;
  Release rel{ctx, t, parse_date(t.start_date, cfg.file, "start_date"),
              t.contract_years + t.extension_years,
              ctx.has_geometry() ? to_wgs84(ctx.zone_labels) : std::vector<geo::Point>{}};
  const std::string id = slug(cfg.area.name) + "-home-care-" + t.start_date;
  const std::string ocid = t.ocid_prefix + "-" + id;
  const std::string buyer_id = "buyer-" + slug(t.buyer);
  const std::string pub_date = publication_date(t);
  const std::string published = iso(parse_date(pub_date, cfg.file, "publication_date"));

  Json party;
  party["id"] = buyer_id;
  party["name"] = t.buyer;
  party["address"] = {{"region", cfg.area.name}, {"countryName", "United Kingdom"}};
  party["roles"] = {"buyer", "procuringEntity"};

  Json release;
  release["ocid"] = ocid;
  release["id"] = ocid + "-planning-" + pub_date;
  release["date"] = published;
  release["tag"] = {"planning"};  // follows tender.status "planning"
  release["initiationType"] = "tender";
  release["language"] = "en";
  release["parties"] = Json::array({party});
  release["buyer"] = {{"id", buyer_id}, {"name", t.buyer}};
  release["tender"] = tender_json(rel, id, buyer_id);

  Json pkg;
  pkg["uri"] = "urn:ocds:" + ocid;
  pkg["version"] = "1.1";
  pkg["extensions"] = Json::array();
  for (const char* e : kOcdsExtensions) pkg["extensions"].push_back(e);
  pkg["publishedDate"] = published;
  pkg["publisher"] = {{"name", t.buyer}};
  pkg["license"] = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";
  pkg["releases"] = Json::array({release});
  geo::output_json_numbers(pkg, "ocds-lots.json", {"coordinates"});  // lon, lat: signed
  return pkg.dump(2) + "\n";
}

}  // namespace lotwright::tender::detail
