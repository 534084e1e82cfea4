#include "lotwright/gis/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "lotwright/gis/geos.hpp"
#include "lotwright/core/error.hpp"

namespace lotwright::geo {
namespace {

using detail::geos;
using detail::geos_check;
using detail::GeosPtr;

double signed_ring_area(const Ring& r) {
  if (r.size() < 3) return 0;
  // Shoelace relative to the first point (keeps precision with 6-digit eastings).
  const Point o = r.front();
  double s = 0;
  for (size_t i = 1; i + 1 < r.size(); ++i)
    s += (r[i].x - o.x) * (r[i + 1].y - o.y) - (r[i + 1].x - o.x) * (r[i].y - o.y);
  return s / 2;
}

// Even-odd crossing test of one ring (points on the boundary may go either way).
bool ring_crosses_odd(const Ring& r, Point p) {
  bool odd = false;
  const size_t n = r.size();
  if (n < 3) return false;
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    const Point& a = r[i];
    const Point& b = r[j];
    if ((a.y > p.y) != (b.y > p.y)) {
      const double x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
      if (p.x < x) odd = !odd;
    }
  }
  return odd;
}

bool polygon_contains(const Polygon& poly, Point p) {
  if (!ring_crosses_odd(poly.outer, p)) return false;
  for (const Ring& h : poly.holes)
    if (ring_crosses_odd(h, p)) return false;
  return true;
}

size_t largest_part(const MultiPolygon& mp) {
  size_t best = 0;
  double best_area = -1;
  for (size_t i = 0; i < mp.size(); ++i) {
    const double a = area(mp[i]);
    if (a > best_area) {
      best_area = a;
      best = i;
    }
  }
  return best;
}

}  // namespace

double area(const Polygon& p) {
  double a = std::abs(signed_ring_area(p.outer));
  for (const Ring& h : p.holes) a -= std::abs(signed_ring_area(h));
  return std::max(a, 0.0);
}

double area(const MultiPolygon& mp) {
  double a = 0;
  for (const Polygon& p : mp) a += area(p);
  return a;
}

double perimeter(const MultiPolygon& mp) {
  double len = 0;
  auto add = [&](const Ring& r) {
    for (size_t i = 0; i + 1 < r.size(); ++i)
      len += std::hypot(r[i + 1].x - r[i].x, r[i + 1].y - r[i].y);
  };
  for (const Polygon& p : mp) {
    add(p.outer);
    for (const Ring& h : p.holes) add(h);
  }
  return len;
}

Box bounds(const MultiPolygon& mp) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  Box b{kInf, kInf, -kInf, -kInf};
  for (const Polygon& p : mp)
    for (const Point& q : p.outer) {
      b.min_x = std::min(b.min_x, q.x);
      b.min_y = std::min(b.min_y, q.y);
      b.max_x = std::max(b.max_x, q.x);
      b.max_y = std::max(b.max_y, q.y);
    }
  if (b.min_x > b.max_x) return Box{};  // empty
  return b;
}

bool contains(const MultiPolygon& mp, Point p) {
  for (const Polygon& poly : mp)
    if (polygon_contains(poly, p)) return true;
  return false;
}

MultiPolygon dissolve(const std::vector<const MultiPolygon*>& parts) {
  std::vector<GeosPtr> polys;
  double input_area = 0;
  for (const MultiPolygon* mp : parts) {
    if (!mp) continue;
    for (const Polygon& p : *mp) {
      if (p.outer.empty()) continue;
      polys.push_back(detail::to_geos(p));
      input_area += area(p);
    }
  }
  if (polys.empty()) return {};
  if (polys.size() == 1) return detail::to_multipolygon(polys.front().get());
  GeosPtr all = detail::make_collection(polys, GEOS_MULTIPOLYGON);
  // Cells of a lot form a coverage (no overlaps, shared edges with the same vertices):
  // GEOSCoverageUnion_r just drops the edges used twice, which is linear time. It is not
  // guaranteed to notice inputs that are not a coverage, so its result is checked (area
  // preserved, valid) and the general (slower) unary union is used otherwise.
  if (GEOSGeometry* cu = GEOSCoverageUnion_r(geos(), all.get())) {
    GeosPtr result(cu);
    const double a = detail::geos_area(result.get());
    const bool same_area = std::abs(a - input_area) <= 1e-9 * std::max(1.0, input_area);
    if (same_area && GEOSisValid_r(geos(), result.get()) == 1)
      return detail::to_multipolygon(result.get());
  }
  GeosPtr u = geos_check(GEOSUnaryUnion_r(geos(), all.get()), "dissolve (GEOSUnaryUnion)");
  return detail::to_multipolygon(u.get());
}

Point label_point(const MultiPolygon& mp) {
  if (area(mp) <= 0) throw DataError("label_point: empty polygon");
  // The visual centre of the largest part: the centre of its largest inscribed circle
  // (pole of inaccessibility), found to 0.1% of the part's size.
  const Polygon& part = mp[largest_part(mp)];
  GeosPtr g = detail::to_geos(part);
  const Box b = bounds(MultiPolygon{part});
  const double tolerance = std::max(b.max_x - b.min_x, b.max_y - b.min_y) / 1000.0;
  if (GEOSGeometry* mic = GEOSMaximumInscribedCircle_r(geos(), g.get(), tolerance)) {
    GeosPtr line(mic);
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos(), line.get());
    double x = 0, y = 0;
    if (seq && GEOSCoordSeq_getXY_r(geos(), seq, 0, &x, &y) && std::isfinite(x) &&
        std::isfinite(y) && polygon_contains(part, {x, y}))
      return {x, y};
  }
  GeosPtr pos = geos_check(GEOSPointOnSurface_r(geos(), g.get()), "label_point");
  double x = 0, y = 0;
  if (!GEOSGeomGetX_r(geos(), pos.get(), &x) || !GEOSGeomGetY_r(geos(), pos.get(), &y))
    detail::geos_fail("label_point");
  return {x, y};
}

std::vector<Point> triangulate(const MultiPolygon& mp) {
  std::vector<Point> out;
  if (mp.empty()) return out;
  GeosPtr g = detail::to_geos(mp);
  GeosPtr t = geos_check(GEOSConstrainedDelaunayTriangulation_r(geos(), g.get()),
                         "triangulate (GEOSConstrainedDelaunayTriangulation)");
  for (const GEOSGeometry* tri : detail::parts_of(t.get())) {
    if (GEOSGeomTypeId_r(geos(), tri) != GEOS_POLYGON) continue;
    const Ring r = detail::to_ring(GEOSGetExteriorRing_r(geos(), tri));
    if (r.size() < 4) continue;
    // Counter-clockwise triangles, so a renderer may cull consistently.
    if (signed_ring_area({r[0], r[1], r[2], r[0]}) >= 0) {
      out.insert(out.end(), {r[0], r[1], r[2]});
    } else {
      out.insert(out.end(), {r[0], r[2], r[1]});
    }
  }
  return out;
}

}  // namespace lotwright::geo
