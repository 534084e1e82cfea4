// Atomic writes and the GDAL-backed table reader.
#include "lotwright/gis/io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/gdal.hpp"

namespace lotwright::geo {
namespace {

namespace fs = std::filesystem;

// A name beside `target` that no other writer (thread or process) uses at the same time.
fs::path temp_beside(const fs::path& target, const char* kind) {
  static std::atomic<unsigned long> counter{0};
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  return parent / ("." + target.filename().string() + "." + kind + "-" +
                   std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// Creates the missing folders above `target`; returns the topmost one created ("" if none)
// so a failed write can remove what it made.
fs::path create_parents(const fs::path& target) {
  fs::path parent = target.parent_path();
  if (parent.empty()) return {};
  fs::path top;
  for (fs::path p = parent; !p.empty() && !fs::exists(p); p = p.parent_path()) {
    top = p;
    if (p == p.parent_path()) break;
  }
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw DataError(where(parent) + "cannot create folder: " + ec.message());
  return top;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::atomic<unsigned long> g_syncs{0};

// fsync of one file or folder (opened read-only; a folder with O_DIRECTORY).
void sync_one(const fs::path& p, bool folder) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
  if (fd < 0) throw DataError(where(p) + "cannot open to flush to disk: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  ++g_syncs;
  // EINVAL: a file system without fsync (a special file); nothing to flush there.
  if (rc != 0 && err != EINVAL)
    throw DataError(where(p) + "cannot flush to disk: " + std::strerror(err));
}

}  // namespace

void sync_to_disk(const fs::path& path) {
  std::error_code ec;
  const auto st = fs::symlink_status(path, ec);
  if (ec || !fs::exists(st)) throw DataError(where(path) + "cannot flush to disk: not found");
  if (fs::is_symlink(st)) return;  // the link itself is flushed with its folder
  if (!fs::is_directory(st)) return sync_one(path, false);
  // Files first, then their folders (deepest first), the folder itself last.
  std::vector<fs::path> folders;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const auto s = it->symlink_status();
    if (fs::is_directory(s))
      folders.push_back(it->path());
    else if (fs::is_regular_file(s))
      sync_one(it->path(), false);
  }
  if (ec) throw DataError(where(path) + "cannot flush to disk: " + ec.message());
  for (auto f = folders.rbegin(); f != folders.rend(); ++f) sync_one(*f, true);
  sync_one(path, true);
}

void sync_parent(const fs::path& path) {
  const fs::path abs = fs::absolute(path);
  const fs::path parent = (abs.filename().empty() ? abs.parent_path() : abs).parent_path();
  sync_one(parent.empty() ? fs::path("/") : parent, true);
}

unsigned long sync_count() { return g_syncs.load(); }

void write_atomic(const fs::path& file, const std::function<void(const fs::path& tmp)>& fill) {
  const fs::path created = create_parents(file);
  const fs::path tmp = temp_beside(file, "tmp");
  try {
    fill(tmp);
    if (!fs::exists(tmp)) throw DataError(where(file) + "nothing was written");
    sync_to_disk(tmp);  // the bytes on disk before the name points at them
    std::error_code ec;
    fs::rename(tmp, file, ec);
    if (ec) throw DataError(where(file) + "cannot write: " + ec.message());
    sync_parent(file);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    if (!created.empty()) fs::remove_all(created, ec);
    throw;
  }
}

void write_file_atomic(const fs::path& file, const std::string& content) {
  write_atomic(file, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw DataError(where(file) + "cannot write (is the folder writable?)");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) throw DataError(where(file) + "write failed (disk full?)");
  });
}

void write_dir_atomic(const fs::path& dir, const std::function<void(const fs::path& tmp)>& fill) {
  const fs::path target = dir.filename().empty() ? dir.parent_path() : dir;
  const fs::path created = create_parents(target);
  const fs::path tmp = temp_beside(target, "tmp");
  std::error_code ec;
  try {
    fs::create_directory(tmp, ec);
    if (ec) throw DataError(where(target) + "cannot create folder: " + ec.message());
    fill(tmp);
    sync_to_disk(tmp);
    if (fs::exists(target)) {
      const fs::path old = temp_beside(target, "old");
      fs::rename(target, old, ec);
      if (ec) throw DataError(where(target) + "cannot replace folder: " + ec.message());
      fs::rename(tmp, target, ec);
      if (ec) {
        std::error_code ec2;
        fs::rename(old, target, ec2);  // put the old folder back
        throw DataError(where(target) + "cannot replace folder: " + ec.message());
      }
      fs::remove_all(old, ec);
    } else {
      fs::rename(tmp, target, ec);
      if (ec) throw DataError(where(target) + "cannot write folder: " + ec.message());
    }
    sync_parent(target);
  } catch (...) {
    std::error_code ec2;
    fs::remove_all(tmp, ec2);
    if (!created.empty()) fs::remove_all(created, ec2);
    throw;
  }
}

bool is_sql_query(const std::string& layer) {
  std::size_t i = layer.find_first_not_of(" \t\r\n(");
  if (i == std::string::npos) return false;
  std::string word;
  for (; i < layer.size() && std::isalpha(static_cast<unsigned char>(layer[i])); ++i)
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(layer[i])));
  const bool ends = i == layer.size() || std::isspace(static_cast<unsigned char>(layer[i]));
  return ends && (word == "SELECT" || word == "WITH");
}

namespace {

// A query as messages show it: white space runs as one space, cut after 60 characters.
std::string shown_query(const std::string& sql) {
  std::string s;
  for (char c : sql) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    if (space && (s.empty() || s.back() == ' ')) continue;
    s += space ? ' ' : c;
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() > 60) {
    std::size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    s = s.substr(0, cut) + "...";
  }
  return s;
}

