// Command-line golden tests for the foundation: inspect, synth-demand, exit codes, help.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "support.hpp"

using namespace lotwright;
namespace fs = std::filesystem;
using test::run_cli;
using test::ScratchDir;
using test::write_text;
using ::testing::HasSubstr;

namespace {

// Every 7th postcode of the Isle of Wight directory with hours that are not round numbers,
// some written in lower case / without the space, plus one row the directory lacks.
struct Demand {
  std::string csv;
  double hours = 0;
  long rows = 0;
};

Demand make_demand() {
  std::ifstream in(test::iow_dir() / "postcodes/postcodes_E06000046_enriched.csv");
  std::string line;
  std::getline(in, line);
  Demand d;
  d.csv = "postcode,hours_per_week,customers\n";
  long i = 0;
  while (std::getline(in, line)) {
    if (i++ % 7 != 3) continue;
    std::string pc = line.substr(0, line.find(','));
    if (d.rows % 3 == 0) {
      for (auto& c : pc) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      pc.erase(pc.find(' '), 1);
    }
    const double h = 3.25 + static_cast<double>((d.rows * 37) % 61) / 4.0;
    char buf[64];
    std::snprintf(buf, sizeof buf, ",%.2f,%ld\n", h, 1 + d.rows % 3);
    d.csv += pc + buf;
    d.hours += h;
    ++d.rows;
  }
  d.csv += "ZZ99 9ZZ,6.5,1\n";
  d.hours += 6.5;
  ++d.rows;
  return d;
}

// Formats like `inspect`: two decimals, no thousands separator.
std::string hours_text(double h) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", h);
  return buf;
}

}  // namespace

