#include "lotwright/study/route.hpp"

#include <cstdio>
#include <memory>
#include <vector>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/study/road_travel.hpp"
#include "lotwright/study/roads.hpp"

namespace lotwright::geo {
namespace {

const std::vector<std::string> kColumns = {"from_lon", "from_lat", "to_lon", "to_lat"};

// Every row's two points in lon/lat, validated before any routing so bad input writes nothing.
std::vector<Point> read_lonlat(const Table& table) {
  std::vector<Point> lonlat;
  for (const auto& row : table.rows)
    for (std::size_t c = 0; c < 4; c += 2) {
      const double lon = parse_number(row.values[c], table.file, row.line, kColumns[c], true);
      const double lat =
          parse_number(row.values[c + 1], table.file, row.line, kColumns[c + 1], true);
      if (lon < -180 || lon > 180)
        throw DataError(where(table.file, row.line) + "column \"" + kColumns[c] + "\": \"" +
                        row.values[c] + "\" must be a longitude (-180..180)");
      if (lat < -90 || lat > 90)
        throw DataError(where(table.file, row.line) + "column \"" + kColumns[c + 1] + "\": \"" +
                        row.values[c + 1] + "\" must be a latitude (-90..90)");
      lonlat.push_back({lon, lat});
    }
  return lonlat;
}

}  // namespace

RoutePairs route_pairs(const Config& cfg, const std::filesystem::path& pairs_csv) {
  if (cfg.roads.osm.empty())
    throw DataError(where(cfg.file) + "[roads] osm is required for route");
  const Table table = read_table(pairs_csv, "", kColumns);
  const auto bng = transform_points(read_lonlat(table), "EPSG:4326", "EPSG:27700");

  const Profile profile = make_profile(cfg.roads);
  const auto cache =
      cfg.roads.cache_dir.empty() ? cfg.dir / ".lotwright-cache" : cfg.roads.cache_dir;
  auto net =
      std::make_shared<const RoadNetwork>(load_road_network(cfg.roads.osm, profile, cache));
  const RoadTravel travel(net, {}, cfg.roads.max_snap_m);

  RoutePairs out;
  out.profile = profile.name;
  out.pairs = static_cast<long>(table.rows.size());
  out.csv = "from_lon,from_lat,to_lon,to_lat,minutes,km\n";
  char buf[64];
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const auto& v = table.rows[i].values;
    out.csv += v[0] + "," + v[1] + "," + v[2] + "," + v[3] + ",";
    const RouteResult r = travel.route(bng[2 * i], bng[2 * i + 1]);
    if (r.reachable) {
      std::snprintf(buf, sizeof buf, "%.2f,%.3f\n", r.minutes, r.km);
      out.csv += buf;
    } else {
      out.csv += ",\n";
      ++out.unreachable;
    }
  }
  return out;
}

}  // namespace lotwright::geo
