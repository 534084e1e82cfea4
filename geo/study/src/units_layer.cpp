#include "units_layer.hpp"

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/geos.hpp"
#include "lotwright/gis/proj.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/gis/geometry.hpp"

namespace lotwright::geo::detail {
namespace {

Ring ring_of(const OGRLinearRing* r, bool swap, const CrsTransform& tr, const std::string& at) {
  Ring out;
  if (!r) return out;
  for (int i = 0; i < r->getNumPoints(); ++i) {
    Point p = swap ? Point{r->getY(i), r->getX(i)} : Point{r->getX(i), r->getY(i)};
    const Point before = p;
    if (!tr.apply(p))
      throw DataError(at + "point (" + std::to_string(before.x) + ", " +
                      std::to_string(before.y) + ") cannot be transformed to EPSG:27700");
    out.push_back(p);
  }
  if (!out.empty() && !(out.front() == out.back())) out.push_back(out.front());
  return out;
}

// Valid polygons of `mp` (GEOSMakeValid when GEOS finds it invalid; reported).
MultiPolygon made_valid(const MultiPolygon& mp, const std::string& at,
                        std::vector<std::string>& warnings) {
  GeosPtr g = to_geos(mp);
  if (GEOSisValid_r(geos(), g.get()) == 1) return mp;
  GeosPtr fixed = geos_check(GEOSMakeValid_r(geos(), g.get()), (at + "invalid polygon").c_str());
  warnings.push_back(at + "invalid polygon repaired with GEOSMakeValid");
  return to_multipolygon(fixed.get());
}

}  // namespace

std::vector<UnitPolygon> read_unit_polygons(const UnitsConfig& config,
                                            std::vector<std::string>& warnings) {
  const std::filesystem::path& path = config.path;
  const OpenLayer opened = open_layer(path, config.layer);
  OGRLayer* layer = opened.get();
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  const int field = config.id.empty() ? -1 : defn->GetFieldIndex(config.id.c_str());
  if (field < 0) {
    std::string columns;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
      columns += (i ? ", " : "") + std::string(defn->GetFieldDefn(i)->GetNameRef());
    throw DataError(where(path) + "column \"" + config.id +
                    "\" ([units] id) not found; the columns are: " + columns);
  }
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  std::string crs = crs_string(srs);
  if (crs.empty()) {
    crs = "EPSG:27700";
    warnings.push_back(where(path) + "the units layer has no CRS; assumed EPSG:27700");
  }
  const bool swap = data_axis_north_first(srs);
  std::unique_ptr<CrsTransform> tr;
  try {
    tr = std::make_unique<CrsTransform>(crs, "EPSG:27700");
  } catch (const DataError& e) {
    throw DataError(where(path) + e.what());
  }

  std::map<std::string, std::vector<MultiPolygon>> by_id;  // ordered: sorted by id
  long feature_no = 0;
  layer->ResetReading();
  for (auto& feature : *layer) {
    ++feature_no;
    const std::string at = where(path) + "feature " + std::to_string(feature_no) + ": ";
    const std::string id = feature->IsFieldSetAndNotNull(field) ? feature->GetFieldAsString(field)
                                                                : std::string();
    if (id.empty())
      throw DataError(at + "column \"" + config.id + "\": a unit id was expected, found none");
    const OGRGeometry* g0 = feature->GetGeometryRef();
    if (!g0 || g0->IsEmpty())
      throw DataError(at + "unit \"" + id + "\" has no geometry (a polygon was expected)");
    std::unique_ptr<OGRGeometry> g(g0->hasCurveGeometry() ? g0->getLinearGeometry()
                                                          : g0->clone());
    const auto flat = wkbFlatten(g->getGeometryType());
    if (flat != wkbPolygon && flat != wkbMultiPolygon)
      throw DataError(at + "unit \"" + id + "\": a polygon was expected, found a " +
                      g->getGeometryName());
    std::unique_ptr<OGRGeometry> mp(OGRGeometryFactory::forceToMultiPolygon(g.release()));
    MultiPolygon ours;
    for (const OGRPolygon* p : *mp->toMultiPolygon()) {
      Polygon poly;
      poly.outer = ring_of(p->getExteriorRing(), swap, *tr, at);
      for (int i = 0; i < p->getNumInteriorRings(); ++i)
        poly.holes.push_back(ring_of(p->getInteriorRing(i), swap, *tr, at));
      if (poly.outer.size() >= 4) ours.push_back(std::move(poly));
    }
    if (ours.empty()) throw DataError(at + "unit \"" + id + "\" has no area");
    by_id[id].push_back(made_valid(ours, at, warnings));
  }
  if (by_id.empty()) throw DataError(where(path) + "the units layer has no features");

  std::vector<UnitPolygon> out;
  out.reserve(by_id.size());
  long merged = 0;
  for (auto& [id, parts] : by_id) {
    UnitPolygon u;
    u.id = id;
    if (parts.size() == 1) {
      u.cell = std::move(parts.front());
    } else {
      std::vector<const MultiPolygon*> ptrs;
      for (const MultiPolygon& p : parts) ptrs.push_back(&p);
      u.cell = dissolve(ptrs);
      ++merged;
    }
    out.push_back(std::move(u));
  }
  if (merged > 0)
    warnings.push_back(where(path) + std::to_string(merged) +
                       " unit ids appear on several features; their polygons were joined");
  return out;
}

}  // namespace lotwright::geo::detail
