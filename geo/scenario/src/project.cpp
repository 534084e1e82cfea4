// Demand growth (project.hpp): a plan evaluated year by year, the first failing year per lot,
// the re-plan with keep_from.
#include "lotwright/scenario/project.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "lotwright/core/error.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/gis/io.hpp"

namespace lotwright::geo {

std::vector<GrowthFactor> read_growth_csv(const std::filesystem::path& file) {
  const Table t = read_table(file, "", {"area", "year", "factor"});
  std::vector<GrowthFactor> out;
  for (const auto& row : t.rows) {
    GrowthFactor g;
    g.area = row.values[0];
    if (g.area.empty())
      throw DataError(where(file, row.line) + "column \"area\": empty (\"*\" means every unit)");
    const double year = parse_number(row.values[1], file, row.line, "year");
    if (year != std::floor(year) || year < 1900 || year > 2200)
      throw DataError(where(file, row.line) + "column \"year\": \"" + row.values[1] +
                      "\" is not a year");
    g.year = static_cast<int>(year);
    g.factor = parse_number(row.values[2], file, row.line, "factor");
    if (g.factor <= 0)
      throw DataError(where(file, row.line) + "column \"factor\": expected a number > 0");
    out.push_back(g);
  }
  return out;
}

std::vector<double> unit_growth(const Study& study, const std::vector<GrowthFactor>& growth,
                                int year) {
  std::map<std::string, double> by_area;  // product of the year's rows per area
  for (const auto& g : growth)
    if (g.year == year) {
      auto [it, fresh] = by_area.emplace(g.area, 1.0);
      it->second *= g.factor;
    }
  const UnitGraph& graph = study.graph;
  std::vector<double> out(graph.size(), 1.0);
  auto factor = [&](const std::string& key) {
    const auto it = by_area.find(key);
    return it == by_area.end() ? 1.0 : it->second;
  };
  for (std::size_t u = 0; u < graph.size(); ++u) {
    const std::string& id = graph.id[u];
    double f = factor("*") * factor(id);
    const auto space = id.find(' ');
    if (space != std::string::npos) f *= factor(id.substr(0, space));
    if (u < study.units.units.size() && study.units.units[u].id == id &&
        !study.units.units[u].postcodes.empty()) {
      const int pc = study.units.units[u].postcodes.front();
      if (pc >= 0 && pc < static_cast<int>(study.county.postcodes.size())) {
        const std::string& key = study.county.postcodes[pc].area_key;
        if (!key.empty() && key != id) f *= factor(key);
      }
    }
    out[u] = f;
  }
  return out;
}

namespace {

UnitGraph grown_graph(const UnitGraph& base, const std::vector<double>& f) {
  UnitGraph g = base;
  for (std::size_t u = 0; u < g.size(); ++u) {
    g.hours[u] *= f[u];
    if (u < g.customers.size()) g.customers[u] *= f[u];
    if (u < g.unmet_hours.size()) g.unmet_hours[u] *= f[u];
  }
  return g;
}

void set_first(int& first, bool flag, int year) {
  if (flag && first == 0) first = year;
}

}  // namespace

Projection project_plan(const Study& study, const Plan& plan,
                        const std::vector<GrowthFactor>& growth, const ProjectionOptions& o) {
  if (o.to_year < o.from_year)
    throw UsageError("--years " + std::to_string(o.from_year) + ":" + std::to_string(o.to_year) +
                     ": the last year is before the first");
  const DesignConfig& design = study.config.design;
  const EvaluateOptions eo = evaluate_options(study, design);
  const PlanMetrics base = evaluate(study.graph, plan, eo);
  Projection p;
  for (int l = 0; l < plan.lot_count; ++l) {
    LotProjection lp;
    lp.lot = l;
    lp.name = l < static_cast<int>(plan.name.size()) ? plan.name[l] : "";
    p.lots.push_back(lp);
  }
  for (int year = o.from_year; year <= o.to_year; ++year) {
    const UnitGraph g = grown_graph(study.graph, unit_growth(study, growth, year));
    const PlanMetrics m = evaluate(g, plan, eo);
    p.total_hours.push_back(m.total_hours);
    bool failing = false;
    for (const auto& lm : m.lots) {
      const int l = lm.lot - 1;
      if (l < 0 || l >= plan.lot_count) continue;
      // The band of the base year's demand: the contract's band does not grow with demand.
      const auto bands = lot_bands(design, lm.tier, base.assigned_hours, plan.lot_count);
      LotYear y;
      y.year = year;
      y.metrics = lm;
      if (!bands.empty()) y.band_min = bands.front().lo, y.band_max = bands.front().hi;
      y.within_band = bands.empty() || within_any_band(lm.hours, bands);
      y.gap_over = m.rounds_estimated && lm.rounds.call_gap_p90_min > o.max_call_gap_p90_min + 1e-9;
      // A postcode with hours beyond the travel limit (evaluate's travel violations; zero-hour
      // postcodes far from the hub are no breach).
      for (const auto& v : m.violations)
        if (v.what == "travel" && v.lot == lm.lot) y.travel_over = true;
      LotProjection& lp = p.lots[l];
      if (lp.name.empty()) lp.name = lm.name;
      set_first(lp.leaves_band, !y.within_band, year);
      set_first(lp.gap_over, y.gap_over, year);
      set_first(lp.travel_over, y.travel_over, year);
      failing = failing || !y.within_band || y.gap_over || y.travel_over;
      lp.years.push_back(y);
    }
    if (failing && p.first_failing_year == 0) p.first_failing_year = year;
  }
  if (o.replan && p.first_failing_year != 0 && !o.plan_file.empty()) {
    Study grown = study;
    grown.graph = grown_graph(study.graph, unit_growth(study, growth, p.first_failing_year));
    DesignConfig d = design;
    d.keep_from = o.plan_file;
    DesignOverrides ov;
    ov.measure_relaxations = false;
    DesignOutcome out;
    const auto band = equal_hours_band(base.assigned_hours, plan.lot_count, design.tolerance);
    if (design.tiers.empty() && band) {
      // Lots mode: the re-plan is held to the band the projection judged (the base year's
      // mean ± tolerance, the contract's band) as one tier, so it moves the hours a lot that
      // left the band must shed, with more lots when the grown hours need them. A re-plan at
      // the grown year's mean would find a lot 5% over the base band inside its own wider
      // band and change nothing (IoW example: kept share 100% in the first failing year).
      d.lots.reset();
      d.tiers = {TierConfig{"base band", band->lo, band->hi, {}}};
      try {
        out = run_design(grown, d, ov);
        p.replan_base_band = out.metrics.feasible;
      } catch (const InfeasibleError&) {
        p.replan_base_band = false;
      }
      if (!p.replan_base_band) {  // the band cannot hold the grown hours: the same lots
        d.tiers.clear();
        d.lots = plan.lot_count;
      }
    }
    if (!p.replan_base_band) out = run_design(grown, d, ov);
    p.replan_lots = out.plan.lot_count;
    p.replan = out.plan;
    p.replan_feasible = out.metrics.feasible;
    p.replan_kept_share = out.metrics.baseline_kept_share;
    double total = 0;
    for (double h : grown.graph.hours) total += h;
    p.replan_changed_hours = total * (1 - p.replan_kept_share);
  }
  return p;
}

namespace {

std::string fmt(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string projection_csv(const Projection& p) {
  std::ostringstream o;
  o << "lot,name,year,hours,band_min,band_max,within_band,mean_travel_min,max_travel_min,"
       "call_gap_p90_min,workers_needed,gap_over,travel_over\n";
  for (const auto& lp : p.lots)
    for (const auto& y : lp.years)
      o << lp.lot + 1 << ","
        << (lp.name.find_first_of(",\"") == std::string::npos ? lp.name : "\"" + lp.name + "\"")
        << "," << y.year << "," << fmt(y.metrics.hours, 2) << "," << fmt(y.band_min, 2) << ","
        << fmt(y.band_max, 2) << "," << (y.within_band ? 1 : 0) << ","
        << fmt(y.metrics.mean_travel_min, 2) << "," << fmt(y.metrics.max_travel_min, 2) << ","
        << fmt(y.metrics.rounds.call_gap_p90_min, 2) << ","
        << fmt(y.metrics.rounds.workers_needed, 2) << "," << (y.gap_over ? 1 : 0) << ","
        << (y.travel_over ? 1 : 0) << "\n";
  return o.str();
}

}  // namespace lotwright::geo
