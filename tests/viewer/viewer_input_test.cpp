// The viewer under real X events (Xvfb + xdotool, as a user's keyboard and mouse): 10 ms taps
// of every shortcut, taps with no time between press and release, rapid brush strokes and a
// resize each take effect, seen in the plan saved with Ctrl+S and in the text and screenshot
// written when Ctrl+Q quits.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
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

#include "plan_fixture.hpp"
#include "support.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> read_lots(const fs::path& csv) {
  std::map<std::string, std::string> lots;
  std::istringstream in(test::read_text(csv));
  std::string row;
  std::getline(in, row);  // header
  while (std::getline(in, row)) {
    const auto c1 = row.find(','), c2 = row.find(',', c1 + 1);
    lots[row.substr(0, c1)] = row.substr(c1 + 1, c2 - c1 - 1);
  }
  return lots;
}

// Where the viewer draws a grid cell's centre at its county fit in a W x H window: the map is
// the window left of the panel (430 px, at most 45% of the width), fitted with a 20 px margin.
struct Grid {
  test::GridPlanSpec spec;
  int w = 900, h = 650;  // after the resize
  std::string at(int row, int col) const {
    const double map_w = w - std::min(430.0, std::floor(0.45 * w)), map_h = h;
    const double extent = spec.side * spec.cell_m;
    const double ppm = std::min((map_w - 40) / extent, (map_h - 40) / extent);
    const double x = map_w / 2 + ((col + 0.5) * spec.cell_m - extent / 2) * ppm;
    const double y = map_h / 2 - ((row + 0.5) * spec.cell_m - extent / 2) * ppm;
    return std::to_string(std::lround(x)) + " " + std::to_string(std::lround(y));
  }
};

class ViewerInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("viewer-input");
    test::write_grid_plan(*dir_ / "plan.gpkg", grid_.spec);
  }
  static void TearDownTestSuite() { delete dir_; }
  // Runs the viewer interactively under Xvfb and the xdotool commands in body (bash, with
  // $WID the viewer's window and the helpers tap KEYS, click "X Y"), then Ctrl+Q.
  test::CliResult drive(const std::string& body, const fs::path& dump, const fs::path& png) {
    const fs::path script = *dir_ / "drive.sh";
    test::write_text(
        script,
        "set -e\n"
        "tap() { xdotool keydown \"$1\" sleep 0.01 keyup \"$1\"; }\n"
        "tap0() { xdotool keydown \"$1\" keyup \"$1\"; }\n"
        "click() { xdotool mousemove $1 mousedown 1 sleep 0.01 mouseup 1; }\n"
        "'" +
            std::string(test::kViewerPath) + "' '" + (*dir_ / "plan.gpkg").string() +
            "' --interactive --size 1280x800 --dump-text '" + dump.string() + "' --screenshot '" +
            png.string() +
            "' &\n"
            "pid=$!\n"
            "WID=$(timeout 60 xdotool search --sync --name '^Lotwright viewer - plan.gpkg$' | "
            "head -1)\n"
            "[ -n \"$WID\" ] || { kill $pid; exit 3; }\n"
            // With no window manager the keyboard follows the pointer: into the window first.
            "xdotool mousemove --window $WID 5 5\n" +
            body +
            "\nxdotool keydown ctrl keydown q sleep 0.01 keyup q keyup ctrl\n"
            // A lost Ctrl+Q must not hang the test: 30 s, then the viewer is stopped.
            "for i in $(seq 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done\n"
            "if kill -0 $pid 2>/dev/null; then kill $pid; echo 'Ctrl+Q lost' >&2; exit 4; fi\n"
            "wait $pid\n");
    return test::run_in_xvfb("/bin/bash", {script.string()});
  }
  std::string pc(int row, int col) const { return test::grid_postcode(grid_.spec, row, col); }
  std::string designed(int row, int col) const {
    return std::to_string(test::grid_lot(grid_.spec, row, col) + 1);
  }
  static inline test::ScratchDir* dir_ = nullptr;
  static inline Grid grid_;
};

