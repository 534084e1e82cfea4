// Plans in and out: foreign plan CSVs (problems reported, never thrown for bad rows) and the
// plan folder (assignment.csv, lots.csv, metrics.json, plan.gpkg) written atomically.
// Formats in docs/outputs.md.
#include "lotwright/plan/plan_io.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "lotwright/core/error.hpp"
#include "lotwright/core/output_check.hpp"
#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/version.hpp"
#include "plan_gpkg.hpp"

namespace lotwright::geo {
namespace fs = std::filesystem;

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string num(double v, int decimals) { return plan_number(v, decimals); }

int kind_rank(const std::string& kind) {
  static const char* order[] = {"city", "town", "village", "suburb", "hamlet"};
  for (int i = 0; i < 5; ++i)
    if (kind == order[i]) return i;
  return 5;
}

// The care-round columns of lots.csv (docs/outputs.md), empty when not estimated.
const char* const kRoundColumns =
    "call_gap_median_min,call_gap_p90_min,call_gap_median_miles,legs_over_15_min_pct,"
    "legs_over_6_miles_pct,travel_min_per_contact_hour,workers_needed,"
    "travel_cost_per_contact_hour";

// A number cell of lots.csv, through the one output check (core/output_check.hpp).
std::string cell(double v, int decimals, int lot, const std::string& column) {
  return num(output_number(v, "lots.csv", column + " of lot " + std::to_string(lot)), decimals);
}

std::string round_cells(const RoundFigures& f, bool estimated, int lot) {
  if (!estimated) return ",,,,,,,";
  std::string s, names = kRoundColumns;
  std::size_t at = 0;
  for (double v : {f.call_gap_median_min, f.call_gap_p90_min, f.call_gap_median_miles,
                   f.legs_over_15_min_pct, f.legs_over_6_miles_pct, f.travel_min_per_contact_hour,
                   f.workers_needed, f.travel_cost_per_contact_hour}) {
    const std::size_t end = std::min(names.find(',', at), names.size());
    s += (s.empty() ? "" : ",") + cell(v, 2, lot, names.substr(at, end - at));
    at = end + 1;
  }
  return s;
}

std::string lots_csv(const PlanMetrics& m) {
  std::ostringstream o;
  o << "lot,name,tier,hours,customers,units,pieces,hub,mean_travel_min,p95_travel_min,"
       "max_travel_min,area_km2,rural_hours,within_band,"
    << kRoundColumns << "\n";
  for (const auto& l : m.lots)
    o << l.lot << "," << csv_field(l.name) << "," << csv_field(l.tier) << ","
      << cell(l.hours, 2, l.lot, "hours") << "," << cell(l.customers, 2, l.lot, "customers") << ","
      << l.units << "," << l.pieces << "," << csv_field(l.hub) << ","
      << cell(l.mean_travel_min, 2, l.lot, "mean_travel_min") << ","
      << cell(l.p95_travel_min, 2, l.lot, "p95_travel_min") << ","
      << cell(l.max_travel_min, 2, l.lot, "max_travel_min") << ","
      << cell(l.area_km2, 3, l.lot, "area_km2") << ","
      << cell(l.rural_hours, 2, l.lot, "rural_hours") << "," << (l.within_band ? "yes" : "no")
      << "," << round_cells(l.rounds, m.rounds_estimated, l.lot) << "\n";
  return o.str();
}

}  // namespace

std::string plan_number(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s == "-0" || s.rfind("-0.", 0) == 0) {
    bool zero = true;
    for (char c : s.substr(1)) zero = zero && (c == '0' || c == '.');
    if (zero) s = s.substr(1);
  }
  return s;
}

