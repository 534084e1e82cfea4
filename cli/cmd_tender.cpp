// lotwright tender CONFIG --plan PLAN.csv --out DIR: the tender lot pack for a plan.
#include <iostream>

#include "command.hpp"
#include "design_common.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/plan/plan_io.hpp"
#include "lotwright/tender/tender.hpp"

namespace lotwright::cli {
namespace {

class TenderCommand final : public Command {
 public:
  std::string name() const override { return "tender"; }
  std::string description() const override {
    return "write the tender lot pack (schedule, zone maps, GIS layers, OCDS, provider demand)";
  }
  void setup(CLI::App& app) override {
    app.add_option("config", config_, "the TOML configuration")->required();
    app.add_option("--plan", plan_, "the plan: CSV postcode,lot")->required();
    app.add_option("--out", out_, "folder for the pack (replaced as a whole)")->required();
  }

  int run() override {
    const geo::Config cfg = geo::load_config(config_);
    const tender::TenderConfig tender_cfg = tender::load_tender_config(cfg);
    const geo::Study study = geo::load_study(cfg);
    std::vector<std::string> problems;
    const geo::Plan plan = geo::read_plan_csv(plan_, study.graph, &problems);
    for (const auto& p : problems) std::cerr << "lotwright tender: warning: " << p << "\n";
    const geo::PlanMetrics metrics =
        geo::evaluate(study.graph, plan, evaluate_options(study, cfg.design));

    const tender::PackSummary s =
        tender::write_tender_pack(out_, tender::pack_inputs(study, tender_cfg, plan, metrics));
    std::cout << "tender pack: " << s.zones << " zones, " << s.lots << " lots, "
              << static_cast<long>(s.hours + 0.5) << " weekly hours; " << s.files.size()
              << " files in " << out_ << "\n";
    return 0;
  }

 private:
  std::string config_, plan_, out_;
};

}  // namespace

std::unique_ptr<Command> make_tender_command() { return std::make_unique<TenderCommand>(); }

}  // namespace lotwright::cli
