#pragma once
// The designer's private state (docs/designer.md has the stages and the file of each):
// the problem (parts, lots and their bands) and the Designer whose methods, one file per
// stage, search it.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/design/designer.hpp"
#include "objective.hpp"
#include "tree_cache.hpp"

namespace lotwright::geo::design_detail {

using Clock = std::chrono::steady_clock;

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

// Numbers as the messages print them (problem.cpp).
std::string with_commas(long long v);
std::string fmt_hours(double h);
std::string fmt_pct(double p);
// Minutes rounded up to 0.01 (never down into a limit: 25.003 -> 25.01), and printed so.
double minutes_up(double m);
std::string fmt_minutes_up(double m);

// A part of the network no road joins to the rest, and the lots allotted to it.
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

// The work budget of one search (deterministic; smaller for big graphs).
struct Budget {
  int growth_starts = 3;
  int sweeps = 80;
  int relocate_rounds = 4;
  int kicks = 0;  // iterated local search after the starts (perturb.cpp), per elite start
  int elite = 1;  // the best distinct starts the iterated local search runs from
  double elite_within = 0.05;  // ... among the starts within this share of the best start
  double threshold = 0;        // the kicks' first acceptance threshold (iterate)
  int scan = 0;        // hub positions tried per lot after each elite start's kicks (hub_scan)
  double seconds = 0;  // the exact polish's share, sized to the county (reported as the budget)
};

class Designer {
 public:
  // extra_lots: per part (split_parts() order), lots to add in tiers mode beyond the fewest
  // the bands allow (after a try that missed the travel limit there). deadline: the
  // search stops starting new work after it (Clock::time_point::max(): never).
  Designer(const UnitGraph& g, const DesignRequest& req, DesignReport* report,
           std::vector<int> extra_lots, Clock::time_point deadline, double time_limit_s)
      : g_(g),
        req_(req),
        report_(report),
        n_(static_cast<int>(g.size())),
        extra_lots_(std::move(extra_lots)),
        deadline_(deadline),
        time_limit_s_(time_limit_s) {}

  Plan run();  // designer.cpp
  // After run() threw for the travel limit in tiers mode: the part whose postcodes were
  // too far (-1 otherwise), its lot count and where it is.
  int travel_failed_part() const { return travel_failed_part_; }
  // After run() returned an infeasible plan: whether the search stopped at the deadline.
  bool timed_out() const { return search_timed_out_; }
  // Whether a wall-clock stop (the deadline, the exact solve's safety stop) cut work short.
  bool clock_stopped() const { return clock_stopped_; }
  int part_lots(int part) const { return parts_[static_cast<std::size_t>(part)].lots; }
  std::size_t part_count() const { return parts_.size(); }
  const std::string& part_name(int part) const {
    return parts_[static_cast<std::size_t>(part)].where;
  }

 private:
  // ---- the problem: parts, lots and bands (problem.cpp) ----
  void check_inputs();
  void split_parts();
  void allot_lots_mode();
  void allot_tiers_mode();
  void assign_lot_ids();
  std::string part_where(const Part& p) const;
  void check_free_units(const std::vector<int>& lock_part) const;

  // ---- local search: moves and hubs (local_search.cpp) ----
  bool keeps_connected(const State& s, int u, int a);
  int sweep(State& s, Rng& rng);
  void update_hubs(State& s, const std::vector<int>& lots);
  void init_state(State& s);
  void improve(State& s, Rng& rng, int max_sweeps);
  bool exact_recentre(State& s, Rng& rng, int max_sweeps);
  std::vector<int> exact_hubs_kept(const std::vector<int>& lot, const std::vector<double>& limits);
  bool feasible_with_exact_hubs(State& s);

  // ---- contiguity repair (repair.cpp) ----
  void repair_pieces(std::vector<int>& lot) const;
  void join_locked(std::vector<int>& lot, const std::vector<double>& target) const;
  int count_pieces(const std::vector<int>& lot, int l, std::vector<int>* piece_of = nullptr) const;
  void fill_unassigned(std::vector<int>& lot, const std::vector<double>& target) const;

  // ---- starts (starts.cpp) ----
  std::vector<std::vector<int>> make_starts(Rng& rng, const Budget& budget);
  std::vector<int> start_metis(std::uint64_t seed);
  std::vector<int> start_growth(Rng& rng);
  std::vector<int> grow(const Part& p, const std::vector<int>& seeds, std::vector<int> lot);
  std::vector<int> pick_seeds(const Part& p, Rng& rng, const std::vector<int>& lot);
  void give_empty_lots_a_unit(std::vector<int>& lot) const;

