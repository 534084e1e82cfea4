// Postcode units: Voronoi cells of the postcode sites, clipped to the boundary.
// The rules (co-located sites, split cells, adjacency) are documented in docs/units.md.
#include "lotwright/study/units.hpp"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/register/point.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <map>
#include <numbers>
#include <string>
#include <utility>

#include "lotwright/core/error.hpp"
#include "lotwright/core/text.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/geos.hpp"
#include "units_layer.hpp"

BOOST_GEOMETRY_REGISTER_POINT_2D(lotwright::geo::Point, double, cs::cartesian, x, y)

namespace lotwright::geo {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BBox = bg::model::box<Point>;
using BoxValue = std::pair<BBox, int>;
using BoxTree = bgi::rtree<BoxValue, bgi::quadratic<16>>;
using PointValue = std::pair<Point, int>;
using PointTree = bgi::rtree<PointValue, bgi::quadratic<16>>;

using detail::geos;
using detail::GeosPtr;

// Co-located postcodes are spread on a circle of this radius (metres) around their point...
constexpr double kSpreadRadius = 5.0;
// ...but never farther than this share of the distance to the nearest other site.
constexpr double kSpreadShare = 0.4;
// Two segments closer than this (metres) are the same border.
constexpr double kBorderTolerance = 1e-4;
// Cells sharing less border than this (metres) only touch at a point: not neighbours.
constexpr double kMinBorder = 0.01;

struct Segment {
  Point a, b;
};

// A polygon with what the border measure needs.
struct Piece {
  Polygon poly;
  Box box;
  std::vector<Segment> segs;
  double area = 0;
};

Box box_of(const Polygon& p) { return bounds(MultiPolygon{p}); }

BBox to_bbox(const Box& b, double grow = 0) {
  return BBox({b.min_x - grow, b.min_y - grow}, {b.max_x + grow, b.max_y + grow});
}

bool boxes_meet(const Box& a, const Box& b, double grow) {
  return a.min_x <= b.max_x + grow && b.min_x <= a.max_x + grow && a.min_y <= b.max_y + grow &&
         b.min_y <= a.max_y + grow;
}

Piece make_piece(Polygon poly) {
  Piece p;
  p.poly = std::move(poly);
  p.box = box_of(p.poly);
  p.area = area(p.poly);
  auto add = [&](const Ring& r) {
    for (size_t i = 0; i + 1 < r.size(); ++i)
      if (!(r[i] == r[i + 1])) p.segs.push_back({r[i], r[i + 1]});
  };
  add(p.poly.outer);
  for (const Ring& h : p.poly.holes) add(h);
  return p;
}

// Length over which segment q runs along segment p (both within kBorderTolerance of p's line).
double overlap(const Segment& p, const Segment& q) {
  const double dx = p.b.x - p.a.x, dy = p.b.y - p.a.y;
  const double len = std::hypot(dx, dy);
  if (len <= 0) return 0;
  const double ux = dx / len, uy = dy / len;
  const double qax = q.a.x - p.a.x, qay = q.a.y - p.a.y;
  const double qbx = q.b.x - p.a.x, qby = q.b.y - p.a.y;
  if (std::abs(qax * uy - qay * ux) > kBorderTolerance) return 0;
  if (std::abs(qbx * uy - qby * ux) > kBorderTolerance) return 0;
  const double t0 = qax * ux + qay * uy, t1 = qbx * ux + qby * uy;
  const double lo = std::max(0.0, std::min(t0, t1));
  const double hi = std::min(len, std::max(t0, t1));
  return std::max(0.0, hi - lo);
}

bool segment_in_box(const Segment& s, const Box& b) {
  return std::max(s.a.x, s.b.x) >= b.min_x && std::min(s.a.x, s.b.x) <= b.max_x &&
         std::max(s.a.y, s.b.y) >= b.min_y && std::min(s.a.y, s.b.y) <= b.max_y;
}

// Length of the border two pieces share (metres).
double shared_border(const Piece& a, const Piece& b) {
  if (!boxes_meet(a.box, b.box, kBorderTolerance)) return 0;
  const Box common{std::max(a.box.min_x, b.box.min_x) - kBorderTolerance,
                   std::max(a.box.min_y, b.box.min_y) - kBorderTolerance,
                   std::min(a.box.max_x, b.box.max_x) + kBorderTolerance,
                   std::min(a.box.max_y, b.box.max_y) + kBorderTolerance};
  std::vector<const Segment*> sb;
  for (const Segment& s : b.segs)
    if (segment_in_box(s, common)) sb.push_back(&s);
  if (sb.empty()) return 0;
  double total = 0;
  for (const Segment& s : a.segs) {
    if (!segment_in_box(s, common)) continue;
    for (const Segment* t : sb) total += overlap(s, *t);
  }
  return total;
}

double point_segment_distance(Point p, const Segment& s) {
  const double dx = s.b.x - s.a.x, dy = s.b.y - s.a.y;
  const double l2 = dx * dx + dy * dy;
  double t = l2 > 0 ? ((p.x - s.a.x) * dx + (p.y - s.a.y) * dy) / l2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (s.a.x + t * dx), p.y - (s.a.y + t * dy));
}

