// Workers' runs of one day and window (docs/rounds.md "Runs"): the savings heuristic of
// Clarke and Wright for open runs, then 2-opt and Or-opt on each run.
//
// A run has no depot (workers start from home, which we do not know), so every run costs the
// same to open and the saving of joining two runs end to end is a constant minus the leg that
// joins them: savings order is shortest leg first. Joins keep each run within its capacity.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

#include "lotwright/rounds/rounds.hpp"
#include "tour.hpp"

namespace lotwright::geo {
namespace {

struct Join {
  float minutes;
  std::uint32_t a, b;
  bool operator<(const Join& o) const {
    if (minutes != o.minutes) return minutes < o.minutes;
    if (a != o.a) return a < o.a;
    return b < o.b;
  }
};

// Paths as links: each stop has up to two neighbours; the ends of a path know each other and
// the path's minutes (calls plus legs).
struct Paths {
  explicit Paths(const std::vector<double>& minutes)
      : other_end(minutes.size()), length(minutes), link(minutes.size(), {-1, -1}) {
    for (std::size_t i = 0; i < minutes.size(); ++i) other_end[i] = static_cast<int>(i);
  }
  bool is_end(int s) const { return link[s][1] < 0; }
  void join(int a, int b, double leg) {
    const int ea = other_end[a], eb = other_end[b];
    const double total = length[a] + length[b] + leg;
    link[a][link[a][0] < 0 ? 0 : 1] = b;
    link[b][link[b][0] < 0 ? 0 : 1] = a;
    other_end[ea] = eb;
    other_end[eb] = ea;
    length[ea] = length[eb] = total;
  }
  std::vector<int> other_end;
  std::vector<double> length;  // valid at ends
  std::vector<std::array<int, 2>> link;
};

}  // namespace

std::vector<std::vector<int>> build_runs(const std::vector<int>& place_of_stop,
                                         const std::vector<double>& minutes_of_stop,
                                         const std::vector<float>& leg, int places,
                                         double capacity_minutes) {
  const std::size_t n = place_of_stop.size();
  const auto at = [&](std::size_t a, std::size_t b) {
    return leg[static_cast<std::size_t>(place_of_stop[a]) * places + place_of_stop[b]];
  };
  std::vector<Join> joins;
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      const float m = at(a, b);
      if (m < std::numeric_limits<float>::infinity())
        joins.push_back({m, static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)});
    }
  std::sort(joins.begin(), joins.end());

  Paths paths(minutes_of_stop);
  for (const Join& j : joins) {
    const int a = static_cast<int>(j.a), b = static_cast<int>(j.b);
    if (!paths.is_end(a) || !paths.is_end(b) || paths.other_end[a] == b) continue;
    if (paths.length[a] + paths.length[b] + j.minutes > capacity_minutes) continue;
    paths.join(a, b, j.minutes);
  }

  // Read each path from its lower-numbered end, paths in the order of that end.
  std::vector<std::vector<int>> runs;
  std::vector<char> done(n, 0);
  for (std::size_t s = 0; s < n; ++s) {
    if (done[s] || !paths.is_end(static_cast<int>(s))) continue;
    std::vector<int> run;
    int prev = -1, cur = static_cast<int>(s);
    while (cur >= 0) {
      run.push_back(cur);
      done[cur] = 1;
      const auto& l = paths.link[cur];
      const int next = l[0] != prev ? l[0] : l[1];
      prev = cur;
      cur = next;
    }
    detail::improve_open_path(run, place_of_stop, leg, places);
    runs.push_back(std::move(run));
  }
  return runs;
}

void improve_path(std::vector<int>& path, const std::vector<float>& leg, int places) {
  std::vector<int> place_of(path);
  std::vector<int> order(path.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  detail::improve_open_path(order, place_of, leg, places);
  for (std::size_t i = 0; i < order.size(); ++i) path[i] = place_of[order[i]];
}

}  // namespace lotwright::geo
