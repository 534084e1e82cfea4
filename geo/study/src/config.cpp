// load_config: the TOML configuration (toml++), validated key by key with ConfigReader
// (config_reader.hpp). The [tender] table belongs to lotwright::tender.
#include "lotwright/study/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string_view>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/study/config_reader.hpp"

namespace lotwright::geo {
namespace {

namespace fs = std::filesystem;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string nearest_key(std::string_view key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const auto& k : known) {
    const std::size_t d = edit_distance(key, k);
    if (d < best_d) best_d = d, best = k;
  }
  return best;
}

namespace {

// Bounds toml++ itself does not keep (docs/robustness.md): a config is a small text file,
// and a key nested thousands of levels deep (`[k.k.k....]`) overflowed the stack inside
// toml++ (found by fuzz_config_toml). Dots between digits (1.5) and inside strings do not
// count.
constexpr std::size_t kMaxConfigBytes = 1 << 20;
constexpr int kMaxKeyDepth = 64;

std::string read_config_text(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (!ec && size > kMaxConfigBytes)
    throw DataError(where(file) + "a config file of " + std::to_string(size) +
                    " bytes; expected a small text file (at most 1 MB)");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(where(file) + "cannot read the config file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  long line = 1;
  int dots = 0;
  char quote = 0;  // inside a string: its quote character
  auto digit = [&](std::size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      dots = 0;
      if (quote == '"' || quote == '\'') quote = 0;  // a one-line string ends with its line
      continue;
    }
    if (quote) {
      if (c == '\\' && quote != '\'' && quote != 'L')
        ++i;  // an escape in a basic string
      else if (quote == 'B' && text.compare(i, 3, "\"\"\"") == 0)
        quote = 0, i += 2;
      else if (quote == 'L' && text.compare(i, 3, "\'\'\'") == 0)
        quote = 0, i += 2;
      else if ((quote == '"' && c == '"') || (quote == '\'' && c == '\''))
        quote = 0;
      continue;
    }
    if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (text.compare(i, 3, "\"\"\"") == 0) {
      quote = 'B', i += 2;
    } else if (text.compare(i, 3, "\'\'\'") == 0) {
      quote = 'L', i += 2;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '.' && !(i > 0 && digit(i - 1) && digit(i + 1)) && ++dots > kMaxKeyDepth) {
      throw DataError(where(file, line) + "a key nested more than " + std::to_string(kMaxKeyDepth) +
                      " levels deep; expected at most " + std::to_string(kMaxKeyDepth));
    }
  }
  return text;
}

}  // namespace

toml::table parse_toml_file(const fs::path& file) {
  try {
    const std::string text = read_config_text(file);
    return toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    std::ostringstream s;
    s << file.string() << ":" << src.begin.line << ":" << src.begin.column << ": "
      << e.description();
    throw DataError(s.str());
  }
}

namespace {

using Reader = ConfigReader;

// A PostGIS input (`PG:...`) opens only its table or query, named in errors (gis/io.hpp,
// docs/database.md).
void pg_table(fs::path& path, std::string& layer) { postgis_input(path, layer); }

// A table naming a dataset: `path` (required), `layer`, then string keys (column names).
void read_dataset(Reader& r, fs::path& path, std::string& layer, const fs::path& dir,
                  std::initializer_list<std::pair<const char*, std::string*>> columns) {
  r.path("path", path, dir, true);
  r.str("layer", layer);
  pg_table(path, layer);
  for (const auto& [key, out] : columns) r.str(key, *out);
  r.finish();
}

void read_area(Reader& r, AreaConfig& a, const fs::path& dir) {
  r.str("name", a.name, true);
  r.path("boundary", a.boundary, dir, true);
  r.str("layer", a.layer);
  pg_table(a.boundary, a.layer);
  r.finish();
}

void read_postcodes(Reader& r, PostcodesConfig& p, const fs::path& dir) {
  read_dataset(r, p.path, p.layer, dir, {{"id", &p.id}, {"x", &p.x}, {"y", &p.y}, {"crs", &p.crs}});
}

void read_units(Reader& r, UnitsConfig& u, const fs::path& dir) {
  if (!r.has("id")) r.missing("id", "the unit id column");
  read_dataset(r, u.path, u.layer, dir, {{"id", &u.id}});
}

void read_demand(Reader& r, DemandConfig& d, const fs::path& dir) {
  read_dataset(r, d.path, d.layer, dir,
               {{"postcode", &d.postcode},
                {"hours", &d.hours},
                {"customers", &d.customers},
                {"unmet_hours", &d.unmet_hours}});
}

void read_roads(Reader& r, RoadsConfig& rc, const fs::path& dir) {
  r.path("osm", rc.osm, dir);
  r.str("profile", rc.profile);
  if (rc.profile != "car" && rc.profile != "ebike")
    r.fail(r.get("profile"), "profile",
           "expected \"car\" or \"ebike\", got \"" + rc.profile + "\"");
  r.boolean("ferries", rc.ferries);
  r.number("ferry_minutes", rc.ferry_minutes, 0);
  r.number("max_snap_m", rc.max_snap_m, 0);
  r.number("neighbour_minutes", rc.neighbour_minutes, 0);
  r.number("neighbour_detour", rc.neighbour_detour, 1);
  r.path("cache_dir", rc.cache_dir, dir);
  r.finish();
}

void read_rural(Reader& r, RuralConfig& rc, const fs::path& dir) {
  read_dataset(r, rc.path, rc.layer, dir,
               {{"key", &rc.key}, {"postcode_key", &rc.postcode_key}, {"class", &rc.cls}});
}

void read_population(Reader& r, PopulationConfig& p, const fs::path& dir) {
  read_dataset(r, p.path, p.layer, dir,
               {{"key", &p.key}, {"postcode_key", &p.postcode_key}, {"count", &p.count}});
}

void read_design(Reader& r, DesignConfig& d, const fs::path& dir) {
  if (r.has("lots")) {
    std::int64_t lots = 0;
    r.integer("lots", lots, 1);
    if (lots > 100000) r.fail(r.get("lots"), "lots", "expected an integer between 1 and 100000");
    d.lots = static_cast<int>(lots);
  } else {
    r.get("lots");
  }
  r.number("tolerance", d.tolerance, 0, 1);
  r.number("max_travel_minutes", d.max_travel_minutes, 0);
  std::int64_t seed = static_cast<std::int64_t>(d.seed);
  r.integer("seed", seed, 0);
  d.seed = static_cast<std::uint64_t>(seed);
  r.path("locked", d.locked, dir);
  r.path("keep_from", d.keep_from, dir);
  r.number("time_limit_seconds", d.time_limit_seconds, 0);
  r.optional_number("max_call_gap_minutes", d.max_call_gap_minutes, 0);
  if (d.max_call_gap_minutes && *d.max_call_gap_minutes <= 0)
    r.fail(r.get("max_call_gap_minutes"), "max_call_gap_minutes",
           "expected a number of minutes > 0");
  r.number("call_gap_weight", d.call_gap_weight, 0);
  if (const toml::array* tiers = r.array_of_tables("tiers")) {
    if (d.lots)
      r.fail(r.get("tiers"), "tiers",
             "give either \"design.lots\" (equal lots) or [[design.tiers]] (tier bands), not both");
    for (const toml::node& n : *tiers) {
      Reader t(r.file(), *n.as_table(), r.full("tiers"));
      TierConfig tc;
      t.str("name", tc.name, true);
      if (!t.has("max_hours")) t.missing("max_hours", "the tier's upper band in hours a week");
      t.number("min_hours", tc.min_hours, 0);
      t.number("max_hours", tc.max_hours, 0);
      if (t.has("max_hours") && (tc.max_hours < tc.min_hours || tc.max_hours <= 0))
        t.fail(t.get("max_hours"), "max_hours",
               "expected a number > 0 and >= min_hours (" + std::to_string(tc.min_hours) + ")");
      t.optional_number("max_travel_minutes", tc.max_travel_minutes, 0);
      t.finish();
      for (const auto& other : d.tiers)
        if (other.name == tc.name)
          t.fail(t.get("name"), "name", "tier \"" + tc.name + "\" is defined twice");
      d.tiers.push_back(tc);
    }
  }
  r.finish();
}

// "HH:MM" (or whole minutes) of a [[rounds.windows]] entry, as minutes after midnight.
void read_clock(Reader& r, const char* key, int& out) {
  const toml::node* n = r.get(key);
  if (!n) return r.missing(key, "a time of day \"HH:MM\"");
  int h = -1, m = -1;
  char extra = 0;
  const std::string s = n->value_or(std::string());
  if (!n->is_string() || std::sscanf(s.c_str(), "%d:%d%c", &h, &m, &extra) != 2 || h < 0 ||
      h > 24 || m < 0 || m > 59 || h * 60 + m > 24 * 60)
    r.fail(n, key, "expected a time of day \"HH:MM\" (00:00 to 24:00)");
  out = h * 60 + m;
}

void read_rounds(Reader& r, RoundParams& rc) {
  std::int64_t v = rc.days_per_week;
  r.integer("days_per_week", v, 1);
  if (v > 7) r.fail(r.get("days_per_week"), "days_per_week", "expected an integer from 1 to 7");
  rc.days_per_week = static_cast<int>(v);
  r.number("min_visit_minutes", rc.min_visit_minutes, 1);
  r.number("hours_per_customer_if_unknown", rc.hours_per_customer_if_unknown, 0.01);
  r.number("shift_minutes", rc.shift_minutes, 1);
  r.number("hours_per_worker", rc.hours_per_worker, 1, 168);
  r.number("pay_per_hour", rc.pay_per_hour, 0);
  r.number("mileage_per_mile", rc.mileage_per_mile, 0);
  r.number("detour_factor", rc.detour_factor, 1);
  r.number("road_speed_mph", rc.road_speed_mph, 0);
  r.number("max_leg_minutes", rc.max_leg_minutes, 1);
  v = rc.search_neighbours;
  r.integer("search_neighbours", v, 0);
  rc.search_neighbours = static_cast<int>(std::min<std::int64_t>(v, 1000000));
  v = static_cast<std::int64_t>(rc.seed);
  r.integer("seed", v, 0);
  rc.seed = static_cast<std::uint64_t>(v);
  v = rc.threads;
  r.integer("threads", v, 0);
  rc.threads = static_cast<unsigned>(std::min<std::int64_t>(v, 1024));
  if (const toml::array* windows = r.array_of_tables("windows")) {
    rc.windows.clear();  // the config's windows replace the library's four
    for (const toml::node& n : *windows) {
      Reader w(r.file(), *n.as_table(), r.full("windows"));
      RoundWindow wc;
      w.str("name", wc.name, true);
      read_clock(w, "start", wc.start_min);
      read_clock(w, "end", wc.end_min);
      std::int64_t rank = static_cast<std::int64_t>(rc.windows.size());
      w.integer("rank", rank, 0);
      wc.rank = static_cast<int>(std::min<std::int64_t>(rank, 1000));
      w.finish();
      if (wc.end_min <= wc.start_min) w.fail(w.get("end"), "end", "expected a time after start");
      if (!rc.windows.empty() && wc.start_min < rc.windows.back().end_min)
        w.fail(w.get("start"), "start",
               "windows must be in order of the day and not overlap (\"" + rc.windows.back().name +
                   "\" ends later)");
      rc.windows.push_back(wc);
    }
  }
  r.finish();
}

}  // namespace

Config load_config(const std::filesystem::path& file_in) {
  std::error_code ec;
  fs::path file = fs::absolute(file_in, ec).lexically_normal();
  if (ec) file = file_in;
  if (!fs::exists(file)) throw DataError(where(file) + "config file not found");
  if (!fs::is_regular_file(file)) throw DataError(where(file) + "config path is not a file");

  const toml::table root = parse_toml_file(file);

  Config c;
  c.file = file;
  c.dir = file.parent_path();
  Reader top(c.file, root, "");
  // Reads [name] with read(reader, out) when present; a required one must be there.
  auto section = [&](const char* name, auto& out, auto read, const char* required = nullptr) {
    const toml::table* t = top.subtable(name);
    if (!t) {
      if (required) top.missing(name, required);
      return;
    }
    Reader r(c.file, *t, name);
    if constexpr (requires { out.emplace(); }) {
      read(r, out.emplace());
    } else {
      read(r, out);
    }
  };
  const fs::path& dir = c.dir;
  auto with_dir = [&](auto fn) { return [fn, &dir](Reader& r, auto& out) { fn(r, out, dir); }; };
  section("area", c.area, with_dir(read_area), "a table [area] with name and boundary");
  section("postcodes", c.postcodes, with_dir(read_postcodes), "a table [postcodes] with path");
  section("units", c.units, with_dir(read_units));
  section("demand", c.demand, with_dir(read_demand));
  section("roads", c.roads, with_dir(read_roads));
  section("rural", c.rural, with_dir(read_rural));
  section("population", c.population, with_dir(read_population));
  section("design", c.design, with_dir(read_design));
  section("rounds", c.rounds, read_rounds);
  top.subtable("tender");  // lotwright::tender reads it (load_tender_config)
  top.subtable("sweep");   // lotwright::scenario reads it (read_sweep_config)
  top.finish();
  return c;
}

std::vector<std::filesystem::path> config_inputs(const Config& cfg) {
  std::vector<std::filesystem::path> in = {cfg.file,      cfg.area.boundary, cfg.postcodes.path,
                                           cfg.roads.osm, cfg.design.locked, cfg.design.keep_from};
  if (cfg.units) in.push_back(cfg.units->path);
  if (cfg.demand) in.push_back(cfg.demand->path);
  if (cfg.rural) in.push_back(cfg.rural->path);
  if (cfg.population) in.push_back(cfg.population->path);
  return in;
}

}  // namespace lotwright::geo
