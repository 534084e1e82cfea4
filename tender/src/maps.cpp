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
#include "maps_draw.hpp"
#include "text.hpp"

namespace lotwright::tender::detail {

namespace {

using namespace maps;

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
  std::vector<double> breaks;  // upper bounds of classes 0..n-2, as the legend prints them
  int cls(double d) const {
    int i = 0;
    while (i < static_cast<int>(breaks.size()) && d > breaks[i]) ++i;
    return i;
  }
};

// Decimals a density break is printed with: two significant figures (0.47, 4.6, 81, 1,300).
int density_decimals(double v) {
  if (v <= 0 || v >= 10) return 0;
  return std::clamp(1 - static_cast<int>(std::floor(std::log10(v))), 1, 3);
}
std::string density_text(double v) { return grouped(v, density_decimals(v)); }
// A quantile rounded as the legend prints it (two significant figures), so two breaks that
// differ only past the printed digits are one break, never a "5 – 5" class.
double density_break(double v) {
  if (v <= 0) return 0;
  const double step = std::pow(10.0, std::floor(std::log10(v)) - 1);
  return std::round(v / step) * step;
}

DensityScale density_scale(const PackContext& ctx) {
  std::vector<double> d;
  for (std::size_t i = 0; i < ctx.demand.size(); ++i)
    if (ctx.demand[i].hours && *ctx.demand[i].hours > 0 && ctx.sector_area_m2[i] > 0)
      d.push_back(*ctx.demand[i].hours / (ctx.sector_area_m2[i] / 1e6));
  std::sort(d.begin(), d.end());
  DensityScale s;
  if (d.empty()) return s;
  for (int q = 1; q < static_cast<int>(kDensity.size()); ++q) {
    const double b = density_break(d[std::min(d.size() - 1, d.size() * q / kDensity.size())]);
    if (b > 0 && (s.breaks.empty() || density_text(b) != density_text(s.breaks.back())))
      s.breaks.push_back(b);
  }
  return s;
}

// Suppressed sectors (fewer than 5 customers): white with dark diagonal lines, unlike the
// plain grey of the neighbouring zones. The map and the legend swatch both use this pattern,
// clipped to the current path; lines at fixed page positions so the swatch matches the map.
void hatch_current_path(cairo_t* cr) {
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  cairo_clip(cr);
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
  cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
  cairo_set_line_width(cr, 0.6);
  const double spacing = 4;
  for (double t = std::floor((x0 + y0) / spacing) * spacing; t <= x1 + y1; t += spacing) {
    cairo_move_to(cr, t - y0, y0);  // lines x + y = t
    cairo_line_to(cr, t - y1, y1);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

void hatch(cairo_t* cr, const View& v, const geo::MultiPolygon& mp) {
  path(cr, v, mp);
  hatch_current_path(cr);
  cairo_new_path(cr);
}

double density_legend(cairo_t* cr, double y, const DensityScale& s) {
  y = heading(cr, y, "Weekly hours per km\u00b2 by postcode sector");
  const int n = static_cast<int>(s.breaks.size()) + 1;
  for (int i = 0; i < n; ++i) {
    const double lo = i == 0 ? 0 : s.breaks[i - 1];
    const std::string label = i + 1 < n ? density_text(lo) + " \u2013 " + density_text(s.breaks[i])
                                        : "over " + density_text(lo);
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
  hatch_current_path(cr);
  cairo_rectangle(cr, kPanelX, y + 1, 14, 8);
  cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
  cairo_set_line_width(cr, 0.3);
  cairo_stroke(cr);
  text(cr, "fewer than 5 customers (not shown)", kPanelX + 20, y, kPanelW - 20, {7.5});
  y += 11;
  cairo_rectangle(cr, kPanelX, y + 1, 14, 8);
  cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
  cairo_fill(cr);
  text(cr, "other zones", kPanelX + 20, y, kPanelW - 20, {7.5});
  return y + 12;
}

Rgb density_colour(const DensityScale& s, double d) {
  const int n = static_cast<int>(s.breaks.size()) + 1;
  const int c = s.cls(d);
  return hex(
      kDensity[std::min<std::size_t>(c * kDensity.size() / std::max(n, 1), kDensity.size() - 1)]);
}

// Towns and cities first, every one (smaller or on a leader line when crowded): they are how
// a reader finds their way. Then zone numbers (always: each identifies a zone; nudged off
// the towns and other numbers, on a leader line when far from the zone's label point), zone
// names (largest zones first) and villages; a name or village that would overlap a label
// already placed is dropped.
void overview_labels(cairo_t* cr, const PackContext& ctx, const View& v) {
  const Schedule& s = ctx.schedule;
  const std::size_t nz = ctx.zone_shapes.size();
  const double r = nz <= 20 ? 9 : nz <= 40 ? 7.5 : 6.5;
  Labels labels;
  places(cr, v, ctx.in->roads, 1, 40, labels, true);
  std::vector<int> order;
  std::vector<geo::Point> at(nz);
  std::vector<geo::Point> from(nz);  // the zone's label point
  for (std::size_t z = 0; z < nz; ++z) {
    if (ctx.zone_shapes[z].empty()) continue;
    const double x = v.px(ctx.zone_labels[z].x), y = v.py(ctx.zone_labels[z].y);
    at[z] = from[z] = {x, y};
    // The label point, then 8 nudges on each of 4 rings around it.
    for (int k = 0; k <= 32; ++k) {
      const double a = k * M_PI / 4;
      const double d = std::array{0.0, 1.3, 2.4, 3.6, 5.0}[k == 0 ? 0 : (k - 1) / 8 + 1] * r;
      const geo::Point c{x + d * std::cos(a), y + d * std::sin(a)};
      if (labels.fits({c.x - r - 1, c.y - r - 1, c.x + r + 1, c.y + r + 1})) {
        at[z] = c;
        break;
      }
    }
    labels.take({at[z].x - r - 1, at[z].y - r - 1, at[z].x + r + 1, at[z].y + r + 1});
    order.push_back(static_cast<int>(z));
  }
  // Zone names, largest zones first; then villages where there is room.
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return s.zones[a].hours > s.zones[b].hours; });
  for (int z : order) {
    const std::string& name = s.zones[z].name;
    if (name == "Zone " + std::to_string(z + 1)) continue;
    const double x = at[z].x, y = at[z].y;
    auto [w, h] = measure(cr, name, 7.5, true);
    w = std::min(w, 110.0);
    if (labels.place({x - w / 2 - 2, y + r + 2, x + w / 2 + 2, y + r + 2 + h}))
      halo_text(cr, name, x - w / 2, y + r + 2, 7.5, true, 110);
  }
  places(cr, v, ctx.in->roads, 2, 12, labels);
  for (int z : order) {
    const double x = at[z].x, y = at[z].y;
    if (std::hypot(x - from[z].x, y - from[z].y) > 2.5 * r) {  // far: a leader line
      cairo_move_to(cr, from[z].x, from[z].y);
      cairo_line_to(cr, x, y);
      cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
      cairo_set_line_width(cr, 0.5);
      cairo_stroke(cr);
      cairo_arc(cr, from[z].x, from[z].y, 1.2, 0, 2 * M_PI);
      cairo_fill(cr);
    }
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    const double size = r >= 9 ? 8 : 6.5;
    text(cr, std::to_string(z + 1), x - r, y - size * 0.7, 2 * r, {size, true, Align::centre});
  }
}

// The zone legend between y and bottom: every zone, in as many columns as it takes (rows of
// at least 7 points). Returns the y under it.
double zone_legend(cairo_t* cr, const PackContext& ctx, double y, double bottom) {
  const Schedule& s = ctx.schedule;
  const int n = static_cast<int>(s.zones.size());
  const double avail = std::max(20.0, bottom - y);
  const int cols = std::max(1, static_cast<int>(std::ceil(n * 7.0 / avail)));
  const int rows = (n + cols - 1) / cols;
  const double row = std::clamp(avail / std::max(1, rows), 6.0, 13.0);
  const double gap = 8, col_w = (kPanelW - gap * (cols - 1)) / cols;
  const double size = std::min(8.0, row - 3);
  const double hours_w = cols == 1 ? 70 : 40;
  for (int i = 0; i < n; ++i) {
    const Zone& z = s.zones[i];
    const double x = kPanelX + (i / rows) * (col_w + gap), yy = y + (i % rows) * row;
    cairo_rectangle(cr, x, yy + 1, 12, row - 3);
    set(cr, zone_colour(ctx, z.zone - 1));
    cairo_fill(cr);
    text(cr, std::to_string(z.zone) + "  " + z.name, x + 16, yy, col_w - 16 - hours_w, {size});
    const double hours =
        geo::output_number(z.hours, "zone-maps.pdf", "hours of zone " + std::to_string(z.zone));
    text(cr, grouped(hours) + (cols == 1 ? " h/wk" : ""), x + col_w - hours_w, yy, hours_w,
         {size, false, Align::right});
  }
  return y + rows * row;
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
    set(cr, zone_colour(ctx, static_cast<int>(z)));
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
  }
  roads(cr, v, ctx.in->roads, true);
  overview_labels(cr, ctx, v);
  cairo_restore(cr);
  frame_border(cr);
  scale_bar(cr, v);
  north_arrow(cr);

  double y = heading(cr, kMapY, s.zones.size() > 1 ? "Zones (weekly hours)" : "Zone");
  y = zone_legend(cr, ctx, y, kMapY + kMapH - 110) + 8;
  y = heading(cr, y, "All zones");
  auto count = [](double v, const char* field) {  // core/output_check.hpp
    return geo::output_number(v, "zone-maps.pdf", std::string(field) + " of all zones");
  };
  key_values(
      cr, y,
      {{"Estimated weekly hours", grouped(count(s.totals.weekly_hours, "hours"))},
       {"Annual hours", grouped(count(s.totals.annual_hours, "annual hours"))},
       {"Estimated annual value", money(count(s.totals.value_low, "value_low")) + " \u2013 " +
                                      money(count(s.totals.value_high, "value_high"))},
       {"Contract", std::to_string(ctx.in->tender.contract_years) + " years + " +
                        std::to_string(ctx.in->tender.extension_years) + " from " +
                        ctx.in->tender.start_date},
       {"Lots", std::to_string(s.lots.size()) + " (see the zone pages)"},
       {"Demand in no zone",
        grouped(count(ctx.metrics ? ctx.metrics->unassigned_hours : 0, "unassigned hours")) +
            " h/wk"}});
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
  const std::string title = zone_title(zn.zone, zn.name);
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
  Labels labels;
  places(cr, v, ctx.in->roads, 2, 28, labels);
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
  // Every count the page prints, through the one output check (core/output_check.hpp).
  const std::string of_zone = " of zone " + std::to_string(zn.zone);
  auto count = [&](double v, const std::string& field) {
    return geo::output_number(v, "zone-maps.pdf", field + of_zone);
  };
  y = key_values(
      cr, y,
      {{"Estimated weekly hours", grouped(count(zn.hours, "hours"), 0)},
       {"Customers",
        cust ? grouped(count(static_cast<double>(*cust), "customers")) : "fewer than 5"},
       {"Annual hours", grouped(zn.hours * kWeeksPerYear)},
       {"Annual value", money(count(sums.value_low, "value_low")) + " \u2013 " +
                            money(count(sums.value_high, "value_high"))},
       {"Rural share of hours",
        fixed(zn.hours > 0 ? 100 * count(zn.rural_hours, "rural hours") / zn.hours : 0, 0) + "%"},
       {"Unmet weekly hours", !unmet_hours_known(ctx) ? "not known"
                              : zn.unmet_suppressed
                                  ? "not shown (fewer than 5 customers)"
                                  : grouped(count(zn.unmet_hours, "unmet hours"))},
       {"Care workers needed", fixed(count(sums.workers, "workers"), 1)},
       {"Mean travel (min)", fixed(count(zn.travel_min, "travel_min"), 1)},
       {"Call gap, median", call_gap_text(zn, zn.rounds ? zn.rounds->call_gap_median_min : 0,
                                          geo::kGapThresholdMinutes, " min")},
       {"Call gap, 90th pct", call_gap_text(zn, zn.rounds ? zn.rounds->call_gap_p90_min : 0,
                                            geo::kGapThresholdMinutes, " min")},
       {"Call gap, median miles",
        call_gap_text(zn, zn.rounds ? zn.rounds->call_gap_median_miles : 0, geo::kGapThresholdMiles,
                      " mi")},
       {"Travel cost / contact h",
        zn.rounds ? money2(zn.rounds->travel_cost_per_contact_hour) : "\u2013"},
       {"Area", fixed(count(zn.area_km2, "area_km2"), 1) + " km\u00b2"},
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
    const std::string of_lot = " of lot " + r.lot_id;
    const std::string cells[] = {
        "Lot " + r.lot_id, r.role,
        fixed(geo::output_number(r.share * 100, "zone-maps.pdf", "share" + of_lot), 0) + "%",
        grouped(geo::output_number(r.weekly_hours, "zone-maps.pdf", "hours" + of_lot), 0),
        fixed(geo::output_number(r.workers, "zone-maps.pdf", "workers" + of_lot), 1)};
    for (int c = 0; c < 5; ++c)
      text(cr, cells[c], kPanelX + cols[c], y, (c < 4 ? cols[c + 1] : kPanelW) - cols[c] - 3,
           {7.5, false, c >= 2 ? Align::right : Align::left});
    y += 11;
  }
  y += 6;
  const double legend_h = 15 + 11.0 * (ds.breaks.size() + 3);
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
  const geo::RemoveIfThrown guard{{file}};  // a refused figure leaves no file behind
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
