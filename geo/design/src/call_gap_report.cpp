// The call-gap stage's account of itself (call_gap.hpp): why a lot is still over the target,
// measured on its legs and on the moves the stage turned down, and the summary lines.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "call_gap_state.hpp"
#include "lotwright/core/rural.hpp"
#include "lotwright/core/text.hpp"
#include "lotwright/design/call_gap.hpp"

namespace lotwright::geo {
namespace call_gap_detail {
namespace {

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool rural(const UnitGraph& g, int u) {
  return u < static_cast<int>(g.rural.size()) && is_rural_class(g.rural[u]);
}

// Units searched from each end of a long leg for its nearest other postcode with calls.
constexpr std::size_t kNearestSearched = 24;
// Ends of long legs measured (those at the most long legs first).
constexpr std::size_t kEndsMeasured = 40;

// Road minutes from u to the nearest other unit with hours of `lot` (its kNearestSearched
// nearest in a straight line searched, up to the rounds' longest leg); +inf when none.
double nearest_call(const GapState& s, int u, const std::vector<int>& lot) {
  const UnitGraph& g = s.g;
  std::vector<std::pair<double, int>> by;
  for (int v : lot)
    if (v != u && g.hours[v] > 0)
      by.push_back({std::hypot(g.site[u].x - g.site[v].x, g.site[u].y - g.site[v].y), v});
  const std::size_t take = std::min(by.size(), kNearestSearched);
  std::partial_sort(by.begin(), by.begin() + static_cast<std::ptrdiff_t>(take), by.end());
  std::vector<int> targets;
  for (std::size_t i = 0; i < take; ++i) targets.push_back(by[i].second);
  if (targets.empty()) return std::numeric_limits<double>::infinity();
  std::vector<float> out;
  const double cap = s.rounds.max_leg_minutes > 0 ? s.rounds.max_leg_minutes : 1e9;
  g.travel->times_to(u, targets, out, static_cast<float>(cap));
  double best = std::numeric_limits<double>::infinity();
  for (float t : out)
    if (std::isfinite(t)) best = std::min(best, static_cast<double>(t));
  return best;
}

// "3 break the hours band, 1 splits a lot" from the refusals, zeros left out.
std::string refusal_text(const Refusals& r) {
  std::vector<std::string> parts;
  const auto add = [&](long n, const char* one, const char* many) {
    if (n > 0) parts.push_back(std::to_string(n) + " " + (n == 1 ? one : many));
  };
  add(r.band, "would take a lot outside its hours band", "would take a lot outside its hours band");
  add(r.pieces, "would split a lot", "would split a lot");
  add(r.travel, "would put a postcode beyond the travel limit",
      "would put a postcode beyond the travel limit");
  add(r.locked, "moves a locked postcode", "move a locked postcode");
  add(r.objective, "costs more hub travel than call_gap_weight allows",
      "cost more hub travel than call_gap_weight allows");
  add(r.no_gain, "does not lower the gap", "do not lower the gap");
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i ? (i + 1 == parts.size() ? " and " : ", ") : "") + parts[i];
  return out;
}

// What would fix it, from the dominant measured reason.
std::string remedy(const Refusals& r, bool sparse) {
  if (sparse)
    return "a looser target would fix it; a boundary drawn round those postcodes only moves "
           "their long legs to the neighbouring lot";
  const long blocked = r.band + r.pieces + r.travel + r.locked;
  if (r.objective > 0 && r.objective >= blocked)
    return "a larger call_gap_weight (more hub travel allowed) or a looser target would fix it";
  if (r.band >= r.pieces && r.band >= r.travel && r.band > 0)
    return "a smaller lot (more lots, or a looser tolerance) or a looser target would fix it";
  return "a smaller lot or a looser target would fix it";
}

}  // namespace

std::string why_over(const GapState& s, int l) {
  const UnitGraph& g = s.g;
  std::vector<double> long_minutes;
  std::vector<int> at(g.size(), 0);
  long rural_legs = 0;
  for (const RoundLeg& leg : s.legs[l]) {
    if (leg.minutes <= s.target) continue;
    long_minutes.push_back(leg.minutes);
    rural_legs += rural(g, leg.from) || rural(g, leg.to);
    ++at[leg.from];
    ++at[leg.to];
  }
  const RoundFigures& f = s.fig[l];
  std::string why = "p90 call gap " + fmt(f.call_gap_p90_min, 1) + " min > " + fmt(s.target, 1) +
                    "; " + fmt(100.0 * long_minutes.size() / std::max<long>(1, f.legs), 1) +
                    "% of its legs are over " + fmt(s.target, 1) + " min (median " +
                    fmt(median(long_minutes), 1) + " min)";
  if (!long_minutes.empty())
    why += ", " + fmt(100.0 * rural_legs / long_minutes.size(), 0) + "% of them at rural postcodes";
  // The ends of the long legs: how far is each from the nearest other postcode with calls?
  std::vector<int> ends;
  for (std::size_t u = 0; u < g.size(); ++u)
    if (at[u] > 0) ends.push_back(static_cast<int>(u));
  std::stable_sort(ends.begin(), ends.end(), [&](int a, int b) { return at[a] > at[b]; });
  if (ends.size() > kEndsMeasured) ends.resize(kEndsMeasured);
  std::vector<double> nearest;
  for (int u : ends) nearest.push_back(nearest_call(s, u, s.members[l]));
  const double near = median(nearest);
  const bool sparse = !nearest.empty() && near > s.target;
  if (!nearest.empty())
    why += "; the postcodes at their ends are a median " +
           (std::isfinite(near) ? fmt(near, 1) + " min" : std::string("more than an hour")) +
           " by road from the nearest other postcode with calls in the lot" +
           (sparse ? "" : ", but calls there seldom fall in the same window");
  const Refusals& r = s.refused[l];
  const long tried = r.band + r.pieces + r.travel + r.locked + r.objective + r.no_gain;
  if (tried > 0)
    why += "; of the " + plural(tried, "boundary move") + " tried, " + refusal_text(r);
  else
    why += "; no boundary move was left to try";
  if (r.untried > 0) why += " (" + std::to_string(r.untried) + " more not tried)";
  return why + "; " + remedy(r, sparse);
}

}  // namespace call_gap_detail

