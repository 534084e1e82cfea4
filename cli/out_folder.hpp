#pragma once
// The output-folder transaction as the commands use it (lotwright/gis/out_folder.hpp).
#include <filesystem>
#include <string>
#include <vector>

#include "lotwright/study/config.hpp"

namespace lotwright::cli {

// Every file a study config reads (config, boundary, postcodes, units, demand, roads,
// rural, population, locked, keep_from): none of them may lie in what an output replaces.
std::vector<std::filesystem::path> config_inputs(const geo::Config& cfg);

// The names a plan folder's generation holds (run: with "tender").
std::vector<std::string> plan_entries(bool with_tender);

}  // namespace lotwright::cli
