// Designer benchmarks: Isle of Wight design time; a 50,000-unit synthetic graph at 25 lots;
// side by side with METIS -contig on the same graph and hour weights, both measured by
// evaluate() (hours-weighted travel to the lot's hub). Figures go to the README.
//   build-dev/bench/designer_bench --benchmark_repetitions=1
#include <benchmark/benchmark.h>

#include "iow_config.hpp"
#include <metis.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "../tests/support/synthetic_graphs.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/design/designer.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/synth/synth.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

geo::Plan metis_contig(const geo::UnitGraph& g, int lots, double tolerance) {
  idx_t nv = static_cast<idx_t>(g.size()), ncon = 1, np = lots, cut = 0;
  std::vector<idx_t> xadj(g.offsets.begin(), g.offsets.end()),
      adj(g.targets.begin(), g.targets.end()), vw;
  for (double h : g.hours) vw.push_back(static_cast<idx_t>(std::lround(h * 100)) + 1);
  real_t ub = static_cast<real_t>(1 + tolerance);
  idx_t opt[METIS_NOPTIONS];
  METIS_SetDefaultOptions(opt);
  opt[METIS_OPTION_CONTIG] = 1;
  std::vector<idx_t> part(g.size());
  geo::Plan p;
  p.lot_count = lots;
  if (METIS_PartGraphKway(&nv, &ncon, xadj.data(), adj.data(), vw.data(), nullptr, nullptr, &np,
                          nullptr, &ub, opt, &cut, part.data()) != METIS_OK)
    return p;
  p.lot_of.assign(part.begin(), part.end());
  return p;
}

void compare(benchmark::State& state, const geo::UnitGraph& g, int lots, double tolerance,
             double max_travel) {
  geo::DesignRequest req;
  req.design.lots = lots;
  req.design.tolerance = tolerance;
  req.design.max_travel_minutes = max_travel;
  geo::Plan ours;
  for (auto _ : state) ours = geo::design(g, req);
  const auto t0 = std::chrono::steady_clock::now();
  const geo::Plan metis = metis_contig(g, lots, tolerance);
  const double metis_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  geo::EvaluateOptions o;
  o.design = &req.design;
  const auto mo = geo::evaluate(g, ours, o);
  const auto mm = geo::evaluate(g, metis, o);
  state.counters["units"] = static_cast<double>(g.size());
  state.counters["ours_travel_min"] = mo.mean_travel_min;
  state.counters["metis_travel_min"] = mm.mean_travel_min;
  state.counters["travel_gain_pct"] = 100 * (1 - mo.mean_travel_min / mm.mean_travel_min);
  state.counters["ours_max_dev_pct"] = mo.max_deviation_pct;
  state.counters["metis_max_dev_pct"] = mm.max_deviation_pct;
  state.counters["metis_s"] = metis_s;
}

const geo::Study& iow() {
  static std::unique_ptr<geo::Study> study;
  if (!study) {
    const fs::path dir = fs::temp_directory_path() / "lotwright-designer-bench";
    fs::create_directories(dir);
    auto write = [&](bool demand) { return lotwright::bench::write_iow_config(dir, demand); };
    geo::synth_demand(write(false), dir / "demand.csv", geo::SynthDemandOptions{});
    geo::StudyOptions so;
    so.cache_dir = dir / "cache";
    study = std::make_unique<geo::Study>(geo::load_study(write(true), so));
  }
  return *study;
}

void BM_DesignIsleOfWight6Lots(benchmark::State& state) {
  compare(state, iow().graph, 6, 0.05, 25);
}
BENCHMARK(BM_DesignIsleOfWight6Lots)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_DesignIsleOfWight10Lots(benchmark::State& state) {
  compare(state, iow().graph, 10, 0.05, 25);
}
BENCHMARK(BM_DesignIsleOfWight10Lots)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_DesignSynthetic(benchmark::State& state) {
  static std::map<long, geo::UnitGraph> graphs;
  const long n = state.range(0);
  if (!graphs.count(n)) graphs[n] = test::random_graph(static_cast<int>(n), 42);
  compare(state, graphs[n], static_cast<int>(state.range(1)), 0.05, 0);
}
BENCHMARK(BM_DesignSynthetic)
    ->Args({2500, 8})
    ->Args({10000, 12})
    ->Args({50000, 25})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace

