// The lot designer (docs/designer.md).
//
// Outline: the unit graph is split into the parts no road joins (components()); lots are
// allotted to parts by hours (lots mode) or by tier bands (tiers mode). Several seeded
// starts (METIS k-way with contiguity on hour weights; capacitated growth from p-median
// seeds) are each improved by boundary moves under one penalised objective
//   hours-weighted travel to hub + band violation + travel-limit violation (+ keep_from),
// with hubs re-centred (travel-time 1-median: candidates near the lot's centre, then a
// walk to better neighbours) between sweeps, then re-cut by location-allocation with
// prices (each unit to the lot minimising hub travel + a per-lot price, prices balancing
// hours; pieces repaired; improved again) while that lowers the objective. The best
// feasible plan over the starts is kept. Everything is driven by a seeded generator and a
// fixed work budget, so results do not depend on timing or on the number of threads
// (threads only compute travel trees into fixed slots).
#include "lotwright/study/road_travel.hpp"
#include "lotwright/design/designer.hpp"

#include <metis.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <queue>
#include <set>
#include <tuple>

#include "lotwright/core/parallel.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/travel.hpp"

namespace lotwright::geo {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kInf = std::numeric_limits<double>::infinity();

// SplitMix64: the same sequence on every platform and standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t s) : s_(s * 0x2545F4914F6CDD1Dull + 0x9E3779B97F4A7C15ull) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(next() % n) : 0; }
  template <class V>
  void shuffle(V& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  std::uint64_t s_;
};

std::string with_commas(long long v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
    s.insert(static_cast<std::size_t>(i), ",");
  return v < 0 ? "-" + s : s;
}

std::string fmt_hours(double h) {
  if (std::abs(h) < 100 && std::abs(h - std::round(h)) > 0.05) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", h);
    return buf;
  }
  return with_commas(std::llround(h));
}

std::string fmt_pct(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::round(p * 1000) / 10);
  return buf;
}

std::string district(const std::string& postcode) {
  const auto sp = postcode.find(' ');
  return sp == std::string::npos ? postcode : postcode.substr(0, sp);
}

// A travel tree (minutes from one unit to every unit) kept by blocks of 64 consecutive
// units: blocks the search never reached are not stored. Units are numbered in postcode
// order, which is spatial, so a tree bounded by the travel limit keeps a fraction of a big
// county's blocks.
class TreeData {
 public:
  explicit TreeData(const std::vector<float>& dense) : index_((dense.size() + kBlock - 1) / kBlock) {
    for (std::size_t b = 0; b < index_.size(); ++b) {
      const std::size_t lo = b * kBlock, hi = std::min(dense.size(), lo + kBlock);
      bool any = false;
      for (std::size_t u = lo; u < hi && !any; ++u) any = std::isfinite(dense[u]);
      if (!any) {
        index_[b] = kAbsent;
        continue;
      }
      index_[b] = static_cast<std::uint32_t>(values_.size());
      values_.insert(values_.end(), dense.begin() + static_cast<long>(lo),
                     dense.begin() + static_cast<long>(hi));
      values_.resize(values_.size() + (kBlock - (hi - lo)), kUnreachable);
    }
    values_.shrink_to_fit();
  }
  float operator[](int u) const {
    const std::uint32_t b = index_[static_cast<std::size_t>(u) / kBlock];
    return b == kAbsent ? kUnreachable : values_[b + static_cast<std::size_t>(u) % kBlock];
  }
  std::size_t bytes() const {
    return sizeof(*this) + index_.size() * sizeof(std::uint32_t) + values_.size() * sizeof(float);
  }

 private:
  static constexpr std::size_t kBlock = 64;
  static constexpr std::uint32_t kAbsent = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> index_;
  std::vector<float> values_;
};
using Tree = std::shared_ptr<const TreeData>;

// Travel trees from hub candidates, bounded by the travel limit, cached FIFO within 512 MB.
// Trees are pure functions of the unit, so the cache never changes results.
class TreeCache {
 public:
  TreeCache(const TravelOracle& travel, float limit) : travel_(travel), limit_(limit) {}
  std::vector<Tree> fetch(const std::vector<int>& units) {
    std::vector<Tree> result(units.size());
    std::vector<int> missing;
    std::map<int, std::size_t> slot;
    for (std::size_t i = 0; i < units.size(); ++i) {
      auto it = map_.find(units[i]);
      if (it != map_.end()) {
        result[i] = it->second;
      } else if (!slot.count(units[i])) {
        slot[units[i]] = missing.size();
        missing.push_back(units[i]);
      }
    }
    std::vector<Tree> made(missing.size());
    detail::parallel_for(missing.size(), [&](std::size_t i) {
      thread_local std::vector<float> dense;
      travel_.tree(missing[i], dense, limit_);
      made[i] = std::make_shared<const TreeData>(dense);
    });
    for (std::size_t i = 0; i < missing.size(); ++i) {
      bytes_ += made[i]->bytes();
      map_[missing[i]] = made[i];
      order_.push_back(missing[i]);
    }
    while (bytes_ > kBudget && map_.size() > 16) {
      const auto it = map_.find(order_.front());
      bytes_ -= it->second->bytes();
      map_.erase(it);
      order_.pop_front();
    }
    for (std::size_t i = 0; i < units.size(); ++i)
      if (!result[i]) result[i] = made[slot.at(units[i])];
    return result;
  }

 private:
  const TravelOracle& travel_;
  static constexpr std::size_t kBudget = std::size_t{512} << 20;
  float limit_;
  std::size_t bytes_ = 0;
  std::map<int, Tree> map_;
  std::deque<int> order_;
};

struct LotSpec {
  double lo = 0, hi = 0, target = 0;
  double limit = kInf;  // travel minutes from hub
  int tier = -1;
  int part = 0;
};

struct Part {
  std::vector<int> units;
  double hours = 0;
  int positive = 0;  // units with hours > 0
  bool stray = false;
  std::vector<int> tiers;  // per lot of this part (tiers mode) — size = lot count
  int lots = 0;
  std::vector<int> lot_ids;
  std::string where;
};

struct Weights {
  double band = 1e5;  // per hour outside the band
  double over = 1e5;  // per minute beyond the travel limit, per unit
  double keep = 0;    // per hour moved away from keep_from's lot
  double dev = 0;     // lambda on (hours - target)^2
};

struct State {
  std::vector<int> lot;  // per unit; kNoLot for units outside the design
  std::vector<double> hours;
  std::vector<int> count;
  std::vector<int> hub;
  std::vector<Tree> dist;
};

class Designer {
 public:
  // extra_lots: per part (split_parts() order), lots to add in tiers mode beyond the fewest
  // the bands allow (after a try that missed the travel limit there).
  Designer(const UnitGraph& g, const DesignRequest& req, DesignReport* report,
           std::vector<int> extra_lots = {})
      : g_(g), req_(req), report_(report), n_(static_cast<int>(g.size())),
        extra_lots_(std::move(extra_lots)) {}

  Plan run();
  // After run() threw for the travel limit in tiers mode: the part whose postcodes were
  // too far (-1 otherwise), its lot count and where it is.
  int travel_failed_part() const { return travel_failed_part_; }
  int part_lots(int part) const { return parts_[static_cast<std::size_t>(part)].lots; }
  std::size_t part_count() const { return parts_.size(); }
  const std::string& part_name(int part) const { return parts_[static_cast<std::size_t>(part)].where; }

 private:
  // ---- setup ----
  void check_inputs();
  void split_parts();
  void allot_lots_mode();
  void allot_tiers_mode();
  void assign_lot_ids();
  std::string part_where(const Part& p) const;

  // ---- objective ----
  double D(const State& s, int l, int u) const {
    const float d = (*s.dist[l])[u];
    return std::isfinite(d) ? d : unreachable_;
  }
  double over(int l, double d) const { return d > spec_[l].limit ? d - spec_[l].limit : 0.0; }
  // The travel limit is hard for postcodes with hours; postcodes without demand today are
  // only pulled within it (a far, empty postcode must not make a design infeasible).
  double over_weight(int u) const { return g_.hours[u] > 0 ? 1.0 : 1e-7; }
  double viol(int l, double h) const {
    const auto& sp = spec_[l];
    return h > sp.hi + 1e-9 ? h - sp.hi : (h < sp.lo - 1e-9 ? sp.lo - h : 0.0);
  }
  double keep_cost(int u, int l) const {
    if (keep_.empty() || wt_.keep == 0) return 0;
    return keep_[u] == l ? 0.0 : wt_.keep * (g_.hours[u] + eps_);
  }
  double move_delta(const State& s, int u, int a, int b) const;
  double total(const State& s, double* travel = nullptr, double* band = nullptr,
               double* overv = nullptr) const;
  bool feasible(const State& s) const;

