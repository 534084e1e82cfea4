// synth-county stages: small areas (GEOS Voronoi cells) and care demand.
#include <geos_c.h>

#include <algorithm>
#include <array>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lotwright/core/error.hpp"
#include "synth_county_builder.hpp"

namespace lotwright::geo::synth {

namespace {

// GEOS for the small areas (one context for this call).

struct GeosContext {
  GEOSContextHandle_t h = GEOS_init_r();
  ~GeosContext() { GEOS_finish_r(h); }
};

struct GeomDeleter {
  GEOSContextHandle_t h;
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(h, g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

GEOSGeometry* check(GEOSContextHandle_t, GEOSGeometry* g, const char* what) {
  if (!g) throw DataError(std::string("synth-county: GEOS failed in ") + what);
  return g;
}

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using SeedTree = bgi::rtree<std::pair<BPoint, std::size_t>, bgi::quadratic<16>>;

// Each site's nearest seed (lowest index on ties): grow a box until the best hit lies
// within it.
void assign_nearest_seed(std::vector<Site>& sites, const std::vector<Point>& seeds,
                         const SeedTree& tree) {
  for (auto& s : sites) {
    double reach = 2000;
    for (;;) {
      std::vector<std::pair<BPoint, std::size_t>> cand;
      tree.query(bgi::intersects(bg::model::box<BPoint>(BPoint(s.p.x - reach, s.p.y - reach),
                                                        BPoint(s.p.x + reach, s.p.y + reach))),
                 std::back_inserter(cand));
      double bd = std::numeric_limits<double>::max();
      for (const auto& [bp, idx] : cand) {
        const double d = dist(s.p, seeds[idx]);
        if (d < bd || (d == bd && static_cast<int>(idx) < s.area))
          bd = d, s.area = static_cast<int>(idx);
      }
      if (bd <= reach) break;
      reach = bd < std::numeric_limits<double>::max() ? bd : reach * 4;
      s.area = -1;
    }
  }
}

}  // namespace

// Seeds of the small areas: centroids of consecutive runs of ~1,500 residents (sites are
// in Hilbert order), made distinct.
std::vector<Point> Builder::area_seeds() {
  std::vector<Point> seeds;
  double res = 0, sx = 0, sy = 0;
  long count = 0;
  double want = kAreaResidents * rng_.uniform(0.85, 1.2);
  for (std::size_t i = 0; i < m_.sites.size(); ++i) {
    res += m_.sites[i].residents;
    sx += m_.sites[i].p.x, sy += m_.sites[i].p.y, ++count;
    if (res >= want || i + 1 == m_.sites.size()) {
      if (i + 1 == m_.sites.size() && res < kAreaResidents / 2 && !seeds.empty()) break;
      seeds.push_back({std::round(sx / count * 10) / 10, std::round(sy / count * 10) / 10});
      res = sx = sy = 0, count = 0;
      want = kAreaResidents * rng_.uniform(0.85, 1.2);
    }
  }
  std::set<std::pair<double, double>> seen;
  for (auto& s : seeds)
    while (!seen.insert({s.x, s.y}).second) s.x += 1;
  return seeds;
}

void Builder::areas() {
  const std::vector<Point> seeds = area_seeds();

  GeosContext ctx;
  const GEOSContextHandle_t h = ctx.h;
  GeomDeleter del{h};
  GEOSCoordSequence* cs = GEOSCoordSeq_create_r(h, static_cast<unsigned>(m_.boundary.size()), 2);
  for (std::size_t i = 0; i < m_.boundary.size(); ++i)
    GEOSCoordSeq_setXY_r(h, cs, static_cast<unsigned>(i), m_.boundary[i].x, m_.boundary[i].y);
  GeomPtr shell(check(h, GEOSGeom_createLinearRing_r(h, cs), "boundary ring"), del);
  GeomPtr boundary(check(h, GEOSGeom_createPolygon_r(h, shell.release(), nullptr, 0), "boundary"),
                   del);
  std::vector<GEOSGeometry*> pts;
  for (const auto& s : seeds) pts.push_back(GEOSGeom_createPointFromXY_r(h, s.x, s.y));
  GeomPtr multi(check(h,
                      GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts.data(),
                                                  static_cast<unsigned>(pts.size())),
                      "seeds"),
                del);
  GeomPtr cells(check(h, GEOSVoronoiDiagram_r(h, multi.get(), boundary.get(), 0.0, 0), "voronoi"),
                del);

  // Which seed each cell holds (GEOS 3.11 does not keep the input order).
  SeedTree tree;
  for (std::size_t i = 0; i < seeds.size(); ++i) tree.insert({BPoint(seeds[i].x, seeds[i].y), i});
  std::vector<GeomPtr> clipped(seeds.size());
  const int ncells = GEOSGetNumGeometries_r(h, cells.get());
  for (int c = 0; c < ncells; ++c) {
    const GEOSGeometry* cell = GEOSGetGeometryN_r(h, cells.get(), c);
    double x0, y0, x1, y1;
    GEOSGeom_getXMin_r(h, cell, &x0);
    GEOSGeom_getYMin_r(h, cell, &y0);
    GEOSGeom_getXMax_r(h, cell, &x1);
    GEOSGeom_getYMax_r(h, cell, &y1);
    std::vector<std::pair<BPoint, std::size_t>> cand;
    tree.query(bgi::intersects(bg::model::box<BPoint>(BPoint(x0, y0), BPoint(x1, y1))),
               std::back_inserter(cand));
    std::sort(cand.begin(), cand.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [bp, idx] : cand) {
      GeomPtr pt(GEOSGeom_createPointFromXY_r(h, bg::get<0>(bp), bg::get<1>(bp)), del);
      if (GEOSIntersects_r(h, cell, pt.get()) == 1 && !clipped[idx]) {
        clipped[idx] = GeomPtr(check(h, GEOSIntersection_r(h, cell, boundary.get()), "clip"), del);
        break;
      }
    }
  }

