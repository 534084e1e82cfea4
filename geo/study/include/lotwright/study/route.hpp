#pragma once
// Road travel between lon/lat pairs (`lotwright route`): reads a CSV of
// from_lon,from_lat,to_lon,to_lat, validates every row before routing any, and times each pair
// on the config's road network (the cache beside the config, as a study uses).
#include <filesystem>
#include <string>

#include "lotwright/study/config.hpp"

namespace lotwright::geo {

struct RoutePairs {
  std::string csv;        // from_lon,from_lat,to_lon,to_lat,minutes,km (empty times: no route)
  long pairs = 0;
  long unreachable = 0;   // pairs with no road route under the profile
  std::string profile;    // the profile's name
};

// Throws DataError naming the file, line and column for a bad row, or the config when
// [roads] osm is missing.
RoutePairs route_pairs(const Config& config, const std::filesystem::path& pairs_csv);

}  // namespace lotwright::geo