double distance_to_piece(Point p, const Piece& piece) {
  if (contains(MultiPolygon{piece.poly}, p)) return 0;
  double d = INFINITY;
  for (const Segment& s : piece.segs) d = std::min(d, point_segment_distance(p, s));
  return d;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// Generator sites, one per unit: a postcode's own site, except that postcodes sharing one
// point are spread on a small circle around it (sorted by postcode, counter-clockwise from
// east), so that each gets its own cell and none is lost.
std::vector<Point> generator_sites(const std::vector<Point>& sites,
                                   std::vector<std::string>& warnings) {
  std::map<std::pair<double, double>, std::vector<int>> at;  // ordered: deterministic
  for (size_t i = 0; i < sites.size(); ++i)
    at[{sites[i].x, sites[i].y}].push_back(static_cast<int>(i));
  std::vector<Point> gen = sites;
  if (at.size() == sites.size()) return gen;

  std::vector<PointValue> distinct;
  distinct.reserve(at.size());
  for (const auto& [xy, members] : at)
    distinct.push_back({Point{xy.first, xy.second}, static_cast<int>(distinct.size())});
  const PointTree tree(distinct.begin(), distinct.end());
  long spread = 0, points = 0;
  double max_radius = 0;
  for (const auto& [xy, members] : at) {
    if (members.size() < 2) continue;
    const Point c{xy.first, xy.second};
    double radius = kSpreadRadius;
    std::vector<PointValue> near;
    tree.query(bgi::nearest(c, 2), std::back_inserter(near));
    for (const PointValue& v : near)
      if (!(v.first == c))
        radius = std::min(radius, kSpreadShare * std::hypot(v.first.x - c.x, v.first.y - c.y));
    const size_t k = members.size();
    for (size_t j = 0; j < k; ++j) {
      const double angle = 2 * std::numbers::pi * static_cast<double>(j) / static_cast<double>(k);
      gen[members[j]] = {c.x + radius * std::cos(angle), c.y + radius * std::sin(angle)};
    }
    spread += static_cast<long>(k);
    ++points;
    max_radius = std::max(max_radius, radius);
  }
  warnings.push_back(plural(spread, "postcode") + " share " + plural(points, "point") +
                     "; each was given its own cell by spreading them on a circle of " +
                     fmt("%.1f", max_radius) + " m at most around the shared point");
  return gen;
}

// Voronoi cells of `gen` (one GEOS polygon per site, matched back to its site index).
std::vector<GeosPtr> voronoi_cells(const std::vector<Point>& gen, const Box& frame) {
  std::vector<GeosPtr> cells(gen.size());
  GeosPtr points = detail::to_geos_points(gen);
  const double margin =
      std::max({1000.0, frame.max_x - frame.min_x, frame.max_y - frame.min_y}) * 0.5;
  const Polygon env{{{frame.min_x - margin, frame.min_y - margin},
                     {frame.max_x + margin, frame.min_y - margin},
                     {frame.max_x + margin, frame.max_y + margin},
                     {frame.min_x - margin, frame.max_y + margin},
                     {frame.min_x - margin, frame.min_y - margin}},
                    {}};
  GeosPtr envelope = detail::to_geos(env);
  GeosPtr diagram = detail::geos_check(
      GEOSVoronoiDiagram_r(geos(), points.get(), envelope.get(), 0.0, 0), "Voronoi diagram");

  // GEOS 3.11 does not keep the input order: find each cell's site inside it.
  std::vector<PointValue> values;
  values.reserve(gen.size());
  for (size_t i = 0; i < gen.size(); ++i) values.push_back({gen[i], static_cast<int>(i)});
  const PointTree tree(values.begin(), values.end());
  for (const GEOSGeometry* cell : detail::parts_of(diagram.get())) {
    if (GEOSGeomTypeId_r(geos(), cell) != GEOS_POLYGON) continue;
    const Polygon poly = detail::to_polygon(cell);
    const Box b = box_of(poly);
    std::vector<PointValue> hits;
    tree.query(bgi::intersects(to_bbox(b)), std::back_inserter(hits));
    std::sort(hits.begin(), hits.end(), [](auto& l, auto& r) { return l.second < r.second; });
    for (const PointValue& h : hits) {
      if (cells[h.second] || !contains(MultiPolygon{poly}, h.first)) continue;
      cells[h.second] = GeosPtr(GEOSGeom_clone_r(geos(), cell));
      break;
    }
  }
  return cells;
}

// The cell clipped to the boundary (cells wholly inside are not clipped).
MultiPolygon clip_to_boundary(const GEOSGeometry* cell, const GEOSGeometry* boundary,
                              const GEOSPreparedGeometry* prepared) {
  if (detail::geos_bool(GEOSPreparedContainsProperly_r(geos(), prepared, cell),
                        "units: cell inside the boundary"))
    return detail::to_multipolygon(cell);
  GeosPtr inter = detail::geos_check(GEOSIntersection_r(geos(), cell, boundary),
                                     "units: clipping a cell to the boundary");
  return detail::to_multipolygon(inter.get());
}

// Geometric adjacency of n cells (cell_of(u) -> const MultiPolygon&): pairs sharing a border
// longer than kMinBorder, sorted (a, b).
template <class CellOf>
std::vector<UnitEdge> geometric_borders(size_t n, const CellOf& cell_of) {
  std::vector<UnitEdge> edges;
  std::vector<std::vector<Piece>> parts(n);
  std::vector<BoxValue> values;
  std::vector<Box> unit_box(n);
  for (size_t u = 0; u < n; ++u) {
    if (cell_of(u).empty()) continue;
    for (const Polygon& p : cell_of(u)) parts[u].push_back(make_piece(p));
    unit_box[u] = bounds(cell_of(u));
    values.push_back({to_bbox(unit_box[u]), static_cast<int>(u)});
  }
  const BoxTree tree(values.begin(), values.end());
  for (size_t u = 0; u < n; ++u) {
    if (cell_of(u).empty()) continue;
    std::vector<BoxValue> hits;
    tree.query(bgi::intersects(to_bbox(unit_box[u], kBorderTolerance)), std::back_inserter(hits));
    std::vector<int> others;
    for (const BoxValue& h : hits)
      if (h.second > static_cast<int>(u)) others.push_back(h.second);
    std::sort(others.begin(), others.end());
    for (int v : others) {
      double len = 0;
      for (const Piece& a : parts[u])
        for (const Piece& b : parts[v]) len += shared_border(a, b);
      if (len > kMinBorder) edges.push_back({static_cast<int>(u), v, len});
    }
  }
  return edges;
}

void add_adjacency(Units& out) {
  out.edges = geometric_borders(out.units.size(),
                                [&](size_t u) -> const MultiPolygon& { return out.units[u].cell; });
}

// The cells must cover the boundary (within 0.1%); said when they do not.
void check_cover(const County& county, Units& out) {
  double cells_area = 0;
  for (const Unit& unit : out.units) cells_area += unit.area_m2;
  const double boundary_area = area(county.boundary);
  if (boundary_area > 0 && std::abs(cells_area - boundary_area) > 0.001 * boundary_area)
    out.warnings.push_back("units cover " + fmt("%.3f", cells_area / 1e6) +
                           " km2 but the boundary is " + fmt("%.3f", boundary_area / 1e6) + " km2");
}

// 1. The Voronoi cells of the generator sites clipped to the boundary, split into pieces
// (no_cell[u]: the diagram gave u no cell).
std::vector<std::vector<Piece>> clipped_pieces(const County& county, const std::vector<Point>& gen,
                                               Units& out, std::vector<bool>& no_cell) {
  const size_t n = gen.size();
  GeosPtr boundary = detail::to_geos(county.boundary);
  std::vector<std::vector<Piece>> pieces(n);
  no_cell.assign(n, false);
  if (n == 1) {
    for (const Polygon& p : county.boundary) pieces[0].push_back(make_piece(p));
  } else {
    Box frame = bounds(county.boundary);
    for (const Point& p : gen) {
      frame.min_x = std::min(frame.min_x, p.x);
      frame.min_y = std::min(frame.min_y, p.y);
      frame.max_x = std::max(frame.max_x, p.x);
      frame.max_y = std::max(frame.max_y, p.y);
    }
    std::vector<GeosPtr> cells = voronoi_cells(gen, frame);
    detail::PreparedPtr prepared = detail::geos_prepare(boundary.get());
    for (size_t u = 0; u < n; ++u) {
      if (!cells[u]) {
        no_cell[u] = true;
        out.warnings.push_back("postcode " + out.units[u].id +
                               ": the Voronoi diagram gave its site no cell; the unit is empty");
        continue;
      }
      MultiPolygon clipped = clip_to_boundary(cells[u].get(), boundary.get(), prepared.get());
      for (Polygon& p : clipped) {
        Piece piece = make_piece(std::move(p));
        if (piece.area > 0) pieces[u].push_back(std::move(piece));
      }
      cells[u].reset();
    }
  }

  return pieces;
}

struct Stray {
  int owner = 0;
  Piece piece;
  int to = -1;
};

struct KeptPieces {
  std::vector<Piece> kept;  // per unit: the piece holding its site
  std::vector<bool> has_kept;
  std::vector<Stray> strays;  // every other piece
};

// 2. Keep the piece holding the site (else the nearest; ties: the largest).
KeptPieces keep_site_pieces(std::vector<std::vector<Piece>>& pieces, const std::vector<Point>& gen,
                            const std::vector<bool>& no_cell, Units& out) {
  const size_t n = pieces.size();
  KeptPieces k;
  k.kept.resize(n);
  k.has_kept.assign(n, false);
  auto& kept = k.kept;
  auto& has_kept = k.has_kept;
  auto& strays = k.strays;
  for (size_t u = 0; u < n; ++u) {
    if (pieces[u].empty()) {
      if (!no_cell[u])
        out.warnings.push_back("postcode " + out.units[u].id +
                               ": its cell does not reach inside the boundary; the unit is empty");
      continue;
    }
    size_t best = 0;
    double best_d = INFINITY, best_area = -1;
    for (size_t k = 0; k < pieces[u].size(); ++k) {
      const double d = distance_to_piece(gen[u], pieces[u][k]);
      if (d < best_d || (d == best_d && pieces[u][k].area > best_area)) {
        best = k;
        best_d = d;
        best_area = pieces[u][k].area;
      }
    }
    if (best_d > 0)
      out.warnings.push_back("postcode " + out.units[u].id + ": its site lies " +
                             fmt("%.0f", best_d) +
                             " m outside its clipped cell; the nearest part was kept");
    for (size_t k = 0; k < pieces[u].size(); ++k) {
      if (k == best) continue;
      strays.push_back({static_cast<int>(u), std::move(pieces[u][k]), -1});
    }
    kept[u] = std::move(pieces[u][best]);
    has_kept[u] = true;
  }
  return k;
}

// 3. Stray parts join the neighbouring cell they share the longest border with. Decisions
// are made in rounds over all strays at once (a stray touching only other strays waits for
// them), so the result does not depend on the order strays are visited in.
void assign_strays(const std::vector<Piece>& kept, const std::vector<bool>& has_kept,
                   std::vector<Stray>& strays) {
  const size_t n = kept.size();
  if (strays.empty()) return;
  {
    std::vector<BoxValue> values;
    for (size_t u = 0; u < n; ++u)
      if (has_kept[u]) values.push_back({to_bbox(kept[u].box), static_cast<int>(u)});
    const BoxTree tree(values.begin(), values.end());
    for (;;) {
      std::vector<std::pair<size_t, int>> decisions;
      for (size_t s = 0; s < strays.size(); ++s) {
        if (strays[s].to >= 0) continue;
        const Piece& sp = strays[s].piece;
        std::map<int, double> border;  // unit -> shared border
        std::vector<BoxValue> hits;
        tree.query(bgi::intersects(to_bbox(sp.box, kBorderTolerance)), std::back_inserter(hits));
        for (const BoxValue& h : hits)
          if (h.second != strays[s].owner) border[h.second] += shared_border(sp, kept[h.second]);
        for (const Stray& other : strays)
          if (other.to >= 0 && other.to != strays[s].owner)
            border[other.to] += shared_border(sp, other.piece);
        int best = -1;
        double best_len = kMinBorder;
        for (const auto& [unit, len] : border)
          if (len > best_len) {
            best = unit;
            best_len = len;
          }
        if (best >= 0) decisions.push_back({s, best});
      }
      if (decisions.empty()) break;
      for (const auto& [s, to] : decisions) strays[s].to = to;
    }
  }
}

// 4. Final cells: the kept piece with the strays that joined it (dissolved); a stray that
// touches no other cell stays with its owner.
void final_cells(Units& out, const KeptPieces& k) {
  const size_t n = k.kept.size();
  const auto& kept = k.kept;
  const auto& has_kept = k.has_kept;
  const auto& strays = k.strays;
  std::vector<std::vector<const Piece*>> parts(n);
  for (size_t u = 0; u < n; ++u)
    if (has_kept[u]) parts[u].push_back(&kept[u]);
  for (const Stray& s : strays) {
    if (s.to >= 0) {
      parts[s.to].push_back(&s.piece);
    } else {
      parts[s.owner].push_back(&s.piece);
      out.warnings.push_back("postcode " + out.units[s.owner].id + ": a part of its cell (" +
                             fmt("%.0f", s.piece.area) +
                             " m2) touches no other cell (an island?); it stays with this unit");
    }
  }
  for (size_t u = 0; u < n; ++u) {
    Unit& unit = out.units[u];
    if (parts[u].size() == 1) {
      unit.cell = {parts[u][0]->poly};
    } else if (parts[u].size() > 1) {
      bool joined_strays = false;
      for (const Stray& s : strays)
        if (s.to == static_cast<int>(u)) joined_strays = true;
      if (joined_strays) {
        std::vector<const MultiPolygon*> ptrs;
        std::vector<MultiPolygon> mps;
        mps.reserve(parts[u].size());
        for (const Piece* p : parts[u]) mps.push_back({p->poly});
        for (const MultiPolygon& mp : mps) ptrs.push_back(&mp);
        unit.cell = dissolve(ptrs);
      } else {
        for (const Piece* p : parts[u]) unit.cell.push_back(p->poly);
      }
    }
    unit.area_m2 = area(unit.cell);
  }
}

}  // namespace

