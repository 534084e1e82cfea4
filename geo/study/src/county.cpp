// County inputs: boundary (GDAL + GEOS), postcode directory, demand, rural class and
// population joins. Everything is reprojected to EPSG:27700 with PROJ on input.
#include "lotwright/study/county.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/geos.hpp"
#include "lotwright/gis/proj.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"

namespace lotwright::geo {
namespace {

// Sane bounds for one demand row (docs/robustness.md): a postcode never needs more.
constexpr double kMaxRowHours = 100000;  // weekly hours
constexpr double kMaxRowCustomers = 10000;

namespace fs = std::filesystem;

constexpr const char* kCrs = "EPSG:27700";
// Postcode points this close outside the boundary (coastline generalisation, a pier: Ryde
// pier head PO33 2HF is ~600 m off the generalised coast) are moved just inside it rather
// than losing their demand...
constexpr double kCoastSnapM = 1000;
// ...but when many postcodes lie outside, the file is not cut to the area (a national
// Code-Point Open, say): then only points within kBorderSnapM are moved, so a neighbouring
// council's postcodes near a land border are not pulled in.
constexpr double kBorderSnapM = 100;
constexpr double kCutFileOutsideShare = 0.05;

// ---------------------------------------------------------------- GEOS (detail/geos.hpp)

using detail::GeosPtr;
using detail::PreparedPtr;

// DataError "FILE: what: GEOS's message".
[[noreturn]] void geos_fail(const fs::path& file, const std::string& what) {
  try {
    detail::geos_fail(what.c_str());
  } catch (const DataError& e) {
    throw DataError(where(file) + e.what());
  }
}

// ---------------------------------------------------------------- small helpers

std::string fmt(const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

std::string hours_text(double h) { return fmt("%.1f h/week", h); }

std::string first_few(const std::vector<std::string>& items, std::size_t n = 5) {
  std::string s;
  for (std::size_t i = 0; i < items.size() && i < n; ++i) s += (i ? ", " : "") + items[i];
  if (items.size() > n) s += ", ...";
  return s;
}

// Appends ring points (x east first) from an OGR ring.
Ring ogr_ring(const OGRLinearRing* r, bool swap) {
  Ring out;
  if (!r) return out;
  out.reserve(static_cast<std::size_t>(r->getNumPoints()) + 1);
  for (int i = 0; i < r->getNumPoints(); ++i)
    out.push_back(swap ? Point{r->getY(i), r->getX(i)} : Point{r->getX(i), r->getY(i)});
  if (!out.empty() && !(out.front() == out.back())) out.push_back(out.front());
  return out;
}

struct Directory {
  std::map<std::string, std::size_t> index;  // normalised postcode -> County::postcodes
};

}  // namespace

// ---------------------------------------------------------------- postcodes

std::string normalise_postcode(std::string_view raw) {
  std::string s;
  for (char c : raw) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (!std::isalnum(static_cast<unsigned char>(c))) return "";
    s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (s == "GIR0AA") return "GIR 0AA";
  if (s.size() < 5 || s.size() > 7) return "";
  const std::string out = s.substr(0, s.size() - 3), in = s.substr(s.size() - 3);
  auto alpha = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(in[0]) || !alpha(in[1]) || !alpha(in[2])) return "";
  // Outward code: A9, A99, AA9, AA99, A9A, AA9A.
  const std::size_t n = out.size();
  bool ok = false;
  if (n == 2) ok = alpha(out[0]) && digit(out[1]);
  if (n == 3)
    ok = alpha(out[0]) && ((digit(out[1]) && (digit(out[2]) || alpha(out[2]))) ||
                           (alpha(out[1]) && digit(out[2])));
  if (n == 4)
    ok = alpha(out[0]) && alpha(out[1]) && digit(out[2]) && (digit(out[3]) || alpha(out[3]));
  if (!ok) return "";
  return out + " " + in;
}

std::string postcode_sector(std::string_view postcode) {
  const std::string n = normalise_postcode(postcode);
  if (n.empty()) return "";
  return n.substr(0, n.size() - 2);
}

// ---------------------------------------------------------------- CRS

std::vector<Point> transform_points(const std::vector<Point>& pts, const std::string& from_crs,
                                    const std::string& to_crs) {
  detail::CrsTransform tr(from_crs, to_crs);
  std::vector<Point> out = pts;
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!tr.apply(out[i]))
      throw DataError(fmt("point %zu (%.6f, %.6f) cannot be transformed from ", i + 1, pts[i].x,
                          pts[i].y) +
                      detail::crs_label(from_crs) + " to " + detail::crs_label(to_crs));
  return out;
}

