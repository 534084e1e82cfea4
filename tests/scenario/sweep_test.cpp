// Scenario sweeps on the Isle of Wight at MSOA units (18 units, one study loaded once): every
// scenario designed, sweep.csv / pareto.csv / sweep.pdf written, 3 shards on 1 thread merged
// equal the sweep on 2 threads byte for byte (certificate columns included), a wall-clock
// stop is written in the row, and compare's map of the changes between two scenarios' plans.
// Cheap checks (axes, Pareto set, bad usage, a merge with a shard missing) never design.
#include "lotwright/scenario/sweep.hpp"

#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "lotwright/core/error.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/metrics/study_options.hpp"
#include "lotwright/plan/compare.hpp"
#include "lotwright/plan/plan_csv.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/synth/synth.hpp"
#include "lotwright/tender/change_map.hpp"
#include "support.hpp"

using namespace lotwright;
using ::testing::HasSubstr;

namespace {

class Sweep : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("sweep-iow");
    const auto demand = *dir_ / "demand.csv";
    geo::SynthDemandOptions o;
    o.seed = 7;
    geo::synth_demand(geo::load_config(test::write_iow_config(dir_->path(), "")), demand, o);
    const auto cfg = geo::load_config(test::write_iow_config(
        dir_->path(), demand,
        "[units]\npath = \"" +
            (test::iow_dir() / "boundaries/msoa21_E06000046_bgc.geojson").string() +
            "\"\nid = \"MSOA21CD\"\n\n[design]\nlots = 3\ntolerance = 0.1\nmax_travel_minutes = "
            "30\n"));
    geo::StudyOptions so;
    so.cache_dir = dir_->path() / "cache";
    study_ = new geo::Study(geo::load_study(cfg, so));
    spec_ = new geo::SweepSpec;
    spec_->lots = {3, 4};
    // Limits of 30 and 35 min: each scenario's exact polish (CBC) takes about a second here;
    // 3 lots at 25 min took six times as long, for nothing more proved.
    spec_->max_travel = {30, 35};
    scenarios_ =
        new std::vector<geo::Scenario>(geo::sweep_scenarios(*spec_, study_->config.design));
    geo::SweepOptions one;
    one.threads = 2;
    int calls = 0;
    one.progress = [&](int, int, const std::string&) { ++calls; };
    full_ = new geo::SweepResult(geo::run_sweep(*study_, *scenarios_, *spec_, one));
    progress_calls_ = calls;
    geo::write_sweep(*dir_ / "full", *study_, *full_, *spec_, one,
                     static_cast<int>(scenarios_->size()));
  }
  static void TearDownTestSuite() {
    delete full_;
    delete scenarios_;
    delete spec_;
    delete study_;
    delete dir_;
  }
  static test::ScratchDir* dir_;
  static geo::Study* study_;
  static geo::SweepSpec* spec_;
  static std::vector<geo::Scenario>* scenarios_;
  static geo::SweepResult* full_;
  static int progress_calls_;
};
test::ScratchDir* Sweep::dir_ = nullptr;
geo::Study* Sweep::study_ = nullptr;
geo::SweepSpec* Sweep::spec_ = nullptr;
std::vector<geo::Scenario>* Sweep::scenarios_ = nullptr;
geo::SweepResult* Sweep::full_ = nullptr;
int Sweep::progress_calls_ = 0;

