// Postcode units and dissolve: how long build_units takes on the Isle of Wight (5,129
// postcodes, real coastline) and on 40,000 sites in a synthetic county-sized polygon
// (~6,700 km2, a ragged coast with an estuary), and how long dissolving those cells into
// lots takes (6 lots on the Isle of Wight, 25 on the synthetic county).
//
//   scripts/dev-build.sh units_bench && build-dev/bench/units_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "lotwright/study/config.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/study/units.hpp"

namespace geo = lotwright::geo;
namespace fs = std::filesystem;

namespace {

struct Rng {  // PCG-style LCG: deterministic across platforms
  std::uint64_t s;
  double next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / 9007199254740992.0;
  }
};

// A county-sized polygon (radius ~46 km: ~6,700 km2) with a ragged edge of 4,000 vertices
// and an estuary cut 15 km into it, and `n` sites inside, clustered around 60 towns.
geo::County synthetic_county(long n, std::uint64_t seed) {
  Rng rng{seed};
  geo::County c;
  c.name = "synthetic";
  const double cx = 450000, cy = 250000, r0 = 46300;
  const int kVertices = 4000;
  geo::Ring ring;
  for (int i = 0; i < kVertices; ++i) {
    const double t = 2 * std::numbers::pi * i / kVertices;
    const double wobble = 0.04 * std::sin(7 * t) + 0.02 * std::sin(23 * t + 1) +
                          0.004 * (rng.next() - 0.5);
    double r = r0 * (1 + wobble);
    // An estuary: a narrow inlet along t ~ 0 (east), 15 km deep and ~400 m wide.
    const double dt = std::remainder(t, 2 * std::numbers::pi);
    if (std::abs(dt) < 0.005) r -= 15000;
    ring.push_back({cx + r * std::cos(t), cy + r * std::sin(t)});
  }
  ring.push_back(ring.front());
  c.boundary = {geo::Polygon{ring, {}}};
  c.boundary_area_km2 = geo::area(c.boundary) / 1e6;

  std::vector<geo::Point> towns;
  while (towns.size() < 60) {
    const geo::Point p{cx + (rng.next() * 2 - 1) * r0, cy + (rng.next() * 2 - 1) * r0};
    if (geo::contains(c.boundary, p)) towns.push_back(p);
  }
  c.postcodes.reserve(n);
  while (static_cast<long>(c.postcodes.size()) < n) {
    geo::Point p;
    if (rng.next() < 0.7) {  // in a town: ~2 km spread
      const geo::Point& t = towns[static_cast<size_t>(rng.next() * towns.size())];
      const double a = 2 * std::numbers::pi * rng.next();
      const double d = 2000 * std::sqrt(-2 * std::log(std::max(1e-12, rng.next())));
      p = {t.x + d * std::cos(a), t.y + d * std::sin(a)};
    } else {
      p = {cx + (rng.next() * 2 - 1) * r0, cy + (rng.next() * 2 - 1) * r0};
    }
    p = {std::round(p.x), std::round(p.y)};  // Code-Point Open gives whole metres
    if (!geo::contains(c.boundary, p)) continue;
    geo::PostcodeRecord r;
    const long k = static_cast<long>(c.postcodes.size());
    const std::string tail = std::to_string(1000 + k % 1000).substr(1);
    r.id = "SY" + std::to_string(k / 1000) + " " + tail;
    r.site = p;
    r.hours = rng.next() < 0.1 ? 13 : 0;
    c.postcodes.push_back(r);
  }
  c.postcodes_read = c.postcodes_inside = n;
  return c;
}

const geo::County& iow_county() {
  static const geo::County county = [] {
    const fs::path d = fs::path(LOTWRIGHT_DATA_DIR) / "isle-of-wight";
    const fs::path dir = fs::temp_directory_path() / "lotwright-units-bench";
    fs::create_directories(dir);
    std::ofstream t(dir / "config.toml");
    t << "[area]\nname = \"Isle of Wight\"\nboundary = \""
      << (d / "boundaries/la_E06000046_dissolved_from_lsoa21_bgc.geojson").string() << "\"\n"
      << "[postcodes]\npath = \"" << (d / "postcodes/postcodes_E06000046_enriched.csv").string()
      << "\"\nid = \"postcode\"\nx = \"easting\"\ny = \"northing\"\ncrs = \"EPSG:27700\"\n"
      << "[roads]\nosm = \"" << (d / "osm/isle-of-wight-2015-01-01.osm.pbf").string() << "\"\n";
    t.close();
    return geo::load_county(geo::load_config(dir / "config.toml"));
  }();
  return county;
}

const geo::County& synthetic_40k() {
  static const geo::County county = synthetic_county(40000, 7);
  return county;
}

// Lots for the dissolve benchmarks: units cut into `lots` groups of equal count along x.
std::vector<std::vector<const geo::MultiPolygon*>> lots_of(const geo::Units& u, int lots) {
  std::vector<size_t> order(u.units.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return u.units[a].site.x < u.units[b].site.x; });
  std::vector<std::vector<const geo::MultiPolygon*>> out(lots);
  for (size_t k = 0; k < order.size(); ++k)
    out[k * lots / order.size()].push_back(&u.units[order[k]].cell);
  return out;
}

void report(benchmark::State& state, const geo::Units& u) {
  state.counters["units"] = static_cast<double>(u.units.size());
  state.counters["edges"] = static_cast<double>(u.edges.size());
  state.counters["warnings"] = static_cast<double>(u.warnings.size());
}

void BM_BuildUnits_IsleOfWight(benchmark::State& state) {
  const geo::County& c = iow_county();
  geo::Units u;
  for (auto _ : state) {
    u = geo::build_units(c);
    benchmark::DoNotOptimize(u.units.data());
  }
  report(state, u);
}
BENCHMARK(BM_BuildUnits_IsleOfWight)->Unit(benchmark::kMillisecond);

void BM_BuildUnits_Synthetic40k(benchmark::State& state) {
  const geo::County& c = synthetic_40k();
  geo::Units u;
  for (auto _ : state) {
    u = geo::build_units(c);
    benchmark::DoNotOptimize(u.units.data());
  }
  report(state, u);
  state.counters["area_km2"] = c.boundary_area_km2;
}
BENCHMARK(BM_BuildUnits_Synthetic40k)->Unit(benchmark::kMillisecond)->Iterations(2);

void dissolve_lots(benchmark::State& state, const geo::Units& u, int lots) {
  const auto groups = lots_of(u, lots);
  size_t pieces = 0;
  for (auto _ : state) {
    pieces = 0;
    for (const auto& g : groups) pieces += geo::dissolve(g).size();
  }
  state.counters["lots"] = lots;
  state.counters["pieces"] = static_cast<double>(pieces);
}

void BM_Dissolve_IsleOfWight_6Lots(benchmark::State& state) {
  static const geo::Units u = geo::build_units(iow_county());
  dissolve_lots(state, u, 6);
}
BENCHMARK(BM_Dissolve_IsleOfWight_6Lots)->Unit(benchmark::kMillisecond);

void BM_Dissolve_Synthetic40k_25Lots(benchmark::State& state) {
  static const geo::Units u = geo::build_units(synthetic_40k());
  dissolve_lots(state, u, 25);
}
BENCHMARK(BM_Dissolve_Synthetic40k_25Lots)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