// Lower bound on a few hundred units: the LP relaxation of the capacitated p-median
// (every unit a candidate hub; lots within the band; no contiguity, so it bounds our
// problem from below), solved by CBC (`cbc` from coinor-cbc). Reports our gap to it.
void BM_GapToLpBound(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0)), lots = static_cast<int>(state.range(1));
  const auto g = test::random_graph(n, 7);
  const double tol = 0.05;
  geo::DesignRequest req;
  req.design.lots = lots;
  req.design.tolerance = tol;
  req.design.max_travel_minutes = 0;
  geo::Plan ours;
  for (auto _ : state) ours = geo::design(g, req);
  const auto mo = geo::evaluate(g, ours);
  double total = 0;
  for (double h : g.hours) total += h;
  const double mean = total / lots, lo = mean * (1 - tol), hi = mean * (1 + tol);
  const fs::path dir = fs::temp_directory_path() / "lotwright-lp-bound";
  fs::create_directories(dir);
  const fs::path lp = dir / "bound.lp", log = dir / "cbc.log";
  {
    std::FILE* f = std::fopen(lp.c_str(), "w");
    std::vector<std::vector<float>> dist(g.size());
    for (std::size_t j = 0; j < g.size(); ++j) g.travel->tree(static_cast<int>(j), dist[j]);
    std::vector<int> dem;
    for (std::size_t u = 0; u < g.size(); ++u)
      if (g.hours[u] > 0) dem.push_back(static_cast<int>(u));
    std::fprintf(f, "Minimize\n obj:");
    for (int u : dem)
      for (std::size_t j = 0; j < g.size(); ++j)
        std::fprintf(f, " + %.6f x%d_%zu\n", g.hours[u] * dist[j][u] / total, u, j);
    std::fprintf(f, "Subject To\n");
    for (int u : dem) {
      std::fprintf(f, " a%d:", u);
      for (std::size_t j = 0; j < g.size(); ++j) std::fprintf(f, " + x%d_%zu\n", u, j);
      std::fprintf(f, " = 1\n");
      for (std::size_t j = 0; j < g.size(); ++j)
        std::fprintf(f, " k%d_%zu: x%d_%zu - y%zu <= 0\n", u, j, u, j, j);
    }
    for (std::size_t j = 0; j < g.size(); ++j) {
      std::fprintf(f, " lo%zu:", j);
      for (int u : dem) std::fprintf(f, " + %.4f x%d_%zu\n", g.hours[u], u, j);
      std::fprintf(f, " - %.4f y%zu >= 0\n hi%zu:", lo, j, j);
      for (int u : dem) std::fprintf(f, " + %.4f x%d_%zu\n", g.hours[u], u, j);
      std::fprintf(f, " - %.4f y%zu <= 0\n", hi, j);
    }
    std::fprintf(f, " p:");
    for (std::size_t j = 0; j < g.size(); ++j) std::fprintf(f, " + y%zu\n", j);
    std::fprintf(f, " = %d\nBounds\n", lots);
    for (std::size_t j = 0; j < g.size(); ++j) std::fprintf(f, " 0 <= y%zu <= 1\n", j);
    std::fprintf(f, "End\n");
    std::fclose(f);
  }
  const std::string cmd = "cbc " + lp.string() + " initialSolve > " + log.string() + " 2>&1";
  const int rc = std::system(cmd.c_str());
  double bound = -1;
  if (rc == 0) {
    std::FILE* f = std::fopen(log.c_str(), "r");
    char line[1024];
    while (f && std::fgets(line, sizeof line, f)) {
      const char* k = std::strstr(line, "Optimal objective");
      if (k) std::sscanf(k, "Optimal objective %lf", &bound);
    }
    if (f) std::fclose(f);
  }
  state.counters["units"] = n;
  state.counters["ours_travel_min"] = mo.mean_travel_min;
  state.counters["lp_bound_min"] = bound;
  state.counters["gap_pct"] = bound > 0 ? 100 * (mo.mean_travel_min / bound - 1) : -1;
}
BENCHMARK(BM_GapToLpBound)->Args({300, 4})->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