TEST_F(Sweep, EveryScenarioDesignedWithItsFigures) {
  ASSERT_EQ(full_->rows.size(), 4u);
  EXPECT_EQ(progress_calls_, 4);
  const int lots[] = {3, 3, 4, 4};
  const double limit[] = {30, 35, 30, 35};
  double hours = 0;
  for (double h : study_->graph.hours) hours += h;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& r = full_->rows[i];
    EXPECT_EQ(r.scenario, static_cast<int>(i) + 1);
    EXPECT_EQ(r.lots_asked, lots[i]);
    EXPECT_EQ(r.max_travel_min, limit[i]);
    EXPECT_EQ(r.figure("lots"), lots[i]);
    EXPECT_EQ(full_->plans[i].lot_count, lots[i]);
    // Mean lot hours: the assigned hours shared by the lots; value at the default price.
    EXPECT_NEAR(r.figure("mean_lot_hours") * lots[i] + r.figure("unassigned_hours"), hours, 0.01);
    EXPECT_NEAR(r.figure("mean_lot_value_gbp"), r.figure("mean_lot_hours") * 52 * 22.83, 0.01);
    EXPECT_GT(r.figure("mean_travel_min"), 0);
    EXPECT_EQ(r.figure("violations") == 0, r.figure("feasible") == 1);
    EXPECT_TRUE(std::isfinite(r.figure("workers_needed")));
    EXPECT_EQ(r.figure("feasible"), 1);
  }
  // More lots, less hub travel (at the same limit) on this county.
  EXPECT_LT(full_->rows[2].figure("mean_travel_min"), full_->rows[0].figure("mean_travel_min"));
}

TEST_F(Sweep, FolderHoldsCsvParetoPdfAndScenarioPlans) {
  const auto d = *dir_ / "full";
  const auto rows = geo::read_sweep_csv(d / "sweep.csv");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(geo::sweep_csv(rows), test::read_text(d / "sweep.csv")) << "round trip";
  const auto pareto = geo::read_sweep_csv(d / "pareto.csv");
  ASSERT_FALSE(pareto.empty());
  EXPECT_LE(pareto.size(), rows.size());
  EXPECT_EQ(test::read_text(d / "sweep.pdf").substr(0, 5), "%PDF-");
  EXPECT_GT(std::filesystem::file_size(d / "sweep.pdf"), 20000u) << "charts and maps";
  for (const char* f : {"001.csv", "001.png", "004.csv", "004.png"})
    EXPECT_TRUE(std::filesystem::exists(d / "scenarios" / f)) << f;
  // A scenario's plan reads back as the plan designed.
  const geo::Plan p = geo::read_plan_csv(d / "scenarios/003.csv", study_->graph, nullptr);
  EXPECT_EQ(p.lot_of, full_->plans[2].lot_of);
}

TEST_F(Sweep, OneThreadAndThreeShardsMergedEqualTheSweep) {
  std::vector<std::filesystem::path> shards;
  for (int i = 1; i <= 3; ++i) {
    geo::SweepOptions o;
    o.shard = i;
    o.shards = 3;
    o.threads = 1;
    const auto r = geo::run_sweep(*study_, *scenarios_, *spec_, o);
    EXPECT_EQ(r.rows.size(), i == 1 ? 2u : 1u);
    shards.push_back(*dir_ / ("shard" + std::to_string(i)));
    geo::write_sweep(shards.back(), *study_, r, *spec_, o, static_cast<int>(scenarios_->size()));
  }
  // Merged out of order, by the command line.
  const auto res = test::run_cli({"sweep", "--merge", shards[2].string(), shards[0].string(),
                                  shards[1].string(), "--out", (*dir_ / "merged").string()});
  ASSERT_EQ(res.exit_code, 0) << res.err;
  // Byte-identical, the certificate (gap_pct, lower_bound_min: the exact polish on a node
  // budget) included: no wall-clock stop fired (stopped_on_time 0), so nothing depends on
  // the machine's load or the threads.
  for (const auto& r : geo::read_sweep_csv(*dir_ / "full/sweep.csv")) {
    EXPECT_EQ(r.figure("stopped_on_time"), 0) << "scenario " << r.scenario;
    EXPECT_TRUE(std::isfinite(r.figure("lower_bound_min"))) << "scenario " << r.scenario;
  }
  for (const char* f :
       {"sweep.csv", "pareto.csv", "sweep.pdf", "scenarios/001.csv", "scenarios/002.csv",
        "scenarios/003.csv", "scenarios/004.csv", "scenarios/001.png", "scenarios/004.png"})
    EXPECT_EQ(test::read_text(*dir_ / "merged" / f), test::read_text(*dir_ / "full" / f)) << f;
  // A shard missing: exit 1 naming the scenarios missing, nothing written.
  const auto bad = test::run_cli({"sweep", "--merge", shards[0].string(), shards[1].string(),
                                  "--out", (*dir_ / "partial").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("missing: 3"));
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "partial"));
  // The same shard twice: an overlap.
  const auto twice = test::run_cli({"sweep", "--merge", shards[0].string(), shards[0].string(),
                                    "--out", (*dir_ / "twice").string()});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("shards overlap"));
}

