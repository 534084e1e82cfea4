#include "lotwright/core/network.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace lotwright::geo {


int UnitGraph::find(const std::string& postcode) const {
  auto it = std::lower_bound(id.begin(), id.end(), postcode);
  if (it == id.end() || *it != postcode) return -1;
  return static_cast<int>(it - id.begin());
}

void set_edges(UnitGraph& g, std::vector<GraphEdge> edges) {
  const std::size_t n = g.size();
  for (auto& e : edges)
    if (e.a > e.b) std::swap(e.a, e.b);
  std::sort(edges.begin(), edges.end(), [](const GraphEdge& x, const GraphEdge& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  // Merge duplicates (keep the shorter time and the longer border), drop self loops.
  std::vector<GraphEdge> merged;
  for (const auto& e : edges) {
    if (e.a == e.b) continue;
    if (!merged.empty() && merged.back().a == e.a && merged.back().b == e.b) {
      merged.back().minutes = std::min(merged.back().minutes, e.minutes);
      merged.back().border_m = std::max(merged.back().border_m, e.border_m);
    } else {
      merged.push_back(e);
    }
  }
  std::vector<std::uint32_t> degree(n + 1, 0);
  for (const auto& e : merged) {
    ++degree[static_cast<std::size_t>(e.a)];
    ++degree[static_cast<std::size_t>(e.b)];
  }
  g.offsets.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) g.offsets[i + 1] = g.offsets[i] + degree[i];
  g.targets.assign(g.offsets[n], 0);
  g.edge_minutes.assign(g.offsets[n], 0);
  g.edge_border_m.assign(g.offsets[n], 0);
  std::vector<std::uint32_t> pos(g.offsets.begin(), g.offsets.end() - 1);
  // Edges are sorted by (a, b), so each node's list comes out sorted by neighbour.
  auto put = [&](int from, int to, const GraphEdge& e) {
    const std::uint32_t k = pos[static_cast<std::size_t>(from)]++;
    g.targets[k] = static_cast<std::uint32_t>(to);
    g.edge_minutes[k] = e.minutes;
    g.edge_border_m[k] = e.border_m;
  };
  for (const auto& e : merged) put(e.a, e.b, e);
  for (const auto& e : merged) put(e.b, e.a, e);
  for (std::size_t u = 0; u < n; ++u) {
    // Restore neighbour order within each list (the reverse pass appended out of order).
    std::vector<std::uint32_t> idx(g.offsets[u + 1] - g.offsets[u]);
    std::iota(idx.begin(), idx.end(), g.offsets[u]);
    std::sort(idx.begin(), idx.end(), [&](auto x, auto y) { return g.targets[x] < g.targets[y]; });
    std::vector<std::uint32_t> t;
    std::vector<float> m, b;
    for (auto k : idx) {
      t.push_back(g.targets[k]);
      m.push_back(g.edge_minutes[k]);
      b.push_back(g.edge_border_m[k]);
    }
    std::copy(t.begin(), t.end(), g.targets.begin() + g.offsets[u]);
    std::copy(m.begin(), m.end(), g.edge_minutes.begin() + g.offsets[u]);
    std::copy(b.begin(), b.end(), g.edge_border_m.begin() + g.offsets[u]);
  }
}

std::vector<int> components(const UnitGraph& g, int* count) {
  const std::size_t n = g.size();
  std::vector<int> comp(n, -1);
  std::vector<double> comp_hours;
  std::vector<std::uint32_t> stack;
  int c = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (comp[s] >= 0) continue;
    double h = 0;
    comp[s] = c;
    stack.push_back(static_cast<std::uint32_t>(s));
    while (!stack.empty()) {
      const auto u = stack.back();
      stack.pop_back();
      h += g.hours.empty() ? 0 : g.hours[u];
      for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
        const auto v = g.targets[k];
        if (comp[v] < 0) {
          comp[v] = c;
          stack.push_back(v);
        }
      }
    }
    comp_hours.push_back(h);
    ++c;
  }
  // Renumber: most hours first (ties: first seen), so 0 is the main part.
  std::vector<int> order(static_cast<std::size_t>(c));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return comp_hours[static_cast<std::size_t>(a)] >
                                              comp_hours[static_cast<std::size_t>(b)]; });
  std::vector<int> rank(static_cast<std::size_t>(c));
  for (int i = 0; i < c; ++i) rank[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = i;
  for (auto& x : comp) x = rank[static_cast<std::size_t>(x)];
  if (count) *count = c;
  return comp;
}

}  // namespace lotwright::geo
