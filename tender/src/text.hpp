#pragma once
// Small text helpers shared by the pack writers (internal to lotwright::tender).
#include <cmath>
#include <cstdio>
#include <string>

#include "lotwright/core/output_check.hpp"

namespace lotwright::tender {

// "1234.5" with the given decimals ("-0" printed as "0"). Every figure the pack prints as
// text (the PDFs, the schedule's notes, OCDS amounts) comes through here, so here it passes
// the one output check: finite (a difference may be negative; counts are checked by the
// writers that know them).
inline std::string fixed(double v, int decimals, const char* field = "a figure printed as text") {
  geo::output_number(v, "tender pack text (PDF, notes, OCDS)", field, geo::OutputValue::kSigned);
  if (std::abs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "12,345" / "12,345.6": thousands separators for people-facing text.
inline std::string grouped(double v, int decimals = 0) {
  const std::string s = fixed(v, decimals);
  const std::size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  std::size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  std::string out = s.substr(0, start);
  for (std::size_t i = start; i < end; ++i) {
    out += s[i];
    const std::size_t left = end - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out + s.substr(end);
}

// "£1,234,567"
inline std::string money(double v) { return "\xC2\xA3" + grouped(v, 0); }

// "£20.64"
inline std::string money2(double v) { return "\xC2\xA3" + grouped(v, 2); }

inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace lotwright::tender
