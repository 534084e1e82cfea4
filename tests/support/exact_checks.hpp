#pragma once
// Checks on the exact solver's answers, shared by exact_test (tiny graphs against brute force)
// and oracle_test (Isle of Wight units, where the same MIP is the designer's oracle): one
// solve serves both the oracle and these checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "lotwright/design/exact.hpp"
#include "lotwright/metrics/metrics.hpp"

namespace lotwright::test {

// Every hard constraint of an exact plan, through evaluate(): each lot one piece in the band,
// every unit with hours within the limit of its hub; the objective is the designer's and
// hours_travel the metrics' (mean × hours).
inline void expect_exact_plan_valid(const geo::UnitGraph& g, const geo::ExactResult& r, int lots,
                                    double tol, double limit) {
  ASSERT_EQ(r.plan.lot_count, lots);
  ASSERT_EQ(r.plan.lot_of.size(), g.size());
  const auto m = geo::evaluate(g, r.plan);
  EXPECT_EQ(m.unassigned_units, 0);
  for (const auto& l : m.lots) {
    EXPECT_EQ(l.pieces, 1) << "lot " << l.lot;
    EXPECT_LE(std::abs(l.hours - m.total_hours / lots), m.total_hours / lots * tol + 1e-6);
  }
  std::vector<float> tree;
  for (int l = 0; l < lots; ++l) {
    g.travel->tree(r.plan.hub[static_cast<std::size_t>(l)], tree);
    for (std::size_t u = 0; u < g.size(); ++u)
      if (r.plan.lot_of[u] == l && limit > 0 && g.hours[u] > 0) {
        EXPECT_LE(tree[u], limit);
      }
  }
  EXPECT_EQ(r.objective, geo::plan_objective(g, r.plan));
  EXPECT_NEAR(r.hours_travel, m.mean_travel_min * m.assigned_hours, 1e-9 * (1 + r.hours_travel));
}

// The aggregated Lagrangian bound (bigger studies' certificate) never exceeds the proven
// optimum `opt`, certifying its plan: with every unit a centre (each hub's own tree, as the
// designer does up to max_units) and a third of them (hubs then bounded through another
// unit's tree, shifted by δ).
inline void expect_bound_below_optimum(const geo::UnitGraph& g, const geo::ExactResult& opt,
                                       int lots, double tol, double limit) {
  SCOPED_TRACE("bound: lots " + std::to_string(lots) + " limit " + std::to_string(limit));
  ASSERT_EQ(opt.status, geo::ExactStatus::optimal);
  geo::BoundRequest b;
  b.lots = lots;
  b.tolerance = tol;
  b.max_travel_minutes = limit;
  b.incumbent = &opt.plan;
  for (int centres : {static_cast<int>(g.size()), static_cast<int>(g.size()) / 3}) {
    SCOPED_TRACE("centres " + std::to_string(centres));
    b.centres = std::max(1, centres);
    b.max_centres = b.centres;  // no centres added for cover: hubs keep their shift
    b.group_size = centres == static_cast<int>(g.size()) ? 1 : 2;
    const auto a = geo::aggregated_bound(g, b);
    ASSERT_TRUE(a.computed) << a.why_not;
    EXPECT_NEAR(a.incumbent, opt.objective, 1e-9 * opt.objective);
    EXPECT_GE(a.lower_bound, 0);
    EXPECT_LE(a.lower_bound, opt.objective * (1 + 1e-9));
    EXPECT_GT(a.iterations, 0);
    EXPECT_GE(a.centres, b.centres);
    std::printf("  aggregated, %d centres: %.3f (%.1f%% below)\n", a.centres, a.lower_bound,
                (1 - a.lower_bound / opt.objective) * 100);
  }
}

}  // namespace lotwright::test
