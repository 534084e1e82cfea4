// lot-schedule.xlsx with libxlsxwriter: sheets "Lots", "Postcode sectors", "Assumptions".
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <memory>
#include <string>

#include "internal.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/output_check.hpp"

namespace lotwright::tender::detail {

namespace {

// Every number cell of the schedule through the one output check (core/output_check.hpp),
// named by its sheet and cell ("Lots!F7").
lxw_error write_number(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, double v,
                       lxw_format* format) {
  char cell[32];
  lxw_rowcol_to_cell(cell, row, col);
  geo::output_number(v, "lot schedule (xlsx)", std::string(ws->name ? ws->name : "") + "!" + cell);
  return worksheet_write_number(ws, row, col, v, format);
}

// A formula cell and its cached value (what a reader shows before it recalculates, and what
// libraries reading the file see): the cached value through the same check.
lxw_error write_formula(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& fx,
                        lxw_format* format, double cached) {
  char cell[32];
  lxw_rowcol_to_cell(cell, row, col);
  geo::output_number(cached, "lot schedule (xlsx)",
                     std::string(ws->name ? ws->name : "") + "!" + cell);
  return worksheet_write_formula_num(ws, row, col, fx.c_str(), format, cached);
}

// Noon UTC of a "YYYY-MM-DD" date (the workbook's fixed creation time, for byte-identical
// reruns); 2000-01-01 when the text is not a date.
std::time_t fixed_time(const std::string& date) {
  std::tm tm{};
  int y = 0, m = 0, d = 0;
  if (std::sscanf(date.c_str(), "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
      d > 31) {
    y = 2000;
    m = 1;
    d = 1;
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = 12;
  return timegm(&tm);
}

struct Formats {
  lxw_format* header;
  lxw_format* text;
  lxw_format* integer;
  lxw_format* hours;
  lxw_format* pct;
  lxw_format* money;
  lxw_format* dec1;
  lxw_format* dec2;
  // Bold variants for the totals row.
  lxw_format* b_text;
  lxw_format* b_integer;
  lxw_format* b_hours;
  lxw_format* b_pct;
  lxw_format* b_money;
  lxw_format* b_dec1;
  lxw_format* money2;  // pence shown: travel cost per contact hour
  lxw_format* b_money2;
};

lxw_format* make(lxw_workbook* wb, const char* num, bool bold) {
  lxw_format* f = workbook_add_format(wb);
  if (num) format_set_num_format(f, num);
  if (bold) {
    format_set_bold(f);
    format_set_top(f, LXW_BORDER_THIN);
  }
  return f;
}

Formats formats(lxw_workbook* wb) {
  Formats f{};
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_TOP);
  format_set_bg_color(f.header, 0xDDE6F0);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  f.text = make(wb, nullptr, false);
  f.integer = make(wb, "#,##0", false);
  f.hours = make(wb, "#,##0.0", false);
  f.pct = make(wb, "0.0%", false);
  f.money = make(wb, "\xC2\xA3#,##0", false);
  f.dec1 = make(wb, "0.0", false);
  f.dec2 = make(wb, "0.00", false);
  f.b_text = make(wb, nullptr, true);
  f.b_integer = make(wb, "#,##0", true);
  f.b_hours = make(wb, "#,##0.0", true);
  f.b_pct = make(wb, "0.0%", true);
  f.b_money = make(wb, "\xC2\xA3#,##0", true);
  f.b_dec1 = make(wb, "0.0", true);
  f.money2 = make(wb, "\xC2\xA3#,##0.00", false);
  f.b_money2 = make(wb, "\xC2\xA3#,##0.00", true);
  return f;
}

void check(lxw_error e, const std::filesystem::path& file) {
  if (e != LXW_NO_ERROR) throw geo::DataError(geo::where(file) + lxw_strerror(e));
}

// Lines a header needs in a wrapped cell of `width` characters (bold text runs wider than the
// column's character width: three quarters of it per line), words kept whole.
int header_lines(const std::string& text, double width) {
  const std::size_t per_line = static_cast<std::size_t>(std::max(1.0, width * 0.75));
  int lines = 1;
  std::size_t used = 0, at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    std::size_t len = 0;  // characters, not UTF-8 bytes
    for (std::size_t i = at; i < end; ++i)
      len += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (used > 0 && used + 1 + len > per_line) {
      ++lines;
      used = len;
    } else {
      used += (used > 0 ? 1 : 0) + len;
    }
    at = end + 1;
  }
  return lines;
}

// Header row 0 tall enough for its longest text, frozen, repeated on every printed page; A4,
// fit to one page wide (landscape for the Lots sheet).
void headers(lxw_worksheet* ws, const std::vector<std::pair<const char*, double>>& cols,
             lxw_format* f, bool landscape) {
  int lines = 1;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), cols[c].first, f);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), cols[c].second,
                         nullptr);
    lines = std::max(lines, header_lines(cols[c].first, cols[c].second));
  }
  worksheet_set_row(ws, 0, 13.5 * lines + 3, nullptr);
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_set_paper(ws, 9);  // A4
  if (landscape) worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_repeat_rows(ws, 0, 0);
  worksheet_set_footer(ws, "&L&A&RPage &P of &N");
}

