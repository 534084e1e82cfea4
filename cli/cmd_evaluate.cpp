// lotwright evaluate CONFIG --plan PLAN.csv|--db PG:... --scenario NAME [--json]
// [--baseline PLAN.csv]: the same metrics,
// by the same code, for any plan; problems are reported, not fatal.
#include <iostream>

#include "command.hpp"
#include "db_plan.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class EvaluateCommand final : public Command {
 public:
  std::string name() const override { return "evaluate"; }
  std::string description() const override {
    return "metrics for any plan (ours, edited, or a foreign one), problems listed";
  }
  std::vector<std::string> examples() const override {
    return {"lotwright evaluate examples/isle-of-wight.toml --plan out/iow/assignment.csv",
            "lotwright evaluate examples/isle-of-wight.toml --plan edited.csv --baseline "
            "out/iow/assignment.csv --json"};
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    plan_.add_to(app)->required(false);
    db_.add_to(app, false);
    json_.add_to(app);
    baseline_.add_to(app, "a previous plan: report the share of hours kept");
  }

  int run() override {
    const PlanSource plan(plan_.plan, db_);  // usage and database errors before the study
    const geo::Study study = geo::load_study(geo::load_config(config_.config));
    const geo::PlanMetrics m = geo::evaluate_plan(study, plan.path(), baseline_.baseline).metrics;
    if (json_.json) {
      std::cout << geo::metrics_json(m);
    } else {
      print_lot_table(std::cout, m);
      for (const auto& p : m.problems) std::cout << "problem: " << p << "\n";
    }
    return 0;
  }

 private:
  ConfigArg config_;
  PlanOption plan_;
  DbScenarioOption db_;
  JsonFlag json_;
  BaselineOption baseline_;
};

}  // namespace

std::unique_ptr<Command> make_evaluate_command() { return std::make_unique<EvaluateCommand>(); }

}  // namespace lotwright::cli