// The flag that explains a row differing between runs: a design cut short by the wall clock
// (time_limit_seconds) says so in its report and in its sweep row; the fixed work budget
// does not.
TEST_F(Sweep, AWallClockStopIsWrittenInTheRow) {
  geo::DesignConfig d = (*scenarios_)[0].design;
  d.time_limit_seconds = 1e-6;
  geo::DesignOverrides ov;
  ov.measure_relaxations = false;
  const geo::DesignOutcome cut = geo::run_design(*study_, d, ov);
  EXPECT_TRUE(cut.report.stopped_on_time);
  geo::Scenario s = (*scenarios_)[0];
  s.design = d;
  EXPECT_EQ(geo::sweep_row(s, cut, 22.83).figure("stopped_on_time"), 1);
  EXPECT_EQ(full_->rows[0].figure("stopped_on_time"), 0);
}

// Pixels of a PNG exactly of colour c (read through GDAL's PNG driver).
long pixels_of(const std::filesystem::path& png, geo::LotRgb c, int* width = nullptr) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(png.c_str(), GDAL_OF_RASTER));
  if (!ds || ds->GetRasterCount() < 3) return -1;
  const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
  if (width) *width = w;
  std::vector<std::uint8_t> band[3];
  for (int b = 0; b < 3; ++b) {
    band[b].resize(static_cast<std::size_t>(w) * h);
    if (ds->GetRasterBand(b + 1)->RasterIO(GF_Read, 0, 0, w, h, band[b].data(), w, h, GDT_Byte, 0,
                                           0) != CE_None)
      return -1;
  }
  long n = 0;
  for (std::size_t i = 0; i < band[0].size(); ++i)
    n += band[0][i] == c.r && band[1][i] == c.g && band[2][i] == c.b;
  return n;
}

// The map of the changes between two scenarios' plans (3 lots and 4 lots at 30 min): the
// moved postcodes drawn in their move's colour, the legend naming each move with its hours,
// and a plan compared with itself drawn without moves.
TEST_F(Sweep, CompareWritesAMapOfTheChanges) {
  const geo::Plan& a = full_->plans[0];
  const geo::Plan& b = full_->plans[2];
  const auto opts = geo::evaluate_options(*study_, study_->config.design);
  const auto ma = geo::evaluate(study_->graph, a, opts), mb = geo::evaluate(study_->graph, b, opts);
  const auto c = geo::compare_plans(study_->graph, a, ma, b, mb, {0});
  ASSERT_FALSE(c.flows.empty()) << "3 lots and 4 lots differ";
  tender::ChangeMapInputs in;
  in.graph = &study_->graph;
  in.units = &study_->units;
  in.roads = study_->roads.get();
  in.a = &a;
  in.b = &b;
  in.comparison = &c;
  in.area = "Isle of Wight";
  in.label_a = "001.csv";
  in.label_b = "003.csv";
  const auto pdf = *dir_ / "changes.pdf", png = *dir_ / "changes.png";
  tender::write_change_map(pdf, png, in, 800);
  std::string text = test::run_program("/usr/bin/pdftotext", {pdf.string(), "-"}).out;
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());  // "1,352.0" -> "1352.0"
  EXPECT_THAT(text, HasSubstr("Changes between two plans"));
  EXPECT_THAT(text, HasSubstr("Re-let lots of A"));
  const auto& f = c.flows[0];
  char hours[32];
  std::snprintf(hours, sizeof hours, "%.1f h", f.hours);
  EXPECT_THAT(text, HasSubstr(hours)) << "the largest move's hours in the legend";
  EXPECT_THAT(text, HasSubstr(std::to_string(f.lot_a + 1) + " " + a.name[f.lot_a]));
  int width = 0;
  EXPECT_GT(pixels_of(png, geo::lot_rgb(0), &width), 500)
      << "the largest move's cells (the legend swatch is ~70 px)";
  EXPECT_EQ(width, 800);
  // The same plan on both sides: nothing moves, no move colour on the map.
  const auto same = geo::compare_plans(study_->graph, a, ma, a, ma);
  in.b = &a;
  in.comparison = &same;
  tender::write_change_map(pdf, png, in, 800);
  EXPECT_THAT(test::run_program("/usr/bin/pdftotext", {pdf.string(), "-"}).out,
              HasSubstr("No postcode changes lot."));
  EXPECT_EQ(pixels_of(png, geo::lot_rgb(0)), 0);
}

