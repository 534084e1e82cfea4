#pragma once
// A small RAII layer over the GEOS C API (the C++ API is not stable and not packaged).
//
//  - geos() is this thread's GEOSContextHandle_t, created on first use and finished when the
//    thread ends. GEOS reports errors through a message handler; ours records the message and
//    the calls below turn a failed call (NULL / error code) into a DataError carrying it.
//  - GeosPtr / PreparedPtr own geometries with unique_ptr deleters.
//  - to_geos() / to_multipolygon() convert between our plain types (types.hpp) and GEOS.
//
// Private to geo/src: public headers never include <geos_c.h>.
#include <geos_c.h>

#include <memory>
#include <string>
#include <vector>

#include "lotwright/core/types.hpp"

namespace lotwright::geo::detail {

// This thread's GEOS context (one per thread, as GEOS requires for the _r API).
GEOSContextHandle_t geos();

// Throws DataError "<what>: <last GEOS error message>".
[[noreturn]] void geos_fail(const char* what);

struct GeosDeleter {
  void operator()(GEOSGeometry* g) const;
};
struct PreparedDeleter {
  void operator()(const GEOSPreparedGeometry* g) const;
};
using GeosPtr = std::unique_ptr<GEOSGeometry, GeosDeleter>;
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

// Takes ownership of g; throws DataError naming `what` when g is NULL (a GEOS failure).
GeosPtr geos_check(GEOSGeometry* g, const char* what);
// Prepares g (borrowed: g must outlive the result).
PreparedPtr geos_prepare(const GEOSGeometry* g);

// Predicates / measures returning GEOS's char/int codes, with errors turned into DataError.
bool geos_bool(char result, const char* what);
double geos_area(const GEOSGeometry* g);
double geos_length(const GEOSGeometry* g);
double geos_distance(const GEOSGeometry* a, const GEOSGeometry* b);

// Conversions. Rings are closed on the way in when they are not already; a ring with fewer
// than 3 distinct points throws DataError. Empty polygons are skipped.
GeosPtr to_geos(Point p);
GeosPtr to_geos_ring(const Ring& ring);  // a LinearRing
GeosPtr to_geos(const Polygon& p);
GeosPtr to_geos(const MultiPolygon& mp);  // always a MultiPolygon
GeosPtr to_geos_points(const std::vector<Point>& pts);  // a MultiPoint
// A GeometryCollection owning `parts` (ownership moves in; the vector is emptied).
GeosPtr make_collection(std::vector<GeosPtr>& parts, int type = GEOS_GEOMETRYCOLLECTION);

Ring to_ring(const GEOSGeometry* ring);
Polygon to_polygon(const GEOSGeometry* polygon);
// Every polygon in g (Polygon, MultiPolygon, or any collection; lines/points are ignored).
MultiPolygon to_multipolygon(const GEOSGeometry* g);

// Borrowed sub-geometries of a collection (or g itself when it is not a collection).
std::vector<const GEOSGeometry*> parts_of(const GEOSGeometry* g);

}  // namespace lotwright::geo::detail
