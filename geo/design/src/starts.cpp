// Starts (docs/designer.md, "How", step 2): METIS k-way with contiguity on hour weights,
// capacitated growth from p-median-like seeds, or the kept plan (keep_from).
#include <metis.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <queue>
#include <tuple>

#include "problem.hpp"

namespace lotwright::geo::design_detail {

// The starts of one search: the kept plan (keep_from), or METIS (without locked postcodes)
// and `growth_starts` growths.
std::vector<std::vector<int>> Designer::make_starts(Rng& rng, const Budget& budget) {
  std::vector<std::vector<int>> starts;
  const auto& keep = obj_.keep();
  if (!keep.empty()) {
    std::vector<int> lot(static_cast<std::size_t>(n_), kNoLot);
    for (int u : active_units_) {
      const int l = keep[u];
      if (l >= 0 && l < k_ && parts_[spec_[l].part].units.size() > 0 && spec_[l].part == comp_[u])
        lot[u] = l;
    }
    if (!locked_.empty())
      for (int u : active_units_)
        if (locked_[u] != kNoLot) lot[u] = locked_[u];
    starts.push_back(std::move(lot));
  } else {
    if (locked_.empty()) {
      auto m = start_metis(req_.design.seed);
      if (!m.empty()) starts.push_back(std::move(m));
    }
    for (int i = 0; i < budget.growth_starts; ++i) starts.push_back(start_growth(rng));
  }
  return starts;
}

// Each lot must hold at least one unit: a lot a start left empty takes the unit furthest
// from the centre of the fullest lot of its part.
void Designer::give_empty_lots_a_unit(std::vector<int>& lot) const {
  for (const auto& p : parts_) {
    if (p.stray) continue;
    for (int l : p.lot_ids) {
      bool has = false;
      for (int u : p.units) has = has || lot[u] == l;
      if (has) continue;
      std::vector<double> h(static_cast<std::size_t>(k_), 0), sx(h), sy(h);
      for (int u : p.units)
        if (lot[u] != kNoLot)
          h[lot[u]] += obj_.weight(u), sx[lot[u]] += obj_.weight(u) * g_.site[u].x,
              sy[lot[u]] += obj_.weight(u) * g_.site[u].y;
      int big = -1;
      for (int m : p.lot_ids)
        if (h[m] > 0 && (big < 0 || h[m] / spec_[m].target > h[big] / spec_[big].target)) big = m;
      // Nothing of this part assigned yet, or the fullest lot holds only locked postcodes (a
      // partial keep_from beside locked ones): start the lot at any free postcode (a lot
      // left empty had no hub: "RoadTravel::tree: site -1 out of range").
      const auto start_anywhere_free = [&] {
        for (int u : p.units)
          if (lot[u] == kNoLot && (locked_.empty() || locked_[u] == kNoLot)) {
            lot[u] = l;
            return;
          }
        // None unassigned: a postcode not locked from a lot that keeps another one.
        std::vector<int> size(static_cast<std::size_t>(k_), 0);
        for (int u : p.units)
          if (lot[u] != kNoLot) ++size[lot[u]];
        for (int u : p.units)
          if (lot[u] != kNoLot && size[lot[u]] > 1 && (locked_.empty() || locked_[u] == kNoLot)) {
            lot[u] = l;
            return;
          }
      };
      if (big < 0) {
        start_anywhere_free();
        continue;
      }
      const double cx = sx[big] / h[big], cy = sy[big] / h[big];
      int far = -1;
      double fd = -1;
      for (int u : p.units)
        if (lot[u] == big && (locked_.empty() || locked_[u] == kNoLot)) {
          const double d = std::hypot(g_.site[u].x - cx, g_.site[u].y - cy);
          if (d > fd) fd = d, far = u;
        }
      if (far >= 0)
        lot[far] = l;
      else
        start_anywhere_free();
    }
  }
}

std::vector<int> Designer::start_metis(std::uint64_t seed) {
  std::vector<int> lot(static_cast<std::size_t>(n_), kNoLot);
  std::vector<int> local(static_cast<std::size_t>(n_), -1);
  for (const auto& p : parts_) {
    if (p.stray || p.lots == 0) continue;
    if (p.lots == 1) {
      for (int u : p.units) lot[u] = p.lot_ids[0];
      continue;
    }
    idx_t nv = static_cast<idx_t>(p.units.size());
    for (idx_t i = 0; i < nv; ++i) local[p.units[i]] = i;
    std::vector<idx_t> xadj{0}, adj, vw;
    double scale = 100;
    if (p.hours * scale > 5e8) scale = 5e8 / p.hours;
    for (int u : p.units) {
      for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) adj.push_back(local[g_.targets[k]]);
      xadj.push_back(static_cast<idx_t>(adj.size()));
      vw.push_back(static_cast<idx_t>(std::llround(g_.hours[u] * scale)) + 1);
    }
    idx_t ncon = 1, nparts = p.lots, cut = 0;
    std::vector<real_t> tp;
    double tsum = 0;
    for (int l : p.lot_ids) tsum += spec_[l].target;
    real_t ub = 1.05f;
    for (int l : p.lot_ids) {
      tp.push_back(static_cast<real_t>(spec_[l].target / tsum));
      ub = std::min(ub, static_cast<real_t>(std::max(1.001, spec_[l].hi / spec_[l].target)));
    }
    idx_t options[METIS_NOPTIONS];
    METIS_SetDefaultOptions(options);
    options[METIS_OPTION_CONTIG] = 1;
    options[METIS_OPTION_SEED] = static_cast<idx_t>(seed % 1000003);
    options[METIS_OPTION_NUMBERING] = 0;
    std::vector<idx_t> part(static_cast<std::size_t>(nv));
    // METIS (Debian's 5.1) draws its random numbers from libc's rand(), one state for the
    // whole process, seeded by srand() at the start of each call: two designs partitioning at
    // once (a sweep's scenarios) interleaved their draws, and a scenario's plan then depended
    // on which other scenario ran beside it. One call at a time, process-wide.
    static std::mutex metis_mutex;
    int rc = METIS_ERROR;
    {
      const std::lock_guard<std::mutex> lock(metis_mutex);
      rc = METIS_PartGraphKway(&nv, &ncon, xadj.data(), adj.data(), vw.data(), nullptr, nullptr,
                               &nparts, tp.data(), &ub, options, &cut, part.data());
    }
    if (rc != METIS_OK) return {};
    for (idx_t i = 0; i < nv; ++i) lot[p.units[i]] = p.lot_ids[part[i]];
  }
  return lot;
}

