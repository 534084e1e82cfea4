#pragma once
// The output-folder transaction as the commands use it (lotwright/gis/out_folder.hpp).
#include <filesystem>
#include <string>
#include <vector>

#include "lotwright/study/config.hpp"

namespace lotwright::cli {

using geo::config_inputs;  // study/config.hpp

// The names a plan folder's generation holds (run: with "tender").
std::vector<std::string> plan_entries(bool with_tender);

}  // namespace lotwright::cli
