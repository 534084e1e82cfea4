// The lot table and warnings (report.hpp).
#include "report.hpp"

#include <cmath>
#include <cstdio>

namespace lotwright::cli {

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
  print_rounds_table(os, m);
}

void print_rounds_table(std::ostream& os, const geo::PlanMetrics& m) {
  if (!m.rounds_estimated) return;
  char buf[512];
  os << "care rounds (call-to-call travel; thresholds " << geo::kGapThresholdMinutes << " min, "
     << geo::kGapThresholdMiles << " miles):\n";
  std::snprintf(buf, sizeof buf, "%5s %8s %8s %9s %8s %9s %10s %8s %10s\n", "lot", "gap med",
                "gap p90", "gap miles", ">15 min", ">6 miles", "trav/ch", "workers", "cost/ch");
  os << buf;
  auto row = [&](const std::string& label, const geo::RoundFigures& f) {
    std::snprintf(buf, sizeof buf, "%5s %8.2f %8.2f %9.2f %7.2f%% %8.2f%% %10.2f %8.2f %10.2f\n",
                  label.c_str(), f.call_gap_median_min, f.call_gap_p90_min, f.call_gap_median_miles,
                  f.legs_over_15_min_pct, f.legs_over_6_miles_pct, f.travel_min_per_contact_hour,
                  f.workers_needed, f.travel_cost_per_contact_hour);
    os << buf;
  };
  for (const auto& l : m.lots) row(std::to_string(l.lot), l.rounds);
  row("all", m.rounds);
  os << "(gap: minutes between consecutive calls; trav/ch: travel minutes per contact hour; "
        "cost/ch: GBP of travel per contact hour)\n";
}

int print_outcome(std::ostream& os, const geo::PlanMetrics& m, const std::string& reason) {
  char buf[256];
  if (m.lower_bound_min >= 0) {
    std::snprintf(buf, sizeof buf, "lower bound %.2f min", m.lower_bound_min);
    os << buf;
    if (m.gap_pct >= 0) std::snprintf(buf, sizeof buf, "; gap %.2f%%", m.gap_pct), os << buf;
    os << "\n";
  }
  if (m.feasible) return 0;
  os << "INFEASIBLE: " << reason << "\n";
  int shown = 0;
  for (const auto& v : m.violations) {
    if (v.what != "travel") continue;
    if (shown++ == 20) {
      os << "  ... (every violation is in metrics.json)\n";
      break;
    }
    // Minutes rounded up, never into the limit (25.003 -> 25.01).
    std::snprintf(
        buf, sizeof buf, "  postcode %s (lot %d, %.2f h): %.2f min from its hub, limit %.2f\n",
        v.postcode.c_str(), v.lot, v.hours, std::ceil(v.minutes * 100 - 1e-7) / 100, v.limit);
    os << buf;
  }
  for (const auto& v : m.violations)
    if (v.what != "travel")
      os << "  lot " << v.lot << ": " << (v.what == "band" ? "outside its hours band" : "in pieces")
         << "\n";
  if (m.relaxations.empty()) os << "no relaxation was measured to work\n";
  for (const auto& r : m.relaxations) os << "relaxation: " << r << "\n";
  return 1;
}

void print_warnings(std::ostream& os, const std::string& command,
                    const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) os << "lotwright " << command << ": warning: " << w << "\n";
}

}  // namespace lotwright::cli
