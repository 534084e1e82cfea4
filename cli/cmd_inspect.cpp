#include "command.hpp"
#include "lotwright/geo/error.hpp"

namespace lotwright::cli {
namespace {

class InspectCommand final : public Command {
 public:
  std::string name() const override { return "inspect"; }
  std::string description() const override { return "(not yet implemented)"; }
  void setup(CLI::App& app) override { app.add_option("args", args_); }
  int run() override { throw geo::UsageError("inspect is not implemented yet"); }

 private:
  std::vector<std::string> args_;
};

}  // namespace

std::unique_ptr<Command> make_inspect_command() { return std::make_unique<InspectCommand>(); }

}  // namespace lotwright::cli
