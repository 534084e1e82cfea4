// Issue 11 on the Isle of Wight: an ask the real data cannot meet makes `run` write its best
// plan flagged "feasible": false, with the violations, a proof or "not proved", and a way
// forward measured to work (and asked for, works); exit 1 and no tender pack. On the island's
// LSOAs and MSOAs with demand seed 2 (a few seconds a design under ASan): a travel limit the
// search cannot meet (not proved) and an hours band the exact solve proves impossible.
// (The ask of examples/isle-of-wight.toml on postcodes, 6 lots ± 5% within 25 min, fails the
// same way for seed 2, at a minute a design; the one thing only postcodes showed, a postcode
// no road reaches so that no relaxation can work, is design_failure_test's
// AUnitNoRoadReachesIsProvedAndNoRelaxationWorks. `evaluate` on a design's own output giving
// the design's figures is in cli_design_test.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace lotwright;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

class CliFailure : public ::testing::Test {
 protected:
  // Demand seed 2 for the island, made once.
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("cli-failure");
    const auto bare = test::write_iow_config(*dir_ / "bare", "");
    const auto r = test::run_cli(
        {"synth-demand", bare.string(), "--out", (*dir_ / "demand-2.csv").string(), "--seed", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  // The island on `layer`'s polygons (id column `id`) with the [design] ask `design`.
  static fs::path config(const std::string& name, const std::string& layer, const std::string& id,
                         const std::string& design) {
    return test::write_iow_config(*dir_ / name, *dir_ / "demand-2.csv",
                                  "[units]\npath = \"" +
                                      (test::iow_dir() / "boundaries" / layer).string() +
                                      "\"\nid = \"" + id + "\"\n\n" + design);
  }

  // `run` on cfg into dir/out: exit 1, the best plan flagged, its violations, the verdict, no
  // tender pack. Returns metrics.json.
  static nlohmann::json run_infeasible(const fs::path& cfg, const std::string& out_name,
                                       test::CliResult& r) {
    const fs::path out = *dir_ / out_name;
    r = test::run_cli({"run", cfg.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(test::list_files(out),
              (std::vector<std::string>{".lotwright-manifest", "assignment.csv", "lots.csv",
                                        "metrics.json", "plan.gpkg"}));
    auto m = nlohmann::json::parse(test::read_text(out / "metrics.json"));
    EXPECT_EQ(m["feasible"], false);
    EXPECT_FALSE(m["violations"].empty());
    EXPECT_THAT(r.out, HasSubstr("INFEASIBLE: "));
    EXPECT_THAT(r.out, HasSubstr("no tender pack for a plan that misses the ask"));
    return m;
  }

  // The first relaxation ("KEY = VALUE: measured to work ...") asked for: `design` meets it.
  static void relaxation_works(const nlohmann::json& m, const std::string& key,
                               const std::string& cfg_name, const std::string& layer,
                               const std::string& id, const std::string& design) {
    ASSERT_FALSE(m["relaxations"].empty());
    const std::string relax = m["relaxations"][0];
    ASSERT_EQ(relax.rfind(key + " = ", 0), 0u) << relax;
    EXPECT_THAT(relax, HasSubstr(": measured to work"));
    const std::string value = relax.substr(key.size() + 3, relax.find(':') - key.size() - 3);
    std::string asked = design;
    const auto at = asked.find(key + " = ");
    ASSERT_NE(at, std::string::npos);
    asked.replace(at, asked.find('\n', at) - at, key + " = " + value);
    const fs::path out = *dir_ / (cfg_name + "-out");
    const auto r = test::run_cli(
        {"design", config(cfg_name, layer, id, asked).string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 0) << relax << "\n" << r.out << r.err;
    EXPECT_EQ(nlohmann::json::parse(test::read_text(out / "metrics.json"))["feasible"], true);
  }

  static test::ScratchDir* dir_;
};
test::ScratchDir* CliFailure::dir_ = nullptr;

const char* kLsoa = "lsoa21_E06000046_bgc.geojson";
const char* kMsoa = "msoa21_E06000046_bgc.geojson";

}  // namespace

// 6 lots ± 5% within 18 minutes on the LSOAs: the search finds no plan inside the limit and
// cannot prove there is none; the LSOAs beyond it are listed with their minutes (two
// decimals, never rounded into the limit) and the limit the best plan meets works.
TEST_F(CliFailure, LsoaTravelLimitNotMetWritesItsBestPlanAndALimitThatWorks) {
  const std::string ask =
      "[design]\nlots = 6\ntolerance = 0.05\nmax_travel_minutes = 18\nseed = 1\n";
  test::CliResult r;
  const auto m = run_infeasible(config("lsoa", kLsoa, "LSOA21CD", ask), "lsoa-run", r);
  EXPECT_THAT(r.out, HasSubstr("not proved infeasible"));
  // The units are named as what they are (the study's [units] layer), not "postcodes".
  EXPECT_THAT(r.out, HasSubstr(" LSOAs ("));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr(" postcodes (")));
  int travel = 0;
  for (const auto& v : m["violations"]) {
    ASSERT_EQ(v["what"], "travel") << v.dump();
    ASSERT_TRUE(v["minutes"].is_number()) << v.dump();
    EXPECT_GT(v["minutes"].get<double>(), 18.0);
    EXPECT_GT(v["hours"].get<double>(), 0);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f min from its hub, limit 18.00",
                  v["minutes"].get<double>());
    EXPECT_THAT(r.out, HasSubstr(buf));
    ++travel;
  }
  EXPECT_GT(travel, 0);
  relaxation_works(m, "max_travel_minutes", "lsoa-relaxed", kLsoa, "LSOA21CD", ask);
}

// 6 lots ± 5% within 25 minutes on the MSOAs: the hours come in steps too coarse for the band,
// and the exact solve proves it; the tolerance the best plan meets works.
TEST_F(CliFailure, MsoaBandProvedImpossibleWritesItsBestPlanAndAToleranceThatWorks) {
  const std::string ask =
      "[design]\nlots = 6\ntolerance = 0.05\nmax_travel_minutes = 25\nseed = 1\n";
  test::CliResult r;
  const auto m = run_infeasible(config("msoa", kMsoa, "MSOA21CD", ask), "msoa-run", r);
  EXPECT_THAT(r.out, HasSubstr("infeasibility PROVED"));
  EXPECT_THAT(r.out, HasSubstr("proved by the exact solve"));
  // The best plan misses the band (what the exact solve proves impossible); it may also
  // leave a unit beyond the limit, listed with its minutes.
  int band = 0;
  for (const auto& v : m["violations"]) {
    band += v["what"] == "band";
    if (v["what"] == "travel") {
      EXPECT_GT(v["minutes"].get<double>(), 25.0) << v.dump();
    }
  }
  EXPECT_GT(band, 0) << m["violations"].dump();
  bool tolerance = false;
  for (const auto& s : m["relaxations"])
    if (s.get<std::string>().rfind("tolerance = ", 0) == 0) tolerance = true;
  ASSERT_TRUE(tolerance) << m["relaxations"].dump();
  // The tolerance relaxation, wherever it is in the list.
  nlohmann::json only = m;
  only["relaxations"] = nlohmann::json::array();
  for (const auto& s : m["relaxations"])
    if (s.get<std::string>().rfind("tolerance = ", 0) == 0) only["relaxations"].push_back(s);
  relaxation_works(only, "tolerance", "msoa-relaxed", kMsoa, "MSOA21CD", ask);
}
