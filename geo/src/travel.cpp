// Road travel between sites: each site snapped to its nearest road segment (Boost.Geometry
// R-tree over the graph's segments), the off-road leg walked at 4.8 km/h, and bounded
// Dijkstra (integer deciseconds) seeded from both ends of the site's segment with the
// partial times along it.
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/register/point.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "detail/osm_dijkstra.hpp"
#include "lotwright/geo/error.hpp"
#include "lotwright/geo/travel.hpp"

BOOST_GEOMETRY_REGISTER_POINT_2D(lotwright::geo::Point, double, boost::geometry::cs::cartesian, x,
                                 y)

namespace lotwright::geo {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

constexpr double kWalkMetresPerMinute = 4800.0 / 60.0;

// An undirected road segment: the arcs a->b and b->a (either may be absent: one-way).
struct Segment {
  std::uint32_t a = 0, b = 0;
  std::uint32_t w_ab = detail::kInfDs, w_ba = detail::kInfDs;
  float len_ab = 0, len_ba = 0;
};

using BSegment = bg::model::segment<Point>;
using SegmentValue = std::pair<BSegment, std::uint32_t>;
using SegmentTree = bgi::rtree<SegmentValue, bgi::quadratic<16>>;

// A position on a segment, with the costs to leave it for either end node and to reach it
// from either end node (infinite where one-way forbids).
struct Position {
  std::uint32_t segment = 0;
  double along = 0;  // 0 at a, 1 at b
  double offroad_m = 0;
  bool ok = false;
};

// Strongly connected components (iterative Tarjan); sizes per component in *size.
std::vector<std::uint32_t> strong_components(const RoadGraph& g, std::vector<std::uint32_t>* size) {
  const auto n = static_cast<std::uint32_t>(g.node_count());
  constexpr std::uint32_t kUnseen = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> index(n, kUnseen), low(n, 0), comp(n, kUnseen), stack;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> call;  // (node, next arc)
  std::uint32_t counter = 0, count = 0;
  size->clear();
  for (std::uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnseen) continue;
    call.emplace_back(root, g.offsets[root]);
    index[root] = low[root] = counter++;
    stack.push_back(root);
    while (!call.empty()) {
      auto& [u, k] = call.back();
      if (k < g.offsets[u + 1]) {
        const auto v = g.targets[k++];
        if (index[v] == kUnseen) {
          index[v] = low[v] = counter++;
          stack.push_back(v);
          call.emplace_back(v, g.offsets[v]);
        } else if (comp[v] == kUnseen) {
          low[u] = std::min(low[u], index[v]);
        }
        continue;
      }
      const std::uint32_t done = u;
      call.pop_back();
      if (!call.empty()) low[call.back().first] = std::min(low[call.back().first], low[done]);
      if (low[done] == index[done]) {
        std::uint32_t members = 0, w;
        do {
          w = stack.back();
          stack.pop_back();
          comp[w] = count;
          ++members;
        } while (w != done);
        size->push_back(members);
        ++count;
      }
    }
  }
  return comp;
}

}  // namespace

struct RoadTravel::Impl {
  std::shared_ptr<const RoadNetwork> net;
  std::vector<Point> sites;
  double max_snap_m = 1000;
  std::vector<Segment> segments;
  SegmentTree rtree;
  std::vector<Position> pos;  // per site
  std::vector<Snap> snaps;    // per site (public view)
  // (segment, site) sorted: sites sharing the source's segment need the direct shortcut.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_segment;
  // Sites by the end nodes of their segment (CSR over graph nodes).
  std::vector<std::uint32_t> node_sites_offsets, node_sites;

  // Nearest segment. When that is not on the main network (both end nodes in the largest
  // strongly connected component) and its own piece is small (under 1,000 nodes and under
  // 5% of the graph: a gated estate road, a one-way stub whose exit is closed to cars, a
  // fragment clipped by the extract), the nearest main-network segment is taken instead if
  // it is within max_snap_m, so the site can both leave and be reached (as OSRM snaps to
  // big components).
  Position locate(Point p) const {
    Position r;
    if (rtree.empty()) return r;
    std::vector<SegmentValue> hit;
    rtree.query(bgi::nearest(p, 1), std::back_inserter(hit));
    if (hit.empty()) return r;
    r = project(p, hit.front().second);
    if (!on_main(r.segment) && small_piece(r.segment)) {
      hit.clear();
      rtree.query(bgi::nearest(p, 1) && bgi::satisfies([&](const SegmentValue& v) {
                    return on_main(v.second);
                  }),
                  std::back_inserter(hit));
      if (!hit.empty()) {
        const Position main = project(p, hit.front().second);
        if (main.ok) r = main;
      }
    }
    return r;
  }

