// lotwright tender CONFIG --plan PLAN.csv|--db PG:... --scenario NAME --out DIR: the tender lot
// pack for a plan.
#include <iostream>

#include "command.hpp"
#include "db_plan.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/plan/plan_csv.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/tender/tender.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class TenderCommand final : public Command {
 public:
  std::string name() const override { return "tender"; }
  std::string description() const override {
    return "write the tender lot pack (schedule, zone maps, GIS layers, OCDS, provider demand)";
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    plan_.add_to(app)->required(false);
    db_.add_to(app, false);
    out_.add_to(app, "folder for the pack (replaced as a whole)")->required();
  }

  int run() override {
    const PlanSource source(plan_.plan, db_);  // usage and database errors before the study
    const geo::Config cfg = geo::load_config(config_.config);
    const tender::TenderConfig tender_cfg = tender::load_tender_config(cfg);
    const geo::Study study = geo::load_study(cfg);
    std::vector<std::string> problems;
    const geo::Plan plan = geo::read_plan_csv(source.path(), study.graph, &problems);
    print_warnings(std::cerr, name(), problems);
    const geo::PlanMetrics metrics =
        geo::evaluate(study.graph, plan, geo::evaluate_options(study, cfg.design));

    const tender::PackSummary s =
        tender::write_tender_pack(out_.out, tender::pack_inputs(study, tender_cfg, plan, metrics));
    std::cout << "tender pack: " << s.zones << " zones, " << s.lots << " lots, "
              << static_cast<long>(s.hours + 0.5) << " weekly hours; " << s.files.size()
              << " files in " << out_.out << "\n";
    return 0;
  }

 private:
  ConfigArg config_;
  PlanOption plan_;
  DbScenarioOption db_;
  OutOption out_;
};

}  // namespace

std::unique_ptr<Command> make_tender_command() { return std::make_unique<TenderCommand>(); }

}  // namespace lotwright::cli
