// Care rounds in the outputs (issue 12, parts 2, 3 and 6): `lotwright run` on the Isle of
// Wight writes every round figure per lot in lots.csv and metrics.json, the schedule has the
// round columns, rural lots show longer call gaps, `evaluate` of the design's own plan prints
// the design's figures, and [rounds] is checked like every other table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support.hpp"

using namespace lotwright;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kRoundFields = {
    "call_gap_median_min",   "call_gap_p90_min",
    "call_gap_median_miles", "legs_over_15_min_pct",
    "legs_over_6_miles_pct", "travel_min_per_contact_hour",
    "workers_needed",        "travel_cost_per_contact_hour"};

// One CSV line split at commas outside double quotes.
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"')
      quoted = !quoted;
    else if (c == ',' && !quoted)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

// lots.csv as rows of column -> text.
std::vector<std::map<std::string, std::string>> read_rows(const fs::path& file) {
  std::istringstream in(test::read_text(file));
  std::string line;
  std::getline(in, line);
  const auto header = split_csv(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto cells = split_csv(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

// The care-round table of a command's output, from its heading to its note.
std::string rounds_table(const std::string& out) {
  const auto a = out.find("care rounds (");
  const auto b = out.find("(gap: minutes", a);
  if (a == std::string::npos || b == std::string::npos) return "";
  return out.substr(a, b - a);
}

}  // namespace

// The suite's shared Isle of Wight run (tests/support/shared_iow.cpp: 6 lots, `run` with its
// tender pack); its outputs are read, never written.
class CliRounds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    iow_ = &test::shared_iow_run();
    dir_ = new test::ScratchDir("cli-rounds");
    config_ = iow_->config.string();
  }
  static void TearDownTestSuite() { delete dir_; }
  static fs::path run_dir() { return iow_->out; }
  static const test::CliResult& run() { return iow_->run; }
  static const test::SharedIowRun* iow_;
  static test::ScratchDir* dir_;
  static std::string config_;
};
const test::SharedIowRun* CliRounds::iow_ = nullptr;
test::ScratchDir* CliRounds::dir_ = nullptr;
std::string CliRounds::config_;

TEST_F(CliRounds, RunWritesEveryFieldForEachLot) {
  ASSERT_EQ(run().exit_code, 0) << run().err;
  const auto rows = read_rows(run_dir() / "lots.csv");
  ASSERT_EQ(rows.size(), 6u);
  const auto j = nlohmann::json::parse(test::read_text(run_dir() / "metrics.json"));
  ASSERT_EQ(j["lots"].size(), 6u);
  for (const auto& f : kRoundFields) {
    ASSERT_TRUE(j["rounds"].contains(f)) << f;  // county-wide
    for (std::size_t l = 0; l < rows.size(); ++l) {
      ASSERT_TRUE(rows[l].count(f) && !rows[l].at(f).empty()) << f << " lot " << l + 1;
      ASSERT_TRUE(j["lots"][l].contains(f)) << f << " lot " << l + 1;
      // The two files agree (both 2 decimals).
      EXPECT_NEAR(std::stod(rows[l].at(f)), j["lots"][l][f].get<double>(), 0.006) << f;
    }
  }
  for (const auto& row : rows) {
    EXPECT_GT(std::stod(row.at("workers_needed")), 0);
    EXPECT_GT(std::stod(row.at("call_gap_p90_min")), 0);
    EXPECT_GE(std::stod(row.at("call_gap_p90_min")), std::stod(row.at("call_gap_median_min")));
  }
  EXPECT_THAT(run().out, HasSubstr("care rounds (call-to-call travel"));
}

// The most rural lot (share of hours in rural postcodes) has a longer median call gap than the
// most urban one.
TEST_F(CliRounds, RuralLotsHaveLongerCallGaps) {
  ASSERT_EQ(run().exit_code, 0) << run().err;
  const auto rows = read_rows(run_dir() / "lots.csv");
  ASSERT_FALSE(rows.empty());
  auto share = [](const std::map<std::string, std::string>& r) {
    return std::stod(r.at("rural_hours")) / std::max(std::stod(r.at("hours")), 1e-9);
  };
  const auto [urban, rural] = std::minmax_element(
      rows.begin(), rows.end(), [&](const auto& a, const auto& b) { return share(a) < share(b); });
  ASSERT_GT(share(*rural), share(*urban) + 0.2) << "the lots differ too little to compare";
  EXPECT_GT(std::stod(rural->at("call_gap_median_min")),
            std::stod(urban->at("call_gap_median_min")))
      << "rural lot " << rural->at("lot") << ", urban lot " << urban->at("lot");
}

// `evaluate` on the design's own assignment prints the design's figures.
TEST_F(CliRounds, EvaluateOfTheDesignPrintsTheSameFigures) {
  ASSERT_EQ(run().exit_code, 0) << run().err;
  const auto e =
      test::run_cli({"evaluate", config_, "--plan", (run_dir() / "assignment.csv").string()});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const std::string design = rounds_table(run().out);
  ASSERT_FALSE(design.empty()) << run().out;
  EXPECT_EQ(rounds_table(e.out), design);
}

// The lot schedule of the tender pack has the round columns (read back from the XLSX).
TEST_F(CliRounds, ScheduleHasTheRoundColumns) {
  ASSERT_EQ(run().exit_code, 0) << run().err;
  const auto xlsx = (run_dir() / "tender" / "lot-schedule.xlsx").string();
  const auto strings = test::run_program("/usr/bin/unzip", {"-p", xlsx, "xl/sharedStrings.xml"});
  ASSERT_EQ(strings.exit_code, 0) << strings.err;
  for (const char* col : {"Care workers needed", "Travel cost per contact hour (call to call)",
                          "Call gap, median minutes", "Call gap, 90th percentile minutes",
                          "Care rounds: hours per care worker a week"})
    EXPECT_THAT(strings.out, HasSubstr(col));
}

// [rounds] is checked key by key: a misspelt key is named with its suggestion, a key changes
// the figures.
TEST_F(CliRounds, RoundsTableIsValidated) {
  const auto bad =
      test::write_shared_iow_config(*dir_ / "bad", "", "[rounds]\nhours_per_wroker = 37\n");
  const auto r =
      test::run_cli({"evaluate", bad.string(), "--plan", (run_dir() / "assignment.csv").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("unknown key \"rounds.hours_per_wroker\""));
  EXPECT_THAT(r.err, HasSubstr("did you mean \"rounds.hours_per_worker\"?"));
}