  std::vector<std::uint32_t> comp;  // weakly connected component per node (0 = largest)
  std::vector<std::uint32_t> scc;   // strongly connected component per node
  std::vector<std::uint32_t> scc_size;
  std::uint32_t main_scc = 0;
  bool on_main(std::uint32_t segment) const {
    const auto& s = segments[segment];
    return scc[s.a] == main_scc && scc[s.b] == main_scc;
  }
  bool small_piece(std::uint32_t segment) const {
    const auto& s = segments[segment];
    const std::size_t sz = std::min(scc_size[scc[s.a]], scc_size[scc[s.b]]);
    return sz < 1000 && sz * 20 < net->graph.node_count();
  }

  Position project(Point p, std::uint32_t segment) const {
    Position r;
    const auto& s = segments[segment];
    const Point a = net->graph.nodes[s.a], b = net->graph.nodes[s.b];
    const double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    r.segment = segment;
    r.along = t;
    r.offroad_m = std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
    r.ok = r.offroad_m <= max_snap_m;
    return r;
  }

  // Cost (ds, fractional) from the position to node a / node b; infinity where one-way forbids.
  static double leave_to_a(const Segment& s, double t) {
    if (t <= 0) return 0;
    return s.w_ba == detail::kInfDs ? HUGE_VAL : t * s.w_ba;
  }
  static double leave_to_b(const Segment& s, double t) {
    if (t >= 1) return 0;
    return s.w_ab == detail::kInfDs ? HUGE_VAL : (1 - t) * s.w_ab;
  }
  // Cost from node a / node b onto the position.
  static double arrive_from_a(const Segment& s, double t) {
    if (t <= 0) return 0;
    return s.w_ab == detail::kInfDs ? HUGE_VAL : t * s.w_ab;
  }
  static double arrive_from_b(const Segment& s, double t) {
    if (t >= 1) return 0;
    return s.w_ba == detail::kInfDs ? HUGE_VAL : (1 - t) * s.w_ba;
  }
  // Direct travel along one segment from position t0 to t1.
  static double along_segment(const Segment& s, double t0, double t1) {
    if (t0 == t1) return 0;
    if (t0 < t1) return s.w_ab == detail::kInfDs ? HUGE_VAL : (t1 - t0) * s.w_ab;
    return s.w_ba == detail::kInfDs ? HUGE_VAL : (t0 - t1) * s.w_ba;
  }

  int seeds(const Position& p, detail::Seed out[2]) const {
    const auto& s = segments[p.segment];
    int n = 0;
    const double ca = leave_to_a(s, p.along), cb = leave_to_b(s, p.along);
    if (std::isfinite(ca)) out[n++] = {s.a, static_cast<std::uint32_t>(std::lround(ca))};
    if (std::isfinite(cb)) out[n++] = {s.b, static_cast<std::uint32_t>(std::lround(cb))};
    return n;
  }

  // Deciseconds on the road from a searched source to a target position (after run()).
  double arrival_ds(const detail::Workspace& ws, const Position& t) const {
    const auto& s = segments[t.segment];
    double best = HUGE_VAL;
    const auto da = ws.dist(s.a), db = ws.dist(s.b);
    if (da != detail::kInfDs) best = std::min(best, da + arrive_from_a(s, t.along));
    if (db != detail::kInfDs) best = std::min(best, db + arrive_from_b(s, t.along));
    return best;
  }

  double same_segment_ds(const Position& from, const Position& to) const {
    if (from.segment != to.segment) return HUGE_VAL;
    return along_segment(segments[from.segment], from.along, to.along);
  }

  static double walk_minutes(const Position& p) { return p.offroad_m / kWalkMetresPerMinute; }

