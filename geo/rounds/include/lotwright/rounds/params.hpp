#pragma once
// The care-round parameters: how demand becomes visits, how visits become workers' runs, and
// what travel costs. Each field becomes a `[rounds]` config key of the same name; the
// defaults and their sources are in docs/rounds.md ("Parameters").
#include <cstdint>
#include <string>
#include <vector>

namespace lotwright::geo {

// A time window in which calls are made, in minutes after midnight. Customers with k calls a
// day are visited in the k windows of lowest `rank` (morning first, then bed, lunch, tea).
struct RoundWindow {
  std::string name;
  int start_min = 0;
  int end_min = 0;
  int rank = 0;
  int length_min() const { return end_min - start_min; }
};

// The four windows of a home-care day (docs/rounds.md "Windows").
inline std::vector<RoundWindow> default_round_windows() {
  return {{"morning", 7 * 60, 10 * 60 + 30, 0},
          {"lunch", 12 * 60, 14 * 60, 2},
          {"tea", 16 * 60 + 30, 18 * 60 + 30, 3},
          {"bed", 19 * 60 + 30, 22 * 60, 1}};
}

// The thresholds named in the output columns (legs_over_15_min_pct, legs_over_6_miles_pct):
// West Sussex market feedback (15-minute maximum between calls) and the ADASS 2020 survey
// cited by Worcestershire (staff leave when asked to travel more than 6 miles between calls).
inline constexpr double kGapThresholdMinutes = 15;
inline constexpr double kGapThresholdMiles = 6;

struct RoundParams {
  // Days a week with calls: home care runs every day of the week.
  int days_per_week = 7;
  // Call windows, chronological; at most one call per customer per window.
  std::vector<RoundWindow> windows = default_round_windows();
  // Shortest call: NICE NG21 (2015) / QS123 (2016): home care visits shorter than 30 minutes
  // are not enough for personal care. A customer's weekly hours are split into as many calls
  // as fit at this length (at most one per window a day), so calls are never shorter unless
  // the whole week's care is shorter.
  double min_visit_minutes = 30;
  // Customers assumed at a postcode that has hours but no customer count (mean hours per
  // customer of the reference reports, 9.4-15 h; 13 h as in docs/synth-demand.md).
  double hours_per_customer_if_unknown = 13;
  // Longest run one worker makes without a break: a run (calls and the legs between them)
  // never exceeds its window, nor this (split shifts of about four hours).
  double shift_minutes = 240;
  // Working week of a care worker (West Sussex market feedback: 30 hours a week).
  double hours_per_worker = 30;
  // Pay for travel time, GBP an hour: the National Living Wage from April 2024 (GBP 11.44
  // for workers aged 21 and over), which care workers' pay tracks; the UKHCA Minimum Price
  // for Homecare 2024-25 builds on the same wage and adds employer on-costs, which a
  // commissioner may add here.
  double pay_per_hour = 11.44;
  // Mileage paid per mile, GBP: HMRC approved mileage allowance payment for cars (45p a mile
  // for the first 10,000 business miles a year).
  double mileage_per_mile = 0.45;
  // Miles of a leg. The travel oracle gives minutes only, so miles are the straight line
  // between the two postcodes times this detour (circuity) factor: road distance is about
  // 1.2 times the straight line in towns (Newell 1980) and 1.2-1.4 across national networks
  // (Ballou et al. 2002), more for short trips; 1.3 for call-to-call legs.
  double detour_factor = 1.3;
  // When > 0, miles are minutes times this average road speed instead (mph), for oracles
  // whose sites are not where the travel starts.
  double road_speed_mph = 0;
  // Longest leg searched for: calls further apart than this are never in the same run (the
  // bound of each travel search, TravelOracle::times_to's limit).
  double max_leg_minutes = 60;
  // Postcodes each travel search looks for: the nearest this many postcodes with calls in the
  // lot (straight line); calls join runs only along legs searched (0: every postcode of the
  // lot, a search cost that grows with the square of the lot). docs/rounds.md "Scaling".
  int search_neighbours = 24;
  // Seeds how fractional customer counts round and which days a customer with fewer than
  // daily calls is visited.
  std::uint64_t seed = 1;
  // Threads for the travel searches and the runs (0: every core). Results do not depend on it.
  unsigned threads = 0;
};

}  // namespace lotwright::geo
