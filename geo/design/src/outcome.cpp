// A design that missed a hard constraint: its violations, a proof when one is cheap, and the
// relaxations measured to work (outcome.hpp; docs/designer.md, "Infeasible asks").
#include "outcome.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "lotwright/core/error.hpp"
#include "lotwright/core/parallel.hpp"
#include "lotwright/core/text.hpp"
#include "lotwright/metrics/hubs.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "problem.hpp"

namespace lotwright::geo::design_detail {
namespace {

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// A proof that unit p (with hours; a postcode, ward, ... as `noun` says) lies in no feasible lot:
// every unit that reaches p within the limit (one bounded search per unit of the study towards p)
// reaches, within the limit, fewer hours than the smallest lot may hold. Its text is "" when
// there is no proof; `most` is the most hours a lot holding p can hold within the limit.
struct Proof {
  std::string text;
  double most = 0;
};
Proof unreachable_proof(const UnitGraph& g, int p, double limit, double min_lot_hours,
                        const std::string& noun) {
  const std::size_t n = g.size();
  std::vector<char> reaches(n, 0);
  const float r = static_cast<float>(limit + 1e-6);
  detail::parallel_for(n, [&](std::size_t h) {
    thread_local std::vector<float> t;
    g.travel->times_to(static_cast<int>(h), {p}, t, r);
    reaches[h] = std::isfinite(t[0]) && t[0] <= limit + 1e-6;
  });
  std::vector<int> hubs;
  for (std::size_t h = 0; h < n; ++h)
    if (reaches[h]) hubs.push_back(static_cast<int>(h));
  if (hubs.size() > 64) return {};  // too many possible hubs to bound cheaply
  double most = 0;
  std::vector<float> t;
  for (int h : hubs) {
    g.travel->tree(h, t, r);
    double s = 0;
    for (std::size_t u = 0; u < n; ++u)
      if (std::isfinite(t[u]) && t[u] <= limit + 1e-6) s += g.hours[u];
    most = std::max(most, s);
  }
  if (most >= min_lot_hours) return {};
  return {noun + " " + g.id[p] + " (" + fmt(g.hours[p], 2) + " h) is within " + fmt(limit, 2) +
              " min of only " + plural(static_cast<long long>(hubs.size()), "possible hub") +
              ", and none of them reaches more than " + fmt(most, 2) +
              " h within the limit, less than the smallest lot allowed (" + fmt(min_lot_hours, 2) +
              " h)",
          most};
}

// The smallest lower band edge of `lots` lots under `design` (lot_bands, the metrics' rule).
double smallest_lot(const DesignConfig& design, double hours, int lots) {
  double lo = std::numeric_limits<double>::infinity();
  for (const auto& b : lot_bands(design, "", hours, lots)) lo = std::min(lo, b.lo);
  return lo;
}

// What no number of lots or tolerance short of the proof's can mend (lots mode): the fewest
// lots, and the tolerance, under which a lot of `most` hours is allowed.
std::string proof_way_forward(const DesignConfig& design, double hours, double most,
                              int units_with_hours) {
  std::string s = "; so neither one more lot nor a slightly wider tolerance can help (not tried)";
  if (!(most > 0)) return s + ": no lot holding it can reach any hours beyond its own";
  const int lots = *design.lots;
  int need = lots + 1;
  // A lot of `most` hours needs the band's lower edge at or below it: about
  // hours (1 - tolerance) / most lots, checked by the band rule itself.
  const double estimate = std::floor(hours * (1 - design.tolerance) / most);
  need = std::max(need, static_cast<int>(std::min(estimate, units_with_hours + 1.0)));
  while (need <= units_with_hours && smallest_lot(design, hours, need) > most) ++need;
  if (need <= units_with_hours) s += ": it would take at least " + std::to_string(need) + " lots";
  const double tol = 1 - most / (hours / lots);
  s += std::string(need <= units_with_hours ? ", or" : ": it would take") + " a tolerance of " +
       fmt(std::ceil(tol * 1000) / 10, 1) + "% with " + std::to_string(lots) +
       " lots; a longer travel limit, or mending the data (the unit's road link: [roads] "
       "max_snap_m), is the way forward";
  return s;
}

// Re-runs the designer on `changed`; the plan's summary when it meets every constraint.
std::string try_relaxation(const UnitGraph& g, DesignRequest changed, const std::string& what) {
  changed.measure_relaxations = false;
  if (changed.progress)  // the re-run's stages, said to be the relaxation's
    changed.progress = [outer = changed.progress, what](const ProgressEvent& e) {
      outer({e.stage, "trying " + what + (e.step.empty() ? "" : ": " + e.step), e.done, e.total});
    };
  DesignReport rr;
  try {
    const Plan p = design(g, changed, &rr);
    if (!rr.feasible) return "";
    EvaluateOptions eo;
    eo.design = &changed.design;
    const PlanMetrics m = evaluate(g, p, eo);
    return what + ": measured to work (a plan meeting every constraint, mean travel " +
           fmt(m.mean_travel_min, 2) + " min)";
  } catch (const InfeasibleError&) {
    return "";
  }
}

}  // namespace

UnreachableProof prove_unreachable(const UnitGraph& g, const std::vector<int>& units, double limit,
                                   double min_lot_hours, const std::string& noun, int tries) {
  UnreachableProof proof;
  if (!std::isfinite(limit) || !std::isfinite(min_lot_hours)) return proof;
  int failed = 0;
  for (std::size_t i = 0; i < units.size() && i < static_cast<std::size_t>(tries); ++i)
    if (auto p = unreachable_proof(g, units[i], limit, min_lot_hours, noun); !p.text.empty()) {
      if (proof.units.empty()) proof.text = std::move(p.text);
      proof.units.push_back(units[i]);
    } else if (++failed == 3 || !proof.units.empty()) {
      break;  // the units nearer the limit are served by some hub: not worth a search each
    }
  return proof;
}

void explain_failure(const UnitGraph& g, const DesignRequest& request, const Plan& plan,
                     bool timed_out, int extra_lot_tries, DesignReport& r) {
  EvaluateOptions eo;
  eo.design = &request.design;
  const PlanMetrics m = evaluate(g, plan, eo);
  r.violations.clear();
  double max_travel = 0, travel_hours = 0;
  int travel_units = 0;
  int band_lots = 0;
  for (const auto& v : m.violations) {
    r.violations.push_back({v.unit, v.lot - 1, v.hours, v.minutes, v.limit, v.what});
    if (v.what == "travel")
      max_travel = std::max(max_travel, v.minutes), ++travel_units, travel_hours += v.hours;
    band_lots += v.what == "band";
  }
  // Proof: a postcode that no possible hub can serve inside a lot of allowed hours.
  Proof proof;
  double min_lot = std::numeric_limits<double>::infinity();
  for (const auto& lm : m.lots)
    for (const auto& b :
         lot_bands(request.design, lm.tier, m.assigned_hours, static_cast<int>(m.lots.size())))
      min_lot = std::min(min_lot, b.lo);
  int tried = 0;
  for (const auto& v : m.violations)
    if (v.what == "travel" && tried++ < 3 && std::isfinite(min_lot) && proof.text.empty())
      proof = unreachable_proof(g, v.unit, v.limit, min_lot, request.unit_noun);
  // Only what the plan misses ("0 postcodes (0.00 h) beyond the travel limit and lots
  // outside their hours band" said a plan out of band only).
  std::string what;
  if (travel_units > 0)
    what = plural(static_cast<long long>(travel_units), request.unit_noun) + " (" +
           fmt(travel_hours, 2) + " h) beyond the travel limit";
  if (band_lots > 0)
    what += (what.empty() ? "" : " and ") + plural(band_lots, "lot") + " outside " +
            (band_lots == 1 ? "its" : "their") + " hours band";
  int units_with_hours = 0;
  for (double h : g.hours) units_with_hours += h > 0;
  // The proof bounds every lot holding the unit: a relaxation of lots or tolerance that still
  // asks more of the smallest lot is futile, and is not designed (the Isle of Wight, demand
  // seed 2: 70 s of CPU spent designing 7 lots that could not work).
  const bool more_lots_futile =
      !proof.text.empty() && request.design.lots &&
      smallest_lot(request.design, m.assigned_hours, *request.design.lots + 1) > proof.most;
  if (!proof.text.empty()) {
    r.proved_infeasible = true;
    r.reason = "infeasibility PROVED: " + proof.text;
    r.relaxations_futile = more_lots_futile;
    if (more_lots_futile)
      r.reason += proof_way_forward(request.design, m.assigned_hours, proof.most, units_with_hours);
  } else if (r.proved_infeasible) {
    // The exact solve proved it already (polish.cpp); its proof is in the reason.
    r.reason = "infeasibility PROVED: " + r.reason;
  } else {
    r.proved_infeasible = false;
    r.reason =
        "no plan inside the constraints was FOUND (not proved infeasible): the best plan "
        "leaves " +
        what +
        (timed_out ? "; the search stopped at its time budget of " + fmt(r.time_budget_s, 1) + " s"
                   : "; the search used its whole work budget") +
        (extra_lot_tries > 0
             ? " (also tried with up to " + std::to_string(extra_lot_tries) + " more lots)"
             : "");
  }
  if (!request.measure_relaxations) return;
  // Relaxations, each measured by designing again.
  if (travel_units > 0 && std::isfinite(max_travel)) {
    DesignRequest c = request;
    c.design.max_travel_minutes = minutes_up(max_travel);
    for (auto& t : c.design.tiers)
      if (t.max_travel_minutes)
        t.max_travel_minutes = std::max(*t.max_travel_minutes, minutes_up(max_travel));
    const auto s = try_relaxation(g, c, "max_travel_minutes = " + fmt_minutes_up(max_travel));
    if (!s.empty()) r.relaxations.push_back(s);
  }
  if (request.design.lots && !more_lots_futile) {
    DesignRequest c = request;
    c.design.lots = *request.design.lots + 1;
    const auto s = try_relaxation(g, c, "lots = " + std::to_string(*c.design.lots));
    if (!s.empty()) r.relaxations.push_back(s);
    if (band_lots > 0) {
      DesignRequest t = request;
      t.design.tolerance = std::ceil(m.max_deviation_pct * 10) / 1000;
      const auto st = try_relaxation(g, t, "tolerance = " + fmt(t.design.tolerance, 3));
      if (!st.empty()) r.relaxations.push_back(st);
    }
  }
}

}  // namespace lotwright::geo::design_detail
