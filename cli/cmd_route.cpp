// lotwright route CONFIG --pairs PAIRS.csv [--out FILE]: quickest road routes between
// WGS84 points under the config's road profile. Loads only the roads (cached), not demand.
#include <iostream>

#include "command.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/route.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class RouteCommand final : public Command {
 public:
  std::string name() const override { return "route"; }
  std::string description() const override {
    return "road travel minutes and km between lon/lat pairs (CSV from_lon,from_lat,to_lon,to_lat)";
  }
  std::vector<std::string> examples() const override {
    return {"lotwright route examples/isle-of-wight.toml --pairs pairs.csv --out routes.csv"};
  }
  void setup(CLI::App& app) override {
    config_.add_to(app, "the TOML configuration ([roads] osm and profile)");
    app.add_option("--pairs", pairs_, "CSV with columns from_lon,from_lat,to_lon,to_lat (WGS84)")
        ->required();
    out_.add_to(app, "output CSV (default: standard output)");
  }

  int run() override {
    const geo::RoutePairs r = geo::route_pairs(geo::load_config(config_.config), pairs_);
    if (r.unreachable > 0)
      std::cerr << "lotwright route: warning: " << r.unreachable << " of "
                << plural(r.pairs, "pair") << (r.unreachable == 1 ? " has" : " have")
                << " no road route under the \"" << r.profile
                << "\" profile, or a point farther than [roads] max_snap_m from any road "
                   "(minutes and km left empty)\n";
    if (out_.out.empty())
      std::cout << r.csv;
    else
      geo::write_file_atomic(out_.out, r.csv);
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
