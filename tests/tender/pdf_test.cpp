// zone-maps.pdf at any size, on one synthetic county (synth-county, 3,000 postcodes) split
// into 4, 10, 30 and 60 zones: every zone in the overview legend, every town labelled on
// the overview, no two map labels overlapping (pdftotext -bbox), and the suppressed-sector legend
// swatch hatched like the map (the tender fixture, whose sector PO30 4 is suppressed).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include "lotwright/design/workflow.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/tender/tender.hpp"
#include "support.hpp"
#include "tender_fixture.hpp"

using namespace lotwright;
namespace fs = std::filesystem;
using test::run_text;

namespace {

struct Word {
  double x0, y0, x1, y1;
  std::string text;
};

// Words of a page with their boxes (points), from pdftotext -bbox.
std::vector<Word> words(const fs::path& pdf, int page) {
  const std::string html = run_text(
      "/usr/bin/pdftotext",
      {"-bbox", "-f", std::to_string(page), "-l", std::to_string(page), pdf.string(), "-"});
  std::vector<Word> out;
  for (std::size_t at = html.find("<word "); at != std::string::npos;
       at = html.find("<word ", at + 1)) {
    Word w{};
    auto attr = [&](const char* name) {
      const auto p = html.find(std::string(name) + "=\"", at);
      return std::stod(html.substr(p + std::string(name).size() + 2));
    };
    w.x0 = attr("xMin");
    w.y0 = attr("yMin");
    w.x1 = attr("xMax");
    w.y1 = attr("yMax");
    const auto s = html.find('>', at) + 1;
    w.text = html.substr(s, html.find("</word>", s) - s);
    out.push_back(w);
  }
  return out;
}

// The map frame of every page (maps.cpp: x 28..528, y 76..543 points).
bool in_map(const Word& w) { return w.x0 >= 28 && w.x1 <= 528 && w.y0 >= 76 && w.y1 <= 543; }

// Units split into n zones: vertical stripes by easting, each cut by northing.
geo::Plan grid_plan(const geo::UnitGraph& g, int n) {
  const int cols = static_cast<int>(std::ceil(std::sqrt(n)));
  std::vector<int> by_x(g.size());
  for (std::size_t u = 0; u < g.size(); ++u) by_x[u] = static_cast<int>(u);
  std::sort(by_x.begin(), by_x.end(), [&](int a, int b) { return g.site[a].x < g.site[b].x; });
  geo::Plan plan;
  plan.lot_count = n;
  plan.lot_of.assign(g.size(), geo::kNoLot);
  plan.hub.assign(n, -1);
  plan.name.assign(n, "");
  plan.tier.assign(n, "");
  int zone = 0;
  std::size_t start = 0;
  for (int c = 0; c < cols; ++c) {
    const int rows = n / cols + (c < n % cols ? 1 : 0);
    const std::size_t end = g.size() * (c + 1) / cols;
    std::vector<int> stripe(by_x.begin() + start, by_x.begin() + end);
    std::sort(stripe.begin(), stripe.end(),
              [&](int a, int b) { return g.site[a].y < g.site[b].y; });
    for (std::size_t i = 0; i < stripe.size(); ++i)
      plan.lot_of[stripe[i]] = zone + static_cast<int>(i * rows / stripe.size());
    zone += rows;
    start = end;
  }
  return plan;
}

class PdfSizes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    const auto r = test::run_cli({"synth-county", "--out", (*dir_ / "county").string(),
                                  "--postcodes", "3000", "--seed", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    config_ = new geo::Config(geo::load_config(*dir_ / "county" / "county.toml"));
    study_ = new geo::Study(geo::load_study(*config_));
  }
  static void TearDownTestSuite() {
    delete study_;
    delete config_;
    delete dir_;
  }
  // Writes the pack for n zones; returns the PDF and the schedule.
  static std::pair<fs::path, tender::Schedule> pack(int n) {
    const geo::Plan plan = grid_plan(study_->graph, n);
    const geo::PlanMetrics m =
        geo::evaluate(study_->graph, plan, geo::evaluate_options(*study_, config_->design));
    const auto in = tender::pack_inputs(*study_, tender::load_tender_config(*config_), plan, m);
    const fs::path out = *dir_ / ("pack" + std::to_string(n));
    tender::write_tender_pack(out, in);
    return {out / "zone-maps.pdf", tender::build_schedule(in)};
  }
  static test::ScratchDir* dir_;
  static geo::Config* config_;
  static geo::Study* study_;
};
test::ScratchDir* PdfSizes::dir_ = nullptr;
geo::Config* PdfSizes::config_ = nullptr;
geo::Study* PdfSizes::study_ = nullptr;

}  // namespace

