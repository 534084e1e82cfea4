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