std::vector<std::string> call_gap_notes(const CallGapTargetReport& r) {
  using call_gap_detail::fmt;
  const auto list = [](const std::vector<CallGapLot>& lots) {
    if (lots.empty()) return std::string("no lot over");
    std::string s = plural(static_cast<long long>(lots.size()), "lot") + " over (";
    for (std::size_t i = 0; i < lots.size(); ++i)
      s += (i ? ", " : "") + std::string("lot ") + std::to_string(lots[i].lot) + " by " +
           fmt(lots[i].excess_min, 2) + " min";
    return s + ")";
  };
  std::vector<std::string> out;
  out.push_back("call gaps: target p90 <= " + fmt(r.target_min, 2) +
                " min (max_call_gap_minutes, call_gap_weight " + fmt(r.weight, 2) +
                "); before: " + list(r.over_before));
  const double cost = r.hub_travel_after_min - r.hub_travel_before_min;
  out.push_back(
      "call gaps: after " + plural(r.moves, "move") + " and " + plural(r.swaps, "swap") + ": " +
      list(r.over_after) + "; p90 minutes over the target " + fmt(r.excess_before_min, 2) + " -> " +
      fmt(r.excess_after_min, 2) + "; hub travel " + fmt(r.hub_travel_before_min, 2) + " -> " +
      fmt(r.hub_travel_after_min, 2) + " min (" + (cost >= 0 ? "+" : "") + fmt(cost, 2) +
      " min, hours-weighted mean to the hubs)" +
      (r.budget_reached
           ? "; stopped at its budget of " + std::to_string(r.lot_estimates) + " lot estimates"
           : ""));
  for (const auto& lot : r.over_after)
    out.push_back("call gaps: lot " + std::to_string(lot.lot) + ": " + lot.why);
  return out;
}

}  // namespace lotwright::geo
