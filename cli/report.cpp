// The lot table and warnings (report.hpp).
#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lotwright::cli {

namespace {

using geo::group_digits;
std::string commas(const std::string& digits) { return group_digits(digits); }

// Display width of UTF-8 text (code points; lot names may hold "–" or accents).
int text_width(const std::string& s) {
  int w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string pad(const std::string& s, int width) {
  return s + std::string(static_cast<std::size_t>(std::max(0, width - text_width(s))), ' ');
}

}  // namespace

std::string human_number(double v) {
  if (!std::isfinite(v)) return v > 0 ? "infinity" : (v < 0 ? "-infinity" : "not a number");
  char buf[64];
  if (std::fabs(v) >= 1e15) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.6f", std::fabs(v));
  std::string s(buf);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  const std::size_t dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  return (v < 0 ? "-" : "") + commas(whole) + (dot == std::string::npos ? "" : s.substr(dot));
}

std::string cut_long_values(const std::string& message) {
  constexpr std::size_t kLongRun = 200, kKeep = 60, kMaxMessage = 2000;
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    std::size_t j = i;
    // Values are cut between spaces, line ends and quotes ("AAAA...").
    while (j < message.size() && message[j] != ' ' && message[j] != '\n' && message[j] != '"') ++j;
    if (j - i > kLongRun) {
      std::size_t keep = kKeep;
      while (keep > 0 && (static_cast<unsigned char>(message[i + keep]) & 0xC0) == 0x80) --keep;
      out += message.substr(i, keep) + "... (" +
             plural(static_cast<long long>(j - i), "character") + ")";
    } else {
      out += message.substr(i, j - i);
    }
    if (j < message.size()) out += message[j];
    i = j + 1;
  }
  if (out.size() > kMaxMessage) {
    std::size_t keep = kMaxMessage;
    while (keep > 0 && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80) --keep;
    out = out.substr(0, keep) +
          "... (message cut: " + plural(static_cast<long long>(out.size()), "character") + ")";
  }
  return out;
}

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                              "0123456789_./-+=:,@%") == std::string::npos)
    return word;
  std::string q = "'";
  for (char c : word) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string closest_name(const std::string& word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(1, word.size() / 3) + 1;
  for (const auto& name : names) {
    // Levenshtein distance, one row at a time.
    std::vector<std::size_t> row(name.size() + 1);
    for (std::size_t j = 0; j <= name.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= name.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (word[i - 1] != name[j - 1])});
        diag = up;
      }
    }
    if (row[name.size()] < best_d) best_d = row[name.size()], best = name;
  }
  return best;
}

std::string overrides_summary(const geo::DesignConfig& config, const geo::DesignConfig& used) {
  std::string s;
  auto add = [&](const std::string& what, const std::string& now, const std::string& before) {
    if (now != before) s += (s.empty() ? "" : ", ") + what + " " + now + " (config " + before + ")";
  };
  add("lots", used.lots ? std::to_string(*used.lots) : "tiers",
      config.lots ? std::to_string(*config.lots) : "tiers");
  add("seed", std::to_string(used.seed), std::to_string(config.seed));
  add("max travel", human_number(used.max_travel_minutes) + " min",
      human_number(config.max_travel_minutes) + " min");
  add("tolerance", human_number(used.tolerance), human_number(config.tolerance));
  return s;
}

void print_lot_table(std::ostream& os, const geo::PlanMetrics& m) {
  char buf[512];
  // The name column fits the longest name: names are printed whole.
  int name_w = 4;
  for (const auto& l : m.lots) name_w = std::max(name_w, text_width(l.name));
  std::snprintf(buf, sizeof buf, " %-10s %9s %7s %6s %6s %9s %8s\n", "tier", "hours", "dev%",
                "units", "pieces", "mean min", "max min");
  os << " lot  " << pad("name", name_w) << buf;
  const double mean = m.lots.empty() ? 0 : m.assigned_hours / static_cast<double>(m.lots.size());
  for (const auto& l : m.lots) {
    std::snprintf(buf, sizeof buf, "%4d  ", l.lot);
    os << buf << pad(l.name, name_w);
    std::snprintf(buf, sizeof buf, " %-10s %9.1f %+7.1f %6d %6d %9.1f %8.1f\n", l.tier.c_str(),
                  l.hours, mean > 0 ? 100 * (l.hours - mean) / mean : 0.0, l.units, l.pieces,
                  l.mean_travel_min, l.max_travel_min);
    os << buf;
  }
  std::snprintf(buf, sizeof buf,
                "total %.1f h, assigned %.1f h, unassigned %.1f h; max deviation %.1f%%, CV %.3f; "
                "%d of %s within band; hours-weighted travel to hub %.2f min\n",
                m.total_hours, m.assigned_hours, m.unassigned_hours, m.max_deviation_pct, m.cv,
                m.lots_within_band, plural(static_cast<long long>(m.lots.size()), "lot").c_str(),
                m.mean_travel_min);
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

int print_outcome(std::ostream& os, const geo::PlanMetrics& m, const geo::DesignReport& report) {
  char buf[256];
  if (m.lower_bound_min >= 0) {
    std::snprintf(buf, sizeof buf, "lower bound %.2f min", m.lower_bound_min);
    os << buf;
    if (m.gap_pct >= 0) std::snprintf(buf, sizeof buf, "; gap %.2f%%", m.gap_pct), os << buf;
    if (!m.feasible) os << " for a plan meeting every constraint (this plan does not: no gap)";
    os << "\n";
  }
  if (m.feasible) return 0;
  os << "INFEASIBLE: " << report.reason << "\n";
  const char* noun = report.unit_noun.c_str();
  int shown = 0;
  for (const auto& v : m.violations) {
    if (v.what != "travel") continue;
    if (shown++ == 20) {
      os << "  ... (every violation is in metrics.json)\n";
      break;
    }
    // Minutes rounded up, never into the limit (25.003 -> 25.01).
    if (std::isfinite(v.minutes))
      std::snprintf(
          buf, sizeof buf, "  %s %s (lot %d, %.2f h): %.2f min from its hub, limit %.2f\n", noun,
          v.postcode.c_str(), v.lot, v.hours, std::ceil(v.minutes * 100 - 1e-7) / 100, v.limit);
    else
      std::snprintf(buf, sizeof buf,
                    "  %s %s (lot %d, %.2f h): not reachable by road from its hub, limit "
                    "%.2f\n",
                    noun, v.postcode.c_str(), v.lot, v.hours, v.limit);
    os << buf;
  }
  for (const auto& v : m.violations)
    if (v.what != "travel")
      os << "  lot " << v.lot << ": " << (v.what == "band" ? "outside its hours band" : "in pieces")
         << "\n";
  if (m.relaxations.empty())
    os << (report.relaxations_futile
               ? "no relaxation of lots or tolerance was designed: the proof above rules them "
                 "out\n"
               : "no relaxation was measured to work\n");
  for (const auto& r : m.relaxations) os << "relaxation: " << r << "\n";
  return 1;
}

void print_warnings(std::ostream& os, const std::string& command,
                    const std::vector<std::string>& warnings) {
  for (const auto& w : warnings)
    os << "lotwright " << command << ": warning: " << cut_long_values(w) << "\n";
}

}  // namespace lotwright::cli
