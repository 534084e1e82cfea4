// synth-county: a believable synthetic county made by code (docs/synth-county.md).
// Everything is drawn from one std::mt19937_64 through our own distributions, in a fixed
// order, so a seed gives byte-identical files on every machine with the same libraries.
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

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <geos_c.h>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/synth/synth.hpp"
#include "synth_county_model.hpp"

namespace lotwright::geo {
namespace synth {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kStepM = 30;         // spacing of nodes along roads (OSM-like densification)
constexpr double kLaneGridM = 1100;   // mean spacing of the rural lane mesh
constexpr double kSettledShare = 0.82;  // postcodes in settlements; the rest along lanes
constexpr double kAreaResidents = 1500;  // residents per small area (LSOA-like)
constexpr double kHoursPerPostcode = 1.1;  // Devon-like demand density
constexpr double kHoursPerCustomer = 7.5;
constexpr double kLotHours = 1500;
// The county sits inland in southern England, centred here (EPSG:27700).
constexpr Point kCentre{420000, 230000};

double dist(Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); }

// ---------------------------------------------------------------------------------------
// Names from syllables.

constexpr std::array kStems = {
    "Ash",  "Bar",  "Brad", "Bram", "Brook", "Bur",  "Chal", "Charl", "Chip", "Clay",
    "Cold", "Cran", "Dal",  "Den",  "Dun",   "Eg",   "Elm",  "Fair",  "Far",  "Fen",
    "Gad",  "Glen", "Gold", "Had",  "Hal",   "Ham",  "Har",  "Hart",  "Hay",  "Hol",
    "Horn", "Kel",  "Kil",  "King", "Lang",  "Lea",  "Lin",  "Lit",   "Long", "Mar",
    "Mel",  "Mid",  "Mil",  "Nor",  "Oak",   "Ock",  "Pen",  "Pid",   "Pol",  "Rad",
    "Red",  "Ring", "Ros",  "Rud",  "Sal",   "Sand", "Shep", "Shir",  "Staf", "Stan",
    "Stap", "Sud",  "Sut",  "Swin", "Tad",   "Tam",  "Thorn", "Til",  "Tud",  "Wal",
    "War",  "Wel",  "Wes",  "Whit", "Wil",   "Win",  "Wood", "Wych",  "Yar",  "Ab"};
constexpr std::array kLinks = {"", "", "", "", "", "ing", "er", "en", "el", "y", "ling", "ton"};
constexpr std::array kEnds = {"ford",  "ton",  "ham",   "ley",   "bury",  "combe", "worth",
                              "stow",  "field", "by",   "wick",  "thorpe", "den",  "hurst",
                              "minster", "cote", "well", "borough", "stead", "hay",  "leigh",
                              "over",  "bridge", "brook"};
constexpr std::array kTownPrefix = {"Market ", "Kings ", "Great ", "Bishops "};
constexpr std::array kVillagePrefix = {"Little ", "Upper ", "Lower ", "Nether ",
                                       "East ",   "West ",  "North ", "South "};
constexpr std::array kHamletSuffix = {" Green", " End", " Cross", " Common", " Street",
                                      " Heath"};

template <std::size_t N>
const char* pick(Rng& rng, const std::array<const char*, N>& a) {
  return a[rng.below(N)];
}

std::string make_name(Rng& rng, Kind kind, std::set<std::string>& used) {
  for (int attempt = 0;; ++attempt) {
    std::string stem = pick(rng, kStems);
    std::string link = pick(rng, kLinks);
    std::string end = pick(rng, kEnds);
    // Avoid doubled letters at the joins ("Hallley") that read badly.
    if (!link.empty() && stem.back() == link.front()) link.clear();
    if (end.front() == (link.empty() ? stem.back() : link.back())) end = end.substr(1);
    std::string name = stem + link + end;
    const double r = rng.uniform();
    if (kind == Kind::kTown && r < 0.15) name = pick(rng, kTownPrefix) + name;
    if (kind == Kind::kVillage && r < 0.2) name = pick(rng, kVillagePrefix) + name;
    if (kind == Kind::kHamlet && r < 0.3) name += pick(rng, kHamletSuffix);
    if (attempt > 50) name += " " + std::to_string(attempt);  // many tiny hamlets
    if (used.insert(name).second) return name;
  }
}

// ---------------------------------------------------------------------------------------
// Plain geometry on our rings.

double ring_area(const Ring& r) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) a += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
  return a / 2;
}

double segment_distance(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  return dist(p, {a.x + t * dx, a.y + t * dy});
}

