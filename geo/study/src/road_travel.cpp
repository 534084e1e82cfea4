// Road travel between sites: each site snapped to its nearest road segment (Boost.Geometry
// R-tree over the graph's segments), the off-road leg walked at 4.8 km/h, and bounded
// Dijkstra (integer deciseconds) seeded from both ends of the site's segment with the
// partial times along it.
#include "lotwright/study/road_travel.hpp"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/register/point.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <limits>
#include <tuple>

#include "lotwright/core/error.hpp"
#include "lotwright/core/travel.hpp"
#include "osm_dijkstra.hpp"

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

// Where a position sits on its chain, with the fractional costs between it and the two
// chain nodes of its segment (chain nodes k and k+1, in the chain's direction).
struct ChainPos {
  std::uint32_t chain = 0;
  std::uint32_t k = 0;
  double arr_k = HUGE_VAL, arr_k1 = HUGE_VAL;      // from node k / k+1 onto the position
  double leave_k = HUGE_VAL, leave_k1 = HUGE_VAL;  // from the position to node k / k+1
  double len_m = 0;                                // metres along the chain from its start
};

// A maximal run of segments through plain two-way (or same-way one-way) nodes between two
// kept nodes u and w. Offsets F (forward, u -> w) and B (backward, towards u) are integer
// deciseconds from the chain's start, so sums along a chain are exact.
struct Chain {
  std::uint32_t u = 0, w = 0;  // search-graph ids of the end nodes
  std::uint32_t first = 0;     // F, B and L of node i at [first + i]
  std::uint32_t m = 0;         // segments
  bool fwd = false, bwd = false;
};

constexpr std::uint64_t kNoDs = std::numeric_limits<std::uint64_t>::max();

// The source of a search: where it is, and deciseconds to leave it for node ks / ks+1 of
// its own chain.
struct Source {
  const ChainPos* pos = nullptr;
  const Position* at = nullptr;
  std::uint64_t sa = kNoDs, sb = kNoDs;
};

// A site in its chain's site list, with what a search needs to time it from the chain's
// end nodes alone (the hot loop of tree()): integer deciseconds from u / w to the site's
// segment nodes k and k+1 (kNoDs32 where the one-way rule forbids) and the fractions on.
constexpr std::uint32_t kNoDs32 = std::numeric_limits<std::uint32_t>::max();
struct ChainSite {
  std::uint32_t site = 0;
  std::uint32_t u_k = kNoDs32, u_k1 = kNoDs32, w_k = kNoDs32, w_k1 = kNoDs32;
  double arr_k = HUGE_VAL, arr_k1 = HUGE_VAL;
  double walk_minutes = 0;
  // Road deciseconds from the chain's ends (kInfDs: not reached); the same sums, in the same
  // order, as node_ds() + the fraction.
  double arrival_ds(std::uint32_t du, std::uint32_t dw) const {
    double best = HUGE_VAL;
    const auto via = [&](std::uint32_t d, std::uint32_t off, double frac) {
      if (d != detail::kInfDs && off != kNoDs32)
        best = std::min(best, static_cast<double>(std::uint64_t{d} + off) + frac);
    };
    via(du, u_k, arr_k), via(du, u_k1, arr_k1), via(dw, w_k, arr_k), via(dw, w_k1, arr_k1);
    return best;
  }
};

struct RoadTravel::Impl {
  std::shared_ptr<const RoadNetwork> net;
  std::vector<Point> sites;
  double max_snap_m = 1000;
  std::vector<Segment> segments;
  SegmentTree rtree;
  std::vector<Position> pos;  // per site
  std::vector<Snap> snaps;    // per site (public view)