// ---------------------------------------------------------------- boundary

MultiPolygon read_boundary(const fs::path& path, const std::string& layer_name,
                           std::vector<std::string>* warnings) {
  const detail::OpenLayer opened = detail::open_layer(path, layer_name);
  OGRLayer* layer = opened.get();
  detail::GdalErrorCapture gdal_errors;  // GDAL's diagnostics stay off stderr
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  std::string crs = detail::crs_string(srs);
  if (crs.empty()) {
    crs = kCrs;
    if (warnings)
      warnings->push_back(where(path) + "the boundary has no CRS; assumed EPSG:27700");
  }
  const bool swap = detail::data_axis_north_first(srs);
  detail::CrsTransform tr = [&]() {
    try {
      return detail::CrsTransform(crs, kCrs);
    } catch (const DataError& e) {
      throw DataError(where(path) + e.what());
    }
  }();
  auto h = detail::geos();
  std::vector<GeosPtr> parts;
  long feature_no = 0;
  layer->ResetReading();
  for (auto& feature : *layer) {
    ++feature_no;
    const OGRGeometry* g0 = feature->GetGeometryRef();
    if (!g0 || g0->IsEmpty()) {
      if (warnings)
        warnings->push_back(where(path) + fmt("feature %ld has no geometry; skipped", feature_no));
      continue;
    }
    std::unique_ptr<OGRGeometry> g(g0->hasCurveGeometry() ? g0->getLinearGeometry()
                                                          : g0->clone());
    const auto flat = wkbFlatten(g->getGeometryType());
    if (flat != wkbPolygon && flat != wkbMultiPolygon && flat != wkbGeometryCollection)
      throw DataError(where(path) + fmt("feature %ld: expected a polygon, got a ", feature_no) +
                      g->getGeometryName() + " (the boundary must be a polygon layer)");
    std::unique_ptr<OGRGeometry> mp(OGRGeometryFactory::forceToMultiPolygon(g.release()));
    MultiPolygon ours;
    for (const OGRPolygon* p : *mp->toMultiPolygon()) {
      Polygon poly;
      poly.outer = ogr_ring(p->getExteriorRing(), swap);
      for (int i = 0; i < p->getNumInteriorRings(); ++i)
        poly.holes.push_back(ogr_ring(p->getInteriorRing(i), swap));
      for (Ring* r : [&] {
             std::vector<Ring*> rs{&poly.outer};
             for (auto& hole : poly.holes) rs.push_back(&hole);
             return rs;
           }()) {
        for (Point& pt : *r) {
          const Point before = pt;
          if (!tr.apply(pt))
            throw DataError(where(path) +
                            fmt("feature %ld: point (%.6f, %.6f) cannot be transformed from ",
                                feature_no, before.x, before.y) +
                            detail::crs_label(crs) + " to EPSG:27700 (wrong CRS?)");
        }
      }
      // Rings need 4 points; drop degenerate holes, and degenerate shells with them.
      poly.holes.erase(std::remove_if(poly.holes.begin(), poly.holes.end(),
                                      [](const Ring& r) { return r.size() < 4; }),
                       poly.holes.end());
      if (poly.outer.size() >= 4) ours.push_back(std::move(poly));
    }
    if (ours.empty()) continue;
    GeosPtr geom = detail::to_geos(ours);
    if (!geom) geos_fail(path, fmt("feature %ld: invalid polygon", feature_no));
    const char valid = GEOSisValid_r(h, geom.get());
    if (valid != 1) {
      char* reason = GEOSisValidReason_r(h, geom.get());
      const std::string why = reason ? reason : "invalid";
      GEOSFree_r(h, reason);
      GeosPtr fixed(GEOSMakeValid_r(h, geom.get()));
      if (!fixed) geos_fail(path, fmt("feature %ld: invalid geometry cannot be repaired", feature_no));
      if (warnings)
        warnings->push_back(where(path) + fmt("feature %ld: invalid geometry (", feature_no) + why +
                            ") repaired with GEOSMakeValid");
      geom = std::move(fixed);
    }
    parts.push_back(std::move(geom));
  }
  if (parts.empty()) throw DataError(where(path) + "no polygon features in the boundary layer");

  const std::size_t features = parts.size();
  GeosPtr all = detail::make_collection(parts);
  GeosPtr dissolved(GEOSUnaryUnion_r(h, all.get()));
  if (!dissolved) geos_fail(path, "cannot dissolve the boundary features");
  const MultiPolygon out = detail::to_multipolygon(dissolved.get());
  if (out.empty()) throw DataError(where(path) + "the boundary has no area");
  if (features > 1 && warnings)
    warnings->push_back(where(path) + fmt("%zu features dissolved into one boundary (%zu parts)",
                                          features, out.size()));
  return out;
}

