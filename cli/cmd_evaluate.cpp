// lotwright evaluate CONFIG --plan PLAN.csv [--json] [--baseline PLAN.csv]: the same metrics,
// by the same code, for any plan; problems are reported, not fatal.
#include <iostream>

#include "command.hpp"
#include "design_common.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/plan/plan_io.hpp"

namespace lotwright::cli {
namespace {

class EvaluateCommand final : public Command {
 public:
  std::string name() const override { return "evaluate"; }
  std::string description() const override {
    return "metrics for any plan (ours, edited, or a foreign one), problems listed";
  }
  void setup(CLI::App& app) override {
    app.add_option("config", config_, "the TOML configuration")->required();
    app.add_option("--plan", plan_, "the plan: CSV postcode,lot")->required();
    app.add_flag("--json", json_, "print metrics.json to stdout");
    app.add_option("--baseline", baseline_, "a previous plan: report the share of hours kept");
  }

  int run() override {
    const geo::Config cfg = geo::load_config(config_);
    const geo::Study study = geo::load_study(cfg);
    std::vector<std::string> problems;
    geo::Plan plan = geo::read_plan_csv(plan_, study.graph, &problems);
    plan.seed = cfg.design.seed;
    const auto names = geo::lot_names(study.graph, plan, study.roads.get());
    for (int l = 0; l < plan.lot_count; ++l)
      if (plan.name[l].empty()) plan.name[l] = names[l];
    const geo::DesignConfig design = cfg.design;
    geo::PlanMetrics m = geo::evaluate(study.graph, plan, evaluate_options(study, design));
    m.problems.insert(m.problems.begin(), problems.begin(), problems.end());
    if (!baseline_.empty()) {
      std::vector<std::string> bp;
      const geo::Plan base = geo::read_plan_csv(baseline_, study.graph, &bp);
      for (const auto& p : bp) m.problems.push_back("baseline: " + p);
      m.baseline_kept_share = geo::kept_share(study.graph, plan, base);
    }
    if (json_) {
      std::cout << geo::metrics_json(m);
    } else {
      print_lot_table(std::cout, m);
      for (const auto& p : m.problems) std::cout << "problem: " << p << "\n";
    }
    return 0;
  }

 private:
  std::string config_, plan_, baseline_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_evaluate_command() { return std::make_unique<EvaluateCommand>(); }

}  // namespace lotwright::cli
