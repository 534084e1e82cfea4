#pragma once
// Travel trees from hub candidates for the designer (docs/designer.md, "Travel trees"):
// compressed by blocks of units and cached, so the search asks for each tree once.
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "lotwright/core/travel.hpp"

namespace lotwright::geo::design_detail {

// A travel tree (minutes from one unit to every unit) kept by blocks of 64 consecutive
// units: blocks the search never reached are not stored. Units are numbered in postcode
// order, which is spatial, so a tree bounded by the travel limit keeps a fraction of a big
// county's blocks.
class TreeData {
 public:
  explicit TreeData(const std::vector<float>& dense);
  float operator[](int u) const {
    const std::uint32_t b = index_[static_cast<std::size_t>(u) / kBlock];
    return b == kAbsent ? kUnreachable : values_[b + static_cast<std::size_t>(u) % kBlock];
  }
  std::size_t bytes() const {
    return sizeof(*this) + index_.size() * sizeof(std::uint32_t) + values_.size() * sizeof(float);
  }

 private:
  static constexpr std::size_t kBlock = 64;
  static constexpr std::uint32_t kAbsent = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> index_;
  std::vector<float> values_;
};
using Tree = std::shared_ptr<const TreeData>;

// Travel trees from hub candidates, bounded by the travel limit, cached FIFO within 512 MB.
// Trees are pure functions of the unit, so the cache never changes results. It is itself a
// TravelOracle (answers from the cached trees, bounded by the cache's limit whatever the
// limit asked), so core's hub search (core/hubs.hpp) runs on it; it is safe to call from
// several threads.
class TreeCache : public TravelOracle {
 public:
  TreeCache(const TravelOracle& travel, float limit) : travel_(travel), limit_(limit) {}
  // Trees from `units`, the missing ones computed on all cores.
  std::vector<Tree> fetch(const std::vector<int>& units);
  // One tree (computed on this thread when missing).
  Tree get(int unit) const;
  // The cached tree from `unit`, or null (nothing computed).
  Tree find(int unit) const;
  float limit() const { return limit_; }
  const TravelOracle& travel() const { return travel_; }

  std::size_t size() const override { return travel_.size(); }
  void tree(int from, std::vector<float>& out, float limit_minutes = kUnreachable) const override;
  float minutes(int from, int to) const override { return (*get(from))[to]; }
  void times_to(int from, const std::vector<int>& targets, std::vector<float>& out,
                float limit_minutes = kUnreachable) const override;

 private:
  void keep(int unit, const Tree& tree) const;  // under the lock

  const TravelOracle& travel_;
  static constexpr std::size_t kBudget = std::size_t{512} << 20;
  float limit_;
  mutable std::mutex mutex_;
  mutable std::size_t bytes_ = 0;
  mutable std::map<int, Tree> map_;
  mutable std::deque<int> order_;
};

// Trees the search already built, else fresh ones: g.travel's minutes up to the limit asked,
// from the cache when its trees reach that far (they are the same trees, cut further out).
// For the lower bound's centres and the final exact hubs (polish.cpp, designer.cpp).
class CachedFirst : public TravelOracle {
 public:
  explicit CachedFirst(const TreeCache& cache) : cache_(cache) {}
  std::size_t size() const override { return cache_.travel().size(); }
  void tree(int from, std::vector<float>& out, float limit_minutes = kUnreachable) const override;
  float minutes(int from, int to) const override { return cache_.travel().minutes(from, to); }
  void times_to(int from, const std::vector<int>& targets, std::vector<float>& out,
                float limit_minutes = kUnreachable) const override {
    cache_.travel().times_to(from, targets, out, limit_minutes);
  }

 private:
  const TreeCache& cache_;
};

}  // namespace lotwright::geo::design_detail
