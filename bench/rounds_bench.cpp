// Care-round estimate benchmarks (docs/rounds.md "Speed"): one Isle of Wight lot of 1,500 h
// (the figure recomputed after a viewer edit; target at most 200 ms on one core), the whole
// Isle of Wight as one lot, and the bundled sample county (shapefiles/) as one lot. Road
// travel throughout, one thread unless the name says otherwise.
//   build/bench/rounds_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include "iow_config.hpp"
#include "lotwright/rounds/rounds.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/synth/synth.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

const geo::Study& iow() {
  static std::unique_ptr<geo::Study> study;
  if (!study) {
    const fs::path dir = fs::temp_directory_path() / "lotwright-rounds-bench";
    fs::create_directories(dir);
    auto write = [&](bool demand) { return lotwright::bench::write_iow_config(dir, demand); };
    geo::synth_demand(write(false), dir / "demand.csv", geo::SynthDemandOptions{});
    geo::StudyOptions so;
    so.cache_dir = dir / "cache";
    study = std::make_unique<geo::Study>(geo::load_study(write(true), so));
  }
  return *study;
}

const geo::Study& sample() {
  static std::unique_ptr<geo::Study> study;
  if (!study) {
    geo::StudyOptions so;
    so.cache_dir = fs::temp_directory_path() / "lotwright-rounds-bench-sample";
    study = std::make_unique<geo::Study>(geo::load_study(
        geo::load_config(fs::path(LOTWRIGHT_SOURCE_DIR) / "shapefiles/county.toml"), so));
  }
  return *study;
}

std::vector<int> with_hours(const geo::UnitGraph& g) {
  std::vector<int> out;
  for (std::size_t u = 0; u < g.size(); ++u)
    if (g.hours[u] > 0) out.push_back(static_cast<int>(u));
  return out;
}

// Units with hours nearest (straight line) to the postcode `centre` until `hours` are reached.
std::vector<int> lot_around(const geo::UnitGraph& g, const std::string& centre, double hours) {
  const geo::Point c = g.site[g.find(centre)];
  auto order = with_hours(g);
  const auto d = [&](int u) { return std::hypot(g.site[u].x - c.x, g.site[u].y - c.y); };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return d(a) < d(b); });
  std::vector<int> lot;
  double sum = 0;
  for (int u : order) {
    if (sum >= hours) break;
    lot.push_back(u);
    sum += g.hours[u];
  }
  return lot;
}

void run(benchmark::State& state, const geo::UnitGraph& g, const std::vector<int>& lot,
         unsigned threads) {
  geo::RoundParams p;
  p.threads = threads;
  geo::RoundFigures f;
  for (auto _ : state) f = geo::estimate_rounds(g, lot, p);
  state.counters["units"] = static_cast<double>(lot.size());
  state.counters["contact_h"] = f.contact_hours;
  state.counters["visits"] = static_cast<double>(f.visits);
  state.counters["legs"] = static_cast<double>(f.legs);
  state.counters["gap_median_min"] = f.call_gap_median_min;
  state.counters["gap_p90_min"] = f.call_gap_p90_min;
  state.counters["travel_min_per_h"] = f.travel_min_per_contact_hour;
  state.counters["workers"] = f.workers_needed;
}

void BM_RoundsIsleOfWightLot1500h(benchmark::State& state) {
  const auto& g = iow().graph;
  run(state, g, lot_around(g, "PO30 1AE", 1500), 1);
}
BENCHMARK(BM_RoundsIsleOfWightLot1500h)->Unit(benchmark::kMillisecond);

void BM_RoundsIsleOfWightWhole(benchmark::State& state) {
  const auto& g = iow().graph;
  run(state, g, with_hours(g), 1);
}
BENCHMARK(BM_RoundsIsleOfWightWhole)->Unit(benchmark::kMillisecond);

void BM_RoundsIsleOfWightWhole2Threads(benchmark::State& state) {
  const auto& g = iow().graph;
  run(state, g, with_hours(g), 2);
}
BENCHMARK(BM_RoundsIsleOfWightWhole2Threads)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RoundsSampleCounty(benchmark::State& state) {
  const auto& g = sample().graph;
  run(state, g, with_hours(g), 1);
}
BENCHMARK(BM_RoundsSampleCounty)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
