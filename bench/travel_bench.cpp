// Road travel trees as the designer asks for them: bounded trees from a spread sample of
// units of a real study (any county.toml), on one thread and on two. Prints CPU seconds per
// tree and a checksum over every answer's bits, so two builds can be compared for identical
// results as well as for speed.
// Run: build/bench/travel_bench COUNTY.toml [TREES=400] [LIMIT_MIN=80]
//   (80 min: the designer's tree limit for a 50-minute ask, 1.6 x the travel limit)
#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "lotwright/core/travel.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/road_travel.hpp"
#include "lotwright/study/study.hpp"

using namespace lotwright;

namespace {

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Trees from `from[i]` over `threads` threads; per tree, FNV-1a over the answers' bits.
std::vector<std::uint64_t> run(const geo::TravelOracle& travel, const std::vector<int>& from,
                               float limit, int threads, std::uint64_t* reached) {
  std::vector<std::uint64_t> sums(from.size());
  std::vector<std::uint64_t> counts(from.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      std::vector<float> out;
      for (std::size_t i; (i = next.fetch_add(1)) < from.size();) {
        travel.tree(from[i], out, limit);
        std::uint64_t h = 1469598103934665603ull, c = 0;
        for (float m : out) {
          h = (h ^ std::bit_cast<std::uint32_t>(m)) * 1099511628211ull;
          c += m < limit;
        }
        sums[i] = h, counts[i] = c;
      }
    });
  for (auto& th : pool) th.join();
  *reached = 0;
  for (auto c : counts) *reached += c;
  return sums;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: travel_bench COUNTY.toml [TREES=400] [LIMIT_MIN=80]\n");
    return 2;
  }
  const int trees = argc > 2 ? std::stoi(argv[2]) : 400;
  const float limit = argc > 3 ? std::stof(argv[3]) : 80.f;
  double t0 = wall_seconds();
  const geo::Config config = geo::load_config(argv[1]);
  const geo::Study study = geo::load_study(config);
  const auto* road = dynamic_cast<const geo::RoadTravel*>(study.graph.travel.get());
  if (!road) {
    std::fprintf(stderr, "no road travel in this study\n");
    return 1;
  }
  std::printf("study: %zu units, %zu road nodes, %zu search nodes, loaded in %.1f s\n",
              road->size(), road->network().graph.node_count(), road->search_nodes(),
              wall_seconds() - t0);
  std::vector<int> from;
  const auto n = road->size();
  for (int i = 0; i < trees; ++i)
    from.push_back(static_cast<int>((static_cast<std::size_t>(i) * 7919u) % n));
  std::uint64_t check = 0;
  for (int threads : {1, 2}) {
    std::uint64_t reached = 0;
    const double c0 = cpu_seconds(), w0 = wall_seconds();
    const auto sums = run(*road, from, limit, threads, &reached);
    const double cpu = cpu_seconds() - c0, wall = wall_seconds() - w0;
    std::uint64_t h = 0;
    for (auto s : sums) h = h * 31 + s;
    if (threads == 1) check = h;
    std::printf(
        "%d thread%s: %d trees <= %.0f min, %.2f ms CPU per tree, %.2f s wall, %.1f sites "
        "reached per tree, checksum %016llx%s\n",
        threads, threads > 1 ? "s" : "", trees, static_cast<double>(limit), 1e3 * cpu / trees, wall,
        static_cast<double>(reached) / trees, static_cast<unsigned long long>(h),
        h == check ? "" : " (DIFFERS between thread counts)");
  }
  return 0;
}
