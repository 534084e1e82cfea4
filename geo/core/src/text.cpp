#include "lotwright/core/text.hpp"

namespace lotwright::geo {

std::string group_digits(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string plural(long long n, const std::string& one, const std::string& many) {
  const unsigned long long magnitude =
      n < 0 ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
  return (n < 0 ? "-" : "") + group_digits(std::to_string(magnitude)) + " " +
         (n == 1 || n == -1 ? one : (many.empty() ? one + "s" : many));
}

}  // namespace lotwright::geo
