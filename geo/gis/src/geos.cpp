#include "lotwright/gis/geos.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "lotwright/core/error.hpp"

namespace lotwright::geo::detail {
namespace {

// One GEOS context per thread. The error handler keeps GEOS's message so that the call that
// failed can throw it as a DataError; exceptions are never thrown through GEOS's C frames.
struct Context {
  GEOSContextHandle_t handle = nullptr;
  std::string last_error;

  Context() {
    handle = GEOS_init_r();
    GEOSContext_setErrorMessageHandler_r(handle, &Context::on_error, this);
    GEOSContext_setNoticeMessageHandler_r(handle, nullptr, nullptr);
  }
  ~Context() { GEOS_finish_r(handle); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  static void on_error(const char* message, void* self) {
    static_cast<Context*>(self)->last_error = message ? message : "";
  }
};

Context& context() {
  thread_local Context ctx;
  return ctx;
}

GEOSCoordSequence* to_sequence(const std::vector<Point>& pts, bool close) {
  std::vector<double> buf;
  buf.reserve(pts.size() * 2 + 2);
  for (const Point& p : pts) {
    buf.push_back(p.x);
    buf.push_back(p.y);
  }
  if (close && !pts.empty() && !(pts.front() == pts.back())) {
    buf.push_back(pts.front().x);
    buf.push_back(pts.front().y);
  }
  GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(
      geos(), buf.data(), static_cast<unsigned>(buf.size() / 2), 0, 0);
  if (!seq) geos_fail("GEOS coordinate sequence");
  return seq;
}

std::vector<Point> from_sequence(const GEOSCoordSequence* seq) {
  unsigned size = 0;
  if (!GEOSCoordSeq_getSize_r(geos(), seq, &size)) geos_fail("GEOS coordinate sequence size");
  std::vector<double> buf(static_cast<size_t>(size) * 2);
  if (size > 0 && !GEOSCoordSeq_copyToBuffer_r(geos(), seq, buf.data(), 0, 0))
    geos_fail("GEOS coordinate sequence copy");
  std::vector<Point> pts(size);
  for (unsigned i = 0; i < size; ++i) pts[i] = {buf[2 * i], buf[2 * i + 1]};
  return pts;
}

void collect_polygons(const GEOSGeometry* g, MultiPolygon& out) {
  const int type = GEOSGeomTypeId_r(geos(), g);
  if (type == GEOS_POLYGON) {
    if (!GEOSisEmpty_r(geos(), g)) out.push_back(to_polygon(g));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(geos(), g);
    for (int i = 0; i < n; ++i) collect_polygons(GEOSGetGeometryN_r(geos(), g, i), out);
  }
}

}  // namespace

GEOSContextHandle_t geos() { return context().handle; }

void geos_fail(const char* what) {
  Context& ctx = context();
  std::string msg = std::move(ctx.last_error);
  ctx.last_error.clear();
  if (msg.empty()) msg = "unknown GEOS error";
  throw DataError(std::string(what) + ": " + msg);
}

void GeosDeleter::operator()(GEOSGeometry* g) const {
  if (g) GEOSGeom_destroy_r(geos(), g);
}

void PreparedDeleter::operator()(const GEOSPreparedGeometry* g) const {
  if (g) GEOSPreparedGeom_destroy_r(geos(), g);
}

GeosPtr geos_check(GEOSGeometry* g, const char* what) {
  if (!g) geos_fail(what);
  return GeosPtr(g);
}

PreparedPtr geos_prepare(const GEOSGeometry* g) {
  const GEOSPreparedGeometry* p = GEOSPrepare_r(geos(), g);
  if (!p) geos_fail("GEOSPrepare");
  return PreparedPtr(p);
}

bool geos_bool(char result, const char* what) {
  if (result == 2) geos_fail(what);
  return result == 1;
}

double geos_area(const GEOSGeometry* g) {
  double a = 0;
  if (!GEOSArea_r(geos(), g, &a)) geos_fail("GEOSArea");
  return a;
}

double geos_length(const GEOSGeometry* g) {
  double l = 0;
  if (!GEOSLength_r(geos(), g, &l)) geos_fail("GEOSLength");
  return l;
}

double geos_distance(const GEOSGeometry* a, const GEOSGeometry* b) {
  double d = 0;
  if (!GEOSDistance_r(geos(), a, b, &d)) geos_fail("GEOSDistance");
  return d;
}

GeosPtr to_geos(Point p) {
  return geos_check(GEOSGeom_createPointFromXY_r(geos(), p.x, p.y), "GEOS point");
}

GeosPtr to_geos_ring(const Ring& ring) {
  size_t distinct = 0;
  for (size_t i = 0; i < ring.size(); ++i)
    if (i == 0 || !(ring[i] == ring[i - 1])) ++distinct;
  if (!ring.empty() && ring.front() == ring.back() && distinct > 1) --distinct;
  if (distinct < 3)
    throw DataError("polygon ring with " + std::to_string(distinct) +
                    " distinct points (at least 3 expected)");
  for (const Point& p : ring)
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
      throw DataError("polygon ring with a non-finite coordinate");
  return geos_check(GEOSGeom_createLinearRing_r(geos(), to_sequence(ring, true)),
                    "GEOS linear ring");
}

GeosPtr to_geos(const Polygon& p) {
  if (p.outer.empty()) return geos_check(GEOSGeom_createEmptyPolygon_r(geos()), "GEOS polygon");
  GeosPtr shell = to_geos_ring(p.outer);
  std::vector<GeosPtr> holes;
  for (const Ring& h : p.holes)
    if (!h.empty()) holes.push_back(to_geos_ring(h));
  // GEOS takes the rings over (also when it fails), so they are released first.
  std::vector<GEOSGeometry*> raw;
  for (GeosPtr& h : holes) raw.push_back(h.release());
  GEOSGeometry* poly = GEOSGeom_createPolygon_r(geos(), shell.release(), raw.data(),
                                                static_cast<unsigned>(raw.size()));
  if (!poly) geos_fail("GEOS polygon");
  return GeosPtr(poly);
}

GeosPtr to_geos(const MultiPolygon& mp) {
  std::vector<GeosPtr> parts;
  for (const Polygon& p : mp)
    if (!p.outer.empty()) parts.push_back(to_geos(p));
  return make_collection(parts, GEOS_MULTIPOLYGON);
}

GeosPtr to_geos_points(const std::vector<Point>& pts) {
  std::vector<GeosPtr> parts;
  parts.reserve(pts.size());
  for (const Point& p : pts) parts.push_back(to_geos(p));
  return make_collection(parts, GEOS_MULTIPOINT);
}

GeosPtr make_collection(std::vector<GeosPtr>& parts, int type) {
  // GEOS takes the parts over (also when it fails), so they are released first.
  std::vector<GEOSGeometry*> raw;
  raw.reserve(parts.size());
  for (GeosPtr& p : parts) raw.push_back(p.release());
  parts.clear();
  GEOSGeometry* c = GEOSGeom_createCollection_r(geos(), type, raw.data(),
                                                static_cast<unsigned>(raw.size()));
  if (!c) geos_fail("GEOS collection");
  return GeosPtr(c);
}

Ring to_ring(const GEOSGeometry* ring) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos(), ring);
  if (!seq) geos_fail("GEOS ring coordinates");
  return from_sequence(seq);
}

