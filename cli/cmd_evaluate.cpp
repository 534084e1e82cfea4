#include "command.hpp"
#include "lotwright/geo/error.hpp"

namespace lotwright::cli {
namespace {

class EvaluateCommand final : public Command {
 public:
  std::string name() const override { return "evaluate"; }
  std::string description() const override { return "(not yet implemented)"; }
  void setup(CLI::App& app) override { app.add_option("args", args_); }
  int run() override { throw geo::UsageError("evaluate is not implemented yet"); }

 private:
  std::vector<std::string> args_;
};

}  // namespace

std::unique_ptr<Command> make_evaluate_command() { return std::make_unique<EvaluateCommand>(); }

}  // namespace lotwright::cli
