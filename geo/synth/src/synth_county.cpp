// synth-county: a believable synthetic county made by code (docs/synth-county.md).
// Everything is drawn from one std::mt19937_64 through our own distributions, in a fixed
// order, so a seed gives byte-identical files on every machine with the same libraries.
// The builder's stages are in synth_terrain/roads/postcodes/areas.cpp
// (synth_county_builder.hpp); this file: ways, the distributions and the entry point.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/synth/synth.hpp"
#include "synth_county_builder.hpp"

namespace lotwright::geo {
namespace synth {

int Builder::add_node(Point p) {
  m_.nodes.push_back({std::round(p.x * 10) / 10, std::round(p.y * 10) / 10});
  return static_cast<int>(m_.nodes.size()) - 1;
}

// Appends the nodes strictly between a and b (straight, every ~kStepM) to way.
void Builder::densify(std::vector<int>& way, Point a, Point b) {
  const int pieces = std::max(1, static_cast<int>(std::ceil(dist(a, b) / kStepM)));
  for (int k = 1; k < pieces; ++k) {
    const double t = static_cast<double>(k) / pieces;
    way.push_back(add_node({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)}));
  }
}

// A meandering road from node a to node b (midpoint displacement), densified.
void Builder::road(int a, int b, const char* highway, std::string ref, double wiggle) {
  std::vector<Point> pts{m_.nodes[static_cast<std::size_t>(a)],
                         m_.nodes[static_cast<std::size_t>(b)]};
  for (int level = 0; level < 8; ++level) {
    bool split = false;
    std::vector<Point> next{pts.front()};
    for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
      const Point p = pts[i], q = pts[i + 1];
      const double len = dist(p, q);
      if (len > 320) {
        const double off = std::clamp(rng_.normal(), -2.5, 2.5) * wiggle * len;
        next.push_back(
            {(p.x + q.x) / 2 - (q.y - p.y) / len * off, (p.y + q.y) / 2 + (q.x - p.x) / len * off});
        split = true;
      }
      next.push_back(q);
    }
    pts = std::move(next);
    if (!split) break;
  }
  Way w{highway, std::move(ref), "", {a}};
  for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
    densify(w.nodes, pts[i], pts[i + 1]);
    if (i + 2 < pts.size()) w.nodes.push_back(add_node(pts[i + 1]));
  }
  w.nodes.push_back(b);
  m_.ways.push_back(std::move(w));
}

// OSM ways stay under 2,000 nodes: long ones are cut into pieces sharing end nodes.
void Builder::split_long_ways() {
  constexpr std::size_t kMax = 1800;
  std::vector<Way> out;
  for (auto& w : m_.ways) {
    if (w.nodes.size() <= kMax) {
      out.push_back(std::move(w));
      continue;
    }
    for (std::size_t i = 0; i + 1 < w.nodes.size(); i += kMax - 1) {
      Way piece{w.highway, w.ref, w.maxspeed, {}};
      const std::size_t end = std::min(w.nodes.size(), i + kMax);
      piece.nodes.assign(w.nodes.begin() + static_cast<std::ptrdiff_t>(i),
                         w.nodes.begin() + static_cast<std::ptrdiff_t>(end));
      out.push_back(std::move(piece));
    }
  }
  m_.ways = std::move(out);
}

int Builder::nearest_street_node(const Settlement& s, Point q) const {
  int best = s.street_nodes.front();
  double bd = std::numeric_limits<double>::max();
  for (int v : s.street_nodes) {
    const double d = dist(m_.nodes[static_cast<std::size_t>(v)], q);
    if (d < bd) bd = d, best = v;
  }
  return best;
}

double Rng::normal() {
  double u1 = uniform();
  if (u1 <= 0) u1 = 0x1.0p-53;
  const double u2 = uniform();
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
}

long Rng::poisson(double lambda) {
  if (lambda <= 0) return 0;
  if (lambda > 30) return std::max(0L, std::lround(lambda + std::sqrt(lambda) * normal()));
  const double limit = std::exp(-lambda);
  double p = 1;
  long k = 0;
  do {
    ++k;
    p *= uniform();
  } while (p > limit);
  return k - 1;
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kTown:
      return "town";
    case Kind::kVillage:
      return "village";
    case Kind::kHamlet:
      break;
  }
  return "hamlet";
}

const char* ruc_name(const std::string& code) {
  if (code == "A1") return "Urban major conurbation";
  if (code == "B1") return "Urban minor conurbation";
  if (code == "C1") return "Urban city and town";
  if (code == "C2") return "Urban city and town in a sparse setting";
  if (code == "D1") return "Rural town and fringe";
  if (code == "D2") return "Rural town and fringe in a sparse setting";
  if (code == "E1") return "Rural village and dispersed";
  return "Rural village and dispersed in a sparse setting";
}

bool inside(const Ring& ring, Point p) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const Point a = ring[i], b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

double distance_to_ring(const Ring& ring, Point p) {
  double d = std::numeric_limits<double>::max();
  for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    d = std::min(d, segment_distance(p, ring[i], ring[i + 1]));
  return d;
}

Model build_model(const SynthCountyOptions& options) { return Builder(options).build(); }

}  // namespace synth

SynthCountySummary synth_county(const std::filesystem::path& dir,
                                const SynthCountyOptions& options) {
  namespace fs = std::filesystem;
  if (options.postcodes < 200 || options.postcodes > 250000)
    throw UsageError("--postcodes must be between 200 and 250000 (got " +
                     std::to_string(options.postcodes) + ")");
  if (options.name.empty()) throw UsageError("the county name must not be empty");
  if (dir.empty()) throw UsageError("--out is required");
  // write_dir_atomic replaces the whole folder: refuse to replace one we did not make.
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      throw UsageError("--out " + dir.string() + " exists and is not a folder");
    if (!fs::is_empty(dir, ec)) {
      std::string first;
      if (fs::exists(dir / "county.toml")) {
        const std::string text = [&] {
          std::FILE* f = std::fopen((dir / "county.toml").c_str(), "rb");
          std::string t;
          if (!f) return t;
          char buf[128];
          const std::size_t got = std::fread(buf, 1, sizeof buf, f);
          std::fclose(f);
          return std::string(buf, got);
        }();
        first = text.substr(0, text.find('\n'));
      }
      if (first.rfind("# Synthetic county made by lotwright synth-county", 0) != 0)
        throw UsageError("--out " + dir.string() +
                         " is not empty and was not made by synth-county; refusing to replace "
                         "it (give a new or empty folder)");
    }
  }
  const synth::Model m = synth::build_model(options);
  write_dir_atomic(dir, [&](const fs::path& tmp) { synth::write_model(m, tmp); });
  SynthCountySummary s;
  s.postcodes = static_cast<long>(m.sites.size());
  s.settlements = static_cast<long>(m.settlements.size());
  s.road_nodes = static_cast<long>(m.nodes.size());
  s.road_ways = static_cast<long>(m.ways.size());
  s.area_km2 = m.area_km2;
  return s;
}

}  // namespace lotwright::geo