  // ---- search ----
  bool keeps_connected(const State& s, int u, int a);
  int sweep(State& s, Rng& rng);
  void update_hubs(State& s, const std::vector<int>& lots);
  void init_state(State& s);
  void improve(State& s, Rng& rng, int max_sweeps);
  void repair_pieces(std::vector<int>& lot) const;
  void join_locked(std::vector<int>& lot, const std::vector<double>& target) const;
  int count_pieces(const std::vector<int>& lot, int l, std::vector<int>* piece_of = nullptr) const;
  void fill_unassigned(std::vector<int>& lot, const std::vector<double>& target) const;
  std::vector<int> start_metis(std::uint64_t seed);
  std::vector<int> start_growth(Rng& rng);
  std::vector<int> grow(const Part& p, const std::vector<int>& seeds, std::vector<int> lot);
  std::vector<int> pick_seeds(const Part& p, Rng& rng, const std::vector<int>& lot);
  bool relocate(State& s, Rng& rng, int rounds, int sweeps);
  State search(bool along_adjacency, bool limited, double max_limit);
  std::vector<int> price_assign(const State& s);
  bool time_up() const {
    return req_.time_limit_s > 0 &&
           std::chrono::duration<double>(Clock::now() - t0_).count() > req_.time_limit_s;
  }
  void note(std::string s) {
    if (report_) report_->notes.push_back(std::move(s));
  }
  [[noreturn]] void infeasible_after_search(const State& s);

  const UnitGraph& g_;
  const DesignRequest& req_;
  DesignReport* report_;
  int n_;
  Clock::time_point t0_ = Clock::now();
  std::vector<int> comp_;
  std::vector<Part> parts_;
  std::vector<LotSpec> spec_;
  int k_ = 0;
  std::vector<int> locked_, keep_;
  std::vector<char> active_;
  std::vector<int> active_units_;
  std::vector<double> w_;  // travel weight: hours + eps (zero-hour units tie to compactness)
  double eps_ = 1e-6;
  double unreachable_ = 1e4;
  float tree_limit_ = kUnreachable;
  Weights wt_;
  std::unique_ptr<TravelOracle> adjacency_travel_;
  double stretch_ = 1;               // adjacency metric / road travel (median)
  std::vector<double> road_limits_;  // the real travel limits while the search is stretched
  std::unique_ptr<TreeCache> cache_;
  std::vector<int> stamp_;
  int stamp_now_ = 0;
  bool hit_time_ = false;
  bool tiers_mode_ = false;
  std::vector<int> extra_lots_;
  int travel_failed_part_ = -1;
  int hub_candidates_ = 10;  // units nearest a lot's centre tried as its hub
  int hub_steps_ = 30;       // steps of the walk to better neighbouring hubs
  double mean_lot_ = 0;
};

// ------------------------------------------------------------------------------------------

void Designer::check_inputs() {
  if (g_.hours.size() != g_.size() || g_.offsets.size() != g_.size() + 1)
    throw DataError("design: the unit graph is incomplete (hours or adjacency missing)");
  if (!g_.travel || g_.travel->size() != g_.size())
    throw DataError("design: the unit graph has no travel times for its units");
  if (n_ == 0) throw InfeasibleError("no postcodes to design lots from");
  const auto& d = req_.design;
  tiers_mode_ = !d.lots.has_value();
  if (tiers_mode_ && d.tiers.empty())
    throw UsageError("[design] needs either lots = N or one or more [[design.tiers]] tables");
  if (!tiers_mode_ && *d.lots < 1) throw UsageError("[design] lots must be at least 1");
  if (!tiers_mode_ && !(d.tolerance >= 0 && d.tolerance < 1))
    throw UsageError("[design] tolerance must be between 0 and 1 (0.05 = ±5%)");
  for (const auto& t : d.tiers)
    if (!(t.max_hours > 0 && t.min_hours >= 0 && t.min_hours <= t.max_hours))
      throw UsageError("[[design.tiers]] \"" + t.name +
                       "\": need 0 <= min_hours <= max_hours, max_hours > 0");
  for (int u = 0; u < n_; ++u)
    if (!(g_.hours[u] >= 0) || !std::isfinite(g_.hours[u]))
      throw DataError("design: postcode " + g_.id[u] + " has invalid hours");
  if (!req_.locked.empty() && static_cast<int>(req_.locked.size()) != n_)
    throw UsageError("design: locked must have one entry per unit");
  if (!req_.keep_from.empty() && static_cast<int>(req_.keep_from.size()) != n_)
    throw UsageError("design: keep_from must have one entry per unit");
  double total = 0;
  int positive = 0;
  for (int u = 0; u < n_; ++u) {
    total += g_.hours[u];
    positive += g_.hours[u] > 0;
  }
  if (total <= 0)
    throw InfeasibleError("there are no care hours to divide into lots (every postcode has 0 h)");
  if (!tiers_mode_) {
    const int lots = *d.lots;
    if (lots > n_)
      throw InfeasibleError(std::to_string(lots) + " lots for " + with_commas(n_) +
                            " postcodes: a lot needs at least one postcode");
    if (lots > positive)
      throw InfeasibleError(std::to_string(lots) + " lots for " + with_commas(n_) +
                            " postcodes: only " + with_commas(positive) +
                            " of them have any care hours, and every lot needs some; ask for "
                            "fewer lots");
    const double mean = total / lots;
    const double hi = mean * (1 + d.tolerance);
    int worst = -1;
    for (int u = 0; u < n_; ++u)
      if (g_.hours[u] > hi && (worst < 0 || g_.hours[u] > g_.hours[worst])) worst = u;
    if (worst >= 0)
      throw InfeasibleError(
          "postcode " + g_.id[worst] + " alone has " + fmt_hours(g_.hours[worst]) +
          " h, above every band: " + std::to_string(lots) + " lots of " + fmt_hours(mean) +
          " h ± " + fmt_pct(d.tolerance) + "% may hold at most " + fmt_hours(hi) +
          " h each; ask for fewer lots or a wider tolerance");
  } else {
    double top = 0;
    for (const auto& t : d.tiers) top = std::max(top, t.max_hours);
    int worst = -1;
    for (int u = 0; u < n_; ++u)
      if (g_.hours[u] > top && (worst < 0 || g_.hours[u] > g_.hours[worst])) worst = u;
    if (worst >= 0)
      throw InfeasibleError("postcode " + g_.id[worst] + " alone has " +
                            fmt_hours(g_.hours[worst]) +
                            " h, above every band (the largest "
                            "tier holds at most " +
                            fmt_hours(top) + " h)");
  }
}

std::string Designer::part_where(const Part& p) const {
  std::map<std::string, double> by;
  for (int u : p.units) by[district(g_.id[u])] += g_.hours[u] + 1e-9;
  std::string best;
  double bh = -1;
  for (const auto& [k, h] : by)
    if (h > bh) best = k, bh = h;
  std::string s = "the part of the network around " + best + " (" +
                  with_commas(static_cast<long long>(p.units.size())) +
                  (p.units.size() == 1 ? " postcode" : " postcodes");
  if (p.units.size() <= 3) {
    s += ": ";
    for (std::size_t i = 0; i < p.units.size(); ++i) s += (i ? ", " : "") + g_.id[p.units[i]];
  }
  return s + ")";
}

void Designer::split_parts() {
  int count = 0;
  comp_ = components(g_, &count);
  parts_.assign(static_cast<std::size_t>(count), Part{});
  for (int u = 0; u < n_; ++u) {
    auto& p = parts_[comp_[u]];
    p.units.push_back(u);
    p.hours += g_.hours[u];
    p.positive += g_.hours[u] > 0;
  }
  for (auto& p : parts_) p.where = part_where(p);
}

