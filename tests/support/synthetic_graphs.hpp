#pragma once
// Synthetic unit graphs with straight-line travel, for designer/metrics tests and benchmarks.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/travel.hpp"

namespace lotwright::test {

// Deterministic generator (SplitMix64) so graphs are the same everywhere.
struct SynthRng {
  std::uint64_t s;
  explicit SynthRng(std::uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

// Postcode-shaped ids in index order: "ZZ10 0AA", "ZZ10 0AB", ... (so sorting keeps order).
inline std::string synth_id(std::size_t i) {
  const std::size_t rem = i % 6760;
  std::string s = "ZZ" + std::to_string(10 + i / 6760) + " " + std::to_string(rem / 676);
  s += static_cast<char>('A' + (rem % 676) / 26);
  s += static_cast<char>('A' + rem % 26);
  return s;
}

// Fills ids, customers, rural, area from sites/hours; travel at `kmh` in straight lines.
inline void finish_graph(geo::UnitGraph& g, std::vector<geo::GraphEdge> edges, double kmh = 30) {
  const std::size_t n = g.site.size();
  g.id.resize(n);
  for (std::size_t i = 0; i < n; ++i) g.id[i] = synth_id(i);
  g.customers.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) g.customers[i] = std::ceil(g.hours[i] / 10.0);
  g.unmet_hours.assign(n, 0);
  g.rural.assign(n, "");
  g.area_m2.assign(n, 250000);
  auto travel = std::make_shared<geo::EuclideanTravel>(g.site, kmh);
  for (auto& e : edges) e.minutes = travel->minutes(e.a, e.b), e.border_m = 500;
  g.travel = travel;
  geo::set_edges(g, std::move(edges));
}

// w x h grid, 500 m spacing, 4-neighbour adjacency; hours(i, j).
template <class F>
geo::UnitGraph grid_graph(int w, int h, F hours, double x0 = 0) {
  geo::UnitGraph g;
  std::vector<geo::GraphEdge> edges;
  for (int j = 0; j < h; ++j)
    for (int i = 0; i < w; ++i) {
      g.site.push_back({x0 + i * 500.0, j * 500.0});
      g.hours.push_back(hours(i, j));
      const int u = j * w + i;
      if (i + 1 < w) edges.push_back({u, u + 1, 0, 0});
      if (j + 1 < h) edges.push_back({u, u + w, 0, 0});
    }
  finish_graph(g, std::move(edges));
  return g;
}

// A jittered triangulated grid of about n units (side = ceil(sqrt(n))) with clustered
// demand: a few "towns" with dense hours, rural units with few, ~40% with none.
inline geo::UnitGraph random_graph(int n, std::uint64_t seed, double spacing_m = 400) {
  SynthRng r(seed);
  const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int towns = 3 + static_cast<int>(r.next() % 6);
  std::vector<geo::Point> centre;
  std::vector<double> radius;
  for (int t = 0; t < towns; ++t) {
    centre.push_back({r.uniform() * side * spacing_m, r.uniform() * side * spacing_m});
    radius.push_back((0.04 + 0.08 * r.uniform()) * side * spacing_m);
  }
  geo::UnitGraph g;
  std::vector<geo::GraphEdge> edges;
  for (int j = 0; j < side; ++j)
    for (int i = 0; i < side; ++i) {
      const geo::Point p{(i + 0.8 * (r.uniform() - 0.5)) * spacing_m,
                         (j + 0.8 * (r.uniform() - 0.5)) * spacing_m};
      double dens = 0.15;
      for (int t = 0; t < towns; ++t) {
        const double d = std::hypot(p.x - centre[t].x, p.y - centre[t].y) / radius[t];
        dens += 2.0 * std::exp(-d * d);
      }
      double hrs = 0;
      if (r.uniform() < std::min(0.95, 0.35 + dens * 0.3))
        hrs = std::round((2 + 14 * r.uniform()) * dens * 2) / 2;
      g.site.push_back(p);
      g.hours.push_back(hrs);
      const int u = j * side + i;
      if (i + 1 < side) edges.push_back({u, u + 1, 0, 0});
      if (j + 1 < side) edges.push_back({u, u + side, 0, 0});
      if (i + 1 < side && j + 1 < side) {
        if (r.next() & 1)
          edges.push_back({u, u + side + 1, 0, 0});
        else
          edges.push_back({u + 1, u + side, 0, 0});
      }
    }
  finish_graph(g, std::move(edges));
  return g;
}

inline double total_hours(const geo::UnitGraph& g) {
  double s = 0;
  for (double h : g.hours) s += h;
  return s;
}

}  // namespace lotwright::test
