#pragma once
// Tag rules shared by the road graph builder (roads.cpp): which ways a profile may use,
// at what speed and in which directions. Private to geo/src.
#include <osmium/tags/taglist.hpp>

#include <cstring>
#include <initializer_list>
#include <string_view>

#include "lotwright/study/roads.hpp"

namespace lotwright::geo::detail {

struct TagView {
  const osmium::TagList* tags;
  const char* operator()(const char* key) const { return tags->get_value_by_key(key); }
  static bool one_of(const char* v, std::initializer_list<std::string_view> set) {
    for (auto s : set)
      if (s == v) return true;
    return false;
  }
};

struct WayRule {
  double kmh = 0;  // 0: not usable (ferries are timed separately)
  bool forward = false, backward = false;
  bool ferry = false;
  bool routable() const { return (kmh > 0 || ferry) && (forward || backward); }
};

// Usability, speed and direction of a way under a profile (access tags, oneway, ferries).
WayRule way_rule(const Profile& profile, const TagView& tags);
// motorway, trunk, primary, secondary, tertiary (not links): drawn on maps.
bool is_main_road(std::string_view highway);

}  // namespace lotwright::geo::detail
