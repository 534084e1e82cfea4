// Road network from OpenStreetMap: speed profiles, the libosmium reader and the CSR graph.
// The binary cache (load_road_network) lives in road_cache.cpp.
#include "lotwright/study/roads.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>
#include <protozero/pbf_reader.hpp>
#include <string>
#include <system_error>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/proj.hpp"
#include "osm_tags.hpp"

namespace lotwright::geo {

namespace {

constexpr double kMph = 1.609344;

struct ClassSpeed {
  std::string_view highway;
  double kmh;
};

// OSRM car.lua speeds (km/h), UK-style roads.
constexpr std::array<ClassSpeed, 14> kCarSpeeds{{
    {"motorway", 90},
    {"motorway_link", 45},
    {"trunk", 85},
    {"trunk_link", 40},
    {"primary", 65},
    {"primary_link", 30},
    {"secondary", 55},
    {"secondary_link", 25},
    {"tertiary", 40},
    {"tertiary_link", 20},
    {"unclassified", 25},
    {"residential", 25},
    {"living_street", 10},
    {"service", 15},
}};

// E-bike (pedelec, assistance to 25 km/h): steady ~18-20 km/h on made roads and cycleways,
// slower off-road; no motorways or trunk roads.
constexpr std::array<ClassSpeed, 16> kEbikeSpeeds{{
    {"cycleway", 20},
    {"primary", 18},
    {"primary_link", 18},
    {"secondary", 18},
    {"secondary_link", 18},
    {"tertiary", 18},
    {"tertiary_link", 18},
    {"unclassified", 18},
    {"residential", 18},
    {"living_street", 10},
    {"service", 15},
    {"track", 12},
    {"bridleway", 12},
    {"path", 12},
    {"road", 18},
    {"busway", 18},
}};

// Ways an e-bike may use only when bicycle=yes|designated|permissive says so.
constexpr std::array<std::string_view, 2> kEbikeOnlyIfSigned{{"footway", "pedestrian"}};
constexpr double kEbikeSignedSpeed = 10;

// OSRM's speed_reduction: a road's maxspeed is not its typical travel speed.
constexpr double kCarMaxspeedShare = 0.8;

std::string lower_trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

template <std::size_t N>
double lookup(const std::array<ClassSpeed, N>& table, std::string_view highway) {
  for (const auto& c : table)
    if (c.highway == highway) return c.kmh;
  return 0;
}

}  // namespace

Profile make_profile(const RoadsConfig& roads) {
  const std::string name = lower_trim(roads.profile);
  if (name != "car" && name != "ebike")
    throw DataError("[roads] profile \"" + roads.profile + "\": expected \"car\" or \"ebike\"");
  if (roads.ferries && !(roads.ferry_minutes > 0))
    throw DataError("[roads] ferry_minutes must be > 0 when ferries = true");
  Profile p;
  p.name = name;
  p.ferries = roads.ferries;
  p.ferry_minutes = roads.ferry_minutes;
  return p;
}

double parse_maxspeed_kmh(std::string_view tag) {
  std::string s = lower_trim(tag);
  if (auto semi = s.find(';'); semi != std::string::npos) s = lower_trim(s.substr(0, semi));
  if (s.empty()) return 0;
  // Country:type forms used in the UK (maxspeed=, maxspeed:type=, source:maxspeed=).
  struct Named {
    std::string_view key;
    double kmh;
  };
  static constexpr std::array<Named, 14> kNamed{{
      {"gb:nsl_single", 60 * kMph},
      {"uk:nsl_single", 60 * kMph},
      {"national", 60 * kMph},
      {"gb:national", 60 * kMph},
      {"gb:nsl_dual", 70 * kMph},
      {"uk:nsl_dual", 70 * kMph},
      {"gb:motorway", 70 * kMph},
      {"uk:motorway", 70 * kMph},
      {"gb:nsl_restricted", 30 * kMph},
      {"uk:nsl_restricted", 30 * kMph},
      {"gb:urban", 30 * kMph},
      {"uk:urban", 30 * kMph},
      {"none", 140},
      {"walk", 5},
  }};
  for (const auto& n : kNamed)
    if (s == n.key) return n.kmh;
  // "gb:zone20" -> 20 mph (UK 20 mph zones).
  for (std::string_view prefix : {"gb:zone", "uk:zone"}) {
    if (s.rfind(prefix, 0) == 0) {
      double v = 0;
      const char* b = s.data() + prefix.size();
      auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
      if (ec == std::errc() && p == s.data() + s.size() && v > 0) return v * kMph;
      return 0;
    }
  }
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || !(v > 0) || !std::isfinite(v)) return 0;
  const std::string unit =
      lower_trim(std::string_view(p, static_cast<std::size_t>(s.data() + s.size() - p)));
  if (unit.empty() || unit == "km/h" || unit == "kmh" || unit == "kph") return v;
  if (unit == "mph" || unit == "mp/h") return v * kMph;
  if (unit == "knots" || unit == "kn") return v * 1.852;
  return 0;
}