  assign_nearest_seed(m_.sites, seeds, tree);

  // Local density: residents within 10 km (1 km grid), for the "sparse setting" codes.
  const int gx = static_cast<int>((box_.max_x - box_.min_x) / 1000) + 1;
  const int gy = static_cast<int>((box_.max_y - box_.min_y) / 1000) + 1;
  std::vector<double> grid(static_cast<std::size_t>(gx) * gy, 0);
  for (const auto& s : m_.sites)
    grid[static_cast<std::size_t>(static_cast<int>((s.p.y - box_.min_y) / 1000)) * gx +
         static_cast<std::size_t>((s.p.x - box_.min_x) / 1000)] += s.residents;

  struct Tally {
    double res = 0, over65 = 0, sx = 0, sy = 0;
    std::array<double, 4> cls{};  // B C D E
  };
  std::vector<Tally> tally(seeds.size());
  for (const auto& s : m_.sites) {
    Tally& t = tally[static_cast<std::size_t>(s.area)];
    t.res += s.residents, t.over65 += s.over65;
    t.sx += s.p.x * s.residents, t.sy += s.p.y * s.residents;
    int c = 3;
    if (s.settlement >= 0) {
      const auto& st = m_.settlements[static_cast<std::size_t>(s.settlement)];
      c = st.residents >= 250000 ? 0 : st.residents >= 10000 ? 1 : st.kind == Kind::kTown ? 2 : 3;
    }
    t.cls[static_cast<std::size_t>(c)] += s.residents;
  }

  GEOSWKBWriter* writer = GEOSWKBWriter_create_r(h);
  GEOSWKBWriter_setByteOrder_r(h, writer, GEOS_WKB_NDR);
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    if (!clipped[i]) throw DataError("synth-county: a small area lost its Voronoi cell");
    SmallArea a;
    char code[48];
    std::snprintf(code, sizeof code, "Z01%06zu", i + 1);
    a.code = code;
    char name[48];
    std::snprintf(name, sizeof name, " %03zu", i + 1);
    a.name = m_.options.name + name;
    std::size_t len = 0;
    unsigned char* wkb = GEOSWKBWriter_write_r(h, writer, clipped[i].get(), &len);
    a.wkb.assign(wkb, wkb + len);
    GEOSFree_r(h, wkb);
    const Tally& t = tally[i];
    a.residents = std::lround(t.res);
    a.over65 = std::lround(t.over65);
    const Point c = t.res > 0 ? Point{t.sx / t.res, t.sy / t.res} : seeds[i];
    double near = 0;
    const int ci = static_cast<int>((c.x - box_.min_x) / 1000),
              cj = static_cast<int>((c.y - box_.min_y) / 1000);
    for (int j = std::max(0, cj - 10); j <= std::min(gy - 1, cj + 10); ++j)
      for (int k = std::max(0, ci - 10); k <= std::min(gx - 1, ci + 10); ++k)
        if ((j - cj) * (j - cj) + (k - ci) * (k - ci) <= 100)
          near += grid[static_cast<std::size_t>(j) * gx + static_cast<std::size_t>(k)];
    const bool sparse = near / (kPi * 100) < 60;
    const double urban = t.cls[0] + t.cls[1];
    if (urban > t.res / 2)
      a.ruc = t.cls[0] > t.cls[1] ? "B1" : sparse ? "C2" : "C1";
    else if (t.cls[2] > t.cls[3])
      a.ruc = sparse ? "D2" : "D1";
    else
      a.ruc = sparse ? "E2" : "E1";
    m_.areas.push_back(std::move(a));
  }
  GEOSWKBWriter_destroy_r(h, writer);

  // Sites are written sorted by postcode.
  std::sort(m_.sites.begin(), m_.sites.end(),
            [](const Site& a, const Site& b) { return a.postcode < b.postcode; });
}

void Builder::demand() {
  double over65 = 0;
  for (const auto& s : m_.sites) over65 += s.over65;
  const double target = kHoursPerPostcode * static_cast<double>(m_.sites.size());
  const double rate = target / kHoursPerCustomer / std::max(1.0, over65);
  const double sigma = 0.65, mu = std::log(kHoursPerCustomer) - sigma * sigma / 2;
  std::vector<std::size_t> by_code(m_.sites.size());
  std::iota(by_code.begin(), by_code.end(), 0);
  std::sort(by_code.begin(), by_code.end(), [&](std::size_t a, std::size_t b) {
    return m_.sites[a].postcode < m_.sites[b].postcode;
  });
  for (std::size_t i : by_code) {
    const long k = rng_.poisson(m_.sites[i].over65 * rate);
    if (k == 0) continue;
    DemandRow row{static_cast<int>(i), k, 0, 0};
    for (long c = 0; c < k; ++c) {
      const double h =
          std::clamp(std::round(2 * std::exp(mu + sigma * rng_.normal())) / 2, 1.0, 56.0);
      row.hours += h;
      if (rng_.chance(0.05)) row.unmet_hours += h;
    }
    m_.total_hours += row.hours;
    m_.demand.push_back(row);
  }
  m_.lots = std::max(2, static_cast<int>(std::lround(m_.total_hours / kLotHours)));
  const double r_km = std::sqrt(m_.area_km2 / m_.lots / kPi);
  m_.max_travel_minutes =
      std::clamp(5 * std::ceil((2.2 * r_km * 1.3 / 35 * 60 + 8) / 5), 20.0, 60.0);
}

}  // namespace lotwright::geo::synth
