// `postcode,lot` files, strict or lenient, by one set of rules (plan_csv.hpp).
#include "lotwright/plan/plan_csv.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "lotwright/core/error.hpp"
#include "lotwright/core/text.hpp"
#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/study/county.hpp"

namespace lotwright::geo {
namespace fs = std::filesystem;

namespace {

using Numbering = PlanCsvOptions::Numbering;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

int find_column(const std::vector<std::string>& cols, std::initializer_list<const char*> names) {
  for (const char* want : names)
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (lower(trim(cols[i])) == want) return static_cast<int>(i);
  return -1;
}

// A value as shown in a message: at most 40 characters.
std::string cut(const std::string& s) { return s.size() > 40 ? s.substr(0, 40) + "..." : s; }

// True when the whole label is a number (then in v).
bool numeric(const std::string& s, double& v) {
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end && *end == '\0' && !s.empty();
}

// A lot number as written: a whole number from 1 gives index number-1; anything else -1.
int written_index(double v) {
  constexpr double kMaxLot = 1e6;  // far above any county's lots; keeps the int exact
  if (v < 1 || v > kMaxLot || v != std::floor(v)) return -1;
  return static_cast<int>(v) - 1;
}

// "N rows ... (FILE:LINE: "x", ...)": the first few examples of a lenient problem.
// `what`: the verb phrase for one row and for many ("names ..." / "name ...").
std::string with_examples(long n, const std::string& what_one, const std::string& what_many,
                          const std::vector<std::string>& ex) {
  std::string s = plural(n, "row") + " " + (n == 1 ? what_one : what_many) + " (";
  for (std::size_t i = 0; i < ex.size(); ++i) s += (i ? ", " : "") + ex[i];
  return s + (n > static_cast<long>(ex.size()) ? ", ..." : "") + ")";
}

struct Row {
  int unit;
  std::string lot;
  bool hub = false;
  long line = 0;
};

// Applies the row rules of plan_csv.hpp: keeps the rows that count, throws (strict) or
// counts (lenient) the others.
class RowReader {
 public:
  RowReader(const fs::path& file, const UnitGraph& g, const PlanCsvOptions& o,
            std::string postcode_column, std::string lot_column)
      : file_(file),
        g_(g),
        o_(o),
        pc_col_(std::move(postcode_column)),
        lot_col_(std::move(lot_column)),
        seen_line_(g.size(), 0),
        seen_lot_(g.size()) {}

  void add(const TableRow& r) {
    const std::string raw = trim(r.values[0]);
    const std::string lot = trim(r.values[1]);
    if (raw.empty() && lot.empty()) return;
    const int u = find_unit(raw);
    if (u < 0) {
      if (o_.strict) fail(r.line, pc_col_, "\"" + raw + "\" is not a postcode of this study");
      example(unknown_, unknown_examples_, r.line, raw);
      return;
    }
    double v = 0;
    const bool number = numeric(lot, v);
    if (lot.empty() || (number && v == 0)) {
      if (o_.strict)
        fail(r.line, lot_col_,
             "\"" + lot + "\" gives postcode " + g_.id[u] + " no lot; it must be a lot " +
                 (o_.numbering == Numbering::kAsWritten ? "number from 1 or a lot name"
                                                        : "number or name"));
      ++blank_;
      return;
    }
    // locked: a lot keeps its number in the design, so it must be given as one (a name
    // cannot say which lot of the design it is).
    if (!number && o_.strict && o_.numbering == Numbering::kAsWritten)
      fail(r.line, lot_col_,
           "\"" + cut(lot) + "\" must be a lot number from 1 (a locked lot keeps its number)");
    if (number && o_.numbering == Numbering::kAsWritten && written_index(v) < 0) {
      if (o_.strict) fail(r.line, lot_col_, "\"" + lot + "\" must be a lot number from 1");
      example(bad_number_, bad_examples_, r.line, lot);
      return;
    }
    if (seen_line_[u]) {
      ++dupes_;
      if (seen_lot_[u] != lot) conflict(u, lot, r.line);
      return;
    }
    seen_line_[u] = r.line;
    seen_lot_[u] = lot;
    double h = 0;
    rows.push_back(
        {u, lot, r.values.size() > 2 && numeric(trim(r.values[2]), h) && h == 1, r.line});
  }

