// CPU side of the viewer at 50,000 units (224 x 224 grid of square cells, 16 lots): what a
// brush stroke costs per frame (PlanEditor assign with incremental totals and the pieces
// recount of the touched lots), hover lookups, brush queries and the travel refresh at the
// end of a stroke. The GL side is measured by bench/viewer_frames.sh.
#include <benchmark/benchmark.h>

#include <random>

#include "lotwright/plan/plan_editor.hpp"
#include "lotwright/plan/plan_store.hpp"

using namespace lotwright;

namespace {

constexpr int kSide = 224, kBlocks = 4;

struct Grid {
  geo::UnitGraph g;
  geo::Plan plan;
  std::vector<geo::MultiPolygon> cells;
};

const Grid& grid() {
  static const Grid grid = [] {
    Grid s;
    std::vector<geo::GraphEdge> edges;
    const int b = kSide / kBlocks;
    for (int r = 0; r < kSide; ++r)
      for (int c = 0; c < kSide; ++c) {
        const int i = r * kSide + c;
        char id[16];
        std::snprintf(id, sizeof id, "U%06d", i);
        s.g.id.push_back(id);
        s.g.site.push_back({c * 100.0 + 50, r * 100.0 + 50});
        s.g.hours.push_back((i * 37) % 11 + 0.5);
        s.g.customers.push_back(i % 3);
        s.g.rural.push_back("");
        s.plan.lot_of.push_back((r / b) * kBlocks + c / b);
        geo::Polygon p;
        p.outer = {{c * 100.0, r * 100.0},
                   {c * 100.0 + 100, r * 100.0},
                   {c * 100.0 + 100, r * 100.0 + 100},
                   {c * 100.0, r * 100.0 + 100},
                   {c * 100.0, r * 100.0}};
        s.cells.push_back({p});
        if (c + 1 < kSide) edges.push_back({i, i + 1, 1.f, 100.f});
        if (r + 1 < kSide) edges.push_back({i, i + kSide, 1.f, 100.f});
      }
    geo::set_edges(s.g, edges);
    s.g.travel = std::make_shared<geo::GraphTravel>(s.g);
    s.plan.lot_count = kBlocks * kBlocks;
    for (int l = 0; l < s.plan.lot_count; ++l) {
      const int r = (l / kBlocks) * b + b / 2, c = (l % kBlocks) * b + b / 2;
      s.plan.hub.push_back(r * kSide + c);
    }
    s.plan.name.assign(static_cast<std::size_t>(s.plan.lot_count), "");
    s.plan.tier.assign(static_cast<std::size_t>(s.plan.lot_count), "");
    return s;
  }();
  return grid;
}

// One brush dab per iteration: ~30 units near a lot border painted into the neighbour lot
// (undone every other iteration so the plan does not drift).
void BM_BrushDab(benchmark::State& state) {
  const Grid& s = grid();
  geo::PlanEditor ed(s.g, s.plan);
  geo::UnitLocator loc(s.cells);
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> y(0, kSide * 100.0);
  const double border_x = kSide / kBlocks * 100.0;
  bool flip = false;
  for (auto _ : state) {
    if (flip) {
      ed.undo();
    } else {
      const auto units = loc.within({border_x + 150, y(rng)}, 300);
      benchmark::DoNotOptimize(ed.assign(units, 0));
    }
    flip = !flip;
    benchmark::DoNotOptimize(ed.lot_pieces(0));
  }
}
BENCHMARK(BM_BrushDab)->Unit(benchmark::kMicrosecond);

void BM_HoverLookup(benchmark::State& state) {
  const Grid& s = grid();
  geo::UnitLocator loc(s.cells);
  std::mt19937 rng(2);
  std::uniform_real_distribution<double> xy(0, kSide * 100.0);
  for (auto _ : state) benchmark::DoNotOptimize(loc.find({xy(rng), xy(rng)}));
}
BENCHMARK(BM_HoverLookup)->Unit(benchmark::kNanosecond);

void BM_BuildLocator(benchmark::State& state) {
  const Grid& s = grid();
  for (auto _ : state) {
    geo::UnitLocator loc(s.cells);
    benchmark::DoNotOptimize(loc.find({50, 50}));
  }
}
BENCHMARK(BM_BuildLocator)->Unit(benchmark::kMillisecond);

// End of a stroke: travel from the hub of the two touched lots (Dijkstra on 50k units).
void BM_StrokeEndTravel(benchmark::State& state) {
  const Grid& s = grid();
  std::vector<float> travel;
  geo::travel_to_hubs(s.g, s.plan, travel);
  for (auto _ : state) {
    geo::travel_to_hubs(s.g, s.plan, travel, {0, 1});
    benchmark::DoNotOptimize(travel.data());
  }
}
BENCHMARK(BM_StrokeEndTravel)->Unit(benchmark::kMillisecond);

void BM_EditorFromScratch(benchmark::State& state) {
  const Grid& s = grid();
  for (auto _ : state) {
    geo::PlanEditor ed(s.g, s.plan);
    benchmark::DoNotOptimize(ed.lot_pieces(0));
  }
}
BENCHMARK(BM_EditorFromScratch)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
