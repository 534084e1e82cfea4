// Road network benchmarks (figures in README / docs/profiles.md):
//   Isle of Wight: graph build from the OSM extract, snapping every postcode, all unit
//   neighbour times (the road-aware adjacency); target <= 2 s together, <= 200 MB.
//   Synthetic 1,000,000-node grid (an OSM PBF written once): build <= 10 s, one hub-to-all
//   tree <= 200 ms, bounded 15-minute searches per second on 2 cores.
// Run: build-dev/bench/roads_bench [--benchmark_filter=Iow]
#include <benchmark/benchmark.h>
#include <osmium/builder/osm_object_builder.hpp>
#include <osmium/io/any_output.hpp>
#include <osmium/io/writer.hpp>
#include <osmium/memory/buffer.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "lotwright/study/road_travel.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/core/network.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/study/roads.hpp"
#include "lotwright/synth/synth.hpp"
#include "lotwright/core/travel.hpp"
#include "lotwright/study/units.hpp"

namespace fs = std::filesystem;
using namespace lotwright;

namespace {

const fs::path kIow = fs::path(LOTWRIGHT_DATA_DIR) / "isle-of-wight";
const fs::path kIowOsm = kIow / "osm/isle-of-wight-2015-01-01.osm.pbf";

geo::Profile car() { return geo::make_profile(geo::RoadsConfig{}); }

// ---- Isle of Wight ----

struct IowInputs {
  geo::Config config;
  geo::Units units;
  geo::UnitGraph base;  // units without adjacency
};

const IowInputs& iow_inputs() {
  static const IowInputs in = [] {
    IowInputs r;
    const fs::path dir = fs::temp_directory_path() / "lotwright-roads-bench";
    fs::create_directories(dir);
    std::ofstream(dir / "config.toml")
        << "[area]\nname = \"Isle of Wight\"\nboundary = \""
        << (kIow / "boundaries/la_E06000046_dissolved_from_lsoa21_bgc.geojson").string()
        << "\"\n[postcodes]\npath = \""
        << (kIow / "postcodes/postcodes_E06000046_enriched.csv").string()
        << "\"\n[roads]\nosm = \"" << kIowOsm.string() << "\"\n";
    r.config = geo::load_config(dir / "config.toml");
    const geo::County county = geo::load_county(r.config);
    r.units = geo::build_units(county);
    for (const auto& u : r.units.units) {
      r.base.id.push_back(u.id);
      r.base.site.push_back(u.site);
      r.base.hours.push_back(u.hours);
    }
    return r;
  }();
  return in;
}

void BM_IowGraphBuild(benchmark::State& state) {
  geo::RoadNetwork net;
  for (auto _ : state) {
    net = geo::build_road_network(kIowOsm, car());
    benchmark::DoNotOptimize(net.graph.targets.data());
  }
  state.counters["nodes"] = static_cast<double>(net.graph.node_count());
  state.counters["arcs"] = static_cast<double>(net.graph.edge_count());
  state.counters["peak_rss_mb"] = geo::peak_rss_mb();
}
BENCHMARK(BM_IowGraphBuild)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_IowCacheLoad(benchmark::State& state) {
  const fs::path cache = fs::temp_directory_path() / "lotwright-roads-bench" / "cache";
  geo::load_road_network(kIowOsm, car(), cache);  // make sure it exists
  bool hit = false;
  for (auto _ : state) {
    auto net = geo::load_road_network(kIowOsm, car(), cache, &hit);
    benchmark::DoNotOptimize(net.graph.targets.data());
  }
  state.counters["hit"] = hit;
}
BENCHMARK(BM_IowCacheLoad)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_IowSnapPostcodes(benchmark::State& state) {
  const auto& in = iow_inputs();
  auto net = std::make_shared<const geo::RoadNetwork>(geo::build_road_network(kIowOsm, car()));
  for (auto _ : state) {
    geo::RoadTravel travel(net, in.base.site);
    benchmark::DoNotOptimize(travel.snaps().data());
  }
  state.counters["sites"] = static_cast<double>(in.base.site.size());
}
BENCHMARK(BM_IowSnapPostcodes)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_IowNeighbourTimes(benchmark::State& state) {
  const auto& in = iow_inputs();
  auto net = std::make_shared<const geo::RoadNetwork>(geo::build_road_network(kIowOsm, car()));
  geo::UnitGraph g = in.base;
  g.travel = std::make_shared<geo::RoadTravel>(net, g.site);
  for (auto _ : state) {
    geo::build_road_adjacency(g, in.units, in.config.roads);
    benchmark::DoNotOptimize(g.targets.data());
  }
  state.counters["pairs"] = static_cast<double>(g.geometric_edges);
  state.counters["dropped"] = static_cast<double>(g.dropped_edges);
}
BENCHMARK(BM_IowNeighbourTimes)->Unit(benchmark::kMillisecond)->Iterations(3);

// The three together, as load_study runs them (no cache): the <= 2 s / <= 200 MB target.
void BM_IowAllThree(benchmark::State& state) {
  const auto& in = iow_inputs();
  for (auto _ : state) {
    auto net = std::make_shared<const geo::RoadNetwork>(geo::build_road_network(kIowOsm, car()));
    geo::UnitGraph g = in.base;
    g.travel = std::make_shared<geo::RoadTravel>(net, g.site);
    geo::build_road_adjacency(g, in.units, in.config.roads);
    benchmark::DoNotOptimize(g.targets.data());
  }
  state.counters["peak_rss_mb"] = geo::peak_rss_mb();
}
BENCHMARK(BM_IowAllThree)->Unit(benchmark::kMillisecond)->Iterations(3);

// ---- synthetic 1,000,000-node grid ----

constexpr int kSide = 1000;  // 1000 x 1000 nodes, ~100 m apart; every 10th street primary

const fs::path& grid_osm() {
  static const fs::path file = [] {
    const fs::path f = fs::temp_directory_path() / "lotwright-roads-bench" / "grid-1m.osm.pbf";
    if (fs::exists(f)) return f;
    fs::create_directories(f.parent_path());
    const fs::path tmp = f.string() + ".tmp.osm.pbf";
    osmium::io::Header header;
    osmium::io::Writer writer(osmium::io::File(tmp.string()), header, osmium::io::overwrite::allow);
    auto id = [](int r, int c) { return osmium::object_id_type(r) * kSide + c + 1; };
    {
      osmium::memory::Buffer buffer(1 << 24, osmium::memory::Buffer::auto_grow::yes);
      for (int r = 0; r < kSide; ++r)
        for (int c = 0; c < kSide; ++c) {
          {
            osmium::builder::NodeBuilder nb(buffer);
            nb.set_id(id(r, c)).set_version(1).set_location(
                osmium::Location(-2.5 + c * 0.00145, 52.0 + r * 0.0009));
          }
          buffer.commit();
          if (buffer.committed() > (1 << 23)) {
            writer(std::move(buffer));
            buffer = osmium::memory::Buffer(1 << 24, osmium::memory::Buffer::auto_grow::yes);
          }
        }
      writer(std::move(buffer));
    }
    osmium::memory::Buffer buffer(1 << 24, osmium::memory::Buffer::auto_grow::yes);
    osmium::object_id_type way_id = 1;
    for (int dir = 0; dir < 2; ++dir)
      for (int line = 0; line < kSide; ++line) {
        {
          osmium::builder::WayBuilder wb(buffer);
          wb.set_id(way_id++).set_version(1);
          {
            osmium::builder::WayNodeListBuilder nl(wb);
            for (int k = 0; k < kSide; ++k)
              nl.add_node_ref(dir == 0 ? id(line, k) : id(k, line));
          }
          osmium::builder::TagListBuilder tl(wb);
          tl.add_tag("highway", line % 10 == 0 ? "primary" : "residential");
        }
        buffer.commit();
      }
    writer(std::move(buffer));
    writer.close();
    fs::rename(tmp, f);
    return f;
  }();
  return file;
}

std::shared_ptr<const geo::RoadNetwork> grid_network() {
  static const auto net =
      std::make_shared<const geo::RoadNetwork>(geo::build_road_network(grid_osm(), car()));
  return net;
}

// One site per 10 x 10 block (10,000 sites) spread over the grid.
const geo::RoadTravel& grid_travel() {
  static const auto travel = [] {
    const auto net = grid_network();
    std::vector<geo::Point> sites;
    for (int r = 5; r < kSide; r += 10)
      for (int c = 5; c < kSide; c += 10)
        sites.push_back(net->graph.nodes[static_cast<std::size_t>(r) * kSide + c]);
    return std::make_unique<const geo::RoadTravel>(net, std::move(sites));
  }();
  return *travel;
}

void BM_GridBuild(benchmark::State& state) {
  grid_osm();
  geo::RoadNetwork net;
  for (auto _ : state) {
    net = geo::build_road_network(grid_osm(), car());
    benchmark::DoNotOptimize(net.graph.targets.data());
  }
  state.counters["nodes"] = static_cast<double>(net.graph.node_count());
  state.counters["arcs"] = static_cast<double>(net.graph.edge_count());
  state.counters["peak_rss_mb"] = geo::peak_rss_mb();
}
BENCHMARK(BM_GridBuild)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_GridHubToAllTree(benchmark::State& state) {
  const auto& travel = grid_travel();
  const int hub = static_cast<int>(travel.size() / 2 + 50);  // near the middle
  std::vector<float> out;
  for (auto _ : state) {
    travel.tree(hub, out);
    benchmark::DoNotOptimize(out.data());
  }
  float far = 0;
  for (float m : out) far = std::max(far, m);
  state.counters["sites"] = static_cast<double>(travel.size());
  state.counters["farthest_min"] = far;
}
BENCHMARK(BM_GridHubToAllTree)->Unit(benchmark::kMillisecond)->Iterations(5);

// Bounded 15-minute trees from many sites, spread over `threads` threads.
void BM_Grid15MinuteSearches(benchmark::State& state) {
  const auto& travel = grid_travel();
  const int threads = static_cast<int>(state.range(0));
  constexpr int kSearches = 400;
  for (auto _ : state) {
    std::atomic<int> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        std::vector<float> out;
        for (int i; (i = next.fetch_add(1)) < kSearches;) {
          travel.tree(static_cast<int>((static_cast<std::size_t>(i) * 7919) % travel.size()), out,
                      15.f);
          benchmark::DoNotOptimize(out.data());
        }
      });
    for (auto& th : pool) th.join();
  }
  state.SetItemsProcessed(state.iterations() * kSearches);
}
// Process CPU time over all threads: CPU per search shows the work; real time the throughput.
BENCHMARK(BM_Grid15MinuteSearches)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Iterations(2);

}  // namespace