void Designer::allot_lots_mode() {
  const auto& d = req_.design;
  const int N = *d.lots;
  double total = 0;
  for (const auto& p : parts_) total += p.hours;
  // A part is stray when it holds no hours or less than a tenth of a lot's minimum: it
  // joins the nearest lot instead of failing the design (reported in the notes).
  double T = total / N;
  for (auto& p : parts_)
    p.stray = parts_.size() > 1 && (p.hours <= 0 || p.hours < 0.1 * T * (1 - d.tolerance));
  double designed = 0;
  for (const auto& p : parts_)
    if (!p.stray) designed += p.hours;
  T = designed / N;
  mean_lot_ = T;
  const double lo = T * (1 - d.tolerance), hi = T * (1 + d.tolerance);
  const std::string ask = std::to_string(N) + " lots of " + fmt_hours(T) + " h ± " +
                          fmt_pct(d.tolerance) + "% cannot be made: ";
  std::vector<int> kmin(parts_.size()), kmax(parts_.size());
  int sum = 0;
  // Parts too small for a lot are named first (the most actionable reason), smallest first.
  std::vector<std::size_t> check(parts_.size());
  std::iota(check.begin(), check.end(), 0);
  std::stable_sort(check.begin(), check.end(),
                   [&](std::size_t a, std::size_t b) { return parts_[a].hours < parts_[b].hours; });
  for (std::size_t i : check) {
    auto& p = parts_[i];
    if (p.stray) continue;
    kmin[i] = std::max(1, static_cast<int>(std::ceil(p.hours / hi - 1e-9)));
    kmax[i] = std::min(p.positive, static_cast<int>(std::floor(p.hours / lo + 1e-9)));
    if (kmin[i] > kmax[i]) {
      if (p.hours < lo)
        throw InfeasibleError(ask + p.where + " holds only " + fmt_hours(p.hours) +
                              " h and no road joins it to the rest; make it a lot of its own, "
                              "join it by hand, or widen the tolerance");
      throw InfeasibleError(ask + p.where + " holds " + fmt_hours(p.hours) +
                            " h and no road joins it to the rest: " + std::to_string(kmin[i] - 1) +
                            " lots would hold " + fmt_hours(p.hours / std::max(1, kmin[i] - 1)) +
                            " h each and " + std::to_string(kmin[i]) + " lots " +
                            fmt_hours(p.hours / kmin[i]) + " h, both outside " + fmt_hours(lo) +
                            "–" + fmt_hours(hi) +
                            " h; widen the tolerance or change the number of lots");
    }
    p.lots = std::clamp(static_cast<int>(std::lround(p.hours / T)), kmin[i], kmax[i]);
    sum += p.lots;
  }
  while (sum != N) {
    int best = -1;
    double best_err = kInf;
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      auto& p = parts_[i];
      if (p.stray) continue;
      const int nk = p.lots + (sum < N ? 1 : -1);
      if (nk < kmin[i] || nk > kmax[i]) continue;
      const double err = std::abs(p.hours / nk - T);
      if (err < best_err) best_err = err, best = static_cast<int>(i);
    }
    if (best < 0)
      throw InfeasibleError(ask +
                            "the parts of the network that no road joins cannot share "
                            "them out within the band; widen the tolerance");
    parts_[best].lots += sum < N ? 1 : -1;
    sum += sum < N ? 1 : -1;
  }
  for (auto& p : parts_)
    for (int i = 0; i < p.lots; ++i) {
      LotSpec s;
      s.lo = lo;
      s.hi = hi;
      s.target = p.hours / p.lots;
      s.limit = d.max_travel_minutes > 0 ? d.max_travel_minutes : kInf;
      s.part = static_cast<int>(&p - parts_.data());
      spec_.push_back(s);
    }
}

// Fewest lots, then as many hours in the biggest tiers as possible, such that the summed
// bands hold the part's hours.
bool compose(const std::vector<TierConfig>& tiers, const std::vector<int>& order, double H, int k,
             std::vector<int>& counts) {
  const std::size_t m = order.size();
  counts.assign(tiers.size(), 0);
  std::function<bool(std::size_t, int, double, double)> rec = [&](std::size_t i, int left,
                                                                  double lo, double hi) -> bool {
    if (i == m) return left == 0 && lo <= H + 1e-9 && H <= hi + 1e-9;
    double rest_lo = kInf, rest_hi = 0;
    for (std::size_t j = i; j < m; ++j) {
      rest_lo = std::min(rest_lo, tiers[order[j]].min_hours);
      rest_hi = std::max(rest_hi, tiers[order[j]].max_hours);
    }
    if (lo + left * rest_lo > H + 1e-9 || hi + left * rest_hi < H - 1e-9) return false;
    const auto& t = tiers[order[i]];
    for (int c = left; c >= (i + 1 == m ? left : 0); --c) {
      counts[order[i]] = c;
      if (rec(i + 1, left - c, lo + c * t.min_hours, hi + c * t.max_hours)) return true;
    }
    counts[order[i]] = 0;
    return false;
  };
  return rec(0, k, 0, 0);
}

void Designer::allot_tiers_mode() {
  const auto& d = req_.design;
  const auto& tiers = d.tiers;
  std::vector<int> order(tiers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return tiers[a].max_hours > tiers[b].max_hours; });
  double min_pos_lo = kInf, min_hi = kInf;
  for (const auto& t : tiers) {
    if (t.min_hours > 0) min_pos_lo = std::min(min_pos_lo, t.min_hours);
    min_hi = std::min(min_hi, t.max_hours);
  }
  double total = 0;
  for (const auto& p : parts_) total += p.hours;
  double designed = 0;
  int lots = 0;
  for (std::size_t pi = 0; pi < parts_.size(); ++pi) {
    auto& p = parts_[pi];
    std::vector<int> counts;
    const int extra = pi < extra_lots_.size() ? extra_lots_[pi] : 0;
    const int kmax = std::max(
        1, std::min(p.positive,
                    static_cast<int>(std::ceil(p.hours / std::max(min_hi, 1e-9))) + 2 + extra));
    bool ok = false;
    if (p.hours > 0) {
      int fewest = 0;
      for (int k = std::max(1, static_cast<int>(std::floor(
                                   p.hours / std::max(1e-9, tiers[order[0]].max_hours))));
           k <= kmax && fewest == 0; ++k)
        if (compose(tiers, order, p.hours, k, counts)) fewest = k, ok = extra == 0;
      // With extra lots: the fewest that compose, plus the extra, if the bands allow it.
      if (!ok && fewest > 0 && fewest + extra <= kmax)
        ok = compose(tiers, order, p.hours, fewest + extra, counts);
    }
    if (!ok) {
      if (parts_.size() > 1 &&
          (p.hours <= 0 || (std::isfinite(min_pos_lo) && p.hours < 0.1 * min_pos_lo))) {
        p.stray = true;
        continue;
      }
      std::string bands;
      for (const auto& t : tiers)
        bands += (bands.empty() ? "" : ", ") + t.name + " " + fmt_hours(t.min_hours) + "–" +
                 fmt_hours(t.max_hours) + " h";
      const std::string who =
          parts_.size() > 1 ? p.where + " (no road joins it to the rest)" : "the area";
      throw InfeasibleError("the tiers cannot hold the hours: " + who + " holds " +
                            fmt_hours(p.hours) + " h, which no set of lots in the bands (" + bands +
                            ") adds up to; adjust the bands");
    }
    designed += p.hours;
    // Targets: the same position inside each lot's band, so they sum to the part's hours.
    double lo_sum = 0, hi_sum = 0;
    for (std::size_t t = 0; t < tiers.size(); ++t) {
      lo_sum += counts[t] * tiers[t].min_hours;
      hi_sum += counts[t] * tiers[t].max_hours;
    }
    const double alpha = hi_sum > lo_sum ? (p.hours - lo_sum) / (hi_sum - lo_sum) : 0.5;
    for (int t : order)
      for (int c = 0; c < counts[t]; ++c) {
        LotSpec s;
        s.lo = tiers[t].min_hours;
        s.hi = tiers[t].max_hours;
        s.target = s.lo + alpha * (s.hi - s.lo);
        s.limit = tiers[t].max_travel_minutes
                      ? *tiers[t].max_travel_minutes
                      : (d.max_travel_minutes > 0 ? d.max_travel_minutes : kInf);
        if (!(s.limit > 0)) s.limit = kInf;
        s.tier = t;
        s.part = static_cast<int>(pi);
        spec_.push_back(s);
        p.tiers.push_back(t);
        ++p.lots;
        ++lots;
      }
  }
  if (lots == 0) throw InfeasibleError("no part of the area holds enough hours for a lot");
  mean_lot_ = designed / lots;
}