// "G12"
std::string cell(lxw_col_t col, lxw_row_t row) {
  return std::string(1, static_cast<char>('A' + col)) + std::to_string(row + 1);
}

// Named input cells of the Assumptions sheet (column B, rows 2..): the Lots formulas use them.
struct Input {
  const char* name;   // defined name
  const char* label;  // column A
  double value;
  const char* num_format;
  std::string source;
};

std::vector<Input> inputs(const PackContext& ctx) {
  const TenderConfig& t = ctx.in->tender;
  const bool rounds = ctx.metrics && ctx.metrics->rounds_estimated;
  auto price_source = [](bool given, const char* key) {
    return given ? std::string("[tender] ") + key
                 : std::string("DEFAULT (not set in [tender] ") + key + "): " + kDefaultPriceSource;
  };
  const double hpw = rounds ? ctx.in->config->rounds.hours_per_worker : t.hours_per_worker;
  return {
      {"PriceLow", "Price per hour, low (\xC2\xA3)", t.price_low, "\xC2\xA3#,##0.00",
       price_source(t.price_low_given, "price_low")},
      {"PriceHigh", "Price per hour, high (\xC2\xA3)", t.price_high, "\xC2\xA3#,##0.00",
       price_source(t.price_high_given, "price_high")},
      {"RuralEnhancement", "Rural enhancement (share added to the price)", t.rural_enhancement,
       "0.0%", "[tender] rural_enhancement; for hours in rural postcodes (ONS RUC2011 D1-F2)"},
      {"HoursPerWorker", "Hours per care worker a week", hpw, "0.0",
       rounds ? "[rounds] hours_per_worker; West Sussex market feedback (30 h)"
              : "[tender] hours_per_worker (no care-round estimate: no road travel)"},
      {"VisitMinutes", "Average visit length (minutes)", kVisitMinutes, "0",
       rounds ? "not used: workers come from the care rounds"
              : "worker hours = hours x (1 + mean travel minutes / visit minutes)"},
      {"WeeksPerYear", "Weeks per year", kWeeksPerYear, "0", "annual hours = weekly x weeks"},
      {"ContractYears", "Contract years", static_cast<double>(t.contract_years), "0",
       "[tender] contract_years"},
      {"ExtensionYears", "Extension years", static_cast<double>(t.extension_years), "0",
       "[tender] extension_years"},
  };
}

constexpr const char* kEstimateNote =
    "Volumes are estimates from the demand data, not guaranteed: the hours, customers and "
    "values a provider is paid for depend on the care actually commissioned.";

// Lots columns (0-based) that the formulas refer to.
enum Col : lxw_col_t {
  kShare = 5,
  kWeekly = 6,
  kCustomers = 7,
  kAnnual = 8,
  kValueLow = 9,
  kValueHigh = 10,
  kRuralShare = 11,
  kEnhLow = 12,
  kEnhHigh = 13,
  kTravel = 14,
  kWorkers = 15,
  kCost = 16,
  kGapMedian = 17,
  kGapP90 = 18,
  kUnmet = 19,
  kArea = 20,
  kPlaces = 21,
  kWorkerHours = 22,
  kTermValue = 23,
  kLastCol = kTermValue
};

