#pragma once
// The lot designer: contiguous lots with balanced hours, tier bands and a travel limit.
#include <cstdint>
#include <string>
#include <vector>

#include "lotwright/study/config.hpp"
#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"

namespace lotwright::geo {

struct DesignRequest {
  DesignConfig design;                 // lots/tolerance or tiers, travel limit, seed
  std::vector<int> locked;             // per unit: lot it must stay in, or kNoLot (may be empty)
  std::vector<int> keep_from;          // per unit: previous lot to stay close to (may be empty)
  double time_limit_s = 0;             // 0: designer's default budget
  // Above this many units with road travel the search runs along chains of neighbouring
  // units and settles on the roads after (docs/designer.md); below it, on road travel, with
  // the chain search as the fallback when the road search misses the travel limit.
  std::size_t adjacency_search_above = 100000;
};

struct DesignReport {
  std::vector<std::string> notes;  // parts designed on their own, relaxations, etc.
  double seconds = 0;
};

// Throws InfeasibleError with an actionable reason when the ask cannot be met.
Plan design(const UnitGraph& g, const DesignRequest& request, DesignReport* report = nullptr);

}  // namespace lotwright::geo