  // Lenient problems, in a fixed order: conflicts row by row, then the counts.
  void report(std::vector<std::string>& probs) const {
    probs.insert(probs.end(), conflicts_.begin(), conflicts_.end());
    if (unknown_)
      probs.push_back(with_examples(unknown_, "names a postcode that is not a unit of this study",
                                    "name postcodes that are not units of this study",
                                    unknown_examples_) +
                      (unknown_ == 1 ? "; it is ignored" : "; they are ignored"));
    if (blank_)
      probs.push_back(plural(blank_, "row") + " " + has_have(blank_) + " no lot (blank or 0): " +
                      (blank_ == 1 ? "that postcode is" : "those postcodes are") + " unassigned");
    if (bad_number_)
      probs.push_back(with_examples(bad_number_, "has a lot that is not a whole number from 1",
                                    "have a lot that is not a whole number from 1", bad_examples_) +
                      (bad_number_ == 1 ? "; it is ignored" : "; they are ignored"));
    const long same = dupes_ - static_cast<long>(conflicts_.size());
    if (same) probs.push_back(plural(same, "duplicate row") + " (same postcode and lot) ignored");
  }

  std::vector<Row> rows;  // the rows that count, in file order

 private:
  int find_unit(const std::string& raw) const {
    int u = g_.find(raw);
    if (u < 0) {
      const std::string norm = normalise_postcode(raw);
      if (!norm.empty()) u = g_.find(norm);
    }
    return u;
  }

  [[noreturn]] void fail(long line, const std::string& column, const std::string& what) const {
    throw DataError(where(file_, line) + "column \"" + column + "\": " + what);
  }

  void example(long& count, std::vector<std::string>& ex, long line, const std::string& text) {
    ++count;
    if (ex.size() < 5) ex.push_back(where(file_, line) + "\"" + text + "\"");
  }

  void conflict(int u, const std::string& lot, long line) {
    const std::string what = "postcode " + g_.id[u] + " is in lot \"" + lot +
                             "\" here but in lot \"" + seen_lot_[u] + "\" on line " +
                             std::to_string(seen_line_[u]);
    if (o_.strict) fail(line, lot_col_, what);
    conflicts_.push_back(where(file_, line) + what + "; the first row counts");
  }

  const fs::path& file_;
  const UnitGraph& g_;
  const PlanCsvOptions& o_;
  std::string pc_col_, lot_col_;
  std::vector<long> seen_line_;
  std::vector<std::string> seen_lot_;
  long unknown_ = 0, blank_ = 0, bad_number_ = 0, dupes_ = 0;
  std::vector<std::string> unknown_examples_, bad_examples_, conflicts_;
};

// Lot label -> 0-based lot number, and the lot count (plan_csv.hpp, Numbering).
struct LotNumbers {
  std::map<std::string, int> index;
  int count = 0;
};

LotNumbers number_lots(const std::vector<Row>& rows, Numbering numbering) {
  std::set<std::string> labels;
  for (const auto& r : rows) labels.insert(r.lot);
  LotNumbers out;
  std::vector<std::string> names;  // labels that are not numbers, alphabetically
  double v = 0;
  if (numbering == Numbering::kAsWritten) {
    for (const auto& l : labels) {
      if (!numeric(l, v)) {
        names.push_back(l);
        continue;
      }
      out.index[l] = written_index(v);
      out.count = std::max(out.count, out.index[l] + 1);
    }
    for (const auto& n : names) out.index[n] = out.count++;
    return out;
  }
  std::vector<std::string> order(labels.begin(), labels.end());
  std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) {
    double x = 0, y = 0;
    const bool na = numeric(a, x), nb = numeric(b, y);
    if (na != nb) return na;
    if (na) return x < y;
    return a < b;
  });
  for (const auto& l : order) out.index[l] = out.count++;
  return out;
}

}  // namespace

