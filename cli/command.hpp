#pragma once
// One class per subcommand (osmium-tool style): setup() declares options and opens nothing;
// run() does the work through the geo/tender libraries and returns the exit code.
// Errors are thrown: geo::DataError -> exit 1, geo::UsageError -> exit 2.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

namespace lotwright::cli {

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;  // one line, shown by --help
  // Command lines that work, shown at the foot of the command's --help.
  virtual std::vector<std::string> examples() const { return {}; }
  virtual void setup(CLI::App& app) = 0;
  virtual int run() = 0;
};

// The registry (commands.cpp); each factory lives in its command's cmd_*.cpp file.
std::vector<std::unique_ptr<Command>> all_commands();

std::unique_ptr<Command> make_inspect_command();
std::unique_ptr<Command> make_synth_demand_command();
std::unique_ptr<Command> make_route_command();
std::unique_ptr<Command> make_export_graph_command();
std::unique_ptr<Command> make_design_command();
std::unique_ptr<Command> make_evaluate_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_tender_command();
std::unique_ptr<Command> make_synth_county_command();
std::unique_ptr<Command> make_scenarios_command();
std::unique_ptr<Command> make_compare_command();
std::unique_ptr<Command> make_sweep_command();
std::unique_ptr<Command> make_project_command();

}  // namespace lotwright::cli