TEST_F(ViewerInput, QuickTapsClicksStrokesAndAResizeAllTakeEffect) {
  const Grid& g = grid_;
  const fs::path saved = *dir_ / "assignment-edited.csv";  // Ctrl+S: beside the plan
  const fs::path dump = *dir_ / "taps.txt", png = *dir_ / "taps.png";
  // First the resize (from 1280x800): the map is fitted to the new size, where the clicks land.
  std::string body = "xdotool windowsize $WID 900 650\nsleep 1\n";
  body += "tap b\n";                                                // brush
  body += "tap bracketright\ntap bracketright\ntap bracketleft\n";  // lot 1 -> 3 -> 2
  body += "click '" + g.at(0, 0) + "'\n";                           // (0,0) -> lot 2
  body += "tap 5\n";                                                // lot 5
  body += "click '" + g.at(0, 1) + "'\nclick '" + g.at(0, 2) + "'\n";
  body += "tap ctrl+z\ntap ctrl+z\ntap ctrl+y\n";  // (0,2) and (0,1) undone, (0,1) redone
  // Two rapid strokes, nothing between the events: press, moves, release in one go.
  body += "tap0 7\nxdotool mousemove " + g.at(2, 0) + " mousedown 1 mousemove " + g.at(2, 1) +
          " mousemove " + g.at(2, 3) + " mouseup 1\n";
  body += "tap0 8\nxdotool mousemove " + g.at(3, 0) + " mousedown 1 mousemove " + g.at(3, 3) +
          " mouseup 1\n";
  body += "tap0 ctrl+z\ntap0 ctrl+y\n";           // taps inside one frame: undone, then redone
  body += "tap v\nclick '" + g.at(0, 3) + "'\n";  // select: a click selects, paints nothing
  body += "tap ctrl+s\n";
  // Zoom in, then F fits the county again (the scale bar's 200 m, as at the start).
  body += "xdotool mousemove " + g.at(6, 6) + " click 4 click 4 click 4 click 4 click 4\n";
  body += "tap f\n";
  const auto r = drive(body, dump, png);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;

  ASSERT_TRUE(fs::exists(saved)) << "Ctrl+S lost\n" << test::read_text(dump);
  const auto lots = read_lots(saved);
  ASSERT_EQ(lots.size(), 144u);
  EXPECT_EQ(designed(0, 0), "1");
  EXPECT_EQ(lots.at(pc(0, 0)), "2");  // ] ] [ with the brush (B)
  EXPECT_EQ(lots.at(pc(0, 1)), "5");  // the lot key, Ctrl+Z twice, Ctrl+Y
  EXPECT_EQ(lots.at(pc(0, 2)), "1");  // undone, not redone
  for (int col = 0; col <= 3; ++col) {
    EXPECT_EQ(lots.at(pc(2, col)), "7") << col;  // the whole stroke, its ends and between
    EXPECT_EQ(lots.at(pc(3, col)), "8") << col;
  }
  EXPECT_EQ(lots.at(pc(0, 3)), "1");  // V: the click selected it
  EXPECT_EQ(lots.at(pc(1, 1)), "1");  // no spill from the clicks
  int changed = 0;
  for (int row = 0; row < g.spec.side; ++row)
    for (int col = 0; col < g.spec.side; ++col)
      changed += lots.at(pc(row, col)) != designed(row, col) ? 1 : 0;
  EXPECT_EQ(changed, 1 + 1 + 4 + 4);

  const std::string text = test::read_text(dump);
  EXPECT_NE(text.find("Selected " + pc(0, 3)), std::string::npos) << text;
  EXPECT_NE(("\n" + text).find("\n200 m\n"), std::string::npos) << text;  // F after the zoom
  EXPECT_NE(text.find("saved " + saved.string()), std::string::npos) << text;

  // The resize: the last frame is the new size, with the panel still on it.
  int w = 0, h = 0, comp = 0;
  unsigned char* data = stbi_load(png.c_str(), &w, &h, &comp, 3);
  ASSERT_NE(data, nullptr);
  stbi_image_free(data);
  EXPECT_EQ(w, 900);
  EXPECT_EQ(h, 650);
  EXPECT_NE(text.find("Plan editor"), std::string::npos);
}

}  // namespace
