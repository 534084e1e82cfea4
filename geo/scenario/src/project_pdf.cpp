// projection.pdf (project.hpp): a summary page, then one chart per lot: hours by year against
// the lot's band, years past a threshold marked.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "lotwright/core/error.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/scenario/project.hpp"
#include "report_draw.hpp"

namespace lotwright::geo {
namespace fs = std::filesystem;

namespace {
using report::fixed;
using report::kPageH;
using report::kPageW;
using report::text;

std::string year_or_never(int y) { return y ? std::to_string(y) : "never"; }

void lot_chart(cairo_t* cr, const LotProjection& lp, double x0, double y0, double w, double h) {
  text(cr, "Lot " + std::to_string(lp.lot + 1) + " " + lp.name, x0, y0 - 30, 10, true);
  text(cr,
       "leaves band: " + year_or_never(lp.leaves_band) + "; call gap over: " +
           year_or_never(lp.gap_over) + "; travel over: " + year_or_never(lp.travel_over),
       x0, y0 - 16, 7.5);
  if (lp.years.empty()) return;
  double lo = 1e300, hi = -1e300;
  for (const auto& y : lp.years) {
    lo = std::min({lo, y.metrics.hours, y.band_min > 0 ? y.band_min : y.metrics.hours});
    hi = std::max({hi, y.metrics.hours, y.band_max > 0 ? y.band_max : y.metrics.hours});
  }
  const double pad = std::max(1.0, (hi - lo) * 0.1);
  lo -= pad, hi += pad;
  const int y_first = lp.years.front().year, y_last = lp.years.back().year;
  auto X = [&](int year) {
    return y_last == y_first ? x0 + w / 2 : x0 + (year - y_first) * w / (y_last - y_first);
  };
  auto Y = [&](double v) { return y0 + h - (v - lo) / (hi - lo) * h; };
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  cairo_set_line_width(cr, 0.8);
  cairo_rectangle(cr, x0, y0, w, h);
  cairo_stroke(cr);
  text(cr, fixed(hi, 0), x0 - 34, y0 - 4, 7);
  text(cr, fixed(lo, 0), x0 - 34, y0 + h - 8, 7);
  text(cr, std::to_string(y_first), x0 - 8, y0 + h + 3, 7);
  text(cr, std::to_string(y_last), x0 + w - 16, y0 + h + 3, 7);
  // The band (dashed).
  const double dash[] = {4, 3};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
  for (double b : {lp.years.front().band_min, lp.years.front().band_max}) {
    if (b <= 0) continue;
    cairo_move_to(cr, x0, Y(b));
    cairo_line_to(cr, x0 + w, Y(b));
    cairo_stroke(cr);
  }
  cairo_set_dash(cr, nullptr, 0, 0);
  const LotRgb c = lot_rgb(lp.lot);
  cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
  cairo_set_line_width(cr, 1.6);
  for (std::size_t i = 0; i < lp.years.size(); ++i)
    (i ? cairo_line_to : cairo_move_to)(cr, X(lp.years[i].year), Y(lp.years[i].metrics.hours));
  cairo_stroke(cr);
  for (const auto& y : lp.years) {
    const bool bad = !y.within_band || y.gap_over || y.travel_over;
    if (bad)
      cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
    else
      cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
    cairo_arc(cr, X(y.year), Y(y.metrics.hours), bad ? 3.5 : 2.5, 0, 2 * M_PI);
    cairo_fill(cr);
  }
  text(cr, "hours a week (dashed: the band; red: a year past a threshold)", x0, y0 + h + 14, 7);
}

}  // namespace

void write_projection_pdf(const fs::path& file, const Projection& p, const std::string& title) {
  write_atomic(file, [&](const fs::path& tmp) {
    std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> surface(
        cairo_pdf_surface_create(tmp.c_str(), kPageW, kPageH), cairo_surface_destroy);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE,
                                   "2000-01-01T00:00:00Z");
    std::unique_ptr<cairo_t, void (*)(cairo_t*)> cr(cairo_create(surface.get()), cairo_destroy);
    cairo_t* c = cr.get();
    text(c, title + ": demand projection", 30, 18, 14, true);
    double y = 50;
    text(c,
         "First failing year: " + year_or_never(p.first_failing_year) +
             (p.replan_kept_share >= 0
                  ? "; re-planned then with keep_from: " + fixed(100 * p.replan_kept_share, 1) +
                        "% of hours keep their lot, " + fixed(p.replan_changed_hours, 0) +
                        " h/week change lot" + (p.replan_feasible ? "" : " (re-plan not feasible)")
                  : ""),
         30, y, 9);
    y += 22;
    for (const auto& lp : p.lots) {
      text(c,
           "Lot " + std::to_string(lp.lot + 1) + " " + lp.name + ": leaves band " +
               year_or_never(lp.leaves_band) + ", call gap over " + year_or_never(lp.gap_over) +
               ", travel over " + year_or_never(lp.travel_over),
           40, y, 8.5);
      y += 14;
      if (y > kPageH - 40) break;
    }
    cairo_show_page(c);
    constexpr int kCols = 3, kRows = 2;
    const double cw = (kPageW - 60) / kCols, ch = (kPageH - 40) / kRows;
    for (std::size_t i = 0; i < p.lots.size(); ++i) {
      const int k = static_cast<int>(i % (kCols * kRows));
      const double x = 30 + 40 + (k % kCols) * cw, yy = 20 + 50 + (k / kCols) * ch;
      lot_chart(c, p.lots[i], x, yy, cw - 70, ch - 100);
      if (k == kCols * kRows - 1 || i + 1 == p.lots.size()) cairo_show_page(c);
    }
    cr.reset();
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
      throw DataError(where(file) + "cannot write the PDF");
  });
}

}  // namespace lotwright::geo