// ---------------------------------------------------------------- county

namespace {

double multipolygon_area(const MultiPolygon& mp) { return detail::geos_area(detail::to_geos(mp).get()); }

void read_postcodes(const Config& cfg, County& c, Directory& dir,
                    std::vector<std::string>& rural_keys, std::vector<std::string>& pop_keys) {
  const PostcodesConfig& pc = cfg.postcodes;
  const detail::LayerInfo info = detail::layer_info(pc.path, pc.layer);
  auto has_col = [&](const std::string& name) {
    if (name.empty()) return false;
    for (const auto& col : info.columns)
      if (col.size() == name.size() &&
          std::equal(col.begin(), col.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          }))
        return true;
    return false;
  };
  // x/y columns when the file has them (CSV); otherwise the layer's point geometry.
  const bool use_xy = (has_col(pc.x) && has_col(pc.y)) || !info.has_geometry;
  std::vector<std::string> cols{pc.id, use_xy ? pc.x : "", use_xy ? pc.y : ""};
  cols.push_back(cfg.rural ? cfg.rural->postcode_key : "");
  cols.push_back(cfg.population ? cfg.population->postcode_key : "");
  const Table t = read_table(pc.path, pc.layer, cols);

  std::string crs = pc.crs;
  if (!use_xy && !t.crs_wkt.empty()) crs = t.crs_wkt;
  detail::CrsTransform tr = [&]() {
    try {
      return detail::CrsTransform(crs, kCrs);
    } catch (const DataError& e) {
      throw DataError(where(pc.path) + e.what());
    }
  }();

  std::vector<std::string> dups;
  for (const TableRow& row : t.rows) {
    const std::string id = normalise_postcode(row.values[0]);
    if (id.empty())
      throw DataError(where(pc.path, row.line) + "column \"" + pc.id + "\": \"" + row.values[0] +
                      "\" is not a postcode (expected e.g. \"PO30 1AE\")");
    Point p;
    if (use_xy) {
      p.x = parse_number(row.values[1], pc.path, row.line, pc.x, true);
      p.y = parse_number(row.values[2], pc.path, row.line, pc.y, true);
    } else {
      if (!row.point)
        throw DataError(where(pc.path, row.line) + "postcode \"" + id +
                        "\": expected a point geometry (or x/y columns \"" + pc.x + "\", \"" +
                        pc.y + "\")");
      p = *row.point;
    }
    const Point src = p;
    if (!tr.apply(p))
      throw DataError(where(pc.path, row.line) +
                      fmt("postcode \"%s\": (%.6f, %.6f) cannot be transformed from ", id.c_str(),
                          src.x, src.y) +
                      detail::crs_label(crs) + " to EPSG:27700 (wrong [postcodes] crs?)");
    if (dir.index.count(id)) {
      dups.push_back(id);
      continue;
    }
    dir.index.emplace(id, c.postcodes.size());
    PostcodeRecord r;
    r.id = id;
    r.site = p;
    c.postcodes.push_back(std::move(r));
    rural_keys.push_back(row.values[3]);
    pop_keys.push_back(row.values[4]);
  }
  if (!dups.empty())
    c.warnings.push_back(where(pc.path) +
                         fmt("%zu postcodes appear more than once; the first row of each is used (",
                             dups.size()) +
                         first_few(dups) + ")");
  c.postcodes_read = static_cast<long>(c.postcodes.size());
}