double way_speed_kmh(const Profile& profile, std::string_view highway, std::string_view maxspeed) {
  const bool car = profile.name == "car";
  const double base = car ? lookup(kCarSpeeds, highway) : lookup(kEbikeSpeeds, highway);
  if (base <= 0) return 0;
  const double limit = parse_maxspeed_kmh(maxspeed);
  if (limit <= 0) return base;
  return std::min(base, car ? kCarMaxspeedShare * limit : limit);
}

namespace detail {

namespace {
bool in(std::string_view v, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

// First access tag present (most specific first) decides.
bool access_denied(const TagView& tags, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    const char* v = tags(k);
    if (!v) continue;
    return in(v, {"no", "private", "agricultural", "forestry", "emergency", "psv", "customers",
                  "delivery", "discouraged", "use_sidepath"});
  }
  return false;
}
}  // namespace

WayRule way_rule(const Profile& profile, const TagView& tags) {
  WayRule r;
  const bool car = profile.name == "car";
  const char* highway = tags("highway");
  const char* route = tags("route");
  if (route && std::strcmp(route, "ferry") == 0) {
    if (!profile.ferries) return r;
    if (car ? access_denied(tags, {"motorcar", "motor_vehicle", "vehicle"})
            : access_denied(tags, {"bicycle", "vehicle"}))
      return r;
    r.ferry = true;
    r.forward = r.backward = true;
    return r;
  }
  if (!highway) return r;
  if (const char* area = tags("area"); area && std::strcmp(area, "yes") == 0) return r;
  if (const char* impassable = tags("impassable");
      impassable && std::strcmp(impassable, "yes") == 0)
    return r;
  const std::string_view hw(highway);
  const char* maxspeed = tags("maxspeed");
  if (!maxspeed) maxspeed = tags("maxspeed:type");
  if (!maxspeed) maxspeed = tags("source:maxspeed");
  double kmh = way_speed_kmh(profile, hw, maxspeed ? maxspeed : "");
  if (car) {
    if (access_denied(tags, {"motorcar", "motor_vehicle", "vehicle", "access"})) return r;
  } else {
    const char* bicycle = tags("bicycle");
    const bool signed_ok = bicycle && in(bicycle, {"yes", "designated", "permissive"});
    if (kmh <= 0 && signed_ok &&
        std::find(kEbikeOnlyIfSigned.begin(), kEbikeOnlyIfSigned.end(), hw) !=
            kEbikeOnlyIfSigned.end())
      kmh = kEbikeSignedSpeed;
    if (!signed_ok && access_denied(tags, {"bicycle", "vehicle", "access"})) return r;
  }
  if (kmh <= 0) return r;
  r.kmh = kmh;
  // One-way: explicit tag, else implied by motorways and roundabouts.
  const char* oneway = tags("oneway");
  if (!car) {
    if (const char* ob = tags("oneway:bicycle")) oneway = ob;
  }
  bool fwd = true, bwd = true;
  if (oneway && in(oneway, {"yes", "1", "true"})) {
    bwd = false;
  } else if (oneway && in(oneway, {"-1", "reverse"})) {
    fwd = false;
  } else if (oneway && in(oneway, {"no", "0", "false"})) {
    // both ways
  } else {
    const char* junction = tags("junction");
    if ((car && hw == "motorway") || (junction && in(junction, {"roundabout", "circular"})))
      bwd = false;
  }
  r.forward = fwd;
  r.backward = bwd;
  return r;
}

bool is_main_road(std::string_view highway) {
  return in(highway, {"motorway", "trunk", "primary", "secondary", "tertiary"});
}

}  // namespace detail

