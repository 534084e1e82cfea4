// Travel trees for the designer, compressed and cached (tree_cache.hpp).
#include "tree_cache.hpp"

#include <algorithm>
#include <cmath>

#include "lotwright/core/parallel.hpp"

namespace lotwright::geo::design_detail {

// Two passes: the blocks the tree reached, then one allocation of exactly their values.
TreeData::TreeData(const std::vector<float>& dense) : index_((dense.size() + kBlock - 1) / kBlock) {
  std::size_t kept = 0;
  for (std::size_t b = 0; b < index_.size(); ++b) {
    const std::size_t lo = b * kBlock, hi = std::min(dense.size(), lo + kBlock);
    bool any = false;
    for (std::size_t u = lo; u < hi && !any; ++u) any = std::isfinite(dense[u]);
    index_[b] = any ? static_cast<std::uint32_t>(kBlock * kept++) : kAbsent;
  }
  values_.assign(kept * kBlock, kUnreachable);
  for (std::size_t b = 0; b < index_.size(); ++b) {
    if (index_[b] == kAbsent) continue;
    const std::size_t lo = b * kBlock, hi = std::min(dense.size(), lo + kBlock);
    std::copy(dense.begin() + static_cast<long>(lo), dense.begin() + static_cast<long>(hi),
              values_.begin() + index_[b]);
  }
}

void TreeCache::keep(int unit, const Tree& tree) const {
  if (!map_.emplace(unit, tree).second) return;
  bytes_ += tree->bytes();
  order_.push_back(unit);
  while (bytes_ > kBudget && map_.size() > 16) {
    const auto it = map_.find(order_.front());
    bytes_ -= it->second->bytes();
    map_.erase(it);
    order_.pop_front();
  }
}

std::vector<Tree> TreeCache::fetch(const std::vector<int>& units) {
  std::vector<Tree> result(units.size());
  std::vector<int> missing;
  std::map<int, std::size_t> slot;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < units.size(); ++i) {
      auto it = map_.find(units[i]);
      if (it != map_.end()) {
        result[i] = it->second;
      } else if (!slot.count(units[i])) {
        slot[units[i]] = missing.size();
        missing.push_back(units[i]);
      }
    }
  }
  std::vector<Tree> made(missing.size());
  detail::parallel_for(missing.size(), [&](std::size_t i) {
    thread_local std::vector<float> dense;
    travel_.tree(missing[i], dense, limit_);
    made[i] = std::make_shared<const TreeData>(dense);
  });
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < missing.size(); ++i) keep(missing[i], made[i]);
  }
  for (std::size_t i = 0; i < units.size(); ++i)
    if (!result[i]) result[i] = made[slot.at(units[i])];
  return result;
}

Tree TreeCache::get(int unit) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = map_.find(unit);
    if (it != map_.end()) return it->second;
  }
  thread_local std::vector<float> dense;
  travel_.tree(unit, dense, limit_);
  auto made = std::make_shared<const TreeData>(dense);
  std::lock_guard<std::mutex> lock(mutex_);
  keep(unit, made);
  return made;
}

Tree TreeCache::find(int unit) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = map_.find(unit);
  return it == map_.end() ? nullptr : it->second;
}

void CachedFirst::tree(int from, std::vector<float>& out, float limit_minutes) const {
  const Tree t = limit_minutes <= cache_.limit() ? cache_.find(from) : nullptr;
  if (!t) {
    cache_.travel().tree(from, out, limit_minutes);
    return;
  }
  out.resize(size());
  for (std::size_t u = 0; u < out.size(); ++u) {
    const float d = (*t)[static_cast<int>(u)];
    out[u] = d <= limit_minutes ? d : kUnreachable;
  }
}

void TreeCache::tree(int from, std::vector<float>& out, float) const {
  const Tree t = get(from);
  out.resize(size());
  for (std::size_t u = 0; u < out.size(); ++u) out[u] = (*t)[static_cast<int>(u)];
}

void TreeCache::times_to(int from, const std::vector<int>& targets, std::vector<float>& out,
                         float) const {
  const Tree t = get(from);
  out.resize(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) out[i] = (*t)[targets[i]];
}

}  // namespace lotwright::geo::design_detail