// Lot ids: lots named in `locked` keep their number (and must sit in the part holding
// their units); the others take the free numbers.
void Designer::assign_lot_ids() {
  k_ = static_cast<int>(spec_.size());
  std::vector<LotSpec> by_part = spec_;
  std::vector<int> lock_part(static_cast<std::size_t>(k_), -1);
  if (!locked_.empty()) {
    for (int u = 0; u < n_; ++u) {
      const int l = locked_[u];
      if (l == kNoLot) continue;
      if (l < 0 || l >= k_)
        throw InfeasibleError("locked postcode " + g_.id[u] + " is in lot " +
                              std::to_string(l + 1) + ", but the design has " + std::to_string(k_) +
                              " lots");
      const int part = comp_[u];
      if (parts_[part].stray)
        throw InfeasibleError(
            "locked postcode " + g_.id[u] + " is in " + parts_[part].where +
            ", which no road joins to the rest and which holds too few hours for a lot");
      if (lock_part[l] >= 0 && lock_part[l] != part)
        throw InfeasibleError("lot " + std::to_string(l + 1) +
                              " is locked to postcodes that no road joins (" + g_.id[u] + " and " +
                              parts_[lock_part[l]].where + "), so it cannot be one piece");
      lock_part[l] = part;
    }
  }
  std::vector<char> used(static_cast<std::size_t>(k_), 0);
  std::vector<LotSpec> out(static_cast<std::size_t>(k_));
  // Lots of each part in spec order; locked numbers first.
  std::vector<std::vector<int>> part_specs(parts_.size());
  for (int i = 0; i < k_; ++i) part_specs[by_part[i].part].push_back(i);
  std::vector<std::vector<int>> locked_in(parts_.size());
  for (int l = 0; l < k_; ++l)
    if (lock_part[l] >= 0) locked_in[lock_part[l]].push_back(l), used[l] = 1;
  int next_free = 0;
  for (std::size_t p = 0; p < parts_.size(); ++p) {
    if (locked_in[p].size() > part_specs[p].size())
      throw InfeasibleError("locked postcodes put " + std::to_string(locked_in[p].size()) +
                            " lots in " + parts_[p].where + ", which can hold only " +
                            std::to_string(part_specs[p].size()));
    std::vector<int> ids = locked_in[p];
    while (ids.size() < part_specs[p].size()) {
      while (used[next_free]) ++next_free;
      used[next_free] = 1;
      ids.push_back(next_free);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) out[ids[i]] = by_part[part_specs[p][i]];
    parts_[p].lot_ids = ids;
  }
  spec_ = out;
}

// ------------------------------------------------------------------------------------------

double Designer::move_delta(const State& s, int u, int a, int b) const {
  const double h = g_.hours[u];
  const double da = D(s, a, u), db = D(s, b, u);
  double d = w_[u] * (db - da);
  d += wt_.over * over_weight(u) * (over(b, db) - over(a, da));
  d += wt_.band * (viol(b, s.hours[b] + h) - viol(b, s.hours[b]) + viol(a, s.hours[a] - h) -
                   viol(a, s.hours[a]));
  if (wt_.dev > 0) {
    const double ta = spec_[a].target, tb = spec_[b].target;
    const double ea = s.hours[a] - ta, eb = s.hours[b] - tb;
    d += wt_.dev * ((ea - h) * (ea - h) - ea * ea + (eb + h) * (eb + h) - eb * eb);
  }
  d += keep_cost(u, b) - keep_cost(u, a);
  return d;
}

double Designer::total(const State& s, double* travel, double* band, double* overv) const {
  double t = 0, o = 0, b = 0, k = 0, soft = 0;
  for (int u : active_units_) {
    const int l = s.lot[u];
    const double d = D(s, l, u);
    t += w_[u] * d;
    if (g_.hours[u] > 0)
      o += over(l, d);
    else
      soft += over_weight(u) * over(l, d);
    k += keep_cost(u, l);
  }
  for (int l = 0; l < k_; ++l) b += viol(l, s.hours[l]);
  if (travel) *travel = t;
  if (band) *band = b;
  if (overv) *overv = o;
  return t + wt_.over * (o + soft) + wt_.band * b + k;
}

bool Designer::feasible(const State& s) const {
  double b = 0, o = 0;
  total(s, nullptr, &b, &o);
  return b <= 1e-6 && o <= 1e-6;
}

// Removing u from lot a keeps a in one piece? Neighbours of u in a must stay joined without
// u. First a cheap test on u's ring, then a bounded search (a failed bound says "no").
bool Designer::keeps_connected(const State& s, int u, int a) {
  int nb[64];
  int m = 0;
  for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
    const int v = static_cast<int>(g_.targets[k]);
    if (s.lot[v] == a) {
      if (m == 64) return false;
      nb[m++] = v;
    }
  }
  if (m <= 1) return true;
  // Cheap test: the neighbours are joined to each other directly (adjacency lists are sorted).
  {
    int root[64];
    for (int i = 0; i < m; ++i) root[i] = i;
    auto find = [&](int i) {
      while (root[i] != i) i = root[i] = root[root[i]];
      return i;
    };
    int groups = m;
    for (int i = 0; i < m && groups > 1; ++i) {
      const auto* b = g_.targets.data() + g_.offsets[nb[i]];
      const auto* e = g_.targets.data() + g_.offsets[nb[i] + 1];
      for (int j = i + 1; j < m; ++j) {
        if (find(i) == find(j)) continue;
        if (std::binary_search(b, e, static_cast<std::uint32_t>(nb[j]))) {
          root[find(i)] = find(j);
          --groups;
        }
      }
    }
    if (groups == 1) return true;
  }
  // Search from nb[0] inside lot a without u until every other neighbour is reached.
  if (++stamp_now_ == std::numeric_limits<int>::max()) {
    std::fill(stamp_.begin(), stamp_.end(), 0);
    stamp_now_ = 1;
  }
  const int mark = stamp_now_;
  stamp_[u] = mark;
  int remaining = m - 1;
  for (int i = 1; i < m; ++i) stamp_[nb[i]] = -mark;  // targets
  // Small buffers: BFS frontier.
  static thread_local std::vector<int> queue;
  queue.clear();
  queue.push_back(nb[0]);
  stamp_[nb[0]] = mark;
  const std::size_t cap = 1500;
  bool ok = false;
  for (std::size_t qi = 0; qi < queue.size(); ++qi) {
    const int x = queue[qi];
    for (auto k = g_.offsets[x]; k < g_.offsets[x + 1]; ++k) {
      const int v = static_cast<int>(g_.targets[k]);
      if (s.lot[v] != a || stamp_[v] == mark) continue;
      if (stamp_[v] == -mark && --remaining == 0) {
        ok = true;
        break;
      }
      stamp_[v] = mark;
      queue.push_back(v);
    }
    if (ok || queue.size() > cap) break;
  }
  // Clear target marks that were not reached (so a later stamp cannot confuse them).
  for (int i = 1; i < m; ++i)
    if (stamp_[nb[i]] == -mark) stamp_[nb[i]] = 0;
  return ok;
}

int Designer::sweep(State& s, Rng& rng) {
  std::vector<int> order;
  order.reserve(active_units_.size());
  for (int u : active_units_) {
    const int a = s.lot[u];
    for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k)
      if (s.lot[g_.targets[k]] != a) {
        order.push_back(u);
        break;
      }
  }
  rng.shuffle(order);
  int moved = 0;
  for (int u : order) {
    if (!locked_.empty() && locked_[u] != kNoLot) continue;
    const int a = s.lot[u];
    if (s.hub[a] == u || s.count[a] <= 1) continue;
    int best_b = -1;
    double best = -1e-9;
    for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
      const int b = s.lot[g_.targets[k]];
      if (b == a || b == kNoLot || b == best_b) continue;
      const double d = move_delta(s, u, a, b);
      if (d < best) best = d, best_b = b;
    }
    if (best_b < 0 || !keeps_connected(s, u, a)) continue;
    s.lot[u] = best_b;
    s.hours[a] -= g_.hours[u];
    s.hours[best_b] += g_.hours[u];
    --s.count[a];
    ++s.count[best_b];
    ++moved;
  }
  return moved;
}

