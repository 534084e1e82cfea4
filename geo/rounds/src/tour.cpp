// 2-opt and Or-opt on an open run (docs/rounds.md "Runs"). The run is closed into a tour
// through a "home" node at distance 0 from every call, so the usual tour moves also move
// the run's ends. Moves are looked for among each node's nearest neighbours (Johnson and
// McGeoch's neighbour lists) and applied first-improvement, in a fixed order.
#include "tour.hpp"

#include <algorithm>
#include <limits>

namespace lotwright::geo::detail {
namespace {

constexpr double kEps = 1e-7;
// Runs this short (calls plus home) also get every 3-opt move: a day's run has a handful of
// calls, so this is cheap where it matters and makes small runs nearly exact.
constexpr int kExhaustive = 16;

class Tour {
 public:
  Tour(const std::vector<int>& order, const std::vector<int>& place_of,
       const std::vector<float>& leg, int places, int neighbours)
      : order_(order),
        place_of_(place_of),
        leg_(leg),
        places_(places),
        n_(static_cast<int>(order.size()) + 1),
        home_(n_ - 1) {
    t_.resize(n_);
    pos_.resize(n_);
    for (int i = 0; i < n_; ++i) {
      t_[i] = i;  // node i < home_ is order_[i]; start from the given order
      pos_[i] = i;
    }
    build_neighbours(neighbours);
  }

  void improve() {
    for (;;) {
      const bool a = two_opt();
      const bool b = or_opt();
      const bool c = n_ <= kExhaustive && three_opt();
      if (!a && !b && !c) break;
    }
  }

  std::vector<int> result() const {
    std::vector<int> out;
    out.reserve(n_ - 1);
    for (int k = 1; k < n_; ++k) out.push_back(order_[t_[(pos_[home_] + k) % n_]]);
    return out;
  }

 private:
  double d(int a, int b) const {
    if (a == home_ || b == home_) return 0;
    return leg_[static_cast<std::size_t>(place_of_[order_[a]]) * places_ + place_of_[order_[b]]];
  }
  int succ(int a) const { return t_[(pos_[a] + 1) % n_]; }
  int pred(int a) const { return t_[(pos_[a] + n_ - 1) % n_]; }

  // Each call's nearest calls (ties by node), then home; home has none of its own (every
  // move touching home is also found from a call, whose list starts with home).
  void build_neighbours(int k) {
    nbr_.assign(n_, {});
    std::vector<int> others;
    for (int a = 0; a < home_; ++a) {
      others.clear();
      for (int b = 0; b < home_; ++b)
        if (b != a && d(a, b) < std::numeric_limits<float>::infinity()) others.push_back(b);
      const auto closer = [&](int x, int y) {
        const double dx = d(a, x), dy = d(a, y);
        return dx != dy ? dx < dy : x < y;
      };
      const std::size_t take = std::min<std::size_t>(others.size(), static_cast<std::size_t>(k));
      std::partial_sort(others.begin(), others.begin() + take, others.end(), closer);
      nbr_[a].push_back(home_);
      nbr_[a].insert(nbr_[a].end(), others.begin(), others.begin() + take);
    }
  }

  // Reverses the tour from position i forward to position j (or, equivalently, the rest).
  void reverse(int i, int j) {
    int len = (j - i + n_) % n_ + 1;
    if (2 * len > n_) {
      const int ni = (j + 1) % n_, nj = (i + n_ - 1) % n_;
      i = ni;
      j = nj;
      len = n_ - len;
    }
    for (int k = 0; k < len / 2; ++k) {
      std::swap(t_[i], t_[j]);
      pos_[t_[i]] = i;
      pos_[t_[j]] = j;
      i = (i + 1) % n_;
      j = (j + n_ - 1) % n_;
    }
  }

  // One 2-opt move from a, replacing (a, next) and (c, next of c) by (a, c) and the two
  // nexts, in either direction. Returns whether it moved.
  bool two_opt_from(int a, bool forward) {
    const int b = forward ? succ(a) : pred(a);
    const double dab = d(a, b);
    for (int c : nbr_[a]) {
      const double dac = d(a, c);
      if (dac >= dab - kEps) break;
      const int e = forward ? succ(c) : pred(c);
      if (c == b || e == a) continue;
      if (dac + d(b, e) - dab - d(c, e) < -kEps) {
        if (forward)
          reverse(pos_[b], pos_[c]);
        else
          reverse(pos_[c], pos_[b]);
        return true;
      }
    }
    return false;
  }

  bool two_opt() {
    bool any = false;
    for (int a = 0; a < n_; ++a)
      for (bool forward : {true, false})
        while (two_opt_from(a, forward)) any = true;
    return any;
  }

  struct Insertion {
    int x = -1, y = -1;  // insert between x and y = succ(x)
    bool reversed = false;
    double gain = kEps;
  };

