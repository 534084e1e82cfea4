// output_number: the one check of every number an output writes (output_check.hpp).
#include "lotwright/core/output_check.hpp"

#include <cmath>
#include <cstdio>
#include <exception>
#include <string>
#include <system_error>

#include "lotwright/core/error.hpp"

namespace lotwright::geo {

double output_number(double v, std::string_view writer, std::string_view field, OutputValue kind) {
  const bool bad = !std::isfinite(v) || (kind == OutputValue::kCount && v < 0);
  if (!bad) return v;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  throw DataError(std::string(writer) + ": field \"" + std::string(field) + "\": " + buf +
                  " cannot be written (an output holds no inf, NaN or negative count; "
                  "docs/robustness.md)");
}

RemoveIfThrown::RemoveIfThrown(std::vector<std::filesystem::path> files)
    : exceptions_(std::uncaught_exceptions()) {
  for (auto& f : files) {
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::symlink_status(f, ec))) files_.push_back(f);
  }
}

RemoveIfThrown::~RemoveIfThrown() {
  if (std::uncaught_exceptions() <= exceptions_) return;
  for (const auto& f : files_) {
    std::error_code ec;  // a destructor during unwinding: best effort, never throws
    std::filesystem::remove(f, ec);
  }
}

}  // namespace lotwright::geo
