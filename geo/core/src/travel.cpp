#include "lotwright/core/travel.hpp"

#include <stdexcept>

#include "lotwright/core/network.hpp"
#include "lotwright/core/radix_heap.hpp"

namespace lotwright::geo {

float TravelOracle::minutes(int from, int to) const {
  std::vector<float> out;
  tree(from, out);
  return out.at(static_cast<std::size_t>(to));
}

void TravelOracle::times_to(int from, const std::vector<int>& targets, std::vector<float>& out,
                            float limit_minutes) const {
  std::vector<float> all;
  tree(from, all, limit_minutes);
  out.resize(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i)
    out[i] = all.at(static_cast<std::size_t>(targets[i]));
}

GraphTravel::GraphTravel(const UnitGraph& g) : offsets_(g.offsets) {
  if (offsets_.empty()) offsets_.assign(g.size() + 1, 0);
  arcs_.resize(g.targets.size());
  for (std::size_t k = 0; k < arcs_.size(); ++k) arcs_[k] = {g.targets[k], g.edge_minutes.at(k)};
  for (const Arc& a : arcs_)
    if (!(a.minutes >= 0))
      throw std::invalid_argument("GraphTravel: an adjacency edge has negative or NaN minutes");
}

// Dijkstra with a radix heap on the bits of the float minutes (core/radix_heap.hpp): a
// non-negative float's bits order like its value and d + w >= d, so keys are monotone and
// the heap is exact. Each node's minutes are the least float sum over its paths whatever
// order equal keys leave the heap in (float addition is monotone), so the answers are the
// binary heap's to the bit (tests/core/hubs_test.cpp checks them against Boost.Graph).
void GraphTravel::tree(int from, std::vector<float>& out, float limit_minutes) const {
  const std::size_t n = size();
  out.assign(n, kUnreachable);
  if (from < 0 || static_cast<std::size_t>(from) >= n) return;
  thread_local detail::RadixHeap heap;
  heap.clear();
  out[static_cast<std::size_t>(from)] = 0;
  heap.push(detail::float_key(0.f), static_cast<std::uint32_t>(from));
  while (!heap.empty()) {
    const auto [u, key] = heap.pop();
    const float d = out[u];
    if (key != detail::float_key(d)) continue;  // stale: u was reached sooner since
    for (std::uint32_t k = offsets_[u]; k < offsets_[u + 1]; ++k) {
      const float nd = d + arcs_[k].minutes;
      const std::uint32_t v = arcs_[k].to;
      if (nd < out[v] && nd <= limit_minutes) {
        out[v] = nd;
        heap.push(detail::float_key(nd), v);
      }
    }
  }
}

}  // namespace lotwright::geo
