#pragma once
// Pieces of a lot: the connected parts of its units on the unit graph's adjacency (a flood
// fill that only steps to neighbours in the same lot). One implementation for the metrics,
// the plan editor and the viewer.
#include <cstdint>
#include <vector>

#include "lotwright/core/network.hpp"

namespace lotwright::geo {

// Reusable marks for repeated fills (the editor recounts a lot after every edit): a fill
// costs the lot's size and its neighbours, never the county's.
class PieceFinder {
 public:
  // Labels the pieces of `lot`, the units u of `members` with lot_of[u] == lot (others are
  // skipped), in the order of `members`: piece 0 holds members[0]. Returns the number of
  // pieces. A graph without adjacency (offsets not size()+1) makes every unit a piece.
  int label(const UnitGraph& g, const std::vector<int>& lot_of, int lot,
            const std::vector<int>& members);
  // The piece of a unit labelled by the last label() call; -1 for any other unit.
  int piece(int unit) const;

 private:
  std::vector<std::uint32_t> stamp_;  // per unit: the fill that labelled it
  std::vector<int> piece_;
  std::uint32_t fill_ = 0;
  std::vector<int> stack_;
};

// Pieces of one lot (see PieceFinder::label).
int count_pieces(const UnitGraph& g, const std::vector<int>& lot_of, int lot,
                 const std::vector<int>& members);

// Pieces of every lot 0..lot_count-1 (entries of lot_of outside that range are in no lot).
std::vector<int> pieces_per_lot(const UnitGraph& g, const std::vector<int>& lot_of, int lot_count);

}  // namespace lotwright::geo
