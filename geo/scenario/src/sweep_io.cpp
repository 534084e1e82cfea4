// Sweep folders (sweep.hpp): the [sweep] config table, writing a (shard's) sweep folder and
// merging shard folders.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/plan_io.hpp"
#include "lotwright/scenario/sweep.hpp"
#include "lotwright/study/config_reader.hpp"
#include "report_draw.hpp"

namespace lotwright::geo {
namespace fs = std::filesystem;

namespace {

void check_objectives(const std::vector<std::string>& objectives, const std::string& where_) {
  const auto& cols = sweep_figure_columns();
  for (const auto& o : objectives) {
    const std::string name = !o.empty() && o[0] == '-' ? o.substr(1) : o;
    if (std::find(cols.begin(), cols.end(), name) == cols.end())
      throw DataError(where_ + "objective \"" + o + "\" is not a sweep.csv figure column (" +
                      "for example mean_travel_min, call_gap_p90_min, -lots_within_band)");
  }
}

TiersSet read_tiers_set(ConfigReader& r) {
  TiersSet set;
  r.str("name", set.name, true);
  if (set.name.find_first_of(",\"\n") != std::string::npos)
    r.fail(r.get("name"), "name", "expected a name without commas or quotes");
  const toml::array* tiers = r.array_of_tables("tiers");
  if (!tiers || tiers->empty())
    r.missing("tiers", "[[sweep.tiers_sets.tiers]] tables with name, min_hours, max_hours");
  if (tiers)
    for (const toml::node& n : *tiers) {
      ConfigReader t(r.file(), *n.as_table(), r.full("tiers"));
      TierConfig tc;
      t.str("name", tc.name, true);
      if (!t.has("max_hours")) t.missing("max_hours", "the tier's upper band in hours a week");
      t.number("min_hours", tc.min_hours, 0);
      t.number("max_hours", tc.max_hours, 0);
      if (t.has("max_hours") && (tc.max_hours < tc.min_hours || tc.max_hours <= 0))
        t.fail(t.get("max_hours"), "max_hours", "expected a number > 0 and >= min_hours");
      t.optional_number("max_travel_minutes", tc.max_travel_minutes, 0);
      t.finish();
      set.tiers.push_back(tc);
    }
  r.finish();
  return set;
}

}  // namespace

SweepSpec read_sweep_config(const Config& config) {
  SweepSpec spec;
  if (config.file.empty() || !fs::is_regular_file(config.file)) return spec;
  const toml::table root = parse_toml_file(config.file);
  const toml::node* node = root.get("sweep");
  if (!node || !node->as_table()) return spec;
  ConfigReader r(config.file, *node->as_table(), "sweep");
  std::string lots, travel, tol;
  r.str("lots", lots);
  r.str("max_travel", travel);
  r.str("tolerance", tol);
  auto at = [&](const char* key) { return where(config.file, r.line_of(*r.get(key))); };
  try {
    if (!lots.empty()) spec.lots = parse_int_axis(lots, "sweep.lots");
    if (!travel.empty()) spec.max_travel = parse_number_axis(travel, "sweep.max_travel");
    if (!tol.empty()) spec.tolerance = parse_number_axis(tol, "sweep.tolerance");
  } catch (const UsageError& e) {
    throw DataError(at(!lots.empty()     ? "lots"
                       : !travel.empty() ? "max_travel"
                                         : "tolerance") +
                    e.what());
  }
  r.number("price_per_hour", spec.price_per_hour, 0);
  if (const toml::node* obj = r.get("objectives")) {
    const toml::array* a = obj->as_array();
    if (!a) r.fail(obj, "objectives", "expected a list of sweep.csv column names");
    spec.objectives.clear();
    for (const auto& e : *a) {
      if (!e.is_string()) r.fail(obj, "objectives", "expected a list of strings");
      spec.objectives.push_back(e.value_or(std::string()));
    }
    check_objectives(spec.objectives, where(config.file, r.line_of(*obj)));
  }
  if (const toml::array* sets = r.array_of_tables("tiers_sets"))
    for (const toml::node& n : *sets) {
      ConfigReader t(config.file, *n.as_table(), "sweep.tiers_sets");
      spec.tiers_sets.push_back(read_tiers_set(t));
    }
  r.finish();
  return spec;
}

namespace {

std::string shard_txt(int shard, int shards, int total, const SweepSpec& spec,
                      const std::string& title) {
  std::ostringstream o;
  o << "shard " << shard << "/" << shards << "\nscenarios " << total << "\nobjectives ";
  for (std::size_t i = 0; i < spec.objectives.size(); ++i)
    o << (i ? "," : "") << spec.objectives[i];
  o << "\ntitle " << title << "\n";
  return o.str();
}

struct ShardInfo {
  int total = 0;
  std::string objectives;
  std::string title;
};

ShardInfo read_shard_txt(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw DataError(where(file) + "cannot open: not a sweep folder (no shard.txt)");
  ShardInfo s;
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    ++n;
    const auto sp = line.find(' ');
    const std::string key = line.substr(0, sp);
    const std::string value = sp == std::string::npos ? "" : line.substr(sp + 1);
    if (key == "scenarios") {
      try {
        s.total = std::stoi(value);
      } catch (const std::exception&) {
        throw DataError(where(file, n) + "\"scenarios\": expected a whole number");
      }
    } else if (key == "objectives") {
      s.objectives = value;
    } else if (key == "title") {
      s.title = value;
    }
  }
  if (s.total <= 0) throw DataError(where(file) + "no \"scenarios N\" line");
  return s;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, ',')) out.push_back(cur);
  return out;
}