Units build_units(const County& county) {
  Units out;
  std::vector<int> order;
  for (size_t i = 0; i < county.postcodes.size(); ++i)
    if (county.postcodes[i].inside) order.push_back(static_cast<int>(i));
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return county.postcodes[a].id < county.postcodes[b].id; });
  if (order.empty()) {
    out.warnings.push_back("no postcode lies inside the boundary: there are no units");
    return out;
  }
  const size_t n = order.size();
  std::vector<Point> sites(n);
  for (size_t u = 0; u < n; ++u) sites[u] = county.postcodes[order[u]].site;
  const std::vector<Point> gen = generator_sites(sites, out.warnings);

  out.units.resize(n);
  for (size_t u = 0; u < n; ++u) {
    const PostcodeRecord& pc = county.postcodes[order[u]];
    Unit& unit = out.units[u];
    unit.id = pc.id;
    unit.site = gen[u];
    unit.hours = pc.hours;
    unit.customers = pc.customers;
    unit.unmet_hours = pc.unmet_hours;
    unit.rural = pc.rural;
    unit.postcodes = {order[u]};
  }

  std::vector<bool> no_cell;
  std::vector<std::vector<Piece>> pieces = clipped_pieces(county, gen, out, no_cell);
  KeptPieces k = keep_site_pieces(pieces, gen, no_cell, out);
  pieces.clear();
  assign_strays(k.kept, k.has_kept, k.strays);
  final_cells(out, k);
  k = {};

  add_adjacency(out);
  check_cover(county, out);
  return out;
}

