// Metrics for any plan (definitions in docs/metrics.md). Problems in a foreign plan are
// listed, never thrown.
#include "lotwright/metrics/metrics.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <set>

#include "lotwright/core/bands.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/output_check.hpp"
#include "lotwright/core/parallel.hpp"
#include "lotwright/core/pieces.hpp"
#include "lotwright/core/rural.hpp"
#include "lotwright/core/text.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/metrics/hubs.hpp"
#include "lotwright/version.hpp"

namespace lotwright::geo {
namespace {

constexpr double kPi = 3.14159265358979323846;

// v rounded to a decimal step (0.01, 0.001, ...): divided by the step's inverse, so the result
// is the double nearest the decimal and prints as it (103.32, not 103.32000000000001).
double round_to(double v, double step) {
  const double inv = std::round(1 / step);
  return std::round(v * inv) / inv;
}

std::string fmt(double v, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// The plan as evaluate reads it: lot_of sized to the graph (entries < 0 -> kNoLot), the lot
// count, members per lot, unassigned units and the travel weights.
struct Prepared {
  int n = 0, k = 0;
  std::vector<int> lot_of;
  std::vector<std::vector<int>> members;
  std::vector<std::string> unassigned;
  double unassigned_h = 0, total_h = 0;
  std::vector<double> w;  // hours, or a tiny weight for zero-hour units so empty lots get hubs
};

Prepared prepare(const UnitGraph& g, const Plan& plan, PlanMetrics& m) {
  Prepared p;
  p.n = static_cast<int>(g.size());
  p.lot_of = plan.lot_of;
  if (static_cast<int>(p.lot_of.size()) != p.n) {
    m.problems.push_back("the plan has " + std::to_string(p.lot_of.size()) + " entries for " +
                         std::to_string(p.n) + " postcodes; the missing ones count as unassigned");
    p.lot_of.resize(static_cast<std::size_t>(p.n), kNoLot);
  }
  p.k = plan.lot_count;
  for (int& l : p.lot_of) {
    if (l < 0) l = kNoLot;
    p.k = std::max(p.k, l + 1);
  }
  for (int u = 0; u < p.n; ++u) p.total_h += g.hours[u];
  p.w = hub_weights(g);
  p.members.resize(static_cast<std::size_t>(p.k));
  for (int u = 0; u < p.n; ++u) {
    if (p.lot_of[u] == kNoLot) {
      p.unassigned.push_back(g.id[u]);
      p.unassigned_h += g.hours[u];
    } else {
      p.members[p.lot_of[u]].push_back(u);
    }
  }
  return p;
}

std::string lot_tier(const Plan& plan, int l) {
  return l < static_cast<int>(plan.tier.size()) ? plan.tier[l] : std::string();
}

// Hubs: the plan's when valid (inside its lot), else the exact hub (metrics/hubs.hpp) under
// the lot's travel limit.
std::vector<int> choose_hubs(const UnitGraph& g, const Plan& plan, const Prepared& p,
                             const EvaluateOptions& options) {
  std::vector<int> hub(static_cast<std::size_t>(p.k), -1);
  std::vector<int> missing;  // lots whose exact hub is searched (side by side: exact_hubs_of)
  for (int l = 0; l < p.k; ++l) {
    if (l < static_cast<int>(plan.hub.size()) && plan.hub[l] >= 0 && plan.hub[l] < p.n &&
        p.lot_of[plan.hub[l]] == l)
      hub[l] = plan.hub[l];
    else if (!p.members[l].empty() && g.travel)
      missing.push_back(l);
  }
  if (missing.empty()) return hub;
  std::vector<std::vector<int>> members;
  std::vector<double> limits;
  for (int l : missing) {
    members.push_back(p.members[l]);
    limits.push_back(options.design ? lot_travel_limit(*options.design, lot_tier(plan, l))
                                    : std::numeric_limits<double>::infinity());
  }
  const auto found = exact_hubs_of(g, *g.travel, members, p.w, limits);
  for (std::size_t i = 0; i < missing.size(); ++i) hub[missing[i]] = found[i];
  return hub;
}

// Sums over a lot's units: hours, customers, unmet hours, area, rural hours, cut edges.
void lot_totals(const UnitGraph& g, const Prepared& p, int l, const std::vector<double>& area_m2,
                LotMetrics& lm) {
  lm.units = static_cast<int>(p.members[l].size());
  for (int u : p.members[l]) {
    lm.hours += g.hours[u];
    if (u < static_cast<int>(g.customers.size())) lm.customers += g.customers[u];
    if (u < static_cast<int>(g.unmet_hours.size())) lm.unmet_hours += g.unmet_hours[u];
    if (u < static_cast<int>(area_m2.size())) lm.area_km2 += area_m2[u] / 1e6;
    if (u < static_cast<int>(g.rural.size()) && is_rural_class(g.rural[u]))
      lm.rural_hours += g.hours[u];
    for (auto e = g.offsets[u]; e < g.offsets[u + 1]; ++e)
      if (p.lot_of[g.targets[e]] != l) ++lm.cut_edges;
  }
}

// Travel from the hub (tree = minutes per unit): mean (hours-weighted), p95, max; adds the
// lot's weighted minutes and hours to the plan's sums. Returns the members no road reaches
// from the hub (left out of the figures).
std::vector<int> lot_travel(const UnitGraph& g, const std::vector<int>& members,
                            const std::vector<float>& tree, LotMetrics& lm, double& travel_sum,
                            double& travel_h) {
  std::vector<std::pair<float, double>> d;  // minutes, hours
  std::vector<int> unreachable;
  for (int u : members) {
    const float t = tree[u];
    if (!std::isfinite(t)) {
      unreachable.push_back(u);
      continue;
    }
    d.emplace_back(t, g.hours[u]);
    lm.max_travel_min = std::max(lm.max_travel_min, static_cast<double>(t));
  }
  std::sort(d.begin(), d.end());
  double hsum = 0, wsum = 0;
  for (const auto& [t, h] : d) hsum += h, wsum += h * t;
  if (hsum > 0) {
    lm.mean_travel_min = wsum / hsum;
    double acc = 0;
    for (const auto& [t, h] : d) {
      acc += h;
      if (acc >= 0.95 * hsum - 1e-9) {
        lm.p95_travel_min = t;
        break;
      }
    }
    travel_sum += wsum;
    travel_h += hsum;
  } else if (!d.empty()) {
    double s = 0;
    for (const auto& x : d) s += x.first;
    lm.mean_travel_min = s / static_cast<double>(d.size());
    lm.p95_travel_min =
        d[static_cast<std::size_t>(std::floor(0.95 * static_cast<double>(d.size() - 1)))].first;
  }
  return unreachable;
}

// "lot 3: 1 postcode (0.00 h) cannot be reached by road from its hub PO32 6LX: PO32 6NU ...":
// which postcodes, and the hours the lot's travel figures leave out.
std::string unreachable_problem(const UnitGraph& g, int l, const std::vector<int>& units,
                                const std::string& hub) {
  double hours = 0;
  std::string which;
  for (std::size_t i = 0; i < units.size(); ++i) {
    hours += g.hours[units[i]];
    if (i < 5) which += (i ? ", " : "") + g.id[units[i]] + " (" + fmt(g.hours[units[i]], 2) + " h)";
  }
  if (units.size() > 5) which += ", ...";
  return "lot " + std::to_string(l + 1) + ": " +
         plural(static_cast<int>(units.size()), "postcode") + " (" + fmt(hours, 2) +
         " h) cannot be reached by road from its hub " + hub + ": " + which +
         "; left out of the lot's travel figures (more than [roads] max_snap_m from any road, or "
         "on a piece of road joined to nothing: the study's warnings name which)";
}

// Plan-wide figures: cut edges (each counted once), totals, mean travel, deviation, cv.
void plan_totals(const UnitGraph& g, const Prepared& p, const EvaluateOptions& options,
                 double travel_sum, double travel_h, PlanMetrics& m) {
  for (int u = 0; u < p.n; ++u)
    for (auto e = g.offsets[u]; e < g.offsets[u + 1]; ++e)
      if (static_cast<int>(g.targets[e]) > u && p.lot_of[g.targets[e]] != p.lot_of[u])
        ++m.cut_edges;
  m.total_hours = p.total_h + options.outside_unassigned_hours;
  m.unassigned_units = static_cast<int>(p.unassigned.size());
  m.assigned_hours = 0;
  for (const auto& lm : m.lots) m.assigned_hours += lm.hours;
  m.unassigned_hours = p.unassigned_h + options.outside_unassigned_hours;
  m.mean_travel_min = travel_h > 0 ? travel_sum / travel_h : 0;
  const double mean = p.k > 0 ? m.assigned_hours / p.k : 0;
  double var = 0;
  for (const auto& lm : m.lots) {
    if (mean > 0)
      m.max_deviation_pct = std::max(m.max_deviation_pct, 100 * std::abs(lm.hours - mean) / mean);
    var += (lm.hours - mean) * (lm.hours - mean);
  }
  m.cv = (p.k > 0 && mean > 0) ? std::sqrt(var / p.k) / mean : 0;
}

// Postcodes with hours beyond the lot's travel limit (the tier's, else the design's), each a
// violation with its exact minutes, and one problem per lot.
void travel_limit_problem(const UnitGraph& g, const Prepared& p, const DesignConfig& d,
                          const std::vector<std::vector<float>>& trees, const LotMetrics& lm,
                          PlanMetrics& m) {
  const double limit = lot_travel_limit(d, lm.tier);
  if (!std::isfinite(limit)) return;
  // The limit binds postcodes with hours (docs/metrics.md).
  double far = 0;
  int beyond = 0;
  const int l = lm.lot - 1;
  if (!trees[l].empty())
    for (int u : p.members[l])
      if (g.hours[u] > 0 && trees[l][u] > limit + 1e-6) {
        ++beyond;
        far = std::max(far, static_cast<double>(trees[l][u]));
        m.violations.push_back(
            {u, g.id[u], lm.lot, g.hours[u], static_cast<double>(trees[l][u]), limit, "travel"});
      }
  if (beyond > 0)
    m.problems.push_back(
        "lot " + std::to_string(lm.lot) + ": " + plural(beyond, "postcode") + " with hours " +
        is_are(beyond) + " beyond the travel limit of " + fmt(limit, 2) + " min from the hub (" +
        (std::isfinite(far) ? "up to " + fmt(std::ceil(far * 100 - 1e-7) / 100, 2) + " min"
                            : std::string("some not reachable by road")) +
        ")");
}

// Problems (foreign plans are reported, not refused), after any found while measuring.
void list_problems(const UnitGraph& g, const Prepared& p, const EvaluateOptions& options,
                   const std::vector<std::vector<float>>& trees, PlanMetrics& m) {
  if (!p.unassigned.empty()) {
    const auto n = static_cast<long long>(p.unassigned.size());
    std::string s =
        plural(n, "postcode") + " (" + fmt(p.unassigned_h, 1) + " h) " + is_are(n) + " in no lot: ";
    for (std::size_t i = 0; i < p.unassigned.size() && i < 5; ++i)
      s += (i ? ", " : "") + p.unassigned[i];
    if (p.unassigned.size() > 5) s += ", ...";
    m.problems.push_back(s);
  }
  if (options.outside_unassigned_hours > 0)
    m.problems.push_back(fmt(options.outside_unassigned_hours, 1) +
                         " h of demand never reached a postcode unit (see the inspect warnings)");
  const double mean = p.k > 0 ? m.assigned_hours / p.k : 0;
  for (const auto& lm : m.lots) {
    if (lm.units == 0) m.problems.push_back("lot " + std::to_string(lm.lot) + " is empty");
    if (lm.pieces > 1) m.violations.push_back({-1, "", lm.lot, lm.hours, 0, 0, "pieces"});
    if (lm.pieces > 1)
      m.problems.push_back("lot " + std::to_string(lm.lot) + " is in " + std::to_string(lm.pieces) +
                           " pieces on the road-aware adjacency");
    if (options.design && !lm.within_band) {
      m.violations.push_back({-1, "", lm.lot, lm.hours, 0, 0, "band"});
      if (options.design->lots)
        m.problems.push_back("lot " + std::to_string(lm.lot) + " has " + fmt(lm.hours) + " h, " +
                             fmt(100 * (lm.hours - mean) / std::max(mean, 1e-9), 1) +
                             "% from the mean, outside ±" +
                             fmt(100 * options.design->tolerance, 1) + "%");
      else
        m.problems.push_back("lot " + std::to_string(lm.lot) + " has " + fmt(lm.hours) +
                             " h, inside no tier band" +
                             (lm.tier.empty() ? "" : " (tier " + lm.tier + ")"));
    }
    if (options.design && options.design->max_travel_minutes > 0)
      travel_limit_problem(g, p, *options.design, trees, lm, m);
    const std::optional<double> gap =
        options.design ? options.design->max_call_gap_minutes : std::nullopt;
    if (gap && m.rounds_estimated && lm.rounds.call_gap_p90_min > *gap + 1e-9)
      m.problems.push_back("lot " + std::to_string(lm.lot) + ": p90 call gap " +
                           fmt(lm.rounds.call_gap_p90_min, 2) +
                           " min is over max_call_gap_minutes " + fmt(*gap, 2));
  }
}

// Care rounds (docs/rounds.md): one estimate for the whole plan, every lot's runs and the
// county's pooled legs, with the [rounds] parameters. Skipped without a travel oracle.
void lot_rounds(const UnitGraph& g, const Prepared& p, const EvaluateOptions& options,
                PlanMetrics& m) {
  if (!g.travel) return;
  CountyRounds r =
      estimate_rounds(g, p.lot_of, p.k, options.rounds ? *options.rounds : RoundParams{});
  for (std::size_t l = 0; l < m.lots.size() && l < r.lots.size(); ++l) m.lots[l].rounds = r.lots[l];
  m.rounds = r.county;
  m.rounds_estimated = true;
}

}  // namespace

std::vector<Band> lot_bands(const DesignConfig& design, const std::string& tier,
                            double assigned_hours, int lot_count) {
  std::vector<Band> out;
  if (design.lots) {
    if (auto b = equal_hours_band(assigned_hours, lot_count, design.tolerance)) out.push_back(*b);
    return out;
  }
  for (const auto& t : design.tiers)
    if (tier.empty() || tier == t.name) out.push_back(tier_band(t.min_hours, t.max_hours));
  return out;
}

bool within_any_band(double hours, const std::vector<Band>& bands) {
  return std::any_of(bands.begin(), bands.end(),
                     [&](const Band& b) { return within_band(hours, b); });
}

PlanMetrics evaluate(const UnitGraph& g, const Plan& plan, const EvaluateOptions& options) {
  PlanMetrics m;
  m.seed = plan.seed;
  m.version = kVersion;
  const Prepared p = prepare(g, plan, m);
  const int k = p.k;
  const auto* area_m2 = options.unit_area_m2 ? options.unit_area_m2 : &g.area_m2;
  m.lots.resize(static_cast<std::size_t>(k));
  const std::vector<int> hub = choose_hubs(g, plan, p, options);
  std::vector<std::vector<float>> trees(static_cast<std::size_t>(k));
  if (g.travel)
    detail::parallel_for(static_cast<std::size_t>(k), [&](std::size_t l) {
      if (hub[l] >= 0) g.travel->tree(hub[l], trees[l]);
    });

  // Lot perimeters for Polsby-Popper: given, or from the cells.
  std::vector<double> cell_perimeter;
  const std::vector<double>* perimeter = options.lot_perimeter_m;
  if (!perimeter && options.units && options.units->units.size() == g.size()) {
    cell_perimeter = lot_perimeters(*options.units, p.lot_of, k);
    perimeter = &cell_perimeter;
  }

  PieceFinder pieces;
  double travel_sum = 0, travel_h = 0;
  for (int l = 0; l < k; ++l) {
    auto& lm = m.lots[l];
    lm.lot = l + 1;
    if (l < static_cast<int>(plan.name.size())) lm.name = plan.name[l];
    if (l < static_cast<int>(plan.tier.size())) lm.tier = plan.tier[l];
    lot_totals(g, p, l, *area_m2, lm);
    lm.pieces = pieces.label(g, p.lot_of, l, p.members[l]);
    if (hub[l] >= 0) lm.hub = g.id[hub[l]];
    if (hub[l] >= 0 && !trees[l].empty()) {
      const auto unreachable = lot_travel(g, p.members[l], trees[l], lm, travel_sum, travel_h);
      if (!unreachable.empty())
        m.problems.push_back(unreachable_problem(g, l, unreachable, lm.hub));
    }
    if (perimeter && l < static_cast<int>(perimeter->size()) && (*perimeter)[l] > 0) {
      const double per = (*perimeter)[l];
      lm.polsby_popper = 4 * kPi * lm.area_km2 * 1e6 / (per * per);
    }
  }
  plan_totals(g, p, options, travel_sum, travel_h, m);
  lot_rounds(g, p, options, m);
  if (options.design)
    for (auto& lm : m.lots)
      lm.within_band =
          within_any_band(lm.hours, lot_bands(*options.design, lm.tier, m.assigned_hours, k));
  for (const auto& lm : m.lots) m.lots_within_band += lm.within_band;
  list_problems(g, p, options, trees, m);
  m.feasible = m.violations.empty();
  return m;
}

std::vector<double> lot_perimeters(const std::vector<double>& unit_perimeter_m,
                                   const std::vector<UnitEdge>& borders,
                                   const std::vector<int>& lot_of, int lot_count) {
  std::vector<double> out(static_cast<std::size_t>(std::max(lot_count, 0)), 0.0);
  auto lot = [&](int u) {
    const int l = u >= 0 && u < static_cast<int>(lot_of.size()) ? lot_of[u] : kNoLot;
    return l >= 0 && l < lot_count ? l : kNoLot;
  };
  const int n = static_cast<int>(std::min(unit_perimeter_m.size(), lot_of.size()));
  for (int u = 0; u < n; ++u)
    if (lot(u) != kNoLot) out[lot(u)] += unit_perimeter_m[u];
  // A border inside a lot was counted once from each side.
  for (const UnitEdge& e : borders)
    if (lot(e.a) != kNoLot && lot(e.a) == lot(e.b)) out[lot(e.a)] -= 2 * e.border_m;
  for (double& p : out) p = std::max(p, 0.0);
  return out;
}

std::vector<double> lot_perimeters(const Units& units, const std::vector<int>& lot_of,
                                   int lot_count) {
  std::vector<double> unit_perimeter(units.units.size());
  for (std::size_t u = 0; u < units.units.size(); ++u)
    unit_perimeter[u] = perimeter(units.units[u].cell);
  return lot_perimeters(unit_perimeter, units.edges, lot_of, lot_count);
}

namespace {

// The eight round figures under their output names (docs/outputs.md).
nlohmann::ordered_json rounds_json(const RoundFigures& f) {
  nlohmann::ordered_json o;
  o["call_gap_median_min"] = round_to(f.call_gap_median_min, 0.01);
  o["call_gap_p90_min"] = round_to(f.call_gap_p90_min, 0.01);
  o["call_gap_median_miles"] = round_to(f.call_gap_median_miles, 0.01);
  o["legs_over_15_min_pct"] = round_to(f.legs_over_15_min_pct, 0.01);
  o["legs_over_6_miles_pct"] = round_to(f.legs_over_6_miles_pct, 0.01);
  o["travel_min_per_contact_hour"] = round_to(f.travel_min_per_contact_hour, 0.01);
  o["workers_needed"] = round_to(f.workers_needed, 0.01);
  o["travel_cost_per_contact_hour"] = round_to(f.travel_cost_per_contact_hour, 0.01);
  return o;
}

// What the call-gap target's stage did (rounds/gap_target.hpp).
nlohmann::ordered_json call_gap_json(const CallGapTargetReport& r) {
  const auto lots = [](const std::vector<CallGapLot>& v) {
    auto a = nlohmann::ordered_json::array();
    for (const auto& l : v) {
      nlohmann::ordered_json o;
      o["lot"] = l.lot;
      o["call_gap_p90_min"] = round_to(l.p90_min, 0.01);
      o["over_by_min"] = round_to(l.excess_min, 0.01);
      if (!l.why.empty()) o["why"] = l.why;
      a.push_back(std::move(o));
    }
    return a;
  };
  nlohmann::ordered_json o;
  o["max_call_gap_minutes"] = r.target_min;
  o["call_gap_weight"] = r.weight;
  o["lots_over_before"] = lots(r.over_before);
  o["lots_over_after"] = lots(r.over_after);
  o["minutes_over_before"] = round_to(r.excess_before_min, 0.01);
  o["minutes_over_after"] = round_to(r.excess_after_min, 0.01);
  o["hub_travel_before_min"] = round_to(r.hub_travel_before_min, 0.001);
  o["hub_travel_after_min"] = round_to(r.hub_travel_after_min, 0.001);
  o["hub_travel_cost_min"] = round_to(r.hub_travel_after_min - r.hub_travel_before_min, 0.001);
  o["moves"] = r.moves;
  o["swaps"] = r.swaps;
  o["lot_estimates"] = r.lot_estimates;
  o["budget_reached"] = r.budget_reached;
  return o;
}

}  // namespace

std::string metrics_json(const PlanMetrics& m) {
  using nlohmann::ordered_json;
  auto r2 = [](double v) { return round_to(v, 0.01); };
  ordered_json j;
  j["version"] = m.version;
  j["seed"] = m.seed;
  j["runtime_s"] = round_to(m.runtime_s, 0.001);
  j["total_hours"] = r2(m.total_hours);
  j["assigned_hours"] = r2(m.assigned_hours);
  j["unassigned_hours"] = r2(m.unassigned_hours);
  j["unassigned_units"] = m.unassigned_units;
  j["lot_count"] = m.lots.size();
  j["max_deviation_pct"] = r2(m.max_deviation_pct);
  j["cv"] = round_to(m.cv, 0.0001);
  j["lots_within_band"] = m.lots_within_band;
  j["mean_travel_min"] = r2(m.mean_travel_min);
  j["cut_edges"] = m.cut_edges;
  // -1 means "not computed": written as null.
  const auto or_null = [](double v, double step) -> ordered_json {
    return v >= 0 ? ordered_json(round_to(v, step)) : ordered_json(nullptr);
  };
  j["baseline_kept_share"] = or_null(m.baseline_kept_share, 0.0001);
  if (m.rounds_estimated) j["rounds"] = rounds_json(m.rounds);
  if (m.call_gap_target) j["call_gap_target"] = call_gap_json(*m.call_gap_target);
  j["problems"] = m.problems;
  j["feasible"] = m.feasible;
  auto viol = ordered_json::array();
  for (const auto& v : m.violations) {
    ordered_json o;
    o["what"] = v.what;
    o["lot"] = v.lot;
    o["postcode"] = v.postcode;
    o["hours"] = r2(v.hours);
    // Exact minutes, two decimals, never rounded into the limit (25.004 -> 25.01); null for a
    // postcode no road reaches from its lot's hub (the summary says "unreachable").
    if (v.what == "travel" && !std::isfinite(v.minutes))
      o["minutes"] = nullptr;
    else
      o["minutes"] = v.what == "travel" ? std::ceil(v.minutes * 100 - 1e-7) / 100 : 0.0;
    o["limit"] = r2(v.limit);
    viol.push_back(std::move(o));
  }
  j["violations"] = std::move(viol);
  j["relaxations"] = m.relaxations;
  j["time_budget_s"] = round_to(m.time_budget_s, 0.001);
  j["lower_bound_min"] = or_null(m.lower_bound_min, 0.0001);
  j["gap_pct"] = or_null(m.gap_pct, 0.0001);
  auto lots = ordered_json::array();
  for (const auto& l : m.lots) {
    ordered_json o;
    o["lot"] = l.lot;
    o["name"] = l.name;
    o["tier"] = l.tier;
    o["hours"] = r2(l.hours);
    o["customers"] = r2(l.customers);
    o["unmet_hours"] = r2(l.unmet_hours);
    o["units"] = l.units;
    o["pieces"] = l.pieces;
    o["hub"] = l.hub;
    o["mean_travel_min"] = r2(l.mean_travel_min);
    o["p95_travel_min"] = r2(l.p95_travel_min);
    o["max_travel_min"] = r2(l.max_travel_min);
    o["area_km2"] = round_to(l.area_km2, 0.001);
    o["polsby_popper"] = round_to(l.polsby_popper, 0.0001);
    o["cut_edges"] = l.cut_edges;
    o["within_band"] = l.within_band;
    o["rural_hours"] = r2(l.rural_hours);
    if (m.rounds_estimated) o.update(rounds_json(l.rounds));
    lots.push_back(std::move(o));
  }
  j["lots"] = std::move(lots);
  output_json_numbers(j, "metrics.json");
  return j.dump(2) + "\n";
}

}  // namespace lotwright::geo

namespace lotwright::geo {

double kept_share(const UnitGraph& g, const Plan& plan, const Plan& baseline) {
  std::map<std::pair<int, int>, double> shared;
  double total = 0;
  for (std::size_t u = 0; u < g.size(); ++u) {
    total += g.hours[u];
    const int a = u < plan.lot_of.size() ? plan.lot_of[u] : kNoLot;
    const int b = u < baseline.lot_of.size() ? baseline.lot_of[u] : kNoLot;
    if (a != kNoLot && b != kNoLot) shared[{a, b}] += g.hours[u];
  }
  if (total <= 0) return 1;
  std::vector<std::pair<double, std::pair<int, int>>> pairs;
  for (const auto& [k, h] : shared) pairs.push_back({-h, k});
  std::sort(pairs.begin(), pairs.end());
  std::set<int> used_a, used_b;
  double kept = 0;
  for (const auto& [neg, k] : pairs) {
    if (used_a.count(k.first) || used_b.count(k.second)) continue;
    used_a.insert(k.first);
    used_b.insert(k.second);
    kept += -neg;
  }
  return kept / total;
}

}  // namespace lotwright::geo
