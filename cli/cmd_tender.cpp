#include "command.hpp"
#include "lotwright/geo/error.hpp"

namespace lotwright::cli {
namespace {

class TenderCommand final : public Command {
 public:
  std::string name() const override { return "tender"; }
  std::string description() const override { return "(not yet implemented)"; }
  void setup(CLI::App& app) override { app.add_option("args", args_); }
  int run() override { throw geo::UsageError("tender is not implemented yet"); }

 private:
  std::vector<std::string> args_;
};

}  // namespace

std::unique_ptr<Command> make_tender_command() { return std::make_unique<TenderCommand>(); }

}  // namespace lotwright::cli
