// Binary cache of the road network: built once per (OSM file bytes, profile), reused after.
//
// Key: a 64-bit hash of every byte of the OSM file (read in 1 MiB blocks, ~1 GB/s) plus the
// profile (name, ferries, ferry minutes) and the cache format version. Hashing the whole
// file (not size + mtime) means a copied or touched file still hits and any edit rebuilds.
// File: <cache_dir>/<osm file name>.<profile>[-ferry].lwroads, written atomically; a payload
// checksum at the end detects truncation or corruption, in which case the graph is rebuilt.
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/study/roads.hpp"

namespace lotwright::geo {

namespace {

constexpr char kMagic[8] = {'L', 'W', 'R', 'O', 'A', 'D', 'S', '\0'};
constexpr std::uint32_t kFormatVersion = 2;

struct Hasher {
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  static std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return x;
  }
  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      h = mix(h ^ w) + 0x632BE59BD9B4E019ull;
    }
    std::uint64_t tail = n;  // length folded in with the tail bytes
    for (; i < n; ++i) tail = (tail << 8) | p[i];
    h = mix(h ^ tail);
  }
};

std::uint64_t cache_key(const std::filesystem::path& osm, const Profile& profile) {
  std::ifstream in(osm, std::ios::binary);
  if (!in) throw DataError(where(osm) + "cannot read OSM file ([roads] osm)");
  Hasher h;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > 0) h.add(buf.data(), got);
  }
  const std::string p = profile.name + (profile.ferries ? "|ferry|" : "|noferry|") +
                        std::to_string(profile.ferry_minutes) + "|v" +
                        std::to_string(kFormatVersion);
  h.add(p.data(), p.size());
  return h.h;
}

std::string hex(std::uint64_t v) {
  static const char* d = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = d[v & 15];
  return s;
}

class Writer {
 public:
  template <class T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    buf_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod<std::uint64_t>(v.size());
    if (!v.empty()) buf_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void str(const std::string& s) {
    pod<std::uint64_t>(s.size());
    buf_.append(s);
  }
  std::string& bytes() { return buf_; }

 private:
  std::string buf_;
};

struct Corrupt {};

