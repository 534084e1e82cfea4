// The designer's gap to the proven optimum (geo::solve_exact) on the Isle of Wight with LSOA,
// ward and MSOA polygons as units, synthetic demand seeds 1-3 and 2-6 lots. Prints a table;
// asserts nothing (the figures go into docs/designer.md once they settle).
//
//   exact_vs_designer_bench [--layers lsoa,ward,msoa] [--seeds 1,2,3] [--lots 2:6]
//                           [--tolerance 0.05] [--max-travel 30] [--time-limit 60]
//
// Objectives are the designer's (geo::plan_objective: hours + a tie weight, × minutes from
// the hub), shown as minutes per weighted hour. The exact solver starts from the designer's
// plan, so its incumbent is never worse; "gap" is designer over optimum, or over the lower
// bound (marked <=) when the time limit stopped the proof.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "lotwright/core/error.hpp"
#include "lotwright/design/designer.hpp"
#include "lotwright/design/exact.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/synth/synth.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

struct Layer {
  std::string name, file, id;
};

const std::map<std::string, Layer> kLayers = {
    {"lsoa", {"LSOA", "lsoa21_E06000046_bgc.geojson", "LSOA21CD"}},
    {"ward", {"ward", "ward_E06000046_bgc.geojson", "WD25CD"}},
    {"msoa", {"MSOA", "msoa21_E06000046_bgc.geojson", "MSOA21CD"}},
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);) out.push_back(part);
  return out;
}

fs::path write_config(const fs::path& dir, const fs::path& demand, const std::string& extra) {
  const fs::path d = fs::path(LOTWRIGHT_DATA_DIR) / "isle-of-wight";
  std::ostringstream t;
  t << "[area]\nname = \"Isle of Wight\"\nboundary = \""
    << (d / "boundaries/la_E06000046_dissolved_from_lsoa21_bgc.geojson").string() << "\"\n\n"
    << "[postcodes]\npath = \"" << (d / "postcodes/postcodes_E06000046_enriched.csv").string()
    << "\"\nid = \"postcode\"\nx = \"easting\"\ny = \"northing\"\ncrs = \"EPSG:27700\"\n\n";
  if (!demand.empty())
    t << "[demand]\npath = \"" << demand.string()
      << "\"\npostcode = \"postcode\"\nhours = \"hours_per_week\"\ncustomers = \"customers\"\n\n";
  t << "[roads]\nosm = \"" << (d / "osm/isle-of-wight-2015-01-01.osm.pbf").string()
    << "\"\nprofile = \"car\"\n\n"
    << "[population]\npath = \""
    << (d / "classification/census2021_age6_lsoa21_E06000046.csv").string()
    << "\"\nkey = \"LSOA21CD\"\npostcode_key = \"lsoa21cd\"\ncount = \"age_65_plus\"\n\n"
    << extra;
  const fs::path cfg = dir / "config.toml";
  FILE* f = std::fopen(cfg.c_str(), "w");
  std::fputs(t.str().c_str(), f);
  std::fclose(f);
  return cfg;
}

geo::Study load(const fs::path& dir, const Layer& layer, std::uint64_t seed) {
  const auto cfg0 = geo::load_config(write_config(dir, "", ""));
  geo::SynthDemandOptions o;
  o.seed = seed;
  geo::synth_demand(cfg0, dir / "demand.csv", o);
  const fs::path boundaries = fs::path(LOTWRIGHT_DATA_DIR) / "isle-of-wight/boundaries";
  const auto cfg =
      geo::load_config(write_config(dir, dir / "demand.csv",
                                    "[units]\npath = \"" + (boundaries / layer.file).string() +
                                        "\"\nid = \"" + layer.id + "\"\n"));
  geo::StudyOptions so;
  so.cache_dir = dir / "cache";
  return geo::load_study(cfg, so);
}

const char* status_name(geo::ExactStatus s) {
  switch (s) {
    case geo::ExactStatus::optimal:
      return "optimal";
    case geo::ExactStatus::infeasible:
      return "infeasible";
    default:
      return "time limit";
  }
}

void row(const geo::UnitGraph& g, const std::string& layer, std::uint64_t seed, int lots,
         double tol, double limit, double seconds) {
  double wsum = 0;
  for (double w : geo::design_weights(g)) wsum += w;
  geo::DesignRequest d;
  d.design.lots = lots;
  d.design.tolerance = tol;
  d.design.max_travel_minutes = limit;
  geo::Plan plan;
  double designer = -1, design_s = 0;
  std::string note;
  try {
    geo::DesignReport rep;
    plan = geo::design(g, d, &rep);
    designer = geo::plan_objective(g, plan);
    design_s = rep.seconds;
  } catch (const geo::InfeasibleError& e) {
    note = "designer: no plan";
  }
  geo::ExactRequest r;
  r.lots = lots;
  r.tolerance = tol;
  r.max_travel_minutes = limit;
  r.time_limit_s = seconds;
  r.start = designer >= 0 ? &plan : nullptr;
  const auto x = geo::solve_exact(g, r);
  std::printf("| %s | %zu | %llu | %d | ", layer.c_str(), g.size(),
              static_cast<unsigned long long>(seed), lots);
  if (designer >= 0)
    std::printf("%.3f | ", designer / wsum);
  else
    std::printf("– | ");
  const bool proven = x.status == geo::ExactStatus::optimal;
  if (!x.plan.lot_of.empty())
    std::printf("%.3f | %.3f | ", x.objective / wsum, x.lower_bound / wsum);
  else
    std::printf("– | – | ");
  if (designer >= 0 && x.status != geo::ExactStatus::infeasible)
    std::printf("%s%.2f%% | ",
                proven ? "" : "<= ", 100 * (designer - x.lower_bound) / x.lower_bound);
  else
    std::printf("– | ");
  std::printf("%s | %d/%d | %.1f | %.1f | %s |\n", status_name(x.status), x.rounds, x.cuts,
              design_s, x.seconds, note.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> layers{"lsoa", "ward", "msoa"};
  std::vector<std::uint64_t> seeds{1, 2, 3};
  int lots_lo = 2, lots_hi = 6;
  double tol = 0.05, limit = 30, seconds = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--layers") {
      layers = split(v, ',');
    } else if (k == "--seeds") {
      seeds.clear();
      for (const auto& s : split(v, ',')) seeds.push_back(std::stoull(s));
    } else if (k == "--lots") {
      const auto p = split(v, ':');
      lots_lo = std::stoi(p.at(0));
      lots_hi = std::stoi(p.size() > 1 ? p[1] : p[0]);
    } else if (k == "--tolerance") {
      tol = std::stod(v);
    } else if (k == "--max-travel") {
      limit = std::stod(v);
    } else if (k == "--time-limit") {
      seconds = std::stod(v);
    } else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const fs::path dir = fs::temp_directory_path() / "lotwright-exact-vs-designer";
  fs::create_directories(dir);
  std::printf("tolerance ±%g%%, travel limit %g min, exact time limit %g s\n\n", 100 * tol, limit,
              seconds);
  std::printf(
      "| units | n | seed | lots | designer (min) | best found (min) | lower bound (min) | "
      "designer gap | exact status | rounds/cuts | designer s | exact s | note |\n"
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (const auto& name : layers) {
    const Layer& layer = kLayers.at(name);
    for (std::uint64_t seed : seeds) {
      const geo::Study study = load(dir, layer, seed);
      for (int lots = lots_lo; lots <= lots_hi; ++lots)
        row(study.graph, layer.name, seed, lots, tol, limit, seconds);
    }
  }
  return 0;
}