std::vector<std::vector<std::string>> lot_places(const UnitGraph& g, const Plan& plan,
                                                 const RoadNetwork* roads) {
  const int k = plan.lot_count;
  std::vector<std::vector<std::string>> out(static_cast<std::size_t>(std::max(k, 0)));
  if (!roads || g.size() == 0) return out;
  struct Found {
    int rank;
    double hours;
    std::string name;
  };
  std::vector<std::vector<Found>> found(out.size());
  for (const auto& p : roads->places) {
    if (p.name.empty()) continue;
    // The lot of the nearest unit site (= the Voronoi cell holding the place).
    double best = std::numeric_limits<double>::infinity();
    std::size_t bu = 0;
    for (std::size_t u = 0; u < g.size(); ++u) {
      const double dx = g.site[u].x - p.site.x, dy = g.site[u].y - p.site.y;
      if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, bu = u;
    }
    if (best > 2000.0 * 2000.0) continue;  // far outside every unit: not in the area
    const int l = bu < plan.lot_of.size() ? plan.lot_of[bu] : kNoLot;
    if (l < 0 || l >= k) continue;
    double near = 0;  // the lot's weekly hours within 1.5 km of the place
    for (std::size_t u = 0; u < g.size(); ++u) {
      const double dx = g.site[u].x - p.site.x, dy = g.site[u].y - p.site.y;
      if (plan.lot_of[u] == l && dx * dx + dy * dy <= 1500.0 * 1500.0) near += g.hours[u];
    }
    found[static_cast<std::size_t>(l)].push_back({kind_rank(p.kind), near, p.name});
  }
  for (std::size_t l = 0; l < out.size(); ++l) {
    auto& f = found[l];
    std::sort(f.begin(), f.end(), [](const Found& a, const Found& b) {
      if (a.rank != b.rank) return a.rank < b.rank;
      if (a.hours != b.hours) return a.hours > b.hours;
      return a.name < b.name;
    });
    for (const auto& x : f)
      if (std::find(out[l].begin(), out[l].end(), x.name) == out[l].end()) out[l].push_back(x.name);
  }
  return out;
}

namespace {

// A postcode's sector ("ZX1 4AB" -> "ZX1 4": study/county.hpp, the disclosure's sectors too)
// and district ("ZX1"); an id that is not a postcode (a ward, an LSOA) is its own.
std::string sector_of(const std::string& id) {
  const std::string s = postcode_sector(id);
  return s.empty() ? id : s;
}
std::string district_of(const std::string& id) {
  const std::string s = postcode_sector(id);
  return s.empty() ? id : s.substr(0, s.find(' '));
}

// The prefixes `cut` gives lot l's units, the most weekly hours first (then the most units,
// then by name); never empty for a lot holding a unit.
std::vector<std::string> ranked_prefixes(const UnitGraph& g, const Plan& plan, int l,
                                         std::string (*cut)(const std::string&)) {
  std::map<std::string, std::pair<double, int>> by;
  for (std::size_t u = 0; u < g.size() && u < plan.lot_of.size(); ++u)
    if (plan.lot_of[u] == l) {
      auto& b = by[cut(g.id[u])];
      b.first += g.hours[u], ++b.second;
    }
  std::vector<std::pair<std::string, std::pair<double, int>>> v(by.begin(), by.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    if (a.second.first != b.second.first) return a.second.first > b.second.first;
    return a.second.second > b.second.second;
  });
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.first);
  if (out.empty()) out.push_back("");
  return out;
}

}  // namespace

std::vector<std::string> lot_names(const UnitGraph& g, const Plan& plan, const RoadNetwork* roads) {
  const int k = plan.lot_count;
  std::vector<std::string> names(static_cast<std::size_t>(k));
  const auto places = lot_places(g, plan, roads);
  std::set<std::string> used;
  for (int l = 0; l < k; ++l) {
    const auto& uniq = places[l];
    std::string name;
    if (!uniq.empty()) {
      name = uniq[0];
      for (std::size_t i = 1; i < uniq.size(); ++i)
        if (!used.count(uniq[0] + " & " + uniq[i])) {
          name = uniq[0] + " & " + uniq[i];
          break;
        }
    } else {
      // No named place: the lot's postcode districts ("ZX1"), the most hours first, then
      // their sectors ("ZX1 4"); the first not yet used, alone or with the second.
      for (const auto& cut : {district_of, sector_of}) {
        const auto ranked = ranked_prefixes(g, plan, l, cut);
        if (ranked.empty()) continue;
        if (!used.count(ranked[0]))
          name = ranked[0];
        else if (ranked.size() > 1 && !used.count(ranked[0] + " & " + ranked[1]))
          name = ranked[0] + " & " + ranked[1];
        if (!name.empty()) break;
      }
      if (name.empty()) name = ranked_prefixes(g, plan, l, district_of).front();
    }
    if (name.empty() || used.count(name))
      name += (name.empty() ? "" : " ") + std::string("(lot ") + std::to_string(l + 1) + ")";
    used.insert(name);
    names[l] = name;
  }
  return names;
}

