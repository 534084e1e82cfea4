// The problem (docs/designer.md, "How", step 1): inputs checked, the parts no road joins,
// lots allotted to parts by hours (lots mode) or tier bands (tiers mode), lot numbers.
#include "problem.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <numeric>

#include "lotwright/core/error.hpp"
#include "lotwright/core/text.hpp"

namespace lotwright::geo::design_detail {
namespace {

std::string district(const std::string& postcode) {
  const auto sp = postcode.find(' ');
  return sp == std::string::npos ? postcode : postcode.substr(0, sp);
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

}  // namespace

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

double minutes_up(double m) { return std::ceil(m * 100 - 1e-7) / 100; }

std::string fmt_minutes_up(double m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", minutes_up(m));
  return buf;
}

std::string fmt_pct(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::round(p * 1000) / 10);
  return buf;
}

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
      throw InfeasibleError(std::to_string(lots) + " lots for " + with_commas(n_) + " " +
                            req_.unit_noun + "s: a lot needs at least one " + req_.unit_noun);
    if (lots > positive)
      throw InfeasibleError(std::to_string(lots) + " lots for " + with_commas(n_) + " " +
                            req_.unit_noun + "s: only " + with_commas(positive) +
                            " of them have any care hours, and every lot needs some; ask for "
                            "fewer lots");
    const double mean = total / lots;
    const double hi = mean * (1 + d.tolerance);
    int worst = -1;
    for (int u = 0; u < n_; ++u)
      if (g_.hours[u] > hi && (worst < 0 || g_.hours[u] > g_.hours[worst])) worst = u;
    if (worst >= 0)
      throw InfeasibleError(
          req_.unit_noun + " " + g_.id[worst] + " alone has " + fmt_hours(g_.hours[worst]) +
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
      throw InfeasibleError(req_.unit_noun + " " + g_.id[worst] + " alone has " +
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
                  with_commas(static_cast<long long>(p.units.size())) + " " +
                  (p.units.size() == 1 ? req_.unit_noun : req_.unit_noun + "s");
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
  check_free_units(lock_part);
}

// Every lot needs a postcode: the lots of a part that no locked postcode starts need as many
// postcodes there that are not locked (all locked into one lot, lots = 4: three lots empty).
void Designer::check_free_units(const std::vector<int>& lock_part) const {
  if (locked_.empty()) return;
  for (const auto& p : parts_) {
    if (p.stray) continue;
    long free = 0;
    for (int u : p.units) free += locked_[u] == kNoLot ? 1 : 0;
    std::string empty;
    long need = 0;
    for (int l : p.lot_ids)
      if (lock_part[l] < 0) empty += (need++ ? ", " : "") + std::to_string(l + 1);
    if (free >= need) continue;
    throw InfeasibleError(
        "the locked postcodes leave " + plural(free, "postcode") + " of " + p.where +
        " unlocked, but " + plural(need, "lot") + " there (" + empty + ") " +
        (need == 1 ? "has" : "have") + " no locked postcode and need" + (need == 1 ? "s" : "") +
        " at least one each: lock fewer postcodes, or ask for " +
        std::to_string(static_cast<long>(p.lot_ids.size()) - need + free) +
        (static_cast<long>(p.lot_ids.size()) - need + free == 1 ? " lot" : " lots") +
        (parts_.size() > 1 ? " there" : ""));
  }
}

}  // namespace lotwright::geo::design_detail