// Hub = the lot's travel-time 1-median, searched among the units nearest the lot's
// hours-weighted centre, the current hub and its neighbours in the lot.
void Designer::update_hubs(State& s, const std::vector<int>& lots) {
  std::vector<std::vector<int>> members(static_cast<std::size_t>(k_));
  std::vector<char> want(static_cast<std::size_t>(k_), 0);
  for (int l : lots) want[l] = 1;
  for (int u : active_units_)
    if (want[s.lot[u]]) members[s.lot[u]].push_back(u);
  std::vector<std::vector<int>> cands(static_cast<std::size_t>(k_));
  std::vector<int> all;
  for (int l : lots) {
    const auto& mem = members[l];
    if (mem.empty()) continue;
    double sx = 0, sy = 0, sw = 0;
    for (int u : mem) {
      sx += w_[u] * g_.site[u].x;
      sy += w_[u] * g_.site[u].y;
      sw += w_[u];
    }
    const double cx = sx / sw, cy = sy / sw;
    std::vector<std::pair<double, int>> near;
    near.reserve(mem.size());
    for (int u : mem) near.emplace_back(std::hypot(g_.site[u].x - cx, g_.site[u].y - cy), u);
    const std::size_t c =
        std::min<std::size_t>(static_cast<std::size_t>(hub_candidates_), near.size());
    std::partial_sort(near.begin(), near.begin() + static_cast<long>(c), near.end());
    auto& cl = cands[l];
    if (s.hub[l] >= 0 && s.lot[s.hub[l]] == l) {
      cl.push_back(s.hub[l]);
      for (auto k = g_.offsets[s.hub[l]]; k < g_.offsets[s.hub[l] + 1]; ++k) {
        const int v = static_cast<int>(g_.targets[k]);
        if (s.lot[v] == l && cl.size() < 4) cl.push_back(v);
      }
    }
    for (std::size_t i = 0; i < c; ++i)
      if (std::find(cl.begin(), cl.end(), near[i].second) == cl.end()) cl.push_back(near[i].second);
    all.insert(all.end(), cl.begin(), cl.end());
  }
  // Evaluate the candidates, then walk to better neighbours of the best (a few steps).
  std::vector<int> best(static_cast<std::size_t>(k_), -1);
  std::vector<double> best_cost(static_cast<std::size_t>(k_), kInf);
  std::vector<Tree> best_tree(static_cast<std::size_t>(k_));
  std::vector<std::set<int>> seen(static_cast<std::size_t>(k_));
  for (int step = 0; step < hub_steps_; ++step) {
    if (step > 0) {
      all.clear();
      for (int l : lots) {
        cands[l].clear();
        if (best[l] < 0) continue;
        for (auto k = g_.offsets[best[l]]; k < g_.offsets[best[l] + 1]; ++k) {
          const int v = static_cast<int>(g_.targets[k]);
          if (s.lot[v] == l && !seen[l].count(v)) cands[l].push_back(v);
        }
        all.insert(all.end(), cands[l].begin(), cands[l].end());
      }
      if (all.empty()) break;
    }
    const auto trees = cache_->fetch(all);
    std::size_t ti = 0;
    bool moved = false;
    for (int l : lots) {
      for (std::size_t i = 0; i < cands[l].size(); ++i, ++ti) {
        seen[l].insert(cands[l][i]);
        const auto& tr = *trees[ti];
        double c = 0;
        for (int u : members[l]) {
          const double d = std::isfinite(tr[u]) ? tr[u] : unreachable_;
          c += w_[u] * d + wt_.over * over_weight(u) * over(l, d);
        }
        if (c < best_cost[l] - 1e-9) {
          best_cost[l] = c, best[l] = cands[l][i], best_tree[l] = trees[ti];
          moved = moved || step > 0;
        }
      }
    }
    if (step > 0 && !moved) break;
  }
  for (int l : lots)
    if (best[l] >= 0) {
      s.hub[l] = best[l];
      s.dist[l] = best_tree[l];
    }
}

void Designer::init_state(State& s) {
  s.hours.assign(static_cast<std::size_t>(k_), 0);
  s.count.assign(static_cast<std::size_t>(k_), 0);
  s.hub.assign(static_cast<std::size_t>(k_), -1);
  s.dist.assign(static_cast<std::size_t>(k_), nullptr);
  for (int u : active_units_) {
    s.hours[s.lot[u]] += g_.hours[u];
    ++s.count[s.lot[u]];
  }
  std::vector<int> lots(static_cast<std::size_t>(k_));
  std::iota(lots.begin(), lots.end(), 0);
  // First hubs: any member (update_hubs then picks from candidates near the centre).
  update_hubs(s, lots);
}

void Designer::improve(State& s, Rng& rng, int max_sweeps) {
  // Hubs are re-centred only for lots whose members changed since the last sweep.
  auto changed_lots = [&](const std::vector<int>& count, const std::vector<double>& hours) {
    std::vector<int> lots;
    for (int l = 0; l < k_; ++l)
      if (count[l] != s.count[l] || hours[l] != s.hours[l] || s.hub[l] < 0) lots.push_back(l);
    return lots;
  };
  // Balance first with a growing pull to each lot's target, then optimise travel.
  const double base = mean_lot_ > 0 ? 1.0 / mean_lot_ : 1.0;
  double lambda = base * 0.5;
  for (int i = 0; i < 30 && !feasible(s) && !time_up(); ++i) {
    wt_.dev = lambda;
    const auto count = s.count;
    const auto hours = s.hours;
    sweep(s, rng);
    update_hubs(s, changed_lots(count, hours));
    lambda *= 1.6;
  }
  wt_.dev = 0;
  int stall = 0;
  double f = total(s);
  for (int i = 0; i < max_sweeps && !time_up(); ++i) {
    const auto count = s.count;
    const auto hours = s.hours;
    const int moved = sweep(s, rng);
    const auto before = s.hub;
    update_hubs(s, changed_lots(count, hours));
    if (moved == 0 && before == s.hub) break;
    const double nf = total(s);
    stall = (f - nf < 1e-5 * std::abs(f)) ? stall + 1 : 0;
    f = nf;
    if (stall >= 3) break;
  }
  if (time_up()) hit_time_ = true;
}

// Pieces of lot l on the adjacency (piece id per unit in *piece_of, -1 elsewhere).
int Designer::count_pieces(const std::vector<int>& lot, int l, std::vector<int>* piece_of) const {
  std::vector<int> local;
  auto& piece = piece_of ? *piece_of : local;
  piece.assign(static_cast<std::size_t>(n_), -1);
  int pieces = 0;
  std::vector<int> stack;
  for (int s : active_units_) {
    if (lot[s] != l || piece[s] >= 0) continue;
    piece[s] = pieces;
    stack.push_back(s);
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
        const int v = static_cast<int>(g_.targets[k]);
        if (lot[v] == l && piece[v] < 0) piece[v] = pieces, stack.push_back(v);
      }
    }
    ++pieces;
  }
  return pieces;
}

// A lot whose locked postcodes lie in several pieces is joined along the shortest chain of
// units not locked elsewhere; the lots that chain cuts through are repaired and refilled.
void Designer::join_locked(std::vector<int>& lot, const std::vector<double>& target) const {
  if (locked_.empty()) return;
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (int l = 0; l < k_; ++l) {
      std::vector<int> piece;
      if (count_pieces(lot, l, &piece) <= 1) continue;
      // Grow from the piece holding the first locked unit to the nearest other piece.
      int start = -1;
      for (int u : active_units_)
        if (locked_[u] == l) {
          start = piece[u];
          break;
        }
      if (start < 0) continue;
      std::vector<int> from(static_cast<std::size_t>(n_), -2);
      std::deque<int> q;
      for (int u : active_units_)
        if (piece[u] == start) from[u] = -1, q.push_back(u);
      int hit = -1;
      while (!q.empty() && hit < 0) {
        const int u = q.front();
        q.pop_front();
        for (auto k = g_.offsets[u]; k < g_.offsets[u + 1] && hit < 0; ++k) {
          const int v = static_cast<int>(g_.targets[k]);
          if (from[v] != -2 || !active_[v]) continue;
          if (locked_[v] != kNoLot && locked_[v] != l) continue;
          from[v] = u;
          if (lot[v] == l && piece[v] != start) hit = v;
          q.push_back(v);
        }
      }
      for (int v = hit >= 0 ? from[hit] : -1; v >= 0 && from[v] != -1; v = from[v]) {
        lot[v] = l;
        changed = true;
      }
    }
    if (!changed) break;
    repair_pieces(lot);
    fill_unassigned(lot, target);
  }
}

// Every lot keeps only its biggest piece (the piece with its locked units when it has
// some); the rest is filled in again from neighbours.
void Designer::repair_pieces(std::vector<int>& lot) const {
  std::vector<int> piece(static_cast<std::size_t>(n_), -1);
  std::vector<double> best_h(static_cast<std::size_t>(k_), -1);
  std::vector<int> best_piece(static_cast<std::size_t>(k_), -1);
  std::vector<double> piece_h;
  std::vector<int> piece_lot;
  std::vector<int> stack;
  for (int s : active_units_) {
    if (piece[s] >= 0 || lot[s] == kNoLot) continue;
    const int id = static_cast<int>(piece_h.size());
    const int l = lot[s];
    double h = 0;
    bool has_lock = false;
    piece[s] = id;
    stack.push_back(s);
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      h += g_.hours[u] + 1e-9;
      has_lock = has_lock || (!locked_.empty() && locked_[u] == l);
      for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
        const int v = static_cast<int>(g_.targets[k]);
        if (piece[v] < 0 && lot[v] == l) {
          piece[v] = id;
          stack.push_back(v);
        }
      }
    }
    if (has_lock) h += 1e12;
    piece_h.push_back(h);
    piece_lot.push_back(l);
    if (h > best_h[l]) best_h[l] = h, best_piece[l] = id;
  }
  for (int u : active_units_)
    if (lot[u] != kNoLot && piece[u] != best_piece[lot[u]] &&
        (locked_.empty() || locked_[u] == kNoLot))
      lot[u] = kNoLot;
}

