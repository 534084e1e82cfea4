#pragma once
// Reading a TOML configuration table key by key (toml++), for study's load_config and for
// the modules that own a table of the same file ([tender]: lotwright::tender). Every
// message names the config file, the line of the offending key, the key as table.key and
// what was expected; an unknown key gets "did you mean X?".
#include <toml++/toml.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "lotwright/core/error.hpp"

namespace lotwright::geo {

// The known key nearest to key (edit distance), for "did you mean ...?".
std::string nearest_key(std::string_view key, const std::vector<std::string>& known);

// Parses a TOML file; a syntax error is a DataError "FILE:LINE:COLUMN: what".
toml::table parse_toml_file(const std::filesystem::path& file);

// Reads one table: typed getters remember which keys were used; finish() rejects the rest.
class ConfigReader {
 public:
  ConfigReader(const std::filesystem::path& file, const toml::table& table, std::string prefix)
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
    // Config text goes into XML (xlsx), JSON, PDF and DBF: no control characters.
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto c = static_cast<unsigned char>(out[i]);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%02X", c);
        fail(n, key,
             std::string("contains a control character (") + buf + " at character " +
                 std::to_string(i + 1) + "); write the text without it");
      }
    }
  }

  void path(std::string_view key, std::filesystem::path& out, const std::filesystem::path& dir,
            bool required = false) {
    std::string s;
    str(key, s, required);
    if (s.empty()) {
      if (required && has(key)) fail(get(key), key, "expected a path, got an empty string");
      return;
    }
    if (s.rfind("PG:", 0) == 0) {  // a PostGIS connection string, kept as written
      out = s;
      return;
    }
    std::filesystem::path p(s);
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

  void integer(std::string_view key, std::int64_t& out, std::int64_t min,
               std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
    const toml::node* n = get(key);
    if (!n) return;
    if (!n->is_integer()) fail(n, key, "expected an integer");
    const auto v = n->value_or<std::int64_t>(0);
    if (v < min || v > max)
      fail(n, key,
           "expected an integer >= " + std::to_string(min) +
               (max < std::numeric_limits<std::int64_t>::max() ? " and <= " + std::to_string(max)
                                                               : std::string()));
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
    if (!n->is_array_of_tables()) fail(n, key, "expected an array of tables [[" + full(key) + "]]");
    return n->as_array();
  }

  // Every key not asked for is an error naming the nearest known key.
  void finish() const {
    for (const auto& [k, n] : table_) {
      const std::string key(k.str());
      if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
      std::string msg = where(file_, static_cast<long>(k.source().begin.line)) + "unknown key \"" +
                        full(key) + "\"";
      if (!known_.empty()) msg += "; did you mean \"" + full(nearest_key(key, known_)) + "\"?";
      (void)n;
      throw DataError(msg);
    }
    if (!pending_.empty()) throw DataError(pending_);
  }

  const std::filesystem::path& file() const { return file_; }

 private:
  const std::filesystem::path& file_;
  const toml::table& table_;
  std::string prefix_;
  std::vector<std::string> known_;
  std::string pending_;
};

}  // namespace lotwright::geo
