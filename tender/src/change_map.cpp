// The map of the changes between two plans (change_map.hpp), drawn with the zone maps'
// primitives (maps_draw.hpp): page template, map frame, roads, towns, scale bar, panel.
#include "lotwright/tender/change_map.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <map>
#include <memory>

#include "lotwright/core/error.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/io.hpp"
#include "maps_draw.hpp"
#include "text.hpp"

namespace lotwright::tender {
namespace fs = std::filesystem;

namespace {

using namespace detail::maps;

const Rgb kKept = {0.94, 0.94, 0.91};        // a postcode that keeps its lot
const Rgb kOtherMoves = {0.55, 0.55, 0.55};  // the moves past kChangeMapMoves
const Rgb kBoundaryB = {0.12, 0.14, 0.2};    // plan B's lot boundaries (solid)
const Rgb kBoundaryA = {0.85, 0.05, 0.45};   // plan A's lot boundaries (dashed)

Rgb move_colour(int move) {
  if (move >= kChangeMapMoves) return kOtherMoves;
  const geo::LotRgb c = geo::lot_rgb(move);
  return {c.r / 255.0, c.g / 255.0, c.b / 255.0};
}

std::string lot_label(const geo::Plan& p, int lot) {
  if (lot < 0) return "(no lot)";
  std::string s = std::to_string(lot + 1);
  if (lot < static_cast<int>(p.name.size()) && !p.name[lot].empty()) s += " " + p.name[lot];
  return s;
}

bool has_cell(const ChangeMapInputs& in, std::size_t u) {
  const auto& units = in.units->units;
  return u < units.size() && units[u].id == in.graph->id[u] && !units[u].cell.empty();
}

// Each lot of the plan dissolved from its units' cells.
std::vector<geo::MultiPolygon> lot_shapes(const ChangeMapInputs& in, const geo::Plan& plan) {
  std::vector<std::vector<const geo::MultiPolygon*>> cells(
      static_cast<std::size_t>(std::max(plan.lot_count, 0)));
  for (std::size_t u = 0; u < in.graph->size() && u < plan.lot_of.size(); ++u) {
    const int l = plan.lot_of[u];
    if (l >= 0 && l < plan.lot_count && has_cell(in, u))
      cells[l].push_back(&in.units->units[u].cell);
  }
  std::vector<geo::MultiPolygon> out;
  for (const auto& c : cells) out.push_back(c.empty() ? geo::MultiPolygon{} : geo::dissolve(c));
  return out;
}

// Everything drawn, computed once for the PDF and the PNG.
struct Layout {
  View view;
  std::vector<int> move_of;  // per unit: index into comparison->flows, -1 kept
  std::vector<geo::MultiPolygon> lots_a, lots_b;
};

Layout make_layout(const ChangeMapInputs& in) {
  Layout l;
  const geo::PlanComparison& c = *in.comparison;
  std::map<std::pair<int, int>, int> move;
  for (std::size_t i = 0; i < c.flows.size(); ++i)
    move[{c.flows[i].lot_a, c.flows[i].lot_b}] = static_cast<int>(i);
  l.move_of.assign(in.graph->size(), -1);
  for (const auto& pc : c.changed) l.move_of[pc.unit] = move.at({pc.lot_a, pc.lot_b});
  l.lots_a = lot_shapes(in, *in.a);
  l.lots_b = lot_shapes(in, *in.b);
  std::vector<geo::MultiPolygon> all = l.lots_b;
  all.insert(all.end(), l.lots_a.begin(), l.lots_a.end());
  l.view = View::fit(union_box(all), 0.02);
  return l;
}

// The cells of one class (kept, or one move) as one path, filled once (no seams).
void fill_cells(cairo_t* cr, const ChangeMapInputs& in, const Layout& l, int cls, Rgb colour) {
  bool any = false;
  for (std::size_t u = 0; u < in.graph->size(); ++u) {
    const int m = l.move_of[u];
    const int mine = m < 0 ? -1 : std::min(m, kChangeMapMoves);
    if (mine != cls || !has_cell(in, u)) continue;
    path(cr, l.view, in.units->units[u].cell);
    any = true;
  }
  if (!any) return;
  set(cr, colour);
  cairo_fill(cr);
}

void boundaries(cairo_t* cr, const View& v, const std::vector<geo::MultiPolygon>& lots, Rgb colour,
                double width, bool dashed) {
  for (const auto& mp : lots) path(cr, v, mp);
  set(cr, colour);
  cairo_set_line_width(cr, width);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  if (dashed) {
    const double dash[] = {3.5, 2.5};
    cairo_set_dash(cr, dash, 2, 0);
  }
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
}

void draw_map(cairo_t* cr, const ChangeMapInputs& in, const Layout& l) {
  frame(cr);
  cairo_save(cr);
  clip_frame(cr);
  fill_cells(cr, in, l, -1, kKept);
  for (int m = 0; m <= kChangeMapMoves; ++m) fill_cells(cr, in, l, m, move_colour(m));
  roads(cr, l.view, in.roads, true);
  boundaries(cr, l.view, l.lots_b, kBoundaryB, 1.3, false);
  boundaries(cr, l.view, l.lots_a, kBoundaryA, 0.9, true);
  Labels labels;
  for (std::size_t b = 0; b < l.lots_b.size(); ++b) {
    if (l.lots_b[b].empty()) continue;
    const geo::Point p = geo::label_point(l.lots_b[b]);
    const std::string s = std::to_string(b + 1);
    const auto [w, h] = measure(cr, s, 9, true);
    const double x = l.view.px(p.x) - w / 2, y = l.view.py(p.y) - h / 2;
    labels.take({x - 1, y - 1, x + w + 1, y + h + 1});
    halo_text(cr, s, x, y, 9, true, 40);
  }
  places(cr, l.view, in.roads, 1, 10, labels);
  cairo_restore(cr);
  scale_bar(cr, l.view);
  north_arrow(cr);
  frame_border(cr);
}

// A legend row: a swatch (filled, or a line sample), the label, the value on the right.
double legend_row(cairo_t* cr, double y, Rgb colour, const std::string& label,
                  const std::string& value, int kind = 0) {
  if (kind == 0) {
    cairo_rectangle(cr, kPanelX, y + 1.5, 10, 8);
    set(cr, colour);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
  } else {
    cairo_move_to(cr, kPanelX, y + 5.5);
    cairo_line_to(cr, kPanelX + 14, y + 5.5);
    set(cr, colour);
    cairo_set_line_width(cr, kind == 1 ? 1.3 : 0.9);
    if (kind == 2) {
      const double dash[] = {3.5, 2.5};
      cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
  const double vw = value.empty() ? 0 : 52;
  text(cr, label, kPanelX + 18, y, kPanelW - 18 - vw, {7.5});
  if (!value.empty()) text(cr, value, kPanelX + kPanelW - vw, y, vw, {7.5, true, Align::right});
  return y + 12;
}

void draw_panel(cairo_t* cr, const ChangeMapInputs& in) {
  const geo::PlanComparison& c = *in.comparison;
  int with_hours = 0;
  for (const auto& pc : c.changed) with_hours += pc.hours > 0;
  double y = heading(cr, kMapY, "Hours that change lot");
  const double pct = c.total_hours > 0 ? 100 * c.changed_hours / c.total_hours : 0;
  y = key_values(cr, y,
                 {{"hours moved", grouped(c.changed_hours, 1) + " of " + grouped(c.total_hours, 1) +
                                      " h (" + fixed(pct, 1) + "%)"},
                  {"postcodes", grouped(static_cast<double>(c.changed.size())) + " (" +
                                    grouped(with_hours) + " with hours)"},
                  {"kept share", fixed(100 * c.kept_share, 1) + "%"},
                  {"lots", "A " + std::to_string(in.a->lot_count) + ", B " +
                               std::to_string(in.b->lot_count)}});
  y = heading(cr, y + 6, "Moves: lot in A \u2192 lot in B");
  if (c.flows.empty()) y = text(cr, "No postcode changes lot.", kPanelX, y, kPanelW, {8}) + y + 4;
  double other_h = 0;
  int other_n = 0;
  for (std::size_t i = 0; i < c.flows.size(); ++i) {
    const geo::LotFlow& f = c.flows[i];
    if (static_cast<int>(i) >= kChangeMapMoves) {
      other_h += f.hours, ++other_n;
      continue;
    }
    y = legend_row(cr, y, move_colour(static_cast<int>(i)),
                   lot_label(*in.a, f.lot_a) + " \u2192 " + lot_label(*in.b, f.lot_b),
                   grouped(f.hours, 1) + " h");
  }
  if (other_n > 0)
    y = legend_row(cr, y, kOtherMoves, std::to_string(other_n) + " smaller moves",
                   grouped(other_h, 1) + " h");
  y = heading(cr, y + 8, "Key");
  y = legend_row(cr, y, kKept, "postcode keeps its lot (the match of its lot in A)", "");
  y = legend_row(cr, y, kBoundaryB, "lot boundary in B (numbers: B's lots)", "", 1);
  y = legend_row(cr, y, kBoundaryA, "lot boundary in A", "", 2);
  const geo::ReletSummary& r = c.relet;
  if (!r.lots.empty()) {
    std::string lots;
    for (int l : r.lots) lots += (lots.empty() ? "" : ", ") + lot_label(*in.a, l);
    y = heading(cr, y + 8, "Re-let lots of A");
    key_values(cr, y,
               {{"lots", lots},
                {"hours in them", grouped(r.hours, 1) + " h"},
                {"kept in their lot", grouped(r.kept_hours, 1) + " h"},
                {"moved between them", grouped(r.moved_within_hours, 1) + " h"},
                {"moved out", grouped(r.moved_out_hours, 1) + " h"},
                {"moved in", grouped(r.moved_in_hours, 1) + " h"},
                {"other lots changed", grouped(r.untouched_changed_hours, 1) + " h"}});
  }
}

void draw_page(cairo_t* cr, const ChangeMapInputs& in, const Layout& l) {
  page_frame(cr, "Changes between two plans \u2013 " + in.area,
             "A: " + in.label_a + "    B: " + in.label_b, 1, 1);
  draw_map(cr, in, l);
  draw_panel(cr, in);
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, ContextDeleter>;

void check_surface(cairo_surface_t* s, const fs::path& file) {
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
    throw geo::DataError(geo::where(file) + "cannot draw the change map (" +
                         cairo_status_to_string(cairo_surface_status(s)) + ")");
}

void write_pdf(const fs::path& file, const ChangeMapInputs& in, const Layout& l) {
  geo::write_atomic(file, [&](const fs::path& tmp) {
    SurfacePtr surface(cairo_pdf_surface_create(tmp.c_str(), kW, kH));
    check_surface(surface.get(), file);
    // Fixed dates: the same plans give the same file.
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE,
                                   "2000-01-01T00:00:00");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE,
                                   "2000-01-01T00:00:00");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Lotwright");
    CairoPtr cr(cairo_create(surface.get()));
    draw_page(cr.get(), in, l);
    cairo_show_page(cr.get());
    cr.reset();
    cairo_surface_finish(surface.get());
    check_surface(surface.get(), file);
  });
}

void write_png(const fs::path& file, const ChangeMapInputs& in, const Layout& l, int width_px) {
  const int w = std::max(200, width_px);
  const double s = w / kW;
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, static_cast<int>(kH * s)));
  check_surface(surface.get(), file);
  CairoPtr cr(cairo_create(surface.get()));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_scale(cr.get(), s, s);
  draw_page(cr.get(), in, l);
  cr.reset();
  cairo_surface_flush(surface.get());
  check_surface(surface.get(), file);
  geo::write_atomic(file, [&](const fs::path& tmp) {
    if (cairo_surface_write_to_png(surface.get(), tmp.c_str()) != CAIRO_STATUS_SUCCESS)
      throw geo::DataError(geo::where(file) + "cannot write the PNG");
  });
}

}  // namespace

void write_change_map(const fs::path& pdf, const fs::path& png, const ChangeMapInputs& in,
                      int png_width_px) {
  if (!in.graph || !in.units || !in.a || !in.b || !in.comparison)
    throw geo::UsageError(
        "the change map needs the unit graph, its cells, both plans and "
        "their comparison");
  const Layout l = make_layout(in);
  if (!pdf.empty()) write_pdf(pdf, in, l);
  if (!png.empty()) write_png(png, in, l, png_width_px);
}

}  // namespace lotwright::tender