  // Quickest route between two positions: minutes (road + walks) and km along it.
  RouteResult shortest(const Position& pa, const Position& pb) const {
    RouteResult result;
    const RoadGraph& g = net->graph;
    const Segment& sa = segments[pa.segment];
    const Segment& sb = segments[pb.segment];
    const double ca = arrive_from_a(sb, pb.along), cb = arrive_from_b(sb, pb.along);
    // Best known arrival; the search stops once no settled distance can improve it.
    double best = same_segment_ds(pa, pb);
    std::uint32_t best_node = detail::kNoArc;  // kNoArc: along the shared segment
    detail::Seed seeds_buf[2];
    const int ns = seeds(pa, seeds_buf);
    auto& ws = detail::thread_workspace();
    ws.run(g, seeds_buf, static_cast<std::size_t>(ns), detail::kInfDs - 1,
           [&](std::uint32_t u, std::uint32_t d) {
             if (d >= best) return true;
             if (u == sb.a && std::isfinite(ca) && d + ca < best) {
               best = d + ca;
               best_node = u;
             }
             if (u == sb.b && std::isfinite(cb) && d + cb < best) {
               best = d + cb;
               best_node = u;
             }
             return false;
           });
    if (!std::isfinite(best)) return result;
    auto seg_len = [](const Segment& s) {
      return s.w_ab != detail::kInfDs ? s.len_ab : s.len_ba;
    };
    double road_m = 0;
    if (best_node == detail::kNoArc) {
      road_m = std::abs(pb.along - pa.along) * seg_len(sa);
    } else {
      road_m += best_node == sb.a ? pb.along * seg_len(sb) : (1 - pb.along) * seg_len(sb);
      std::uint32_t v = best_node;
      for (std::uint32_t arc; (arc = ws.pred(v)) != detail::kNoArc;) {
        road_m += g.lengths_m[arc];
        // The arc's tail: the node whose CSR range holds it.
        v = static_cast<std::uint32_t>(
            std::upper_bound(g.offsets.begin(), g.offsets.end(), arc) - g.offsets.begin() - 1);
      }
      road_m += v == sa.a ? pa.along * seg_len(sa) : (1 - pa.along) * seg_len(sa);
    }
    result.reachable = true;
    result.minutes = best / 600.0 + walk_minutes(pa) + walk_minutes(pb);
    result.km = (road_m + pa.offroad_m + pb.offroad_m) / 1000.0;
    return result;
  }
};

