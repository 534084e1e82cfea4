#include "lotwright/core/rural.hpp"

#include <cctype>
#include <string>

namespace lotwright::geo {

bool is_rural_class(std::string_view cls) {
  while (!cls.empty() && std::isspace(static_cast<unsigned char>(cls.front()))) cls.remove_prefix(1);
  while (!cls.empty() && std::isspace(static_cast<unsigned char>(cls.back()))) cls.remove_suffix(1);
  if (cls == "1" || cls == "2") return true;  // ukruc: 1 rural, 2 highly rural
  std::string low;
  for (char c : cls) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (low.size() == 2)  // ONS RUC2011 code
    return (low[0] == 'd' || low[0] == 'e' || low[0] == 'f') && (low[1] == '1' || low[1] == '2');
  return low.find("rural") != std::string::npos && low.find("urban") == std::string::npos;
}

}  // namespace lotwright::geo
