#include "command.hpp"

namespace lotwright::cli {

std::vector<std::unique_ptr<Command>> all_commands() {
  std::vector<std::unique_ptr<Command>> c;
  c.push_back(make_run_command());
  c.push_back(make_inspect_command());
  c.push_back(make_design_command());
  c.push_back(make_evaluate_command());
  c.push_back(make_tender_command());
  c.push_back(make_route_command());
  c.push_back(make_export_graph_command());
  c.push_back(make_synth_demand_command());
  c.push_back(make_synth_county_command());
  c.push_back(make_scenarios_command());
  c.push_back(make_compare_command());
  c.push_back(make_sweep_command());
  c.push_back(make_project_command());
  return c;
}

}  // namespace lotwright::cli
