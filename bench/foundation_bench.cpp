// County inputs: how long load_county takes on the Isle of Wight (5,129 postcodes, boundary,
// rural class, population, a 730-row demand file) and on a large county (60,000 postcodes
// with lon/lat columns in EPSG:4326, reprojected, point-in-polygon, 60,000 demand rows), and
// how long synth-demand takes on the Isle of Wight.
//
//   scripts/dev-build.sh foundation_bench && build-dev/bench/foundation_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "lotwright/study/config.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/synth/synth.hpp"

namespace geo = lotwright::geo;
namespace fs = std::filesystem;

namespace {

const fs::path kIow = fs::path(LOTWRIGHT_DATA_DIR) / "isle-of-wight";

fs::path scratch() {
  static const fs::path dir = fs::temp_directory_path() /
                              ("lotwright-foundation-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string iow_tables() {
  return "[area]\nname = \"Isle of Wight\"\nboundary = \"" +
         (kIow / "boundaries/la_E06000046_dissolved_from_lsoa21_bgc.geojson").string() +
         "\"\n[rural]\npath = \"" +
         (kIow / "classification/ruc2011_lsoa11_E06000046.csv").string() +
         "\"\n[population]\npath = \"" +
         (kIow / "classification/census2021_age6_lsoa21_E06000046.csv").string() + "\"\n";
}

// The Isle of Wight with a synth-demand file (made once).
const geo::Config& iow_config() {
  static const geo::Config cfg = [] {
    const fs::path dir = scratch();
    std::ofstream(dir / "iow.toml")
        << iow_tables() << "[postcodes]\npath = \""
        << (kIow / "postcodes/postcodes_E06000046_enriched.csv").string() << "\"\n"
        << "[demand]\npath = \"iow_demand.csv\"\ncustomers = \"customers\"\n"
        << "unmet_hours = \"unmet_hours\"\n";
    geo::Config c = geo::load_config(dir / "iow.toml");
    geo::synth_demand(c, dir / "iow_demand.csv", {});
    return c;
  }();
  return cfg;
}

// 60,000 postcodes on a grid over the island's extent, as lon/lat in EPSG:4326 with an
// area key for the rural and population joins, and one demand row per postcode.
const geo::Config& large_config() {
  static const geo::Config cfg = [] {
    const fs::path dir = scratch();
    std::ofstream pc(dir / "large_postcodes.csv"), dm(dir / "large_demand.csv");
    pc << "postcode,lon,lat,lsoa11cd,lsoa21cd\n";
    dm << "postcode,hours_per_week,customers\n";
    std::uint64_t s = 1;
    for (int i = 0; i < 60000; ++i) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      const double u = static_cast<double>(s >> 11) / 9007199254740992.0;
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      const double v = static_cast<double>(s >> 11) / 9007199254740992.0;
      char code[16];
      std::snprintf(code, sizeof code, "PO%d %d%c%c", 10 + i / 2600, (i / 676) % 10,
                    'A' + (i / 26) % 26, 'A' + i % 26);
      pc << code << "," << -1.59 + 0.52 * u << "," << 50.57 + 0.20 * v
         << ",E01017327,E01017327\n";
      dm << code << "," << 1 + i % 20 << ",1\n";
    }
    pc.close();
    dm.close();
    std::ofstream(dir / "large.toml")
        << iow_tables() << "[postcodes]\npath = \"large_postcodes.csv\"\nx = \"lon\"\n"
        << "y = \"lat\"\ncrs = \"EPSG:4326\"\n[demand]\npath = \"large_demand.csv\"\n"
        << "customers = \"customers\"\n";
    return geo::load_config(dir / "large.toml");
  }();
  return cfg;
}

void BM_LoadCountyIsleOfWight(benchmark::State& state) {
  const geo::Config& cfg = iow_config();
  for (auto _ : state) {
    geo::County c = geo::load_county(cfg);
    benchmark::DoNotOptimize(c.postcodes.data());
    state.counters["postcodes"] = static_cast<double>(c.postcodes_read);
    state.counters["demand_rows"] = static_cast<double>(c.demand.rows);
  }
}
BENCHMARK(BM_LoadCountyIsleOfWight)->Unit(benchmark::kMillisecond);

void BM_LoadCountyLarge(benchmark::State& state) {
  const geo::Config& cfg = large_config();
  for (auto _ : state) {
    geo::County c = geo::load_county(cfg);
    benchmark::DoNotOptimize(c.postcodes.data());
    state.counters["postcodes"] = static_cast<double>(c.postcodes_read);
    state.counters["inside"] = static_cast<double>(c.postcodes_inside);
  }
}
BENCHMARK(BM_LoadCountyLarge)->Unit(benchmark::kMillisecond);

void BM_SynthDemandIsleOfWight(benchmark::State& state) {
  const geo::Config& cfg = iow_config();
  for (auto _ : state) {
    const auto s = geo::synth_demand(cfg, scratch() / "bench_demand.csv", {});
    state.counters["customers"] = static_cast<double>(s.customers);
  }
}
BENCHMARK(BM_SynthDemandIsleOfWight)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(scratch(), ec);
  return 0;
}