namespace {

// ---- chain contraction: a synthetic 20,000-postcode county ----
// One hub-to-all tree over the plain road graph (every OSM node) and over the contracted
// one (junctions only, postcodes on chains); the same answers, bit for bit (travel_test).

struct SynthTravel {
  std::shared_ptr<const geo::RoadNetwork> net;
  std::vector<geo::Point> sites;
};

const SynthTravel& synth_travel() {
  static const SynthTravel t = [] {
    SynthTravel r;
    const fs::path dir = fs::temp_directory_path() / "lotwright-roads-bench-synth";
    geo::SynthCountyOptions o;
    o.postcodes = 20000;
    geo::synth_county(dir, o);
    r.net = std::make_shared<const geo::RoadNetwork>(
        geo::build_road_network(dir / "roads.osm.pbf", car()));
    const geo::Config cfg = geo::load_config(dir / "county.toml");
    for (const auto& pc : geo::load_county(cfg).postcodes) r.sites.push_back(pc.site);
    return r;
  }();
  return t;
}

void BM_SynthCountyTree(benchmark::State& state) {
  const auto& in = synth_travel();
  const bool contract = state.range(0) != 0;
  const geo::RoadTravel travel(in.net, in.sites, 1000, contract);
  const int hub = static_cast<int>(travel.size() / 2);
  std::vector<float> out;
  for (auto _ : state) {
    travel.tree(hub, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["road_nodes"] = static_cast<double>(in.net->graph.node_count());
  state.counters["search_nodes"] = static_cast<double>(travel.search_nodes());
  state.counters["sites"] = static_cast<double>(travel.size());
}
BENCHMARK(BM_SynthCountyTree)->ArgName("contract")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(10);

}  // namespace

BENCHMARK_MAIN();
