// zone-maps.pdf with cairo + pango: the "Estimated Hours and Zone Maps" appendix.
// One A4 landscape template: header, map frame (left), panel (right), footer. Every text is
// laid out with a width and ellipsized or wrapped to a line limit, so nothing overflows.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>

#include "internal.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/gis/geometry.hpp"
#include "text.hpp"

namespace lotwright::tender::detail {

namespace {

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
Rgb hex(unsigned v) {
  return {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0};
}
void set(cairo_t* cr, Rgb c, double a = 1) { cairo_set_source_rgba(cr, c.r, c.g, c.b, a); }

// Zone colours: the lot palette every output uses (geo::lot_rgb; zone z is lot z).
Rgb zone_colour(int zone_index) {
  const geo::LotRgb c = geo::lot_rgb(zone_index);
  return {c.r / 255.0, c.g / 255.0, c.b / 255.0};
}
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

struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;

// A pango layout in DejaVu Sans at `size` points.
LayoutPtr make_layout(cairo_t* cr, const std::string& s, double size, bool bold) {
  LayoutPtr owned(pango_cairo_create_layout(cr));
  PangoLayout* layout = owned.get();
  PangoFontDescription* fd = pango_font_description_from_string("DejaVu Sans");
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout, fd);
  pango_font_description_free(fd);
  pango_layout_set_text(layout, s.c_str(), -1);
  return owned;
}

// Draws text in a box of width w at (x, y) (top-left); returns the height used.
double text(cairo_t* cr, const std::string& s, double x, double y, double w,
            const TextStyle& st = {}) {
  const LayoutPtr owned = make_layout(cr, s, st.size, st.bold);
  PangoLayout* layout = owned.get();
  pango_layout_set_width(layout, static_cast<int>(std::max(1.0, w) * PANGO_SCALE));
  pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
  if (st.max_lines > 1) {
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_height(layout, -st.max_lines);
  } else {
    pango_layout_set_single_paragraph_mode(layout, TRUE);
  }
  pango_layout_set_alignment(layout, st.align == Align::right    ? PANGO_ALIGN_RIGHT
                                     : st.align == Align::centre ? PANGO_ALIGN_CENTER
                                                                 : PANGO_ALIGN_LEFT);
  int pw = 0, ph = 0;
  pango_layout_get_size(layout, &pw, &ph);
  set(cr, st.colour);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  cairo_new_path(cr);  // no current point left for the next shape
  return static_cast<double>(ph) / PANGO_SCALE;
}

// Width and height of a single-line text.
std::pair<double, double> measure(cairo_t* cr, const std::string& s, double size, bool bold) {
  const LayoutPtr owned = make_layout(cr, s, size, bold);
  PangoLayout* layout = owned.get();
  int pw = 0, ph = 0;
  pango_layout_get_size(layout, &pw, &ph);
  return {static_cast<double>(pw) / PANGO_SCALE, static_cast<double>(ph) / PANGO_SCALE};
}

// Text with a white halo, for map labels (single line, at most max_w wide).
void halo_text(cairo_t* cr, const std::string& s, double x, double y, double size, bool bold,
               double max_w) {
  const LayoutPtr owned = make_layout(cr, s, size, bold);
  PangoLayout* layout = owned.get();
  pango_layout_set_width(layout, static_cast<int>(max_w * PANGO_SCALE));
  pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode(layout, TRUE);
  cairo_move_to(cr, x, y);
  pango_cairo_layout_path(cr, layout);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_set_line_width(cr, 2.2);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke(cr);
  cairo_move_to(cr, x, y);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  pango_cairo_show_layout(cr, layout);
  cairo_new_path(cr);
}

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

void path(cairo_t* cr, const View& v, const geo::MultiPolygon& mp) {
  for (const auto& poly : mp) {
    auto ring = [&](const geo::Ring& r) {
      if (r.empty()) return;
      cairo_move_to(cr, v.px(r[0].x), v.py(r[0].y));
      for (std::size_t i = 1; i < r.size(); ++i) cairo_line_to(cr, v.px(r[i].x), v.py(r[i].y));
      cairo_close_path(cr);
    };
    ring(poly.outer);
    for (const auto& h : poly.holes) ring(h);
  }
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
}

geo::Box union_box(const std::vector<geo::MultiPolygon>& shapes) {
  geo::Box b{1e300, 1e300, -1e300, -1e300};
  for (const auto& s : shapes) {
    if (s.empty()) continue;
    const geo::Box x = geo::bounds(s);
    b = {std::min(b.min_x, x.min_x), std::min(b.min_y, x.min_y), std::max(b.max_x, x.max_x),
         std::max(b.max_y, x.max_y)};
  }
  if (b.min_x > b.max_x) return {0, 0, 1000, 1000};
  return b;
}

void frame(cairo_t* cr) {
  cairo_rectangle(cr, kMapX, kMapY, kMapW, kMapH);
  cairo_set_source_rgb(cr, 0.93, 0.95, 0.97);  // sea / outside
  cairo_fill(cr);
}

void frame_border(cairo_t* cr) {
  cairo_rectangle(cr, kMapX, kMapY, kMapW, kMapH);
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  cairo_set_line_width(cr, 0.8);
  cairo_stroke(cr);
}

void clip_frame(cairo_t* cr) {
  cairo_rectangle(cr, kMapX, kMapY, kMapW, kMapH);
  cairo_clip(cr);
}

void roads(cairo_t* cr, const View& v, const geo::RoadNetwork* net, bool major_only) {
  if (!net) return;
  struct Style {
    int order;
    double width;
    unsigned colour;
  };
  auto style = [](const std::string& h) -> Style {
    if (h == "motorway" || h == "trunk" || h == "motorway_link" || h == "trunk_link")
      return {3, 1.8, 0xc0392b};
    if (h == "primary" || h == "primary_link") return {2, 1.4, 0xe08e2b};
    if (h == "secondary" || h == "secondary_link") return {1, 0.9, 0x8a8a8a};
    return {0, 0.5, 0xa8a8a8};
  };
  for (int order = 0; order <= 3; ++order) {
    if (major_only && order < 2) continue;
    for (const auto& r : net->main_roads) {
      const Style st = style(r.highway);
      if (st.order != order || r.line.points.size() < 2) continue;
      cairo_move_to(cr, v.px(r.line.points[0].x), v.py(r.line.points[0].y));
      for (std::size_t i = 1; i < r.line.points.size(); ++i)
        cairo_line_to(cr, v.px(r.line.points[i].x), v.py(r.line.points[i].y));
      set(cr, hex(st.colour));
      cairo_set_line_width(cr, st.width);
      cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke(cr);
    }
  }
}

int place_rank(const std::string& kind) {
  if (kind == "city") return 0;
  if (kind == "town") return 1;
  if (kind == "village") return 2;
  if (kind == "suburb") return 3;
  return 4;
}

// Place names inside the frame, most important first, skipping labels that would overlap.
void places(cairo_t* cr, const View& v, const geo::RoadNetwork* net, int max_rank, int limit) {
  if (!net) return;
  std::vector<const geo::Place*> ps;
  for (const auto& p : net->places)
    if (!p.name.empty() && place_rank(p.kind) <= max_rank && v.inside(p.site.x, p.site.y))
      ps.push_back(&p);
  std::sort(ps.begin(), ps.end(), [](const geo::Place* a, const geo::Place* b) {
    const int ra = place_rank(a->kind), rb = place_rank(b->kind);
    return ra != rb ? ra < rb : a->name < b->name;
  });
  std::vector<std::array<double, 4>> taken;
  int shown = 0;
  for (const geo::Place* p : ps) {
    if (shown >= limit) break;
    const double size = place_rank(p->kind) <= 1 ? 8.5 : 7;
    const bool bold = place_rank(p->kind) <= 1;
    auto [w, h] = measure(cr, p->name, size, bold);
    w = std::min(w, 120.0);
    const double x = v.px(p->site.x) + 3, y = v.py(p->site.y) - h / 2;
    if (x + w > kMapX + kMapW - 2 || y < kMapY + 2 || y + h > kMapY + kMapH - 2) continue;
    const std::array<double, 4> box = {x - 5, y - 1, x + w + 1, y + h + 1};
    bool overlap = false;
    for (const auto& t : taken)
      overlap |= !(box[2] < t[0] || box[0] > t[2] || box[3] < t[1] || box[1] > t[3]);
    if (overlap) continue;
    taken.push_back(box);
    cairo_arc(cr, v.px(p->site.x), v.py(p->site.y), 1.6, 0, 2 * M_PI);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_fill(cr);
    halo_text(cr, p->name, x, y, size, bold, 120);
    ++shown;
  }
}

void scale_bar(cairo_t* cr, const View& v) {
  const double target_m = 110 / v.scale;
  const double base = std::pow(10.0, std::floor(std::log10(target_m)));
  double nice = base;
  for (double f : {1.0, 2.0, 5.0})
    if (base * f <= target_m) nice = base * f;
  const double len = nice * v.scale;
  const double x = kMapX + 10, y = kMapY + kMapH - 18;
  cairo_rectangle(cr, x - 4, y - 12, len + 40, 24);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
  cairo_fill(cr);
  for (int i = 0; i < 2; ++i) {
    cairo_rectangle(cr, x + i * len / 2, y, len / 2, 4);
    if (i == 0)
      cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    else
      cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
  }
  const std::string label = nice >= 1000 ? fixed(nice / 1000, 0) + " km" : fixed(nice, 0) + " m";
  text(cr, "0", x - 2, y - 11, 20, {6.5});
  text(cr, label, x + len - 20, y - 11, 56, {6.5});
}

void north_arrow(cairo_t* cr) {
  const double x = kMapX + kMapW - 22, y = kMapY + 14;
  cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
  cairo_rectangle(cr, x - 12, y - 8, 24, 38);
  cairo_fill(cr);
  cairo_move_to(cr, x, y + 10);
  cairo_line_to(cr, x - 7, y + 28);
  cairo_line_to(cr, x, y + 23);
  cairo_close_path(cr);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_fill(cr);
  cairo_move_to(cr, x, y + 10);
  cairo_line_to(cr, x + 7, y + 28);
  cairo_line_to(cr, x, y + 23);
  cairo_close_path(cr);
  cairo_set_line_width(cr, 0.7);
  cairo_stroke(cr);
  text(cr, "N", x - 10, y - 6, 20, {8, true, Align::centre});
}

void page_frame(cairo_t* cr, const std::string& title, const std::string& subtitle, int page,
                int pages) {
  text(cr, title, kM, kM - 6, kW - 2 * kM, {15, true});
  text(cr, subtitle, kM, kM + 16, kW - 2 * kM, {9, false, Align::left, 1, {0.35, 0.35, 0.35}});
  cairo_move_to(cr, kM, kMapY - 8);
  cairo_line_to(cr, kW - kM, kMapY - 8);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  cairo_set_line_width(cr, 0.5);
  cairo_stroke(cr);
  const double fy = kH - kM - 10;
  text(cr, kAttribution, kM, fy, kW - 2 * kM - 90, {7, false, Align::left, 1, {0.3, 0.3, 0.3}});
  text(cr, "Page " + std::to_string(page) + " of " + std::to_string(pages), kW - kM - 90, fy, 90,
       {7, false, Align::right, 1, {0.3, 0.3, 0.3}});
}

// Rows of label: value in the panel; returns the y after the table.
double key_values(cairo_t* cr, double y,
                  const std::vector<std::pair<std::string, std::string>>& kv) {
  for (const auto& [k, val] : kv) {
    const double kw = 120;
    text(cr, k, kPanelX, y, kw - 4, {8, false, Align::left, 1, {0.35, 0.35, 0.35}});
    const double h = text(cr, val, kPanelX + kw, y, kPanelW - kw, {8, true, Align::left, 2});
    y += std::max(h, 11.0) + 1.5;
  }
  return y;
}

double heading(cairo_t* cr, double y, const std::string& s) {
  text(cr, s, kPanelX, y, kPanelW, {9.5, true, Align::left, 1, {0.15, 0.25, 0.4}});
  return y + 15;
}

std::string rural_label(const std::string& cls) {
  static const std::map<std::string, std::string> k = {
      {"A1", "Urban major conurbation"},
      {"B1", "Urban minor conurbation"},
      {"C1", "Urban city and town"},
      {"C2", "Urban city and town, sparse"},
      {"D1", "Rural town and fringe"},
      {"D2", "Rural town and fringe, sparse"},
      {"E1", "Rural village"},
      {"E2", "Rural village, sparse"},
      {"F1", "Rural hamlets and isolated dwellings"},
      {"F2", "Rural hamlets and isolated dwellings, sparse"},
      {"0", "Urban (ukruc)"},
      {"1", "Rural (ukruc)"},
      {"2", "Highly rural (ukruc)"},
      {"unknown", "Class unknown"}};
  if (cls.find('+') != std::string::npos) {
    std::string joined;
    for (char ch : cls) joined += ch == '+' ? std::string(", ") : std::string(1, ch);
    return joined + " (combined)";
  }
  auto it = k.find(cls);
  return it == k.end() ? cls : cls + " " + it->second;
}

double rural_chart(cairo_t* cr, double y, double bottom, const std::vector<ClassDemand>& cls) {
  y = heading(cr, y, "Weekly hours by rural class");
  if (cls.empty()) {
    text(cr, "No units in this zone.", kPanelX, y, kPanelW, {8});
    return y + 12;
  }
  double max_h = 0;
  for (const auto& c : cls)
    if (c.hours) max_h = std::max(max_h, *c.hours);
  const double row = std::clamp((bottom - y) / static_cast<double>(cls.size()), 6.0, 13.0);
  const double label_w = 120, bar_x = kPanelX + label_w + 4, bar_w = kPanelW - label_w - 50;
  const double size = std::min(7.5, row - 3);
  for (const auto& c : cls) {
    if (y + row > bottom) break;
    text(cr, rural_label(c.cls), kPanelX, y, label_w, {size});
    if (c.hours) {
      const double w = max_h > 0 ? bar_w * *c.hours / max_h : 0;
      cairo_rectangle(cr, bar_x, y + 1, std::max(w, 0.5), row - 3);
      set(cr, c.rural ? hex(0x4d9a3c) : hex(0x7f8fa6));
      cairo_fill(cr);
      text(cr, grouped(*c.hours), bar_x + w + 3, y, kPanelX + kPanelW - (bar_x + w + 3), {size});
    } else {
      text(cr, "fewer than 5 customers", bar_x, y, bar_w + 46,
           {size, false, Align::left, 1, {0.45, 0.45, 0.45}});
    }
    y += row;
  }
  return y + 4;
}

struct DensityScale {
  std::vector<double> breaks;  // upper bounds of classes 0..n-2
  int cls(double d) const {
    int i = 0;
    while (i < static_cast<int>(breaks.size()) && d > breaks[i]) ++i;
    return i;
  }
};

DensityScale density_scale(const PackContext& ctx) {
  std::vector<double> d;
  for (std::size_t i = 0; i < ctx.demand.size(); ++i)
    if (ctx.demand[i].hours && *ctx.demand[i].hours > 0 && ctx.sector_area_m2[i] > 0)
      d.push_back(*ctx.demand[i].hours / (ctx.sector_area_m2[i] / 1e6));
  std::sort(d.begin(), d.end());
  DensityScale s;
  if (d.empty()) return s;
  for (int q = 1; q < static_cast<int>(kDensity.size()); ++q) {
    const double b = d[std::min(d.size() - 1, d.size() * q / kDensity.size())];
    if (s.breaks.empty() || b > s.breaks.back()) s.breaks.push_back(b);
  }
  return s;
}

void hatch(cairo_t* cr, const View& v, const geo::MultiPolygon& mp) {
  cairo_save(cr);
  path(cr, v, mp);
  cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
  cairo_fill_preserve(cr);
  cairo_clip(cr);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  cairo_set_line_width(cr, 0.4);
  for (double t = -kMapH; t < kMapW + kMapH; t += 5) {
    cairo_move_to(cr, kMapX + t, kMapY);
    cairo_line_to(cr, kMapX + t - kMapH, kMapY + kMapH);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

double density_legend(cairo_t* cr, double y, const DensityScale& s) {
  y = heading(cr, y, "Weekly hours per km\u00b2 by postcode sector");
  const int n = static_cast<int>(s.breaks.size()) + 1;
  for (int i = 0; i < n; ++i) {
    const double lo = i == 0 ? 0 : s.breaks[i - 1];
    const std::string label =
        i + 1 < n ? grouped(lo) + " \u2013 " + grouped(s.breaks[i]) : "over " + grouped(lo);
    cairo_rectangle(cr, kPanelX, y + 1, 14, 8);
    set(cr, hex(kDensity[std::min<std::size_t>(i * kDensity.size() / std::max(n, 1),
                                               kDensity.size() - 1)]));
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.3);
    cairo_stroke(cr);
    text(cr, label, kPanelX + 20, y, kPanelW - 20, {7.5});
    y += 11;
  }
  cairo_rectangle(cr, kPanelX, y + 1, 14, 8);
  cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
  cairo_fill(cr);
  text(cr, "fewer than 5 customers (not shown)", kPanelX + 20, y, kPanelW - 20, {7.5});
  return y + 12;
}

Rgb density_colour(const DensityScale& s, double d) {
  const int n = static_cast<int>(s.breaks.size()) + 1;
  const int c = s.cls(d);
  return hex(
      kDensity[std::min<std::size_t>(c * kDensity.size() / std::max(n, 1), kDensity.size() - 1)]);
}

void overview_page(cairo_t* cr, const PackContext& ctx, int pages) {
  const Schedule& s = ctx.schedule;
  const auto& cfg = *ctx.in->config;
  page_frame(cr, "Estimated hours and zone maps \u2013 " + cfg.area.name,
             ctx.in->tender.buyer + " \u00b7 home care tender lots \u00b7 overview of " +
                 std::to_string(s.zones.size()) + " zones and " + std::to_string(s.lots.size()) +
                 " lots",
             1, pages);
  frame(cr);
  const View v = View::fit(union_box(ctx.zone_shapes), 0.04);
  cairo_save(cr);
  clip_frame(cr);
  for (std::size_t z = 0; z < ctx.zone_shapes.size(); ++z) {
    path(cr, v, ctx.zone_shapes[z]);
    set(cr, zone_colour(static_cast<int>(z)));
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
  }
  roads(cr, v, ctx.in->roads, true);
  for (std::size_t z = 0; z < ctx.zone_shapes.size(); ++z) {
    if (ctx.zone_shapes[z].empty()) continue;
    const geo::Point p = ctx.zone_labels[z];
    const double x = v.px(p.x), y = v.py(p.y);
    cairo_arc(cr, x, y, 9, 0, 2 * M_PI);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    text(cr, std::to_string(z + 1), x - 9, y - 5.5, 18, {8, true, Align::centre});
    const std::string& name = s.zones[z].name;
    if (name != "Zone " + std::to_string(z + 1)) {
      const double w = std::min(measure(cr, name, 7.5, true).first, 110.0);
      halo_text(cr, name, x - w / 2, y + 10, 7.5, true, 110);
    }
  }
  cairo_restore(cr);
  frame_border(cr);
  scale_bar(cr, v);
  north_arrow(cr);

  double y = heading(cr, kMapY, "Zones");
  const double row =
      std::clamp((kMapY + kMapH - 110 - y) / std::max<double>(1, s.zones.size()), 7.0, 13.0);
  for (const Zone& z : s.zones) {
    if (y + row > kMapY + kMapH - 110) break;
    cairo_rectangle(cr, kPanelX, y + 1, 12, row - 3);
    set(cr, zone_colour(z.zone - 1));
    cairo_fill(cr);
    const double size = std::min(8.0, row - 3);
    text(cr, std::to_string(z.zone) + "  " + z.name, kPanelX + 16, y, kPanelW - 16 - 70, {size});
    text(cr, grouped(z.hours) + " h/wk", kPanelX + kPanelW - 70, y, 70,
         {size, false, Align::right});
    y += row;
  }
  y += 8;
  y = heading(cr, y, "All zones");
  key_values(
      cr, y,
      {{"Estimated weekly hours", grouped(s.totals.weekly_hours)},
       {"Annual hours", grouped(s.totals.annual_hours)},
       {"Estimated annual value",
        money(s.totals.value_low) + " \u2013 " + money(s.totals.value_high)},
       {"Contract", std::to_string(ctx.in->tender.contract_years) + " years + " +
                        std::to_string(ctx.in->tender.extension_years) + " from " +
                        ctx.in->tender.start_date},
       {"Lots", std::to_string(s.lots.size()) + " (see the zone pages)"},
       {"Demand in no zone", grouped(ctx.metrics ? ctx.metrics->unassigned_hours : 0) + " h/wk"}});
}

// A call-gap figure beside its threshold ("8.4 min (limit 15)"); "not shown" for a zone
// with fewer than 5 customers (docs/disclosure.md), a dash without a round estimate.
std::string call_gap_text(const Zone& zn, double value, double threshold, const char* unit) {
  if (!zn.rounds) return "\u2013";
  if (!zn.call_gaps_disclosed()) return "not shown (fewer than 5 customers)";
  return fixed(value, 1) + unit + " (threshold " + fixed(threshold, 0) + unit + ")";
}

void zone_page(cairo_t* cr, const PackContext& ctx, int z, const DensityScale& ds, int pages) {
  const Schedule& s = ctx.schedule;
  const Zone& zn = s.zones[z];
  std::string title = "Zone " + std::to_string(zn.zone);
  if (zn.name != title) title += " \u2013 " + zn.name;
  std::string sub = ctx.in->tender.buyer + " \u00b7 ";
  std::string lot_names;
  for (const LotRow& r : s.lots)
    if (r.zone == zn.zone) lot_names += (lot_names.empty() ? "" : ", ") + ("Lot " + r.lot_id);
  sub += lot_names;
  if (!zn.tier.empty()) sub += " \u00b7 tier " + zn.tier;
  page_frame(cr, title, sub, z + 2, pages);
  frame(cr);
  const geo::MultiPolygon& shape = ctx.zone_shapes[z];
  const View v = View::fit(shape.empty() ? geo::Box{0, 0, 1000, 1000} : geo::bounds(shape), 0.08);
  cairo_save(cr);
  clip_frame(cr);
  for (std::size_t o = 0; o < ctx.zone_shapes.size(); ++o) {  // neighbours greyed
    if (static_cast<int>(o) == z || ctx.zone_shapes[o].empty()) continue;
    path(cr, v, ctx.zone_shapes[o]);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
  }
  path(cr, v, shape);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill(cr);
  // Demand shaded by postcode-sector area (never points); suppressed sectors hatched.
  for (std::size_t i = 0; i < ctx.sector_shapes.size(); ++i) {
    const SectorDemand& d = ctx.demand[i];
    for (const auto& [lot, mp] : ctx.sector_shapes[i]) {
      if (lot != z) continue;
      if (d.suppressed) {
        hatch(cr, v, mp);
        continue;
      }
      if (!d.hours || *d.hours <= 0 || ctx.sector_area_m2[i] <= 0) continue;
      path(cr, v, mp);
      set(cr, density_colour(ds, *d.hours / (ctx.sector_area_m2[i] / 1e6)));
      cairo_fill(cr);
    }
  }
  roads(cr, v, ctx.in->roads, false);
  path(cr, v, shape);
  cairo_set_source_rgb(cr, 0.1, 0.2, 0.45);
  cairo_set_line_width(cr, 2.2);
  cairo_stroke(cr);
  places(cr, v, ctx.in->roads, 2, 28);
  cairo_restore(cr);
  frame_border(cr);
  scale_bar(cr, v);
  north_arrow(cr);

  // Panel: figures, lots, chart, legend.
  double y = heading(cr, kMapY, "Zone figures");
  const auto cust = disclosed_customers(zn.customers);
  const LotRow& sums = s.zone_totals[z];
  std::string places_text;
  for (const auto& p : zn.places) places_text += (places_text.empty() ? "" : ", ") + p;
  y = key_values(
      cr, y,
      {{"Estimated weekly hours", grouped(zn.hours, 0)},
       {"Customers", cust ? grouped(static_cast<double>(*cust)) : "fewer than 5"},
       {"Annual hours", grouped(zn.hours * kWeeksPerYear)},
       {"Annual value", money(sums.value_low) + " \u2013 " + money(sums.value_high)},
       {"Rural share of hours", fixed(zn.hours > 0 ? 100 * zn.rural_hours / zn.hours : 0, 0) + "%"},
       {"Unmet weekly hours", grouped(zn.unmet_hours)},
       {"Care workers needed", fixed(sums.workers, 1)},
       {"Mean travel (min)", fixed(zn.travel_min, 1)},
       {"Call gap, median", call_gap_text(zn, zn.rounds ? zn.rounds->call_gap_median_min : 0,
                                          geo::kGapThresholdMinutes, " min")},
       {"Call gap, 90th pct", call_gap_text(zn, zn.rounds ? zn.rounds->call_gap_p90_min : 0,
                                            geo::kGapThresholdMinutes, " min")},
       {"Call gap, median miles",
        call_gap_text(zn, zn.rounds ? zn.rounds->call_gap_median_miles : 0, geo::kGapThresholdMiles,
                      " mi")},
       {"Travel cost / contact h",
        zn.rounds ? money2(zn.rounds->travel_cost_per_contact_hour) : "\u2013"},
       {"Area", fixed(zn.area_km2, 1) + " km\u00b2"},
       {"Main places", places_text.empty() ? "\u2013" : places_text}});
  y += 4;
  y = heading(cr, y, "Lots");
  const double cols[] = {0, 44, 130, 168, 218};
  const char* head[] = {"Lot", "Role", "Share", "Hours/wk", "Workers"};
  for (int c = 0; c < 5; ++c)
    text(cr, head[c], kPanelX + cols[c], y, (c < 4 ? cols[c + 1] : kPanelW) - cols[c] - 3,
         {7.5, true, c >= 2 ? Align::right : Align::left});
  y += 11;
  for (const LotRow& r : s.lots) {
    if (r.zone != zn.zone) continue;
    const std::string cells[] = {"Lot " + r.lot_id, r.role, fixed(r.share * 100, 0) + "%",
                                 grouped(r.weekly_hours, 0), fixed(r.workers, 1)};
    for (int c = 0; c < 5; ++c)
      text(cr, cells[c], kPanelX + cols[c], y, (c < 4 ? cols[c + 1] : kPanelW) - cols[c] - 3,
           {7.5, false, c >= 2 ? Align::right : Align::left});
    y += 11;
  }
  y += 6;
  const double legend_h = 15 + 11.0 * (ds.breaks.size() + 2);
  y = rural_chart(cr, y, kMapY + kMapH - legend_h - 6,
                  rural_class_demand(*ctx.in->graph, *ctx.in->plan, z));
  density_legend(cr, std::max(y, kMapY + kMapH - legend_h), ds);
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

}  // namespace

void write_zone_maps_pdf(const std::filesystem::path& file, const PackContext& ctx) {
  const auto& cfg = *ctx.in->config;
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_pdf_surface_create(file.c_str(), kW, kH));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw geo::DataError(geo::where(file) +
                         cairo_status_to_string(cairo_surface_status(surface.get())));
  // Fixed dates: byte-identical reruns.
  const std::string date = ctx.in->tender.start_date + "T00:00:00";
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  const std::string title = "Estimated hours and zone maps \u2013 " + cfg.area.name;
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR,
                                 ctx.in->tender.buyer.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Lotwright");
  std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(surface.get()));
  const int pages = static_cast<int>(ctx.schedule.zones.size()) + 1;
  auto page_progress = [&](int page) {
    geo::report_progress(
        ctx.in->progress, "tender",
        "zone-maps.pdf page " + std::to_string(page) + " of " + std::to_string(pages), page - 1,
        pages);
  };
  page_progress(1);
  overview_page(cr.get(), ctx, pages);
  cairo_show_page(cr.get());
  const DensityScale ds = density_scale(ctx);
  for (int z = 0; z < static_cast<int>(ctx.schedule.zones.size()); ++z) {
    page_progress(z + 2);
    zone_page(cr.get(), ctx, z, ds, pages);
    cairo_show_page(cr.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw geo::DataError(geo::where(file) +
                         cairo_status_to_string(cairo_surface_status(surface.get())));
}

}  // namespace lotwright::tender::detail
