// lot-schedule.xlsx with libxlsxwriter: sheets "Lots", "Postcode sectors", "Assumptions".
#include <xlsxwriter.h>

#include <ctime>
#include <memory>
#include <string>

#include "internal.hpp"
#include "lotwright/core/error.hpp"

namespace lotwright::tender::detail {

namespace {

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

void headers(lxw_worksheet* ws, const std::vector<std::pair<const char*, double>>& cols,
             lxw_format* f) {
  for (std::size_t c = 0; c < cols.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), cols[c].first, f);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), cols[c].second,
                         nullptr);
  }
  worksheet_set_row(ws, 0, 32, nullptr);
  worksheet_freeze_panes(ws, 1, 0);
}

void lot_row(lxw_worksheet* ws, lxw_row_t r, const LotRow& x, const Formats& f, bool total) {
  auto t = total ? f.b_text : f.text;
  lxw_col_t c = 0;
  if (total) {
    worksheet_write_string(ws, r, c++, "Total", t);
    worksheet_write_string(ws, r, c++, "", t);
    worksheet_write_string(ws, r, c++, "", t);
    worksheet_write_string(ws, r, c++, "", t);
  } else {
    worksheet_write_number(ws, r, c++, x.zone, f.integer);
    worksheet_write_string(ws, r, c++, x.zone_name.c_str(), t);
    worksheet_write_string(ws, r, c++, x.tier.c_str(), t);
    worksheet_write_string(ws, r, c++, x.lot_id.c_str(), t);
  }
  worksheet_write_string(ws, r, c++, total ? "" : x.role.c_str(), t);
  worksheet_write_number(ws, r, c++, x.share, total ? f.b_pct : f.pct);
  worksheet_write_number(ws, r, c++, x.weekly_hours, total ? f.b_hours : f.hours);
  if (x.customers)
    worksheet_write_number(ws, r, c++, static_cast<double>(*x.customers),
                           total ? f.b_integer : f.integer);
  else
    worksheet_write_string(ws, r, c++, "<5", t);
  worksheet_write_number(ws, r, c++, x.annual_hours, total ? f.b_integer : f.integer);
  worksheet_write_number(ws, r, c++, x.value_low, total ? f.b_money : f.money);
  worksheet_write_number(ws, r, c++, x.value_high, total ? f.b_money : f.money);
  worksheet_write_number(ws, r, c++, x.rural_share, total ? f.b_pct : f.pct);
  worksheet_write_number(ws, r, c++, x.rural_enhancement_low, total ? f.b_money : f.money);
  worksheet_write_number(ws, r, c++, x.rural_enhancement_high, total ? f.b_money : f.money);
  worksheet_write_number(ws, r, c++, x.travel_min, total ? f.b_dec1 : f.dec1);
  worksheet_write_number(ws, r, c++, x.workers, total ? f.b_dec1 : f.dec1);
  worksheet_write_number(ws, r, c++, x.travel_cost_per_contact_hour, total ? f.b_money2 : f.money2);
  for (const auto& gap : {x.call_gap_median_min, x.call_gap_p90_min})
    if (gap)
      worksheet_write_number(ws, r, c++, *gap, total ? f.b_dec1 : f.dec1);
    else
      worksheet_write_string(ws, r, c++, "", t);
  worksheet_write_number(ws, r, c++, x.unmet_hours, total ? f.b_hours : f.hours);
  worksheet_write_number(ws, r, c++, x.area_km2, total ? f.b_dec1 : f.dec1);
  worksheet_write_string(ws, r, c++, x.places.c_str(), t);
}

struct WorkbookFree {  // only on failure: workbook_close() writes and frees it
  void operator()(lxw_workbook* wb) const { lxw_workbook_free(wb); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookFree>;

// Sheet "Lots": one row per lot, the totals, and the hours in no zone under them.
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
           {"Main places", 36}},
          f.header);
  lxw_row_t r = 1;
  for (const LotRow& x : s.lots) lot_row(lots, r++, x, f, false);
  lot_row(lots, r, s.totals, f, true);
  worksheet_autofilter(lots, 0, 0, r - 1, 21);
  // Hours are never lost: demand outside every zone is stated under the totals.
  const double unassigned = ctx.metrics ? ctx.metrics->unassigned_hours : 0;
  if (unassigned > 0) {
    worksheet_write_string(lots, r + 2, 0, "Weekly hours of demand in no zone", f.text);
    worksheet_write_number(lots, r + 2, 6, unassigned, f.hours);
    worksheet_write_string(lots, r + 2, 8,
                           "not in the lots above: see the plan's metrics for the reasons", f.text);
  }
}

// Sheet "Postcode sectors": sector -> zone shares.
void sectors_sheet(lxw_workbook* wb, const Schedule& s, const Formats& f) {
  lxw_worksheet* sec = workbook_add_worksheet(wb, "Postcode sectors");
  headers(sec,
          {{"Postcode sector", 14},
           {"Zone", 6},
           {"Zone name", 24},
           {"Units (postcodes) in zone", 12},
           {"Share of the sector's units", 12},
           {"Share of the sector's hours", 12}},
          f.header);
  lxw_row_t r = 1;
  for (const SectorZoneRow& x : s.sectors) {
    worksheet_write_string(sec, r, 0, x.sector.c_str(), f.text);
    if (x.zone > 0)
      worksheet_write_number(sec, r, 1, x.zone, f.integer);
    else
      worksheet_write_string(sec, r, 1, "", f.text);
    worksheet_write_string(sec, r, 2, x.zone_name.c_str(), f.text);
    worksheet_write_number(sec, r, 3, x.units, f.integer);
    worksheet_write_number(sec, r, 4, x.unit_share, f.pct);
    worksheet_write_number(sec, r, 5, x.hours_share, f.pct);
    ++r;
  }
}

// Sheet "Assumptions": every figure the schedule rests on.
void assumptions_sheet(lxw_workbook* wb, const Schedule& s, const Formats& f) {
  lxw_worksheet* as = workbook_add_worksheet(wb, "Assumptions");
  headers(as, {{"Parameter", 34}, {"Value", 40}, {"Source / note", 70}}, f.header);
  lxw_row_t r = 1;
  for (const Assumption& a : s.assumptions) {
    worksheet_write_string(as, r, 0, a.name.c_str(), f.text);
    worksheet_write_string(as, r, 1, a.value.c_str(), f.text);
    worksheet_write_string(as, r, 2, a.note.c_str(), f.text);
    ++r;
  }
}

}  // namespace

void write_schedule_xlsx(const std::filesystem::path& file, const PackContext& ctx) {
  WorkbookPtr wb(workbook_new(file.c_str()));
  if (!wb) throw geo::DataError(geo::where(file) + "cannot create the workbook");
  std::string title = "Lot schedule \u2013 " + ctx.in->tender.buyer;
  lxw_doc_properties props{};
  props.title = title.data();
  props.author = const_cast<char*>(ctx.in->tender.buyer.c_str());
  props.comments = const_cast<char*>("Written by Lotwright");
  props.created = fixed_time(ctx.in->tender.start_date);
  workbook_set_properties(wb.get(), &props);
  const Formats f = formats(wb.get());
  lots_sheet(wb.get(), ctx, f);
  sectors_sheet(wb.get(), ctx.schedule, f);
  assumptions_sheet(wb.get(), ctx.schedule, f);
  check(workbook_close(wb.release()), file);
}

}  // namespace lotwright::tender::detail
