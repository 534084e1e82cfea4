#include "lotwright/core/error.hpp"

namespace lotwright::geo {

namespace {

// A PostGIS connection string as shown in messages: any password= left out, the row named
// by its primary key ("PG:dbname=care tables=demand: row 17: ").
std::string postgis_where(std::string s, long line) {
  for (std::size_t at; (at = s.find("password=")) != std::string::npos;) {
    std::size_t end = s.find(' ', at);
    s.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (line > 0) s += ": row " + std::to_string(line);
  return s + ": ";
}

}  // namespace

std::string where(const std::filesystem::path& file, long line) {
  std::string s = file.string();
  if (s.rfind("PG:", 0) == 0) return postgis_where(s, line);
  if (line > 0) s += ":" + std::to_string(line);
  return s + ": ";
}

}  // namespace lotwright::geo
