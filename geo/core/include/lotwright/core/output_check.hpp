#pragma once
// The one check of every number an output writes (docs/robustness.md, "Outputs"): no output
// may hold inf, NaN or a negative count. Each writer (CSV, GeoPackage fields, JSON/OCDS,
// xlsx, PDF text) passes its numbers through output_number at the point it writes them, so a
// bad value that got past the input bounds (a bug, a library call with a bad value) stops
// the write, which is atomic: nothing is written half-way.
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace lotwright::geo {

enum class OutputValue {
  kCount,   // hours, customers, prices, minutes, counts: finite and >= 0
  kSigned,  // coordinates, differences: finite
};

// Returns v when it may be written; else throws DataError
// `WRITER: field "FIELD": VALUE cannot be written (an output holds no inf, NaN or negative
// count)`, e.g. `lots.csv: field "hours" of lot 3: nan cannot be written ...`.
double output_number(double v, std::string_view writer, std::string_view field,
                     OutputValue kind = OutputValue::kCount);

// A JSON document (nlohmann::json or ordered_json) checked before it is written: every
// number through output_number, named by its path (`lots[2].hours`); numbers under a key in
// `signed_keys` (coordinates, differences) need only be finite. (nlohmann writes NaN and inf
// as null, so the check must see the document, not its text.)
template <class Json>
void output_json_numbers(const Json& j, std::string_view writer,
                         std::initializer_list<std::string_view> signed_keys = {},
                         const std::string& path = "", bool is_signed = false) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool s = is_signed;
      for (auto k : signed_keys) s = s || k == it.key();
      output_json_numbers(it.value(), writer, signed_keys,
                          path.empty() ? it.key() : path + "." + it.key(), s);
    }
  } else if (j.is_array()) {
    std::size_t i = 0;
    for (const auto& e : j)
      output_json_numbers(e, writer, signed_keys, path + "[" + std::to_string(i++) + "]",
                          is_signed);
  } else if (j.is_number()) {
    output_number(j.template get<double>(), writer, path,
                  is_signed ? OutputValue::kSigned : OutputValue::kCount);
  }
}

// What a writer creates is removed again when it leaves by an exception (a number
// output_number refused, a library error): a writer called on its own leaves no partial
// file behind. One line at the top of a writer, before it creates anything:
//   const geo::RemoveIfThrown guard{{file}};
// Files that existed when the guard was made are left alone (the writer did not create
// them). Inside a pack the writers write into a staging folder removed as a whole anyway.
class RemoveIfThrown {
 public:
  explicit RemoveIfThrown(std::vector<std::filesystem::path> files);
  ~RemoveIfThrown();
  RemoveIfThrown(const RemoveIfThrown&) = delete;
  RemoveIfThrown& operator=(const RemoveIfThrown&) = delete;

 private:
  std::vector<std::filesystem::path> files_;  // those that did not exist at the start
  int exceptions_;                            // std::uncaught_exceptions() at the start
};

}  // namespace lotwright::geo
