#pragma once
// A 0-1 program handed to CBC (private to the exact solver; CBC's headers stay in
// exact_cbc.cpp).
#include <vector>

namespace lotwright::geo::detail {

struct MipRow {
  std::vector<int> cols;
  std::vector<double> coefs;
  double lo = 0, hi = 0;  // lo <= row <= hi (use +-inf for one side)
};

struct Mip {
  std::vector<double> cost;  // per binary column; minimised
  std::vector<MipRow> rows;
};

struct MipAnswer {
  enum class Status { optimal, infeasible, stopped } status = Status::stopped;
  double bound = 0;  // best possible objective (a lower bound)
  // Integer solutions CBC kept (the best first, then any others it saved); empty if none.
  std::vector<std::vector<double>> solutions;
  bool stopped_on_time = false;  // CBC stopped at its wall-clock limit (not its node budget)
  int nodes = 0;                 // branch-and-bound nodes CBC explored
};

// Solves to optimality within seconds (<= 0: no limit) and max_nodes branch-and-bound nodes
// (<= 0: no limit); start: a full 0-1 vector to try as the first incumbent (may be null).
// One thread, no output.
MipAnswer solve_mip(const Mip& mip, const std::vector<double>* start, double seconds,
                    int max_nodes = 0);

}  // namespace lotwright::geo::detail
