#include "lotwright/gis/proj.hpp"

#include <proj.h>

#include <cmath>
#include <cstdio>

#include "lotwright/core/error.hpp"

namespace lotwright::geo::detail {
namespace {

// One PROJ context per thread, destroyed when the thread ends.
// PROJ's own log goes nowhere: failures come back as DataError with the reason.
struct ThreadContext {
  PJ_CONTEXT* ctx = [] {
    PJ_CONTEXT* c = proj_context_create();
    proj_log_level(c, PJ_LOG_NONE);
    return c;
  }();
  ~ThreadContext() { proj_context_destroy(ctx); }
};

PJ_CONTEXT* proj_context() {
  thread_local ThreadContext tc;
  return tc.ctx;
}

struct PjDeleter {
  void operator()(PJ* p) const { proj_destroy(p); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

std::string last_error(PJ_CONTEXT* ctx) {
  const int e = proj_context_errno(ctx);
  const char* s = e ? proj_context_errno_string(ctx, e) : nullptr;
  return s ? s : "unknown CRS";
}

}  // namespace

struct CrsTransform::Impl {
  PjPtr pj;
};

CrsTransform::CrsTransform(const std::string& from_crs, const std::string& to_crs)
    : impl_(std::make_unique<Impl>()), from_(from_crs), to_(to_crs) {
  PJ_CONTEXT* ctx = proj_context();
  for (const std::string* c : {&from_crs, &to_crs}) {
    PjPtr crs(proj_create(ctx, c->c_str()));
    if (!crs) {
      const std::string why = last_error(ctx);
      throw DataError("unknown CRS \"" + crs_label(*c) + "\" (" + why +
                      "); give e.g. \"EPSG:27700\" or \"EPSG:4326\"");
    }
  }
  if (from_crs == to_crs) {
    identity_ = true;
    return;
  }
  PjPtr raw(proj_create_crs_to_crs(ctx, from_crs.c_str(), to_crs.c_str(), nullptr));
  if (!raw)
    throw DataError("no transformation from \"" + crs_label(from_crs) + "\" to \"" +
                    crs_label(to_crs) + "\": " + last_error(ctx));
  PjPtr norm(proj_normalize_for_visualization(ctx, raw.get()));
  if (!norm)
    throw DataError("cannot normalise the axis order of \"" + crs_label(from_crs) +
                    "\": " + last_error(ctx));
  impl_->pj = std::move(norm);
}

CrsTransform::~CrsTransform() = default;

bool CrsTransform::apply(Point& p) const {
  if (identity_) return std::isfinite(p.x) && std::isfinite(p.y);
  PJ_COORD c = proj_coord(p.x, p.y, 0, 0);
  PJ_COORD r = proj_trans(impl_->pj.get(), PJ_FWD, c);
  if (r.xy.x == HUGE_VAL || r.xy.y == HUGE_VAL || !std::isfinite(r.xy.x) ||
      !std::isfinite(r.xy.y)) {
    proj_errno_reset(impl_->pj.get());
    return false;
  }
  p = Point{r.xy.x, r.xy.y};
  return true;
}

void CrsTransform::apply_all(std::vector<Point>& pts,
                             const std::function<std::string(std::size_t)>& name) const {
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (apply(pts[i])) continue;
    char at[96];
    std::snprintf(at, sizeof at, " at (%.9g, %.9g)", pts[i].x, pts[i].y);
    throw DataError((name ? name(i) : "point " + std::to_string(i)) + at +
                    " cannot be transformed from " + crs_label(from_) + " to " + crs_label(to_) +
                    " (outside its domain)");
  }
}

std::string crs_label(const std::string& crs) {
  if (crs.size() <= 60) return crs;
  PJ_CONTEXT* ctx = proj_context();
  PjPtr p(proj_create(ctx, crs.c_str()));
  if (p) {
    if (const char* name = proj_get_name(p.get())) return name;
  }
  return crs.substr(0, 57) + "...";
}

}  // namespace lotwright::geo::detail