TEST_F(PdfSizes, LegendCompleteTownsLabelledNoLabelsOverlap) {
  std::set<std::string> towns;
  for (const auto& p : study_->roads->places)
    if (p.kind == "town" || p.kind == "city") towns.insert(p.name);
  ASSERT_GE(towns.size(), 3u);
  for (int n : {4, 10, 30, 60}) {
    SCOPED_TRACE("zones: " + std::to_string(n));
    const auto [pdf, schedule] = pack(n);
    ASSERT_EQ(static_cast<int>(schedule.zones.size()), n);
    EXPECT_EQ(test::pdf_pages(pdf), n + 1);
    // The legend (the panel right of the map, above "All zones"): one line per zone,
    // "<zone> <name> <hours>", in columns when they do not fit in one.
    const std::string legend =
        run_text("/usr/bin/pdftotext", {"-f", "1", "-l", "1", "-raw", "-x", "540", "-y", "76", "-W",
                                        "290", "-H", "360", pdf.string(), "-"});
    std::istringstream lines(legend);
    std::set<int> listed;
    for (std::string line; std::getline(lines, line);) {
      const auto sp = line.find(' ');
      if (sp == std::string::npos || line.find_first_not_of("0123456789") != sp) continue;
      listed.insert(std::stoi(line.substr(0, sp)));
    }
    for (int z = 1; z <= n; ++z) EXPECT_TRUE(listed.count(z)) << "zone " << z << "\n" << legend;

    // Towns on the overview map.
    const auto page1 = words(pdf, 1);
    int towns_shown = 0;
    for (const std::string& t : towns) {
      const std::string first = t.substr(0, t.find(' '));
      towns_shown += std::any_of(page1.begin(), page1.end(),
                                 [&](const Word& w) { return in_map(w) && w.text == first; });
    }
    // Towns are placed before the zone numbers (smaller, or on a leader line, when crowded):
    // every town of the county's gazetteer is labelled at every size.
    for (const std::string& t : towns) {
      const std::string first = t.substr(0, t.find(' '));
      EXPECT_TRUE(std::any_of(page1.begin(), page1.end(),
                              [&](const Word& w) { return in_map(w) && w.text == first; }))
          << "town " << t << " not labelled on the overview";
    }
    std::cout << n << " zones: " << towns_shown << " of " << towns.size()
              << " towns labelled on the overview\n";

    // No two labels overlap on the overview or the first zone page (0.5 pt slack for the
    // glyph boxes of neighbouring lines of one label).
    for (int page : {1, 2}) {
      const auto ws = words(pdf, page);
      for (std::size_t i = 0; i < ws.size(); ++i)
        for (std::size_t j = i + 1; j < ws.size(); ++j) {
          const Word &a = ws[i], &b = ws[j];
          if (!in_map(a) || !in_map(b)) continue;
          const bool overlap =
              a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5;
          EXPECT_FALSE(overlap) << "page " << page << ": \"" << a.text << "\" and \"" << b.text
                                << "\"";
        }
    }
  }
}