// p-median-like seeds: weighted k-means++ on sites, a few Lloyd steps, nearest units.
std::vector<int> Designer::pick_seeds(const Part& p, Rng& rng, const std::vector<int>& lot) {
  const int k = p.lots;
  std::vector<Point> centre;
  std::vector<char> fixed;
  // Lots with locked units are centred on them and do not move.
  for (int l : p.lot_ids) {
    double sx = 0, sy = 0, c = 0;
    for (int u : p.units)
      if (lot[u] == l) sx += g_.site[u].x, sy += g_.site[u].y, ++c;
    if (c > 0) {
      centre.push_back({sx / c, sy / c});
      fixed.push_back(1);
    }
  }
  std::vector<double> d2(p.units.size(), kInf);
  auto refresh = [&](const Point& c) {
    for (std::size_t i = 0; i < p.units.size(); ++i) {
      const auto& s = g_.site[p.units[i]];
      d2[i] = std::min(d2[i], (s.x - c.x) * (s.x - c.x) + (s.y - c.y) * (s.y - c.y));
    }
  };
  for (const auto& c : centre) refresh(c);
  while (static_cast<int>(centre.size()) < k) {
    double sum = 0;
    for (std::size_t i = 0; i < p.units.size(); ++i)
      sum += obj_.weight(p.units[i]) * (std::isfinite(d2[i]) ? d2[i] : 1.0);
    double r = rng.uniform() * sum;
    std::size_t pick = p.units.size() - 1;
    for (std::size_t i = 0; i < p.units.size(); ++i) {
      r -= obj_.weight(p.units[i]) * (std::isfinite(d2[i]) ? d2[i] : 1.0);
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    centre.push_back(g_.site[p.units[pick]]);
    fixed.push_back(0);
    refresh(centre.back());
  }
  for (int it = 0; it < 6; ++it) {
    std::vector<double> sx(centre.size(), 0), sy(centre.size(), 0), sw(centre.size(), 0);
    for (int u : p.units) {
      std::size_t best = 0;
      double bd = kInf;
      for (std::size_t c = 0; c < centre.size(); ++c) {
        const double d = std::hypot(g_.site[u].x - centre[c].x, g_.site[u].y - centre[c].y);
        if (d < bd) bd = d, best = c;
      }
      sx[best] += obj_.weight(u) * g_.site[u].x;
      sy[best] += obj_.weight(u) * g_.site[u].y;
      sw[best] += obj_.weight(u);
    }
    for (std::size_t c = 0; c < centre.size(); ++c)
      if (!fixed[c] && sw[c] > 0) centre[c] = {sx[c] / sw[c], sy[c] / sw[c]};
  }
  // Nearest distinct free unit to each free centre.
  std::vector<int> seeds;
  std::vector<char> taken(static_cast<std::size_t>(n_), 0);
  for (std::size_t c = 0; c < centre.size(); ++c) {
    if (fixed[c]) continue;
    int best = -1;
    double bd = kInf;
    for (int u : p.units) {
      if (taken[u] || lot[u] != kNoLot) continue;
      const double d = std::hypot(g_.site[u].x - centre[c].x, g_.site[u].y - centre[c].y);
      if (d < bd) bd = d, best = u;
    }
    if (best >= 0) {
      taken[best] = 1;
      seeds.push_back(best);
    }
  }
  return seeds;
}

// Capacitated growth: each lot takes, among units touching it, the one nearest its seed by
// travel time, until it reaches its target; the rest is filled from neighbours.
std::vector<int> Designer::grow(const Part& p, const std::vector<int>& seeds,
                                std::vector<int> lot) {
  // Lots without units yet get the seeds, in order.
  std::vector<int> free_lots;
  for (int l : p.lot_ids) {
    bool has = false;
    for (int u : p.units)
      if (lot[u] == l) {
        has = true;
        break;
      }
    if (!has) free_lots.push_back(l);
  }
  std::vector<int> src(static_cast<std::size_t>(k_), -1);
  for (std::size_t i = 0; i < free_lots.size() && i < seeds.size(); ++i) {
    lot[seeds[i]] = free_lots[i];
    src[free_lots[i]] = seeds[i];
  }
  for (int u : p.units)
    if (lot[u] != kNoLot && src[lot[u]] < 0) src[lot[u]] = u;
  std::vector<int> srcs;
  for (int l : p.lot_ids)
    if (src[l] >= 0) srcs.push_back(src[l]);
  const auto trees = cache_->fetch(srcs);
  std::vector<Tree> tree(static_cast<std::size_t>(k_));
  {
    std::size_t i = 0;
    for (int l : p.lot_ids)
      if (src[l] >= 0) tree[l] = trees[i++];
  }
  std::vector<double> h(static_cast<std::size_t>(k_), 0);
  for (int u : p.units)
    if (lot[u] != kNoLot) h[lot[u]] += g_.hours[u];
  using Item = std::tuple<double, int, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> pq;
  auto push_from = [&](int u) {
    const int l = lot[u];
    for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
      const int v = static_cast<int>(g_.targets[k]);
      if (lot[v] != kNoLot) continue;
      const float d = (*tree[l])[v];
      pq.emplace(std::isfinite(d) ? d : obj_.unreachable + 1, v, l);
    }
  };
  for (int u : p.units)
    if (lot[u] != kNoLot) push_from(u);
  while (!pq.empty()) {
    auto [d, v, l] = pq.top();
    pq.pop();
    if (lot[v] != kNoLot || h[l] >= spec_[l].target) continue;
    lot[v] = l;
    h[l] += g_.hours[v];
    push_from(v);
  }
  return lot;
}

std::vector<int> Designer::start_growth(Rng& rng) {
  std::vector<int> lot(static_cast<std::size_t>(n_), kNoLot);
  if (!locked_.empty())
    for (int u : active_units_) lot[u] = locked_[u];
  for (const auto& p : parts_) {
    if (p.stray || p.lots == 0) continue;
    const auto seeds = pick_seeds(p, rng, lot);
    lot = grow(p, seeds, std::move(lot));
  }
  return lot;
}

}  // namespace lotwright::geo::design_detail
