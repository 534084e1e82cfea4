// The lot schedule: zones (plan lots) x roles with hours, values, workers and places.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>

#include "internal.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/rural.hpp"
#include "lotwright/plan/plan_io.hpp"
#include "lotwright/tender/disclosure.hpp"
#include "lotwright/tender/tender.hpp"
#include "text.hpp"

namespace lotwright::tender {

bool is_rural_class(std::string_view cls) { return geo::is_rural_class(cls); }

std::vector<RoleConfig> roles_for_tier(const geo::Config& config, const TenderConfig& tender,
                                       const std::string& tier) {
  for (const auto& tr : tender.roles)
    if (tr.tier == tier) return tr.roles;
  for (const auto& tr : tender.roles)
    if (tr.tier.empty()) return tr.roles;
  const std::vector<RoleConfig> lots_default = {
      {"Lead", 0.6}, {"Secondary", 0.2}, {"Secondary", 0.2}};
  if (tier.empty()) return lots_default;
  // West Sussex level: the number in the tier's name ("Level 2" -> 2), else its position in
  // [[design.tiers]] (1-based); a tier that is neither numbered nor listed: lots default.
  long level = 0;
  if (const auto d = tier.find_first_of("0123456789"); d != std::string::npos)
    level = std::strtol(tier.c_str() + d, nullptr, 10);
  const auto& tiers = config.design.tiers;
  for (std::size_t i = 0; i < tiers.size() && level == 0; ++i)
    if (tiers[i].name == tier) level = static_cast<long>(i) + 1;
  if (level == 1) return {{"Lead", 0.6}, {"Secondary", 0.4}};
  if (level == 2) return {{"Lead", 1.0}};
  if (level >= 3) return {};
  return lots_default;
}

std::vector<std::string> Schedule::zone_names() const {
  std::vector<std::string> out;
  for (const Zone& z : zones) out.push_back(z.name);
  return out;
}

bool Zone::call_gaps_disclosed() const {
  return rounds.has_value() && !customers_suppressed && customers >= kMinCustomers;
}

std::string LotRow::title() const {
  return "Lot " + lot_id + " \u2013 " + zone_title(zone, zone_name) + " \u2013 " + role;
}

namespace {

// Main places per zone: the first four of the plan's places (geo::lot_places, the ranking
// the zone's name is made from).
std::vector<std::vector<std::string>> zone_places(const geo::UnitGraph& g, const geo::Plan& plan,
                                                  const geo::RoadNetwork* roads) {
  auto out = geo::lot_places(g, plan, roads);
  for (auto& z : out)
    if (z.size() > 4) z.resize(4);
  return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

// Adds a row's additive figures (hours, values, workers, unmet hours) to a sum row.
void accumulate(LotRow& sum, const LotRow& r) {
  sum.weekly_hours += r.weekly_hours;
  sum.annual_hours += r.annual_hours;
  sum.value_low += r.value_low;
  sum.value_high += r.value_high;
  sum.rural_enhancement_low += r.rural_enhancement_low;
  sum.rural_enhancement_high += r.rural_enhancement_high;
  sum.workers += r.workers;
  if (r.unmet_hours) sum.unmet_hours = sum.unmet_hours.value_or(0) + *r.unmet_hours;
}

// The care-round columns of a zone's rows (not additive: each row shows the zone's figures,
// the call gaps only when disclosed).
void set_round_figures(LotRow& row, const Zone& zn) {
  if (!zn.rounds) return;
  row.travel_cost_per_contact_hour = zn.rounds->travel_cost_per_contact_hour;
  if (!zn.call_gaps_disclosed()) return;
  row.call_gap_median_min = zn.rounds->call_gap_median_min;
  row.call_gap_p90_min = zn.rounds->call_gap_p90_min;
}

// The [rounds] parameters with their sources (docs/rounds.md "Parameters").
void round_assumptions(const geo::RoundParams& r, std::vector<Assumption>& a) {
  std::string windows;
  for (const auto& w : r.windows) {
    auto clock = [](int min) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%02d:%02d", min / 60, min % 60);
      return std::string(buf);
    };
    windows += (windows.empty() ? "" : ", ") + w.name + " " + clock(w.start_min) + "\u2013" +
               clock(w.end_min);
  }
  a.insert(
      a.end(),
      {{"Care rounds: days a week with calls", std::to_string(r.days_per_week),
        "[rounds] days_per_week; home care runs every day"},
       {"Care rounds: call windows", windows, "[rounds] windows; the four calls of a care day"},
       {"Care rounds: shortest call (minutes)", fixed(r.min_visit_minutes, 0),
        "[rounds] min_visit_minutes; NICE NG21 (2015) and QS123 (2016)"},
       {"Care rounds: hours per customer when unknown", fixed(r.hours_per_customer_if_unknown, 1),
        "[rounds] hours_per_customer_if_unknown; docs/synth-demand.md"},
       {"Care rounds: longest run (minutes)", fixed(r.shift_minutes, 0),
        "[rounds] shift_minutes; split-shift block"},
       {"Care rounds: hours per care worker a week", fixed(r.hours_per_worker, 1),
        "[rounds] hours_per_worker; West Sussex market feedback (30 h)"},
       {"Care rounds: pay for travel time per hour", money2(r.pay_per_hour),
        "[rounds] pay_per_hour; National Living Wage from April 2024"},
       {"Care rounds: mileage per mile", money2(r.mileage_per_mile),
        "[rounds] mileage_per_mile; HMRC approved mileage allowance (cars)"},
       {"Care rounds: road detour factor", fixed(r.detour_factor, 2),
        "[rounds] detour_factor; Newell 1980, Ballou et al. 2002"},
       {"Care rounds: longest leg searched (minutes)", fixed(r.max_leg_minutes, 0),
        "[rounds] max_leg_minutes"},
       {"Care rounds: call-gap thresholds",
        fixed(geo::kGapThresholdMinutes, 0) + " minutes, " + fixed(geo::kGapThresholdMiles, 0) +
            " miles",
        "West Sussex market feedback (15-minute maximum); ADASS 2020 survey (6 miles)"},
       {"Care workers needed",
        "(contact hours + call-to-call travel hours) / hours per care worker",
        "the zone's care rounds (docs/rounds.md), times the lot's share"},
       {"Travel cost per contact hour",
        "call-to-call travel time at the pay rate plus mileage, per contact hour",
        "the zone's care rounds"},
       {"Call gaps", "median and 90th percentile minutes between consecutive calls",
        "not shown for a zone with fewer than 5 customers (docs/disclosure.md)"}});
}

std::string pct(double share) { return fixed(share * 100, 0) + "%"; }

std::vector<Assumption> assumptions(const geo::Config& c, const TenderConfig& t,
                                    const geo::Plan& plan, const geo::PlanMetrics& m,
                                    const std::vector<Zone>& zones) {
  std::vector<Assumption> a = {
      {"Buyer", t.buyer, "[tender] buyer"},
      {"Area", c.area.name, "[area] name"},
      {"Price per hour, low", money2(t.price_low), "[tender] price_low"},
      {"Price per hour, high", money2(t.price_high), "[tender] price_high"},
      {"Rural enhancement", pct(t.rural_enhancement),
       "added to the hourly price for hours in rural postcodes"},
      {"Rural classes", "ONS RUC2011 D1 D2 E1 E2 F1 F2; ukruc 1 2",
       "a unit is rural when its class is one of these"},
      {"Mean travel minutes", "zone mean travel time, hub to unit, hours-weighted",
       "from the plan's metrics"},
      {"Weeks per year", fixed(kWeeksPerYear, 0), "annual hours = weekly hours x 52"},
      {"Contract years", std::to_string(t.contract_years), "[tender] contract_years"},
      {"Extension years", std::to_string(t.extension_years), "[tender] extension_years"},
      {"Contract start", t.start_date, "[tender] start_date"},
      {"Currency", t.currency, "[tender] currency"},
      {"Customer counts", "rounded to 5; fewer than 5 not shown", "docs/disclosure.md"},
      {"Design mode",
       c.design.lots ? "lots = " + std::to_string(*c.design.lots)
                     : std::to_string(c.design.tiers.size()) + " tiers",
       "[design]"},
      {"Zones in the plan", std::to_string(plan.lot_count), "plan"},
      {"Total weekly hours", grouped(m.total_hours, 0), "all demand read, rounded to 5"},
      {"Assigned weekly hours", grouped(m.assigned_hours, 0), "hours in the zones"},
      {"Unassigned weekly hours", grouped(m.unassigned_hours, 0),
       "not in any zone (see the plan's metrics for why)"},
  };
  if (m.rounds_estimated) {
    round_assumptions(c.rounds, a);
  } else {
    a.push_back({"Hours per care worker a week", fixed(t.hours_per_worker, 1),
                 "[tender] hours_per_worker (no care-round estimate: no road travel)"});
    a.push_back({"Average visit length (minutes)", fixed(kVisitMinutes, 0),
                 "care workers = hours x (1 + mean travel minutes / visit minutes) / hours per "
                 "worker"});
  }
  // Roles per tier actually used.
  std::vector<std::string> seen;
  for (const Zone& zn : zones) {
    const std::string& tier = zn.tier;
    if (std::find(seen.begin(), seen.end(), tier) != seen.end()) continue;
    seen.push_back(tier);
    std::string roles;
    for (const auto& r : roles_for_tier(c, t, tier))
      roles += (roles.empty() ? "" : " + ") + r.name + " " + pct(r.share);
    if (roles.empty()) roles = std::string(kReserveRole) + " 100%";
    a.push_back({"Roles" + (tier.empty() ? std::string() : " for tier " + tier), roles,
                 "[[tender.roles]] or the defaults (docs/tender.md)"});
  }
  return a;
}

}  // namespace

namespace {

// The zones of the plan: sums over their units, tiers (guessed for a plan without them),
// area, travel, main places and names.
std::vector<Zone> schedule_zones(const PackInputs& in, const geo::PlanMetrics& metrics) {
  const geo::Config& c = *in.config;
  const geo::UnitGraph& g = *in.graph;
  const geo::Plan& plan = *in.plan;
  const geo::PlanMetrics* m = &metrics;
  const int nz = plan.lot_count;
  std::vector<Zone> zones(nz);
  for (int z = 0; z < nz; ++z) {
    zones[z].zone = z + 1;
    zones[z].name = zone_name(plan, z);
    zones[z].tier = static_cast<std::size_t>(z) < plan.tier.size() ? plan.tier[z] : "";
  }
  std::vector<double> area_m2(nz, 0);
  for (std::size_t u = 0; u < g.size(); ++u) {
    const int z = plan.lot_of[u];
    if (z >= 0 && z < nz) area_m2[z] += u < g.area_m2.size() ? g.area_m2[u] : 0;
  }
  // The published figures (the one disclosure function), never the exact sums.
  const auto figures = zone_figures(g, plan);
  for (int z = 0; z < nz; ++z) {
    Zone& zn = zones[z];
    const ZoneFigures& f = figures[z];
    zn.hours = f.hours;
    zn.customers_suppressed = !f.customers.has_value();
    zn.customers = f.customers ? static_cast<double>(*f.customers) : 1;
    zn.rural_hours = f.rural_hours;
    zn.unmet_suppressed = !f.unmet_hours.has_value();
    zn.unmet_hours = f.unmet_hours.value_or(0);
  }
  // A plan read from CSV carries no tiers: in tiers mode, give each zone the tier whose
  // hours band holds its hours (the nearest band when none does).
  if (!c.design.lots && !c.design.tiers.empty()) {
    for (Zone& zn : zones) {
      if (!zn.tier.empty()) continue;
      double best = std::numeric_limits<double>::infinity();
      for (const auto& tc : c.design.tiers) {
        const double off = zn.hours < tc.min_hours   ? tc.min_hours - zn.hours
                           : zn.hours > tc.max_hours ? zn.hours - tc.max_hours
                                                     : 0;
        if (off < best) {
          best = off;
          zn.tier = tc.name;
        }
      }
    }
  }
  const auto places = zone_places(g, plan, in.roads);
  // A plan without names (e.g. read from CSV) takes the names design and evaluate give it
  // (geo::lot_names, the one namer), so the pack and metrics.json never name a zone twice.
  std::vector<std::string> own_names;
  for (int z = 0; z < nz; ++z)
    if (zone_own_name(plan, z).empty()) {
      own_names = geo::lot_names(g, plan, in.roads);
      break;
    }
  for (int z = 0; z < nz; ++z) {
    Zone& zn = zones[z];
    const geo::LotMetrics* lm = nullptr;
    for (const auto& l : m->lots)
      if (l.lot == z + 1) lm = &l;
    zn.area_km2 = lm && lm->area_km2 > 0 ? lm->area_km2 : area_m2[z] / 1e6;
    zn.travel_min = lm ? lm->mean_travel_min : 0;
    if (lm && m->rounds_estimated) zn.rounds = lm->rounds;
    zn.places = places[z];
    if (zone_own_name(plan, z).empty() && z < static_cast<int>(own_names.size()) &&
        !own_names[z].empty())
      zn.name = own_names[z];
  }
  return zones;
}

// One row per zone x role (priced), the per-zone sums and the totals.
void schedule_lots(const PackInputs& in, const geo::PlanMetrics& metrics, Schedule& s) {
  const geo::Config& c = *in.config;
  const geo::PlanMetrics* m = &metrics;
  const auto& t = in.tender;
  LotRow& tot = s.totals;
  tot.lot_id = "Total";
  tot.role = "All lots";
  tot.share = 1;
  double total_customers = 0, total_rural = 0;
  for (const Zone& zn : s.zones) {
    auto roles = roles_for_tier(c, in.tender, zn.tier);
    if (roles.empty()) roles = {{kReserveRole, 1.0}};
    if (!zn.customers_suppressed) total_customers += zn.customers;
    total_rural += zn.rural_hours;
    tot.area_km2 += zn.area_km2;
    LotRow& zsum = s.zone_totals.emplace_back();
    zsum.zone = zn.zone;
    zsum.zone_name = zn.name;
    zsum.tier = zn.tier;
    zsum.share = 1;
    zsum.customers = disclosed_customers(zn.customers);
    zsum.rural_share = zn.hours > 0 ? zn.rural_hours / zn.hours : 0;
    zsum.travel_min = zn.travel_min;
    zsum.area_km2 = zn.area_km2;
    zsum.places = join(zn.places, ", ");
    set_round_figures(zsum, zn);
    for (std::size_t r = 0; r < roles.size(); ++r) {
      LotRow row;
      row.zone = zn.zone;
      row.zone_name = zn.name;
      row.tier = zn.tier;
      row.lot_id = tender::lot_id(zn.zone, static_cast<int>(r));
      row.role = roles[r].name;
      row.share = roles[r].share;
      row.weekly_hours = zn.hours * row.share;
      row.customers = disclosed_customers(zn.customers * row.share);
      row.annual_hours = row.weekly_hours * kWeeksPerYear;
      row.rural_share = zn.hours > 0 ? zn.rural_hours / zn.hours : 0;
      const double rural_annual = zn.rural_hours * row.share * kWeeksPerYear;
      row.rural_enhancement_low = rural_annual * t.price_low * t.rural_enhancement;
      row.rural_enhancement_high = rural_annual * t.price_high * t.rural_enhancement;
      row.value_low = row.annual_hours * t.price_low + row.rural_enhancement_low;
      row.value_high = row.annual_hours * t.price_high + row.rural_enhancement_high;
      row.travel_min = zn.travel_min;
      if (zn.call_gaps_disclosed())
        row.workers = zn.rounds->workers_needed * row.share;
      else
        row.workers =
            t.hours_per_worker > 0
                ? row.weekly_hours * (1 + zn.travel_min / kVisitMinutes) / t.hours_per_worker
                : 0;
      set_round_figures(row, zn);
      if (!zn.unmet_suppressed) row.unmet_hours = zn.unmet_hours * row.share;
      row.area_km2 = zn.area_km2;
      row.places = join(zn.places, ", ");
      accumulate(tot, row);
      accumulate(zsum, row);
      zsum.lot_id += (zsum.lot_id.empty() ? "" : ",") + row.lot_id;
      zsum.role += (zsum.role.empty() ? "" : "; ") + row.role + " " + pct(row.share);
      s.lots.push_back(row);
    }
  }
  tot.customers = disclosed_customers(total_customers);
  tot.rural_share = tot.weekly_hours > 0 ? total_rural / tot.weekly_hours : 0;
  tot.travel_min = m->mean_travel_min;
  if (m->rounds_estimated) {
    Zone county;
    county.customers = total_customers;
    county.rounds = m->rounds;
    set_round_figures(tot, county);
  }
}

// Postcode sectors -> zones: the provider demand rows (disclosure-controlled) with the
// number of units; the share of a sector's hours is of its published cells only.
std::vector<SectorZoneRow> schedule_sectors(const geo::UnitGraph& g, const geo::Plan& plan,
                                            const std::vector<Zone>& zones) {
  const int nz = plan.lot_count;
  std::map<std::pair<std::string, int>, int> units;
  std::map<std::string, int> sector_units;
  for (std::size_t u = 0; u < g.size(); ++u) {
    const std::string sec = detail::sector_of_unit(g.id[u]);
    ++units[{sec, plan.lot_of[u] >= 0 && plan.lot_of[u] < nz ? plan.lot_of[u] + 1 : 0}];
    ++sector_units[sec];
  }
  const auto demand = provider_demand(g, plan);
  std::map<std::string, double> published_hours;
  for (const auto& d : demand)
    if (!d.combined && d.hours) published_hours[d.sector] += *d.hours;
  std::vector<SectorZoneRow> out;
  for (const auto& d : demand) {
    SectorZoneRow r;
    r.sector = d.sector;
    r.zone = d.lot >= 0 && d.lot < nz ? d.lot + 1 : 0;
    r.zone_name = r.zone > 0 ? zones[r.zone - 1].name : "unassigned";
    r.hours = d.hours;
    r.customers = d.customers;
    r.suppressed = d.suppressed;
    r.combined = d.combined;
    if (!d.combined) {
      r.units = units[{d.sector, r.zone}];
      r.unit_share = static_cast<double>(r.units) / sector_units[d.sector];
      const double ph = published_hours[d.sector];
      r.hours_share = d.hours && ph > 0 ? *d.hours / ph : 0;
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace

Schedule build_schedule(const PackInputs& in) {
  if (!in.config || !in.graph || !in.plan)
    throw geo::DataError("tender pack: config, unit graph and plan are required");
  const geo::Config& c = *in.config;
  const geo::UnitGraph& g = *in.graph;
  const geo::Plan& plan = *in.plan;
  if (plan.lot_of.size() != g.size())
    throw geo::DataError("tender pack: the plan has " + std::to_string(plan.lot_of.size()) +
                         " units but the unit graph has " + std::to_string(g.size()));
  if (plan.lot_count <= 0)
    throw geo::DataError("tender pack: the plan has no lots (every unit is unassigned)");
  geo::PlanMetrics computed;
  const geo::PlanMetrics* m = in.metrics;
  if (!m) {
    geo::EvaluateOptions eo;
    eo.rounds = &c.rounds;  // the care-round figures with the config's [rounds]
    computed = geo::evaluate(g, plan, eo);
    m = &computed;
  }
  Schedule s;
  s.zones = schedule_zones(in, *m);
  schedule_lots(in, *m, s);
  s.sectors = schedule_sectors(g, plan, s.zones);
  s.assumptions = assumptions(c, in.tender, plan, detail::published_metrics(*m, s), s.zones);
  return s;
}

}  // namespace lotwright::tender

namespace lotwright::tender::detail {

geo::PlanMetrics published_metrics(const geo::PlanMetrics& m, const Schedule& s) {
  geo::PlanMetrics p = m;
  p.assigned_hours = 0;
  for (const Zone& z : s.zones) p.assigned_hours += z.hours;
  p.unassigned_hours = round_hours(m.unassigned_hours);
  p.total_hours = p.assigned_hours + p.unassigned_hours;
  for (auto& l : p.lots) {
    if (l.lot < 1 || static_cast<std::size_t>(l.lot) > s.zones.size()) continue;
    const Zone& z = s.zones[l.lot - 1];
    l.hours = z.hours;
    l.customers = z.customers_suppressed ? 0 : z.customers;
    l.unmet_hours = z.unmet_hours;
    l.rural_hours = z.rural_hours;
  }
  return p;
}

}  // namespace lotwright::tender::detail
