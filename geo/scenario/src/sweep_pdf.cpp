// sweep.pdf (trade-off charts, small multiples of the scenario maps, the comparison table)
// and the scenario map PNGs, with cairo and pango.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <set>

#include "lotwright/core/error.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/scenario/sweep.hpp"
#include "report_draw.hpp"

namespace lotwright::geo {
namespace fs = std::filesystem;

namespace {

using report::fixed;
using report::kPageH;
using report::kPageW;
using report::number3;
using report::text;

struct CairoDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;

// The colour of a travel limit among the sweep's limits.
void series_colour(cairo_t* cr, int i) {
  const LotRgb c = lot_rgb(i);
  cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

// A scatter chart of y against x in the box (x0, y0, w, h); one series per travel limit;
// Pareto rows ringed, infeasible rows hollow.
void chart(cairo_t* cr, const std::vector<SweepRow>& rows, const std::set<int>& pareto,
           const std::vector<double>& limits, const std::string& xname, const std::string& yname,
           const std::string& title, double x0, double y0, double w, double h) {
  text(cr, title, x0, y0 - 18, 10, true);
  double xmin = std::numeric_limits<double>::max(), xmax = -xmin, ymin = xmin, ymax = -xmin;
  for (const auto& r : rows) {
    const double x = r.figure(xname), y = r.figure(yname);
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    xmin = std::min(xmin, x), xmax = std::max(xmax, x);
    ymin = std::min(ymin, y), ymax = std::max(ymax, y);
  }
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  cairo_set_line_width(cr, 0.8);
  cairo_rectangle(cr, x0, y0, w, h);
  cairo_stroke(cr);
  if (xmin > xmax) {
    text(cr, "no figures", x0 + 10, y0 + 10, 8);
    return;
  }
  if (xmax - xmin < 1e-9) xmin -= 1, xmax += 1;
  if (ymax - ymin < 1e-9) ymin -= 1, ymax += 1;
  const double px = (xmax - xmin) * 0.06, py = (ymax - ymin) * 0.08;
  xmin -= px, xmax += px, ymin -= py, ymax += py;
  auto X = [&](double v) { return x0 + (v - xmin) / (xmax - xmin) * w; };
  auto Y = [&](double v) { return y0 + h - (v - ymin) / (ymax - ymin) * h; };
  for (int t = 0; t <= 4; ++t) {
    const double xv = xmin + (xmax - xmin) * t / 4, yv = ymin + (ymax - ymin) * t / 4;
    auto decimals = [](double range) { return range > 8 ? 0 : range > 0.8 ? 1 : 2; };
    text(cr, fixed(xv, decimals(xmax - xmin)), X(xv) - 8, y0 + h + 3, 7);
    text(cr, fixed(yv, decimals(ymax - ymin)), x0 - 4, Y(yv) - 5, 7, false, true);
  }
  text(cr, xname, x0 + w / 2 - 30, y0 + h + 14, 8);
  text(cr, yname, x0, y0 + 2, 7);
  for (std::size_t li = 0; li < limits.size(); ++li) {
    std::vector<const SweepRow*> pts;
    for (const auto& r : rows)
      if (r.max_travel_min == limits[li] && std::isfinite(r.figure(xname)) &&
          std::isfinite(r.figure(yname)))
        pts.push_back(&r);
    series_colour(cr, static_cast<int>(li));
    cairo_set_line_width(cr, 1.2);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const double x = X(pts[i]->figure(xname)), y = Y(pts[i]->figure(yname));
      cairo_arc(cr, x, y, 3, 0, 2 * M_PI);
      if (pts[i]->figure("feasible") == 1)
        cairo_fill(cr);
      else
        cairo_stroke(cr);
      if (pareto.count(pts[i]->scenario)) {
        cairo_arc(cr, x, y, 6, 0, 2 * M_PI);
        cairo_stroke(cr);
      }
    }
  }
  // Legend.
  for (std::size_t li = 0; li < limits.size(); ++li) {
    const double ly = y0 + 6 + 11 * static_cast<double>(li);
    series_colour(cr, static_cast<int>(li));
    cairo_arc(cr, x0 + w - 70, ly + 5, 3, 0, 2 * M_PI);
    cairo_fill(cr);
    text(cr, fixed(limits[li], 1) + " min", x0 + w - 62, ly, 7);
  }
}

std::string row_label(const SweepRow& r) {
  std::string s = r.mode == "lots" ? std::to_string(r.lots_asked) + " lots" : r.tiers_set;
  s += ", " + fixed(r.max_travel_min, 1) + " min";
  if (r.mode == "lots") s += ", ±" + fixed(100 * r.tolerance, 1) + "%";
  return s;
}

void maps_pages(cairo_t* cr, const std::vector<SweepRow>& rows, const std::set<int>& pareto,
                const fs::path& maps_dir, const std::string& title) {
  constexpr int kCols = 4, kRows = 3;
  const double cw = (kPageW - 60) / kCols, ch = (kPageH - 70) / kRows;
  int k = 0;
  for (const auto& r : rows) {
    const fs::path png = maps_dir / (number3(r.scenario) + ".png");
    if (!fs::exists(png)) continue;
    if (k % (kCols * kRows) == 0) {
      if (k > 0) cairo_show_page(cr);
      text(cr, title + ": candidate plans (ringed: Pareto set)", 30, 18, 13, true);
    }
    const int i = k % (kCols * kRows);
    const double x = 30 + (i % kCols) * cw, y = 48 + (i / kCols) * ch;
    SurfacePtr img(cairo_image_surface_create_from_png(png.c_str()));
    if (cairo_surface_status(img.get()) == CAIRO_STATUS_SUCCESS) {
      const double iw = cairo_image_surface_get_width(img.get());
      const double ih = cairo_image_surface_get_height(img.get());
      const double s = std::min((cw - 10) / iw, (ch - 36) / ih);
      cairo_save(cr);
      cairo_translate(cr, x, y + 14);
      cairo_scale(cr, s, s);
      cairo_set_source_surface(cr, img.get(), 0, 0);
      cairo_paint(cr);
      cairo_restore(cr);
    }
    text(cr, "#" + std::to_string(r.scenario) + " " + row_label(r), x, y, 8,
         pareto.count(r.scenario) > 0);
    text(cr,
         "travel " + fixed(r.figure("mean_travel_min"), 1) + " min, p90 gap " +
             fixed(r.figure("call_gap_p90_min"), 1) + " min" +
             (r.figure("feasible") == 1 ? "" : ", NOT feasible"),
         x, y + ch - 22, 7);
    ++k;
  }
  if (k > 0) cairo_show_page(cr);
}

void table_pages(cairo_t* cr, const std::vector<SweepRow>& rows, const std::set<int>& pareto,
                 const std::string& title) {
  struct Col {
    const char* head;
    const char* key;
    int decimals;
  };
  const std::vector<Col> cols = {{"lots", "lots", 0},
                                 {"feasible", "feasible", 0},
                                 {"travel min", "mean_travel_min", 1},
                                 {"max min", "max_travel_min", 1},
                                 {"dev %", "max_deviation_pct", 1},
                                 {"in band", "lots_within_band", 0},
                                 {"lot h/wk", "mean_lot_hours", 0},
                                 {"lot £/yr", "mean_lot_value_gbp", 0},
                                 {"workers", "workers_needed", 0},
                                 {"gap med", "call_gap_median_min", 1},
                                 {"gap p90", "call_gap_p90_min", 1},
                                 {"gap %", "gap_pct", 1}};
  constexpr int kPerPage = 34;
  for (std::size_t start = 0; start < rows.size(); start += kPerPage) {
    text(cr, title + ": scenarios compared (* Pareto set)", 30, 18, 13, true);
    double y = 50;
    text(cr, "scenario", 30, y, 8, true);
    for (std::size_t c = 0; c < cols.size(); ++c)
      text(cr, cols[c].head, 250 + 46 * static_cast<double>(c + 1), y, 8, true, true);
    y += 14;
    for (std::size_t i = start; i < std::min(rows.size(), start + kPerPage); ++i) {
      const SweepRow& r = rows[i];
      text(cr,
           (pareto.count(r.scenario) ? "* #" : "  #") + std::to_string(r.scenario) + " " +
               row_label(r),
           30, y, 8);
      for (std::size_t c = 0; c < cols.size(); ++c)
        text(cr, fixed(r.figure(cols[c].key), cols[c].decimals),
             250 + 46 * static_cast<double>(c + 1), y, 8, false, true);
      y += 14;
    }
    text(cr,
         "travel: hours-weighted mean minutes to the lot's hub; dev: largest deviation from the "
         "band; gap med/p90: minutes between consecutive calls (care rounds); gap %: "
         "certificate gap above the lower bound.",
         30, kPageH - 28, 7);
    cairo_show_page(cr);
  }
}

}  // namespace

void write_sweep_pdf(const fs::path& file, const std::vector<SweepRow>& rows,
                     const std::vector<SweepRow>& pareto_set, const fs::path& maps_dir,
                     const std::string& title) {
  std::set<int> pareto;
  for (const auto& r : pareto_set) pareto.insert(r.scenario);
  std::vector<double> limits;
  for (const auto& r : rows) limits.push_back(r.max_travel_min);
  std::sort(limits.begin(), limits.end());
  limits.erase(std::unique(limits.begin(), limits.end()), limits.end());
  write_atomic(file, [&](const fs::path& tmp) {
    SurfacePtr surface(cairo_pdf_surface_create(tmp.c_str(), kPageW, kPageH));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE,
                                   "2000-01-01T00:00:00Z");
    CairoPtr cr(cairo_create(surface.get()));
    cairo_t* c = cr.get();
    text(c, title + ": scenario sweep, " + std::to_string(rows.size()) + " scenarios", 30, 18, 14,
         true);
    text(c,
         "Filled: feasible; hollow: misses a hard constraint; ringed: Pareto set. "
         "Colour: travel limit.",
         30, 40, 8);
    const double w = (kPageW - 210) / 3, h = kPageH - 190;
    chart(c, rows, pareto, limits, "lots", "mean_travel_min", "Lots against hub travel", 60, 90, w,
          h);
    chart(c, rows, pareto, limits, "lots", "call_gap_p90_min", "Lots against p90 call gap",
          60 + w + 45, 90, w, h);
    chart(c, rows, pareto, limits, "providers_needed", "mean_lot_value_gbp",
          "Lot value (£/yr) against providers needed", 60 + 2 * (w + 45), 90, w, h);
    cairo_show_page(c);
    maps_pages(c, rows, pareto, maps_dir, title);
    table_pages(c, rows, pareto, title);
    cr.reset();
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
      throw DataError(where(file) + "cannot write the PDF (" +
                      cairo_status_to_string(cairo_surface_status(surface.get())) + ")");
  });
}

