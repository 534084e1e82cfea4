// Drawing primitives of zone-maps.pdf (maps_draw.hpp).
#include "maps_draw.hpp"

#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "lotwright/core/palette.hpp"
#include "lotwright/gis/geometry.hpp"
#include "text.hpp"

namespace lotwright::tender::detail::maps {

Rgb hex(unsigned v) {
  return {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0};
}

void set(cairo_t* cr, Rgb c, double a) { cairo_set_source_rgba(cr, c.r, c.g, c.b, a); }

// Zone colours: the one zone colouring every output uses (geo::zone_colours, ctx.zone_colour).
Rgb zone_colour(const PackContext& ctx, int zone_index) {
  const auto z = static_cast<std::size_t>(zone_index);
  const geo::LotRgb c = geo::lot_rgb(z < ctx.zone_colour.size() ? ctx.zone_colour[z] : zone_index);
  return {c.r / 255.0, c.g / 255.0, c.b / 255.0};
}

namespace {

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
}  // namespace

// Draws text in a box of width w at (x, y) (top-left); returns the height used.
double text(cairo_t* cr, const std::string& s, double x, double y, double w, const TextStyle& st) {
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

// Place names inside the frame, most important first (city, town, village; then by name),
// each dropped when it would overlap a label already placed. Returns the names shown.
namespace {

// Where a label of w x h may go around a place's dot at (px, py): top-left corners, nearest
// first: right, left, above, below the dot; with far, then 8 directions at 10 and 18 points
// (a leader line joins those to the dot).
std::vector<std::pair<double, double>> label_spots(double px, double py, double w, double h,
                                                   bool far) {
  std::vector<std::pair<double, double>> at = {{px + 3, py - h / 2},
                                               {px - 3 - w, py - h / 2},
                                               {px - w / 2, py - h - 2},
                                               {px - w / 2, py + 2}};
  if (!far) return at;
  for (const double d : {10.0, 18.0})
    for (int k = 0; k < 8; ++k) {
      const double a = k * M_PI / 4, cx = px + d * std::cos(a), cy = py + d * std::sin(a);
      const double x = std::cos(a) > 0.3 ? cx : std::cos(a) < -0.3 ? cx - w : cx - w / 2;
      const double y = std::sin(a) > 0.3 ? cy : std::sin(a) < -0.3 ? cy - h : cy - h / 2;
      at.emplace_back(x, y);
    }
  return at;
}

}  // namespace

int places(cairo_t* cr, const View& v, const geo::RoadNetwork* net, int max_rank, int limit,
           Labels& labels, bool persist) {
  if (!net) return 0;
  std::vector<const geo::Place*> ps;
  for (const auto& p : net->places)
    if (!p.name.empty() && place_rank(p.kind) <= max_rank && v.inside(p.site.x, p.site.y))
      ps.push_back(&p);
  std::sort(ps.begin(), ps.end(), [](const geo::Place* a, const geo::Place* b) {
    const int ra = place_rank(a->kind), rb = place_rank(b->kind);
    return ra != rb ? ra < rb : a->name < b->name;
  });
  int shown = 0;
  for (const geo::Place* p : ps) {
    if (shown >= limit) break;
    const double full = place_rank(p->kind) <= 1 ? 8.5 : 7;
    const bool bold = place_rank(p->kind) <= 1;
    const double px = v.px(p->site.x), py = v.py(p->site.y);
    const Labels::Box dot = {px - 2, py - 2, px + 2, py + 2};
    if (!labels.fits(dot)) continue;
    // Right of the dot, else left, above, below: the first free position; persisting, the
    // same smaller, then further away with a leader line.
    bool placed = false;
    for (int pass = 0; pass < (persist ? 3 : 1) && !placed; ++pass) {
      const double size = pass == 0 ? full : full - 1.5;
      auto [w, h] = measure(cr, p->name, size, bold);
      w = std::min(w, 120.0);
      for (const auto& [x, y] : label_spots(px, py, w, h, pass == 2)) {
        const Labels::Box text_box = {x - 1, y - 1, x + w + 1, y + h + 1};
        if (!labels.fits(text_box)) continue;
        labels.take(text_box);
        labels.take(dot);
        if (x > px + 4 || x + w < px - 4 || y > py + 4 || y + h < py - 4) {  // a leader line
          cairo_move_to(cr, px, py);
          cairo_line_to(cr, std::clamp(px, x, x + w), std::clamp(py, y, y + h));
          cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
          cairo_set_line_width(cr, 0.5);
          cairo_stroke(cr);
        }
        cairo_arc(cr, px, py, 1.6, 0, 2 * M_PI);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_fill(cr);
        halo_text(cr, p->name, x, y, size, bold, 120);
        placed = true;
        break;
      }
    }
    if (!placed) continue;
    ++shown;
  }
  return shown;
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

}  // namespace lotwright::tender::detail::maps