  // Or-opt: moves the segment of `len` nodes starting at s1 between two other neighbours,
  // either way round, when that shortens the tour.
  bool or_opt_from(int s1, int len) {
    const int i = pos_[s1];
    const int s2 = t_[(i + len - 1) % n_];
    const int p = pred(s1), nx = succ(s2);
    const double removed = d(p, s1) + d(s2, nx) - d(p, nx);
    if (removed <= kEps) return false;
    const auto inside = [&](int v) { return (pos_[v] - i + n_) % n_ < len; };
    Insertion best;
    for (int end : {s1, s2}) {
      for (int c : nbr_[end]) {
        if (inside(c)) continue;
        for (bool after : {true, false}) {
          const int e = after ? succ(c) : pred(c);
          if (inside(e)) continue;
          const int x = after ? c : e, y = after ? e : c;
          const double base = d(x, y);
          const double keep = removed - (d(x, s1) + d(s2, y) - base);
          const double flip = removed - (d(x, s2) + d(s1, y) - base);
          if (keep > best.gain) best = {x, y, false, keep};
          if (flip > best.gain) best = {x, y, true, flip};
        }
      }
    }
    if (best.x < 0) return false;
    std::vector<int> seg(len);
    for (int k = 0; k < len; ++k) seg[k] = t_[(i + k) % n_];
    if (best.reversed) std::reverse(seg.begin(), seg.end());
    std::vector<int> next;
    next.reserve(n_);
    for (int k = 0; k < n_ - len; ++k) {
      const int v = t_[(i + len + k) % n_];
      next.push_back(v);
      if (v == best.x) next.insert(next.end(), seg.begin(), seg.end());
    }
    t_ = std::move(next);
    for (int k = 0; k < n_; ++k) pos_[t_[k]] = k;
    return true;
  }

  bool or_opt() {
    bool any = false;
    for (int len = 1; len <= 3; ++len) {
      if (n_ < len + 3) break;
      for (int s = 0; s < n_; ++s)
        if (or_opt_from(s, len)) any = true;
    }
    return any;
  }

  // 3-opt, every move (best first): cut edges after positions i < j < k; the tour is rest R,
  // then S1 = (i, j], S2 = (j, k]; rejoin R with S1 and S2 in either order, either way round.
  bool three_opt() {
    const auto at = [&](int q) { return t_[(q % n_ + n_) % n_]; };
    double best = -kEps;
    int bi = -1, bj = -1, bk = -1, bcase = 0;
    for (int i = 0; i < n_; ++i)
      for (int j = i + 1; j < n_; ++j)
        for (int k = j + 1; k < n_ && k - i < n_ - 1; ++k) {
          const int r_end = at(i), r_start = at(k + 1);
          const int a1 = at(i + 1), a2 = at(j), b1 = at(j + 1), b2 = at(k);
          const double old = d(r_end, a1) + d(a2, b1) + d(b2, r_start);
          for (int c = 1; c < 8; ++c) {
            const bool swap = c & 4, rev_a = c & 1, rev_b = c & 2;
            int x1 = rev_a ? a2 : a1, x2 = rev_a ? a1 : a2;
            int y1 = rev_b ? b2 : b1, y2 = rev_b ? b1 : b2;
            if (swap) std::swap(x1, y1), std::swap(x2, y2);
            const double delta = d(r_end, x1) + d(x2, y1) + d(y2, r_start) - old;
            if (delta < best) best = delta, bi = i, bj = j, bk = k, bcase = c;
          }
        }
    if (bi < 0) return false;
    std::vector<int> a(t_.begin() + bi + 1, t_.begin() + bj + 1);
    std::vector<int> b(t_.begin() + bj + 1, t_.begin() + bk + 1);
    if (bcase & 1) std::reverse(a.begin(), a.end());
    if (bcase & 2) std::reverse(b.begin(), b.end());
    if (bcase & 4) std::swap(a, b);
    std::copy(a.begin(), a.end(), t_.begin() + bi + 1);
    std::copy(b.begin(), b.end(), t_.begin() + bi + 1 + static_cast<std::ptrdiff_t>(a.size()));
    for (int q = 0; q < n_; ++q) pos_[t_[q]] = q;
    return true;
  }

  const std::vector<int>& order_;
  const std::vector<int>& place_of_;
  const std::vector<float>& leg_;
  std::size_t places_;
  int n_, home_;
  std::vector<int> t_, pos_;  // tour of nodes, and each node's position in it
  std::vector<std::vector<int>> nbr_;
};

}  // namespace

void improve_open_path(std::vector<int>& order, const std::vector<int>& place_of,
                       const std::vector<float>& leg, int places, int neighbours) {
  if (order.size() < 3) return;
  Tour tour(order, place_of, leg, places, neighbours);
  tour.improve();
  order = tour.result();
}

}  // namespace lotwright::geo::detail