Polygon to_polygon(const GEOSGeometry* polygon) {
  Polygon p;
  const GEOSGeometry* shell = GEOSGetExteriorRing_r(geos(), polygon);
  if (!shell) geos_fail("GEOS exterior ring");
  p.outer = to_ring(shell);
  const int n = GEOSGetNumInteriorRings_r(geos(), polygon);
  if (n < 0) geos_fail("GEOS interior rings");
  for (int i = 0; i < n; ++i) {
    const GEOSGeometry* h = GEOSGetInteriorRingN_r(geos(), polygon, i);
    if (!h) geos_fail("GEOS interior ring");
    p.holes.push_back(to_ring(h));
  }
  return p;
}

MultiPolygon to_multipolygon(const GEOSGeometry* g) {
  MultiPolygon out;
  if (g) collect_polygons(g, out);
  return out;
}

std::vector<const GEOSGeometry*> parts_of(const GEOSGeometry* g) {
  std::vector<const GEOSGeometry*> out;
  const int type = GEOSGeomTypeId_r(geos(), g);
  if (type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOLYGON ||
      type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(geos(), g);
    for (int i = 0; i < n; ++i) out.push_back(GEOSGetGeometryN_r(geos(), g, i));
  } else {
    out.push_back(g);
  }
  return out;
}

}  // namespace lotwright::geo::detail
