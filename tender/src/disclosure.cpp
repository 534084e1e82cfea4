#include "lotwright/tender/disclosure.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <sstream>
#include <string_view>

#include "internal.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/tender/tender.hpp"
#include "text.hpp"

namespace lotwright::tender {

std::string detail::sector_of_unit(const std::string& id) {
  const std::string pc = geo::normalise_postcode(id);
  if (pc.empty()) return "(other)";
  const std::string s = geo::postcode_sector(pc);
  return s.empty() ? "(other)" : s;
}

double round_hours(double hours) { return std::floor(hours / kRoundHours + 0.5) * kRoundHours; }

std::optional<long> disclosed_customers(double customers) {
  const long n = std::lround(customers);
  if (n <= 0) return 0L;
  if (n < kMinCustomers) return std::nullopt;
  return std::lround(static_cast<double>(n) / 5.0) * 5;
}

bool is_small_cell(double hours, double customers) {
  const long n = std::lround(customers);
  return n < kMinCustomers && (n > 0 || hours > 0);
}

std::vector<double> controlled_round(const std::vector<double>& values, double base) {
  std::vector<double> out(values.size(), 0);
  double sum = 0;
  long floors = 0;
  std::vector<std::pair<double, std::size_t>> rem;  // (remainder, index)
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum += values[i];
    const double q = values[i] / base;
    const double f = std::floor(q);
    out[i] = f;
    floors += std::lround(f);
    rem.emplace_back(q - f, i);
  }
  long extra = std::lround(std::floor(sum / base + 0.5)) - floors;
  std::stable_sort(rem.begin(), rem.end(), [](const auto& x, const auto& y) {
    return x.first > y.first;  // largest remainder first; ties keep index order
  });
  for (std::size_t k = 0; k < rem.size() && extra > 0; ++k, --extra) out[rem[k].second] += 1;
  for (auto& v : out) v *= base;
  return out;
}

namespace {
std::atomic<bool> g_secondary_suppression{true};
}  // namespace

void set_secondary_suppression_for_tests(bool on) { g_secondary_suppression = on; }

bool secondary_suppression_on() { return g_secondary_suppression; }

PublishedTable publish_table(const std::vector<CellIn>& cells) {
  PublishedTable t;
  t.cells.resize(cells.size());
  std::map<int, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < cells.size(); ++i) members[cells[i].group].push_back(i);
  for (const auto& [gid, idx] : members) {
    GroupOut& g = t.groups[gid];
    double hours = 0, customers = 0, sup_customers = 0;
    for (auto i : idx) {
      hours += cells[i].hours;
      customers += cells[i].customers;
      if (is_small_cell(cells[i].hours, cells[i].customers)) {
        t.cells[i].suppressed = true;
        sup_customers += cells[i].customers;
      }
    }
    g.hours = round_hours(hours);
    g.customers = disclosed_customers(customers);
    g.small = is_small_cell(hours, customers);
    // Secondary: grow the suppressed set until it holds 5 or more customers.
    const bool secondary = secondary_suppression_on();
    auto any_suppressed = [&] {
      return std::any_of(idx.begin(), idx.end(), [&](auto i) { return t.cells[i].suppressed; });
    };
    while (secondary && any_suppressed() && std::lround(sup_customers) < kMinCustomers) {
      std::optional<std::size_t> pick, pick_empty;
      for (auto i : idx) {
        if (t.cells[i].suppressed) continue;
        if (std::lround(cells[i].customers) <= 0) {
          if (!pick_empty) pick_empty = i;
          continue;
        }
        if (!pick || cells[i].customers < cells[*pick].customers) pick = i;
      }
      if (!pick) pick = pick_empty;
      if (!pick) break;  // every cell suppressed: the group itself is small
      t.cells[*pick].suppressed = true;
      sup_customers += cells[*pick].customers;
    }
    // Rounding: published cells and the combined suppressed figure add up to the group's.
    std::vector<double> h, c;
    std::vector<std::size_t> shown;
    double sup_h = 0, sup_c = 0;
    for (auto i : idx) {
      if (t.cells[i].suppressed) {
        ++g.suppressed_cells;
        sup_h += cells[i].hours;
        sup_c += cells[i].customers;
        continue;
      }
      shown.push_back(i);
      h.push_back(cells[i].hours);
      c.push_back(cells[i].customers);
    }
    if (g.suppressed_cells > 0) h.push_back(sup_h), c.push_back(sup_c);
    const auto rh = controlled_round(h, kRoundHours);
    const auto rc = controlled_round(c, kMinCustomers);
    for (std::size_t k = 0; k < shown.size(); ++k) {
      t.cells[shown[k]].hours = rh[k];
      t.cells[shown[k]].customers = std::lround(rc[k]);
    }
    if (g.suppressed_cells > 0 && !g.small) {
      g.combined_hours = rh.back();
      g.combined_customers = std::lround(rc.back());
    }
    // The group's customers as published must equal the sum of its published parts.
    if (g.customers && !g.small)
      g.customers = std::lround(std::accumulate(rc.begin(), rc.end(), 0.0));
  }
  return t;
}

