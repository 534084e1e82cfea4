#pragma once
// Set-partitioning recombination of the lots the iterated local search saw (docs/designer.md,
// "How", step 5): every distinct lot of every plan the kicks and the hub scan made is a
// column priced at its cost under its hub, and CBC picks lots that cover every unit exactly
// once, the number of lots of each kind kept. Plans that share most of their lots recombine
// into a plan better than either. Standard headers only: the designer's state stays out, so
// a test can build a pool by hand.
#include <cstddef>
#include <map>
#include <vector>

namespace lotwright::geo::design_detail {

// One lot seen: its kind (lots of one kind are interchangeable: the same band, travel limit,
// part and tier), its members (ascending), the hub it was priced at and its cost there.
struct PooledLot {
  int kind = 0;
  std::vector<int> members;
  int hub = -1;
  double cost = 0;
};

// Distinct lots, each at the least cost seen; at most `max_lots` (a work budget: the lots
// past it are not kept).
class LotPool {
 public:
  explicit LotPool(std::size_t max_lots) : max_(max_lots) {}
  // The lot's column (an existing one when the kind and members were seen: its cost and hub
  // become the cheaper of the two), or -1 when the pool is full.
  int add(int kind, std::vector<int> members, int hub, double cost);
  std::size_t size() const { return lots_.size(); }
  const PooledLot& lot(std::size_t c) const { return lots_[c]; }

 private:
  std::size_t max_;
  std::vector<PooledLot> lots_;
  std::map<std::pair<int, std::vector<int>>, int> index_;
};

struct Recombination {
  std::vector<int> columns;  // the chosen lots; empty when none beat the start
  double cost = 0;           // their total cost
  bool optimal = false;      // CBC proved no choice from the pool is cheaper
  int nodes = 0;             // branch-and-bound nodes
};

// The cheapest choice of pooled lots that covers each of `units` exactly once with
// lots_of_kind[k] lots of kind k; `start` (columns of a plan that is such a choice) is CBC's
// first incumbent, and the answer is returned only when it costs less than the start.
// max_nodes bounds the branch and bound (work, not time: the same answer on any machine).
Recombination recombine(const LotPool& pool, const std::vector<int>& units,
                        const std::vector<int>& lots_of_kind, const std::vector<int>& start,
                        int max_nodes);

}  // namespace lotwright::geo::design_detail
