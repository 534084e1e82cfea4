#pragma once
// The exact solver: the designer's problem in lots mode (balanced, contiguous p-median with a
// travel limit) solved by branch and bound (CBC) to proven optimality, or stopped at a time
// limit with the best plan found and a lower bound. It certifies the designer's plans on
// small studies (a few hundred units: LSOAs, wards, MSOAs); docs/designer.md.
//
// Model: x[i][j] = unit i in the lot whose hub is unit j (x[j][j] opens hub j);
//   sum_j x[j][j] = lots; sum_j x[i][j] = 1; x[i][j] <= x[j][j];
//   lo x[j][j] <= sum_i hours_i x[i][j] <= hi x[j][j]   (lo, hi = mean hours × (1 ∓ tolerance));
//   x[i][j] exists only when travel(j -> i) <= max_travel_minutes (units with hours);
//   contiguity by vertex-separator cuts (x[i][j] <= sum_{s in S} x[s][j] for every set S
//   separating i from j), added in rounds while the plan found has a lot in pieces;
//   minimise sum_ij w_i travel(j -> i) x[i][j], w = design_weights() (the designer's).
//
// The same problem by set partitioning (ExactRequest::max_sets > 0, up to 64 units): every
// connected set of units with hours in the band that one of its units serves within the travel
// limit is a column priced at its best hub; choose `lots` columns covering every unit once
// (exact_sets.cpp). Same optimum, a far tighter LP, no cuts; used when the sets stay under
// the caps (max_sets, max_set_steps), else the cut formulation above runs.
#include <cstdint>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"

