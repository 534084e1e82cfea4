#include "lotwright/tender/disclosure.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

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

std::vector<bool> suppress_cells(const std::vector<double>& customers,
                                 const std::vector<int>& group) {
  if (customers.size() != group.size())
    throw std::invalid_argument("suppress_cells: customers and group differ in size");
  std::vector<bool> out(customers.size(), false);
  std::map<int, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < customers.size(); ++i) {
    const long n = std::lround(customers[i]);
    out[i] = n > 0 && n < kMinCustomers;
    members[group[i]].push_back(i);
  }
  for (const auto& [g, idx] : members) {
    (void)g;
    const auto suppressed = std::count_if(idx.begin(), idx.end(), [&](auto i) { return out[i]; });
    if (suppressed != 1) continue;
    std::optional<std::size_t> pick, pick_zero;
    for (auto i : idx) {
      if (out[i]) continue;
      if (std::lround(customers[i]) <= 0) {
        if (!pick_zero) pick_zero = i;
        continue;
      }
      if (!pick || customers[i] < customers[*pick]) pick = i;
    }
    if (!pick) pick = pick_zero;
    if (pick) out[*pick] = true;
  }
  return out;
}

namespace {

void check_plan(const geo::UnitGraph& g, const geo::Plan& plan) {
  if (plan.lot_of.size() != g.size())
    throw geo::DataError("plan has " + std::to_string(plan.lot_of.size()) + " units, graph has " +
                         std::to_string(g.size()));
}

}  // namespace

std::vector<SectorDemand> provider_demand(const geo::UnitGraph& g, const geo::Plan& plan) {
  check_plan(g, plan);
  struct Acc {
    double hours = 0, customers = 0, wx = 0, wy = 0, sx = 0, sy = 0;
    long units = 0;
    std::map<int, double> lot_hours;
    std::map<int, long> lot_units;
  };
  std::map<std::string, Acc> acc;  // ordered: sectors sorted
  for (std::size_t u = 0; u < g.size(); ++u) {
    Acc& a = acc[detail::sector_of_unit(g.id[u])];
    const double h = u < g.hours.size() ? g.hours[u] : 0;
    a.hours += h;
    a.customers += u < g.customers.size() ? g.customers[u] : 0;
    const geo::Point p = u < g.site.size() ? g.site[u] : geo::Point{};
    a.wx += h * p.x;
    a.wy += h * p.y;
    a.sx += p.x;
    a.sy += p.y;
    ++a.units;
    a.lot_hours[plan.lot_of[u]] += h;
    ++a.lot_units[plan.lot_of[u]];
  }
  std::vector<SectorDemand> rows;
  std::vector<double> customers;
  std::vector<int> group;
  for (const auto& [sector, a] : acc) {
    SectorDemand d;
    d.sector = sector;
    // Lot with most hours; without hours, the lot with most units; ties: lowest lot id.
    int best = geo::kNoLot;
    double best_h = -1;
    long best_n = -1;
    for (const auto& [lot, h] : a.lot_hours) {
      const long n = a.lot_units.at(lot);
      if (h > best_h || (h == best_h && n > best_n)) {
        best = lot;
        best_h = h;
        best_n = n;
      }
    }
    d.lot = best < 0 ? -1 : best;
    d.hours = round_hours(a.hours);
    d.customers = std::lround(a.customers);
    d.centre = a.hours > 0 ? geo::Point{a.wx / a.hours, a.wy / a.hours}
                           : geo::Point{a.sx / a.units, a.sy / a.units};
    rows.push_back(d);
    customers.push_back(a.customers);
    group.push_back(d.lot);
  }
  const auto sup = suppress_cells(customers, group);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!sup[i]) continue;
    rows[i].suppressed = true;
    rows[i].hours.reset();
    rows[i].customers.reset();
  }
  return rows;
}

std::vector<ClassDemand> rural_class_demand(const geo::UnitGraph& g, const geo::Plan& plan,
                                            int lot) {
  check_plan(g, plan);
  struct Acc {
    std::string cls;
    double hours = 0, customers = 0;
  };
  std::map<std::string, Acc> acc;  // ordered by class code
  for (std::size_t u = 0; u < g.size(); ++u) {
    if (plan.lot_of[u] != lot) continue;
    const std::string cls = u < g.rural.size() && !g.rural[u].empty() ? g.rural[u] : "unknown";
    Acc& a = acc[cls];
    a.cls = cls;
    a.hours += g.hours[u];
    a.customers += u < g.customers.size() ? g.customers[u] : 0;
  }
  // Classes with 1..4 customers are combined; while the combination itself has fewer than 5,
  // the class with the fewest customers joins it (so no class total can be recovered from
  // the zone total). A combination that stays under 5 (the zone has under 5) is suppressed.
  std::vector<Acc> keep, merged;
  for (const auto& [cls, a] : acc) {
    const long n = std::lround(a.customers);
    (n > 0 && n < kMinCustomers ? merged : keep).push_back(a);
  }
  auto customers_of = [](const std::vector<Acc>& v) {
    double n = 0;
    for (const auto& a : v) n += a.customers;
    return n;
  };
  while (!merged.empty() && std::lround(customers_of(merged)) < kMinCustomers) {
    auto it = keep.end();
    for (auto k = keep.begin(); k != keep.end(); ++k)
      if (std::lround(k->customers) > 0 && (it == keep.end() || k->customers < it->customers))
        it = k;
    if (it == keep.end()) break;
    merged.push_back(*it);
    keep.erase(it);
  }
  std::vector<ClassDemand> out;
  for (const Acc& a : keep) {
    ClassDemand c;
    c.cls = a.cls;
    c.rural = is_rural_class(a.cls);
    c.hours = round_hours(a.hours);
    out.push_back(c);
  }
  if (!merged.empty()) {
    std::sort(merged.begin(), merged.end(),
              [](const Acc& x, const Acc& y) { return x.cls < y.cls; });
    ClassDemand c;
    c.rural = true;
    double hours = 0;
    for (const Acc& a : merged) {
      c.cls += (c.cls.empty() ? "" : "+") + a.cls;
      c.rural = c.rural && is_rural_class(a.cls);
      hours += a.hours;
    }
    c.suppressed = std::lround(customers_of(merged)) < kMinCustomers;
    if (!c.suppressed) c.hours = round_hours(hours);
    out.push_back(c);
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
      << (r.hours ? fixed(*r.hours, 0) : "") << ',' << (r.suppressed ? "yes" : "no") << '\n';
  }
  return o.str();
}

}  // namespace lotwright::tender
