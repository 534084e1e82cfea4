#pragma once
// A plan: unit -> lot. Lots are numbered 0..lot_count-1 internally and shown 1-based.
#include <cstdint>
#include <string>
#include <vector>

namespace lotwright::geo {

inline constexpr int kNoLot = -1;

struct Plan {
  std::vector<int> lot_of;          // per unit (UnitGraph order); kNoLot = unassigned
  int lot_count = 0;
  std::vector<int> hub;             // per lot: hub unit (travel-time 1-median), -1 unknown
  std::vector<std::string> name;    // per lot: human name ("Newport & Carisbrooke")
  std::vector<std::string> tier;    // per lot: tier name ("" in lots mode)
  std::uint64_t seed = 0;
};

}  // namespace lotwright::geo
