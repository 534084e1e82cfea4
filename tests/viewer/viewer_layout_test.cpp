// The viewer's layout at 800x600 and 1920x1080 with 6 and 30 lots (a synthetic county designed
// by the CLI once): the screenshot is the window's size, the lot table lists every lot, and
// no map label overlaps another (from --dump-labels, the boxes the viewer placed).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

#include <gdal_priv.h>

#include "support.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

struct Box {
  int lot;
  double x0, y0, x1, y1;
};

std::vector<Box> read_boxes(const fs::path& csv) {
  std::vector<Box> out;
  std::istringstream in(test::read_text(csv));
  std::string row;
  std::getline(in, row);
  EXPECT_EQ(row, "lot,x0,y0,x1,y1");
  while (std::getline(in, row)) {
    Box b{};
    char c = 0;
    std::istringstream r(row);
    r >> b.lot >> c >> b.x0 >> c >> b.y0 >> c >> b.x1 >> c >> b.y1;
    out.push_back(b);
  }
  return out;
}

class ViewerLayout : public ::testing::TestWithParam<std::tuple<int, std::string>> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("viewer-layout");
    auto r = test::run_cli({"synth-county", "--out", (*dir_ / "county").string(), "--postcodes",
                            "800", "--seed", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // 30 lots of a small county need a wide hours tolerance.
    const fs::path toml = *dir_ / "county" / "county.toml";
    const std::string cfg = std::regex_replace(
        test::read_text(toml), std::regex("tolerance = [0-9.]+"), "tolerance = 0.6");
    test::write_text(toml, cfg);
    for (const int lots : {6, 30}) {
      r = test::run_cli({"design", toml.string(), "--lots", std::to_string(lots), "--out",
                         (*dir_ / ("d" + std::to_string(lots))).string()});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      // Layout only: without the config in its meta the viewer skips loading road travel
      // (the slow part under the sanitizers) and measures travel on the unit graph.
      GDALAllRegister();
      const fs::path gpkg = *dir_ / ("d" + std::to_string(lots)) / "plan.gpkg";
      GDALDatasetUniquePtr ds(
          GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr));
      ASSERT_TRUE(ds);
      ds->ReleaseResultSet(
          ds->ExecuteSQL("DELETE FROM meta WHERE key = 'config'", nullptr, nullptr));
    }
  }
  static void TearDownTestSuite() { delete dir_; }
  static inline test::ScratchDir* dir_ = nullptr;
};

TEST_P(ViewerLayout, EveryLotListedAndNoLabelOverlaps) {
  const auto [lots, size] = GetParam();
  const std::string name = "d" + std::to_string(lots) + "-" + size;
  const fs::path plan = *dir_ / ("d" + std::to_string(lots)) / "plan.gpkg";
  const fs::path png = *dir_ / (name + ".png"), labels = *dir_ / (name + ".csv"),
                 dump = *dir_ / (name + ".txt");
  const auto r = test::run_in_xvfb(test::kViewerPath,
                                   {plan.string(), "--size", size, "--screenshot", png.string(),
                                    "--dump-labels", labels.string(), "--dump-text", dump.string()},
                                   "2000x1200x24");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  int w = 0, h = 0, comp = 0;
  unsigned char* data = stbi_load(png.c_str(), &w, &h, &comp, 3);
  ASSERT_NE(data, nullptr);
  stbi_image_free(data);
  EXPECT_EQ(std::to_string(w) + "x" + std::to_string(h), size);

  // The zone table lists every zone (a row each, named as the pack names it, "Zone N - name"
  // (tender::zone_title) or its start and "...").
  const std::string text = test::read_text(dump);
  for (int l = 1; l <= lots; ++l) {
    const std::regex row("(^|\n)(\\* )?Zone " + std::to_string(l) + "(\n| - |\\.\\.\\.)");
    EXPECT_TRUE(std::regex_search(text, row)) << "lot " << l << " not listed at " << size;
  }
  EXPECT_EQ(text.find("more\n"), std::string::npos);                 // no "+ N more" legend
  EXPECT_NE(text.find("no config in the plan"), std::string::npos);  // no road loading

  const auto boxes = read_boxes(labels);
  // Every lot is labelled with its number at least where the number fits, the name where it
  // fits too: the 6-lot plan keeps all 6 at both sizes; 30 lots keep 17 at 800x600 and 27 at
  // 1920x1080 (the full names alone, dropped when crowded, kept 6 at 800x600).
  const std::size_t floor = lots == 6 ? 6 : (size == "800x600" ? 15 : 24);
  EXPECT_GE(boxes.size(), floor) << size;
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const Box& a = boxes[i];
    EXPECT_GE(a.x0, 0);
    EXPECT_GE(a.y0, 0);
    EXPECT_LE(a.x1, w);
    EXPECT_LE(a.y1, h);
    for (std::size_t j = i + 1; j < boxes.size(); ++j) {
      const Box& b = boxes[j];
      const bool overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
      EXPECT_FALSE(overlap) << "labels of lots " << a.lot << " and " << b.lot << " at " << size;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SizesAndLots, ViewerLayout,
                         ::testing::Combine(::testing::Values(6, 30),
                                            ::testing::Values("800x600", "1920x1080")));

}  // namespace