  // ---- location-allocation with prices (relocate.cpp) ----
  bool relocate(State& s, Rng& rng, int rounds, int sweeps);
  std::vector<int> price_assign(const State& s);

  // ---- iterated local search: kicks, travel repair (perturb.cpp) ----
  bool rebuild(State& t, std::vector<int> hubs, std::vector<int> lot, Rng& rng, int sweeps);
  std::vector<int> kick_travel(const State& s, Rng& rng, std::vector<int>& hubs);
  bool move_hub_to_reach(State& s, int u);
  std::vector<int> kick_random(const State& s, Rng& rng);
  std::vector<int> kick_regrow(const State& s, Rng& rng);
  std::vector<int> kick_hub(const State& s, Rng& rng, std::vector<int>& hubs);
  void iterate(State& best, Rng& rng, int kicks, int sweeps, double threshold);
  void hub_scan(State& best, Rng& rng, int per_lot, int sweeps);
  State iterate_elite(std::vector<std::pair<double, State>>& pool, const Budget& b);

  // ---- exact polish and certificate (polish.cpp) ----
  bool exact_applies() const;
  void polish_exact(State& best);
  // Above the exact polish's size: the Lagrangian bound (exact.hpp) on the final plan.
  void certify_lagrangian(const Plan& plan);

  // ---- one search over the starts (search.cpp) ----
  State search(bool along_adjacency, bool limited, double max_limit);
  void stretch_to_adjacency(bool limited);
  Budget set_budget();
  void settle_on_roads(State& best, Rng& rng);
  [[noreturn]] void infeasible_after_search(const State& s);

  // ---- the plan (designer.cpp) ----
  void prepare();
  State search_best(bool limited, double max_limit);
  void check_contiguous(const State& best) const;
  void note_far_empty_postcodes(const State& best);
  void join_strays(Plan& plan, const State& best);
  void number_lots(Plan& plan, State& best);
  void tag_tiers(Plan& plan, const State& best) const;
  void note_parts();

  // Past the deadline; remembered (clock_stopped) as a wall-clock stop of the work.
  bool time_up() const {
    if (Clock::now() <= deadline_) return false;
    clock_stopped_ = true;
    return true;
  }
  void note(std::string s) {
    if (report_) report_->notes.push_back(std::move(s));
  }

  const UnitGraph& g_;
  const DesignRequest& req_;
  DesignReport* report_;
  int n_;
  std::vector<int> comp_;
  std::vector<Part> parts_;
  std::vector<LotSpec> spec_;
  int k_ = 0;
  std::vector<int> locked_;
  std::vector<char> active_;
  std::vector<int> active_units_;
  Objective obj_{g_, spec_, active_units_};
  float tree_limit_ = kUnreachable;
  std::unique_ptr<TravelOracle> adjacency_travel_;
  double stretch_ = 1;               // adjacency metric / road travel (median)
  std::vector<double> road_limits_;  // the real travel limits while the search is stretched
  std::unique_ptr<TreeCache> cache_;
  // The search's cache when it holds g_.travel's own trees (road travel: the chain search's
  // cache is of another travel), else null: the trees CachedFirst may serve.
  const TreeCache* road_trees() const {
    return cache_ && &cache_->travel() == g_.travel.get() ? cache_.get() : nullptr;
  }
  std::vector<int> stamp_;
  int stamp_now_ = 0;
  bool hit_time_ = false;
  bool tiers_mode_ = false;
  std::vector<int> extra_lots_;
  Clock::time_point deadline_;
  double time_limit_s_ = 0;  // for the messages
  Clock::time_point start_ = Clock::now();
  double budget_s_ = 0;
  bool exact_infeasible_ = false;  // the exact solve proved the ask infeasible
  // Units with hours no possible hub serves within the travel limit (outcome.hpp,
  // prove_unreachable), found after the first search's starts: the first one's proof (empty:
  // none). Every proved unit is excused in the objective (Objective::excused), the travel
  // repair kicks leave them be, and no second search is run.
  std::string unservable_proof_;
  void prove_unservable(const State& best, double max_limit);
  int travel_failed_part_ = -1;
  bool search_timed_out_ = false;
  mutable bool clock_stopped_ = false;
  int hub_candidates_ = 10;  // units nearest a lot's centre tried as its hub
  int hub_steps_ = 30;       // steps of the walk to better neighbouring hubs
  double mean_lot_ = 0;
  bool recentre_exact_ = false;  // exact hubs during the search (local_search.cpp)
  // Exact hubs already found in this search, by lot members and limit (exact_hubs_kept).
  struct HubMemo {
    double limit;
    std::vector<int> members;
    int hub;
  };
  std::deque<HubMemo> hub_memo_;
  std::vector<double> hub_weights_;
};

}  // namespace lotwright::geo::design_detail
