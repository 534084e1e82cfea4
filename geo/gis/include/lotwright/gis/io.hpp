#pragma once
// File helpers: atomic writes (temporary file/folder in the same directory, then rename),
// and a GDAL-backed table reader that reports file:line:column on every problem.
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lotwright/core/types.hpp"

namespace lotwright::geo {

// Writes `content` to `file` via a temporary file in the same folder and rename().
void write_file_atomic(const std::filesystem::path& file, const std::string& content);

// Calls `fill(tmp_path)` to write a file, then renames tmp_path onto `file`. If fill
// throws, the temporary is removed and `file` is untouched.
void write_atomic(const std::filesystem::path& file,
                  const std::function<void(const std::filesystem::path& tmp)>& fill);

// A folder written as a whole: fill(tmp_dir) writes into a fresh temporary folder beside
// `dir`; on success the old `dir` (if any) is replaced by it; on failure nothing changes.
void write_dir_atomic(const std::filesystem::path& dir,
                      const std::function<void(const std::filesystem::path& tmp)>& fill);

// Flushes `path` to the disk (fsync): a file, or a folder with everything in it (each file,
// then each folder, the folder itself last). Every atomic write syncs what it staged before
// the rename and the folder holding it after, so a power cut cannot leave a renamed but
// empty or partial file. Throws DataError naming the path when the system refuses.
void sync_to_disk(const std::filesystem::path& path);
// fsync of the folder holding `path` (makes a rename of `path` durable).
void sync_parent(const std::filesystem::path& path);
// Test hook: how many fsync calls this process has made through the two above.
unsigned long sync_count();

// One row of any OGR layer (CSV, GeoPackage, Shapefile, GeoJSON, ...).
struct TableRow {
  long line = 0;                    // CSV: 1-based line in the file (header = 1); else feature no.
  std::vector<std::string> values;  // in the order of the requested columns ("" when null)
  std::optional<Point> point;       // geometry when it is a point (source CRS)
};

struct Table {
  std::filesystem::path file;
  std::vector<std::string> columns;  // every column of the layer
  std::vector<TableRow> rows;
  std::string crs_wkt;  // layer CRS ("" when none, e.g. CSV)
};

// True when a PostGIS input's `layer` is an SQL query (it begins with SELECT or WITH).
bool is_sql_query(const std::string& layer);

// A PostGIS input (`path` "PG:...", `layer` a table, view or query) as the readers open it
// (docs/database.md): a table is added to the connection string (`tables=NAME`, quoted when
// it holds spaces or quotes) so only it is opened and errors name it; a query is kept in
// `layer` and shown, cut to a readable length, at the end of the path (` query="..."`); a
// name GDAL cannot list (a comma or parenthesis) is read as `SELECT * FROM "name"`. Other
// paths, an empty layer or a path already naming `tables=` are left as they are.
void postgis_input(std::filesystem::path& path, std::string& layer);

// Reads `columns` (empty strings are skipped: their value is ""). Throws DataError naming
// the resolved path when missing, listing existing columns when one is absent, and
// "no rows" when empty. Column matching is case-insensitive.
Table read_table(const std::filesystem::path& file, const std::string& layer,
                 const std::vector<std::string>& columns);

// Parses a number for file:line:column messages: throws DataError
// `FILE:LINE: column "COL": "TEXT" is not a number` (or is negative when !allow_negative).
double parse_number(const std::string& text, const std::filesystem::path& file, long line,
                    const std::string& column, bool allow_negative = false);

// parse_number for a count or amount that must stay within a sane bound (>= 0, <= max):
// `FILE:LINE: column "COL": "TEXT" is beyond the sane bound of MAX WHAT (docs/robustness.md)`.
double parse_bounded(const std::string& text, const std::filesystem::path& file, long line,
                     const std::string& column, double max, const std::string& what);

}  // namespace lotwright::geo