std::string assignment_csv(const UnitGraph& g, const Plan& plan) {
  // hub: "1" on the row of each lot's hub postcode (docs/outputs.md).
  std::vector<char> is_hub(g.size(), 0);
  for (std::size_t l = 0; l < plan.hub.size(); ++l) {
    const int h = plan.hub[l];
    if (h >= 0 && static_cast<std::size_t>(h) < g.size() &&
        static_cast<std::size_t>(h) < plan.lot_of.size() && plan.lot_of[h] == static_cast<int>(l))
      is_hub[h] = 1;
  }
  std::string out = "postcode,lot,hub\n";
  for (std::size_t u = 0; u < g.size(); ++u) {
    const int lot = u < plan.lot_of.size() ? plan.lot_of[u] : kNoLot;
    if (lot == kNoLot) continue;
    const std::string& id = g.id[u];
    if (id.find_first_of(",\"\n") != std::string::npos) {
      std::string q = "\"";
      for (char c : id) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += q + "\"";
    } else {
      out += id;
    }
    out += "," + std::to_string(lot + 1) + (is_hub[u] ? ",1\n" : ",\n");
  }
  return out;
}

void save_assignment_csv(const fs::path& file, const UnitGraph& g, const Plan& plan) {
  write_file_atomic(file, assignment_csv(g, plan));
}

void write_plan(const fs::path& dir, const PlanOutputs& out) {
  if (!out.graph || !out.plan) throw UsageError("write_plan: graph and plan are required");
  const UnitGraph& g = *out.graph;
  Plan plan = *out.plan;
  plan.lot_of.resize(g.size(), kNoLot);
  if (static_cast<int>(plan.name.size()) < plan.lot_count)
    plan.name.resize(static_cast<std::size_t>(plan.lot_count));
  bool any_empty = false;
  for (const auto& n : plan.name) any_empty = any_empty || n.empty();
  if (any_empty) {
    const auto names = lot_names(g, plan, out.roads);
    for (int l = 0; l < plan.lot_count; ++l)
      if (plan.name[l].empty()) plan.name[l] = names[l];
  }
  PlanMetrics computed;
  if (!out.metrics) {
    EvaluateOptions eo;
    eo.units = out.units;  // lot perimeters for Polsby-Popper
    computed = evaluate(g, plan, eo);
  }
  PlanMetrics m = out.metrics ? *out.metrics : computed;
  for (auto& lm : m.lots)
    if (lm.name.empty() && lm.lot - 1 < plan.lot_count) lm.name = plan.name[lm.lot - 1];
  // Hubs as the metrics found them when the plan has none.
  plan.hub.resize(static_cast<std::size_t>(plan.lot_count), -1);
  for (const auto& lm : m.lots)
    if (lm.lot - 1 < plan.lot_count && plan.hub[lm.lot - 1] < 0 && !lm.hub.empty())
      plan.hub[lm.lot - 1] = g.find(lm.hub);

  // Everything is made in a temporary folder inside dir, then each file is renamed into
  // place: a failure leaves dir as it was.
  const std::vector<std::string> files = {"assignment.csv", "lots.csv", "metrics.json",
                                          "plan.gpkg"};
  for (const auto& f : files)
    if (fs::is_directory(dir / f))
      throw DataError(where(dir / f) + "is a folder; cannot write the plan file there");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw DataError(where(dir) + "cannot create folder: " + ec.message());
  const fs::path tmp = dir / (".lotwright-plan-" + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  if (ec) throw DataError(where(tmp) + "cannot create folder: " + ec.message());
  try {
    auto put = [&](const std::string& name, const std::string& text) {
      std::ofstream o(tmp / name, std::ios::binary);
      o << text;
      o.close();
      if (!o) throw DataError(where(dir / name) + "cannot write");
    };
    put("assignment.csv", assignment_csv(g, plan));
    put("lots.csv", lots_csv(m));
    put("metrics.json", metrics_json(m));
    write_gpkg(tmp / "plan.gpkg", out, plan, m);
    sync_to_disk(tmp);  // on disk before the renames (gis/io.hpp)
    for (const auto& f : files) {
      fs::rename(tmp / f, dir / f, ec);
      if (ec) throw DataError(where(dir / f) + "cannot write: " + ec.message());
    }
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  fs::remove_all(tmp, ec);
  sync_parent(dir / files.front());
}

}  // namespace lotwright::geo
