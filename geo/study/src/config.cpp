// load_config: the TOML configuration (toml++), validated key by key.
// Every message names the config file, the line of the offending key, the key as
// table.key and what was expected; an unknown key gets "did you mean X?".
#include "lotwright/study/config.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string_view>

#include <toml++/toml.h>

#include "lotwright/core/error.hpp"

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

std::string nearest(std::string_view key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const auto& k : known) {
    const std::size_t d = edit_distance(key, k);
    if (d < best_d) best_d = d, best = k;
  }
  return best;
}

// Reads one table: typed getters remember which keys were used; finish() rejects the rest.
class Reader {
 public:
  Reader(const fs::path& file, const toml::table& table, std::string prefix)
      : file_(file), table_(table), prefix_(std::move(prefix)) {}

  std::string full(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
  }

  long line_of(const toml::node& n) const { return static_cast<long>(n.source().begin.line); }
  long line() const { return static_cast<long>(table_.source().begin.line); }

  [[noreturn]] void fail(const toml::node* n, std::string_view key, const std::string& what) const {
    throw DataError(where(file_, n ? line_of(*n) : line()) + "key \"" + full(key) + "\": " + what);
  }

  const toml::node* get(std::string_view key) {
    known_.emplace_back(key);
    return table_.get(key);
  }

  bool has(std::string_view key) const { return table_.contains(key); }

  void str(std::string_view key, std::string& out, bool required = false) {
    const toml::node* n = get(key);
    if (!n) {
      if (required) missing(key, "a string");
      return;
    }
    if (!n->is_string()) fail(n, key, "expected a string");
    out = n->value_or(std::string());
  }

  void path(std::string_view key, fs::path& out, const fs::path& dir, bool required = false) {
    std::string s;
    str(key, s, required);
    if (s.empty()) {
      if (required && has(key)) fail(get(key), key, "expected a path, got an empty string");
      return;
    }
    fs::path p(s);
    if (p.is_relative()) p = dir / p;
    out = p.lexically_normal();
  }

  void number(std::string_view key, double& out, double min = -std::numeric_limits<double>::max(),
              double max = std::numeric_limits<double>::max()) {
    const toml::node* n = get(key);
    if (!n) return;
    double v = 0;
    if (n->is_integer())
      v = static_cast<double>(n->value_or<std::int64_t>(0));
    else if (n->is_floating_point())
      v = n->value_or(0.0);
    else
      fail(n, key, "expected a number");
    if (!std::isfinite(v) || v < min || v > max) {
      std::ostringstream s;
      s << "expected a number";
      if (min > -std::numeric_limits<double>::max()) s << " >= " << min;
      if (max < std::numeric_limits<double>::max()) s << " and <= " << max;
      fail(n, key, s.str());
    }
    out = v;
  }

  void optional_number(std::string_view key, std::optional<double>& out, double min) {
    if (!has(key)) {
      get(key);
      return;
    }
    double v = 0;
    number(key, v, min);
    out = v;
  }

  void integer(std::string_view key, std::int64_t& out, std::int64_t min) {
    const toml::node* n = get(key);
    if (!n) return;
    if (!n->is_integer()) fail(n, key, "expected an integer");
    const auto v = n->value_or<std::int64_t>(0);
    if (v < min) fail(n, key, "expected an integer >= " + std::to_string(min));
    out = v;
  }

  void boolean(std::string_view key, bool& out) {
    const toml::node* n = get(key);
    if (!n) return;
    if (!n->is_boolean()) fail(n, key, "expected true or false");
    out = n->value_or(false);
  }

  // A missing required key is reported by finish(), after unknown keys: a misspelt key
  // is then named with its suggestion rather than as missing.
  void missing(std::string_view key, const std::string& what) {
    if (pending_.empty())
      pending_ = where(file_, line()) + "missing required key \"" + full(key) + "\" (" + what + ")";
  }

  const toml::table* subtable(std::string_view key) {
    const toml::node* n = get(key);
    if (!n) return nullptr;
    if (!n->is_table()) fail(n, key, "expected a table [" + full(key) + "]");
    return n->as_table();
  }

  const toml::array* array_of_tables(std::string_view key) {
    const toml::node* n = get(key);
    if (!n) return nullptr;
    if (!n->is_array_of_tables())
      fail(n, key, "expected an array of tables [[" + full(key) + "]]");
    return n->as_array();
  }

  // Every key not asked for is an error naming the nearest known key.
  void finish() const {
    for (const auto& [k, n] : table_) {
      const std::string key(k.str());
      if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
      std::string msg = where(file_, static_cast<long>(k.source().begin.line)) + "unknown key \"" +
                        full(key) + "\"";
      if (!known_.empty()) msg += "; did you mean \"" + full(nearest(key, known_)) + "\"?";
      (void)n;
      throw DataError(msg);
    }
    if (!pending_.empty()) throw DataError(pending_);
  }

