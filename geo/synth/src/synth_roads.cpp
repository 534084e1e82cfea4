// synth-county stages: the rural lane mesh, roads between settlements, connecting the parts.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "synth_county_builder.hpp"

namespace lotwright::geo::synth {

// The rural mesh of lanes: a jittered grid of junctions, most neighbours joined by a
// winding lane; some whole rows/columns are tertiary roads. Junctions falling in a
// settlement join its streets instead.
void Builder::lanes() {
  const double g = kLaneGridM;
  const int nx = static_cast<int>((box_.max_x - box_.min_x) / g) + 2;
  const int ny = static_cast<int>((box_.max_y - box_.min_y) / g) + 2;
  std::vector<int> node(static_cast<std::size_t>(nx) * ny, -1);
  std::vector<int> owner(node.size(), -1);
  std::vector<char> row_tertiary(static_cast<std::size_t>(ny)),
      col_tertiary(static_cast<std::size_t>(nx));
  for (auto& r : row_tertiary) r = rng_.chance(0.22);
  for (auto& c : col_tertiary) c = rng_.chance(0.22);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const Point q{box_.min_x + (i + rng_.uniform(-0.3, 0.3)) * g,
                    box_.min_y + (j + rng_.uniform(-0.3, 0.3)) * g};
      if (!inside(m_.boundary, q)) continue;
      const std::size_t id = static_cast<std::size_t>(j) * nx + i;
      const int s = settlement_at(q, 200);
      if (s >= 0) {
        node[id] = nearest_street_node(m_.settlements[static_cast<std::size_t>(s)], q);
        owner[id] = s;
      } else {
        node[id] = add_node(q);
        junctions_.push_back(node[id]);
        anchors_.push_back(node[id]);
      }
    }
  auto join = [&](std::size_t a, std::size_t b, bool tertiary) {
    if (node[a] < 0 || node[b] < 0 || node[a] == node[b]) return;
    if (owner[a] >= 0 && owner[a] == owner[b]) return;
    const std::size_t first = m_.ways.size();
    road(node[a], node[b], tertiary ? "tertiary" : "unclassified", "", 0.14);
    for (std::size_t w = first; w < m_.ways.size(); ++w) lane_ways_.push_back(w);
  };
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const std::size_t id = static_cast<std::size_t>(j) * nx + i;
      const double right = rng_.uniform(), up = rng_.uniform(), diag = rng_.uniform();
      if (i + 1 < nx && right < 0.9) join(id, id + 1, row_tertiary[static_cast<std::size_t>(j)]);
      if (j + 1 < ny && up < 0.9)
        join(id, id + static_cast<std::size_t>(nx), col_tertiary[static_cast<std::size_t>(i)]);
      if (i + 1 < nx && j + 1 < ny && diag < 0.06)
        join(id, id + static_cast<std::size_t>(nx) + 1, false);
    }
}

