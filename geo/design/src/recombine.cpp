// Set-partitioning recombination (recombine.hpp; docs/designer.md, "How", step 5).
#include "recombine.hpp"

#include <algorithm>
#include <cmath>

#include "exact_cbc.hpp"

namespace lotwright::geo::design_detail {

int LotPool::add(int kind, std::vector<int> members, int hub, double cost) {
  auto key = std::make_pair(kind, std::move(members));
  const auto it = index_.find(key);
  if (it != index_.end()) {
    auto& l = lots_[static_cast<std::size_t>(it->second)];
    if (cost < l.cost) l.cost = cost, l.hub = hub;
    return it->second;
  }
  if (lots_.size() >= max_) return -1;
  const int c = static_cast<int>(lots_.size());
  lots_.push_back({kind, key.second, hub, cost});
  index_.emplace(std::move(key), c);
  return c;
}

Recombination recombine(const LotPool& pool, const std::vector<int>& units,
                        const std::vector<int>& lots_of_kind, const std::vector<int>& start,
                        int max_nodes) {
  Recombination r;
  if (units.empty() || start.empty()) return r;
  const int top = *std::max_element(units.begin(), units.end());
  // Each unit's columns (ascending: columns are visited in order); units in the same
  // columns share one row (the rows of a pool from a few similar plans are far fewer than
  // the units).
  std::vector<std::vector<int>> in(static_cast<std::size_t>(top) + 1);
  std::vector<char> wanted(in.size(), 0);
  for (int u : units) wanted[static_cast<std::size_t>(u)] = 1;
  for (std::size_t c = 0; c < pool.size(); ++c)
    for (int u : pool.lot(c).members) {
      if (u < 0 || u > top || !wanted[static_cast<std::size_t>(u)]) return r;  // not a unit
      in[static_cast<std::size_t>(u)].push_back(static_cast<int>(c));
    }
  std::map<std::vector<int>, int> row_of;
  detail::Mip mip;
  for (int u : units) {
    auto& cols = in[static_cast<std::size_t>(u)];
    if (cols.empty()) return r;  // a unit no pooled lot holds
    if (!row_of.emplace(cols, static_cast<int>(mip.rows.size())).second) continue;
    detail::MipRow row;
    row.cols = cols;
    row.coefs.assign(cols.size(), 1.0);
    row.lo = row.hi = 1;
    mip.rows.push_back(std::move(row));
  }
  for (std::size_t k = 0; k < lots_of_kind.size(); ++k) {
    detail::MipRow row;
    for (std::size_t c = 0; c < pool.size(); ++c)
      if (pool.lot(c).kind == static_cast<int>(k)) row.cols.push_back(static_cast<int>(c));
    row.coefs.assign(row.cols.size(), 1.0);
    row.lo = row.hi = lots_of_kind[k];
    mip.rows.push_back(std::move(row));
  }
  double start_cost = 0;
  std::vector<double> x(pool.size(), 0.0);
  for (int c : start) x[static_cast<std::size_t>(c)] = 1, start_cost += pool.lot(c).cost;
  for (std::size_t c = 0; c < pool.size(); ++c) mip.cost.push_back(pool.lot(c).cost);
  const auto m = detail::solve_mip(mip, &x, 0, max_nodes);
  r.nodes = m.nodes;
  r.optimal = m.status == detail::MipAnswer::Status::optimal;
  if (m.solutions.empty()) return r;
  std::vector<int> chosen;
  double cost = 0;
  for (std::size_t c = 0; c < pool.size(); ++c)
    if (m.solutions.front()[c] > 0.5)
      chosen.push_back(static_cast<int>(c)), cost += pool.lot(c).cost;
  // Checked, not trusted: every unit once and the count of each kind.
  std::vector<int> cover(in.size(), 0);
  std::vector<int> per_kind(lots_of_kind.size(), 0);
  for (int c : chosen) {
    const auto& l = pool.lot(static_cast<std::size_t>(c));
    if (l.kind < 0 || l.kind >= static_cast<int>(per_kind.size())) return r;
    ++per_kind[static_cast<std::size_t>(l.kind)];
    for (int u : l.members) ++cover[static_cast<std::size_t>(u)];
  }
  if (per_kind != lots_of_kind) return r;
  for (int u : units)
    if (cover[static_cast<std::size_t>(u)] != 1) return r;
  if (!(cost < start_cost - 1e-9 * std::max(1.0, std::abs(start_cost)))) return r;
  r.columns = std::move(chosen);
  r.cost = cost;
  return r;
}

}  // namespace lotwright::geo::design_detail
