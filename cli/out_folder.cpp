// The output-folder transaction as the commands use it.
#include "out_folder.hpp"

namespace lotwright::cli {

std::vector<std::string> plan_entries(bool with_tender) {
  std::vector<std::string> names = {"assignment.csv", "lots.csv", "metrics.json", "plan.gpkg"};
  if (with_tender) names.push_back("tender");
  return names;
}

}  // namespace lotwright::cli
