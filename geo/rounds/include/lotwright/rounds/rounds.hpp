#pragma once
// Care rounds (docs/rounds.md): each lot's demand becomes a week of calls in time windows,
// the calls of each day and window become workers' runs over road travel times (savings,
// then 2-opt and Or-opt), and the legs between consecutive calls give the figures providers
// judge a lot by. Seeded and deterministic: the same inputs give the same figures on any
// number of threads.
#include <cstdint>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/rounds/params.hpp"

namespace lotwright::geo {

// The figures of one lot (or of the county, pooling every lot's legs). The first eight are
// the output columns (lots.csv, metrics.json) under exactly these names.
struct RoundFigures {
  double call_gap_median_min = 0;  // median minutes of a leg between consecutive calls
  double call_gap_p90_min = 0;     // 90th percentile of the same
  double call_gap_median_miles = 0;
  double legs_over_15_min_pct = 0;  // share of legs longer than 15 minutes, 0-100
  double legs_over_6_miles_pct = 0;
  double travel_min_per_contact_hour = 0;
  double workers_needed = 0;                // (contact hours + travel hours) / hours_per_worker
  double travel_cost_per_contact_hour = 0;  // GBP: travel time at pay_per_hour plus mileage
  // Supporting totals for a week (aggregating, checking, the docs; not output columns).
  long visits = 0;
  long runs = 0;
  long legs = 0;
  double contact_hours = 0;
  double travel_hours = 0;
  double travel_miles = 0;
};

// The one estimate: the figures of the lot made of `units_of_lot` (indices into g), on
// g.travel (road travel in a study; any TravelOracle). Units without hours add nothing.
// Throws DataError when g has no travel oracle.
RoundFigures estimate_rounds(const UnitGraph& g, const std::vector<int>& units_of_lot,
                             const RoundParams& params);

// One leg of the week's runs: from a call at unit `from` to the next call of the run at unit
// `to` (indices into g), in day, window and run order.
struct RoundLeg {
  int from = 0;
  int to = 0;
  double minutes = 0;
  double miles = 0;
};
// The same estimate, and every leg behind its figures (for explaining them: which postcodes
// the long legs join). The figures are those of the function above.
RoundFigures estimate_rounds(const UnitGraph& g, const std::vector<int>& units_of_lot,
                             const RoundParams& params, std::vector<RoundLeg>& legs);

// Every lot of a plan (lot_of per unit, kNoLot = unassigned and left out) and the county-wide
// figures: runs stay inside their lot, the county pools all lots' legs and totals.
struct CountyRounds {
  std::vector<RoundFigures> lots;  // per lot 0..lot_count-1
  RoundFigures county;
};
CountyRounds estimate_rounds(const UnitGraph& g, const std::vector<int>& lot_of, int lot_count,
                             const RoundParams& params);

// ---- The stages, exposed for tests and the benchmark ----------------------------------------

// One call of a week.
struct Visit {
  int unit = 0;      // index into the unit graph
  int customer = 0;  // customer number within the unit
  int day = 0;       // 0 .. days_per_week-1
  int window = 0;    // index into RoundParams::windows
  double minutes = 0;
};

// The week's calls of the given units (sorted by unit, customer, day, window). Each unit's
// customers share its weekly hours equally; the calls add up to those hours exactly.
std::vector<Visit> make_visits(const UnitGraph& g, const std::vector<int>& units,
                               const RoundParams& params);

// Runs of one day and window: stops (each at a place 0..places-1, taking `minutes`) joined
// into paths by the savings heuristic for open runs (shortest legs first, as long as the run
// fits in capacity_minutes and the leg is finite), then each path shortened by 2-opt and
// Or-opt. `leg` is the places x places matrix of minutes (row-major, symmetric, kUnreachable
// where no leg is allowed). Returns runs as stop indices in calling order.
std::vector<std::vector<int>> build_runs(const std::vector<int>& place_of_stop,
                                         const std::vector<double>& minutes_of_stop,
                                         const std::vector<float>& leg, int places,
                                         double capacity_minutes);

// Shortens an open path (free ends) over the symmetric matrix `leg` of places x places
// minutes, path[i] being a place: 2-opt and Or-opt until no move helps.
void improve_path(std::vector<int>& path, const std::vector<float>& leg, int places);

}  // namespace lotwright::geo