// Unassigned units join a neighbouring lot, the one furthest below its target first;
// repeated until every reachable unit has a lot.
void Designer::fill_unassigned(std::vector<int>& lot, const std::vector<double>& target) const {
  std::vector<double> h(static_cast<std::size_t>(k_), 0);
  for (int u : active_units_)
    if (lot[u] != kNoLot) h[lot[u]] += g_.hours[u];
  // Multi-source growth: frontier ordered by how far below target the lot is.
  using Item = std::tuple<double, int, int>;  // (fill ratio, unit, lot)
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> pq;
  auto push_from = [&](int u) {
    for (auto k = g_.offsets[u]; k < g_.offsets[u + 1]; ++k) {
      const int v = static_cast<int>(g_.targets[k]);
      if (lot[v] == kNoLot && active_[v])
        pq.emplace(h[lot[u]] / std::max(target[lot[u]], 1e-9), v, lot[u]);
    }
  };
  for (int u : active_units_)
    if (lot[u] != kNoLot) push_from(u);
  while (!pq.empty()) {
    auto [r, v, l] = pq.top();
    pq.pop();
    if (lot[v] != kNoLot) continue;
    const double now = h[l] / std::max(target[l], 1e-9);
    if (now > r + 1e-12) {  // stale priority: re-queue with the current fill
      pq.emplace(now, v, l);
      continue;
    }
    lot[v] = l;
    h[l] += g_.hours[v];
    push_from(v);
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
    const int rc =
        METIS_PartGraphKway(&nv, &ncon, xadj.data(), adj.data(), vw.data(), nullptr, nullptr,
                            &nparts, tp.data(), &ub, options, &cut, part.data());
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
      sum += w_[p.units[i]] * (std::isfinite(d2[i]) ? d2[i] : 1.0);
    double r = rng.uniform() * sum;
    std::size_t pick = p.units.size() - 1;
    for (std::size_t i = 0; i < p.units.size(); ++i) {
      r -= w_[p.units[i]] * (std::isfinite(d2[i]) ? d2[i] : 1.0);
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
      sx[best] += w_[u] * g_.site[u].x;
      sy[best] += w_[u] * g_.site[u].y;
      sw[best] += w_[u];
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
      pq.emplace(std::isfinite(d) ? d : unreachable_ + 1, v, l);
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

// Location-allocation with prices: every unit goes to the lot minimising
//   travel from the lot's hub + the lot's price (minutes),
// prices rising on lots above their target and falling below it until hours balance. With
// travel measured along roads, a unit's lot is also the lot of every unit on its shortest
// path from the hub, so lots come out (almost always) in one piece; stray pieces are
// repaired. Returns the assignment closest to balance.
std::vector<int> Designer::price_assign(const State& s) {
  // Each unit's few nearest lots (by its travel from their hubs) with their base cost; the
  // price iterations then only look at those.
  const std::size_t na = active_units_.size();
  const int C = std::min(k_, 6);
  std::vector<int> cand(na * static_cast<std::size_t>(C), kNoLot);
  std::vector<double> base(na * static_cast<std::size_t>(C), kInf);
  double mean_d = 0, wsum = 0;
  for (std::size_t i = 0; i < na; ++i) {
    const int u = active_units_[i];
    mean_d += w_[u] * D(s, s.lot[u], u), wsum += w_[u];
    if (!locked_.empty() && locked_[u] != kNoLot) {
      cand[i * C] = locked_[u];
      base[i * C] = 0;
      continue;
    }
    int* cl = &cand[i * C];
    double* cb = &base[i * C];
    for (int m : parts_[comp_[u]].lot_ids) {
      const double d = D(s, m, u);
      const double c = d + wt_.over * over_weight(u) * over(m, d) / w_[u] * 1e-3;
      if (c >= cb[C - 1]) continue;
      int j = C - 1;
      while (j > 0 && cb[j - 1] > c) cb[j] = cb[j - 1], cl[j] = cl[j - 1], --j;
      cb[j] = c, cl[j] = m;
    }
  }
  mean_d = wsum > 0 ? mean_d / wsum : 1;
  std::vector<double> price(static_cast<std::size_t>(k_), 0);
  std::vector<int> lot(static_cast<std::size_t>(n_), kNoLot), best_lot;
  double best_err = kInf;
  double band = kInf;
  for (int l = 0; l < k_; ++l)
    band = std::min(band, (spec_[l].hi - spec_[l].lo) / std::max(2 * spec_[l].target, 1e-9));
  double step = std::max(0.5, mean_d);
  std::vector<double> h(static_cast<std::size_t>(k_));
  for (int it = 0; it < 80; ++it) {
    std::fill(h.begin(), h.end(), 0.0);
    for (std::size_t i = 0; i < na; ++i) {
      const int* cl = &cand[i * C];
      const double* cb = &base[i * C];
      int l = cl[0];
      double bc = cb[0] + price[l];
      for (int j = 1; j < C && cl[j] != kNoLot; ++j)
        if (cb[j] + price[cl[j]] < bc) bc = cb[j] + price[cl[j]], l = cl[j];
      lot[active_units_[i]] = l;
      h[l] += g_.hours[active_units_[i]];
    }
    double err = 0;
    for (int l = 0; l < k_; ++l)
      err = std::max(err, std::abs(h[l] - spec_[l].target) / std::max(spec_[l].target, 1e-9));
    if (err < best_err) best_err = err, best_lot = lot;
    if (err < 0.4 * band) break;
    for (int l = 0; l < k_; ++l)
      price[l] += step * (h[l] - spec_[l].target) / std::max(spec_[l].target, 1e-9);
    step *= 0.93;
  }
  return best_lot;
}

// Rounds of price assignment -> contiguity repair -> hubs -> local search; the state is
// replaced when the objective improves.
bool Designer::relocate(State& s, Rng& rng, int rounds, int sweeps) {
  bool improved = false;
  std::vector<double> targets(static_cast<std::size_t>(k_));
  for (int l = 0; l < k_; ++l) targets[l] = spec_[l].target;
  std::vector<int> all(static_cast<std::size_t>(k_));
  std::iota(all.begin(), all.end(), 0);
  for (int r = 0; r < rounds && !time_up(); ++r) {
    // Lloyd steps: assign by price, re-centre hubs on the assignment, until hubs settle.
    State t = s;
    for (int step = 0; step < 6; ++step) {
      t.lot = price_assign(t);
      std::fill(t.hours.begin(), t.hours.end(), 0.0);
      std::fill(t.count.begin(), t.count.end(), 0);
      for (int u : active_units_) t.hours[t.lot[u]] += g_.hours[u], ++t.count[t.lot[u]];
      bool empty = false;
      for (int l = 0; l < k_; ++l) empty = empty || t.count[l] == 0;
      if (empty) break;
      const auto before = t.hub;
      for (int l = 0; l < k_; ++l)
        if (t.hub[l] >= 0 && t.lot[t.hub[l]] != l) t.hub[l] = -1;
      update_hubs(t, all);
      if (t.hub == before) break;
    }
    std::vector<int> lot = t.lot;
    repair_pieces(lot);
    fill_unassigned(lot, targets);
    join_locked(lot, targets);
    State u;
    u.lot = lot;
    init_state(u);
    bool empty = false;
    for (int l = 0; l < k_; ++l) empty = empty || u.count[l] == 0;
    if (empty) break;
    improve(u, rng, sweeps);
    if (total(u) < total(s) - 1e-6 * std::max(1.0, std::abs(total(s)))) {
      s = std::move(u);
      improved = true;
    } else {
      break;
    }
  }
  return improved;
}

[[noreturn]] void Designer::infeasible_after_search(const State& s) {
  if (hit_time_ || time_up())
    throw InfeasibleError("no plan inside the constraints was found within the time limit of " +
                          fmt_hours(req_.time_limit_s) +
                          " s; allow more time (time_limit_seconds)");
  // Band first, then travel.
  int worst = -1;
  double wv = 0;
  for (int l = 0; l < k_; ++l)
    if (viol(l, s.hours[l]) > wv) wv = viol(l, s.hours[l]), worst = l;
  if (worst >= 0) {
    const auto& sp = spec_[worst];
    std::string ask;
    if (tiers_mode_)
      ask = "lots inside the tier bands could not be made";
    else
      ask = std::to_string(k_) + " lots of " + fmt_hours(mean_lot_) + " h ± " +
            fmt_pct(req_.design.tolerance) + "% could not be made";
    throw InfeasibleError(ask + ": the best plan found still has a lot of " +
                          fmt_hours(s.hours[worst]) + " h (band " + fmt_hours(sp.lo) + "–" +
                          fmt_hours(sp.hi) + " h) in " + parts_[sp.part].where +
                          "; postcodes carry hours in steps too coarse or too constrained "
                          "(travel limit, locked postcodes) for this band — widen the "
                          "tolerance, change the number of lots or relax the travel limit");
  }
  int units = 0;
  double hours = 0, far = 0, limit = 0;
  int example = -1;
  for (int u : active_units_) {
    const int l = s.lot[u];
    const double d = D(s, l, u);
    if (g_.hours[u] > 0 && over(l, d) > 1e-6) {
      ++units;
      hours += g_.hours[u];
      if (d > far) far = d, example = u, limit = spec_[l].limit;
      if (tiers_mode_) travel_failed_part_ = spec_[l].part;
    }
  }
  throw InfeasibleError(
      "the travel limit of " + fmt_hours(limit) +
      " minutes cannot be met: the best plan found leaves " + with_commas(units) + " postcodes (" +
      fmt_hours(hours) + " h) further from their lot's hub, e.g. " +
      (example >= 0 ? g_.id[example] + " at " + fmt_hours(std::round(far)) + " min"
                    : std::string("?")) +
      "; raise max_travel_minutes or ask for more lots");
}

// One search: starts (METIS, growth, or the kept plan), local search and relocation; the
// best state on road travel. along_adjacency: search with travel along chains of
// neighbouring units (geo::GraphTravel), then settle on the roads.
State Designer::search(bool along_adjacency, bool limited, double max_limit) {
  adjacency_travel_.reset();
  stretch_ = 1;
  road_limits_.clear();
  hit_time_ = false;
  tree_limit_ = limited ? static_cast<float>(max_limit * 1.6) : kUnreachable;
  unreachable_ = limited ? max_limit * 4 : 1e4;
  if (along_adjacency) {
    // Travel along chains of neighbouring units (geo::GraphTravel: Dijkstra over the
    // adjacency's road minutes). A chain of road trips is a detour, so the search's travel
    // limits stretch by the median ratio seen from a few sample hubs; where the detour is
    // longer than that the search keeps lots tighter than the roads need, which leaves the
    // slack a road search at 150,000 postcodes lacked (lots held at both band edges, a few
    // postcodes over the limit that no single move could mend). The plan is settled and
    // checked on the roads after.
    adjacency_travel_ = std::make_unique<GraphTravel>(g_);
    if (limited) {
      std::vector<double> ratio;
      std::vector<float> a, r;
      for (int i = 0; i < 8; ++i) {
        const int u = active_units_[active_units_.size() * static_cast<std::size_t>(i) / 8];
        adjacency_travel_->tree(u, a, tree_limit_);
        g_.travel->tree(u, r, tree_limit_);
        for (int v : active_units_)
          if (std::isfinite(a[v]) && std::isfinite(r[v]) && r[v] > 1) ratio.push_back(a[v] / r[v]);
      }
      if (!ratio.empty()) {
        std::nth_element(ratio.begin(), ratio.begin() + static_cast<long>(ratio.size() / 2),
                         ratio.end());
        stretch_ = std::max(1.0, ratio[ratio.size() / 2]);
      }
      road_limits_.clear();
      for (auto& sp : spec_) road_limits_.push_back(sp.limit), sp.limit *= stretch_;
      tree_limit_ = static_cast<float>(tree_limit_ * stretch_);
      unreachable_ *= stretch_;
    }
  }
  cache_ = std::make_unique<TreeCache>(adjacency_travel_ ? *adjacency_travel_ : *g_.travel,
                                       tree_limit_);
  stamp_.assign(static_cast<std::size_t>(n_), 0);
  // Keeping postcodes in their lot outweighs travel (minutes per hour) but yields to the
  // hard constraints (band, travel limit).
  if (!keep_.empty()) wt_.keep = 1e3;

  Rng rng(req_.design.seed);
  const std::size_t n_active = active_units_.size();
  // Work budget (deterministic): starts and sweeps shrink for big graphs.
  const bool big = n_active > 20000;
  const int growth_starts = big ? 1 : (n_active > 8000 ? 2 : 3);
  const int sweeps = big ? 40 : 80;
  const int relocate_rounds = n_active > 80000 ? 1 : (big ? 2 : 4);
  hub_candidates_ = big ? 4 : 10;
  hub_steps_ = big ? 6 : 30;
  std::vector<std::vector<int>> starts;
  std::vector<double> targets(static_cast<std::size_t>(k_));
  for (int l = 0; l < k_; ++l) targets[l] = spec_[l].target;
  if (!keep_.empty()) {
    std::vector<int> lot(static_cast<std::size_t>(n_), kNoLot);
    for (int u : active_units_) {
      const int l = keep_[u];
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
    for (int i = 0; i < growth_starts; ++i) starts.push_back(start_growth(rng));
  }
  State best;
  double best_f = kInf;
  int start_no = 0;
  for (auto& lot : starts) {
    if (start_no > 0 && time_up()) break;
    ++start_no;
    // Each lot must hold at least one unit: a lot a start left empty takes the unit furthest
    // from the centre of the fullest lot of its part.
    for (const auto& p : parts_) {
      if (p.stray) continue;
      for (int l : p.lot_ids) {
        bool has = false;
        for (int u : p.units) has = has || lot[u] == l;
        if (has) continue;
        std::vector<double> h(static_cast<std::size_t>(k_), 0), sx(h), sy(h);
        for (int u : p.units)
          if (lot[u] != kNoLot)
            h[lot[u]] += w_[u], sx[lot[u]] += w_[u] * g_.site[u].x,
                sy[lot[u]] += w_[u] * g_.site[u].y;
        int big = -1;
        for (int m : p.lot_ids)
          if (h[m] > 0 && (big < 0 || h[m] / spec_[m].target > h[big] / spec_[big].target)) big = m;
        if (big < 0) {  // nothing of this part assigned yet: start the lot anywhere free
          for (int u : p.units)
            if (lot[u] == kNoLot && (locked_.empty() || locked_[u] == kNoLot)) {
              lot[u] = l;
              break;
            }
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
        if (far >= 0) lot[far] = l;
      }
    }
    repair_pieces(lot);
    fill_unassigned(lot, targets);
    join_locked(lot, targets);
    State s;
    s.lot = lot;
    init_state(s);
    Rng r2(req_.design.seed * 7919 + static_cast<std::uint64_t>(start_no));
    improve(s, r2, sweeps);
    if (keep_.empty()) relocate(s, r2, relocate_rounds, sweeps);
    const double f = total(s);
    if (f < best_f - 1e-9) best_f = f, best = s;
  }

  if (hit_time_ || time_up())
    note("stopped at the time limit of " + fmt_hours(req_.time_limit_s) +
         " s; a longer limit may find a better plan (and the result may vary from run to run)");
  if (adjacency_travel_) {
    // Back to the roads: real limits and road trees from the hubs; a short local search
    // on road travel mends what the stretched limit let through.
    for (int l = 0; l < k_ && !road_limits_.empty(); ++l) spec_[l].limit = road_limits_[l];
    tree_limit_ = static_cast<float>(tree_limit_ / stretch_);
    unreachable_ /= stretch_;
    cache_ = std::make_unique<TreeCache>(*g_.travel, tree_limit_);
    const auto trees = cache_->fetch(best.hub);
    for (int l = 0; l < k_; ++l) best.dist[l] = trees[l];
    if (!feasible(best)) {
      hub_candidates_ = 2;
      hub_steps_ = 2;
      improve(best, rng, 6);
    }
  }
  return best;
}

Plan Designer::run() {
  check_inputs();
  split_parts();
  if (!req_.locked.empty()) locked_ = req_.locked;
  if (!req_.keep_from.empty()) keep_ = req_.keep_from;
  if (tiers_mode_)
    allot_tiers_mode();
  else
    allot_lots_mode();
  assign_lot_ids();
  active_.assign(static_cast<std::size_t>(n_), 0);
  for (const auto& p : parts_)
    if (!p.stray)
      for (int u : p.units) active_[u] = 1, active_units_.push_back(u);
  std::sort(active_units_.begin(), active_units_.end());
  if (!locked_.empty())
    for (int u = 0; u < n_; ++u)
      if (!active_[u]) locked_[u] = kNoLot;
  double hsum = 0;
  for (int u : active_units_) hsum += g_.hours[u];
  eps_ = 1e-3 * hsum / std::max<std::size_t>(1, active_units_.size()) + 1e-9;
  w_.assign(static_cast<std::size_t>(n_), 0);
  for (int u = 0; u < n_; ++u) w_[u] = g_.hours[u] + eps_;
  double max_limit = 0;
  bool limited = true;
  for (const auto& s : spec_) {
    if (std::isfinite(s.limit))
      max_limit = std::max(max_limit, s.limit);
    else
      limited = false;
  }
  // Studies on roads search on road travel; the biggest (and any whose road search leaves
  // postcodes beyond the travel limit) search along chains of neighbouring postcodes.
  const bool roads = dynamic_cast<const RoadTravel*>(g_.travel.get()) != nullptr;
  const bool big_on_roads = roads && active_units_.size() > req_.adjacency_search_above;
  State best = search(big_on_roads, limited, max_limit);
  if (big_on_roads)
    note("a big study (over " + std::to_string(req_.adjacency_search_above) +
         " postcodes): lots were searched with travel along chains of neighbouring postcodes, "
         "then settled on road travel; the travel limit was checked on the roads, and the "
         "metrics use road travel");
  if (roads && limited && !big_on_roads && !feasible(best) && !time_up()) {
    double over_hours = 0;
    for (int u : active_units_)
      if (over(best.lot[u], D(best, best.lot[u], u)) > 0) over_hours += g_.hours[u];
    State again = search(true, limited, max_limit);
    if (feasible(again) || total(again) < total(best)) {
      note("the search on road travel left " + fmt_hours(over_hours) +
           " h beyond the travel limit (lots held at the edges of their hours band); a second "
           "search along chains of neighbouring postcodes, settled on road travel, was kept");
      best = std::move(again);
    }
  }
  if (!feasible(best)) infeasible_after_search(best);
  // The hard constraint the search keeps by construction, checked once more.
  for (int l = 0; l < k_; ++l)
    if (count_pieces(best.lot, l) != 1)
      throw InfeasibleError(
          "lot " + std::to_string(l + 1) + " could not be made one piece" +
          (locked_.empty()
               ? std::string()
               : ": its locked postcodes are cut apart by postcodes locked to other lots"));

  {
    int far_units = 0;
    std::string examples;
    for (int u : active_units_) {
      const int l = best.lot[u];
      if (g_.hours[u] <= 0 && over(l, D(best, l, u)) > 1e-6) {
        if (far_units < 3) examples += (examples.empty() ? "" : ", ") + g_.id[u];
        ++far_units;
      }
    }
    if (far_units > 0)
      note(with_commas(far_units) +
           " postcodes with no hours today lie beyond the travel limit "
           "from their lot's hub (e.g. " +
           examples + (far_units > 3 ? ", ..." : "") +
           "); the limit binds postcodes with hours only");
  }
  // Stray parts join the lot of the nearest designed unit (straight line).
  Plan plan;
  plan.lot_count = k_;
  plan.lot_of = best.lot;
  plan.hub = best.hub;
  plan.seed = req_.design.seed;
  for (const auto& p : parts_) {
    if (!p.stray) continue;
    std::map<int, double> joined;
    for (int u : p.units) {
      int near = -1;
      double bd = kInf;
      for (int v : active_units_) {
        const double d = std::hypot(g_.site[u].x - g_.site[v].x, g_.site[u].y - g_.site[v].y);
        if (d < bd) bd = d, near = v;
      }
      if (near >= 0) {
        plan.lot_of[u] = best.lot[near];
        joined[best.lot[near]] += g_.hours[u];
      }
    }
    std::string to;
    for (const auto& [l, h] : joined) to += (to.empty() ? "" : ", ") + std::to_string(l + 1);
    note(p.where + " is joined to the rest by no road and holds " + fmt_hours(p.hours) +
         " h, too little for a lot: it joins the nearest lot (" +
         (to.empty() ? "none" : "lot " + to) + ") across the gap");
  }
  // Number the free lots by their first postcode (locked / kept lots keep their numbers).
  if (keep_.empty()) {
    std::vector<char> fixed(static_cast<std::size_t>(k_), 0);
    if (!locked_.empty())
      for (int u : active_units_)
        if (locked_[u] != kNoLot) fixed[locked_[u]] = 1;
    std::vector<int> first(static_cast<std::size_t>(k_), n_);
    for (int u = n_ - 1; u >= 0; --u)
      if (plan.lot_of[u] != kNoLot) first[plan.lot_of[u]] = u;
    std::vector<int> free_ids, free_lots;
    for (int l = 0; l < k_; ++l)
      if (!fixed[l]) free_ids.push_back(l), free_lots.push_back(l);
    std::sort(free_lots.begin(), free_lots.end(),
              [&](int a, int b) { return first[a] < first[b]; });
    std::vector<int> map(static_cast<std::size_t>(k_));
    std::iota(map.begin(), map.end(), 0);
    for (std::size_t i = 0; i < free_lots.size(); ++i) map[free_lots[i]] = free_ids[i];
    for (auto& l : plan.lot_of)
      if (l != kNoLot) l = map[l];
    std::vector<int> hub(static_cast<std::size_t>(k_));
    std::vector<LotSpec> sp(static_cast<std::size_t>(k_));
    std::vector<double> hrs(static_cast<std::size_t>(k_));
    for (int l = 0; l < k_; ++l)
      hub[map[l]] = best.hub[l], sp[map[l]] = spec_[l], hrs[map[l]] = best.hours[l];
    plan.hub = hub;
    spec_ = sp;
    best.hours = hrs;
  }
  plan.name.assign(static_cast<std::size_t>(k_), "");
  plan.tier.assign(static_cast<std::size_t>(k_), "");
  if (tiers_mode_) {
    const auto& tiers = req_.design.tiers;
    for (int l = 0; l < k_; ++l) {
      int t = spec_[l].tier;
      const double h = best.hours[l];
      if (!(h >= tiers[t].min_hours - 1e-6 && h <= tiers[t].max_hours + 1e-6))
        for (std::size_t i = 0; i < tiers.size(); ++i)
          if (h >= tiers[i].min_hours - 1e-6 && h <= tiers[i].max_hours + 1e-6) {
            t = static_cast<int>(i);
            break;
          }
      plan.tier[l] = tiers[t].name;
    }
  }
  int designed_parts = 0;
  for (const auto& p : parts_) designed_parts += !p.stray && p.lots > 0;
  if (designed_parts > 1) {
    std::string s = "the network falls into " + std::to_string(designed_parts) +
                    " parts that no road joins; each was designed on its own:";
    for (const auto& p : parts_)
      if (!p.stray)
        s += " " + p.where + " " + fmt_hours(p.hours) + " h → " + std::to_string(p.lots) +
             (p.lots == 1 ? " lot;" : " lots;");
    s.pop_back();
    note(s);
  }
  return plan;
}

}  // namespace

Plan design(const UnitGraph& g, const DesignRequest& request, DesignReport* report) {
  const auto t0 = Clock::now();
  // In tiers mode the designer picks the number of lots: when the fewest lots the bands
  // allow cannot keep the travel limit, it tries again with one more lot in that part (up
  // to three more), and says so. Lots mode keeps the number asked for.
  std::vector<int> extra;
  std::map<int, int> first_lots;  // part -> lots on the first try that missed the limit
  std::string first_error;
  for (int attempt = 0;; ++attempt) {
    DesignReport local;
    Designer d(g, request, &local, extra);
    try {
      Plan p = d.run();
      if (report) {
        *report = std::move(local);
        for (auto it = first_lots.rbegin(); it != first_lots.rend(); ++it)
          report->notes.insert(
              report->notes.begin(),
              "the travel limit could not be met with " + std::to_string(it->second) + " lots in " +
                  d.part_name(it->first) + "; the plan has " +
                  std::to_string(d.part_lots(it->first)) +
                  " there (in tiers mode the designer picks the number of lots)");
        report->seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      }
      return p;
    } catch (const InfeasibleError& e) {
      const int part = d.travel_failed_part();
      if (part < 0 || attempt >= 3) {
        if (!first_error.empty())
          throw InfeasibleError(first_error + " (also tried with up to " +
                                std::to_string(attempt) + " more lots)");
        throw;
      }
      if (first_error.empty()) first_error = e.what();
      first_lots.emplace(part, d.part_lots(part));
      extra.resize(d.part_count(), 0);
      ++extra[static_cast<std::size_t>(part)];
    }
  }
}

}  // namespace lotwright::geo
