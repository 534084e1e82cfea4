#include <functional>
#include <queue>
#include <utility>

#include "lotwright/core/network.hpp"
#include "lotwright/core/travel.hpp"

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

GraphTravel::GraphTravel(const UnitGraph& g)
    : offsets_(g.offsets), targets_(g.targets), minutes_(g.edge_minutes) {
  if (offsets_.empty()) offsets_.assign(g.size() + 1, 0);
}

void GraphTravel::tree(int from, std::vector<float>& out, float limit_minutes) const {
  const std::size_t n = size();
  out.assign(n, kUnreachable);
  if (from < 0 || static_cast<std::size_t>(from) >= n) return;
  using Item = std::pair<float, std::uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  out[static_cast<std::size_t>(from)] = 0;
  heap.push({0.f, static_cast<std::uint32_t>(from)});
  while (!heap.empty()) {
    const auto [d, u] = heap.top();
    heap.pop();
    if (d > out[u]) continue;
    for (std::uint32_t k = offsets_[u]; k < offsets_[u + 1]; ++k) {
      const float nd = d + minutes_[k];
      const std::uint32_t v = targets_[k];
      if (nd < out[v] && nd <= limit_minutes) {
        out[v] = nd;
        heap.push({nd, v});
      }
    }
  }
}

}  // namespace lotwright::geo
