// output_number: the one check of every number an output writes (output_check.hpp).
#include "lotwright/core/output_check.hpp"

#include <cmath>
#include <cstdio>
#include <string>

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

}  // namespace lotwright::geo