struct LotsLayout {
  lxw_row_t first = 1, last = 1;  // lot rows
  bool unmet_known = true;
  int years = 0;  // contract + extension
  std::string range(lxw_col_t c) const { return cell(c, first) + ":" + cell(c, last); }
};

// The weekly hours care workers give to a lot: contact plus call-to-call travel of the zone's
// care rounds times the share; without rounds hours x (1 + travel / visit) (a formula).
double worker_hours(const LotRow& x, const Zone& zn) {
  if (zn.call_gaps_disclosed())
    return (zn.rounds->contact_hours + zn.rounds->travel_hours) * x.share;
  return x.weekly_hours * (1 + x.travel_min / kVisitMinutes);
}

void lot_row(lxw_worksheet* ws, lxw_row_t r, const LotRow& x, const Zone& zn, const Formats& f,
             const LotsLayout& L) {
  auto t = f.text;
  auto formula = [&](lxw_col_t c, const std::string& fx, lxw_format* fmt, double cached) {
    write_formula(ws, r, c, fx, fmt, cached);
  };
  auto at = [&](lxw_col_t c) { return cell(c, r); };
  write_number(ws, r, 0, x.zone, f.integer);
  worksheet_write_string(ws, r, 1, x.zone_name.c_str(), t);
  worksheet_write_string(ws, r, 2, x.tier.c_str(), t);
  worksheet_write_string(ws, r, 3, x.lot_id.c_str(), t);
  worksheet_write_string(ws, r, 4, x.role.c_str(), t);
  write_number(ws, r, kShare, x.share, f.pct);
  write_number(ws, r, kWeekly, x.weekly_hours, f.hours);
  if (x.customers)
    write_number(ws, r, kCustomers, static_cast<double>(*x.customers), f.integer);
  else
    worksheet_write_string(ws, r, kCustomers, "<5", t);
  formula(kAnnual, "=" + at(kWeekly) + "*WeeksPerYear", f.integer, x.annual_hours);
  formula(kValueLow, "=" + at(kAnnual) + "*PriceLow+" + at(kEnhLow), f.money, x.value_low);
  formula(kValueHigh, "=" + at(kAnnual) + "*PriceHigh+" + at(kEnhHigh), f.money, x.value_high);
  write_number(ws, r, kRuralShare, x.rural_share, f.pct);
  const std::string rural = "=" + at(kAnnual) + "*" + at(kRuralShare) + "*RuralEnhancement*";
  formula(kEnhLow, rural + "PriceLow", f.money, x.rural_enhancement_low);
  formula(kEnhHigh, rural + "PriceHigh", f.money, x.rural_enhancement_high);
  write_number(ws, r, kTravel, x.travel_min, f.dec1);
  formula(kWorkers, "=" + at(kWorkerHours) + "/HoursPerWorker", f.dec1, x.workers);
  write_number(ws, r, kCost, x.travel_cost_per_contact_hour, f.money2);
  for (const auto& [c, gap] :
       {std::pair{kGapMedian, x.call_gap_median_min}, std::pair{kGapP90, x.call_gap_p90_min}})
    if (gap)
      write_number(ws, r, c, *gap, f.dec1);
    else
      worksheet_write_blank(ws, r, c, t);
  if (L.unmet_known && x.unmet_hours)
    write_number(ws, r, kUnmet, *x.unmet_hours, f.hours);
  else if (L.unmet_known)  // suppressed: fewer than 5 customers (docs/disclosure.md)
    worksheet_write_string(ws, r, kUnmet, "<5 customers", t);
  else
    worksheet_write_blank(ws, r, kUnmet, t);
  write_number(ws, r, kArea, x.area_km2, f.dec1);
  worksheet_write_string(ws, r, kPlaces, x.places.c_str(), t);
  const double wh = worker_hours(x, zn);
  if (zn.call_gaps_disclosed())
    write_number(ws, r, kWorkerHours, wh, f.hours);
  else
    formula(kWorkerHours, "=" + at(kWeekly) + "*(1+" + at(kTravel) + "/VisitMinutes)", f.hours, wh);
  formula(kTermValue, "=" + at(kValueHigh) + "*(ContractYears+ExtensionYears)", f.money,
          x.value_high * L.years);
}
// The totals row: SUM of the lot rows for the additive columns; the rural share as the
// hours-weighted mean of the rows (SUMPRODUCT); the rest are county figures (values).
void totals_row(lxw_worksheet* ws, lxw_row_t r, const LotRow& x, const Formats& f,
                const LotsLayout& L) {
  auto t = f.b_text;
  auto sum = [&](lxw_col_t c, lxw_format* fmt, double cached) {
    write_formula(ws, r, c, "=SUM(" + L.range(c) + ")", fmt, cached);
  };
  worksheet_write_string(ws, r, 0, "Total", t);
  for (lxw_col_t c = 1; c < 4; ++c) worksheet_write_blank(ws, r, c, t);
  worksheet_write_string(ws, r, 4, "sums (see the note)", t);
  worksheet_write_blank(ws, r, kShare, t);
  sum(kWeekly, f.b_hours, x.weekly_hours);
  if (x.customers)
    write_number(ws, r, kCustomers, static_cast<double>(*x.customers), f.b_integer);
  else
    worksheet_write_string(ws, r, kCustomers, "<5", t);
  sum(kAnnual, f.b_integer, x.annual_hours);
  sum(kValueLow, f.b_money, x.value_low);
  sum(kValueHigh, f.b_money, x.value_high);
  write_formula(
      ws, r, kRuralShare,
      "=SUMPRODUCT(" + L.range(kWeekly) + "," + L.range(kRuralShare) + ")/" + cell(kWeekly, r),
      f.b_pct, x.rural_share);
  sum(kEnhLow, f.b_money, x.rural_enhancement_low);
  sum(kEnhHigh, f.b_money, x.rural_enhancement_high);
  write_number(ws, r, kTravel, x.travel_min, f.b_dec1);
  sum(kWorkers, f.b_dec1, x.workers);
  write_number(ws, r, kCost, x.travel_cost_per_contact_hour, f.b_money2);
  for (const auto& [c, gap] :
       {std::pair{kGapMedian, x.call_gap_median_min}, std::pair{kGapP90, x.call_gap_p90_min}})
    if (gap)
      write_number(ws, r, c, *gap, f.b_dec1);
    else
      worksheet_write_blank(ws, r, c, t);
  if (L.unmet_known)
    sum(kUnmet, f.b_hours, x.unmet_hours.value_or(0));
  else
    worksheet_write_blank(ws, r, kUnmet, t);
  write_number(ws, r, kArea, x.area_km2, f.b_dec1);
  worksheet_write_blank(ws, r, kPlaces, t);
}