// A noisy blob: radius as a sum of random harmonics (large lobes and a rough edge),
// scaled so its area is area_m2. Star-shaped around the centre, hence simple.
Ring make_boundary(Rng& rng, double area_m2) {
  constexpr int kVertices = 960;
  struct Wave {
    int k;
    double amplitude, phase;
  };
  std::vector<Wave> waves;
  for (int k = 2; k <= 90; ++k)
    waves.push_back({k, 0.3 * rng.normal() / std::pow(k, k <= 10 ? 1.1 : 1.45),
                     rng.uniform(0, 2 * kPi)});
  std::vector<double> rho(kVertices);
  for (int i = 0; i < kVertices; ++i) {
    const double t = 2 * kPi * i / kVertices;
    double r = 1;
    for (const auto& w : waves) r += w.amplitude * std::cos(w.k * t + w.phase);
    rho[static_cast<std::size_t>(i)] = std::max(r, 0.4);
  }
  Ring unit;
  for (int i = 0; i < kVertices; ++i) {
    const double t = 2 * kPi * i / kVertices;
    unit.push_back({rho[static_cast<std::size_t>(i)] * std::cos(t),
                    rho[static_cast<std::size_t>(i)] * std::sin(t)});
  }
  unit.push_back(unit.front());
  const double scale = std::sqrt(area_m2 / ring_area(unit));
  Ring ring;
  for (const auto& p : unit)
    ring.push_back({std::round(kCentre.x + scale * p.x), std::round(kCentre.y + scale * p.y)});
  ring.back() = ring.front();
  return ring;
}

// ---------------------------------------------------------------------------------------
// A coarse bucket grid for "which settlements are near this point".

class Buckets {
 public:
  Buckets(Box box, double cell) : box_(box), cell_(cell) {
    nx_ = static_cast<int>((box.max_x - box.min_x) / cell) + 1;
    ny_ = static_cast<int>((box.max_y - box.min_y) / cell) + 1;
    cells_.resize(static_cast<std::size_t>(nx_) * ny_);
  }
  void add(int id, Point c, double reach) {
    for (int j = cy(c.y - reach); j <= cy(c.y + reach); ++j)
      for (int i = cx(c.x - reach); i <= cx(c.x + reach); ++i) cells_[idx(i, j)].push_back(id);
  }
  const std::vector<int>& near(Point p) const { return cells_[idx(cx(p.x), cy(p.y))]; }

 private:
  int cx(double x) const {
    return std::clamp(static_cast<int>((x - box_.min_x) / cell_), 0, nx_ - 1);
  }
  int cy(double y) const {
    return std::clamp(static_cast<int>((y - box_.min_y) / cell_), 0, ny_ - 1);
  }
  std::size_t idx(int i, int j) const { return static_cast<std::size_t>(j) * nx_ + i; }
  Box box_;
  double cell_;
  int nx_ = 0, ny_ = 0;
  std::vector<std::vector<int>> cells_;
};

// ---------------------------------------------------------------------------------------
// The builder.

class Builder {
 public:
  Builder(const SynthCountyOptions& o) : rng_(o.seed * 0x9E3779B97F4A7C15ULL + 0x5EED) {
    m_.options = o;
    m_.area_code = "ZX";
  }

  Model build() {
    const double n = static_cast<double>(m_.options.postcodes);
    m_.area_km2 = 600.0 * std::pow(n / 3000.0, 0.89);
    m_.boundary = make_boundary(rng_, m_.area_km2 * 1e6);
    m_.area_km2 = ring_area(m_.boundary) / 1e6;
    box_ = bounds(MultiPolygon{Polygon{m_.boundary, {}}});
    settlements();
    streets();
    lanes();
    links();
    connect();
    sites();
    postcodes();
    areas();
    demand();
    split_long_ways();
    return std::move(m_);
  }

 private:
  int add_node(Point p) {
    m_.nodes.push_back({std::round(p.x * 10) / 10, std::round(p.y * 10) / 10});
    return static_cast<int>(m_.nodes.size()) - 1;
  }