void write_plan_png(const fs::path& file, const Study& study, const Plan& plan, int px) {
  const UnitGraph& g = study.graph;
  const auto& units = study.units.units;
  double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0;
  for (const auto& u : units)
    for (const auto& p : u.cell)
      for (const auto& pt : p.outer) {
        x0 = std::min(x0, pt.x), x1 = std::max(x1, pt.x);
        y0 = std::min(y0, pt.y), y1 = std::max(y1, pt.y);
      }
  if (x0 > x1) {  // no cells: the sites
    for (const auto& s : g.site) {
      x0 = std::min(x0, s.x), x1 = std::max(x1, s.x);
      y0 = std::min(y0, s.y), y1 = std::max(y1, s.y);
    }
  }
  const double span = std::max({x1 - x0, y1 - y0, 1.0});
  const double scale = (px - 8) / span;
  const int pw = px, ph = std::max(8, static_cast<int>((y1 - y0) * scale) + 8);
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph));
  CairoPtr cr(cairo_create(surface.get()));
  cairo_t* c = cr.get();
  cairo_set_source_rgb(c, 1, 1, 1);
  cairo_paint(c);
  auto X = [&](double x) { return 4 + (x - x0) * scale; };
  auto Y = [&](double y) { return ph - 4 - (y - y0) * scale; };
  cairo_set_line_width(c, 0.3);
  for (std::size_t u = 0; u < g.size(); ++u) {
    const int lot = u < plan.lot_of.size() ? plan.lot_of[u] : kNoLot;
    const LotRgb col = lot == kNoLot ? LotRgb{200, 200, 200} : lot_rgb(lot);
    const bool cells = u < units.size() && units[u].id == g.id[u] && !units[u].cell.empty();
    if (cells) {
      for (const auto& p : units[u].cell) {
        for (const Ring* ring : {&p.outer}) {
          for (std::size_t i = 0; i < ring->size(); ++i)
            (i ? cairo_line_to : cairo_move_to)(c, X((*ring)[i].x), Y((*ring)[i].y));
          cairo_close_path(c);
        }
      }
      cairo_set_source_rgb(c, col.r / 255.0, col.g / 255.0, col.b / 255.0);
      cairo_fill_preserve(c);
      cairo_set_source_rgba(c, 1, 1, 1, 0.5);
      cairo_stroke(c);
    } else {
      cairo_set_source_rgb(c, col.r / 255.0, col.g / 255.0, col.b / 255.0);
      cairo_arc(c, X(g.site[u].x), Y(g.site[u].y), 2, 0, 2 * M_PI);
      cairo_fill(c);
    }
  }
  cr.reset();
  cairo_surface_flush(surface.get());
  write_atomic(file, [&](const fs::path& tmp) {
    if (cairo_surface_write_to_png(surface.get(), tmp.c_str()) != CAIRO_STATUS_SUCCESS)
      throw DataError(where(file) + "cannot write the PNG");
  });
}

}  // namespace lotwright::geo
