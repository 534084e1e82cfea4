#include "lotwright/core/error.hpp"

namespace lotwright::geo {

std::string where(const std::filesystem::path& file, long line) {
  std::string s = file.string();
  if (line > 0) s += ":" + std::to_string(line);
  return s + ": ";
}

}  // namespace lotwright::geo
