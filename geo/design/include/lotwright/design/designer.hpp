#pragma once
// The lot designer: contiguous lots with balanced hours, tier bands and a travel limit.
#include <cstdint>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/core/progress.hpp"
#include "lotwright/study/config.hpp"

namespace lotwright::geo {

struct DesignRequest {
  DesignConfig design;         // lots/tolerance or tiers, travel limit, seed
  std::vector<int> locked;     // per unit: lot it must stay in, or kNoLot (may be empty)
  std::vector<int> keep_from;  // per unit: previous lot to stay close to (may be empty)
  double time_limit_s = 0;     // 0: designer's default budget
  // Above this many units with road travel the search runs along chains of neighbouring
  // units and settles on the roads after (docs/designer.md); below it, on road travel, with
  // the chain search as the fallback when the road search misses the travel limit.
  std::size_t adjacency_search_above = 100000;
  // When the plan misses a hard constraint: re-run the designer with each relaxation (the
  // limit the plan meets, one more lot, the tolerance it needs) and report those that work.
  bool measure_relaxations = true;
  // Called at the search's stage points (each start, the kicks, the exact polish, each
  // relaxation measured); empty: nothing is reported.
  ProgressSink progress;
  // What a unit is, for the messages ("postcode", "ward", "LSOA", "MSOA", or "unit" when
  // unknown): run_design (workflow.cpp) names the study's [units] layer.
  std::string unit_noun = "postcode";
};

// A postcode the best plan leaves outside a hard constraint.
struct DesignViolation {
  int unit = -1;       // UnitGraph index
  int lot = -1;        // 0-based lot of the best plan
  double hours = 0;    // the postcode's weekly hours
  double minutes = 0;  // travel from its lot's hub (travel-limit breaches), exact
  double limit = 0;    // the limit it breaks (minutes, or the band edge in hours)
  std::string what;    // "travel" | "band" | "pieces"
};

struct DesignReport {
  std::vector<std::string> notes;  // parts designed on their own, relaxations, etc.
  double seconds = 0;
  double time_budget_s = 0;  // the budget the search ran under (sized to the county)
  // When the hard constraints cannot all be met, design() still returns its best plan and
  // says so here (it throws InfeasibleError only when no plan can be made at all: no units,
  // no hours, more lots than units).
  bool feasible = true;
  bool proved_infeasible = false;  // true: proved (by `reason`), false: not found in budget
  std::string reason;              // why: the proof (balance bound, a postcode no possible hub
                                   // reaches in time, the exact solve) or "not found in ..."
  std::vector<DesignViolation> violations;
  std::vector<std::string> relaxations;  // measured to work: "max_travel_minutes = 27.5", ...
  // The proof bounds every lot holding its unit, so one more lot or a wider tolerance was
  // not designed (`reason` says what would take: outcome.cpp, proof_way_forward).
  bool relaxations_futile = false;
  std::string unit_noun = "postcode";  // what the violations' units are (DesignRequest's)
  // Certificate: a lower bound on the hours-weighted mean travel (minutes) of any plan that
  // meets the constraints, and the plan's gap above it; -1 when not computed.
  double lower_bound_min = -1;
  double gap_pct = -1;
  bool proved_optimal = false;  // the exact solve proved this plan optimal
  // A wall-clock stop cut work short (the deadline of time_limit_seconds, or the exact
  // polish's safety stop): the plan or its certificate may then differ from run to run.
  // False: the result is the fixed work budget's, the same on any machine and load.
  bool stopped_on_time = false;
};

// Throws InfeasibleError only when no plan can be made at all; otherwise returns the best plan
// found, with report->feasible false and the violations when a hard constraint is missed.
Plan design(const UnitGraph& g, const DesignRequest& request, DesignReport* report = nullptr);

}  // namespace lotwright::geo
