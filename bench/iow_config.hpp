#pragma once
// The Isle of Wight config the benchmarks share (real data under LOTWRIGHT_DATA_DIR):
// boundary, postcodes, roads, population aged 65+, then `extra_toml` (more tables), and
// [demand] = dir/demand.csv when `demand` is set.
#include <cstdio>
#include <filesystem>
#include <string>

#include "lotwright/study/config.hpp"

namespace lotwright::bench {

inline geo::Config write_iow_config(const std::filesystem::path& dir, bool demand,
                                    const std::string& extra_toml = "") {
  const std::filesystem::path data = std::filesystem::path(LOTWRIGHT_DATA_DIR) / "isle-of-wight";
  std::FILE* f = std::fopen((dir / "iow.toml").c_str(), "w");
  std::fprintf(f,
               "[area]\nname = \"Isle of Wight\"\nboundary = \"%s\"\n"
               "[postcodes]\npath = \"%s\"\n[roads]\nosm = \"%s\"\n"
               "[population]\npath = \"%s\"\nkey = \"LSOA21CD\"\npostcode_key = \"lsoa21cd\"\n"
               "count = \"age_65_plus\"\n%s",
               (data / "boundaries/la_E06000046_dissolved_from_lsoa21_bgc.geojson").c_str(),
               (data / "postcodes/postcodes_E06000046_enriched.csv").c_str(),
               (data / "osm/isle-of-wight-2015-01-01.osm.pbf").c_str(),
               (data / "classification/census2021_age6_lsoa21_E06000046.csv").c_str(),
               extra_toml.c_str());
  if (demand) std::fprintf(f, "[demand]\npath = \"demand.csv\"\ncustomers = \"customers\"\n");
  std::fclose(f);
  return geo::load_config(dir / "iow.toml");
}

}  // namespace lotwright::bench
