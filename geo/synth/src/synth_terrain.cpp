// synth-county stages: names, the county outline, settlements and their streets.
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

#include "synth_county_builder.hpp"

namespace lotwright::geo::synth {

// Names from syllables.

namespace {

constexpr std::array kStems = {
    "Ash",  "Bar",  "Brad", "Bram", "Brook", "Bur",  "Chal",  "Charl", "Chip", "Clay",
    "Cold", "Cran", "Dal",  "Den",  "Dun",   "Eg",   "Elm",   "Fair",  "Far",  "Fen",
    "Gad",  "Glen", "Gold", "Had",  "Hal",   "Ham",  "Har",   "Hart",  "Hay",  "Hol",
    "Horn", "Kel",  "Kil",  "King", "Lang",  "Lea",  "Lin",   "Lit",   "Long", "Mar",
    "Mel",  "Mid",  "Mil",  "Nor",  "Oak",   "Ock",  "Pen",   "Pid",   "Pol",  "Rad",
    "Red",  "Ring", "Ros",  "Rud",  "Sal",   "Sand", "Shep",  "Shir",  "Staf", "Stan",
    "Stap", "Sud",  "Sut",  "Swin", "Tad",   "Tam",  "Thorn", "Til",   "Tud",  "Wal",
    "War",  "Wel",  "Wes",  "Whit", "Wil",   "Win",  "Wood",  "Wych",  "Yar",  "Ab"};
constexpr std::array kLinks = {"", "", "", "", "", "ing", "er", "en", "el", "y", "ling", "ton"};
constexpr std::array kEnds = {"ford",  "ton",   "ham",     "ley",  "bury",   "combe",
                              "worth", "stow",  "field",   "by",   "wick",   "thorpe",
                              "den",   "hurst", "minster", "cote", "well",   "borough",
                              "stead", "hay",   "leigh",   "over", "bridge", "brook"};
constexpr std::array kTownPrefix = {"Market ", "Kings ", "Great ", "Bishops "};
constexpr std::array kVillagePrefix = {"Little ", "Upper ", "Lower ", "Nether ",
                                       "East ",   "West ",  "North ", "South "};
constexpr std::array kHamletSuffix = {" Green", " End", " Cross", " Common", " Street", " Heath"};

template <std::size_t N>
const char* pick(Rng& rng, const std::array<const char*, N>& a) {
  return a[rng.below(N)];
}

}  // namespace

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
    waves.push_back(
        {k, 0.3 * rng.normal() / std::pow(k, k <= 10 ? 1.1 : 1.45), rng.uniform(0, 2 * kPi)});
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

// Zipf-like sizes; placed largest first, apart from each other and from the edge.
void Builder::settlements() {
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
void Builder::streets() {
  for (auto& s : m_.settlements) {
    const double sp = s.kind == Kind::kTown ? 150 : 120;
    const double reach = s.radius_m * (s.kind == Kind::kTown      ? 1.0
                                       : s.kind == Kind::kVillage ? 0.9
                                                                  : 0.6);
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

}  // namespace lotwright::geo::synth