TEST(CliFoundation, InspectReportsPostcodesAndTheFilesTotalHours) {
  ScratchDir dir;
  const Demand d = make_demand();
  write_text(dir / "demand.csv", d.csv);
  const auto cfg = test::write_iow_config(dir.path(), dir / "demand.csv");
  const auto before = test::list_files(dir.path());
  const auto r = run_cli({"inspect", cfg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no stray diagnostics (progress only on a terminal)
  EXPECT_THAT(r.out, HasSubstr("postcodes read              5,129"));
  EXPECT_THAT(r.out, HasSubstr("inside the boundary         5,129"));
  EXPECT_THAT(r.out, HasSubstr("total                       " + hours_text(d.hours) + " h/week"));
  EXPECT_THAT(r.out, HasSubstr("rows                        " + std::to_string(d.rows)));
  EXPECT_THAT(r.out, HasSubstr("unmatched                   1 row, 1 customer, 6.50 h/week"));
  EXPECT_THAT(r.out, HasSubstr("boundary area               379."));
  EXPECT_THAT(r.out, HasSubstr("postcodes with a class"));
  EXPECT_THAT(r.out, HasSubstr("not in the postcode directory"));
  EXPECT_THAT(r.out, HasSubstr("ZZ99 9ZZ"));
  EXPECT_THAT(r.out, HasSubstr("Units"));
  EXPECT_EQ(test::list_files(dir.path()), before);  // inspect writes nothing
}

TEST(CliFoundation, NegativeHoursAtLineFourExitsOneNamingTheLine) {
  ScratchDir dir;
  write_text(dir / "demand.csv",
             "postcode,hours_per_week,customers\nPO30 1AE,4,1\nPO30 1AF,2.5,1\nPO30 1AG,-3,1\n");
  const auto cfg = test::write_iow_config(dir.path(), dir / "demand.csv");
  const auto r = run_cli({"inspect", cfg.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("demand.csv:4: column \"hours_per_week\": \"-3\" must be a number >= 0"));
  EXPECT_EQ(r.out, "");
  // synth-demand with the same config also refuses nothing half-way: it does not read demand,
  // but a bad config key stops it before anything is written.
  write_text(cfg, test::read_text(cfg) + "[design]\nlost = 3\n");
  const auto s = run_cli({"synth-demand", cfg.string(), "--out", (dir / "out/d.csv").string()});
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_THAT(s.err, HasSubstr("unknown key \"design.lost\"; did you mean \"design.lots\"?"));
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(CliFoundation, MissingDemandFileExitsOneNamingThePath) {
  ScratchDir dir;
  write_text(dir / "c.toml", "");
  const auto cfg = test::write_iow_config(dir.path(), "");
  write_text(cfg, test::read_text(cfg) + "[demand]\npath = \"data/demand.csv\"\n");
  const auto r = run_cli({"inspect", cfg.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr((dir / "data/demand.csv").string() + ": file not found"));
}

TEST(CliFoundation, BadDataVariantsExitOne) {
  ScratchDir dir;
  write_text(dir / "demand.csv", "postcode,hours\nPO30 1AE,4\n");
  const auto cfg = test::write_iow_config(dir.path(), dir / "demand.csv");
  auto r = run_cli({"inspect", cfg.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("column \"hours_per_week\" not found; the columns are: postcode, hours"));
  write_text(dir / "demand.csv", "");
  r = run_cli({"inspect", cfg.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("demand.csv: the file is empty"));
  r = run_cli({"inspect", (dir / "nope.toml").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("nope.toml"));
}

TEST(CliFoundation, SynthDemandIsSeededAndReadBackByInspect) {
  ScratchDir dir;
  const auto cfg = test::write_iow_config(dir.path(), "");
  const auto a = run_cli({"synth-demand", cfg.string(), "--out", (dir / "a.csv").string(),
                          "--seed", "9"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_THAT(a.out, HasSubstr("729 customers"));
  const auto b = run_cli({"synth-demand", cfg.string(), "--out", (dir / "b.csv").string(),
                          "--seed", "9"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(test::read_text(dir / "a.csv"), test::read_text(dir / "b.csv"));
  const auto c = run_cli({"synth-demand", cfg.string(), "--out", (dir / "c.csv").string(),
                          "--seed", "10", "--customers", "300"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_THAT(c.out, HasSubstr("300 customers"));
  EXPECT_NE(test::read_text(dir / "a.csv"), test::read_text(dir / "c.csv"));

  const auto cfg2 = test::write_iow_config(dir.path(), dir / "a.csv");
  const auto r = run_cli({"inspect", cfg2.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("729 customers"));
  EXPECT_THAT(r.out, HasSubstr("unmatched                   0 rows, 0 customers, 0.00 h/week"));
}

TEST(CliFoundation, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(run_cli({}).exit_code, 2);
  EXPECT_EQ(run_cli({"inspect"}).exit_code, 2);
  EXPECT_EQ(run_cli({"synth-demand", "x.toml"}).exit_code, 2);  // --out is required
  EXPECT_EQ(run_cli({"synth-demand", "x.toml", "--out", "y.csv", "--customers", "-4"}).exit_code,
            2);
}

TEST(CliFoundation, HelpAndVersion) {
  auto r = run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("inspect"));
  EXPECT_THAT(r.out, HasSubstr("synth-demand"));
  EXPECT_THAT(r.out, HasSubstr("validate a county's inputs"));
  r = run_cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("lotwright "));
  for (const char* cmd : {"inspect", "synth-demand"}) {
    r = run_cli({cmd, "-h"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_THAT(r.out, HasSubstr("config")) << cmd;
  }
  r = run_cli({"synth-demand", "--help"});
  EXPECT_THAT(r.out, HasSubstr("--seed"));
  EXPECT_THAT(r.out, HasSubstr("--customers"));
}

TEST(CliFoundation, InspectWithAPolygonLayerAsUnits) {
  ScratchDir dir;
  const auto cfg = test::write_iow_config(
      dir.path(), "",
      "[units]\npath = \"" + (test::iow_dir() / "boundaries/lsoa21_E06000046_bgc.geojson").string() +
          "\"\nid = \"LSOA21CD\"\n");
  const auto r = run_cli({"inspect", cfg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("/boundaries/lsoa21_E06000046_bgc.geojson\n  units"));
  EXPECT_THAT(r.out, HasSubstr("units                       89\n"));  // the island's LSOAs
  EXPECT_THAT(r.out, HasSubstr("Demand: none configured"));
}
