#include "lotwright/tender/disclosure.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "lotwright/geo/county.hpp"
#include "lotwright/geo/error.hpp"
#include "lotwright/geo/io.hpp"
#include "lotwright/tender/tender.hpp"
#include "internal.hpp"
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
  std::map<std::string, std::pair<double, double>> acc;  // class -> hours, customers
  for (std::size_t u = 0; u < g.size(); ++u) {
    if (plan.lot_of[u] != lot) continue;
    const std::string cls = u < g.rural.size() && !g.rural[u].empty() ? g.rural[u] : "unknown";
    auto& a = acc[cls];
    a.first += g.hours[u];
    a.second += u < g.customers.size() ? g.customers[u] : 0;
  }
  std::vector<ClassDemand> out;
  std::vector<double> customers;
  for (const auto& [cls, a] : acc) {
    ClassDemand c;
    c.cls = cls;
    c.rural = is_rural_class(cls);
    c.hours = round_hours(a.first);
    out.push_back(c);
    customers.push_back(a.second);
  }
  const auto sup = suppress_cells(customers, std::vector<int>(customers.size(), 0));
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!sup[i]) continue;
    out[i].suppressed = true;
    out[i].hours.reset();
  }
  return out;
}

std::string provider_demand_csv(const std::vector<SectorDemand>& rows, const geo::Plan& plan) {
  std::ostringstream o;
  o << "sector,zone,zone_name,customers,hours,suppressed\n";
  for (const auto& r : rows) {
    const std::string zone = r.lot >= 0 ? std::to_string(r.lot + 1) : "";
    const std::string name = r.lot >= 0 ? zone_name(plan, r.lot) : "unassigned";
    o << csv_field(r.sector) << ',' << zone << ',' << csv_field(name) << ','
      << (r.customers ? std::to_string(*r.customers) : "") << ','
      << (r.hours ? fixed(*r.hours, 0) : "") << ',' << (r.suppressed ? "yes" : "no") << '\n';
  }
  return o.str();
}

void write_provider_demand_csv(const std::filesystem::path& file,
                               const std::vector<SectorDemand>& rows, const geo::Plan& plan) {
  geo::write_file_atomic(file, provider_demand_csv(rows, plan));
}

}  // namespace lotwright::tender
