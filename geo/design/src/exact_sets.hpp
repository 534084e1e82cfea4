#pragma once
// The exact solver's set-partitioning method (exact_sets.cpp; private to the exact solver):
// every connected set of units whose hours lie in the band and that some unit of it serves
// within the travel limit, priced at its best hub; CBC picks `lots` of them covering every
// unit once. Up to 64 units (one bit each), and only while the sets stay under a work cap.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lotwright/core/network.hpp"

namespace lotwright::geo::detail {

struct SetsInput {
  const UnitGraph* g = nullptr;
  const std::vector<std::vector<float>>* time = nullptr;  // time[j][i]: minutes from j to i
  const std::vector<double>* w = nullptr;                 // design_weights()
  int lots = 1;
  double lo = 0, hi = 0;                    // the band
  double limit = 0;                         // travel limit for units with hours; 0 = none
  std::size_t max_sets = 0;                 // sets kept in the band (the cap)
  long max_steps = 0;                       // enumeration steps (the work cap)
  const std::vector<int>* start = nullptr;  // hub per unit of a plan to start from (may be null)
  double seconds = 0;                       // CBC's wall-clock safety stop (0: none)
  long max_nodes = 0;                       // CBC's node budget (0: none)
};

struct SetsAnswer {
  enum class Status { too_many, optimal, infeasible, stopped } status = Status::too_many;
  std::vector<int> hub_of;  // hub per unit of the best plan found (empty: none)
  double bound = 0;         // lower bound on Σ w·minutes (infinite when infeasible)
  std::size_t sets = 0;     // sets in the band kept as columns
  long steps = 0;           // enumeration steps taken
  long nodes = 0;           // CBC's branch-and-bound nodes
  bool stopped_on_time = false;
};

// too_many (nothing solved) when the study has more than 64 units or the enumeration passes
// max_sets or max_steps: the caller falls back to the cut formulation.
SetsAnswer solve_sets(const SetsInput& in);

}  // namespace lotwright::geo::detail
