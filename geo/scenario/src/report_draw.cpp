// The scenario reports' shared number format and text primitive (report_draw.hpp).
#include "report_draw.hpp"

#include <pango/pangocairo.h>

#include <cmath>
#include <cstdio>
#include <memory>

namespace lotwright::geo::report {

std::string fixed(double v, int decimals, const char* missing) {
  if (!std::isfinite(v)) return missing;
  if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0;  // no "-0.00"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void text(cairo_t* cr, const std::string& s, double x, double y, double size, bool bold,
          bool right) {
  struct Unref {
    void operator()(gpointer p) const { g_object_unref(p); }
  };
  const std::unique_ptr<PangoLayout, Unref> layout(pango_cairo_create_layout(cr));
  PangoFontDescription* fd = pango_font_description_from_string("DejaVu Sans");
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout.get(), fd);
  pango_font_description_free(fd);
  pango_layout_set_text(layout.get(), s.c_str(), -1);
  int w = 0, h = 0;
  pango_layout_get_size(layout.get(), &w, &h);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_move_to(cr, right ? x - static_cast<double>(w) / PANGO_SCALE : x, y);
  pango_cairo_show_layout(cr, layout.get());
  cairo_new_path(cr);
}

std::string number3(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", i);
  return buf;
}

}  // namespace lotwright::geo::report
