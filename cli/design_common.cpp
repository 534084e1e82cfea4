#include "design_common.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "lotwright/study/county.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/plan_io.hpp"

namespace lotwright::cli {

std::vector<int> read_lot_numbers(const std::filesystem::path& file, const geo::UnitGraph& g,
                                  bool strict, std::vector<std::string>* problems) {
  const geo::Table t = geo::read_table(file, "", {"postcode", "lot"});
  std::vector<int> out(g.size(), geo::kNoLot);
  std::vector<std::pair<std::size_t, std::string>> named;  // unit, lot name
  long unknown = 0;
  for (const auto& r : t.rows) {
    const std::string& raw = r.values[0];
    int u = g.find(raw);
    if (u < 0) u = g.find(geo::normalise_postcode(raw));
    if (u < 0) {
      if (strict)
        throw geo::DataError(geo::where(file, r.line) + "column \"postcode\": \"" + raw +
                             "\" is not a postcode of this study");
      ++unknown;
      continue;
    }
    const std::string& lot = r.values[1];
    char* end = nullptr;
    const double v = std::strtod(lot.c_str(), &end);
    if (!lot.empty() && end && *end == '\0') {
      if (v < 1 || v != std::floor(v)) {
        if (strict)
          throw geo::DataError(geo::where(file, r.line) + "column \"lot\": \"" + lot +
                               "\" must be a lot number from 1");
        continue;
      }
      out[static_cast<std::size_t>(u)] = static_cast<int>(v) - 1;
    } else if (!lot.empty()) {
      named.emplace_back(static_cast<std::size_t>(u), lot);
    }
  }
  if (!named.empty()) {
    int next = 0;
    for (int l : out) next = std::max(next, l + 1);
    std::set<std::string> names;
    for (const auto& n : named) names.insert(n.second);
    std::map<std::string, int> id;
    for (const auto& n : names) id[n] = next++;
    for (const auto& [u, n] : named) out[u] = id[n];
  }
  if (unknown && problems)
    problems->push_back(file.filename().string() + ": " + std::to_string(unknown) +
                        " rows name postcodes that are not units of this study; ignored");
  return out;
}

geo::EvaluateOptions evaluate_options(const geo::Study& study, const geo::DesignConfig& design) {
  geo::EvaluateOptions eo;
  eo.design = &design;
  double outside = 0;
  for (const auto& u : study.county.unassigned) outside += u.hours;
  eo.outside_unassigned_hours = outside;
  eo.unit_area_m2 = &study.graph.area_m2;
  eo.units = &study.units;  // lot perimeters for Polsby-Popper
  return eo;
}

DesignOutcome design_study(const geo::Study& study, std::optional<int> lots,
                           std::optional<std::uint64_t> seed, const std::filesystem::path& baseline,
                           std::ostream& warn) {
  DesignOutcome o;
  o.design = study.config.design;
  if (lots) {
    o.design.lots = *lots;
  }
  if (seed) o.design.seed = *seed;
  geo::DesignRequest req;
  req.design = o.design;
  req.time_limit_s = o.design.time_limit_seconds;
  std::vector<std::string> problems;
  if (!o.design.locked.empty())
    req.locked = read_lot_numbers(o.design.locked, study.graph, true, nullptr);
  if (!o.design.keep_from.empty())
    req.keep_from = read_lot_numbers(o.design.keep_from, study.graph, false, &problems);
  for (const auto& p : problems) warn << "warning: " << p << "\n";
  const auto t0 = std::chrono::steady_clock::now();
  o.plan = geo::design(study.graph, req, &o.report);
  o.plan.name = geo::lot_names(study.graph, o.plan, study.roads.get());
  o.metrics = geo::evaluate(study.graph, o.plan, evaluate_options(study, o.design));
  o.metrics.runtime_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!baseline.empty()) {
    std::vector<std::string> bp;
    const geo::Plan base = geo::read_plan_csv(baseline, study.graph, &bp);
    for (const auto& p : bp) warn << "warning: baseline: " << p << "\n";
    o.metrics.baseline_kept_share = geo::kept_share(study.graph, o.plan, base);
  } else if (!req.keep_from.empty()) {
    geo::Plan base;
    base.lot_of = req.keep_from;
    o.metrics.baseline_kept_share = geo::kept_share(study.graph, o.plan, base);
  }
  return o;
}

void write_study_plan(const std::filesystem::path& dir, const geo::Study& study,
                      const DesignOutcome& o) {
  geo::PlanOutputs po;
  po.graph = &study.graph;
  po.units = &study.units;
  po.roads = study.roads.get();
  po.plan = &o.plan;
  po.metrics = &o.metrics;
  po.design = &o.design;
  po.config = study.config.file;
  geo::write_plan(dir, po);
}

void print_lot_table(std::ostream& os, const geo::PlanMetrics& m) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%4s  %-32s %-10s %9s %7s %6s %6s %9s %8s\n", "lot", "name",
                "tier", "hours", "dev%", "units", "pieces", "mean min", "max min");
  os << buf;
  const double mean = m.lots.empty() ? 0 : m.assigned_hours / static_cast<double>(m.lots.size());
  for (const auto& l : m.lots) {
    std::string name = l.name.size() > 32 ? l.name.substr(0, 31) + "~" : l.name;
    std::snprintf(buf, sizeof buf, "%4d  %-32s %-10s %9.1f %+7.1f %6d %6d %9.1f %8.1f\n", l.lot,
                  name.c_str(), l.tier.c_str(), l.hours,
                  mean > 0 ? 100 * (l.hours - mean) / mean : 0.0, l.units, l.pieces,
                  l.mean_travel_min, l.max_travel_min);
    os << buf;
  }
  std::snprintf(buf, sizeof buf,
                "total %.1f h, assigned %.1f h, unassigned %.1f h; max deviation %.1f%%, CV %.3f; "
                "%d of %zu lots within band; hours-weighted travel to hub %.2f min\n",
                m.total_hours, m.assigned_hours, m.unassigned_hours, m.max_deviation_pct, m.cv,
                m.lots_within_band, m.lots.size(), m.mean_travel_min);
  os << buf;
  if (m.baseline_kept_share >= 0) {
    std::snprintf(buf, sizeof buf, "hours kept in the same lot as the baseline: %.1f%%\n",
                  100 * m.baseline_kept_share);
    os << buf;
  }
}

}  // namespace lotwright::cli