  // The search graph: kept nodes (junctions, dead ends, changes of one-way rule) joined by
  // one arc per chain direction. Sites sit on chains, so Dijkstra never visits the chain
  // nodes between junctions (most of an OSM graph: a node every 30 m).
  RoadGraph search;
  std::vector<detail::Arc> search_arcs;  // search.targets and weights_ds side by side
  std::vector<Chain> chains;
  std::vector<std::uint32_t> offs_f, offs_b;  // per chain node
  std::vector<double> offs_len;               // per chain node, metres
  std::vector<std::uint32_t> seg_chain, seg_index;
  std::vector<std::uint8_t> seg_flip;  // the chain runs b -> a along the segment
  std::vector<ChainPos> cpos;          // per site
  // Sites by chain, and chains by end node (CSR).
  std::vector<std::uint32_t> chain_sites_offsets, chain_sites;
  std::vector<ChainSite> chain_site_info;  // parallel to chain_sites
  // The chains that carry sites, in chain order, with their ends and sites: what a tree that
  // reaches much of the graph scans from start to end instead of going node by node.
  struct SiteChain {
    std::uint32_t chain, u, w, begin, end;  // sites: chain_site_info[begin, end)
  };
  std::vector<SiteChain> site_chains;
  std::vector<std::uint32_t> node_chains_offsets, node_chains;

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
      rtree.query(bgi::nearest(p, 1) &&
                      bgi::satisfies([&](const SegmentValue& v) { return on_main(v.second); }),
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
  static double seg_len(const Segment& s) { return s.w_ab != detail::kInfDs ? s.len_ab : s.len_ba; }

  // Chains: every node is kept unless it joins exactly two segments that carry the same
  // one-way rule through it (contract = false keeps every node: the plain graph).
  void build_chains(bool contract);
  void build_search_graph(const std::vector<std::uint32_t>& kept);  // (from build_chains)
  ChainPos place(const Position& p) const {
    ChainPos c;
    if (segments.empty()) return c;
    const Segment& s = segments[p.segment];
    const bool flip = seg_flip[p.segment] != 0;
    c.chain = seg_chain[p.segment];
    c.k = seg_index[p.segment];
    const double fa = arrive_from_a(s, p.along), fb = arrive_from_b(s, p.along);
    const double la = leave_to_a(s, p.along), lb = leave_to_b(s, p.along);
    c.arr_k = flip ? fb : fa;
    c.arr_k1 = flip ? fa : fb;
    c.leave_k = flip ? lb : la;
    c.leave_k1 = flip ? la : lb;
    c.len_m = offs_len[chains[c.chain].first + c.k] + (flip ? 1 - p.along : p.along) * seg_len(s);
    return c;
  }

  static std::uint64_t seed_ds(double cost) {
    return std::isfinite(cost) ? static_cast<std::uint64_t>(std::lround(cost)) : kNoDs;
  }
  static Source source(const ChainPos& p, const Position& at) {
    return {&p, &at, seed_ds(p.leave_k), seed_ds(p.leave_k1)};
  }

  // Shortest deciseconds to node i of chain c, from its end nodes (du, dw: the search's
  // distances, or kInfDs) and, on the source's own chain, from the source directly.
  std::uint64_t node_ds(std::uint32_t c, std::uint32_t i, std::uint32_t du, std::uint32_t dw,
                        const Source* src) const {
    const Chain& ch = chains[c];
    const std::uint32_t* f = offs_f.data() + ch.first;
    const std::uint32_t* b = offs_b.data() + ch.first;
    std::uint64_t best = kNoDs;
    if (du != detail::kInfDs && (ch.fwd || i == 0)) best = std::uint64_t{du} + f[i];
    if (dw != detail::kInfDs && (ch.bwd || i == ch.m))
      best = std::min(best, std::uint64_t{dw} + (b[ch.m] - b[i]));
    if (src && src->pos->chain == c) {
      const std::uint32_t ks = src->pos->k;
      // From a seed at node j, forward or backward along the chain to node i.
      auto from = [&](std::uint64_t s, std::uint32_t j) {
        if (s == kNoDs) return;
        if (i >= j && (ch.fwd || i == j)) best = std::min(best, s + (f[i] - f[j]));
        if (i <= j && (ch.bwd || i == j)) best = std::min(best, s + (b[j] - b[i]));
      };
      from(src->sa, ks);
      from(src->sb, ks + 1);
    }
    return best;
  }

  // Road deciseconds onto position t (at t_pos) given its chain ends' distances; with a
  // source, also directly from it along its own chain (and along a shared segment).
  double arrival_ds(const ChainPos& t, std::uint32_t du, std::uint32_t dw, const Source* src,
                    const Position* t_pos) const {
    double best = HUGE_VAL;
    const std::uint64_t dk = node_ds(t.chain, t.k, du, dw, src);
    const std::uint64_t dk1 = node_ds(t.chain, t.k + 1, du, dw, src);
    if (dk != kNoDs) best = std::min(best, static_cast<double>(dk) + t.arr_k);
    if (dk1 != kNoDs) best = std::min(best, static_cast<double>(dk1) + t.arr_k1);
    if (src && t_pos && src->at->segment == t_pos->segment)
      best = std::min(best, along_segment(segments[t_pos->segment], src->at->along, t_pos->along));
    return best;
  }
  // Road deciseconds onto t through search node v settled at d (infinite unless v ends t's
  // chain).
  double arrival_via(const ChainPos& t, std::uint32_t v, std::uint32_t d) const {
    const Chain& ch = chains[t.chain];
    if (v != ch.u && v != ch.w) return HUGE_VAL;
    return arrival_ds(t, v == ch.u ? d : detail::kInfDs, v == ch.w ? d : detail::kInfDs, nullptr,
                      nullptr);
  }

  // Search seeds: the source's chain ends with the cost of reaching them from the source.
  std::size_t seeds(const Source& src, detail::Seed out[2]) const {
    const Chain& ch = chains[src.pos->chain];
    std::size_t n = 0;
    const std::uint64_t du = node_ds(src.pos->chain, 0, detail::kInfDs, detail::kInfDs, &src);
    const std::uint64_t dw = node_ds(src.pos->chain, ch.m, detail::kInfDs, detail::kInfDs, &src);
    if (du < detail::kInfDs) out[n++] = {ch.u, static_cast<std::uint32_t>(du)};
    if (dw < detail::kInfDs) out[n++] = {ch.w, static_cast<std::uint32_t>(dw)};
    return n;
  }

  // Deciseconds a search from `src` may run so that the walks plus the road stay within
  // limit_minutes; false when the source's own walk already exceeds it.
  static bool road_limit(const Position& src, float limit_minutes, std::uint32_t* limit_ds) {
    *limit_ds = detail::kInfDs - 1;
    if (!std::isfinite(limit_minutes)) return true;
    const double l = (static_cast<double>(limit_minutes) - walk_minutes(src)) * 600.0;
    if (l < 0) return false;
    *limit_ds = static_cast<std::uint32_t>(std::min(l + 1.0, 4.0e9));
    return true;
  }

  static double walk_minutes(const Position& p) { return p.offroad_m / kWalkMetresPerMinute; }

  // Quickest route between two positions: minutes (road + walks) and km along it.
  RouteResult shortest(const Position& pa, const Position& pb) const {
    RouteResult result;
    const ChainPos ca = place(pa), cb = place(pb);
    const Source src = source(ca, pa);
    const Chain& chb = chains[cb.chain];
    // Best known arrival; the search stops once no settled distance can improve it.
    double best = arrival_ds(cb, detail::kInfDs, detail::kInfDs, &src, &pb);
    std::uint32_t best_node = detail::kNoArc;  // kNoArc: along the source's own chain
    detail::Seed seeds_buf[2];
    const std::size_t ns = seeds(src, seeds_buf);
    auto& ws = detail::thread_workspace();
    ws.run<true>(search.offsets.data(), search_arcs.data(), search.node_count(), seeds_buf, ns,
                 detail::kInfDs - 1, [&](std::uint32_t u, std::uint32_t d) {
                   if (d >= best) return true;
                   const double via = arrival_via(cb, u, d);
                   if (via < best) best = via, best_node = u;
                   return false;
                 });
    if (!std::isfinite(best)) return result;
    double road_m = 0;
    const auto chain_len = [&](const Chain& ch) { return offs_len[ch.first + ch.m]; };
    if (best_node == detail::kNoArc) {
      road_m = std::abs(cb.len_m - ca.len_m);
    } else {
      road_m += best_node == chb.u ? cb.len_m : chain_len(chb) - cb.len_m;
      std::uint32_t v = best_node;
      for (std::uint32_t arc; (arc = ws.pred(v)) != detail::kNoArc;) {
        road_m += search.lengths_m[arc];
        // The arc's tail: the node whose CSR range holds it.
        v = static_cast<std::uint32_t>(
            std::upper_bound(search.offsets.begin(), search.offsets.end(), arc) -
            search.offsets.begin() - 1);
      }
      const Chain& cha = chains[ca.chain];
      road_m += v == cha.u ? ca.len_m : chain_len(cha) - ca.len_m;
    }
    result.reachable = true;
    result.minutes = best / 600.0 + walk_minutes(pa) + walk_minutes(pb);
    result.km = (road_m + pa.offroad_m + pb.offroad_m) / 1000.0;
    return result;
  }
};

void RoadTravel::Impl::build_chains(bool contract) {
  const RoadGraph& g = net->graph;
  const auto n = static_cast<std::uint32_t>(g.node_count());
  // Segments by node (CSR).
  std::vector<std::uint32_t> inc_off(n + 1, 0), inc;
  for (const auto& s : segments) ++inc_off[s.a + 1], ++inc_off[s.b + 1];
  for (std::uint32_t v = 0; v < n; ++v) inc_off[v + 1] += inc_off[v];
  inc.resize(inc_off.back());
  {
    std::vector<std::uint32_t> fill(inc_off.begin(), inc_off.end() - 1);
    for (std::uint32_t i = 0; i < segments.size(); ++i) {
      inc[fill[segments[i].a]++] = i;
      inc[fill[segments[i].b]++] = i;
    }
  }
  const auto other = [&](std::uint32_t seg, std::uint32_t v) {
    return segments[seg].a == v ? segments[seg].b : segments[seg].a;
  };
  // Arc from v along segment seg allowed / onto v along seg allowed.
  const auto out_ok = [&](std::uint32_t seg, std::uint32_t v) {
    const Segment& s = segments[seg];
    return (s.a == v ? s.w_ab : s.w_ba) != detail::kInfDs;
  };
  const auto in_ok = [&](std::uint32_t seg, std::uint32_t v) {
    const Segment& s = segments[seg];
    return (s.a == v ? s.w_ba : s.w_ab) != detail::kInfDs;
  };
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> id(n, kNone);
  std::vector<std::uint32_t> kept;
  auto keep = [&](std::uint32_t v) {
    id[v] = static_cast<std::uint32_t>(kept.size());
    kept.push_back(v);
  };
  for (std::uint32_t v = 0; v < n; ++v) {
    bool plain = false;
    if (contract && inc_off[v + 1] - inc_off[v] == 2) {
      // Travelling x -> v -> y must be allowed exactly when y -> v -> x is, each way.
      const std::uint32_t s1 = inc[inc_off[v]], s2 = inc[inc_off[v] + 1];
      plain = in_ok(s1, v) == out_ok(s2, v) && out_ok(s1, v) == in_ok(s2, v);
    }
    if (!plain) keep(v);
  }
  seg_chain.assign(segments.size(), kNone);
  seg_index.assign(segments.size(), 0);
  seg_flip.assign(segments.size(), 0);
  chains.clear();
  offs_f.clear(), offs_b.clear(), offs_len.clear();
  // Walks from kept node v along segment s to the next kept node.
  auto walk = [&](std::uint32_t v, std::uint32_t s) {
    Chain ch;
    ch.u = id[v];
    ch.first = static_cast<std::uint32_t>(offs_f.size());
    ch.fwd = out_ok(s, v);
    ch.bwd = in_ok(s, v);
    const auto c = static_cast<std::uint32_t>(chains.size());
    std::uint32_t f = 0, b = 0;
    double len = 0;
    offs_f.push_back(0), offs_b.push_back(0), offs_len.push_back(0);
    for (std::uint32_t cur = v;;) {
      const Segment& sg = segments[s];
      seg_chain[s] = c;
      seg_index[s] = ch.m++;
      seg_flip[s] = sg.a != cur;
      if (ch.fwd) f += sg.a == cur ? sg.w_ab : sg.w_ba;
      if (ch.bwd) b += sg.a == cur ? sg.w_ba : sg.w_ab;
      len += seg_len(sg);
      offs_f.push_back(f), offs_b.push_back(b), offs_len.push_back(len);
      cur = other(s, cur);
      if (id[cur] != kNone) {
        ch.w = id[cur];
        break;
      }
      s = inc[inc_off[cur]] == s ? inc[inc_off[cur] + 1] : inc[inc_off[cur]];
    }
    chains.push_back(ch);
  };
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const std::uint32_t v = kept[i];
    for (auto k = inc_off[v]; k < inc_off[v + 1]; ++k)
      if (seg_chain[inc[k]] == kNone) walk(v, inc[k]);
  }
  // Rings with no junction at all: keep their first node.
  for (std::uint32_t v = 0; v < n; ++v)
    if (id[v] == kNone && seg_chain[inc[inc_off[v]]] == kNone) {
      keep(v);
      for (auto k = inc_off[v]; k < inc_off[v + 1]; ++k)
        if (seg_chain[inc[k]] == kNone) walk(v, inc[k]);
    }

