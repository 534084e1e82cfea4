#pragma once
// Radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990) for Dijkstra's monotone unsigned
// 32-bit keys: an entry sits in the bucket of the highest bit where its key differs from the
// last key popped, so a push is an append and an entry moves down at most 32 times. Against
// a binary heap of (key, node) pairs it does no sift on push and no log n compare-swap chain
// on pop. Keys pushed must be >= the last key popped (true in Dijkstra: non-negative arcs).
//
// Non-negative IEEE floats order like their bit patterns read as uint32 (float_key), so
// Dijkstra on float minutes uses it exactly. Equal keys come out in no particular order.
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lotwright::geo::detail {

// The key of a non-negative float (+0, finite or +inf): monotone in the float's value.
inline std::uint32_t float_key(float f) { return std::bit_cast<std::uint32_t>(f); }

class RadixHeap {
 public:
  struct Entry {
    std::uint32_t node;
    std::uint32_t key;
  };
  void clear() {
    for (auto& b : buckets_) b.clear();
    size_ = 0;
    last_ = 0;
  }
  bool empty() const { return size_ == 0; }
  void push(std::uint32_t key, std::uint32_t node) {
    buckets_[bucket(key)].push_back({node, key});
    ++size_;
  }
  // The entry with the smallest key (removed).
  Entry pop() {
    if (buckets_[0].empty()) {
      std::size_t i = 1;
      while (buckets_[i].empty()) ++i;
      auto& from = buckets_[i];
      last_ = std::min_element(from.begin(), from.end(), [](const Entry& a, const Entry& b) {
                return a.key < b.key;
              })->key;
      for (const Entry& e : from) buckets_[bucket(e.key)].push_back(e);
      from.clear();
    }
    const Entry e = buckets_[0].back();
    buckets_[0].pop_back();
    --size_;
    return e;
  }

 private:
  std::size_t bucket(std::uint32_t key) const {
    return static_cast<std::size_t>(std::bit_width(key ^ last_));
  }
  std::array<std::vector<Entry>, 33> buckets_;
  std::size_t size_ = 0;
  std::uint32_t last_ = 0;
};

}  // namespace lotwright::geo::detail