PlanCsvRead read_plan_csv_lines(const fs::path& file, const UnitGraph& g,
                                const PlanCsvOptions& options, std::vector<std::string>* problems) {
  const Table head = read_table(file, "", {});
  const int pc =
      find_column(head.columns, {"postcode", "pcd", "pcds", "pcd7", "pcd8", "id", "unit"});
  const int lc = find_column(head.columns, {"lot", "zone", "lot_id", "zone_id", "area"});
  if (pc < 0 || lc < 0) {
    std::string list;
    for (std::size_t i = 0; i < head.columns.size(); ++i) list += (i ? ", " : "") + head.columns[i];
    throw DataError(where(file, detail::is_csv(file) ? 1 : 0) + "column \"" +
                    (pc < 0 ? "postcode" : "lot") + "\" not found; the columns are: " + list);
  }
  // hub (optional): "1" on each lot's hub postcode (plan_io writes it).
  const int hc = find_column(head.columns, {"hub"});
  const Table t = read_table(
      file, "", {head.columns[pc], head.columns[lc], hc >= 0 ? head.columns[hc] : std::string()});
  RowReader reader(file, g, options, head.columns[pc], head.columns[lc]);
  for (const auto& r : t.rows) reader.add(r);
  PlanCsvRead out;
  out.line.assign(g.size(), 0);
  for (const auto& r : reader.rows) out.line[static_cast<std::size_t>(r.unit)] = r.line;

  const LotNumbers lots = number_lots(reader.rows, options.numbering);
  Plan plan;
  plan.lot_count = lots.count;
  plan.lot_of.assign(g.size(), kNoLot);
  plan.hub.assign(static_cast<std::size_t>(lots.count), -1);
  plan.tier.assign(static_cast<std::size_t>(lots.count), "");
  plan.name.assign(static_cast<std::size_t>(lots.count), "");
  double v = 0;
  for (const auto& [label, l] : lots.index)
    if (!numeric(label, v)) plan.name[static_cast<std::size_t>(l)] = label;
  for (const auto& r : reader.rows)
    plan.lot_of[static_cast<std::size_t>(r.unit)] = lots.index.at(r.lot);
  out.line.resize(g.size(), 0);
  // The first hub row of each lot counts; a lot with none gets its hub from evaluate.
  for (const auto& r : reader.rows) {
    const int l = lots.index.at(r.lot);
    if (r.hub && l >= 0 && plan.hub[static_cast<std::size_t>(l)] < 0)
      plan.hub[static_cast<std::size_t>(l)] = r.unit;
  }

  if (problems && !options.strict) {
    reader.report(*problems);
    const auto missing = std::count(plan.lot_of.begin(), plan.lot_of.end(), kNoLot);
    if (missing)
      problems->push_back(plural(missing, "postcode") + " of the study " + is_are(missing) +
                          " in no lot of " + file.filename().string());
  }
  out.plan = std::move(plan);
  return out;
}

Plan read_plan_csv(const fs::path& file, const UnitGraph& g, const PlanCsvOptions& options,
                   std::vector<std::string>* problems) {
  return read_plan_csv_lines(file, g, options, problems).plan;
}

std::vector<std::string> reconcile_keep_from(const fs::path& keep_file, PlanCsvRead& keep,
                                             const UnitGraph& g, const fs::path& locked_file,
                                             const PlanCsvRead* locked, int lots) {
  std::vector<std::string> out;
  auto& kept = keep.plan.lot_of;
  for (std::size_t u = 0; u < kept.size() && u < g.size(); ++u) {
    const int l = kept[u];
    if (l == kNoLot) continue;
    const std::string here = where(keep_file, keep.line[u]) + "postcode " + g.id[u] + ": ";
    const int lock = locked && u < locked->plan.lot_of.size() ? locked->plan.lot_of[u] : kNoLot;
    if (lock != kNoLot && lock != l) {
      out.push_back(here + "keep_from puts it in lot " + std::to_string(l + 1) + ", but " +
                    where(locked_file, locked->line[u]) + "locks it in lot " +
                    std::to_string(lock + 1) + "; the lock counts");
      kept[u] = kNoLot;
    } else if (lots > 0 && l >= lots) {
      out.push_back(here + "keep_from puts it in lot " + std::to_string(l + 1) +
                    ", but the design has " + std::to_string(lots) +
                    " lots; it goes where the "
                    "design puts it");
      kept[u] = kNoLot;
    }
  }
  if (!out.empty())
    out.push_back("keep_from: " + plural(static_cast<long>(out.size()), "postcode") +
                  " could not be kept where " + keep_file.filename().string() +
                  " puts them (above); every other postcode of it is kept as far as the "
                  "constraints allow");
  return out;
}

Plan read_plan_csv(const fs::path& file, const UnitGraph& g, std::vector<std::string>* problems) {
  return read_plan_csv(file, g, PlanCsvOptions{}, problems);
}

}  // namespace lotwright::geo
