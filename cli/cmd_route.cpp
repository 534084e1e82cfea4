// lotwright route CONFIG --pairs PAIRS.csv [--out FILE]: quickest road routes between
// WGS84 points under the config's road profile. Loads only the roads (cached), not demand.
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/travel.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/study/road_travel.hpp"
#include "lotwright/study/roads.hpp"
#include "options.hpp"

namespace lotwright::cli {
namespace {

class RouteCommand final : public Command {
 public:
  std::string name() const override { return "route"; }
  std::string description() const override {
    return "road travel minutes and km between lon/lat pairs (CSV from_lon,from_lat,to_lon,to_lat)";
  }
  void setup(CLI::App& app) override {
    config_.add_to(app, "the TOML configuration ([roads] osm and profile)");
    app.add_option("--pairs", pairs_, "CSV with columns from_lon,from_lat,to_lon,to_lat (WGS84)")
        ->required();
    out_.add_to(app, "output CSV (default: standard output)");
  }

  int run() override {
    const geo::Config cfg = geo::load_config(config_.config);
    if (cfg.roads.osm.empty())
      throw geo::DataError(geo::where(cfg.file) + "[roads] osm is required for route");
    static const std::vector<std::string> kColumns = {"from_lon", "from_lat", "to_lon", "to_lat"};
    const geo::Table table = geo::read_table(pairs_, "", kColumns);
    // Validate every row before any routing, so bad input writes nothing.
    std::vector<geo::Point> lonlat;
    for (const auto& row : table.rows)
      for (std::size_t c = 0; c < 4; c += 2) {
        const double lon =
            geo::parse_number(row.values[c], table.file, row.line, kColumns[c], true);
        const double lat =
            geo::parse_number(row.values[c + 1], table.file, row.line, kColumns[c + 1], true);
        if (lon < -180 || lon > 180)
          throw geo::DataError(geo::where(table.file, row.line) + "column \"" + kColumns[c] +
                               "\": \"" + row.values[c] + "\" must be a longitude (-180..180)");
        if (lat < -90 || lat > 90)
          throw geo::DataError(geo::where(table.file, row.line) + "column \"" + kColumns[c + 1] +
                               "\": \"" + row.values[c + 1] + "\" must be a latitude (-90..90)");
        lonlat.push_back({lon, lat});
      }
    const auto bng = geo::transform_points(lonlat, "EPSG:4326", "EPSG:27700");

    const geo::Profile profile = geo::make_profile(cfg.roads);
    const auto cache =
        cfg.roads.cache_dir.empty() ? cfg.dir / ".lotwright-cache" : cfg.roads.cache_dir;
    auto net = std::make_shared<const geo::RoadNetwork>(
        geo::load_road_network(cfg.roads.osm, profile, cache));
    const geo::RoadTravel travel(net, {}, cfg.roads.max_snap_m);

    std::string csv = "from_lon,from_lat,to_lon,to_lat,minutes,km\n";
    long unreachable = 0;
    char buf[64];
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      const auto& v = table.rows[i].values;
      csv += v[0] + "," + v[1] + "," + v[2] + "," + v[3] + ",";
      const geo::RouteResult r = travel.route(bng[2 * i], bng[2 * i + 1]);
      if (r.reachable) {
        std::snprintf(buf, sizeof buf, "%.2f,%.3f\n", r.minutes, r.km);
        csv += buf;
      } else {
        csv += ",\n";
        ++unreachable;
      }
    }
    if (unreachable > 0)
      std::cerr << "lotwright route: warning: " << unreachable << " of " << table.rows.size()
                << " pairs have no road route under the \"" << profile.name
                << "\" profile (minutes and km left empty)\n";
    if (out_.out.empty())
      std::cout << csv;
    else
      geo::write_file_atomic(out_.out, csv);
    return 0;
  }

 private:
  ConfigArg config_;
  std::string pairs_;
  OutOption out_;
};

}  // namespace

std::unique_ptr<Command> make_route_command() { return std::make_unique<RouteCommand>(); }

}  // namespace lotwright::cli
