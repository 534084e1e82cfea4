#pragma once
// Reading a polygon layer used as units ([units] in the config: LSOA, ward, ...).
// Private to lotwright::geo.
#include <string>
#include <vector>

#include "lotwright/study/config.hpp"
#include "lotwright/core/types.hpp"

namespace lotwright::geo::detail {

struct UnitPolygon {
  std::string id;
  MultiPolygon cell;  // EPSG:27700, valid
};

// One entry per distinct id, sorted by id (features sharing an id are dissolved and said
// so). Throws DataError naming the file, the feature and the column on bad input.
std::vector<UnitPolygon> read_unit_polygons(const UnitsConfig& config,
                                            std::vector<std::string>& warnings);

}  // namespace lotwright::geo::detail
