// lotwright tender CONFIG --plan PLAN.csv|--db PG:... --scenario NAME --out DIR: the tender lot
// pack for a plan.
#include <iostream>

#include "command.hpp"
#include "db_plan.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/tender/pack_folder.hpp"
#include "lotwright/tender/tender.hpp"
#include "options.hpp"
#include "out_folder.hpp"
#include "progress.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class TenderCommand final : public Command {
 public:
  std::string name() const override { return "tender"; }
  std::string description() const override {
    return "write the tender lot pack (schedule, zone maps, GIS layers, OCDS, provider demand)";
  }
  std::vector<std::string> examples() const override {
    return {
        "lotwright tender examples/isle-of-wight.toml --plan out/design/assignment.csv "
        "--out out/pack"};
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    plan_.add_to(app)->required(false);
    db_.add_to(app, false);
    out_.add_to(app,
                "folder for the pack: new, empty or a pack lotwright wrote; a plan folder gets it "
                "in tender/")
        ->required();
  }

  int run() override {
    const PlanSource source(plan_.plan, db_);  // usage and database errors before the study
    const geo::Config cfg = geo::load_config(config_.config);
    const tender::TenderConfig tender_cfg = tender::load_tender_config(cfg);
    print_warnings(std::cerr, name(), tender::tender_config_warnings(tender_cfg));
    // Checked and locked before any work; inside a plan folder the pack goes to tender/.
    std::vector<std::filesystem::path> inputs = config_inputs(cfg);
    inputs.emplace_back(plan_.plan);
    tender::PackFolder folder(out_.out, inputs);
    TerminalProgress progress;
    geo::StudyOptions so;
    so.progress = progress.sink();
    const geo::Study study = geo::load_study(cfg, so);
    progress.clear();
    // Read, named and evaluated as `evaluate --plan` does (one workflow call), so the pack
    // shows the zone names and figures evaluate and design print for the same plan.
    const geo::PlanEvaluation e = geo::evaluate_plan(study, source.path());
    print_warnings(std::cerr, name(), e.metrics.problems);
    const geo::Plan& plan = e.plan;
    const geo::PlanMetrics& metrics = e.metrics;

    tender::PackInputs in = tender::pack_inputs(study, tender_cfg, plan, metrics);
    in.progress = progress.sink();
    const tender::PackSummary s = folder.write(in);
    progress.clear();
    std::cout << "tender pack: " << plural(s.zones, "zone") << ", " << plural(s.lots, "lot") << ", "
              << plural(static_cast<long>(s.hours + 0.5), "weekly hour") << "; "
              << plural(static_cast<long long>(s.files.size()), "file") << " in "
              << folder.destination().string() << "\n";
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