void mark_inside(const Config& cfg, County& c) {
  auto h = detail::geos();
  GeosPtr boundary = detail::to_geos(c.boundary);
  PreparedPtr prepared = detail::geos_prepare(boundary.get());
  if (!prepared) geos_fail(cfg.area.boundary, "cannot prepare the boundary");
  long snapped = 0, outside_before = 0;
  std::vector<std::string> outside;
  for (auto& r : c.postcodes) {
    GeosPtr pt(GEOSGeom_createPointFromXY_r(h, r.site.x, r.site.y));
    r.inside = GEOSPreparedIntersects_r(h, prepared.get(), pt.get()) == 1;
    outside_before += r.inside ? 0 : 1;
  }
  const double snap_m =
      static_cast<double>(outside_before) <=
              kCutFileOutsideShare * static_cast<double>(c.postcodes.size())
          ? kCoastSnapM
          : kBorderSnapM;
  for (auto& r : c.postcodes) {
    if (r.inside) continue;
    GeosPtr pt(GEOSGeom_createPointFromXY_r(h, r.site.x, r.site.y));
    double d = 0;
    if (GEOSPreparedDistance_r(h, prepared.get(), pt.get(), &d) == 1 && d <= snap_m) {
      // Move the point just inside the boundary, along the line to its nearest point.
      GEOSCoordSequence* near = GEOSPreparedNearestPoints_r(h, prepared.get(), pt.get());
      if (near) {
        double bx = 0, by = 0;
        GEOSCoordSeq_getXY_r(h, near, 0, &bx, &by);
        GEOSCoordSeq_destroy_r(h, near);
        const double dx = bx - r.site.x, dy = by - r.site.y;
        const double len = std::hypot(dx, dy);
        for (double extra : {1.0, 0.1, 0.0}) {
          const Point q = len > 0 ? Point{bx + dx / len * extra, by + dy / len * extra}
                                  : Point{bx, by};
          GeosPtr qp(GEOSGeom_createPointFromXY_r(h, q.x, q.y));
          if (GEOSPreparedIntersects_r(h, prepared.get(), qp.get()) == 1) {
            r.site = q;
            r.inside = true;
            ++snapped;
            break;
          }
        }
      }
    }
    if (!r.inside) outside.push_back(r.id);
  }
  for (const auto& r : c.postcodes) c.postcodes_inside += r.inside ? 1 : 0;
  if (snapped > 0)
    c.warnings.push_back(
        fmt("%ld postcodes lay less than %.0f m outside the boundary (coastline generalisation) "
            "and were moved just inside it",
            snapped, snap_m));
  if (c.postcodes_inside == 0) {
    double minx = HUGE_VAL, miny = HUGE_VAL, maxx = -HUGE_VAL, maxy = -HUGE_VAL;
    for (const auto& r : c.postcodes) {
      minx = std::min(minx, r.site.x), maxx = std::max(maxx, r.site.x);
      miny = std::min(miny, r.site.y), maxy = std::max(maxy, r.site.y);
    }
    double bx0 = HUGE_VAL, by0 = HUGE_VAL, bx1 = -HUGE_VAL, by1 = -HUGE_VAL;
    for (const auto& p : c.boundary)
      for (const auto& q : p.outer) {
        bx0 = std::min(bx0, q.x), bx1 = std::max(bx1, q.x);
        by0 = std::min(by0, q.y), by1 = std::max(by1, q.y);
      }
    throw DataError(
        where(cfg.postcodes.path) +
        fmt("none of the %ld postcodes lies inside the boundary %s; wrong CRS? ([postcodes] crs "
            "= \"%s\"; the points span x %.0f..%.0f, y %.0f..%.0f in EPSG:27700, the boundary "
            "x %.0f..%.0f, y %.0f..%.0f)",
            c.postcodes_read, cfg.area.boundary.string().c_str(),
            detail::crs_label(cfg.postcodes.crs).c_str(), minx, maxx, miny, maxy, bx0, bx1, by0,
            by1));
  }
  if (!outside.empty())
    c.warnings.push_back(
        where(cfg.postcodes.path) +
        fmt("%zu postcodes lie outside the boundary and are not used (", outside.size()) +
        first_few(outside) + ")");
}

