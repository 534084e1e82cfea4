// synth-county stages: postcode sites and postcodes.
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

double Builder::residents_for(int settlement) {
  if (settlement < 0) return std::round(rng_.uniform(8, 24));
  switch (m_.settlements[static_cast<std::size_t>(settlement)].kind) {
    case Kind::kTown:
      return std::round(rng_.uniform(26, 46));
    case Kind::kVillage:
      return std::round(rng_.uniform(20, 34));
    case Kind::kHamlet:
      break;
  }
  return std::round(rng_.uniform(10, 26));
}

// Postcode sites: clustered in settlements (denser at the centre), the rest along lanes.
void Builder::sites() {
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
      const Point pa = m_.nodes[static_cast<std::size_t>(a)],
                  pb = m_.nodes[static_cast<std::size_t>(b)];
      const double len = std::max(1.0, dist(pa, pb));
      const bool drive = rng_.chance(0.3);
      const double off =
          (drive ? rng_.uniform(120, 450) : rng_.uniform(15, 90)) * (rng_.chance(0.5) ? 1 : -1);
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
    throw DataError("synth-county: could only place " + std::to_string(m_.sites.size()) + " of " +
                    std::to_string(m_.options.postcodes) + " postcodes");
  for (auto& s : m_.sites) {
    double share = s.settlement < 0 ? 0.30 : 0;
    if (s.settlement >= 0) {
      const Kind k = m_.settlements[static_cast<std::size_t>(s.settlement)].kind;
      share = (k == Kind::kTown      ? 0.20
               : k == Kind::kVillage ? 0.27
                                     : 0.30) +
              older[static_cast<std::size_t>(s.settlement)];
      m_.settlements[static_cast<std::size_t>(s.settlement)].residents += s.residents;
    }
    share = std::clamp(share + 0.04 * rng_.normal(), 0.05, 0.6);
    s.over65 = s.residents * share;
  }
}

std::uint64_t Builder::hilbert(std::uint32_t x, std::uint32_t y, int order) {
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
void Builder::postcodes() {
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
  const long per_district = std::clamp(static_cast<long>((sector_sizes.size() + 94) / 95), 4L, 10L);
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

}  // namespace lotwright::geo::synth