  build_search_graph(kept);
}

// The search graph over the kept nodes (an arc per chain direction, loops dropped) and the
// chains by end node.
void RoadTravel::Impl::build_search_graph(const std::vector<std::uint32_t>& kept) {
  const RoadGraph& g = net->graph;
  search = RoadGraph{};
  const auto kn = static_cast<std::uint32_t>(kept.size());
  search.nodes.reserve(kn);
  for (const auto v : kept) search.nodes.push_back(g.nodes[v]);
  search.offsets.assign(kn + 1, 0);
  for (const auto& ch : chains) {
    if (ch.u == ch.w) continue;
    if (ch.fwd) ++search.offsets[ch.u + 1];
    if (ch.bwd) ++search.offsets[ch.w + 1];
  }
  for (std::uint32_t v = 0; v < kn; ++v) search.offsets[v + 1] += search.offsets[v];
  search.targets.resize(search.offsets.back());
  search.weights_ds.resize(search.offsets.back());
  search.lengths_m.resize(search.offsets.back());
  {
    std::vector<std::uint32_t> fill(search.offsets.begin(), search.offsets.end() - 1);
    for (const auto& ch : chains) {
      if (ch.u == ch.w) continue;
      const float len = static_cast<float>(offs_len[ch.first + ch.m]);
      if (ch.fwd) {
        const auto k = fill[ch.u]++;
        search.targets[k] = ch.w, search.weights_ds[k] = offs_f[ch.first + ch.m];
        search.lengths_m[k] = len;
      }
      if (ch.bwd) {
        const auto k = fill[ch.w]++;
        search.targets[k] = ch.u, search.weights_ds[k] = offs_b[ch.first + ch.m];
        search.lengths_m[k] = len;
      }
    }
  }
  search_arcs.resize(search.targets.size());
  for (std::size_t k = 0; k < search_arcs.size(); ++k)
    search_arcs[k] = {search.targets[k], search.weights_ds[k]};
  // Chains by end node.
  node_chains_offsets.assign(kn + 1, 0);
  for (const auto& ch : chains) {
    ++node_chains_offsets[ch.u + 1];
    if (ch.w != ch.u) ++node_chains_offsets[ch.w + 1];
  }
  for (std::uint32_t v = 0; v < kn; ++v) node_chains_offsets[v + 1] += node_chains_offsets[v];
  node_chains.resize(node_chains_offsets.back());
  {
    std::vector<std::uint32_t> fill(node_chains_offsets.begin(), node_chains_offsets.end() - 1);
    for (std::uint32_t c = 0; c < chains.size(); ++c) {
      node_chains[fill[chains[c].u]++] = c;
      if (chains[c].w != chains[c].u) node_chains[fill[chains[c].w]++] = c;
    }
  }
}

