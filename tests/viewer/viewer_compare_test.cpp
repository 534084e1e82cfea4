// The viewer's "Compare with..." (script verb `compare PATH`) reports the same changed
// postcodes and changed hours as `lotwright compare CONFIG --plan A --plan B`: both call
// compare_plans.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "support.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

using test::run_viewer;  // support.hpp

// The designed plan with two postcodes moved to the next lot: rows 1 and 3 of assignment.csv.
std::string edit_two(const std::string& csv, int lots, std::vector<std::string>* moved) {
  std::istringstream in(csv);
  std::string line, out;
  std::getline(in, line);
  out = line + "\n";
  int row = 0;
  while (std::getline(in, line)) {
    ++row;
    if (row == 1 || row == 3) {
      const auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
      const int lot = std::stoi(line.substr(c1 + 1, c2 - c1 - 1));
      moved->push_back(line.substr(0, c1));
      line = line.substr(0, c1 + 1) + std::to_string(lot % lots + 1) +
             (c2 == std::string::npos ? "" : line.substr(c2));
    }
    out += line + "\n";
  }
  return out;
}

TEST(ViewerCompare, SameChangesAsTheCommandLine) {
  test::ScratchDir dir("viewer-compare");
  auto r = test::run_cli(
      {"synth-county", "--out", (dir / "county").string(), "--postcodes", "400", "--seed", "9"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path toml = dir / "county" / "county.toml";
  r = test::run_cli({"design", toml.string(), "--lots", "4", "--out", (dir / "d").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> moved;
  const fs::path b = dir / "b.csv";
  test::write_text(b, edit_two(test::read_text(dir / "d" / "assignment.csv"), 4, &moved));
  ASSERT_EQ(moved.size(), 2u);

  r = test::run_cli({"compare", toml.string(), "--plan", (dir / "d" / "assignment.csv").string(),
                     "--plan", b.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.out, m,
      std::regex(R"(hours that change lot: ([0-9.]+) of [0-9.]+ \(([0-9]+) postcodes\))")))
      << r.out;
  const std::string cli_hours = m[1], cli_postcodes = m[2];
  EXPECT_EQ(cli_postcodes, "2");  // two moved postcodes, the lots still match one to one
  EXPECT_NE(cli_hours, "0.0");

  test::write_text(dir / "job.txt", "compare " + b.string() + "\n");
  r = run_viewer({(dir / "d" / "plan.gpkg").string(), "--script", (dir / "job.txt").string(),
                  "--dump-text", (dir / "job.dump").string(), "--screenshot",
                  (dir / "job.png").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string dump = test::read_text(dir / "job.dump");
  EXPECT_NE(dump.find("changed_hours=" + cli_hours + ", changed_postcodes=" + cli_postcodes),
            std::string::npos)
      << dump;
  EXPECT_NE(dump.find("Compare with..."), std::string::npos);
  EXPECT_NE(dump.find("mean_travel_min"), std::string::npos);  // the figure table
  EXPECT_NE(dump.find("Shared"), std::string::npos);           // the lots side by side
  EXPECT_GT(fs::file_size(dir / "job.png"), 1000u);

  // A plan folder compares through its assignment.csv: the designed plan against itself.
  test::write_text(dir / "same.txt", "compare " + (dir / "d").string() + "\n");
  r = run_viewer({(dir / "d" / "plan.gpkg").string(), "--script", (dir / "same.txt").string(),
                  "--dump-text", (dir / "same.dump").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(test::read_text(dir / "same.dump")
                .find("compare: kept_share=1.0000, changed_hours=0.0, changed_postcodes=0"),
            std::string::npos);
}

TEST(ViewerCompare, MissingPlanIsAnError) {
  test::ScratchDir dir("viewer-compare-bad");
  test::write_text(dir / "bad.txt", "zoom all\ncompare\n");
  test::write_text(dir / "plan.gpkg", "");  // the script is read before the plan
  const auto r = test::run_program(
      test::kViewerPath, {(dir / "plan.gpkg").string(), "--script", (dir / "bad.txt").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.txt:2: compare needs a plan"), std::string::npos) << r.err;
}

}  // namespace
