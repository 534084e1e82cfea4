#pragma once
// Error types. The command line maps them to exit codes:
//   DataError (and InfeasibleError) -> 1, UsageError -> 2.
// Messages name the file, the line or feature, the column and what was expected,
// e.g. `demand.csv:118: column "hours_per_week": "-3" must be a number >= 0`.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace lotwright::geo {

class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A design that cannot be made; the message says why in terms a commissioner can act on.
class InfeasibleError : public DataError {
 public:
  using DataError::DataError;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "FILE:LINE: " prefix (LINE omitted when 0).
std::string where(const std::filesystem::path& file, long line = 0);

}  // namespace lotwright::geo