// Roads between settlements: an A-road tree between towns (Prim), B-roads to the second
// nearest town; villages to the nearest larger place; villages and hamlets to the lanes.
void Builder::links() {
  auto& st = m_.settlements;
  std::vector<std::size_t> towns;
  for (std::size_t i = 0; i < st.size(); ++i)
    if (st[i].kind == Kind::kTown) towns.push_back(i);
  int a_roads = 0, b_roads = 0;
  auto link = [&](std::size_t a, std::size_t b, const char* highway, std::string ref) {
    const int na = nearest_street_node(st[a], st[b].centre);
    const int nb = nearest_street_node(st[b], st[a].centre);
    road(na, nb, highway, std::move(ref), 0.08);
  };
  std::set<std::pair<std::size_t, std::size_t>> linked;
  if (towns.size() > 1) {
    std::vector<char> in(towns.size(), 0);
    std::vector<double> best(towns.size(), std::numeric_limits<double>::max());
    std::vector<std::size_t> from(towns.size(), 0);
    in[0] = 1;
    for (std::size_t t = 1; t < towns.size(); ++t)
      best[t] = dist(st[towns[0]].centre, st[towns[t]].centre);
    for (std::size_t round = 1; round < towns.size(); ++round) {
      std::size_t pick_t = 0;
      double pd = std::numeric_limits<double>::max();
      for (std::size_t t = 0; t < towns.size(); ++t)
        if (!in[t] && best[t] < pd) pd = best[t], pick_t = t;
      in[pick_t] = 1;
      link(towns[from[pick_t]], towns[pick_t], "primary", "A" + std::to_string(301 + a_roads++));
      linked.insert(std::minmax(towns[from[pick_t]], towns[pick_t]));
      for (std::size_t t = 0; t < towns.size(); ++t) {
        const double d = dist(st[towns[pick_t]].centre, st[towns[t]].centre);
        if (!in[t] && d < best[t]) best[t] = d, from[t] = pick_t;
      }
    }
    for (std::size_t t : towns) {
      std::vector<std::pair<double, std::size_t>> by;
      for (std::size_t u : towns)
        if (u != t) by.push_back({dist(st[t].centre, st[u].centre), u});
      std::sort(by.begin(), by.end());
      if (by.size() >= 2 && by[1].first < 1.6 * by[0].first &&
          linked.insert(std::minmax(t, by[1].second)).second)
        link(t, by[1].second, "secondary", "B" + std::to_string(3001 + b_roads++));
    }
  }
  for (std::size_t v = 0; v < st.size(); ++v) {
    if (st[v].kind == Kind::kTown) continue;
    if (st[v].kind == Kind::kVillage) {
      std::size_t best = v;
      double bd = std::numeric_limits<double>::max();
      for (std::size_t u = 0; u < v; ++u) {
        if (st[u].kind == Kind::kHamlet) continue;
        const double d = dist(st[u].centre, st[v].centre) - st[u].radius_m;
        if (d < bd) bd = d, best = u;
      }
      if (best != v) {
        const bool town = st[best].kind == Kind::kTown;
        link(v, best, town ? "secondary" : "tertiary",
             town ? "B" + std::to_string(3001 + b_roads++) : "");
      }
    }
    // The lane to the nearest junction of the rural mesh.
    int best = -1;
    double bd = std::numeric_limits<double>::max();
    for (int j : junctions_) {
      const double d = dist(m_.nodes[static_cast<std::size_t>(j)], st[v].centre);
      if (d < bd) bd = d, best = j;
    }
    if (best >= 0 && bd < 4000)
      road(nearest_street_node(st[v], m_.nodes[static_cast<std::size_t>(best)]), best,
           "unclassified", "", 0.14);
  }
}

// Joins every part of the network not reached from the largest part with a lane from
// its nearest anchor (junction or street node) to the largest part.
void Builder::connect() {
  std::vector<int> parent(m_.nodes.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int v) {
    while (parent[static_cast<std::size_t>(v)] != v) {
      parent[static_cast<std::size_t>(v)] =
          parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(v)])];
      v = parent[static_cast<std::size_t>(v)];
    }
    return v;
  };
  auto unite = [&](int a, int b) {
    a = find(a), b = find(b);
    if (a != b) parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
  };
  for (const auto& w : m_.ways)
    for (std::size_t i = 1; i < w.nodes.size(); ++i) unite(w.nodes[i - 1], w.nodes[i]);
  std::vector<long> size(m_.nodes.size(), 0);
  for (std::size_t v = 0; v < m_.nodes.size(); ++v)
    ++size[static_cast<std::size_t>(find(static_cast<int>(v)))];
  const int main_root = static_cast<int>(std::max_element(size.begin(), size.end()) - size.begin());
  std::vector<int> main_anchors;
  std::vector<std::pair<int, int>> others;  // (root, anchor)
  for (int a : anchors_) {
    const int r = find(a);
    if (r == main_root)
      main_anchors.push_back(a);
    else
      others.push_back({r, a});
  }
  std::sort(others.begin(), others.end());
  for (std::size_t i = 0; i < others.size();) {
    std::size_t j = i;
    int from = -1, to = -1;
    double bd = std::numeric_limits<double>::max();
    for (; j < others.size() && others[j].first == others[i].first; ++j) {
      const Point p = m_.nodes[static_cast<std::size_t>(others[j].second)];
      for (int a : main_anchors) {
        const double d = dist(p, m_.nodes[static_cast<std::size_t>(a)]);
        if (d < bd) bd = d, from = others[j].second, to = a;
      }
    }
    if (from >= 0) road(from, to, "unclassified", "", 0.1);
    i = j;
  }
}

}  // namespace lotwright::geo::synth