namespace {

void check_plan(const geo::UnitGraph& g, const geo::Plan& plan) {
  if (plan.lot_of.size() != g.size())
    throw geo::DataError("plan has " + std::to_string(plan.lot_of.size()) + " units, graph has " +
                         std::to_string(g.size()));
}

double at(const std::vector<double>& v, std::size_t u) { return u < v.size() ? v[u] : 0; }

// The zone x sector cells of the plan, sorted by sector then zone.
struct SectorCell {
  std::string sector;
  int lot = -1;
  double hours = 0, customers = 0, wx = 0, wy = 0, sx = 0, sy = 0;
  long units = 0;
};
std::vector<SectorCell> sector_cells(const geo::UnitGraph& g, const geo::Plan& plan) {
  std::map<std::pair<std::string, int>, SectorCell> acc;
  for (std::size_t u = 0; u < g.size(); ++u) {
    const int lot = plan.lot_of[u] >= 0 ? plan.lot_of[u] : -1;
    SectorCell& a = acc[{detail::sector_of_unit(g.id[u]), lot}];
    const double h = at(g.hours, u);
    a.hours += h;
    a.customers += at(g.customers, u);
    const geo::Point p = u < g.site.size() ? g.site[u] : geo::Point{};
    a.wx += h * p.x;
    a.wy += h * p.y;
    a.sx += p.x;
    a.sy += p.y;
    ++a.units;
  }
  std::vector<SectorCell> out;
  for (auto& [key, a] : acc) {
    a.sector = key.first;
    a.lot = key.second;
    out.push_back(a);
  }
  return out;
}

PublishedTable publish_sectors(const std::vector<SectorCell>& cells) {
  std::vector<CellIn> in;
  for (const auto& c : cells) in.push_back({c.hours, c.customers, c.lot});
  return publish_table(in);
}

}  // namespace

std::vector<SectorDemand> provider_demand(const geo::UnitGraph& g, const geo::Plan& plan) {
  check_plan(g, plan);
  const auto cells = sector_cells(g, plan);
  const auto pub = publish_sectors(cells);
  std::vector<SectorDemand> rows;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const SectorCell& a = cells[i];
    SectorDemand d;
    d.sector = a.sector;
    d.lot = a.lot;
    d.suppressed = pub.cells[i].suppressed;
    d.hours = pub.cells[i].hours;
    d.customers = pub.cells[i].customers;
    d.centre = a.hours > 0 ? geo::Point{a.wx / a.hours, a.wy / a.hours}
                           : geo::Point{a.sx / a.units, a.sy / a.units};
    rows.push_back(d);
  }
  for (const auto& [lot, grp] : pub.groups) {
    if (grp.suppressed_cells == 0) continue;
    SectorDemand d;
    d.sector = kSuppressedSectors;
    d.lot = lot;
    d.combined = true;
    d.suppressed = !grp.combined_hours.has_value();
    d.hours = grp.combined_hours;
    d.customers = grp.combined_customers;
    rows.push_back(d);
  }
  return rows;
}

