#include "lotwright/gis/osm_projection.hpp"

#include <proj.h>

#include <memory>
#include <string>

#include "lotwright/core/error.hpp"

namespace lotwright::geo::detail {

namespace {
struct ContextDeleter {
  void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
};
struct PjDeleter {
  void operator()(PJ* p) const { proj_destroy(p); }
};
}  // namespace

void lonlat_to_bng(std::vector<Point>& pts) {
  if (pts.empty()) return;
  std::unique_ptr<PJ_CONTEXT, ContextDeleter> ctx(proj_context_create());
  std::unique_ptr<PJ, PjDeleter> raw(
      proj_create_crs_to_crs(ctx.get(), "EPSG:4326", "EPSG:27700", nullptr));
  if (!raw) throw DataError("PROJ cannot transform EPSG:4326 to EPSG:27700");
  // EPSG:4326 is lat/lon by definition; normalise so x is always longitude.
  std::unique_ptr<PJ, PjDeleter> pj(proj_normalize_for_visualization(ctx.get(), raw.get()));
  if (!pj) throw DataError("PROJ cannot normalise the EPSG:4326 -> EPSG:27700 transformation");
  static_assert(sizeof(Point) == 2 * sizeof(double));
  double* xs = &pts[0].x;
  double* ys = &pts[0].y;
  proj_trans_generic(pj.get(), PJ_FWD, xs, sizeof(Point), pts.size(), ys, sizeof(Point),
                     pts.size(), nullptr, 0, 0, nullptr, 0, 0);
}

}  // namespace lotwright::geo::detail
