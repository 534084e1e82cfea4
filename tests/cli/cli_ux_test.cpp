// The command line as a user meets it (issue 14.4, 18.5): progress only on a terminal, run's
// overrides said in the summary, help with examples, plurals, full lot names, the next
// command after synth-county, unknown commands named, ranges and long values kept readable.
// One small synthetic county, designed twice (once on a pty, once piped).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "support.hpp"

using namespace lotwright;
namespace fs = std::filesystem;
using test::run_cli;
using test::ScratchDir;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class CliUx : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("cli-ux");
    county_ = (*dir_ / "county").string();
    synth_ = new test::CliResult(
        run_cli({"synth-county", "--out", county_, "--postcodes", "300", "--seed", "4"}));
  }
  static void TearDownTestSuite() {
    delete synth_;
    delete dir_;
  }
  static std::string config() { return county_ + "/county.toml"; }

  static ScratchDir* dir_;
  static std::string county_;
  static test::CliResult* synth_;
};
ScratchDir* CliUx::dir_ = nullptr;
std::string CliUx::county_;
test::CliResult* CliUx::synth_ = nullptr;

// Single quotes for sh -c.
std::string sh_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

// synth-county says how to run what it made, and that command works as printed; on a
// terminal (a pty from script(1)) `run` draws progress lines for the study, design and
// tender stages, and the summary says what the command line overrode.
TEST_F(CliUx, RunOnATerminalShowsProgressAndOverrides) {
  ASSERT_EQ(synth_->exit_code, 0) << synth_->err;
  const std::string expect_run =
      "run it: lotwright run " + county_ + "/county.toml --out " + county_ + "-run\n";
  ASSERT_THAT(synth_->out, HasSubstr(expect_run));
  EXPECT_THAT(synth_->out, HasSubstr("300 postcodes"));

  const std::string out = *dir_ / "pty-run";
  // TERM set: a CI runner may export TERM=dumb, which turns the progress line off.
  const std::string cmd = "TERM=xterm " + sh_quote(test::kCliPath) + " run " + sh_quote(config()) +
                          " --out " + sh_quote(out) + " --lots 3 --max-travel 40 --seed 2";
  const auto r = test::run_program("/usr/bin/script", {"-qefc", cmd, "/dev/null"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The progress line: redrawn in place, one stage after another.
  EXPECT_THAT(r.out, HasSubstr("\r\033[K[roads"));
  EXPECT_THAT(r.out, HasSubstr("[design "));
  EXPECT_THAT(r.out, HasSubstr("start 1 of "));
  EXPECT_THAT(r.out, HasSubstr("[tender "));
  EXPECT_THAT(r.out, HasSubstr("zone-maps.pdf page 4 of 4"));
  EXPECT_THAT(r.out, HasSubstr("design: from the command line: lots 3 (config "));
  EXPECT_THAT(r.out, HasSubstr("seed 2 (config "));
  EXPECT_THAT(r.out, HasSubstr("max travel 40 min (config "));
  EXPECT_THAT(r.out, HasSubstr("tender pack: 3 zones"));
  EXPECT_TRUE(fs::exists(fs::path(out) / "tender" / "zone-maps.pdf"));
}

// Piped (as under CI): not one progress byte; the overrides still said; every lot name in
// the table whole, as lots.csv has it.
TEST_F(CliUx, PipedDesignIsSilentAndNamesLotsInFull) {
  ASSERT_EQ(synth_->exit_code, 0) << synth_->err;
  const std::string out = *dir_ / "piped";
  const auto r = run_cli({"design", config(), "--out", out, "--lots", "4", "--tolerance", "0.2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("\r")));
  EXPECT_THAT(r.err, Not(HasSubstr("[design")));
  EXPECT_THAT(r.out, Not(HasSubstr("\r")));
  EXPECT_THAT(r.out, HasSubstr("from the command line: lots 4 (config "));
  EXPECT_THAT(r.out, HasSubstr("tolerance 0.2 (config 0.05)"));
  EXPECT_THAT(r.out, Not(HasSubstr("~ ")));
  EXPECT_THAT(r.out, HasSubstr("of 4 lots within band"));
  // lots.csv's name column, each name found whole in the table.
  std::ifstream in(fs::path(out) / "lots.csv");
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> cols;
  std::stringstream hs(header);
  for (std::string c; std::getline(hs, c, ',');) cols.push_back(c);
  const auto name_col = std::find(cols.begin(), cols.end(), "name") - cols.begin();
  ASSERT_LT(static_cast<std::size_t>(name_col), cols.size()) << header;
  int names = 0;
  while (std::getline(in, line)) {
    // Names may be quoted (they can hold commas): take the field by CSV rules.
    std::vector<std::string> f;
    std::string cur;
    bool quoted = false;
    for (char c : line) {
      if (c == '"')
        quoted = !quoted;
      else if (c == ',' && !quoted)
        f.push_back(cur), cur.clear();
      else
        cur += c;
    }
    f.push_back(cur);
    ASSERT_GT(f.size(), static_cast<std::size_t>(name_col));
    EXPECT_THAT(r.out, HasSubstr(" " + f[static_cast<std::size_t>(name_col)] + " ")) << line;
    ++names;
  }
  EXPECT_EQ(names, 4);
}

TEST(CliUxCheap, HelpSaysLotwrightAndGivesAnExample) {
  for (const std::string cmd : {"run", "design", "tender", "inspect", "evaluate", "route",
                                "export-graph", "synth-demand", "synth-county"}) {
    const auto r = run_cli({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_THAT(r.out, HasSubstr("Usage: lotwright " + cmd + " ")) << cmd;
    EXPECT_THAT(r.out, HasSubstr("Example")) << cmd;
    EXPECT_THAT(r.out, HasSubstr("\n  lotwright " + cmd + " ")) << cmd;
    EXPECT_THAT(r.out, Not(HasSubstr(test::kCliPath))) << cmd;
  }
  const auto run = run_cli({"run", "--help"});
  for (const std::string opt : {"--lots", "--seed", "--max-travel", "--tolerance"})
    EXPECT_THAT(run.out, HasSubstr(opt)) << run.out;
  const auto top = run_cli({"--help"});
  EXPECT_THAT(top.out, HasSubstr("Usage: lotwright [OPTIONS] SUBCOMMAND"));
}

TEST(CliUxCheap, UnknownCommandIsNamedWithASuggestion) {
  const auto r = run_cli({"desgn", "x.toml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command \"desgn\"; did you mean \"design\"?"));
  const auto far = run_cli({"frobnicate"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_THAT(far.err, HasSubstr("unknown command \"frobnicate\"\n"));
  EXPECT_THAT(far.err, HasSubstr("synth-county"));  // the list of commands
}

TEST(CliUxCheap, RangesReadAsPeopleWriteThem) {
  const auto zero = run_cli({"run", "x.toml", "--lots", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_THAT(zero.err, HasSubstr("--lots: 0 is not between 1 and 100,000"));
  const auto travel = run_cli({"run", "x.toml", "--max-travel", "0"});
  EXPECT_EQ(travel.exit_code, 2);
  EXPECT_THAT(travel.err, HasSubstr("0 is not between 1 and 1,440 minutes"));
  const auto tol = run_cli({"design", "x.toml", "--tolerance", "5"});
  EXPECT_EQ(tol.exit_code, 2);
  EXPECT_THAT(tol.err, HasSubstr("5 is not between 0 and 1"));
  const auto seed = run_cli({"run", "x.toml", "--seed", "-1"});
  EXPECT_EQ(seed.exit_code, 2);
  EXPECT_THAT(seed.err, HasSubstr("-1 is not a whole number"));
  // A 300-digit value is neither echoed whole nor answered with a 300-digit range.
  const auto huge = run_cli({"design", "x.toml", "--lots", std::string(300, '9')});
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_LT(huge.err.size(), 300u) << huge.err;
  EXPECT_THAT(huge.err, HasSubstr("(300 characters)"));
}

// A 10,000-character postcode in a plan is cut in the message, not echoed whole.
TEST_F(CliUx, LongValuesAreCutInMessages) {
  ASSERT_EQ(synth_->exit_code, 0) << synth_->err;
  const fs::path plan = *dir_ / "long-plan.csv";
  test::write_text(plan, "postcode,lot\n" + std::string(10000, 'A') + ",1\n");
  const auto r = run_cli(
      {"tender", config(), "--plan", plan.string(), "--out", (*dir_ / "long-pack").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_LT(r.err.size() + r.out.size(), 2000u) << r.err.substr(0, 400);
  EXPECT_THAT(r.err, HasSubstr("(10,000 characters)"));
}
