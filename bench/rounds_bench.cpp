// Care-round estimate benchmarks (docs/rounds.md "Speed"): one Isle of Wight lot of 1,500 h
// (the figure recomputed after a viewer edit; target at most 200 ms on one core), the whole
// Isle of Wight as one lot, the bundled sample county (shapefiles/) as one lot, and every lot
// of a 40,000-postcode synthetic county. Road travel throughout, one thread unless the name
// says otherwise.
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

// A synthetic 40,000-postcode county (synth-county seed 1, as the README's other 40,000
// figures), made once into the temp folder and kept there.
const geo::Study& county40k() {
  static std::unique_ptr<geo::Study> study;
  if (!study) {
    const fs::path dir = fs::temp_directory_path() / "lotwright-rounds-bench-40k";
    if (!fs::exists(dir / "county.toml")) {
      geo::SynthCountyOptions o;
      o.postcodes = 40000;
      o.seed = 1;
      geo::synth_county(dir, o);
    }
    geo::StudyOptions so;
    so.cache_dir = dir / "cache";
    study =
        std::make_unique<geo::Study>(geo::load_study(geo::load_config(dir / "county.toml"), so));
  }
  return *study;
}

// Lots of about `hours` each by recursive bisection of the units (with hours or not) along
// the longer side at the hours share of each half: compact lots, as a design's are.
void bisect(const geo::UnitGraph& g, std::vector<int> units, int lots, int first,
            std::vector<int>& lot_of) {
  if (lots <= 1) {
    for (int u : units) lot_of[u] = first;
    return;
  }
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300, total = 0;
  for (int u : units) {
    x0 = std::min(x0, g.site[u].x), x1 = std::max(x1, g.site[u].x);
    y0 = std::min(y0, g.site[u].y), y1 = std::max(y1, g.site[u].y);
    total += g.hours[u];
  }
  const bool by_x = x1 - x0 >= y1 - y0;
  std::stable_sort(units.begin(), units.end(), [&](int a, int b) {
    return by_x ? g.site[a].x < g.site[b].x : g.site[a].y < g.site[b].y;
  });
  const int left = lots / 2;
  double acc = 0;
  std::size_t cut = 0;
  while (cut < units.size() && acc < total * left / lots) acc += g.hours[units[cut++]];
  bisect(g, {units.begin(), units.begin() + static_cast<std::ptrdiff_t>(cut)}, left, first, lot_of);
  bisect(g, {units.begin() + static_cast<std::ptrdiff_t>(cut), units.end()}, lots - left,
         first + left, lot_of);
}

// Every lot of the 40,000-postcode county (lots of about 1,500 h; the whole county as one lot
// would need a 40,000 x 40,000 matrix of legs, docs/rounds.md "Scaling") and the county-wide
// figures: estimate_rounds over a plan, as evaluate() calls it. Threads as the name says.
void county_plan(benchmark::State& state, unsigned threads) {
  const auto& g = county40k().graph;
  std::vector<int> all(g.size());
  for (std::size_t u = 0; u < g.size(); ++u) all[u] = static_cast<int>(u);
  double total = 0;
  for (double h : g.hours) total += h;
  const int lots = std::max(1, static_cast<int>(std::lround(total / 1500)));
  std::vector<int> lot_of(g.size(), 0);
  bisect(g, all, lots, 0, lot_of);
  geo::RoundParams p;
  p.threads = threads;
  geo::CountyRounds c;
  for (auto _ : state) c = geo::estimate_rounds(g, lot_of, lots, p);
  state.counters["postcodes"] = static_cast<double>(g.size());
  state.counters["lots"] = lots;
  state.counters["contact_h"] = c.county.contact_hours;
  state.counters["visits"] = static_cast<double>(c.county.visits);
  state.counters["legs"] = static_cast<double>(c.county.legs);
  state.counters["gap_median_min"] = c.county.call_gap_median_min;
  state.counters["gap_p90_min"] = c.county.call_gap_p90_min;
  state.counters["workers"] = c.county.workers_needed;
}

void BM_RoundsCounty40kPlan(benchmark::State& state) { county_plan(state, 1); }
BENCHMARK(BM_RoundsCounty40kPlan)->Unit(benchmark::kMillisecond);

void BM_RoundsCounty40kPlan2Threads(benchmark::State& state) { county_plan(state, 2); }
BENCHMARK(BM_RoundsCounty40kPlan2Threads)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