class ByteReader {
 public:
  ByteReader(const char* p, std::size_t n) : p_(p), end_(p + n) {}
  template <class T>
  T pod() {
    if (static_cast<std::size_t>(end_ - p_) < sizeof(T)) throw Corrupt{};
    T v;
    std::memcpy(&v, p_, sizeof(T));
    p_ += sizeof(T);
    return v;
  }
  template <class T>
  std::vector<T> vec() {
    const auto n = pod<std::uint64_t>();
    if (n > static_cast<std::uint64_t>(end_ - p_) / sizeof(T)) throw Corrupt{};
    std::vector<T> v(n);
    if (n) std::memcpy(v.data(), p_, n * sizeof(T));
    p_ += n * sizeof(T);
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    if (n > static_cast<std::uint64_t>(end_ - p_)) throw Corrupt{};
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  bool done() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
};

std::string serialise(const RoadNetwork& net, std::uint64_t key) {
  Writer w;
  for (char c : kMagic) w.pod(c);
  w.pod(kFormatVersion);
  w.pod(key);
  const auto& g = net.graph;
  w.vec(g.offsets);
  w.vec(g.targets);
  w.vec(g.weights_ds);
  w.vec(g.lengths_m);
  w.vec(g.nodes);
  w.vec(g.component);
  w.pod(g.component_count);
  w.pod<std::uint64_t>(net.places.size());
  for (const auto& p : net.places) {
    w.str(p.name);
    w.str(p.kind);
    w.pod(p.site);
  }
  w.pod<std::uint64_t>(net.main_roads.size());
  for (const auto& m : net.main_roads) {
    w.str(m.highway);
    w.str(m.ref);
    w.vec(m.line.points);
  }
  Hasher h;
  h.add(w.bytes().data(), w.bytes().size());
  w.pod(h.h);
  return std::move(w.bytes());
}

// Null-equivalent (false) when the file is missing, of another key, or damaged.
bool deserialise(const std::string& bytes, std::uint64_t key, RoadNetwork& net) {
  if (bytes.size() < sizeof(kMagic) + 4 + 8 + 8) return false;
  const std::size_t body = bytes.size() - 8;
  Hasher h;
  h.add(bytes.data(), body);
  std::uint64_t stored;
  std::memcpy(&stored, bytes.data() + body, 8);
  if (stored != h.h) return false;
  try {
    ByteReader r(bytes.data(), body);
    for (char c : kMagic)
      if (r.pod<char>() != c) return false;
    if (r.pod<std::uint32_t>() != kFormatVersion) return false;
    if (r.pod<std::uint64_t>() != key) return false;
    auto& g = net.graph;
    g.offsets = r.vec<std::uint32_t>();
    g.targets = r.vec<std::uint32_t>();
    g.weights_ds = r.vec<std::uint32_t>();
    g.lengths_m = r.vec<float>();
    g.nodes = r.vec<Point>();
    g.component = r.vec<std::uint32_t>();
    g.component_count = r.pod<std::uint32_t>();
    const auto places = r.pod<std::uint64_t>();
    if (places > body) return false;
    for (std::uint64_t i = 0; i < places; ++i) {
      Place p;
      p.name = r.str();
      p.kind = r.str();
      p.site = r.pod<Point>();
      net.places.push_back(std::move(p));
    }
    const auto roads = r.pod<std::uint64_t>();
    if (roads > body) return false;
    for (std::uint64_t i = 0; i < roads; ++i) {
      MainRoad m;
      m.highway = r.str();
      m.ref = r.str();
      m.line.points = r.vec<Point>();
      net.main_roads.push_back(std::move(m));
    }
    if (!r.done()) return false;
    // Structural checks: a graph that passes these cannot index out of bounds.
    const std::size_t n = g.nodes.size();
    if (g.offsets.size() != n + 1 || g.offsets.front() != 0 || g.offsets.back() != g.targets.size())
      return false;
    if (g.weights_ds.size() != g.targets.size() || g.lengths_m.size() != g.targets.size() ||
        g.component.size() != n)
      return false;
    for (std::size_t i = 0; i < n; ++i)
      if (g.offsets[i] > g.offsets[i + 1] || g.component[i] >= g.component_count) return false;
    for (auto t : g.targets)
      if (t >= n) return false;
  } catch (const Corrupt&) {
    return false;
  }
  return true;
}

}  // namespace

RoadNetwork load_road_network(const std::filesystem::path& osm, const Profile& profile,
                              const std::filesystem::path& cache_dir, bool* from_cache) {
  if (from_cache) *from_cache = false;
  if (!std::filesystem::is_regular_file(osm))
    throw DataError(where(osm) + "OSM file not found ([roads] osm)");
  if (cache_dir.empty()) return build_road_network(osm, profile);
  const std::uint64_t key = cache_key(osm, profile);
  const auto file = cache_dir / (osm.filename().string() + "." + profile.name +
                                 (profile.ferries ? "-ferry" : "") + ".lwroads");
  {
    std::ifstream in(file, std::ios::binary);
    if (in) {
      std::ostringstream ss;
      ss << in.rdbuf();
      RoadNetwork net;
      if (deserialise(ss.str(), key, net)) {
        net.profile = profile;
        net.source_hash = hex(key);
        if (from_cache) *from_cache = true;
        return net;
      }
    }
  }
  RoadNetwork net = build_road_network(osm, profile);
  net.source_hash = hex(key);
  const std::string bytes = serialise(net, key);
  // The cache only saves time: a folder we cannot write to costs a rebuild next run.
  std::error_code ec;
  std::filesystem::create_directories(cache_dir, ec);
  if (!ec) {
    try {
      write_file_atomic(file, bytes);
    } catch (const std::exception&) {
    }
  }
  return net;
}

}  // namespace lotwright::geo