RoadTravel::RoadTravel(std::shared_ptr<const RoadNetwork> net, std::vector<Point> sites,
                       double max_snap_m, bool contract_chains)
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
  m.build_chains(contract_chains);

  if (g.component.size() == g.node_count())
    m.comp = g.component;
  else
    m.comp.assign(g.node_count(), 0);
  m.scc = strong_components(g, &m.scc_size);
  m.main_scc = static_cast<std::uint32_t>(std::max_element(m.scc_size.begin(), m.scc_size.end()) -
                                          m.scc_size.begin());
  m.pos.resize(m.sites.size());
  m.snaps.resize(m.sites.size());
  m.cpos.resize(m.sites.size());
  for (std::size_t i = 0; i < m.sites.size(); ++i) {
    m.pos[i] = m.locate(m.sites[i]);
    if (m.segments.empty()) continue;
    const auto& s = m.segments[m.pos[i].segment];
    m.snaps[i] = {s.a, s.b, m.pos[i].along, m.pos[i].offroad_m, m.pos[i].ok};
    m.cpos[i] = m.place(m.pos[i]);
  }
  m.chain_sites_offsets.assign(m.chains.size() + 1, 0);
  if (!m.segments.empty()) {
    for (const auto& c : m.cpos) ++m.chain_sites_offsets[c.chain + 1];
    for (std::size_t c = 0; c < m.chains.size(); ++c)
      m.chain_sites_offsets[c + 1] += m.chain_sites_offsets[c];
    m.chain_sites.resize(m.chain_sites_offsets.back());
    std::vector<std::uint32_t> fill(m.chain_sites_offsets.begin(), m.chain_sites_offsets.end() - 1);
    for (std::uint32_t i = 0; i < m.cpos.size(); ++i) m.chain_sites[fill[m.cpos[i].chain]++] = i;
    m.chain_site_info.resize(m.chain_sites.size());
    for (std::size_t j = 0; j < m.chain_sites.size(); ++j) {
      const auto i = m.chain_sites[j];
      const ChainPos& c = m.cpos[i];
      const Chain& ch = m.chains[c.chain];
      const std::uint32_t* f = m.offs_f.data() + ch.first;
      const std::uint32_t* b = m.offs_b.data() + ch.first;
      ChainSite& cs = m.chain_site_info[j];
      cs.site = i;
      if (ch.fwd || c.k == 0) cs.u_k = f[c.k];
      if (ch.fwd) cs.u_k1 = f[c.k + 1];
      if (ch.bwd) cs.w_k = b[ch.m] - b[c.k];
      if (ch.bwd || c.k + 1 == ch.m) cs.w_k1 = b[ch.m] - b[c.k + 1];
      cs.arr_k = c.arr_k;
      cs.arr_k1 = c.arr_k1;
      cs.walk_minutes = Impl::walk_minutes(m.pos[i]);
    }
    for (std::uint32_t c = 0; c < m.chains.size(); ++c)
      if (m.chain_sites_offsets[c] < m.chain_sites_offsets[c + 1])
        m.site_chains.push_back({c, m.chains[c].u, m.chains[c].w, m.chain_sites_offsets[c],
                                 m.chain_sites_offsets[c + 1]});
  }
}