void join_rural(const RuralConfig& rc, County& c, const std::vector<std::string>& keys) {
  const Table t = read_table(rc.path, rc.layer, {rc.key, rc.cls});
  std::map<std::string, std::string> cls;
  for (const TableRow& row : t.rows) {
    const std::string& k = row.values[0];
    if (k.empty()) continue;
    auto [it, fresh] = cls.emplace(k, row.values[1]);
    if (!fresh && it->second != row.values[1])
      throw DataError(where(rc.path, row.line) + "column \"" + rc.key + "\": \"" + k +
                      "\" appears twice with different classes (\"" + it->second + "\", \"" +
                      row.values[1] + "\")");
  }
  c.has_rural = true;
  long missing = 0;
  for (std::size_t i = 0; i < c.postcodes.size(); ++i) {
    auto it = cls.find(keys[i]);
    c.postcodes[i].rural = it == cls.end() ? "" : it->second;
    if (!c.postcodes[i].inside) continue;
    if (c.postcodes[i].rural.empty())
      ++missing;
    else
      ++c.rural_matched;
  }
  if (missing > 0)
    c.warnings.push_back(where(rc.path) +
                         fmt("%ld postcodes inside the boundary have no rural class (their \"",
                             missing) +
                         rc.postcode_key + "\" is not a \"" + rc.key + "\" of this file)");
}

void join_population(const PopulationConfig& pc, County& c, const std::vector<std::string>& keys) {
  const Table t = read_table(pc.path, pc.layer, {pc.key, pc.count});
  std::map<std::string, double> count;
  std::map<std::string, long> line_of;
  for (const TableRow& row : t.rows) {
    const std::string& k = row.values[0];
    if (k.empty()) continue;
    const double v = parse_number(row.values[1], pc.path, row.line, pc.count);
    if (line_of.count(k))
      throw DataError(where(pc.path, row.line) + "column \"" + pc.key + "\": \"" + k +
                      "\" appears twice (first at line " + std::to_string(line_of[k]) + ")");
    count[k] = v;
    line_of[k] = row.line;
  }
  std::map<std::string, long> members;
  for (std::size_t i = 0; i < c.postcodes.size(); ++i) {
    c.postcodes[i].area_key = keys[i];
    if (c.postcodes[i].inside && !keys[i].empty()) ++members[keys[i]];
  }
  for (auto& r : c.postcodes) {
    if (!r.inside) continue;
    auto it = count.find(r.area_key);
    if (it != count.end()) r.population = it->second / static_cast<double>(members[r.area_key]);
  }
  if (std::none_of(members.begin(), members.end(),
                   [&](const auto& m) { return count.count(m.first) > 0; }))
    c.warnings.push_back(where(pc.path) + "no postcode's \"" + pc.postcode_key +
                         "\" matches a \"" + pc.key +
                         "\" of this file; check [population] key and postcode_key");
  long lost_areas = 0;
  double lost = 0;
  for (const auto& [k, v] : count)
    if (!members.count(k)) ++lost_areas, lost += v;
  if (lost_areas > 0)
    c.warnings.push_back(where(pc.path) +
                         fmt("%ld areas (%.0f people in column \"%s\") have no postcode inside "
                             "the boundary; their population is not used",
                             lost_areas, lost, pc.count.c_str()));
}

