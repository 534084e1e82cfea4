// The output-folder transaction as the commands use it.
#include "out_folder.hpp"

namespace lotwright::cli {

std::vector<std::filesystem::path> config_inputs(const geo::Config& cfg) {
  std::vector<std::filesystem::path> in = {cfg.file,      cfg.area.boundary, cfg.postcodes.path,
                                           cfg.roads.osm, cfg.design.locked, cfg.design.keep_from};
  if (cfg.units) in.push_back(cfg.units->path);
  if (cfg.demand) in.push_back(cfg.demand->path);
  if (cfg.rural) in.push_back(cfg.rural->path);
  if (cfg.population) in.push_back(cfg.population->path);
  return in;
}

std::vector<std::string> plan_entries(bool with_tender) {
  std::vector<std::string> names = {"assignment.csv", "lots.csv", "metrics.json", "plan.gpkg"};
  if (with_tender) names.push_back("tender");
  return names;
}

}  // namespace lotwright::cli