RoadTravel::RoadTravel(std::shared_ptr<const RoadNetwork> net, std::vector<Point> sites,
                       double max_snap_m)
    : impl_(std::make_unique<Impl>()) {
  if (!net) throw DataError("RoadTravel: no road network");
  auto& m = *impl_;
  m.net = std::move(net);
  m.sites = std::move(sites);
  m.max_snap_m = max_snap_m;
  const RoadGraph& g = m.net->graph;
  // Undirected segments from the arcs.
  struct Half {
    std::uint32_t lo, hi, w;
    float len;
    bool forward;  // lo -> hi
  };
  std::vector<Half> halves;
  halves.reserve(g.edge_count());
  for (std::uint32_t u = 0; u < g.node_count(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const auto v = g.targets[k];
      if (u == v) continue;
      halves.push_back({std::min(u, v), std::max(u, v), g.weights_ds[k], g.lengths_m[k], u < v});
    }
  std::sort(halves.begin(), halves.end(), [](const Half& x, const Half& y) {
    return std::tie(x.lo, x.hi, x.forward, x.w) < std::tie(y.lo, y.hi, y.forward, y.w);
  });
  for (std::size_t i = 0; i < halves.size();) {
    Segment s;
    s.a = halves[i].lo;
    s.b = halves[i].hi;
    for (; i < halves.size() && halves[i].lo == s.a && halves[i].hi == s.b; ++i) {
      if (halves[i].forward && halves[i].w < s.w_ab) {
        s.w_ab = halves[i].w;
        s.len_ab = halves[i].len;
      } else if (!halves[i].forward && halves[i].w < s.w_ba) {
        s.w_ba = halves[i].w;
        s.len_ba = halves[i].len;
      }
    }
    m.segments.push_back(s);
  }
  std::vector<SegmentValue> values;
  values.reserve(m.segments.size());
  for (std::uint32_t i = 0; i < m.segments.size(); ++i)
    values.emplace_back(BSegment(g.nodes[m.segments[i].a], g.nodes[m.segments[i].b]), i);
  m.rtree = SegmentTree(values.begin(), values.end());  // packed (STR) bulk load

  if (g.component.size() == g.node_count())
    m.comp = g.component;
  else
    m.comp.assign(g.node_count(), 0);
  m.scc = strong_components(g, &m.scc_size);
  m.main_scc = static_cast<std::uint32_t>(
      std::max_element(m.scc_size.begin(), m.scc_size.end()) - m.scc_size.begin());
  m.pos.resize(m.sites.size());
  m.snaps.resize(m.sites.size());
  for (std::size_t i = 0; i < m.sites.size(); ++i) {
    m.pos[i] = m.locate(m.sites[i]);
    if (m.segments.empty()) continue;
    const auto& s = m.segments[m.pos[i].segment];
    m.snaps[i] = {s.a, s.b, m.pos[i].along, m.pos[i].offroad_m, m.pos[i].ok};
    m.by_segment.emplace_back(m.pos[i].segment, static_cast<std::uint32_t>(i));
  }
  std::sort(m.by_segment.begin(), m.by_segment.end());
  m.node_sites_offsets.assign(g.node_count() + 1, 0);
  if (!m.segments.empty()) {
    for (const auto& p : m.pos) {
      ++m.node_sites_offsets[m.segments[p.segment].a + 1];
      ++m.node_sites_offsets[m.segments[p.segment].b + 1];
    }
    for (std::size_t v = 0; v < g.node_count(); ++v)
      m.node_sites_offsets[v + 1] += m.node_sites_offsets[v];
    m.node_sites.resize(m.node_sites_offsets.back());
    std::vector<std::uint32_t> fill(m.node_sites_offsets.begin(), m.node_sites_offsets.end() - 1);
    for (std::uint32_t i = 0; i < m.pos.size(); ++i) {
      const auto& s = m.segments[m.pos[i].segment];
      m.node_sites[fill[s.a]++] = i;
      m.node_sites[fill[s.b]++] = i;
    }
  }
}

RoadTravel::~RoadTravel() = default;

std::size_t RoadTravel::size() const { return impl_->sites.size(); }

void RoadTravel::tree(int from, std::vector<float>& out, float limit_minutes) const {
  const auto& m = *impl_;
  const auto n = m.sites.size();
  if (from < 0 || static_cast<std::size_t>(from) >= n)
    throw std::out_of_range("RoadTravel::tree: site " + std::to_string(from) + " out of range");
  out.assign(n, kUnreachable);
  if (m.segments.empty()) {
    out[static_cast<std::size_t>(from)] = 0;
    return;
  }
  const Position& src = m.pos[static_cast<std::size_t>(from)];
  const double walk0 = Impl::walk_minutes(src);
  std::uint32_t limit_ds = detail::kInfDs - 1;
  if (std::isfinite(limit_minutes)) {
    const double l = (static_cast<double>(limit_minutes) - walk0) * 600.0;
    if (l < 0) {
      out[static_cast<std::size_t>(from)] = 0;
      return;
    }
    limit_ds = static_cast<std::uint32_t>(std::min(l + 1.0, 4.0e9));
  }
  detail::Seed seeds[2];
  const int ns = m.seeds(src, seeds);
  auto& ws = detail::thread_workspace();
  ws.run(m.net->graph, seeds, static_cast<std::size_t>(ns), limit_ds);
  // Only sites on segments next to a reached node can have a time: visit those through the
  // node -> sites index instead of scanning every site.
  for (const auto v : ws.touched()) {
    for (auto k = m.node_sites_offsets[v]; k < m.node_sites_offsets[v + 1]; ++k) {
      const auto i = m.node_sites[k];
      const double ds = m.arrival_ds(ws, m.pos[i]);
      if (!std::isfinite(ds)) continue;
      const double minutes = ds / 600.0 + walk0 + Impl::walk_minutes(m.pos[i]);
      if (minutes <= limit_minutes && minutes < out[i]) out[i] = static_cast<float>(minutes);
    }
  }
  // Sites on the source's own segment: directly along it (may beat going round via a node).
  auto it = std::lower_bound(m.by_segment.begin(), m.by_segment.end(),
                             std::make_pair(src.segment, std::uint32_t{0}));
  for (; it != m.by_segment.end() && it->first == src.segment; ++it) {
    const double ds = m.same_segment_ds(src, m.pos[it->second]);
    if (!std::isfinite(ds)) continue;
    const double minutes = ds / 600.0 + walk0 + Impl::walk_minutes(m.pos[it->second]);
    if (minutes <= limit_minutes && minutes < out[it->second])
      out[it->second] = static_cast<float>(minutes);
  }
  out[static_cast<std::size_t>(from)] = 0;
}

void TravelOracle::times_to(int from, const std::vector<int>& targets, std::vector<float>& out,
                            float limit_minutes) const {
  std::vector<float> all;
  tree(from, all, limit_minutes);
  out.resize(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i)
    out[i] = all.at(static_cast<std::size_t>(targets[i]));
}

void RoadTravel::times_to(int from, const std::vector<int>& targets, std::vector<float>& out,
                          float limit_minutes) const {
  const auto& m = *impl_;
  const auto n = m.sites.size();
  if (from < 0 || static_cast<std::size_t>(from) >= n)
    throw std::out_of_range("RoadTravel::times_to: site " + std::to_string(from) + " out of range");
  for (int t : targets)
    if (t < 0 || static_cast<std::size_t>(t) >= n)
      throw std::out_of_range("RoadTravel::times_to: site " + std::to_string(t) + " out of range");
  out.assign(targets.size(), kUnreachable);
  if (m.segments.empty()) {
    for (std::size_t i = 0; i < targets.size(); ++i)
      if (targets[i] == from) out[i] = 0;
    return;
  }
  const Position& src = m.pos[static_cast<std::size_t>(from)];
  const double walk0 = Impl::walk_minutes(src);
  std::uint32_t limit_ds = detail::kInfDs - 1;
  if (std::isfinite(limit_minutes)) {
    const double l = (static_cast<double>(limit_minutes) - walk0) * 600.0;
    if (l < 0) {
      for (std::size_t i = 0; i < targets.size(); ++i)
        if (targets[i] == from) out[i] = 0;
      return;
    }
    limit_ds = static_cast<std::uint32_t>(std::min(l + 1.0, 4.0e9));
  }
  // Best road deciseconds per target so far; the search stops once the settled distance
  // reaches every target's best (no later node can improve any of them).
  thread_local std::vector<double> best;
  best.assign(targets.size(), HUGE_VAL);
  for (std::size_t i = 0; i < targets.size(); ++i)
    best[i] = m.same_segment_ds(src, m.pos[static_cast<std::size_t>(targets[i])]);
  detail::Seed seeds[2];
  const int ns = m.seeds(src, seeds);
  auto& ws = detail::thread_workspace();
  ws.run(m.net->graph, seeds, static_cast<std::size_t>(ns), limit_ds,
         [&](std::uint32_t u, std::uint32_t d) {
           bool open = false;
           for (std::size_t i = 0; i < targets.size(); ++i) {
             const Position& p = m.pos[static_cast<std::size_t>(targets[i])];
             const Segment& s = m.segments[p.segment];
             if (u == s.a) best[i] = std::min(best[i], d + Impl::arrive_from_a(s, p.along));
             if (u == s.b) best[i] = std::min(best[i], d + Impl::arrive_from_b(s, p.along));
             open |= best[i] > d;
           }
           return !open;
         });
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (targets[i] == from) {
      out[i] = 0;
      continue;
    }
    if (!std::isfinite(best[i])) continue;
    const double minutes =
        best[i] / 600.0 + walk0 + Impl::walk_minutes(m.pos[static_cast<std::size_t>(targets[i])]);
    if (minutes <= limit_minutes) out[i] = static_cast<float>(minutes);
  }
}