// "schema"."table" from GDAL's `schema.table` (split at the first dot), quotes doubled.
std::string quoted_table(const std::string& name) {
  auto ident = [](const std::string& id) {
    std::string q = "\"";
    for (char c : id) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  const std::size_t dot = name.find('.');
  if (dot == std::string::npos) return ident(name);
  return ident(name.substr(0, dot)) + "." + ident(name.substr(dot + 1));
}

}  // namespace

void postgis_input(fs::path& path, std::string& layer) {
  const std::string s = path.string();
  if (s.rfind("PG:", 0) != 0 || layer.empty() || s.find("tables=") != std::string::npos) return;
  if (layer.find('\0') != std::string::npos)
    throw DataError(where(path) + "layer: a NUL character in the name");
  if (!is_sql_query(layer) && layer.find_first_of(",()") != std::string::npos)
    layer = "SELECT * FROM " + quoted_table(layer);  // GDAL's table list splits at these
  if (is_sql_query(layer)) {
    path = s + " query=\"" + shown_query(layer) + "\"";
    return;
  }
  // GDAL's `tables=` list: 'quoted' (\' and \\ escaped) unless a plain name.
  if (layer.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") ==
      std::string::npos) {
    path = s + " tables=" + layer;
    return;
  }
  std::string q = "'";
  for (char c : layer) {
    if (c == '\'' || c == '\\') q += '\\';
    q += c;
  }
  path = s + " tables=" + q + "'";
}

Table read_table(const fs::path& file, const std::string& layer_name,
                 const std::vector<std::string>& columns) {
  const detail::OpenLayer opened = detail::open_layer(file, layer_name);
  OGRLayer* layer = opened.get();
  detail::GdalErrorCapture errors;

  Table t;
  t.file = file;
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  for (int i = 0; i < defn->GetFieldCount(); ++i)
    t.columns.emplace_back(defn->GetFieldDefn(i)->GetNameRef());

  std::vector<int> index;
  for (const auto& want : columns) {
    if (want.empty()) {
      index.push_back(-1);
      continue;
    }
    int found = -1;
    for (std::size_t i = 0; i < t.columns.size() && found < 0; ++i)
      if (t.columns[i] == want) found = static_cast<int>(i);
    for (std::size_t i = 0; i < t.columns.size() && found < 0; ++i)
      if (lower(t.columns[i]) == lower(want)) found = static_cast<int>(i);
    if (found < 0) {
      std::string list;
      for (std::size_t i = 0; i < t.columns.size(); ++i) list += (i ? ", " : "") + t.columns[i];
      throw DataError(where(file, detail::is_csv(file) ? 1 : 0) + "column \"" + want +
                      "\" not found; the columns are: " + (list.empty() ? "(none)" : list));
    }
    index.push_back(found);
  }

  const OGRSpatialReference* srs = layer->GetSpatialRef();
  t.crs_wkt = detail::crs_string(srs);
  const bool swap = detail::data_axis_north_first(srs);
  std::vector<long> lines;
  if (detail::is_csv(file)) lines = detail::csv_record_lines(file);

  const bool postgis = file.string().rfind("PG:", 0) == 0;
  layer->ResetReading();
  long n = 0;
  for (auto& feature : *layer) {
    ++n;
    TableRow row;
    if (!lines.empty())
      row.line = static_cast<std::size_t>(n) < lines.size() ? lines[n] : lines.back() + n;
    else if (postgis && *layer->GetFIDColumn())  // the primary key (GDAL's FID): "row 17"
      row.line = static_cast<long>(feature->GetFID());
    else
      row.line = n;
    row.values.reserve(index.size());
    for (int i : index) {
      if (i >= 0 && feature->IsFieldSetAndNotNull(i))
        row.values.emplace_back(feature->GetFieldAsString(i));
      else
        row.values.emplace_back();
    }
    if (const OGRGeometry* g = feature->GetGeometryRef()) {
      if (wkbFlatten(g->getGeometryType()) == wkbPoint && !g->IsEmpty()) {
        const auto* p = g->toPoint();
        row.point = swap ? Point{p->getY(), p->getX()} : Point{p->getX(), p->getY()};
      }
    }
    t.rows.push_back(std::move(row));
  }
  if (!errors.failure().empty()) throw DataError(where(file) + "read failed: " + errors.failure());
  if (t.rows.empty())
    throw DataError(where(file) + "no rows" +
                    (detail::is_csv(file) ? " (only a header)" : " (the layer has no features)"));
  return t;
}

double parse_number(const std::string& text, const fs::path& file, long line,
                    const std::string& column, bool allow_negative) {
  const std::string s = trim(text);
  auto fail = [&]() -> double {
    throw DataError(where(file, line) + "column \"" + column + "\": \"" + text +
                    "\" must be a number" + (allow_negative ? "" : " >= 0"));
  };
  if (s.empty()) return fail();
  std::string_view v(s);
  if (v.front() == '+') v.remove_prefix(1);
  double x = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(x)) return fail();
  if (!allow_negative && x < 0) return fail();
  if (x == 0) x = 0;  // no "-0"
  return x;
}

double parse_bounded(const std::string& text, const fs::path& file, long line,
                     const std::string& column, double max, const std::string& what) {
  const double x = parse_number(text, file, line, column);
  if (x > max) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", max);
    throw DataError(where(file, line) + "column \"" + column + "\": \"" + trim(text).substr(0, 40) +
                    "\" is beyond the sane bound of " + buf + " " + what + " (docs/robustness.md)");
  }
  return x;
}

}  // namespace lotwright::geo
