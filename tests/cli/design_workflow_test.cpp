// The design workflow the command line calls (lotwright/design/workflow.hpp), on a small
// synthetic study: run_design and evaluate_plan give the same figures for the same plan,
// overrides apply, locked is read strictly and keep_from / the baseline leniently.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lotwright/core/error.hpp"
#include "lotwright/design/workflow.hpp"
#include "support.hpp"
#include "synthetic_graphs.hpp"

using namespace lotwright;
using ::testing::HasSubstr;

namespace {

// A 6 x 4 grid of 500 m square cells, uneven hours, two lots by default.
geo::Study grid_study() {
  geo::Study s;
  s.graph = test::grid_graph(6, 4, [](int i, int j) { return 1.0 + (i * 7 + j * 3) % 5; });
  for (std::size_t u = 0; u < s.graph.size(); ++u) {
    geo::Unit unit;
    unit.id = s.graph.id[u];
    unit.site = s.graph.site[u];
    const double x = unit.site.x, y = unit.site.y, r = 250;
    unit.cell = {geo::Polygon{
        {{x - r, y - r}, {x + r, y - r}, {x + r, y + r}, {x - r, y + r}, {x - r, y - r}}, {}}};
    unit.area_m2 = 250000;
    s.units.units.push_back(unit);
  }
  s.config.design.lots = 2;
  s.config.design.tolerance = 0.1;
  s.config.design.max_travel_minutes = 0;
  return s;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

}  // namespace

// `design` writes the plan, `evaluate --plan` reads it back: one evaluate_options, so the
// same figures (these used to be built in two places of the command line).
TEST(DesignWorkflow, DesignedPlanEvaluatesToTheSameFigures) {
  const geo::Study study = grid_study();
  const geo::DesignOutcome o = geo::run_design(study);
  ASSERT_EQ(o.plan.lot_count, 2);
  EXPECT_EQ(o.metrics.unassigned_units, 0);
  EXPECT_LT(o.metrics.baseline_kept_share, 0);  // no baseline, no keep_from
  test::ScratchDir dir;
  geo::write_study_plan(dir.path(), study, o);
  const geo::PlanEvaluation e = geo::evaluate_plan(study, dir / "assignment.csv");
  EXPECT_EQ(e.plan.lot_of, o.plan.lot_of);
  EXPECT_EQ(e.plan.name, o.plan.name);  // lots named from places (here: districts) alike
  ASSERT_EQ(e.metrics.lots.size(), o.metrics.lots.size());
  for (std::size_t l = 0; l < o.metrics.lots.size(); ++l) {
    EXPECT_DOUBLE_EQ(e.metrics.lots[l].hours, o.metrics.lots[l].hours);
    EXPECT_DOUBLE_EQ(e.metrics.lots[l].mean_travel_min, o.metrics.lots[l].mean_travel_min);
    EXPECT_DOUBLE_EQ(e.metrics.lots[l].polsby_popper, o.metrics.lots[l].polsby_popper);
    EXPECT_EQ(e.metrics.lots[l].within_band, o.metrics.lots[l].within_band);
  }
  // With itself as the baseline every hour is kept, whichever way round.
  const auto b = geo::evaluate_plan(study, dir / "assignment.csv", dir / "assignment.csv");
  EXPECT_DOUBLE_EQ(b.metrics.baseline_kept_share, 1.0);
  geo::DesignOverrides again;
  again.baseline = dir / "assignment.csv";
  EXPECT_DOUBLE_EQ(geo::run_design(study, again).metrics.baseline_kept_share, 1.0);
}

TEST(DesignWorkflow, OverridesReplaceTheConfigsLotsAndSeed) {
  const geo::Study study = grid_study();
  geo::DesignOverrides ask;
  ask.lots = 3;
  ask.seed = 42;
  const auto o = geo::run_design(study, ask);
  EXPECT_EQ(o.plan.lot_count, 3);
  EXPECT_EQ(o.design.lots, 3);
  EXPECT_EQ(o.design.seed, 42u);
  EXPECT_EQ(study.config.design.lots, 2);  // the study is not changed
}

TEST(DesignWorkflow, LockedIsReadStrictlyAndKeepsItsNumbers) {
  geo::Study study = grid_study();
  test::ScratchDir dir;
  const auto locked = dir / "locked.csv";
  // The far corner locked into lot 1, the near corner into lot 2.
  test::write_text(locked,
                   "postcode,lot\n" + study.graph.id[23] + ",1\n" + study.graph.id[0] + ",2\n");
  study.config.design.locked = locked;
  const auto o = geo::run_design(study);
  EXPECT_EQ(o.plan.lot_of[23], 0);
  EXPECT_EQ(o.plan.lot_of[0], 1);

  // A row with lot 0 is no lock: an error naming file, line and column.
  test::write_text(locked,
                   "postcode,lot\n" + study.graph.id[23] + ",1\n" + study.graph.id[0] + ",0\n");
  try {
    geo::run_design(study);
    FAIL() << "no error";
  } catch (const geo::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("locked.csv:3: column \"lot\": \"0\""));
  }
}

TEST(DesignWorkflow, KeepFromAndBaselineProblemsAreWarnings) {
  geo::Study study = grid_study();
  test::ScratchDir dir;
  const geo::DesignOutcome first = geo::run_design(study);
  geo::write_study_plan(dir / "first", study, first);
  // keep_from: the first plan, one postcode given again with another lot.
  std::string keep = test::read_text(dir / "first/assignment.csv");
  keep += study.graph.id[0] + "," + std::to_string(2 - first.plan.lot_of[0]) + "\n";
  test::write_text(dir / "keep.csv", keep);
  test::write_text(dir / "base.csv", "postcode,lot\nZZ99 9ZZ,1\n" + study.graph.id[0] + ",1\n");
  study.config.design.keep_from = dir / "keep.csv";
  geo::DesignOverrides ask;
  ask.baseline = dir / "base.csv";
  const auto o = geo::run_design(study, ask);
  const std::string w = joined(o.warnings);
  EXPECT_THAT(w, HasSubstr("keep.csv:26: postcode " + study.graph.id[0]));
  EXPECT_THAT(w, HasSubstr("the first row counts"));
  EXPECT_THAT(w, HasSubstr("baseline: 1 row names a postcode that is not a unit"));
  EXPECT_THAT(w, HasSubstr("baseline: 23 postcodes of the study are in no lot of base.csv"));
  EXPECT_GE(o.metrics.baseline_kept_share, 0);
}