  // Appends the nodes strictly between a and b (straight, every ~kStepM) to way.
  void densify(std::vector<int>& way, Point a, Point b) {
    const int pieces = std::max(1, static_cast<int>(std::ceil(dist(a, b) / kStepM)));
    for (int k = 1; k < pieces; ++k) {
      const double t = static_cast<double>(k) / pieces;
      way.push_back(add_node({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)}));
    }
  }

  // A meandering road from node a to node b (midpoint displacement), densified.
  void road(int a, int b, const char* highway, std::string ref = "", double wiggle = 0.12) {
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
          next.push_back({(p.x + q.x) / 2 - (q.y - p.y) / len * off,
                          (p.y + q.y) / 2 + (q.x - p.x) / len * off});
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
  void split_long_ways() {
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

  int nearest_street_node(const Settlement& s, Point q) const {
    int best = s.street_nodes.front();
    double bd = std::numeric_limits<double>::max();
    for (int v : s.street_nodes) {
      const double d = dist(m_.nodes[static_cast<std::size_t>(v)], q);
      if (d < bd) bd = d, best = v;
    }
    return best;
  }

  // Zipf-like sizes; placed largest first, apart from each other and from the edge.
  void settlements() {
    const long n = m_.options.postcodes;
    const long count = std::max(6L, std::lround(static_cast<double>(n) / 55.0));
    std::vector<double> w;
    for (long k = 1; k <= count; ++k)
      w.push_back(std::pow(static_cast<double>(k), -1.05) * std::exp(0.25 * rng_.normal()));
    std::sort(w.begin(), w.end(), std::greater<>());
    const double total = std::accumulate(w.begin(), w.end(), 0.0);
    std::set<std::string> names;
    for (double wk : w) {
      Settlement s;
      s.postcodes = std::max(2L, std::lround(kSettledShare * static_cast<double>(n) * wk / total));
      s.kind = s.postcodes >= 150 ? Kind::kTown : s.postcodes >= 20 ? Kind::kVillage : Kind::kHamlet;
      const double density = s.kind == Kind::kTown ? 110 : s.kind == Kind::kVillage ? 70 : 45;
      s.radius_m = std::max(120.0, 1000 * std::sqrt(s.postcodes / (kPi * density)));
      s.name = make_name(rng_, s.kind, names);
      m_.settlements.push_back(std::move(s));
    }
    long settled = 0;
    for (const auto& s : m_.settlements) settled += s.postcodes;
    if (settled > n - n / 10)
      throw UsageError("synth-county: --postcodes " + std::to_string(n) + " is too small");

    constexpr int kTries = 3000;
    for (std::size_t i = 0; i < m_.settlements.size(); ++i) {
      Settlement& s = m_.settlements[i];
      const double gap = s.kind == Kind::kTown ? 3000 : s.kind == Kind::kVillage ? 900 : 500;
      Point best{};
      double best_slack = -std::numeric_limits<double>::max();
      for (int t = 0; t < kTries; ++t) {
        const Point c{std::round(rng_.uniform(box_.min_x, box_.max_x)),
                      std::round(rng_.uniform(box_.min_y, box_.max_y))};
        if (!inside(m_.boundary, c)) continue;
        double slack = distance_to_ring(m_.boundary, c) - (s.radius_m + 400);
        for (std::size_t j = 0; j < i && slack > best_slack; ++j) {
          const Settlement& o = m_.settlements[j];
          slack = std::min(slack, dist(c, o.centre) - (s.radius_m + o.radius_m + gap));
        }
        if (slack > best_slack) best_slack = slack, best = c;
        if (best_slack >= 0) break;
      }
      s.centre = best;
    }
  }

  // A jittered street lattice clipped to each settlement's disc; rows and columns become
  // residential ways. Hamlets get a small cross.
  void streets() {
    for (auto& s : m_.settlements) {
      const double sp = s.kind == Kind::kTown ? 150 : 120;
      const double reach =
          s.radius_m * (s.kind == Kind::kTown ? 1.0 : s.kind == Kind::kVillage ? 0.9 : 0.6);
      const int k = static_cast<int>(reach / sp);
      const double angle = rng_.uniform(0, kPi / 2);
      const double ca = std::cos(angle), sa = std::sin(angle);
      const int side = 2 * k + 1;
      std::vector<int> lattice(static_cast<std::size_t>(side) * side, -1);
      auto at = [&](int i, int j) -> int& {
        return lattice[static_cast<std::size_t>(j + k) * side + (i + k)];
      };
      s.street_nodes.push_back(add_node(s.centre));
      at(0, 0) = s.street_nodes.front();
      for (int j = -k; j <= k; ++j)
        for (int i = -k; i <= k; ++i) {
          if (i * i + j * j > (reach / sp) * (reach / sp) || (i == 0 && j == 0)) continue;
          const double u = (i + rng_.uniform(-0.15, 0.15)) * sp;
          const double v = (j + rng_.uniform(-0.15, 0.15)) * sp;
          const Point p{s.centre.x + u * ca - v * sa, s.centre.y + u * sa + v * ca};
          at(i, j) = add_node(p);
          s.street_nodes.push_back(at(i, j));
        }
      for (int dir = 0; dir < 2; ++dir)
        for (int j = -k; j <= k; ++j) {
          Way w{"residential", "", "30 mph", {}};
          auto flush = [&] {
            if (w.nodes.size() >= 2) m_.ways.push_back(w);
            w.nodes.clear();
          };
          for (int i = -k; i <= k; ++i) {
            const int v = dir == 0 ? at(i, j) : at(j, i);
            if (v < 0) {
              flush();
              continue;
            }
            if (!w.nodes.empty()) {
              const Point a = m_.nodes[static_cast<std::size_t>(w.nodes.back())];
              densify(w.nodes, a, m_.nodes[static_cast<std::size_t>(v)]);
            }
            w.nodes.push_back(v);
          }
          flush();
        }
      anchors_.insert(anchors_.end(), s.street_nodes.begin(), s.street_nodes.end());
    }
    settlement_buckets_ = std::make_unique<Buckets>(box_, 4000);
    for (std::size_t i = 0; i < m_.settlements.size(); ++i)
      settlement_buckets_->add(static_cast<int>(i), m_.settlements[i].centre,
                               m_.settlements[i].radius_m + 300);
  }

  // The settlement whose disc (plus margin) holds p, or -1.
  int settlement_at(Point p, double margin) const {
    for (int i : settlement_buckets_->near(p)) {
      const auto& s = m_.settlements[static_cast<std::size_t>(i)];
      if (dist(p, s.centre) < s.radius_m + margin) return i;
    }
    return -1;
  }

  // The rural mesh of lanes: a jittered grid of junctions, most neighbours joined by a
  // winding lane; some whole rows/columns are tertiary roads. Junctions falling in a
  // settlement join its streets instead.
  void lanes() {
    const double g = kLaneGridM;
    const int nx = static_cast<int>((box_.max_x - box_.min_x) / g) + 2;
    const int ny = static_cast<int>((box_.max_y - box_.min_y) / g) + 2;
    std::vector<int> node(static_cast<std::size_t>(nx) * ny, -1);
    std::vector<int> owner(node.size(), -1);
    std::vector<char> row_tertiary(static_cast<std::size_t>(ny)), col_tertiary(static_cast<std::size_t>(nx));
    for (auto& r : row_tertiary) r = rng_.chance(0.22);
    for (auto& c : col_tertiary) c = rng_.chance(0.22);
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const Point q{box_.min_x + (i + rng_.uniform(-0.3, 0.3)) * g,
                      box_.min_y + (j + rng_.uniform(-0.3, 0.3)) * g};
        if (!inside(m_.boundary, q)) continue;
        const std::size_t id = static_cast<std::size_t>(j) * nx + i;
        const int s = settlement_at(q, 200);
        if (s >= 0) {
          node[id] = nearest_street_node(m_.settlements[static_cast<std::size_t>(s)], q);
          owner[id] = s;
        } else {
          node[id] = add_node(q);
          junctions_.push_back(node[id]);
          anchors_.push_back(node[id]);
        }
      }
    auto join = [&](std::size_t a, std::size_t b, bool tertiary) {
      if (node[a] < 0 || node[b] < 0 || node[a] == node[b]) return;
      if (owner[a] >= 0 && owner[a] == owner[b]) return;
      const std::size_t first = m_.ways.size();
      road(node[a], node[b], tertiary ? "tertiary" : "unclassified", "", 0.14);
      for (std::size_t w = first; w < m_.ways.size(); ++w) lane_ways_.push_back(w);
    };
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const std::size_t id = static_cast<std::size_t>(j) * nx + i;
        const double right = rng_.uniform(), up = rng_.uniform(), diag = rng_.uniform();
        if (i + 1 < nx && right < 0.9) join(id, id + 1, row_tertiary[static_cast<std::size_t>(j)]);
        if (j + 1 < ny && up < 0.9)
          join(id, id + static_cast<std::size_t>(nx), col_tertiary[static_cast<std::size_t>(i)]);
        if (i + 1 < nx && j + 1 < ny && diag < 0.06)
          join(id, id + static_cast<std::size_t>(nx) + 1, false);
      }
  }

  // Roads between settlements: an A-road tree between towns (Prim), B-roads to the second
  // nearest town; villages to the nearest larger place; villages and hamlets to the lanes.
  void links() {
    auto& st = m_.settlements;
    std::vector<std::size_t> towns;
    for (std::size_t i = 0; i < st.size(); ++i)
      if (st[i].kind == Kind::kTown) towns.push_back(i);
    int a_roads = 0, b_roads = 0;
    auto link = [&](std::size_t a, std::size_t b, const char* highway, std::string ref) {
      const int na = nearest_street_node(st[a], st[b].centre);
      const int nb = nearest_street_node(st[b], st[a].centre);
      road(na, nb, highway, std::move(ref), 0.08);
    };
    std::set<std::pair<std::size_t, std::size_t>> linked;
    if (towns.size() > 1) {
      std::vector<char> in(towns.size(), 0);
      std::vector<double> best(towns.size(), std::numeric_limits<double>::max());
      std::vector<std::size_t> from(towns.size(), 0);
      in[0] = 1;
      for (std::size_t t = 1; t < towns.size(); ++t)
        best[t] = dist(st[towns[0]].centre, st[towns[t]].centre);
      for (std::size_t round = 1; round < towns.size(); ++round) {
        std::size_t pick_t = 0;
        double pd = std::numeric_limits<double>::max();
        for (std::size_t t = 0; t < towns.size(); ++t)
          if (!in[t] && best[t] < pd) pd = best[t], pick_t = t;
        in[pick_t] = 1;
        link(towns[from[pick_t]], towns[pick_t], "primary", "A" + std::to_string(301 + a_roads++));
        linked.insert(std::minmax(towns[from[pick_t]], towns[pick_t]));
        for (std::size_t t = 0; t < towns.size(); ++t) {
          const double d = dist(st[towns[pick_t]].centre, st[towns[t]].centre);
          if (!in[t] && d < best[t]) best[t] = d, from[t] = pick_t;
        }
      }
      for (std::size_t t : towns) {
        std::vector<std::pair<double, std::size_t>> by;
        for (std::size_t u : towns)
          if (u != t) by.push_back({dist(st[t].centre, st[u].centre), u});
        std::sort(by.begin(), by.end());
        if (by.size() >= 2 && by[1].first < 1.6 * by[0].first &&
            linked.insert(std::minmax(t, by[1].second)).second)
          link(t, by[1].second, "secondary", "B" + std::to_string(3001 + b_roads++));
      }
    }
    for (std::size_t v = 0; v < st.size(); ++v) {
      if (st[v].kind == Kind::kTown) continue;
      if (st[v].kind == Kind::kVillage) {
        std::size_t best = v;
        double bd = std::numeric_limits<double>::max();
        for (std::size_t u = 0; u < v; ++u) {
          if (st[u].kind == Kind::kHamlet) continue;
          const double d = dist(st[u].centre, st[v].centre) - st[u].radius_m;
          if (d < bd) bd = d, best = u;
        }
        if (best != v) {
          const bool town = st[best].kind == Kind::kTown;
          link(v, best, town ? "secondary" : "tertiary",
               town ? "B" + std::to_string(3001 + b_roads++) : "");
        }
      }
      // The lane to the nearest junction of the rural mesh.
      int best = -1;
      double bd = std::numeric_limits<double>::max();
      for (int j : junctions_) {
        const double d = dist(m_.nodes[static_cast<std::size_t>(j)], st[v].centre);
        if (d < bd) bd = d, best = j;
      }
      if (best >= 0 && bd < 4000)
        road(nearest_street_node(st[v], m_.nodes[static_cast<std::size_t>(best)]), best,
             "unclassified", "", 0.14);
    }
  }

  // Joins every part of the network not reached from the largest part with a lane from
  // its nearest anchor (junction or street node) to the largest part.
  void connect() {
    std::vector<int> parent(m_.nodes.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](int v) {
      while (parent[static_cast<std::size_t>(v)] != v) {
        parent[static_cast<std::size_t>(v)] =
            parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(v)])];
        v = parent[static_cast<std::size_t>(v)];
      }
      return v;
    };
    auto unite = [&](int a, int b) {
      a = find(a), b = find(b);
      if (a != b) parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
    };
    for (const auto& w : m_.ways)
      for (std::size_t i = 1; i < w.nodes.size(); ++i) unite(w.nodes[i - 1], w.nodes[i]);
    std::vector<long> size(m_.nodes.size(), 0);
    for (std::size_t v = 0; v < m_.nodes.size(); ++v) ++size[static_cast<std::size_t>(find(static_cast<int>(v)))];
    const int main_root = static_cast<int>(std::max_element(size.begin(), size.end()) - size.begin());
    std::vector<int> main_anchors;
    std::vector<std::pair<int, int>> others;  // (root, anchor)
    for (int a : anchors_) {
      const int r = find(a);
      if (r == main_root) main_anchors.push_back(a);
      else others.push_back({r, a});
    }
    std::sort(others.begin(), others.end());
    for (std::size_t i = 0; i < others.size();) {
      std::size_t j = i;
      int from = -1, to = -1;
      double bd = std::numeric_limits<double>::max();
      for (; j < others.size() && others[j].first == others[i].first; ++j) {
        const Point p = m_.nodes[static_cast<std::size_t>(others[j].second)];
        for (int a : main_anchors) {
          const double d = dist(p, m_.nodes[static_cast<std::size_t>(a)]);
          if (d < bd) bd = d, from = others[j].second, to = a;
        }
      }
      if (from >= 0) road(from, to, "unclassified", "", 0.1);
      i = j;
    }
  }

  double residents_for(int settlement) {
    if (settlement < 0) return std::round(rng_.uniform(8, 24));
    switch (m_.settlements[static_cast<std::size_t>(settlement)].kind) {
      case Kind::kTown: return std::round(rng_.uniform(26, 46));
      case Kind::kVillage: return std::round(rng_.uniform(20, 34));
      case Kind::kHamlet: break;
    }
    return std::round(rng_.uniform(10, 26));
  }

  // Postcode sites: clustered in settlements (denser at the centre), the rest along lanes.
  void sites() {
    std::set<std::pair<long, long>> used;
    auto take = [&](Point p, int settlement) {
      p = {std::round(p.x), std::round(p.y)};
      if (!inside(m_.boundary, p)) return false;
      if (!used.insert({std::lround(p.x), std::lround(p.y)}).second) return false;
      Site s;
      s.p = p;
      s.settlement = settlement;
      s.residents = residents_for(settlement);
      m_.sites.push_back(s);
      return true;
    };
    std::vector<double> older(m_.settlements.size());
    for (std::size_t i = 0; i < m_.settlements.size(); ++i) {
      auto& st = m_.settlements[i];
      older[i] = rng_.normal() * 0.035;  // retirement towns and young commuter villages
      long placed = 0;
      for (long t = 0; placed < st.postcodes && t < 100 * st.postcodes + 1000; ++t) {
        const double rho = st.radius_m * std::pow(rng_.uniform(), 0.6);
        const double th = rng_.uniform(0, 2 * kPi);
        if (take({st.centre.x + rho * std::cos(th), st.centre.y + rho * std::sin(th)},
                 static_cast<int>(i)))
          ++placed;
      }
      st.postcodes = placed;
    }
    const long isolated = m_.options.postcodes - static_cast<long>(m_.sites.size());
    std::vector<std::pair<int, int>> spots;  // (lane node, its neighbour) for direction
    for (std::size_t w : lane_ways_) {
      const auto& nodes = m_.ways[w].nodes;
      for (std::size_t i = 1; i + 1 < nodes.size(); ++i) spots.push_back({nodes[i], nodes[i + 1]});
    }
    long placed = 0;
    for (long t = 0; placed < isolated && t < 200 * isolated + 1000; ++t) {
      Point p;
      int drive_from = -1;
      Point drive_to;
      if (spots.empty()) {
        p = {rng_.uniform(box_.min_x, box_.max_x), rng_.uniform(box_.min_y, box_.max_y)};
      } else {
        // Most farms and cottages sit by the lane; some at the end of a long drive.
        const auto& [a, b] = spots[rng_.below(spots.size())];
        const Point pa = m_.nodes[static_cast<std::size_t>(a)], pb = m_.nodes[static_cast<std::size_t>(b)];
        const double len = std::max(1.0, dist(pa, pb));
        const bool drive = rng_.chance(0.3);
        const double off = (drive ? rng_.uniform(120, 450) : rng_.uniform(15, 90)) *
                           (rng_.chance(0.5) ? 1 : -1);
        const double nx = -(pb.y - pa.y) / len, ny = (pb.x - pa.x) / len;
        p = {pa.x + nx * off, pa.y + ny * off};
        if (drive) {
          const double end = off - std::copysign(20.0, off);
          drive_from = a;
          drive_to = {pa.x + nx * end, pa.y + ny * end};
        }
      }
      if (settlement_at(p, 100) >= 0) continue;
      if (!take(p, -1)) continue;
      ++placed;
      if (drive_from >= 0) {
        Way w{"service", "", "", {drive_from}};
        densify(w.nodes, m_.nodes[static_cast<std::size_t>(drive_from)], drive_to);
        w.nodes.push_back(add_node(drive_to));
        m_.ways.push_back(std::move(w));
      }
    }
    if (static_cast<long>(m_.sites.size()) != m_.options.postcodes)
      throw DataError("synth-county: could only place " + std::to_string(m_.sites.size()) +
                      " of " + std::to_string(m_.options.postcodes) + " postcodes");
    for (auto& s : m_.sites) {
      double share = s.settlement < 0 ? 0.30 : 0;
      if (s.settlement >= 0) {
        const Kind k = m_.settlements[static_cast<std::size_t>(s.settlement)].kind;
        share = (k == Kind::kTown ? 0.20 : k == Kind::kVillage ? 0.27 : 0.30) +
                older[static_cast<std::size_t>(s.settlement)];
        m_.settlements[static_cast<std::size_t>(s.settlement)].residents += s.residents;
      }
      share = std::clamp(share + 0.04 * rng_.normal(), 0.05, 0.6);
      s.over65 = s.residents * share;
    }
  }

  static std::uint64_t hilbert(std::uint32_t x, std::uint32_t y, int order) {
    std::uint64_t d = 0;
    for (std::uint32_t s = 1u << (order - 1); s > 0; s >>= 1) {
      const std::uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
      d += static_cast<std::uint64_t>(s) * s * ((3 * rx) ^ ry);
      if (ry == 0) {
        if (rx == 1) x = s - 1 - x, y = s - 1 - y;
        std::swap(x, y);
      }
    }
    return d;
  }

  // Postcodes in Hilbert order: districts and sectors are compact areas, like real ones.
  void postcodes() {
    const double span = std::max(box_.max_x - box_.min_x, box_.max_y - box_.min_y) + 1;
    std::vector<std::pair<std::uint64_t, std::size_t>> order;
    for (std::size_t i = 0; i < m_.sites.size(); ++i) {
      const auto hx = static_cast<std::uint32_t>((m_.sites[i].p.x - box_.min_x) / span * 65535);
      const auto hy = static_cast<std::uint32_t>((m_.sites[i].p.y - box_.min_y) / span * 65535);
      order.push_back({hilbert(hx, hy, 16), i});
    }
    std::sort(order.begin(), order.end());
    std::vector<Site> sorted;
    for (const auto& o : order) sorted.push_back(m_.sites[o.second]);
    m_.sites = std::move(sorted);

    const long n = static_cast<long>(m_.sites.size());
    const long sector_max = std::clamp((n + 699) / 700, 250L, 400L);
    std::vector<long> sector_sizes;
    for (long left = n; left > 0;) {
      const long s = std::min(left, std::lround(rng_.uniform(0.6, 1.0) * sector_max));
      sector_sizes.push_back(s);
      left -= s;
    }
    const long per_district =
        std::clamp(static_cast<long>((sector_sizes.size() + 94) / 95), 4L, 10L);
    static constexpr char kUnitLetters[] = "ABDEFGHJLNPQRSTUWXYZ";
    std::size_t next = 0;
    for (std::size_t sec = 0; sec < sector_sizes.size(); ++sec) {
      const long district = static_cast<long>(sec) / per_district + 1;
      const long sector = (static_cast<long>(sec) % per_district + 1) % 10;
      for (long u = 0; u < sector_sizes[sec]; ++u) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s%ld %ld%c%c", m_.area_code.c_str(), district, sector,
                      kUnitLetters[u / 20], kUnitLetters[u % 20]);
        m_.sites[next++].postcode = buf;
      }
    }
  }

  // Small areas (~1,500 residents): Voronoi cells (GEOS) of the centroids of runs of
  // postcodes in Hilbert order, clipped to the boundary; each postcode goes to the area
  // whose cell holds it (its nearest seed).
  void areas();

  void demand() {
    double over65 = 0;
    for (const auto& s : m_.sites) over65 += s.over65;
    const double target = kHoursPerPostcode * static_cast<double>(m_.sites.size());
    const double rate = target / kHoursPerCustomer / std::max(1.0, over65);
    const double sigma = 0.65, mu = std::log(kHoursPerCustomer) - sigma * sigma / 2;
    std::vector<std::size_t> by_code(m_.sites.size());
    std::iota(by_code.begin(), by_code.end(), 0);
    std::sort(by_code.begin(), by_code.end(), [&](std::size_t a, std::size_t b) {
      return m_.sites[a].postcode < m_.sites[b].postcode;
    });
    for (std::size_t i : by_code) {
      const long k = rng_.poisson(m_.sites[i].over65 * rate);
      if (k == 0) continue;
      DemandRow row{static_cast<int>(i), k, 0, 0};
      for (long c = 0; c < k; ++c) {
        const double h = std::clamp(std::round(2 * std::exp(mu + sigma * rng_.normal())) / 2, 1.0, 56.0);
        row.hours += h;
        if (rng_.chance(0.05)) row.unmet_hours += h;
      }
      m_.total_hours += row.hours;
      m_.demand.push_back(row);
    }
    m_.lots = std::max(2, static_cast<int>(std::lround(m_.total_hours / kLotHours)));
    const double r_km = std::sqrt(m_.area_km2 / m_.lots / kPi);
    m_.max_travel_minutes =
        std::clamp(5 * std::ceil((2.2 * r_km * 1.3 / 35 * 60 + 8) / 5), 20.0, 60.0);
  }

  Rng rng_;
  Model m_;
  Box box_;
  std::unique_ptr<Buckets> settlement_buckets_;
  std::vector<int> anchors_;       // street and junction nodes: where new roads may start
  std::vector<int> junctions_;     // junctions of the rural mesh outside settlements
  std::vector<std::size_t> lane_ways_;  // ways of the rural mesh (farms sit along them)
};

