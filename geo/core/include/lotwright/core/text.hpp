#pragma once
// Counts in messages, one rule for the library and the front ends.
#include <string>

namespace lotwright::geo {

// Digits grouped by thousands: "12345" -> "12,345".
std::string group_digits(const std::string& digits);

// "1 postcode", "2 postcodes", "12,345 postcodes": the one plural rule of every message.
// `many` defaults to one + "s".
std::string plural(long long n, const std::string& one, const std::string& many = "");

// The verb for n things: "is"/"are" (is_are), "has"/"have" (has_have).
inline const char* is_are(long long n) { return n == 1 ? "is" : "are"; }
inline const char* has_have(long long n) { return n == 1 ? "has" : "have"; }

}  // namespace lotwright::geo
