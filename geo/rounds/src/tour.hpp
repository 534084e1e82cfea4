#pragma once
// Local search on one open run: 2-opt and Or-opt on the path closed through a free "home"
// node (distance 0 to every call), so moves may also change the run's first and last call.
#include <vector>

namespace lotwright::geo::detail {

// Reorders `order` (node ids, any order) to shorten the open path through them; node i sits
// at place_of[i], legs come from the places x places matrix `leg` (row-major, symmetric).
// Candidate moves look at each node's `neighbours` nearest nodes. Deterministic.
void improve_open_path(std::vector<int>& order, const std::vector<int>& place_of,
                       const std::vector<float>& leg, int places, int neighbours = 10);

}  // namespace lotwright::geo::detail