std::vector<UnitEdge> cell_borders(const std::vector<MultiPolygon>& cells) {
  return geometric_borders(cells.size(), [&](size_t u) -> const MultiPolygon& { return cells[u]; });
}

Units build_units(const County& county, const UnitsConfig& layer) {
  Units out;
  std::vector<detail::UnitPolygon> polygons = detail::read_unit_polygons(layer, out.warnings);
  // PostGIS: the connection (no password) and table, as where() shows them.
  const std::string file = layer.path.string().rfind("PG:", 0) == 0
                               ? where(layer.path).substr(0, where(layer.path).size() - 2)
                               : layer.path.filename().string();

  // Polygons clipped to the boundary; those wholly outside it are no units.
  GeosPtr boundary = detail::to_geos(county.boundary);
  detail::PreparedPtr prepared = detail::geos_prepare(boundary.get());
  std::vector<std::string> outside;
  for (detail::UnitPolygon& p : polygons) {
    GeosPtr g = detail::to_geos(p.cell);
    MultiPolygon cell = clip_to_boundary(g.get(), boundary.get(), prepared.get());
    if (area(cell) <= 0) {
      outside.push_back(p.id);
      continue;
    }
    Unit unit;
    unit.id = p.id;
    unit.cell = std::move(cell);
    unit.area_m2 = area(unit.cell);
    unit.site = label_point(unit.cell);
    out.units.push_back(std::move(unit));
  }
  if (!outside.empty())
    out.warnings.push_back(
        file + ": " + plural(static_cast<long long>(outside.size()), "unit polygon") +
        (outside.size() == 1 ? " lies" : " lie") + " outside the boundary and is not a unit" +
        (outside.size() == 1 ? "" : "s") + " (first: " + outside.front() + ")");
  if (out.units.empty())
    throw DataError(where(layer.path) + "no unit polygon overlaps the boundary (wrong CRS?)");

  // Every postcode inside the boundary goes to the polygon holding it, else the nearest.
  const size_t n = out.units.size();
  std::vector<std::vector<Piece>> parts(n);
  std::vector<BoxValue> values;
  for (size_t u = 0; u < n; ++u) {
    for (const Polygon& p : out.units[u].cell) parts[u].push_back(make_piece(p));
    values.push_back({to_bbox(bounds(out.units[u].cell)), static_cast<int>(u)});
  }
  const BoxTree tree(values.begin(), values.end());
  long gaps = 0;
  double gap_hours = 0;
  std::vector<std::map<std::string, long>> rural(n);
  for (size_t i = 0; i < county.postcodes.size(); ++i) {
    const PostcodeRecord& pc = county.postcodes[i];
    if (!pc.inside) continue;
    std::vector<BoxValue> hits;
    tree.query(bgi::intersects(to_bbox(Box{pc.site.x, pc.site.y, pc.site.x, pc.site.y})),
               std::back_inserter(hits));
    std::sort(hits.begin(), hits.end(), [](auto& a, auto& b) { return a.second < b.second; });
    int home = -1;
    for (const BoxValue& h : hits)
      if (contains(out.units[h.second].cell, pc.site)) {
        home = h.second;
        break;
      }
    if (home < 0) {
      hits.clear();
      tree.query(bgi::nearest(pc.site, 8), std::back_inserter(hits));
      std::sort(hits.begin(), hits.end(), [](auto& a, auto& b) { return a.second < b.second; });
      double best = INFINITY;
      for (const BoxValue& h : hits)
        for (const Piece& piece : parts[h.second]) {
          const double d = distance_to_piece(pc.site, piece);
          if (d < best) {
            best = d;
            home = h.second;
          }
        }
      ++gaps;
      gap_hours += pc.hours;
    }
    Unit& unit = out.units[home];
    unit.postcodes.push_back(static_cast<int>(i));
    unit.hours += pc.hours;
    unit.customers += pc.customers;
    unit.unmet_hours += pc.unmet_hours;
    if (!pc.rural.empty()) ++rural[home][pc.rural];
  }
  long empty = 0;
  for (size_t u = 0; u < n; ++u) {
    long most = 0;  // the most common class among its postcodes (ties: the first by code)
    for (const auto& [cls, count] : rural[u])
      if (count > most) {
        most = count;
        out.units[u].rural = cls;
      }
    if (out.units[u].postcodes.empty()) ++empty;
  }
  if (gaps > 0)
    out.warnings.push_back(plural(gaps, "postcode") + " (" + fmt("%.1f", gap_hours) + " h/week) " +
                           (gaps == 1 ? "lies" : "lie") + " in no polygon of " + file +
                           "; each was given to the nearest unit");
  if (empty > 0)
    out.warnings.push_back(plural(empty, "unit") + " of " + file + " " +
                           (empty == 1 ? "holds" : "hold") + " no postcode (no demand)");
  add_adjacency(out);
  check_cover(county, out);
  return out;
}

}  // namespace lotwright::geo
