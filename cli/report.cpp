// The lot table and warnings (report.hpp).
#include "report.hpp"

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

void print_warnings(std::ostream& os, const std::string& command,
                    const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) os << "lotwright " << command << ": warning: " << w << "\n";
}

}  // namespace lotwright::cli
