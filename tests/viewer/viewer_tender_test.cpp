// "Write tender pack" from the viewer (script verb `tender DIR`, the panel's button) writes the
// same pack, byte for byte, as `lotwright tender CONFIG --plan PLAN.csv` for the plan the
// viewer saved; the pack carries the viewer's edit.
#include <gtest/gtest.h>

#include <sstream>

#include "support.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

using test::run_viewer;  // support.hpp

TEST(ViewerTender, PackFromTheViewerEqualsTheCommandLinePack) {
  test::ScratchDir dir("viewer-tender");
  auto r = test::run_cli(
      {"synth-county", "--out", (dir / "county").string(), "--postcodes", "800", "--seed", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path toml = dir / "county" / "county.toml";
  r = test::run_cli({"design", toml.string(), "--lots", "5", "--out", (dir / "d").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // An edit: the first postcode of the designed plan moves to the next lot.
  std::istringstream in(test::read_text(dir / "d" / "assignment.csv"));
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  const std::string pc = row.substr(0, row.find(','));
  const int lot = std::stoi(row.substr(row.find(',') + 1));
  const std::string to = std::to_string(lot % 5 + 1);
  const fs::path edited = dir / "edited.csv", vpack = dir / "viewer-pack";
  test::write_text(dir / "job.txt", "assign " + pc + " " + to + "\nsave " + edited.string() +
                                        "\ntender " + vpack.string() + "\n");
  r = run_viewer({(dir / "d" / "plan.gpkg").string(), "--script", (dir / "job.txt").string(),
                  "--dump-text", (dir / "job.dump").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The panel says where it wrote.
  EXPECT_NE(test::read_text(dir / "job.dump").find("files in " + vpack.string()),
            std::string::npos);

  const fs::path cpack = dir / "cli-pack", original = dir / "original-pack";
  r = test::run_cli({"tender", toml.string(), "--plan", edited.string(), "--out", cpack.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto files = test::list_files(cpack);
  ASSERT_EQ(test::list_files(vpack), files);
  EXPECT_GE(files.size(), 7u);
  for (const auto& f : files)  // xlsx and pdf too: the pack is deterministic
    EXPECT_EQ(test::read_text(vpack / f), test::read_text(cpack / f)) << f;

  // The designed plan's own pack differs: the viewer's pack is of the edited plan.
  r = test::run_cli({"tender", toml.string(), "--plan", (dir / "d" / "assignment.csv").string(),
                     "--out", original.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int differ = 0;
  for (const auto& f : files)
    differ += test::read_text(original / f) != test::read_text(vpack / f) ? 1 : 0;
  EXPECT_GT(differ, 0);
}

TEST(ViewerTender, ScriptTenderNeedsAFolder) {
  test::ScratchDir dir("viewer-tender-bad");
  test::write_text(dir / "bad.txt", "zoom all\ntender\n");
  test::write_text(dir / "plan.gpkg", "");  // the script is read before the plan
  const auto r = test::run_program(
      test::kViewerPath, {(dir / "plan.gpkg").string(), "--script", (dir / "bad.txt").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.txt:2: tender needs a folder"), std::string::npos) << r.err;
}

}  // namespace
