// The Lagrangian certificate (docs/designer.md, "How", step 7): the lower bound of studies
// the exact polish (polish.cpp) does not take, from aggregated_bound (bound.cpp).
#include <algorithm>
#include <memory>
#include <string>

#include "lotwright/core/text.hpp"
#include "lotwright/design/exact.hpp"
#include "problem.hpp"

namespace lotwright::geo::design_detail {

namespace {
// Subgradient steps of the aggregated bound: work, not time. Every kFullEvery-th step
// evaluates every group (bound.cpp), the others the kCandidateGroups groups that looked
// cheapest: on the Isle of Wight postcodes 160 such steps cost half of 80 full ones and
// end higher (demand seed 1: 3.94 -> 4.09 min).
constexpr int kAggregatedIterations = 160;
constexpr int kFullEvery = 8;
constexpr int kCandidateGroups = 64;
// Refinement (bound.cpp, BoundRequest::refine_pairs): the groups holding the 2 × lots smallest
// hub values get their hubs' own trees at each full evaluation, up to 20 million (unit,
// minutes) pairs (160 MB). Isle of Wight postcodes (demand seed 1): gap 33.1% -> 10.8%,
// 2,551 hubs refined; the bound's CPU about doubles (1.2-1.5 -> 2.7 s).
constexpr std::size_t kRefinePairs = 20'000'000;
constexpr int kRefineRankPerLot = 2;
// Above kLargeUnits the bound's cost is bounded: one centre per kLargeUnitsPerCentre units
// (kLargeCentres to kLargeMaxCentres), a quarter more only for hubs farther than kLargeCover
// minutes from every centre (a hub farther than that from its centre has its group's
// knapsack run over every unit, bound.cpp: valid, slower), lists cut to kLargeRadius minutes
// (λ capped at w × radius: BoundRequest::radius_minutes; the lists, their trees and memory
// shrink with the radius², which pays for the centres), kLargeGroup hubs per group,
// kLargeIterations steps with every kLargeFullEvery-th full, and kLargeRefinePairs pairs of
// hubs' own trees for the `lots` smallest. Measured (docs/designer.md, step 6): 40,000
// postcodes (29 lots, 50 min) gap 67.3% -> 48.1% at 9.9 s of CPU (was 9.6 s); 150,000 (no
// bound before) see there. A radius of 15 minutes gave 49% (the cap bites), groups of 4 52%.
constexpr std::size_t kLargeUnits = 10000;
constexpr std::size_t kLargeUnitsPerCentre = 16, kLargeCentres = 500, kLargeMaxCentres = 4000;
constexpr int kLargeGroup = 8;
constexpr int kLargeIterations = 160, kLargeFullEvery = 16;
constexpr double kLargeCover = 3.0, kLargeRadius = 20.0;
// kLargeRefinePairs was 6 million; at 40,000 postcodes (with extend_shift) 20 million refine
// 3,498 hubs instead of 2,789 for the same CPU (3.6 s for the bound alone): gap 43.4% -> 42.4%.
constexpr std::size_t kLargeRefinePairs = 20'000'000;
// kLargeIterations was 80: with the lower edge filled unit by unit (bound.cpp, LowerEdgePool)
// the dual still climbs there. 40,000 postcodes, the bound alone on the design's plan (CPU,
// clock() over the call, at load 8): 80 steps 39.2% for 4.3 s, 160 (11 full) 34.3% for 8.5 s,
// 120 with every 12th full 34.9% for 7.7 s, 160 with every 8th full 34.9% for 9.8 s. Above
// kHugeUnits the steps stay at kHugeIterations (the 150,000-postcode design is at its time
// target).
constexpr int kHugeIterations = 80;
// Above kHugeUnits (150,000-postcode synth-county, 111 lots, 45 min): kHugeCentres centres
// and up to kHugeMaxCentres for hubs over kHugeCover minutes from every centre (thinned to
// one per square of the cover). Measured there (CPU of the bound): 1,500 + 375 centres, a
// 5-minute cover: 85% for 125 s (the groups beyond their lists' cover, run over every unit,
// cost more than the trees saved); 4,000 + 1,000, 3 minutes: 66% for 154 s; these
// settings: 50.1% for 124 s (24,000 centres), peak memory 1,255 MB for the whole design.
constexpr std::size_t kHugeUnits = 100000, kHugeCentres = 3000, kHugeMaxCentres = 24000;
constexpr double kHugeCover = 2.0;
// Above kHugeUnits the refinement keeps 6 million pairs: 20 million cost about 3 s more (below).
constexpr std::size_t kHugeRefinePairs = 6'000'000;
// Above kLargeUnits a centre whose cell holds a hub farther than the cover lists its pairs to
// R + that hub's δ (at most kLargeExtendShift more minutes; BoundRequest::extend_shift), so no
// group's knapsack runs over every unit. That scan was the cost at 150,000 postcodes: 11,924
// of 35,867 groups (59,503 hubs) past their cover, about 1.8 billion pairs a full evaluation
// against 90 million for the rest. There (measured on the design's final plan, outside the
// design, trees not from its cache): the bound's CPU 161.5 -> 23.1 s, gap 50.1% -> 48.4%
// (a unit past the old list now costs its own minutes, not the list's reach); inside the
// design 19.9 s of CPU (was about 150 s at the same load; the design 245 -> 113 s), 40,000
// postcodes 48.1% -> 43.4% at about 5 s (was 9.9 s). With the scan gone the 24,000 centres
// still pay: 8,000 gave 59.3% for 16.1 s, 4,000 63.2% for 14.1 s. kLargeRefinePairs of 20
// million at 150,000 postcodes: 45.9% for about 3 s more CPU and 120 MB (not taken: the
// bound's budget there is 20 s); 2 x lots ranks with 6 million pairs 48.7% (the pairs run out).
constexpr double kLargeExtendShift = 15.0;
}  // namespace

// The certificate of studies the exact polish does not take (docs/designer.md, "How", step
// 7): the Lagrangian bound, on a feasible plan in lots mode without keep_from (whose
// objective also prices moves). When none is computed, the notes say why.
void Designer::certify_lagrangian(const Plan& plan) {
  // An infeasible plan has its own account; a deadline already passed, its own note.
  if (!report_ || report_->lower_bound_min >= 0 || !report_->feasible || time_up()) return;
  std::string why;
  if (tiers_mode_)
    why = "tiers mode (lots of different bands)";
  else if (!obj_.keep().empty())
    why = "keep_from prices moves as well as travel";
  BoundResult b;
  if (why.empty()) {
    report_progress(req_.progress, "design", "lower bound");
    BoundRequest r;
    r.lots = k_;
    r.tolerance = req_.design.tolerance;
    r.max_travel_minutes = req_.design.max_travel_minutes;
    r.incumbent = &plan;
    // Up to max_units every unit is a centre (each hub's own tree: no shift, groups of one,
    // the band's lower edge kept, which the earlier per-unit bound dropped: IoW LSOAs, 30 min:
    // gap 11.4% -> 7.7%); above, a few hundred centres' trees stand in (bound.cpp).
    r.iterations = kAggregatedIterations;
    r.full_every = kFullEvery;
    r.candidate_groups = kCandidateGroups;
    r.refine_pairs = kRefinePairs;
    r.refine_rank = kRefineRankPerLot * k_;
    if (g_.size() <= r.max_units) {
      r.centres = r.max_centres = static_cast<int>(g_.size());
      r.group_size = 1;
    } else if (g_.size() > kLargeUnits) {
      r.centres = static_cast<int>(std::clamp<std::size_t>(g_.size() / kLargeUnitsPerCentre,
                                                           kLargeCentres, kLargeMaxCentres));
      r.max_centres = r.centres + r.centres / 4;
      r.radius_minutes = kLargeRadius;
      r.group_size = kLargeGroup;
      r.iterations = kLargeIterations;
      r.full_every = kLargeFullEvery;
      r.refine_pairs = kLargeRefinePairs;
      r.refine_rank = k_;
      r.cover_minutes = kLargeCover;
      r.extend_shift = kLargeExtendShift;
      if (g_.size() > kHugeUnits) {
        r.centres = static_cast<int>(kHugeCentres);
        r.max_centres = static_cast<int>(kHugeMaxCentres);
        r.cover_minutes = kHugeCover;
        r.refine_pairs = kHugeRefinePairs;
        r.iterations = kHugeIterations;
      }
    }
    // The search's trees serve as centres' trees where it has them (on road travel only:
    // the chain search's cache is of another travel).
    std::unique_ptr<CachedFirst> reuse;
    if (const TreeCache* trees = road_trees()) {
      reuse = std::make_unique<CachedFirst>(*trees);
      r.trees = reuse.get();
    }
    b = aggregated_bound(g_, r);
    why = b.why_not;
  }
  if (!b.computed || !(b.weight > 0) || !(b.incumbent > 0)) {
    note("no lower bound: " + why);
    return;
  }
  report_->lower_bound_min = b.lower_bound / b.weight;
  report_->gap_pct = bound_gap_pct(b.incumbent, b.lower_bound);
}

}  // namespace lotwright::geo::design_detail