  const fs::path& file() const { return file_; }

 private:
  const fs::path& file_;
  const toml::table& table_;
  std::string prefix_;
  std::vector<std::string> known_;
  std::string pending_;
};

// A table naming a dataset: `path` (required), `layer`, then string keys (column names).
void read_dataset(Reader& r, fs::path& path, std::string& layer, const fs::path& dir,
                  std::initializer_list<std::pair<const char*, std::string*>> columns) {
  r.path("path", path, dir, true);
  r.str("layer", layer);
  for (const auto& [key, out] : columns) r.str(key, *out);
  r.finish();
}

void read_area(Reader& r, AreaConfig& a, const fs::path& dir) {
  r.str("name", a.name, true);
  r.path("boundary", a.boundary, dir, true);
  r.str("layer", a.layer);
  r.finish();
}

void read_postcodes(Reader& r, PostcodesConfig& p, const fs::path& dir) {
  read_dataset(r, p.path, p.layer, dir,
               {{"id", &p.id}, {"x", &p.x}, {"y", &p.y}, {"crs", &p.crs}});
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
    r.fail(r.get("profile"), "profile", "expected \"car\" or \"ebike\", got \"" + rc.profile + "\"");
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

void read_tender(Reader& r, TenderConfig& tc) {
  r.str("buyer", tc.buyer);
  r.str("ocid_prefix", tc.ocid_prefix);
  r.number("price_low", tc.price_low, 0);
  r.number("price_high", tc.price_high, 0);
  if (tc.price_high < tc.price_low)
    r.fail(r.get("price_high"), "price_high",
           "expected a price >= price_low (" + std::to_string(tc.price_low) + ")");
  r.number("rural_enhancement", tc.rural_enhancement, 0, 10);
  r.number("hours_per_worker", tc.hours_per_worker, 1);
  std::int64_t years = tc.contract_years, ext = tc.extension_years;
  r.integer("contract_years", years, 1);
  r.integer("extension_years", ext, 0);
  tc.contract_years = static_cast<int>(years);
  tc.extension_years = static_cast<int>(ext);
  r.str("start_date", tc.start_date);
  {
    const auto& s = tc.start_date;
    const bool ok = s.size() == 10 && s[4] == '-' && s[7] == '-' &&
                    std::all_of(s.begin(), s.end(), [](char c) {
                      return (c >= '0' && c <= '9') || c == '-';
                    });
    if (!ok) r.fail(r.get("start_date"), "start_date", "expected a date \"YYYY-MM-DD\"");
  }
  r.str("currency", tc.currency);
  if (const toml::array* roles = r.array_of_tables("roles")) {
    for (const toml::node& n : *roles) {
      Reader t(r.file(), *n.as_table(), r.full("roles"));
      TierRolesConfig trc;
      t.str("tier", trc.tier);
      const toml::node* list = t.get("roles");
      if (!list) {
        t.missing("roles", "a list like [{ name = \"Lead\", share = 0.6 }, ...]");
        t.finish();
      }
      const toml::array* arr = list->as_array();
      if (!arr || arr->empty())
        t.fail(list, "roles", "expected a non-empty list of { name = \"...\", share = 0.6 }");
      double sum = 0;
      for (const toml::node& rn : *arr) {
        const toml::table* rt = rn.as_table();
        if (!rt) t.fail(&rn, "roles", "expected each role as { name = \"...\", share = 0.6 }");
        Reader role(r.file(), *rt, t.full("roles"));
        RoleConfig rc;
        role.str("name", rc.name, true);
        if (!role.has("share")) role.missing("share", "the role's share of the lot's hours, 0..1");
        role.number("share", rc.share, 0, 1);
        role.finish();
        sum += rc.share;
        trc.roles.push_back(rc);
      }
      if (std::abs(sum - 1.0) > 1e-6)
        t.fail(list, "roles", "the shares add up to " + std::to_string(sum) + ", expected 1");
      t.finish();
      for (const auto& other : tc.roles)
        if (other.tier == trc.tier)
          t.fail(t.get("tier"), "tier", "roles for tier \"" + trc.tier + "\" are given twice");
      tc.roles.push_back(trc);
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

  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    std::ostringstream s;
    s << file.string() << ":" << src.begin.line << ":" << src.begin.column << ": "
      << e.description();
    throw DataError(s.str());
  }

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
  section("tender", c.tender, read_tender);
  top.finish();
  if (c.tender.buyer.empty()) c.tender.buyer = c.area.name + " Council";
  return c;
}

}  // namespace lotwright::geo