RoadTravel::~RoadTravel() = default;

std::size_t RoadTravel::size() const { return impl_->sites.size(); }

std::size_t RoadTravel::search_nodes() const { return impl_->search.node_count(); }

void RoadTravel::tree(int from, std::vector<float>& out, float limit_minutes) const {
  const auto& m = *impl_;
  const auto n = m.sites.size();
  if (from < 0 || static_cast<std::size_t>(from) >= n)
    throw std::out_of_range("RoadTravel::tree: site " + std::to_string(from) + " out of range");
  out.assign(n, kUnreachable);
  const auto f = static_cast<std::size_t>(from);
  std::uint32_t limit_ds = 0;
  if (m.segments.empty() || !Impl::road_limit(m.pos[f], limit_minutes, &limit_ds)) {
    out[f] = 0;
    return;
  }
  const Position& src_pos = m.pos[f];
  const Source src = Impl::source(m.cpos[f], src_pos);
  const double walk0 = Impl::walk_minutes(src_pos);
  detail::Seed seeds[2];
  const std::size_t ns = m.seeds(src, seeds);
  auto& ws = detail::thread_workspace();
  ws.run(m.search.offsets.data(), m.search_arcs.data(), m.search.node_count(), seeds, ns, limit_ds);
  const auto record = [&](std::uint32_t i, double ds, double walk) {
    if (!std::isfinite(ds)) return;
    const double minutes = ds / 600.0 + walk0 + walk;
    if (minutes <= limit_minutes && minutes < out[i]) out[i] = static_cast<float>(minutes);
  };
  const auto chain_sites = [&](std::uint32_t begin, std::uint32_t end, std::uint32_t du,
                               std::uint32_t dw) {
    for (auto j = begin; j < end; ++j) {
      const ChainSite& cs = m.chain_site_info[j];
      record(cs.site, cs.arrival_ds(du, dw), cs.walk_minutes);
    }
  };
  // Only sites on chains ending at a reached node can have a time: each such chain once,
  // then the source's own chain, where the source also reaches its neighbours directly.
  // A search that reached a good share of the graph scans the chains with sites in order
  // (sequential reads); a small one goes through the chains of each node it reached (from
  // u, or from w when u was not reached). The same chains either way, so the same answers.
  const std::uint32_t* dist = ws.dists();
  if (ws.touched().size() * 4 >= m.search.node_count()) {
    for (const Impl::SiteChain& sc : m.site_chains) {
      const std::uint32_t du = dist[sc.u], dw = dist[sc.w];
      if ((du & dw) == detail::kInfDs || sc.chain == src.pos->chain) continue;
      chain_sites(sc.begin, sc.end, du, dw);
    }
  } else {
    for (const auto v : ws.touched())
      for (auto k = m.node_chains_offsets[v]; k < m.node_chains_offsets[v + 1]; ++k) {
        const auto c = m.node_chains[k];
        const Chain& ch = m.chains[c];
        if (c == src.pos->chain) continue;
        const std::uint32_t du = dist[ch.u];
        if (v != ch.u && du != detail::kInfDs) continue;
        chain_sites(m.chain_sites_offsets[c], m.chain_sites_offsets[c + 1], du, dist[ch.w]);
      }
  }
  {
    const auto c = src.pos->chain;
    const Chain& ch = m.chains[c];
    const std::uint32_t du = ws.dist(ch.u), dw = ws.dist(ch.w);
    for (auto j = m.chain_sites_offsets[c]; j < m.chain_sites_offsets[c + 1]; ++j) {
      const auto i = m.chain_sites[j];
      record(i, m.arrival_ds(m.cpos[i], du, dw, &src, &m.pos[i]),
             m.chain_site_info[j].walk_minutes);
    }
  }
  out[f] = 0;
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
  const auto f = static_cast<std::size_t>(from);
  std::uint32_t limit_ds = 0;
  if (m.segments.empty() || !Impl::road_limit(m.pos[f], limit_minutes, &limit_ds)) {
    for (std::size_t i = 0; i < targets.size(); ++i)
      if (targets[i] == from) out[i] = 0;
    return;
  }
  const Position& src_pos = m.pos[f];
  const Source src = Impl::source(m.cpos[f], src_pos);
  // Best road deciseconds per target so far; the search stops once the settled distance
  // reaches every target's best (no later node can improve any of them).
  thread_local std::vector<double> best;
  best.assign(targets.size(), HUGE_VAL);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto t = static_cast<std::size_t>(targets[i]);
    if (m.cpos[t].chain == src.pos->chain)
      best[i] = m.arrival_ds(m.cpos[t], detail::kInfDs, detail::kInfDs, &src, &m.pos[t]);
  }
  detail::Seed seeds[2];
  const std::size_t ns = m.seeds(src, seeds);
  auto& ws = detail::thread_workspace();
  ws.run<false>(m.search.offsets.data(), m.search_arcs.data(), m.search.node_count(), seeds, ns,
                limit_ds, [&](std::uint32_t u, std::uint32_t d) {
                  bool open = false;
                  for (std::size_t i = 0; i < targets.size(); ++i) {
                    best[i] = std::min(
                        best[i], m.arrival_via(m.cpos[static_cast<std::size_t>(targets[i])], u, d));
                    open |= best[i] > d;
                  }
                  return !open;
                });
  const double walk0 = Impl::walk_minutes(src_pos);
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

std::vector<std::int64_t> RoadTravel::road_parts() const {
  const auto& snaps = impl_->snaps;
  const auto& comp = impl_->net->graph.component;
  std::vector<std::int64_t> parts(snaps.size());
  for (std::size_t u = 0; u < snaps.size(); ++u)
    parts[u] = !snaps[u].ok ? -1 : (snaps[u].from < comp.size() ? comp[snaps[u].from] : 0);
  return parts;
}

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
  // A point farther than max_snap_m from every road has no route: never a walked-in time.
  const Position pa = m.locate(a), pb = m.locate(b);
  if (!pa.ok || !pb.ok) return {};
  return m.shortest(pa, pb);
}

}  // namespace lotwright::geo
