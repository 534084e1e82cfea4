// lotwright-viewer --provider: the provider package (tender/provider.gpkg) alone, read-only.
// A small synthetic county is run once; the viewer opens its package under Xvfb, lists every
// zone with the published hours of lots.geojson, shows a zone's sector rows, writes nothing
// in the pack folder, and refuses a plan (postcode-level demand) and writing script verbs.
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

using test::run_viewer;  // support.hpp

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& f : test::list_files(dir)) files[f] = test::read_text(dir / f);
  return files;
}

std::string two_decimals(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

class ViewerProvider : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("viewer-provider");
    auto r = test::run_cli({"synth-county", "--out", (*dir_ / "county").string(), "--postcodes",
                            "400", "--seed", "7"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = test::run_cli(
        {"run", (*dir_ / "county" / "county.toml").string(), "--out", (*dir_ / "out").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path out() { return *dir_ / "out"; }
  static fs::path scratch() { return dir_->path(); }
  static test::ScratchDir* dir_;
};
test::ScratchDir* ViewerProvider::dir_ = nullptr;

TEST_F(ViewerProvider, ListsEveryZoneWithItsPublishedHoursAndWritesNothingInThePack) {
  const fs::path pkg = out() / "tender" / "provider.gpkg";
  ASSERT_TRUE(fs::exists(pkg));
  const auto before = snapshot(out());
  const fs::path script = scratch() / "select.txt", dump = scratch() / "provider.dump",
                 shot = scratch() / "provider.png";
  test::write_text(script, "select 1\n");
  auto r = run_viewer({"--provider", pkg.string(), "--script", script.string(), "--dump-text",
                       dump.string(), "--screenshot", shot.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(snapshot(out()), before);  // not a byte written, moved or added in the pack folder

  const std::string text = test::read_text(dump);
  const auto geojson = nlohmann::json::parse(test::read_text(out() / "tender" / "lots.geojson"));
  const auto& features = geojson.at("features");
  ASSERT_GE(features.size(), 2u);
  for (const auto& f : features) {
    const auto& p = f.at("properties");
    const std::string row = "zone " + std::to_string(p.at("zone").get<int>()) + " | " +
                            p.at("name").get<std::string>() + " | hours " +
                            two_decimals(p.at("hours").get<double>()) + " | ";
    EXPECT_NE(text.find(row), std::string::npos) << row << "\n" << text;
  }
  // Zone 1 selected: its figures and its sector rows, every one of zone 1.
  // Named as the pack names it (tender::zone_title), its lots "Lot 1a ...".
  EXPECT_NE(text.find("\nZone 1 - "), std::string::npos) << text;
  EXPECT_NE(text.find("\nLot 1a "), std::string::npos) << text;
  int sectors = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("sector ", 0) == 0) {
      ++sectors;
      EXPECT_NE(line.find(" | zone 1 | "), std::string::npos) << line;
    }
  EXPECT_GE(sectors, 1);
  // No postcode of the county appears (the plan's postcodes are the units).
  std::istringstream plan(test::read_text(out() / "assignment.csv"));
  std::string line;
  std::getline(plan, line);
  while (std::getline(plan, line))
    ASSERT_EQ(text.find(line.substr(0, line.find(','))), std::string::npos) << line;
  EXPECT_GT(fs::file_size(shot), 10000u);
}

TEST_F(ViewerProvider, RefusesThePlanNamingWhatToOpen) {
  const auto before = snapshot(out());
  const auto r =
      test::run_program(test::kViewerPath, {"--provider", (out() / "plan.gpkg").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("plan.gpkg holds postcode-level demand; providers open "
                       "tender/provider.gpkg (written by lotwright tender)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(snapshot(out()), before);
}

TEST_F(ViewerProvider, RefusesScriptVerbsThatWouldWrite) {
  const auto before = snapshot(out());
  const fs::path script = scratch() / "write.txt";
  for (const std::string& verb :
       {"save " + (out() / "x.csv").string(), "tender " + (out() / "pack2").string(),
        std::string("assign A 1")}) {
    test::write_text(script, "select 1\n" + verb + "\n");
    const auto r = test::run_program(
        test::kViewerPath,
        {"--provider", (out() / "tender" / "provider.gpkg").string(), "--script", script.string()});
    EXPECT_EQ(r.exit_code, 1) << verb;
    EXPECT_NE(r.err.find("write.txt:2: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("is not available in the provider view"), std::string::npos) << r.err;
  }
  EXPECT_EQ(snapshot(out()), before);
}

// A bad value in the package: the loader names file, layer, feature and field; exit 1.
TEST_F(ViewerProvider, BadValueNamesFileLayerFeatureAndField) {
  const fs::path bad = scratch() / "bad-provider.gpkg";
  fs::copy_file(out() / "tender" / "provider.gpkg", bad, fs::copy_options::overwrite_existing);
  {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(bad.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    ds->ExecuteSQL("UPDATE zones SET colour = 'red' WHERE zone = 2", nullptr, nullptr);
  }
  const auto r = test::run_program(test::kViewerPath, {"--provider", bad.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad.string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("layer zones, feature 2: field \"colour\": expected #rrggbb, got \"red\""),
            std::string::npos)
      << r.err;
}

TEST(ViewerProviderPackage, NamesTheFileWhenItIsNotAPackage) {
  test::ScratchDir dir("viewer-provider-bad");
  test::write_text(dir / "x.gpkg", "not a geopackage");
  const auto r = test::run_program(test::kViewerPath, {"--provider", (dir / "x.gpkg").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("x.gpkg"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not a provider package"), std::string::npos) << r.err;
}

}  // namespace