// The legend swatch of suppressed sectors is hatched (dark lines on white) like the map's
// suppressed sectors, not the plain grey of the other zones.
TEST(PdfSwatch, SuppressedSwatchIsHatched) {
  test::TenderFixture f;
  test::ScratchDir tmp;
  tender::write_tender_pack(tmp / "pack", f.inputs());
  const fs::path pdf = tmp / "pack" / "zone-maps.pdf";
  // The swatch sits left of its label on a zone page.
  const auto ws = words(pdf, 3);  // zone 2 holds the suppressed sector PO30 4
  const auto label = std::find_if(ws.begin(), ws.end(),
                                  [](const Word& w) { return w.text == "fewer" && w.x0 > 540; });
  ASSERT_NE(label, ws.end());
  // Render the 14 x 8 pt swatch at 288 dpi (4 pixels a point) as a grey-scale PGM.
  const int x = static_cast<int>((label->x0 - 20) * 4), y = static_cast<int>((label->y0 + 2) * 4);
  const fs::path out = tmp / "swatch";
  run_text("/usr/bin/pdftoppm", {"-f", "3", "-l", "3", "-r", "288", "-gray", "-x",
                                 std::to_string(x + 4), "-y", std::to_string(y + 2), "-W", "48",
                                 "-H", "24", "-singlefile", pdf.string(), out.string()});
  std::ifstream in(out.string() + ".pgm", std::ios::binary);
  std::string magic;
  int w = 0, h = 0, maxv = 0;
  in >> magic >> w >> h >> maxv;
  in.get();
  std::vector<unsigned char> px(static_cast<std::size_t>(w) * h);
  in.read(reinterpret_cast<char*>(px.data()), static_cast<std::streamsize>(px.size()));
  ASSERT_EQ(magic, "P5");
  const auto dark = std::count_if(px.begin(), px.end(), [](unsigned char v) { return v < 140; });
  const auto white = std::count_if(px.begin(), px.end(), [](unsigned char v) { return v > 240; });
  EXPECT_GT(dark, static_cast<long>(px.size() / 10)) << "no hatch lines";
  EXPECT_GT(white, static_cast<long>(px.size() / 4)) << "no white between the lines";
}

// Rutland (a county the pack was not tuned on, docs/rutland.md): its sector densities put two
// quantile breaks at 4.6 and 5.4 h/km², which the legend printed as a "5 – 5" class. Each
// class of the density legend now reads as a range whose ends differ, in ascending order.
TEST(PdfRutland, DensityLegendClassesAreDistinctRanges) {
  test::ScratchDir dir("pdf-rutland");
  const std::string ask =
      "[design]\nlots = 3\ntolerance = 0.1\nmax_travel_minutes = 30\n"
      "[tender]\nbuyer = \"Rutland County Council\"\n";
  test::write_text(dir / "config.toml", test::rutland_config_text("", ask));
  const auto s = test::run_cli({"synth-demand", (dir / "config.toml").string(), "--out",
                                (dir / "demand.csv").string(), "--seed", "7"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  test::write_text(dir / "config.toml", test::rutland_config_text(dir / "demand.csv", ask));
  const geo::Config cfg = geo::load_config(dir / "config.toml");
  geo::StudyOptions so;
  so.cache_dir = dir / "cache";
  const geo::Study study = geo::load_study(cfg, so);
  const geo::Plan plan = grid_plan(study.graph, 3);
  const auto m = geo::evaluate(study.graph, plan, geo::evaluate_options(study, cfg.design));
  tender::write_tender_pack(dir / "pack",
                            tender::pack_inputs(study, tender::load_tender_config(cfg), plan, m));
  const std::string text =
      run_text("/usr/bin/pdftotext",
               {"-f", "2", "-l", "2", "-raw", (dir / "pack" / "zone-maps.pdf").string(), "-"});
  const auto at = text.find("by postcode sector\n");
  ASSERT_NE(at, std::string::npos) << text;
  std::istringstream lines(text.substr(at + 19));
  const std::string dash = " \u2013 ";
  double last = -1;
  int classes = 0;
  for (std::string line; std::getline(lines, line) && line.rfind("fewer", 0) != 0;) {
    SCOPED_TRACE(line);
    auto number = [](std::string v) {
      v.erase(std::remove(v.begin(), v.end(), ','), v.end());
      return std::stod(v);
    };
    const auto d = line.find(dash);
    if (d != std::string::npos) {
      const double lo = number(line.substr(0, d)), hi = number(line.substr(d + dash.size()));
      EXPECT_LT(lo, hi) << "a class whose ends read the same";
      EXPECT_EQ(lo, last < 0 ? 0 : last);
      last = hi;
    } else {
      ASSERT_EQ(line.rfind("over ", 0), 0u);
      EXPECT_EQ(number(line.substr(5)), last);
    }
    ++classes;
  }
  EXPECT_GE(classes, 3);
}