TEST(SweepAxes, ParseAndOrder) {
  EXPECT_EQ(geo::parse_int_axis("4:8", "--lots"), (std::vector<int>{4, 5, 6, 7, 8}));
  EXPECT_EQ(geo::parse_int_axis("4:10:3", "--lots"), (std::vector<int>{4, 7, 10}));
  EXPECT_EQ(geo::parse_int_axis("8,4,6,4", "--lots"), (std::vector<int>{4, 6, 8}));
  EXPECT_THROW(geo::parse_int_axis("8:4", "--lots"), geo::UsageError);
  EXPECT_THROW(geo::parse_int_axis("4.5", "--lots"), geo::UsageError);
  EXPECT_EQ(geo::parse_number_axis("30,20,25", "--max-travel"), (std::vector<double>{20, 25, 30}));
  try {
    geo::parse_number_axis("20,x", "--max-travel");
    FAIL();
  } catch (const geo::UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("\"x\" is not a number"));
  }
  geo::SweepSpec spec;
  spec.lots = {4, 6};
  spec.max_travel = {20, 30};
  spec.tolerance = {0.05, 0.1};
  spec.tiers_sets.push_back({"two-tier", {{"big", 500, 900, {}}, {"small", 100, 300, {}}}});
  geo::DesignConfig base;
  base.lots = 5;
  const auto s = geo::sweep_scenarios(spec, base);
  ASSERT_EQ(s.size(), 2u * 2 * 2 + 2);
  EXPECT_EQ(s[0].label(), "4 lots, 20.0 min, ±5.0%");
  EXPECT_EQ(s[1].label(), "4 lots, 20.0 min, ±10.0%");
  EXPECT_EQ(s[2].label(), "4 lots, 30.0 min, ±5.0%");
  EXPECT_EQ(s[8].label(), "two-tier, 20.0 min");
  EXPECT_FALSE(s[8].design.lots.has_value());
  EXPECT_EQ(s[9].design.tiers.size(), 2u);
  EXPECT_EQ(s[9].index, 10);
}

TEST(SweepPareto, KeepsTheNonDominatedFeasibleRows) {
  auto row = [](int id, double travel, double gap, bool feasible) {
    geo::SweepRow r;
    r.scenario = id;
    r.figures = {
        {"feasible", feasible ? 1.0 : 0.0}, {"mean_travel_min", travel}, {"call_gap_p90_min", gap}};
    return r;
  };
  const std::vector<geo::SweepRow> rows = {row(1, 10, 5, true), row(2, 8, 6, true),
                                           row(3, 11, 6, true), row(4, 1, 1, false),
                                           row(5, 10, 5, true)};
  const auto p = geo::pareto_rows(rows, {"mean_travel_min", "call_gap_p90_min"});
  std::vector<int> ids;
  for (const auto& r : p) ids.push_back(r.scenario);
  EXPECT_EQ(ids, (std::vector<int>{1, 2, 5}));  // 3 dominated by 1; 4 infeasible; ties kept
  const auto q = geo::pareto_rows(rows, {"-mean_travel_min"});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].scenario, 3);
}

TEST(SweepCli, BadUsageExitsTwo) {
  auto r = test::run_cli({"sweep", "--out", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("sweep needs a CONFIG"));
  r = test::run_cli({"sweep", "cfg.toml", "--shard", "4/3", "--out", "x"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