void read_demand(const DemandConfig& dc, County& c, const Directory& dir) {
  const Table t = read_table(dc.path, dc.layer, {dc.postcode, dc.hours, dc.customers,
                                                  dc.unmet_hours});
  c.has_demand = true;
  DemandSummary& s = c.demand;
  std::map<std::string, long> first_line;
  std::vector<std::string> dup_ids;
  double dup_hours = 0;
  // Unassigned demand, summed per postcode and reason (ordered, so output is reproducible).
  std::map<std::pair<std::string, std::string>, UnassignedDemand> lost;
  std::vector<std::pair<std::string, std::string>> lost_order;
  for (const TableRow& row : t.rows) {
    // Sane bounds a row (docs/robustness.md): sums of them stay exact in a double.
    const double hours =
        parse_bounded(row.values[1], dc.path, row.line, dc.hours, kMaxRowHours, "hours a row");
    const double customers = dc.customers.empty()
                                 ? 1.0
                                 : parse_bounded(row.values[2], dc.path, row.line, dc.customers,
                                                 kMaxRowCustomers, "customers a row");
    double unmet = 0;
    if (!dc.unmet_hours.empty() && !row.values[3].empty()) {
      unmet = parse_number(row.values[3], dc.path, row.line, dc.unmet_hours);
      if (unmet > hours + 1e-9)
        throw DataError(where(dc.path, row.line) + "column \"" + dc.unmet_hours + "\": \"" +
                        row.values[3] + "\" must be a number between 0 and " + dc.hours + " (" +
                        row.values[1] + ")");
    }
    ++s.rows;
    s.total_hours += hours;
    s.total_customers += customers;
    s.unmet_hours += unmet;
    const std::string id = normalise_postcode(row.values[0]);
    const std::string key = id.empty() ? row.values[0] : id;
    if (auto [it, fresh] = first_line.emplace(key, row.line); !fresh) {
      ++s.duplicate_rows;
      dup_hours += hours;
      if (std::find(dup_ids.begin(), dup_ids.end(), key) == dup_ids.end()) dup_ids.push_back(key);
    }
    std::string reason;
    auto it = id.empty() ? dir.index.end() : dir.index.find(id);
    if (row.values[0].empty())
      reason = "no postcode given";
    else if (id.empty())
      reason = "not a postcode";
    else if (it == dir.index.end())
      reason = "not in the postcode directory";
    else if (!c.postcodes[it->second].inside)
      reason = "outside the boundary";
    if (reason.empty()) {
      PostcodeRecord& r = c.postcodes[it->second];
      r.hours += hours;
      r.customers += customers;
      r.unmet_hours += unmet;
      ++s.matched_rows;
      s.matched_hours += hours;
      s.matched_customers += customers;
      continue;
    }
    ++s.unmatched_rows;
    s.unmatched_hours += hours;
    s.unmatched_customers += customers;
    const auto k = std::make_pair(reason, key);
    auto [lit, fresh] = lost.try_emplace(k);
    if (fresh) {
      lit->second.postcode = key;
      lit->second.reason = reason;
      lost_order.push_back(k);
    }
    lit->second.hours += hours;
    lit->second.customers += customers;
  }
  for (const auto& k : lost_order) c.unassigned.push_back(lost.at(k));

  if (s.duplicate_rows > 0)
    c.warnings.push_back(where(dc.path) +
                         fmt("%ld duplicate demand rows (postcodes given more than once) were "
                             "summed; they carry %s (",
                             s.duplicate_rows, hours_text(dup_hours).c_str()) +
                         first_few(dup_ids) + ")");
  // One warning per reason, with the count of postcodes, rows' hours and customers.
  std::map<std::string, std::tuple<long, double, double, std::vector<std::string>>> by_reason;
  for (const auto& u : c.unassigned) {
    auto& [n, h, cu, ids] = by_reason[u.reason];
    ++n, h += u.hours, cu += u.customers;
    ids.push_back(u.postcode.empty() ? "(blank)" : u.postcode);
  }
  for (const auto& [reason, v] : by_reason) {
    const auto& [n, h, cu, ids] = v;
    c.warnings.push_back(where(dc.path) +
                         fmt("%ld demand postcodes %s: %s, %.0f customers not assigned to any "
                             "unit (",
                             n, reason == "not in the postcode directory" ? "unmatched (not in the postcode directory)"
                                                                          : reason.c_str(),
                             hours_text(h).c_str(), cu) +
                         first_few(ids) + ")");
  }
  if (s.rows > 0 && s.matched_rows == 0)
    c.warnings.push_back(where(dc.path) +
                         "no demand row matched a postcode inside the boundary; is \"" +
                         dc.postcode + "\" the postcode column?");
}

}  // namespace

County load_county(const Config& config, const LoadOptions& options) {
  County c;
  c.name = config.area.name;
  c.boundary = read_boundary(config.area.boundary, config.area.layer, &c.warnings);
  c.boundary_area_km2 = multipolygon_area(c.boundary) / 1e6;

  Directory dir;
  std::vector<std::string> rural_keys, pop_keys;
  read_postcodes(config, c, dir, rural_keys, pop_keys);
  mark_inside(config, c);
  if (config.rural) join_rural(*config.rural, c, rural_keys);
  if (config.population) join_population(*config.population, c, pop_keys);
  if (options.demand && config.demand) read_demand(*config.demand, c, dir);
  return c;
}

}  // namespace lotwright::geo