namespace lotwright::geo {

struct ExactRequest {
  int lots = 1;
  double tolerance = 0.05;        // band: mean ± tolerance, mean = all hours / lots
  double max_travel_minutes = 0;  // from the hub, for units with hours; 0 = no limit
  double time_limit_s = 60;       // wall clock over all rounds; 0 = none
  // Branch-and-bound nodes per round (0 = no limit): a work budget that does not depend on
  // the machine's speed, so a stopped solve stops at the same place on every run.
  int max_nodes = 0;
  // Branch-and-bound nodes over all rounds (0 = no limit): the whole solve's work budget. A
  // round gets what is left (at most max_nodes); when none is left the solve stops with the
  // best plan and bound so far, at the same place on every machine.
  long max_total_nodes = 0;
  int max_rounds = 0;  // rounds of contiguity cuts (0 = no limit); work too, not time
  // A plan to start from (e.g. the designer's, with hubs): kept as the incumbent when it
  // meets every constraint, so the search only looks for better ones. May be null.
  const Plan* start = nullptr;
  // The set-partitioning method (0: the cut formulation only): tried first on up to 64 units;
  // when its enumeration keeps more than max_sets sets in the band or takes more than
  // max_set_steps steps (work, not time; 0: no cap on steps), the cut formulation runs instead.
  std::size_t max_sets = 0;
  long max_set_steps = 0;
};

enum class ExactStatus {
  optimal,     // plan is optimal (CBC's tolerances)
  infeasible,  // proven: no plan meets the constraints
  time_limit,  // stopped (node budget or wall clock): plan is the best found (may be empty),
               // lower_bound holds
};

struct ExactResult {
  ExactStatus status = ExactStatus::time_limit;
  Plan plan;                // lot_of and hub, lots numbered by their first unit; empty if none
  double objective = 0;     // plan_objective(g, plan); +inf without a plan
  double hours_travel = 0;  // sum of hours × minutes from the hub (no tie weight)
  double lower_bound = 0;   // no plan can do better (same weights as objective)
  double gap = 0;           // (objective - lower_bound) / objective; +inf without a plan
  int rounds = 0;           // MIP solves (one per round of contiguity cuts)
  int cuts = 0;             // contiguity cuts added after the first round
  long nodes = 0;           // branch-and-bound nodes over all rounds
  double seconds = 0;
  // The wall clock (time_limit_s, a safety stop), not the node budget, ended the solve.
  bool stopped_on_time = false;
  // The set-partitioning method: whether it solved (false: the cut formulation did), the sets
  // it kept as columns and its enumeration's steps (also when it gave way to the cuts).
  bool by_sets = false;
  std::size_t sets = 0;
  long set_steps = 0;
};

// Throws UsageError on a bad request (lots < 1, tolerance outside [0, 1)), DataError on an
// incomplete graph. A graph in several parts needs whole lots in each part.
ExactResult solve_exact(const UnitGraph& g, const ExactRequest& r);

// A lower bound for studies too big for the exact solve: the Lagrangian relaxation of the
// assignment rows of the model above (every unit in exactly one lot), with the contiguity cuts
// and the band's lower edge dropped, the band's upper edge kept as a fractional knapsack per
// hub and the travel limit kept as the pairs allowed. Any multipliers give a valid bound; a
// fixed number of subgradient steps (work, not time: the same bound on every machine) from
// the incumbent's own costs tightens it. Travel trees come from a set of centres (every unit
// on small studies), see aggregated_bound.
struct BoundRequest {
  int lots = 1;
  double tolerance = 0.05;
  double max_travel_minutes = 0;  // for units with hours; 0 = no limit
  // The plan to certify (with hubs): its costs start the multipliers and its objective sets
  // the step. Required.
  const Plan* incumbent = nullptr;
  int iterations = 60;
  // Up to this many units the designer makes every unit a centre (each hub's own tree, the
  // tightest bound); above it, centres are spread (polish.cpp). LSOA, ward and MSOA studies
  // are well below.
  std::size_t max_units = 1000;
  // Centres spread on the map whose trees stand in for every hub's
  // (0: one per 5 units, 64 to 1,500); a hub farther than cover_minutes from every centre
  // becomes a centre too while there are fewer than max_centres (a hub no centre reaches
  // always does); hubs per group of a centre's cell (a group shares one knapsack).
  int centres = 0;
  double cover_minutes = 2.0;
  int max_centres = 3000;
  int group_size = 8;
  // Every full_every-th step evaluates every group's knapsack; the steps between evaluate
  // the candidate_groups (at least 4 × lots) groups that had the smallest at the last full
  // evaluation (1: every step is full). The bound is the best full evaluation.
  int full_every = 1;
  // Where the centres' trees come from (null: g.travel); it must give g.travel's minutes up
  // to the limit asked (the designer passes its cache of the search's trees).
  const TravelOracle* trees = nullptr;
  int candidate_groups = 64;
  // Early stop: after stall_checks full evaluations in a row that each raised the bound by
  // less than stall_fraction of the room left to the incumbent (work, not time).
  int stall_checks = 1000000;
  double stall_fraction = 0.01;
  // Refinement: at each full evaluation, the groups holding the refine_rank (at least lots)
  // smallest hub values are replaced by one group per hub with the hub's own tree (to the
  // radius), until those values are all exact, while fewer than refine_pairs (unit, minutes)
  // pairs have been listed for such trees (0: none). Tighter, never less valid: a group's
  // value is at most each of its hubs' own.
  std::size_t refine_pairs = 0;
  int refine_rank = 0;
  // Pairs are listed to this radius R (minutes; 0 or more than the travel limit: the limit,
  // or without one the incumbent's farthest trip + 1). Below the limit every λ_i is kept at
  // most w_i R (an unlisted pair never pays) and the band's lower edge is filled, past the
  // listed units, from the units a group has not listed, each once at w_i R - λ_i (its least
  // reduced cost there): valid, and the lists (memory, time) shrink with R, which pays for
  // more centres at scale.
  double radius_minutes = 0;
  // Centres whose cell holds a hub farther than cover_minutes list their pairs further, to R +
  // the cell's largest δ (at most R + extend_shift minutes), so the groups' knapsacks run over
  // their lists instead of every unit (0: lists to R + cover only). At least as tight, far less
  // work.
  double extend_shift = 0;
};

struct BoundResult {
  bool computed = false;
  std::string why_not;  // when not computed
  // On the units the incumbent's hubs reach (all, unless a postcode lies off the roads):
  double lower_bound = 0;  // no plan meeting the constraints has a smaller Σ w·minutes
  double incumbent = 0;    // the incumbent's Σ w·minutes over the same units
  double weight = 0;       // Σ w over those units
  int iterations = 0;
  int full_evaluations = 0;  // steps that evaluated every group
  int centres = 0;           // centres used (the asked ones and any added)
  int refined = 0;           // hubs given their own tree (refine_pairs)
  double seconds = 0;
};

// The bound, from the trees of `centres` units (every unit, or a few hundred spread on the
// map): a hub's travel to a unit is bounded below by the triangle
// inequality through the centre that reaches the hub soonest, t(j,i) >= t(c,i) - t(c,j), and
// hubs of one centre share a knapsack in groups of group_size (bound.cpp). Valid for any
// multipliers; with fewer centres than units, weaker by about the centres' spacing, which
// refinement (refine_pairs) takes back where it matters: the groups holding the smallest
// values get their hubs' own trees. Iterations are the work budget (no clock).
BoundResult aggregated_bound(const UnitGraph& g, const BoundRequest& r);

// The designer's travel weights: hours + eps per unit, eps = 1e-3 × mean hours per unit
// + 1e-9 (units without hours weigh a little, so ties go to the more compact plan).
std::vector<double> design_weights(const UnitGraph& g);

// The certificate's gap (DesignReport::gap_pct, metrics.json gap_pct): how far a plan's
// Σ w·minutes lies above a lower bound on it, in % of the plan's, never below 0; 0 for an
// empty plan. Every place that reports a gap calls this.
double bound_gap_pct(double plan_total, double bound_total);

// The designer's objective for a plan with hubs: sum over units in order of
// design_weights()[u] × minutes from the lot's hub to u (float travel, summed in double).
// +inf when a unit is unassigned, a lot has no hub or a unit cannot be reached.
double plan_objective(const UnitGraph& g, const Plan& plan);

}  // namespace lotwright::geo