namespace {

struct WayRec {
  std::size_t first = 0, count = 0;  // into refs
  float kmh = 0;
  bool forward = false, backward = false, ferry = false, routable = false;
  int main_road = -1;  // index into RoadNetwork::main_roads
};

struct Location {
  osmium::object_id_type id;
  Point p;  // lon/lat, then EPSG:27700
  bool ok;
};

std::uint32_t to_ds(double seconds) {
  const double ds = std::round(seconds * 10.0);
  if (ds >= 4.0e9) return 4000000000u;
  return static_cast<std::uint32_t>(std::max(0.0, ds));
}

// Weakly connected components (union-find), relabelled by size (0 = largest; ties: the
// component holding the lowest node index first).
void label_components(RoadGraph& g) {
  const std::size_t n = g.node_count();
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (std::uint32_t u = 0; u < n; ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const auto a = find(u), b = find(g.targets[k]);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
  std::vector<std::uint32_t> root_label(n, UINT32_MAX), size;
  g.component.assign(n, 0);
  for (std::uint32_t u = 0; u < n; ++u) {
    const auto r = find(u);
    if (root_label[r] == UINT32_MAX) {
      root_label[r] = static_cast<std::uint32_t>(size.size());
      size.push_back(0);
    }
    g.component[u] = root_label[r];
    ++size[root_label[r]];
  }
  std::vector<std::uint32_t> order(size.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return size[a] > size[b]; });
  std::vector<std::uint32_t> rank(size.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  for (auto& c : g.component) c = rank[c];
  g.component_count = static_cast<std::uint32_t>(size.size());
}

// Pass 1 of the reader: the routable ways and the main roads (for maps), their node refs.
struct OsmWays {
  std::vector<WayRec> ways;
  std::vector<osmium::object_id_type> refs;
};

OsmWays read_ways(const std::filesystem::path& osm, const Profile& profile,
                  std::vector<MainRoad>& main_roads) {
  OsmWays out;
  try {
    osmium::io::Reader reader(osmium::io::File(osm.string()), osmium::osm_entity_bits::way);
    while (osmium::memory::Buffer buffer = reader.read()) {
      for (const auto& way : buffer.select<osmium::Way>()) {
        const auto& tags = way.tags();
        const detail::TagView view{&tags};
        const detail::WayRule rule = detail::way_rule(profile, view);
        const char* highway = tags["highway"];
        const bool main = highway && detail::is_main_road(highway);
        if (!rule.routable() && !main) continue;
        WayRec w;
        w.first = out.refs.size();
        for (const auto& nr : way.nodes()) out.refs.push_back(nr.ref());
        w.count = out.refs.size() - w.first;
        w.kmh = static_cast<float>(rule.kmh);
        w.forward = rule.forward;
        w.backward = rule.backward;
        w.ferry = rule.ferry;
        w.routable = rule.routable();
        if (main) {
          w.main_road = static_cast<int>(main_roads.size());
          MainRoad m;
          m.highway = highway;
          if (const char* ref = tags["ref"]) m.ref = ref;
          main_roads.push_back(std::move(m));
        }
        out.ways.push_back(w);
      }
    }
    reader.close();
  } catch (const std::exception& e) {
    throw DataError(where(osm) + "cannot read OSM ways: " + e.what());
  }
  return out;
}

// Pass 2: the locations (lon/lat) of the referenced nodes, sorted by id (ok = found in
// the file), and the named places (their lon/lat in place_lonlat, same order).
std::vector<Location> read_nodes(const std::filesystem::path& osm,
                                 const std::vector<osmium::object_id_type>& refs,
                                 std::vector<Place>& places, std::vector<Point>& place_lonlat) {
  std::vector<Location> locs;
  {
    std::vector<osmium::object_id_type> ids(refs);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    locs.reserve(ids.size());
    for (auto id : ids) locs.push_back({id, {}, false});
  }
  try {
    osmium::io::Reader reader(osmium::io::File(osm.string()), osmium::osm_entity_bits::node);
    while (osmium::memory::Buffer buffer = reader.read()) {
      for (const auto& node : buffer.select<osmium::Node>()) {
        const auto loc = node.location();
        if (!loc.valid()) continue;
        auto it = std::lower_bound(
            locs.begin(), locs.end(), node.id(),
            [](const Location& l, osmium::object_id_type id) { return l.id < id; });
        if (it != locs.end() && it->id == node.id()) {
          it->p = {loc.lon(), loc.lat()};
          it->ok = true;
        }
        const char* place = node.tags()["place"];
        const char* name = node.tags()["name"];
        if (place && name &&
            detail::TagView::one_of(place, {"city", "town", "village", "hamlet", "suburb"})) {
          places.push_back({name, place, {}});
          place_lonlat.push_back({loc.lon(), loc.lat()});
        }
      }
    }
    reader.close();
  } catch (const std::exception& e) {
    throw DataError(where(osm) + "cannot read OSM nodes: " + e.what());
  }
  return locs;
}

// The located nodes and the places from lon/lat to EPSG:27700 (the one reprojection path,
// detail::CrsTransform): a node outside the grid's domain is an error naming it.
void to_bng(const std::filesystem::path& osm, std::vector<Location>& locs,
            std::vector<Place>& places, std::vector<Point> place_lonlat) {
  const detail::CrsTransform t("EPSG:4326", "EPSG:27700");
  std::vector<Point> pts;
  std::vector<std::size_t> at;
  pts.reserve(locs.size());
  for (std::size_t i = 0; i < locs.size(); ++i)
    if (locs[i].ok) pts.push_back(locs[i].p), at.push_back(i);
  t.apply_all(pts, [&](std::size_t i) {
    return where(osm) + "OSM node " + std::to_string(locs[at[i]].id) + " (lon, lat)";
  });
  for (std::size_t i = 0; i < pts.size(); ++i) locs[at[i]].p = pts[i];
  t.apply_all(place_lonlat, [&](std::size_t i) {
    return where(osm) + "OSM place \"" + places[i].name + "\" (lon, lat)";
  });
  for (std::size_t i = 0; i < places.size(); ++i) places[i].site = place_lonlat[i];
}

std::size_t loc_index(const std::vector<Location>& locs, osmium::object_id_type id) {
  return static_cast<std::size_t>(
      std::lower_bound(locs.begin(), locs.end(), id,
                       [](const Location& l, osmium::object_id_type x) { return l.id < x; }) -
      locs.begin());
}

// Graph nodes: the located nodes of routable ways (uncompressed: every shape point is a
// node, so snapping and partial edges follow the real polyline), in OSM id order. Fills
// the main roads' lines; returns the graph node of each location (UINT32_MAX: none).
std::vector<std::uint32_t> place_nodes(const OsmWays& w, const std::vector<Location>& locs,
                                       RoadNetwork& net) {
  std::vector<std::uint32_t> node_of(locs.size(), UINT32_MAX);
  for (const auto& way : w.ways) {
    for (std::size_t i = 0; i < way.count; ++i) {
      const auto li = loc_index(locs, w.refs[way.first + i]);
      if (way.main_road >= 0 && locs[li].ok) {
        auto& line = net.main_roads[static_cast<std::size_t>(way.main_road)].line.points;
        line.push_back(locs[li].p);
      }
      if (way.routable && locs[li].ok) node_of[li] = 0;
    }
  }
  RoadGraph& g = net.graph;
  for (std::size_t i = 0; i < locs.size(); ++i) {
    if (node_of[i] == UINT32_MAX) continue;
    node_of[i] = static_cast<std::uint32_t>(g.nodes.size());
    g.nodes.push_back(locs[i].p);
  }
  return node_of;
}

struct Arc {
  std::uint32_t u, v, w;
  float len;
};

// The arcs of the routable ways (ferries timed by share of the crossing), sorted, and of
// parallel arcs between the same two nodes only the quickest.
std::vector<Arc> road_arcs(const OsmWays& w, const std::vector<Location>& locs,
                           const std::vector<std::uint32_t>& node_of, const Profile& profile) {
  std::vector<Arc> arcs;
  for (const auto& way : w.ways) {
    if (!way.routable) continue;
    double way_len = 0;
    if (way.ferry) {
      for (std::size_t i = 1; i < way.count; ++i) {
        const auto a = loc_index(locs, w.refs[way.first + i - 1]);
        const auto b = loc_index(locs, w.refs[way.first + i]);
        if (locs[a].ok && locs[b].ok)
          way_len += std::hypot(locs[b].p.x - locs[a].p.x, locs[b].p.y - locs[a].p.y);
      }
    }
    for (std::size_t i = 1; i < way.count; ++i) {
      const auto a = loc_index(locs, w.refs[way.first + i - 1]);
      const auto b = loc_index(locs, w.refs[way.first + i]);
      if (!locs[a].ok || !locs[b].ok || a == b) continue;  // clipped extract: gap in the way
      const double len = std::hypot(locs[b].p.x - locs[a].p.x, locs[b].p.y - locs[a].p.y);
      double seconds;
      if (way.ferry)
        seconds = profile.ferry_minutes * 60.0 * (way_len > 0 ? len / way_len : 1.0);
      else
        seconds = len / (way.kmh / 3.6);
      const std::uint32_t ds = to_ds(seconds);
      if (way.forward) arcs.push_back({node_of[a], node_of[b], ds, static_cast<float>(len)});
      if (way.backward) arcs.push_back({node_of[b], node_of[a], ds, static_cast<float>(len)});
    }
  }
  std::sort(arcs.begin(), arcs.end(), [](const Arc& x, const Arc& y) {
    if (x.u != y.u) return x.u < y.u;
    if (x.v != y.v) return x.v < y.v;
    if (x.w != y.w) return x.w < y.w;
    return x.len < y.len;
  });
  arcs.erase(std::unique(arcs.begin(), arcs.end(),
                         [](const Arc& x, const Arc& y) { return x.u == y.u && x.v == y.v; }),
             arcs.end());
  return arcs;
}

// The CSR arrays of g (whose nodes are set) from sorted arcs.
void fill_csr(RoadGraph& g, const std::vector<Arc>& arcs) {
  const std::size_t n = g.nodes.size();
  g.offsets.assign(n + 1, 0);
  for (const auto& a : arcs) ++g.offsets[a.u + 1];
  for (std::size_t i = 0; i < n; ++i) g.offsets[i + 1] += g.offsets[i];
  g.targets.reserve(arcs.size());
  g.weights_ds.reserve(arcs.size());
  g.lengths_m.reserve(arcs.size());
  for (const auto& a : arcs) {
    g.targets.push_back(a.v);
    g.weights_ds.push_back(a.w);
    g.lengths_m.push_back(a.len);
  }
}

// A PBF file's framing, blob by blob, before libosmium reads it: libosmium's reader passes a
// null pointer to strncmp for a BlobHeader without a type (undefined behaviour, found by
// fuzz_osm_pbf), so such a file is refused here, naming the blob; so is a file cut short
// inside a blob, on which libosmium's reader leaves the file open (a descriptor lost per
// file, found by fuzz_osm_pbf running out of them). Anything else wrong with the framing is
// left to libosmium, which reports it.
void check_pbf_blob_headers(const std::filesystem::path& osm) {
  const std::string name = osm.filename().string();
  if (name.size() < 4 || name.compare(name.size() - 4, 4, ".pbf") != 0) return;
  std::ifstream in(osm, std::ios::binary);
  std::error_code ec;
  const std::uint64_t file_size = std::filesystem::file_size(osm, ec);
  auto cut_short = [&](long blob, std::uint64_t at) {
    return DataError(where(osm) + "cannot read OSM ways: PBF blob " + std::to_string(blob) +
                     " (at byte " + std::to_string(at) + ") is cut short: the file ends at byte " +
                     std::to_string(file_size) + "; is the file whole?");
  };
  std::uint64_t offset = 0;
  for (long blob = 1;; ++blob) {
    unsigned char len[4];
    in.read(reinterpret_cast<char*>(len), 4);
    if (in.gcount() < 4) return;
    const std::uint32_t size = (std::uint32_t{len[0]} << 24) | (std::uint32_t{len[1]} << 16) |
                               (std::uint32_t{len[2]} << 8) | std::uint32_t{len[3]};
    if (size == 0 || size > 64 * 1024) return;  // libosmium's own checks
    std::string header(size, '\0');
    in.read(header.data(), size);
    if (static_cast<std::uint32_t>(in.gcount()) < size) throw cut_short(blob, offset);
    bool typed = false;
    std::int32_t datasize = 0;
    try {
      protozero::pbf_reader r(header);
      while (r.next()) {
        if (r.tag() == 1 && r.wire_type() == protozero::pbf_wire_type::length_delimited) {
          typed = true;
          r.skip();
        } else if (r.tag() == 3 && r.wire_type() == protozero::pbf_wire_type::varint) {
          datasize = r.get_int32();
        } else {
          r.skip();
        }
      }
    } catch (const std::exception&) {
      return;  // a damaged header: libosmium says so
    }
    if (!typed)
      throw DataError(where(osm) + "cannot read OSM ways: PBF blob " + std::to_string(blob) +
                      " (at byte " + std::to_string(offset) +
                      ") has no type; is this an OSM PBF file, and is it whole?");
    if (datasize <= 0) return;
    if (!ec && offset + 4 + size + static_cast<std::uint64_t>(datasize) > file_size)
      throw cut_short(blob, offset);
    in.seekg(datasize, std::ios::cur);
    offset += 4 + size + static_cast<std::uint64_t>(datasize);
  }
}

}  // namespace

RoadNetwork build_road_network(const std::filesystem::path& osm, const Profile& profile) {
  if (!std::filesystem::is_regular_file(osm))
    throw DataError(where(osm) + "OSM file not found ([roads] osm)");
  RoadNetwork net;
  net.profile = profile;
  check_pbf_blob_headers(osm);
  const OsmWays ways = read_ways(osm, profile, net.main_roads);
  std::vector<Point> place_lonlat;
  std::vector<Location> locs = read_nodes(osm, ways.refs, net.places, place_lonlat);
  to_bng(osm, locs, net.places, std::move(place_lonlat));
  const std::vector<std::uint32_t> node_of = place_nodes(ways, locs, net);
  if (net.graph.nodes.empty())
    throw DataError(where(osm) + "no roads usable by the \"" + profile.name +
                    "\" profile (is this an OSM extract with highway ways?)");
  fill_csr(net.graph, road_arcs(ways, locs, node_of, profile));
  label_components(net.graph);
  return net;
}

}  // namespace lotwright::geo