float RoadTravel::minutes(int from, int to) const {
  const auto& m = *impl_;
  const auto n = m.sites.size();
  if (from < 0 || to < 0 || static_cast<std::size_t>(from) >= n ||
      static_cast<std::size_t>(to) >= n)
    throw std::out_of_range("RoadTravel::minutes: site out of range");
  if (from == to) return 0;
  if (m.segments.empty()) return kUnreachable;
  const RouteResult r =
      m.shortest(m.pos[static_cast<std::size_t>(from)], m.pos[static_cast<std::size_t>(to)]);
  return r.reachable ? static_cast<float>(r.minutes) : kUnreachable;
}

const std::vector<Snap>& RoadTravel::snaps() const { return impl_->snaps; }

std::vector<int> RoadTravel::unsnapped() const {
  std::vector<int> r;
  for (std::size_t i = 0; i < impl_->pos.size(); ++i)
    if (!impl_->pos[i].ok) r.push_back(static_cast<int>(i));
  return r;
}

std::vector<int> RoadTravel::off_main_network() const {
  std::vector<int> r;
  const auto& comp = impl_->comp;
  for (std::size_t i = 0; i < impl_->pos.size(); ++i) {
    const auto& p = impl_->pos[i];
    if (p.ok && !impl_->segments.empty() && comp[impl_->segments[p.segment].a] != 0)
      r.push_back(static_cast<int>(i));
  }
  return r;
}

const RoadNetwork& RoadTravel::network() const { return *impl_->net; }

RouteResult RoadTravel::route(Point a, Point b) const {
  const auto& m = *impl_;
  if (m.segments.empty()) return {};
  return m.shortest(m.locate(a), m.locate(b));
}

}  // namespace lotwright::geo
