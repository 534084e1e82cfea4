#pragma once
// Bounded Dijkstra over the CSR road graph with per-thread workspaces. Distances are
// integer deciseconds, so results are exact and independent of evaluation order.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "lotwright/core/radix_heap.hpp"
#include "lotwright/study/road_travel.hpp"
#include "lotwright/study/roads.hpp"

namespace lotwright::geo::detail {

inline constexpr std::uint32_t kInfDs = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint32_t kNoArc = std::numeric_limits<std::uint32_t>::max();

struct Seed {
  std::uint32_t node;
  std::uint32_t ds;
};

// An arc of the search graph with its head and weight side by side: the relax loop reads
// both for every arc, so one cache line instead of two.
struct Arc {
  std::uint32_t to;
  std::uint32_t ds;
};

// Scratch space for one search; reused across searches. Distances stay at kInfDs except
// for the nodes the last search touched, which the next one resets (so a search costs what
// it touches, not the graph's size).
class Workspace {
 public:
  void prepare(std::size_t n) {
    for (const auto v : touched_) dist_[v] = kInfDs;
    touched_.clear();
    if (dist_.size() < n) {
      dist_.resize(n, kInfDs);
      pred_.resize(n, kNoArc);
    }
    heap_.clear();
    radix_.clear();
  }
  // Nodes the current search reached (settled or queued), in the order first reached.
  const std::vector<std::uint32_t>& touched() const { return touched_; }
  std::uint32_t dist(std::uint32_t v) const { return dist_[v]; }
  // Every distance, kInfDs where not reached (indexed by node; valid until the next search).
  const std::uint32_t* dists() const { return dist_.data(); }
  // The arc into v on its shortest path (kNoArc: a seed); only after run<true>.
  std::uint32_t pred(std::uint32_t v) const { return dist_[v] != kInfDs ? pred_[v] : kNoArc; }

  // Runs from the seeds until the queue is empty, the next distance exceeds limit_ds, or
  // settle(node, dist) returns true (stop). Every node with dist <= limit_ds that the
  // search settles has its exact shortest distance. kPred: record predecessor arcs, with
  // ties settled in (distance, node) order, as route() has always measured its km.
  template <bool kPred, class Settle>
  void run(const std::uint32_t* offsets, const Arc* arcs, std::size_t n, const Seed* seeds,
           std::size_t nseeds, std::uint32_t limit_ds, Settle&& settle) {
    prepare(n);
    for (std::size_t i = 0; i < nseeds; ++i) relax<kPred>(seeds[i].node, seeds[i].ds, kNoArc);
    while (kPred ? !heap_.empty() : !radix_.empty()) {
      std::uint32_t d, u;
      if constexpr (kPred) {
        std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
        const std::uint64_t top = heap_.back();
        heap_.pop_back();
        d = static_cast<std::uint32_t>(top >> 32);
        u = static_cast<std::uint32_t>(top);
      } else {
        const RadixHeap::Entry top = radix_.pop();
        d = top.key;
        u = top.node;
      }
      if (d != dist_[u]) continue;  // stale entry
      if (d > limit_ds) break;
      if (settle(u, d)) break;
      for (auto k = offsets[u], end = offsets[u + 1]; k < end; ++k) {
        const std::uint64_t nd = std::uint64_t(d) + arcs[k].ds;
        if (nd < kInfDs) relax<kPred>(arcs[k].to, static_cast<std::uint32_t>(nd), k);
      }
    }
  }
  template <bool kPred = false>
  void run(const std::uint32_t* offsets, const Arc* arcs, std::size_t n, const Seed* seeds,
           std::size_t nseeds, std::uint32_t limit_ds) {
    run<kPred>(offsets, arcs, n, seeds, nseeds, limit_ds,
               [](std::uint32_t, std::uint32_t) { return false; });
  }

 private:
  template <bool kPred>
  void relax(std::uint32_t v, std::uint32_t d, std::uint32_t arc) {
    std::uint32_t& dv = dist_[v];
    if (d >= dv) return;
    if (dv == kInfDs) touched_.push_back(v);
    dv = d;
    if constexpr (kPred) {
      pred_[v] = arc;
      heap_.push_back((std::uint64_t(d) << 32) | v);  // (distance, node) in one word
      std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
    } else {
      radix_.push(d, v);
    }
  }

  std::vector<std::uint32_t> dist_, pred_, touched_;
  std::vector<std::uint64_t> heap_;
  // run<false>'s heap: core's radix heap (core/radix_heap.hpp), about half a binary heap's
  // time on the road graphs here. Equal keys come out in no particular order: right for
  // distances, not for predecessors (run<true> keeps the binary heap, whose ties are read).
  RadixHeap radix_;
};

// One workspace per thread, shared by every RoadTravel on that thread.
inline Workspace& thread_workspace() {
  thread_local Workspace ws;
  return ws;
}

}  // namespace lotwright::geo::detail
