#pragma once
// What the scenario reports (sweep.csv, sweep.pdf, projection.pdf) share: one number format,
// one A4 page, one text primitive, one scenario file stem. Private to the scenario module.
#include <cairo.h>

#include <string>

namespace lotwright::geo::report {

// A4 landscape, in points.
inline constexpr double kPageW = 842, kPageH = 595;

// `v` with `decimals` decimals, no "-0.00"; `missing` for inf or NaN ("-" in the PDFs, empty in
// sweep.csv).
std::string fixed(double v, int decimals, const char* missing = "-");

// Text at (x, y) top-left, `size` points, DejaVu Sans, optionally bold and right-aligned to x.
void text(cairo_t* cr, const std::string& s, double x, double y, double size, bool bold = false,
          bool right = false);

// A scenario's file stem: 7 -> "007".
std::string number3(int i);

}  // namespace lotwright::geo::report
