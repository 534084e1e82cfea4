// Tender pack benchmarks: the whole pack (xlsx, pdf, layers, OCDS, provider CSV) for the
// Isle of Wight after a 6-lot design, and for synthetic grids of square cells (no roads)
// up to 40,000 units in 25 zones, to see how pack time grows with units.
//   build-dev/bench/tender_bench
#include <benchmark/benchmark.h>

#include "iow_config.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "lotwright/study/config.hpp"
#include "lotwright/design/designer.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/core/network.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/synth/synth.hpp"
#include "lotwright/tender/config.hpp"
#include "lotwright/tender/tender.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

fs::path bench_dir() {
  const fs::path dir = fs::temp_directory_path() / "lotwright-tender-bench";
  fs::create_directories(dir);
  return dir;
}

std::uintmax_t folder_bytes(const fs::path& dir) {
  std::uintmax_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.file_size();
  return n;
}

struct IowCase {
  geo::Study study;
  geo::Plan plan;
  geo::PlanMetrics metrics;
};

const IowCase& iow() {
  static std::unique_ptr<IowCase> c;
  if (c) return *c;
  const fs::path dir = bench_dir();
  const fs::path data = fs::path(LOTWRIGHT_DATA_DIR) / "isle-of-wight";
  const std::string extra = "[rural]\npath = \"" +
                            (data / "classification/ruc2011_lsoa11_E06000046.csv").string() +
                            "\"\n[design]\nlots = 6\nmax_travel_minutes = 40\n";
  auto write = [&](bool demand) { return lotwright::bench::write_iow_config(dir, demand, extra); };
  geo::synth_demand(write(false), dir / "demand.csv", geo::SynthDemandOptions{});
  geo::StudyOptions so;
  so.cache_dir = dir / "cache";
  c = std::make_unique<IowCase>();
  c->study = geo::load_study(write(true), so);
  geo::DesignRequest req;
  req.design = c->study.config.design;
  c->plan = geo::design(c->study.graph, req);
  c->metrics = geo::evaluate(c->study.graph, c->plan);
  return *c;
}

void BM_PackIsleOfWight(benchmark::State& state) {
  const IowCase& c = iow();
  const fs::path out = bench_dir() / "iow-pack";
  tender::PackSummary s;
  for (auto _ : state) s = tender::write_tender_pack(out, tender::pack_inputs(c.study, tender::load_tender_config(c.study.config), c.plan, c.metrics));
  state.counters["units"] = static_cast<double>(c.study.graph.size());
  state.counters["zones"] = s.zones;
  state.counters["pack_MB"] = static_cast<double>(folder_bytes(out)) / 1e6;
  state.counters["peak_rss_MB"] = geo::peak_rss_mb();
}
BENCHMARK(BM_PackIsleOfWight)->Unit(benchmark::kMillisecond)->Iterations(3);

struct Grid {
  geo::Config config;
  geo::UnitGraph graph;
  geo::Units units;
  geo::Plan plan;
  geo::PlanMetrics metrics;
};

// side x side cells of 200 m, zones as vertical strips; hours 0..9 by a fixed pattern.
std::unique_ptr<Grid> grid(int side, int zones) {
  auto g = std::make_unique<Grid>();
  g->config.area.name = "Grid";
  g->config.design.lots = zones;
  const double x0 = 400000, y0 = 100000, cell = 200;
  for (int c = 0; c < side; ++c)
    for (int r = 0; r < side; ++r) {
      const int k = c * side + r;
      // "G<A..J>1 <sector><letters>": valid, unique and sorted by k (400 per sector).
      static const char* kLetters = "ABDEFGHJLNPQRSTUWXYZ";
      char id[16];
      std::snprintf(id, sizeof id, "G%c1 %d%c%c", 'A' + k / 4000, (k / 400) % 10,
                    kLetters[(k / 20) % 20], kLetters[k % 20]);
      geo::Unit u;
      u.id = id;
      const double x = x0 + c * cell, y = y0 + r * cell;
      u.site = {x + cell / 2, y + cell / 2};
      u.cell = {geo::Polygon{{{x, y}, {x + cell, y}, {x + cell, y + cell}, {x, y + cell}, {x, y}}, {}}};
      u.area_m2 = cell * cell;
      u.customers = k % 3 == 0 ? 1 : 0;
      u.hours = u.customers * (k % 10);
      u.rural = c > side / 2 ? "E1" : "C1";
      g->units.units.push_back(u);
      g->graph.id.push_back(u.id);
      g->graph.site.push_back(u.site);
      g->graph.hours.push_back(u.hours);
      g->graph.customers.push_back(u.customers);
      g->graph.unmet_hours.push_back(0);
      g->graph.rural.push_back(u.rural);
      g->graph.area_m2.push_back(u.area_m2);
      g->plan.lot_of.push_back(std::min(zones - 1, c * zones / side));
    }
  std::vector<geo::GraphEdge> edges;  // 4-neighbour grid
  for (int c = 0; c < side; ++c)
    for (int r = 0; r < side; ++r) {
      const int k = c * side + r;
      if (r + 1 < side) edges.push_back({k, k + 1, 1.f, static_cast<float>(cell)});
      if (c + 1 < side) edges.push_back({k, k + side, 1.f, static_cast<float>(cell)});
    }
  geo::set_edges(g->graph, edges);
  g->plan.lot_count = zones;
  g->metrics = geo::evaluate(g->graph, g->plan);
  return g;
}

void BM_PackGrid(benchmark::State& state) {
  const auto g = grid(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  tender::PackInputs in;
  in.config = &g->config;
  in.tender.buyer = "Grid Council";
  in.graph = &g->graph;
  in.units = &g->units;
  in.plan = &g->plan;
  in.metrics = &g->metrics;
  const fs::path out = bench_dir() / "grid-pack";
  for (auto _ : state) tender::write_tender_pack(out, in);
  state.counters["units"] = static_cast<double>(g->graph.size());
  state.counters["pack_MB"] = static_cast<double>(folder_bytes(out)) / 1e6;
  state.counters["peak_rss_MB"] = geo::peak_rss_mb();
}
BENCHMARK(BM_PackGrid)->Args({50, 6})->Args({100, 12})->Args({200, 25})
    ->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