// sweep.csv, pareto.csv, sweep.pdf of the rows, maps from tmp/scenarios. The Pareto set and
// the PDF are made from the rows as sweep.csv holds them (rounded), the same rows a merge
// reads back, so a merged sweep equals the unsharded one in every file.
void write_tables(const fs::path& tmp, const std::vector<SweepRow>& designed,
                  const std::vector<std::string>& objectives, const std::string& title) {
  write_file_atomic(tmp / "sweep.csv", sweep_csv(designed));
  const auto rows = read_sweep_csv(tmp / "sweep.csv");
  const auto pareto = pareto_rows(rows, objectives);
  write_file_atomic(tmp / "pareto.csv", sweep_csv(pareto));
  write_sweep_pdf(tmp / "sweep.pdf", rows, pareto, tmp / "scenarios", title);
}

}  // namespace

void write_sweep(const fs::path& dir, const Study& study, const SweepResult& r,
                 const SweepSpec& spec, const SweepOptions& options, int total_scenarios) {
  const std::string title = study.config.area.name;
  write_dir_atomic(dir, [&](const fs::path& tmp) {
    fs::create_directories(tmp / "scenarios");
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
      if (r.plans[i].lot_of.empty()) continue;  // no plan could be made
      const std::string stem = report::number3(r.rows[i].scenario);
      save_assignment_csv(tmp / "scenarios" / (stem + ".csv"), study.graph, r.plans[i]);
      write_plan_png(tmp / "scenarios" / (stem + ".png"), study, r.plans[i], 360);
    }
    write_file_atomic(tmp / "shard.txt",
                      shard_txt(options.shard, options.shards, total_scenarios, spec, title));
    write_tables(tmp, r.rows, spec.objectives, title);
  });
}

void merge_sweeps(const std::vector<fs::path>& shards, const fs::path& out) {
  if (shards.empty()) throw UsageError("--merge needs the shard folders to merge");
  std::vector<ShardInfo> infos;
  for (const auto& d : shards) infos.push_back(read_shard_txt(d / "shard.txt"));
  for (std::size_t i = 1; i < infos.size(); ++i)
    if (infos[i].total != infos[0].total || infos[i].objectives != infos[0].objectives)
      throw DataError(where(shards[i] / "shard.txt") + "a different sweep from " +
                      shards[0].string() + " (" + std::to_string(infos[i].total) + " vs " +
                      std::to_string(infos[0].total) + " scenarios, or other objectives)");
  const int total = infos[0].total;
  std::map<int, std::pair<SweepRow, std::size_t>> by_index;  // scenario -> row, shard
  for (std::size_t i = 0; i < shards.size(); ++i)
    for (auto& row : read_sweep_csv(shards[i] / "sweep.csv")) {
      if (row.scenario < 1 || row.scenario > total)
        throw DataError(where(shards[i] / "sweep.csv") + "scenario " +
                        std::to_string(row.scenario) + " is outside 1.." + std::to_string(total));
      const auto [it, fresh] = by_index.emplace(row.scenario, std::make_pair(row, i));
      if (!fresh)
        throw DataError(where(shards[i] / "sweep.csv") + "scenario " +
                        std::to_string(row.scenario) + " is also in " +
                        shards[it->second.second].string() + " (shards overlap)");
    }
  std::string missing;
  for (int s = 1; s <= total; ++s)
    if (!by_index.count(s)) missing += (missing.empty() ? "" : ", ") + std::to_string(s);
  if (!missing.empty())
    throw DataError("the shards hold " + std::to_string(by_index.size()) + " of " +
                    std::to_string(total) + " scenarios; missing: " + missing);
  std::vector<SweepRow> rows;
  for (auto& [s, v] : by_index) rows.push_back(v.first);
  SweepSpec spec;
  spec.objectives = split_commas(infos[0].objectives);
  write_dir_atomic(out, [&](const fs::path& tmp) {
    fs::create_directories(tmp / "scenarios");
    for (const auto& [s, v] : by_index)
      for (const char* ext : {".csv", ".png"}) {
        const fs::path src = shards[v.second] / "scenarios" / (report::number3(s) + ext);
        if (fs::exists(src)) fs::copy_file(src, tmp / "scenarios" / src.filename());
      }
    write_file_atomic(tmp / "shard.txt", shard_txt(1, 1, total, spec, infos[0].title));
    write_tables(tmp, rows, spec.objectives, infos[0].title);
  });
}

}  // namespace lotwright::geo
