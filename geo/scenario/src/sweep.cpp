// Scenario sweeps (sweep.hpp): the axes, the scenarios, designing them in parallel on one
// study, sweep.csv and its reader, the Pareto set.
#include "lotwright/scenario/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>

#include "lotwright/core/error.hpp"
#include "lotwright/core/parallel.hpp"
#include "report_draw.hpp"

namespace lotwright::geo {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

bool parse_double(const std::string& text, double& out) {
  const std::string t = trim(text);
  if (t.empty()) return false;
  char* end = nullptr;
  out = std::strtod(t.c_str(), &end);
  return end && *end == '\0' && std::isfinite(out);
}

}  // namespace

std::vector<int> parse_int_axis(const std::string& text, const std::string& what) {
  auto bad = [&](const std::string& why) -> UsageError {
    return UsageError(what + " \"" + text + "\": " + why +
                      " (expected FROM:TO, FROM:TO:STEP or a list 4,6,8 of whole numbers >= 1)");
  };
  auto whole = [&](const std::string& s) {
    double v = 0;
    if (!parse_double(s, v) || v != std::floor(v) || v < 1 || v > 100000)
      throw bad("\"" + trim(s) + "\" is not a whole number >= 1");
    return static_cast<int>(v);
  };
  std::vector<int> out;
  if (text.find(':') != std::string::npos) {
    const auto parts = split(text, ':');
    if (parts.size() > 3) throw bad("too many ':'");
    const int from = whole(parts[0]), to = whole(parts[1]);
    const int step = parts.size() == 3 ? whole(parts[2]) : 1;
    if (to < from) throw bad("TO is below FROM");
    for (int v = from; v <= to; v += step) out.push_back(v);
  } else {
    for (const auto& p : split(text, ',')) out.push_back(whole(p));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<double> parse_number_axis(const std::string& text, const std::string& what) {
  std::vector<double> out;
  for (const auto& p : split(text, ',')) {
    double v = 0;
    if (!parse_double(p, v) || v <= 0)
      throw UsageError(what + " \"" + text + "\": \"" + trim(p) +
                       "\" is not a number > 0 (expected a list such as 20,25,30)");
    out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string Scenario::label() const {
  std::string s = tiers_set.empty() ? std::to_string(design.lots.value_or(0)) + " lots" : tiers_set;
  s += ", " + report::fixed(design.max_travel_minutes, 1, "") + " min";
  if (tiers_set.empty()) s += ", ±" + report::fixed(100 * design.tolerance, 1, "") + "%";
  return s;
}

std::vector<Scenario> sweep_scenarios(const SweepSpec& spec, const DesignConfig& base) {
  const std::vector<double> travel =
      spec.max_travel.empty() ? std::vector<double>{base.max_travel_minutes} : spec.max_travel;
  const std::vector<double> tol =
      spec.tolerance.empty() ? std::vector<double>{base.tolerance} : spec.tolerance;
  std::vector<Scenario> out;
  auto add = [&](DesignConfig d, const std::string& set) {
    Scenario s;
    s.index = static_cast<int>(out.size()) + 1;
    s.design = std::move(d);
    s.tiers_set = set;
    out.push_back(std::move(s));
  };
  std::vector<int> lots = spec.lots;
  if (lots.empty() && spec.tiers_sets.empty()) {
    // The config's own mode: its lots, or its tiers as one set.
    if (!base.lots) {
      for (double t : travel) {
        DesignConfig d = base;
        d.max_travel_minutes = t;
        add(d, "config tiers");
      }
      return out;
    }
    lots.push_back(*base.lots);
  }
  for (int n : lots)
    for (double t : travel)
      for (double e : tol) {
        DesignConfig d = base;
        d.lots = n;
        d.tiers.clear();
        d.max_travel_minutes = t;
        d.tolerance = e;
        add(d, "");
      }
  for (const auto& set : spec.tiers_sets)
    for (double t : travel) {
      DesignConfig d = base;
      d.lots.reset();
      d.tiers = set.tiers;
      d.max_travel_minutes = t;
      add(d, set.name);
    }
  return out;
}

const std::vector<std::string>& sweep_figure_columns() {
  static const std::vector<std::string> c = {"lots",
                                             "feasible",
                                             "proved_infeasible",
                                             "violations",
                                             "gap_pct",
                                             "lower_bound_min",
                                             "mean_travel_min",
                                             "max_travel_min",
                                             "max_deviation_pct",
                                             "lots_within_band",
                                             "unassigned_hours",
                                             "mean_lot_hours",
                                             "mean_lot_value_gbp",
                                             "providers_needed",
                                             "workers_needed",
                                             "call_gap_median_min",
                                             "call_gap_p90_min",
                                             "legs_over_15_min_pct",
                                             "travel_min_per_contact_hour",
                                             "travel_cost_per_contact_hour",
                                             "stopped_on_time"};
  return c;
}

double SweepRow::figure(const std::string& name) const {
  for (const auto& [k, v] : figures)
    if (k == name) return v;
  return std::numeric_limits<double>::quiet_NaN();
}

SweepRow sweep_row(const Scenario& s, const DesignOutcome& o, double price_per_hour) {
  SweepRow r;
  r.scenario = s.index;
  r.mode = s.tiers_set.empty() ? "lots" : "tiers";
  r.tiers_set = s.tiers_set;
  r.lots_asked = s.tiers_set.empty() ? s.design.lots.value_or(0) : 0;
  r.max_travel_min = s.design.max_travel_minutes;
  r.tolerance = s.tiers_set.empty() ? s.design.tolerance : 0;
  const PlanMetrics& m = o.metrics;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  double max_travel = 0, hours = 0;
  int with_hours = 0;
  for (const auto& l : m.lots) {
    max_travel = std::max(max_travel, l.max_travel_min);
    hours += l.hours;
    if (l.hours > 0) ++with_hours;
  }
  const double n = static_cast<double>(m.lots.size());
  const double mean_hours = n > 0 ? hours / n : 0;
  const bool rounds = m.rounds_estimated;
  r.figures = {
      {"lots", n},
      {"feasible", m.feasible ? 1 : 0},
      {"proved_infeasible", o.report.proved_infeasible ? 1 : 0},
      {"violations", static_cast<double>(m.violations.size())},
      {"gap_pct", m.gap_pct >= 0 ? m.gap_pct : nan},
      {"lower_bound_min", m.lower_bound_min >= 0 ? m.lower_bound_min : nan},
      {"mean_travel_min", m.mean_travel_min},
      {"max_travel_min", max_travel},
      {"max_deviation_pct", m.max_deviation_pct},
      {"lots_within_band", m.lots_within_band},
      {"unassigned_hours", m.unassigned_hours},
      {"mean_lot_hours", mean_hours},
      {"mean_lot_value_gbp", mean_hours * 52 * price_per_hour},
      {"providers_needed", with_hours},
      {"workers_needed", rounds ? m.rounds.workers_needed : nan},
      {"call_gap_median_min", rounds ? m.rounds.call_gap_median_min : nan},
      {"call_gap_p90_min", rounds ? m.rounds.call_gap_p90_min : nan},
      {"legs_over_15_min_pct", rounds ? m.rounds.legs_over_15_min_pct : nan},
      {"travel_min_per_contact_hour", rounds ? m.rounds.travel_min_per_contact_hour : nan},
      {"travel_cost_per_contact_hour", rounds ? m.rounds.travel_cost_per_contact_hour : nan},
      // 1: a wall-clock safety stop cut the design or its certificate short, so this row
      // may differ between runs (docs/scenarios.md); 0: the fixed work budget's result.
      {"stopped_on_time", o.report.stopped_on_time ? 1 : 0},
  };
  return r;
}

SweepResult run_sweep(const Study& study, const std::vector<Scenario>& scenarios,
                      const SweepSpec& spec, const SweepOptions& options) {
  if (options.shards < 1 || options.shard < 1 || options.shard > options.shards)
    throw UsageError("shard " + std::to_string(options.shard) + "/" +
                     std::to_string(options.shards) + ": expected I/N with 1 <= I <= N");
  std::vector<const Scenario*> mine;
  for (const auto& s : scenarios)
    if ((s.index - 1) % options.shards == options.shard - 1) mine.push_back(&s);
  SweepResult r;
  r.rows.resize(mine.size());
  r.plans.resize(mine.size());
  std::mutex progress_mutex;
  int done = 0;
  const unsigned threads = options.threads ? options.threads : detail::worker_count();
  detail::parallel_for(
      mine.size(),
      [&](std::size_t i) {
        DesignOverrides ov;
        ov.measure_relaxations = false;
        DesignOutcome o;
        try {
          o = run_design(study, mine[i]->design, ov);
        } catch (const InfeasibleError& e) {
          // No plan at all (more lots than units, ...): a row flagged infeasible, no plan.
          o.metrics.feasible = false;
          o.report.proved_infeasible = true;
        }
        r.rows[i] = sweep_row(*mine[i], o, spec.price_per_hour);
        r.plans[i] = std::move(o.plan);
        if (options.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          options.progress(++done, static_cast<int>(mine.size()), mine[i]->label());
        }
      },
      threads);
  return r;
}

std::string sweep_csv(const std::vector<SweepRow>& rows) {
  std::ostringstream o;
  o << "scenario,mode,tiers_set,lots_asked,max_travel_limit_min,tolerance";
  for (const auto& c : sweep_figure_columns()) o << "," << c;
  o << "\n";
  for (const auto& r : rows) {
    o << r.scenario << "," << r.mode << "," << r.tiers_set << ","
      << (r.mode == "lots" ? std::to_string(r.lots_asked) : "") << ","
      << report::fixed(r.max_travel_min, 2, "") << ","
      << (r.mode == "lots" ? report::fixed(r.tolerance, 4, "") : "");
    for (const auto& c : sweep_figure_columns()) {
      const double v = r.figure(c);
      const bool whole = c == "lots" || c == "feasible" || c == "proved_infeasible" ||
                         c == "violations" || c == "lots_within_band" || c == "providers_needed" ||
                         c == "stopped_on_time";
      o << "," << report::fixed(v, whole ? 0 : 2, "");
    }
    o << "\n";
  }
  return o.str();
}

std::vector<SweepRow> read_sweep_csv(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw DataError(where(file) + "cannot open (a sweep folder holds sweep.csv)");
  std::string line;
  std::getline(in, line);
  const auto header = split(trim(line), ',');
  const auto& figs = sweep_figure_columns();
  if (header.size() != 6 + figs.size() || header[0] != "scenario")
    throw DataError(where(file, 1) + "not a sweep.csv of this version (expected " +
                    std::to_string(6 + figs.size()) + " columns from \"scenario\")");
  std::vector<SweepRow> rows;
  long n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (trim(line).empty()) continue;
    const auto cells = split(trim(line), ',');
    if (cells.size() != header.size())
      throw DataError(where(file, n) + "expected " + std::to_string(header.size()) +
                      " cells, found " + std::to_string(cells.size()));
    auto num = [&](std::size_t col, bool required) {
      double v = std::numeric_limits<double>::quiet_NaN();
      if (!parse_double(cells[col], v) && (required || !trim(cells[col]).empty()))
        throw DataError(where(file, n) + "column \"" + header[col] + "\": \"" + cells[col] +
                        "\" is not a number");
      return v;
    };
    SweepRow r;
    r.scenario = static_cast<int>(num(0, true));
    r.mode = cells[1];
    r.tiers_set = cells[2];
    r.lots_asked = r.mode == "lots" ? static_cast<int>(num(3, true)) : 0;
    r.max_travel_min = num(4, true);
    r.tolerance = r.mode == "lots" ? num(5, true) : 0;
    for (std::size_t i = 0; i < figs.size(); ++i) r.figures.push_back({figs[i], num(6 + i, false)});
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<SweepRow> pareto_rows(const std::vector<SweepRow>& rows,
                                  const std::vector<std::string>& objectives) {
  auto value = [&](const SweepRow& r, const std::string& obj) {
    const bool max = !obj.empty() && obj[0] == '-';
    const double v = r.figure(max ? obj.substr(1) : obj);
    if (!std::isfinite(v)) return std::numeric_limits<double>::infinity();
    return max ? -v : v;
  };
  std::vector<SweepRow> out;
  for (const auto& r : rows) {
    if (r.figure("feasible") != 1) continue;
    bool dominated = false;
    for (const auto& q : rows) {
      if (&q == &r || q.figure("feasible") != 1) continue;
      bool all_le = true, one_lt = false;
      for (const auto& o : objectives) {
        const double a = value(q, o), b = value(r, o);
        if (a > b) all_le = false;
        if (a < b) one_lt = true;
      }
      if (all_le && one_lt) {
        dominated = true;
        break;
      }
    }
    if (!dominated) out.push_back(r);
  }
  return out;
}

}  // namespace lotwright::geo
