#pragma once
// WGS84 longitude/latitude -> British National Grid (EPSG:27700) for OSM node locations.
// PROJ stays inside geo/src; one PJ_CONTEXT per call, so it is safe from any thread.
#include <vector>

#include "lotwright/core/types.hpp"

namespace lotwright::geo::detail {

// Transforms in place: x = longitude, y = latitude in; x = easting, y = northing out.
// Throws DataError when PROJ cannot build the transformation.
void lonlat_to_bng(std::vector<Point>& pts);

}  // namespace lotwright::geo::detail