// ---------------------------------------------------------------------------------------
// GEOS for the small areas (one context for this call).

struct GeosContext {
  GEOSContextHandle_t h = GEOS_init_r();
  ~GeosContext() { GEOS_finish_r(h); }
};

struct GeomDeleter {
  GEOSContextHandle_t h;
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(h, g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

GEOSGeometry* check(GEOSContextHandle_t, GEOSGeometry* g, const char* what) {
  if (!g) throw DataError(std::string("synth-county: GEOS failed in ") + what);
  return g;
}

void Builder::areas() {
  namespace bg = boost::geometry;
  namespace bgi = boost::geometry::index;
  using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;

  // Seeds: centroids of consecutive runs of ~1,500 residents (sites are in Hilbert order).
  std::vector<Point> seeds;
  {
    double res = 0, sx = 0, sy = 0;
    long count = 0;
    double want = kAreaResidents * rng_.uniform(0.85, 1.2);
    for (std::size_t i = 0; i < m_.sites.size(); ++i) {
      res += m_.sites[i].residents;
      sx += m_.sites[i].p.x, sy += m_.sites[i].p.y, ++count;
      if (res >= want || i + 1 == m_.sites.size()) {
        if (i + 1 == m_.sites.size() && res < kAreaResidents / 2 && !seeds.empty()) break;
        seeds.push_back({std::round(sx / count * 10) / 10, std::round(sy / count * 10) / 10});
        res = sx = sy = 0, count = 0;
        want = kAreaResidents * rng_.uniform(0.85, 1.2);
      }
    }
    std::set<std::pair<double, double>> seen;
    for (auto& s : seeds)
      while (!seen.insert({s.x, s.y}).second) s.x += 1;
  }

  GeosContext ctx;
  const GEOSContextHandle_t h = ctx.h;
  GeomDeleter del{h};
  GEOSCoordSequence* cs = GEOSCoordSeq_create_r(h, static_cast<unsigned>(m_.boundary.size()), 2);
  for (std::size_t i = 0; i < m_.boundary.size(); ++i)
    GEOSCoordSeq_setXY_r(h, cs, static_cast<unsigned>(i), m_.boundary[i].x, m_.boundary[i].y);
  GeomPtr shell(check(h, GEOSGeom_createLinearRing_r(h, cs), "boundary ring"), del);
  GeomPtr boundary(check(h, GEOSGeom_createPolygon_r(h, shell.release(), nullptr, 0), "boundary"),
                   del);
  std::vector<GEOSGeometry*> pts;
  for (const auto& s : seeds) pts.push_back(GEOSGeom_createPointFromXY_r(h, s.x, s.y));
  GeomPtr multi(check(h,
                      GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts.data(),
                                                  static_cast<unsigned>(pts.size())),
                      "seeds"),
                del);
  GeomPtr cells(check(h, GEOSVoronoiDiagram_r(h, multi.get(), boundary.get(), 0.0, 0), "voronoi"),
                del);

  // Which seed each cell holds (GEOS 3.11 does not keep the input order).
  bgi::rtree<std::pair<BPoint, std::size_t>, bgi::quadratic<16>> tree;
  for (std::size_t i = 0; i < seeds.size(); ++i)
    tree.insert({BPoint(seeds[i].x, seeds[i].y), i});
  std::vector<GeomPtr> clipped(seeds.size());
  const int ncells = GEOSGetNumGeometries_r(h, cells.get());
  for (int c = 0; c < ncells; ++c) {
    const GEOSGeometry* cell = GEOSGetGeometryN_r(h, cells.get(), c);
    double x0, y0, x1, y1;
    GEOSGeom_getXMin_r(h, cell, &x0);
    GEOSGeom_getYMin_r(h, cell, &y0);
    GEOSGeom_getXMax_r(h, cell, &x1);
    GEOSGeom_getYMax_r(h, cell, &y1);
    std::vector<std::pair<BPoint, std::size_t>> cand;
    tree.query(bgi::intersects(bg::model::box<BPoint>(BPoint(x0, y0), BPoint(x1, y1))),
               std::back_inserter(cand));
    std::sort(cand.begin(), cand.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [bp, idx] : cand) {
      GeomPtr pt(GEOSGeom_createPointFromXY_r(h, bg::get<0>(bp), bg::get<1>(bp)), del);
      if (GEOSIntersects_r(h, cell, pt.get()) == 1 && !clipped[idx]) {
        clipped[idx] =
            GeomPtr(check(h, GEOSIntersection_r(h, cell, boundary.get()), "clip"), del);
        break;
      }
    }
  }

  // Nearest seed (lowest index on ties): grow a box until the best hit lies within it.
  for (auto& s : m_.sites) {
    double reach = 2000;
    for (;;) {
      std::vector<std::pair<BPoint, std::size_t>> cand;
      tree.query(bgi::intersects(bg::model::box<BPoint>(BPoint(s.p.x - reach, s.p.y - reach),
                                                        BPoint(s.p.x + reach, s.p.y + reach))),
                 std::back_inserter(cand));
      double bd = std::numeric_limits<double>::max();
      for (const auto& [bp, idx] : cand) {
        const double d = dist(s.p, seeds[idx]);
        if (d < bd || (d == bd && static_cast<int>(idx) < s.area)) bd = d, s.area = static_cast<int>(idx);
      }
      if (bd <= reach) break;
      reach = bd < std::numeric_limits<double>::max() ? bd : reach * 4;
      s.area = -1;
    }
  }

  // Local density: residents within 10 km (1 km grid), for the "sparse setting" codes.
  const int gx = static_cast<int>((box_.max_x - box_.min_x) / 1000) + 1;
  const int gy = static_cast<int>((box_.max_y - box_.min_y) / 1000) + 1;
  std::vector<double> grid(static_cast<std::size_t>(gx) * gy, 0);
  for (const auto& s : m_.sites)
    grid[static_cast<std::size_t>(static_cast<int>((s.p.y - box_.min_y) / 1000)) * gx +
         static_cast<std::size_t>((s.p.x - box_.min_x) / 1000)] += s.residents;

  struct Tally {
    double res = 0, over65 = 0, sx = 0, sy = 0;
    std::array<double, 4> cls{};  // B C D E
  };
  std::vector<Tally> tally(seeds.size());
  for (const auto& s : m_.sites) {
    Tally& t = tally[static_cast<std::size_t>(s.area)];
    t.res += s.residents, t.over65 += s.over65;
    t.sx += s.p.x * s.residents, t.sy += s.p.y * s.residents;
    int c = 3;
    if (s.settlement >= 0) {
      const auto& st = m_.settlements[static_cast<std::size_t>(s.settlement)];
      c = st.residents >= 250000 ? 0 : st.residents >= 10000 ? 1 : st.kind == Kind::kTown ? 2 : 3;
    }
    t.cls[static_cast<std::size_t>(c)] += s.residents;
  }

  GEOSWKBWriter* writer = GEOSWKBWriter_create_r(h);
  GEOSWKBWriter_setByteOrder_r(h, writer, GEOS_WKB_NDR);
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    if (!clipped[i]) throw DataError("synth-county: a small area lost its Voronoi cell");
    SmallArea a;
    char code[48];
    std::snprintf(code, sizeof code, "Z01%06zu", i + 1);
    a.code = code;
    char name[48];
    std::snprintf(name, sizeof name, " %03zu", i + 1);
    a.name = m_.options.name + name;
    std::size_t len = 0;
    unsigned char* wkb = GEOSWKBWriter_write_r(h, writer, clipped[i].get(), &len);
    a.wkb.assign(wkb, wkb + len);
    GEOSFree_r(h, wkb);
    const Tally& t = tally[i];
    a.residents = std::lround(t.res);
    a.over65 = std::lround(t.over65);
    const Point c = t.res > 0 ? Point{t.sx / t.res, t.sy / t.res} : seeds[i];
    double near = 0;
    const int ci = static_cast<int>((c.x - box_.min_x) / 1000), cj = static_cast<int>((c.y - box_.min_y) / 1000);
    for (int j = std::max(0, cj - 10); j <= std::min(gy - 1, cj + 10); ++j)
      for (int k = std::max(0, ci - 10); k <= std::min(gx - 1, ci + 10); ++k)
        if ((j - cj) * (j - cj) + (k - ci) * (k - ci) <= 100)
          near += grid[static_cast<std::size_t>(j) * gx + static_cast<std::size_t>(k)];
    const bool sparse = near / (kPi * 100) < 60;
    const double urban = t.cls[0] + t.cls[1];
    if (urban > t.res / 2)
      a.ruc = t.cls[0] > t.cls[1] ? "B1" : sparse ? "C2" : "C1";
    else if (t.cls[2] > t.cls[3])
      a.ruc = sparse ? "D2" : "D1";
    else
      a.ruc = sparse ? "E2" : "E1";
    m_.areas.push_back(std::move(a));
  }
  GEOSWKBWriter_destroy_r(h, writer);

  // Sites are written sorted by postcode.
  std::sort(m_.sites.begin(), m_.sites.end(),
            [](const Site& a, const Site& b) { return a.postcode < b.postcode; });
}

}  // namespace

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
    case Kind::kTown: return "town";
    case Kind::kVillage: return "village";
    case Kind::kHamlet: break;
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
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
      in = !in;
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