std::vector<ClassDemand> rural_class_demand(const geo::UnitGraph& g, const geo::Plan& plan,
                                            int lot) {
  check_plan(g, plan);
  std::map<std::string, CellIn> acc;  // ordered by class code
  std::map<std::string, double> rural_h;
  for (std::size_t u = 0; u < g.size(); ++u) {
    if (plan.lot_of[u] != lot) continue;
    const std::string cls = u < g.rural.size() && !g.rural[u].empty() ? g.rural[u] : "unknown";
    acc[cls].hours += at(g.hours, u);
    acc[cls].customers += at(g.customers, u);
  }
  std::vector<std::string> names;
  std::vector<CellIn> in;
  for (const auto& [cls, c] : acc) names.push_back(cls), in.push_back(c);
  const auto pub = publish_table(in);
  std::vector<ClassDemand> out;
  ClassDemand merged;
  double merged_rural = 0, merged_all = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (pub.cells[i].suppressed) {
      merged.cls += (merged.cls.empty() ? "" : "+") + names[i];
      merged_all += in[i].hours;
      if (is_rural_class(names[i])) merged_rural += in[i].hours;
      continue;
    }
    ClassDemand c;
    c.cls = names[i];
    c.rural = is_rural_class(names[i]);
    c.hours = pub.cells[i].hours;
    out.push_back(c);
  }
  if (!merged.cls.empty()) {
    const GroupOut& grp = pub.groups.at(0);
    merged.rural = merged_rural * 2 > merged_all;
    merged.hours = grp.combined_hours;
    merged.suppressed = !merged.hours.has_value();
    out.push_back(merged);
  }
  return out;
}

std::vector<ZoneFigures> zone_figures(const geo::UnitGraph& g, const geo::Plan& plan) {
  check_plan(g, plan);
  std::vector<ZoneFigures> out(std::max(plan.lot_count, 0));
  const auto cells = sector_cells(g, plan);
  const auto pub = publish_sectors(cells);
  std::vector<double> unmet(out.size(), 0), unmet_customers(out.size(), 0);
  for (std::size_t u = 0; u < g.size(); ++u) {
    const int z = plan.lot_of[u];
    if (z < 0 || z >= plan.lot_count || at(g.unmet_hours, u) <= 0) continue;
    unmet[z] += at(g.unmet_hours, u);
    unmet_customers[z] += std::max(at(g.customers, u), 1.0);
  }
  for (int z = 0; z < plan.lot_count; ++z) {
    ZoneFigures& f = out[z];
    if (auto it = pub.groups.find(z); it != pub.groups.end()) {
      f.hours = it->second.hours;
      f.customers = it->second.customers;
    }
    for (const auto& c : rural_class_demand(g, plan, z))
      if (c.rural && c.hours) f.rural_hours += *c.hours;
    if (unmet[z] <= 0)
      f.unmet_hours = 0.0;
    else if (std::lround(unmet_customers[z]) >= kMinCustomers)
      f.unmet_hours = round_hours(unmet[z]);
  }
  return out;
}

std::string provider_demand_csv(const std::vector<SectorDemand>& rows,
                                const std::vector<std::string>& zone_names) {
  std::ostringstream o;
  o << "sector,zone,zone_name,customers,hours,suppressed\n";
  for (const auto& r : rows) {
    const std::string zone = r.lot >= 0 ? std::to_string(r.lot + 1) : "";
    const std::string name = r.lot >= 0 && static_cast<std::size_t>(r.lot) < zone_names.size()
                                 ? zone_names[r.lot]
                             : r.lot >= 0 ? "Zone " + zone
                                          : "unassigned";
    o << csv_field(r.sector) << ',' << zone << ',' << csv_field(name) << ','
      << (r.customers ? std::to_string(*r.customers) : "") << ','
      << (r.hours
              ? fixed(geo::output_number(*r.hours, "provider-demand.csv", "hours of " + r.sector),
                      0)
              : "")
      << ',' << (r.suppressed ? "yes" : "no") << '\n';
    if (r.customers)
      geo::output_number(static_cast<double>(*r.customers), "provider-demand.csv",
                         "customers of " + r.sector);
  }
  return o.str();
}

}  // namespace lotwright::tender
