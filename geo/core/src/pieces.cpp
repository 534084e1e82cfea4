#include "lotwright/core/pieces.hpp"

#include <algorithm>

namespace lotwright::geo {

int PieceFinder::label(const UnitGraph& g, const std::vector<int>& lot_of, int lot,
                       const std::vector<int>& members) {
  const std::size_t n = lot_of.size();
  if (stamp_.size() != n) stamp_.assign(n, 0), piece_.assign(n, -1), fill_ = 0;
  if (++fill_ == 0) {  // wrapped: clear the marks once
    std::fill(stamp_.begin(), stamp_.end(), 0);
    fill_ = 1;
  }
  const bool has_edges = g.offsets.size() == g.size() + 1 && g.size() == n;
  int pieces = 0;
  for (int s : members) {
    const auto su = static_cast<std::size_t>(s);
    if (lot_of[su] != lot || stamp_[su] == fill_) continue;
    stamp_[su] = fill_;
    piece_[su] = pieces;
    stack_.assign(1, s);
    while (has_edges && !stack_.empty()) {
      const auto u = static_cast<std::size_t>(stack_.back());
      stack_.pop_back();
      for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
        const std::uint32_t v = g.targets[k];
        if (lot_of[v] != lot || stamp_[v] == fill_) continue;
        stamp_[v] = fill_;
        piece_[v] = pieces;
        stack_.push_back(static_cast<int>(v));
      }
    }
    ++pieces;
  }
  return pieces;
}

int PieceFinder::piece(int unit) const {
  const auto u = static_cast<std::size_t>(unit);
  return unit >= 0 && u < stamp_.size() && stamp_[u] == fill_ ? piece_[u] : -1;
}

int count_pieces(const UnitGraph& g, const std::vector<int>& lot_of, int lot,
                 const std::vector<int>& members) {
  PieceFinder f;
  return f.label(g, lot_of, lot, members);
}

std::vector<int> pieces_per_lot(const UnitGraph& g, const std::vector<int>& lot_of, int lot_count) {
  const int k = std::max(lot_count, 0);
  std::vector<std::vector<int>> members(static_cast<std::size_t>(k));
  for (std::size_t u = 0; u < lot_of.size(); ++u)
    if (lot_of[u] >= 0 && lot_of[u] < k)
      members[static_cast<std::size_t>(lot_of[u])].push_back(static_cast<int>(u));
  std::vector<int> out(static_cast<std::size_t>(k), 0);
  PieceFinder f;
  for (int l = 0; l < k; ++l)
    out[static_cast<std::size_t>(l)] = f.label(g, lot_of, l, members[static_cast<std::size_t>(l)]);
  return out;
}

}  // namespace lotwright::geo
