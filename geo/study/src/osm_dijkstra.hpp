#pragma once
// Bounded Dijkstra over the CSR road graph with per-thread workspaces. Distances are
// integer deciseconds, so results are exact and independent of evaluation order.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "lotwright/study/road_travel.hpp"
#include "lotwright/study/roads.hpp"

namespace lotwright::geo::detail {

inline constexpr std::uint32_t kInfDs = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint32_t kNoArc = std::numeric_limits<std::uint32_t>::max();

struct Seed {
  std::uint32_t node;
  std::uint32_t ds;
};

// Scratch space for one search; reused across searches (a generation stamp marks which
// entries belong to the current search, so nothing is cleared between searches).
class Workspace {
 public:
  void prepare(std::size_t n) {
    if (dist_.size() < n) {
      dist_.resize(n, kInfDs);
      pred_.resize(n, kNoArc);
      stamp_.resize(n, 0);
    }
    if (++gen_ == 0) {
      std::fill(stamp_.begin(), stamp_.end(), 0u);
      gen_ = 1;
    }
    heap_.clear();
    touched_.clear();
  }
  // Nodes the current search reached (settled or queued), in the order first reached.
  const std::vector<std::uint32_t>& touched() const { return touched_; }
  std::uint32_t dist(std::uint32_t v) const { return stamp_[v] == gen_ ? dist_[v] : kInfDs; }
  std::uint32_t pred(std::uint32_t v) const { return stamp_[v] == gen_ ? pred_[v] : kNoArc; }

  // Runs from the seeds until the queue is empty, the next distance exceeds limit_ds, or
  // settle(node, dist) returns true (stop). Every node with dist <= limit_ds that the
  // search settles has its exact shortest distance.
  template <class Settle>
  void run(const RoadGraph& g, const Seed* seeds, std::size_t nseeds, std::uint32_t limit_ds,
           Settle&& settle) {
    prepare(g.node_count());
    for (std::size_t i = 0; i < nseeds; ++i) relax(seeds[i].node, seeds[i].ds, kNoArc);
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
      const std::uint64_t top = heap_.back();
      heap_.pop_back();
      const auto d = static_cast<std::uint32_t>(top >> 32);
      const auto u = static_cast<std::uint32_t>(top);
      if (d != dist_[u]) continue;  // stale entry
      if (d > limit_ds) break;
      if (settle(u, d)) break;
      for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
        const std::uint64_t nd = std::uint64_t(d) + g.weights_ds[k];
        if (nd < kInfDs) relax(g.targets[k], static_cast<std::uint32_t>(nd), k);
      }
    }
  }
  void run(const RoadGraph& g, const Seed* seeds, std::size_t nseeds, std::uint32_t limit_ds) {
    run(g, seeds, nseeds, limit_ds, [](std::uint32_t, std::uint32_t) { return false; });
  }

 private:
  void relax(std::uint32_t v, std::uint32_t d, std::uint32_t arc) {
    if (stamp_[v] != gen_) {
      stamp_[v] = gen_;
      dist_[v] = kInfDs;
      touched_.push_back(v);
    }
    if (d < dist_[v]) {
      dist_[v] = d;
      pred_[v] = arc;
      heap_.push_back((std::uint64_t(d) << 32) | v);  // (distance, node) in one word
      std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
    }
  }

  std::vector<std::uint32_t> dist_, pred_, stamp_, touched_;
  std::vector<std::uint64_t> heap_;
  std::uint32_t gen_ = 0;
};

// One workspace per thread, shared by every RoadTravel on that thread.
inline Workspace& thread_workspace() {
  thread_local Workspace ws;
  return ws;
}

}  // namespace lotwright::geo::detail