struct WorkbookFree {  // only on failure: workbook_close() writes and frees it
  void operator()(lxw_workbook* wb) const { lxw_workbook_free(wb); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookFree>;

void lots_notes(lxw_worksheet* lots, lxw_row_t note, const PackContext& ctx, const Formats& f,
                const LotsLayout& L) {
  // Hours are never lost: demand outside every zone is stated under the totals.
  const double unassigned = ctx.metrics ? ctx.metrics->unassigned_hours : 0;
  if (unassigned > 0) {
    worksheet_write_string(lots, note, 0, "Weekly hours of demand in no zone", f.text);
    write_number(lots, note, kWeekly, unassigned, f.hours);
    worksheet_write_string(lots, note, kAnnual,
                           "not in the lots above: see the plan's metrics for the reasons", f.text);
    ++note;
  }
  worksheet_write_string(
      lots, note++, 0,
      "Total row: SUM of the lot rows, except the rural share (hours-weighted mean of the rows, "
      "SUMPRODUCT), customers (the county's count, rounded to 5), mean travel minutes, travel "
      "cost and call gaps (county-wide figures) and area (the zones' sum).",
      f.text);
  worksheet_write_string(
      lots, note++, 0,
      "Annual hours, values, rural enhancement and care workers are formulas on the inputs of "
      "the Assumptions sheet (prices, rural enhancement, hours per worker, weeks, years).",
      f.text);
  if (!L.unmet_known)
    worksheet_write_string(lots, note++, 0,
                           "Unmet weekly hours: not known (no unmet hours in the demand data).",
                           f.text);
  worksheet_write_string(lots, note, 0, kEstimateNote, f.b_text);
}

// Sheet "Lots": one row per lot with formulas on the Assumptions inputs, the totals, notes.
void lots_sheet(lxw_workbook* wb, const PackContext& ctx, const Formats& f) {
  const Schedule& s = ctx.schedule;
  lxw_worksheet* lots = workbook_add_worksheet(wb, "Lots");
  headers(lots,
          {{"Zone", 6},
           {"Zone name", 22},
           {"Tier", 10},
           {"Lot", 6},
           {"Role", 18},
           {"Share of zone hours", 9},
           {"Estimated weekly hours", 11},
           {"Customers (rounded to 5)", 11},
           {"Annual hours", 11},
           {"Estimated annual value, low price", 14},
           {"Estimated annual value, high price", 14},
           {"Rural share of hours", 9},
           {"Rural enhancement a year, low price", 13},
           {"Rural enhancement a year, high price", 13},
           {"Mean travel minutes (hub to unit)", 10},
           {"Care workers needed", 10},
           {"Travel cost per contact hour (call to call)", 12},
           {"Call gap, median minutes", 10},
           {"Call gap, 90th percentile minutes", 10},
           {"Unmet weekly hours", 10},
           {"Area km\u00b2", 9},
           {"Main places", 36},
           {"Care worker hours a week (contact + travel)", 13},
           {"Value over contract and extension, high price", 15}},
          f.header, true);
  LotsLayout L;
  L.last = static_cast<lxw_row_t>(s.lots.size());
  L.unmet_known = unmet_hours_known(ctx);
  L.years = ctx.in->tender.contract_years + ctx.in->tender.extension_years;
  lxw_row_t r = 1;
  double worker_hours_sum = 0;
  for (const LotRow& x : s.lots) {
    lot_row(lots, r++, x, s.zones[x.zone - 1], f, L);
    worker_hours_sum += worker_hours(x, s.zones[x.zone - 1]);
  }
  totals_row(lots, r, s.totals, f, L);
  write_formula(lots, r, kWorkerHours, "=SUM(" + L.range(kWorkerHours) + ")", f.b_hours,
                worker_hours_sum);
  write_formula(lots, r, kTermValue, "=SUM(" + L.range(kTermValue) + ")", f.b_money,
                s.totals.value_high * L.years);
  worksheet_autofilter(lots, 0, 0, r - 1, kLastCol);
  lots_notes(lots, r + 2, ctx, f, L);
}

// Sheet "Postcode sectors": sector -> zone shares and the sector's published figures.
void sectors_sheet(lxw_workbook* wb, const Schedule& s, const Formats& f) {
  lxw_worksheet* sec = workbook_add_worksheet(wb, "Postcode sectors");
  headers(sec,
          {{"Postcode sector", 14},
           {"Zone", 6},
           {"Zone name", 24},
           {"Units (postcodes) in zone", 12},
           {"Share of the sector's units", 12},
           {"Share of the sector's hours", 12},
           {"Weekly hours (rounded to 5)", 11},
           {"Customers (rounded to 5)", 11}},
          f.header, false);
  lxw_row_t r = 1;
  for (const SectorZoneRow& x : s.sectors) {
    worksheet_write_string(sec, r, 0, x.sector.c_str(), f.text);
    if (x.zone > 0)
      write_number(sec, r, 1, x.zone, f.integer);
    else
      worksheet_write_string(sec, r, 1, "", f.text);
    worksheet_write_string(sec, r, 2, x.zone_name.c_str(), f.text);
    write_number(sec, r, 3, x.units, f.integer);
    write_number(sec, r, 4, x.unit_share, f.pct);
    write_number(sec, r, 5, x.hours_share, f.pct);
    // The published figures (provider_demand, as in provider-demand.csv and provider.gpkg):
    // per zone the rows, with its "(suppressed sectors)" row, add up to the zone's hours.
    if (x.hours)
      write_number(sec, r, 6, *x.hours, f.hours);
    else
      worksheet_write_string(sec, r, 6, "suppressed", f.text);
    if (x.customers)
      write_number(sec, r, 7, static_cast<double>(*x.customers), f.integer);
    else
      worksheet_write_string(sec, r, 7, "suppressed", f.text);
    ++r;
  }
}

// Sheet "Assumptions": the numeric inputs (named, shaded cells B2..), then every other
// figure the schedule rests on, as text.
void assumptions_sheet(lxw_workbook* wb, const PackContext& ctx, const Formats& f) {
  lxw_worksheet* as = workbook_add_worksheet(wb, "Assumptions");
  headers(as, {{"Parameter", 40}, {"Value", 40}, {"Source / note", 90}}, f.header, false);
  lxw_row_t r = 1;
  for (const Input& in : inputs(ctx)) {
    lxw_format* fmt = workbook_add_format(wb);
    format_set_bg_color(fmt, 0xFFF2CC);
    format_set_border(fmt, LXW_BORDER_THIN);
    format_set_align(fmt, LXW_ALIGN_LEFT);
    format_set_num_format(fmt, in.num_format);
    worksheet_write_string(as, r, 0, in.label, f.text);
    write_number(as, r, 1, in.value, fmt);
    worksheet_write_string(as, r, 2, in.source.c_str(), f.text);
    const std::string ref = "=Assumptions!$B$" + std::to_string(r + 1);
    workbook_define_name(wb, in.name, ref.c_str());
    ++r;
  }
  worksheet_write_string(as, r++, 0,
                         "The shaded cells are inputs: change one and the Lots sheet recalculates.",
                         f.b_text);
  worksheet_write_string(as, r++, 0, kEstimateNote, f.b_text);
  ++r;
  // The schedule's other assumptions (the inputs above are not repeated).
  static const char* const kInputs[] = {"Price per hour, low",
                                        "Price per hour, high",
                                        "Rural enhancement",
                                        "Weeks per year",
                                        "Contract years",
                                        "Extension years",
                                        "Hours per care worker a week",
                                        "Average visit length (minutes)"};
  for (const Assumption& a : ctx.schedule.assumptions) {
    if (std::find(std::begin(kInputs), std::end(kInputs), a.name) != std::end(kInputs)) continue;
    worksheet_write_string(as, r, 0, a.name.c_str(), f.text);
    worksheet_write_string(as, r, 1, a.value.c_str(), f.text);
    worksheet_write_string(as, r, 2, a.note.c_str(), f.text);
    ++r;
  }
}

}  // namespace

bool unmet_hours_known(const PackContext& ctx) {
  const auto& d = ctx.in->config->demand;
  if (d && !d->unmet_hours.empty()) return true;
  const auto& u = ctx.in->graph->unmet_hours;
  return std::any_of(u.begin(), u.end(), [](double h) { return h > 0; });
}

void write_schedule_xlsx(const std::filesystem::path& file, const PackContext& ctx) {
  const geo::RemoveIfThrown guard{{file}};  // a refused figure leaves no file behind
  WorkbookPtr wb(workbook_new(file.c_str()));
  if (!wb) throw geo::DataError(geo::where(file) + "cannot create the workbook");
  std::string title = "Lot schedule \u2013 " + ctx.in->tender.buyer;
  lxw_doc_properties props{};
  props.title = title.data();
  props.author = const_cast<char*>(ctx.in->tender.buyer.c_str());
  props.comments =
      const_cast<char*>("Written by Lotwright. Volumes are estimates, not guaranteed.");
  props.created = fixed_time(ctx.in->tender.start_date);
  workbook_set_properties(wb.get(), &props);
  const Formats f = formats(wb.get());
  lots_sheet(wb.get(), ctx, f);
  sectors_sheet(wb.get(), ctx.schedule, f);
  assumptions_sheet(wb.get(), ctx, f);
  check(workbook_close(wb.release()), file);
}

}  // namespace lotwright::tender::detail
