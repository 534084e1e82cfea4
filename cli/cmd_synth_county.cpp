#include "command.hpp"
#include "lotwright/geo/error.hpp"

namespace lotwright::cli {
namespace {

class SynthCountyCommand final : public Command {
 public:
  std::string name() const override { return "synth-county"; }
  std::string description() const override { return "(not yet implemented)"; }
  void setup(CLI::App& app) override { app.add_option("args", args_); }
  int run() override { throw geo::UsageError("synth-county is not implemented yet"); }

 private:
  std::vector<std::string> args_;
};

}  // namespace

std::unique_ptr<Command> make_synth_county_command() { return std::make_unique<SynthCountyCommand>(); }

}  // namespace lotwright::cli
