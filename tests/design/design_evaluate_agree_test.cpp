// Issue 11: `design` and `evaluate` agree on every plan. The designer's final hubs are the
// exact hubs (metrics/hubs.hpp) whatever the size of the study, so evaluating its plan with
// the hubs it wrote, or without them (a foreign plan: evaluate computes exact hubs itself),
// gives the design's figures. On the Isle of Wight (the suite's shared run: real data,
// synthetic demand) and on a synthetic county.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "lotwright/design/designer.hpp"
#include "lotwright/design/exact.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/metrics/study_options.hpp"
#include "lotwright/plan/plan_csv.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/synth/synth.hpp"
#include "support.hpp"

using namespace lotwright;

namespace {

// Compares evaluate() of `plan` with the hubs it carries with evaluate() of the same plan
// without them (a foreign plan: evaluate finds the exact hubs itself).
void expect_same_without_hubs(const geo::UnitGraph& g, const geo::Plan& plan,
                              const geo::EvaluateOptions& o) {
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
  expect_same_without_hubs(g, plan, o);
}

}  // namespace

// The suite's shared Isle of Wight run (tests/support/shared_iow.cpp: `lotwright run`, 6 lots
// +-5%, 25 minutes): its plan (assignment.csv with its hubs) evaluated in this process gives
// the figures of the design's metrics.json, with or without the hubs.
TEST(DesignEvaluateAgree, IsleOfWight) {
  const test::SharedIowRun& iow = test::shared_iow_run();
  ASSERT_EQ(iow.run.exit_code, 0) << iow.run.err;
  const geo::Config cfg = geo::load_config(iow.config);
  const auto study = geo::load_study(cfg);  // roads from the shared run's cache
  const geo::Plan plan = geo::read_plan_csv(iow.out / "assignment.csv", study.graph, nullptr);
  const auto o = geo::evaluate_options(study, cfg.design);
  const auto m = nlohmann::json::parse(test::read_text(iow.out / "metrics.json"));
  const auto e = geo::evaluate(study.graph, plan, o);
  EXPECT_EQ(e.feasible, m["feasible"].get<bool>());
  EXPECT_NEAR(e.mean_travel_min, m["mean_travel_min"].get<double>(), 0.01);
  ASSERT_EQ(e.lots.size(), m["lots"].size());
  ASSERT_EQ(e.lots.size(), 6u);
  for (std::size_t l = 0; l < e.lots.size(); ++l) {
    SCOPED_TRACE("lot " + std::to_string(l + 1));
    EXPECT_EQ(e.lots[l].hub, m["lots"][l]["hub"].get<std::string>());
    EXPECT_NEAR(e.lots[l].hours, m["lots"][l]["hours"].get<double>(), 0.01);
    EXPECT_NEAR(e.lots[l].mean_travel_min, m["lots"][l]["mean_travel_min"].get<double>(), 0.01);
    EXPECT_NEAR(e.lots[l].max_travel_min, m["lots"][l]["max_travel_min"].get<double>(), 0.01);
  }
  expect_same_without_hubs(study.graph, plan, o);
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
