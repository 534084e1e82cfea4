// Issue 11: `design` and `evaluate` agree on every plan. The designer's final hubs are the
// exact hubs (metrics/hubs.hpp) whatever the size of the study, so evaluating its plan with
// the hubs it wrote, or without them (a foreign plan: evaluate computes exact hubs itself),
// gives the design's figures. On the Isle of Wight (real data, synthetic demand) and on a
// synthetic county.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lotwright/design/designer.hpp"
#include "lotwright/design/exact.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/synth/synth.hpp"
#include "support.hpp"

using namespace lotwright;

namespace {

// Designs g and compares evaluate() of the plan as designed with evaluate() of the same plan
// without its hubs.
void expect_agree(const geo::UnitGraph& g, const geo::DesignConfig& design) {
  geo::DesignRequest req;
  req.design = design;
  req.measure_relaxations = false;
  geo::DesignReport report;
  const geo::Plan plan = geo::design(g, req, &report);
  ASSERT_TRUE(report.feasible) << report.reason;
  geo::EvaluateOptions o;
  o.design = &design;
  const auto a = geo::evaluate(g, plan, o);
  geo::Plan foreign = plan;
  foreign.hub.assign(foreign.hub.size(), -1);
  const auto b = geo::evaluate(g, foreign, o);
  EXPECT_TRUE(a.feasible);
  EXPECT_TRUE(b.feasible);
  EXPECT_EQ(a.problems, b.problems);
  EXPECT_NEAR(a.mean_travel_min, b.mean_travel_min, 0.01);
  ASSERT_EQ(a.lots.size(), b.lots.size());
  for (std::size_t l = 0; l < a.lots.size(); ++l) {
    SCOPED_TRACE("lot " + std::to_string(l + 1));
    EXPECT_EQ(a.lots[l].hub, b.lots[l].hub);
    EXPECT_NEAR(a.lots[l].mean_travel_min, b.lots[l].mean_travel_min, 0.01);
    EXPECT_NEAR(a.lots[l].max_travel_min, b.lots[l].max_travel_min, 0.01);
  }
}

}  // namespace

TEST(DesignEvaluateAgree, IsleOfWight) {
  test::ScratchDir dir("agree-iow");
  const auto demand = dir / "demand.csv";
  geo::SynthDemandOptions o;
  o.seed = 1;
  geo::synth_demand(geo::load_config(test::write_iow_config(dir.path(), "")), demand, o);
  geo::StudyOptions so;
  so.cache_dir = dir / "cache";
  const auto study =
      geo::load_study(geo::load_config(test::write_iow_config(dir.path(), demand)), so);
  geo::DesignConfig d;
  d.lots = 6;
  d.tolerance = 0.05;
  d.max_travel_minutes = 25;
  d.seed = 1;
  expect_agree(study.graph, d);
}

TEST(DesignEvaluateAgree, SyntheticCounty) {
  test::ScratchDir dir("agree-synth");
  geo::SynthCountyOptions c;
  c.postcodes = 2500;
  c.seed = 4;
  geo::synth_county(dir.path(), c);
  geo::StudyOptions so;
  so.cache_dir = dir / "cache";
  const auto study = geo::load_study(geo::load_config(dir / "county.toml"), so);
  geo::DesignConfig d;
  d.lots = 5;
  d.tolerance = 0.05;
  d.max_travel_minutes = 40;
  d.seed = 2;
  expect_agree(study.graph, d);
}

// Issue 11, search quality: plans are compared as they are finally scored (exact hubs during
// the search, local_search.cpp exact_recentre), so the design seed matters little. A small
// synthetic county (1,200 postcodes, 5 lots ±5%, 40 minutes): four design seeds reach plans
// within 1% of each other (before exact hubs in the search, seed 4 stopped 2.0% above the
// others), every one feasible, and the same seed gives the same plan.
TEST(DesignSeeds, SpreadWithinOnePercentOnASmallSyntheticCounty) {
  test::ScratchDir dir("seeds-synth");
  geo::SynthCountyOptions c;
  c.postcodes = 1200;
  c.seed = 4;
  geo::synth_county(dir.path(), c);
  geo::StudyOptions so;
  so.cache_dir = dir / "cache";
  const auto study = geo::load_study(geo::load_config(dir / "county.toml"), so);
  const auto& g = study.graph;
  geo::DesignRequest req;
  req.design.lots = 5;
  req.design.tolerance = 0.05;
  req.design.max_travel_minutes = 40;
  req.measure_relaxations = false;
  std::vector<double> value;
  geo::Plan first;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    req.design.seed = seed;
    geo::DesignReport report;
    const geo::Plan plan = geo::design(g, req, &report);
    EXPECT_TRUE(report.feasible) << "seed " << seed << ": " << report.reason;
    value.push_back(geo::plan_objective(g, plan));
    if (seed == 1) first = plan;
  }
  const auto [lo, hi] = std::minmax_element(value.begin(), value.end());
  std::printf("seeds 1-4: objective %.1f-%.1f, spread %.2f%%\n", *lo, *hi, (*hi / *lo - 1) * 100);
  EXPECT_LE(*hi, *lo * 1.01) << "spread " << (*hi / *lo - 1) * 100 << "%";
  req.design.seed = 1;
  const geo::Plan again = geo::design(g, req, nullptr);
  EXPECT_EQ(again.lot_of, first.lot_of);
  EXPECT_EQ(again.hub, first.hub);
}
