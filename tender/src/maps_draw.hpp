#pragma once
// Drawing primitives of zone-maps.pdf (maps.cpp): the page template, text laid out by pango,
// the map frame and its view, roads, place labels without collisions, scale bar, north arrow.
#include <cairo.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "internal.hpp"

namespace lotwright::tender::detail::maps {

constexpr double kW = 841.89, kH = 595.28;  // A4 landscape, points
constexpr double kM = 28;                   // margin
constexpr double kMapX = kM, kMapY = 76, kMapW = 500, kMapH = kH - 76 - 52;

constexpr double kPanelX = kMapX + kMapW + 16, kPanelW = kW - kM - kPanelX;

constexpr const char* kAttribution =
    "\u00a9 OpenStreetMap contributors; Contains OS data \u00a9 Crown copyright and database "
    "right";

struct Rgb {
  double r, g, b;
};

Rgb hex(unsigned v);

void set(cairo_t* cr, Rgb c, double a = 1);

// Zone colours: the lot palette every output uses (geo::lot_rgb; zone z is lot z).
Rgb zone_colour(const PackContext& ctx, int zone_index);

// Sequential hours-density classes (YlOrBr).
const std::array<unsigned, 5> kDensity = {0xfff7bc, 0xfee391, 0xfec44f, 0xfe9929, 0xd95f0e};

enum class Align { left, right, centre };

struct TextStyle {
  double size = 8;
  bool bold = false;
  Align align = Align::left;
  int max_lines = 1;  // > 1: wrap at words, ellipsize the last line
  Rgb colour{0.1, 0.1, 0.1};
};

// Draws text in a box of width w at (x, y) (top-left); returns the height used.
double text(cairo_t* cr, const std::string& s, double x, double y, double w,
            const TextStyle& st = {});

// Width and height of a single-line text.
std::pair<double, double> measure(cairo_t* cr, const std::string& s, double size, bool bold);

// Text with a white halo, for map labels (single line, at most max_w wide).
void halo_text(cairo_t* cr, const std::string& s, double x, double y, double size, bool bold,
               double max_w);

// EPSG:27700 -> page points inside the map frame.
struct View {
  double scale = 1, ox = 0, oy = 0;  // page = (x - ox) * scale + kMapX, ...
  double cx = 0, cy = 0;
  static View fit(geo::Box b, double pad) {
    const double bw = std::max(b.max_x - b.min_x, 100.0), bh = std::max(b.max_y - b.min_y, 100.0);
    View v;
    v.scale = std::min(kMapW / (bw * (1 + 2 * pad)), kMapH / (bh * (1 + 2 * pad)));
    v.cx = (b.min_x + b.max_x) / 2;
    v.cy = (b.min_y + b.max_y) / 2;
    return v;
  }
  double px(double x) const { return kMapX + kMapW / 2 + (x - cx) * scale; }
  double py(double y) const { return kMapY + kMapH / 2 - (y - cy) * scale; }
  bool inside(double x, double y) const {
    return px(x) >= kMapX && px(x) <= kMapX + kMapW && py(y) >= kMapY && py(y) <= kMapY + kMapH;
  }
};

void path(cairo_t* cr, const View& v, const geo::MultiPolygon& mp);

geo::Box union_box(const std::vector<geo::MultiPolygon>& shapes);

void frame(cairo_t* cr);

void frame_border(cairo_t* cr);

void clip_frame(cairo_t* cr);

void roads(cairo_t* cr, const View& v, const geo::RoadNetwork* net, bool major_only);

int place_rank(const std::string& kind);

// Boxes taken by labels on a map (page points): a label that would overlap one is dropped.
class Labels {
 public:
  using Box = std::array<double, 4>;  // x0, y0, x1, y1
  // The scale bar (bottom left) and north arrow (top right) are drawn over the map later.
  Labels()
      : taken_{{kMapX, kMapY + kMapH - 34, kMapX + 180, kMapY + kMapH},
               {kMapX + kMapW - 38, kMapY, kMapX + kMapW, kMapY + 48}} {}
  bool fits(const Box& b) const {
    if (b[0] < kMapX + 2 || b[1] < kMapY + 2 || b[2] > kMapX + kMapW - 2 ||
        b[3] > kMapY + kMapH - 2)
      return false;
    for (const Box& t : taken_)
      if (!(b[2] < t[0] || b[0] > t[2] || b[3] < t[1] || b[1] > t[3])) return false;
    return true;
  }
  void take(const Box& b) { taken_.push_back(b); }
  bool place(const Box& b) {
    if (!fits(b)) return false;
    take(b);
    return true;
  }

 private:
  std::vector<Box> taken_;
};

// Place names inside the frame, most important first (city, town, village; then by name),
// each dropped when it would overlap a label already placed. Returns the names shown.
// persist: before dropping a name, try it smaller and then further from its dot with a
// leader line (the overview's towns, placed before anything else, must all survive).
int places(cairo_t* cr, const View& v, const geo::RoadNetwork* net, int max_rank, int limit,
           Labels& labels, bool persist = false);

void scale_bar(cairo_t* cr, const View& v);

void north_arrow(cairo_t* cr);

void page_frame(cairo_t* cr, const std::string& title, const std::string& subtitle, int page,
                int pages);

// Rows of label: value in the panel; returns the y after the table.
double key_values(cairo_t* cr, double y,
                  const std::vector<std::pair<std::string, std::string>>& kv);

double heading(cairo_t* cr, double y, const std::string& s);

}  // namespace lotwright::tender::detail::maps
