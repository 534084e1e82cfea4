// lotwright design CONFIG [--lots N] [--seed S] [--max-travel MIN] [--tolerance T] [--out DIR]
// [--baseline PLAN.csv] [--db PG:... --scenario NAME [--replace]]
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "db_plan.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/gis/out_folder.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "options.hpp"
#include "out_folder.hpp"
#include "progress.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class DesignCommand final : public Command {
 public:
  std::string name() const override { return "design"; }
  std::string description() const override {
    return "design contiguous lots with balanced hours (or tier bands) and a travel limit";
  }
  std::vector<std::string> examples() const override {
    return {"lotwright design examples/isle-of-wight.toml --out out/design",
            "lotwright design examples/isle-of-wight.toml --lots 8 --max-travel 30 --seed 2 "
            "--out out/design-8"};
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    lots_.add_to(app);
    seed_.add_to(app, "random seed (overrides [design] seed)");
    max_travel_.add_to(app);
    tolerance_.add_to(app);
    out_.add_to(app, "output folder (default: out)");
    baseline_.add_to(app, "a previous plan (postcode,lot): report the hours kept");
    db_.add_to(app, true);
  }

  int run() override {
    check_scenario(db_);
    const geo::Config cfg = geo::load_config(config_.config);
    std::vector<std::filesystem::path> inputs = config_inputs(cfg);
    inputs.emplace_back(baseline_.baseline);
    geo::OutputTransaction tx(out_.out, "plan", inputs, plan_entries(true));  // out_folder.hpp
    TerminalProgress progress;
    geo::StudyOptions so;
    so.progress = progress.sink();
    const geo::Study study = geo::load_study(cfg, so);
    progress.clear();
    print_warnings(std::cerr, name(), study.warnings);
    geo::DesignOverrides request;
    request.lots = lots_.lots;
    request.seed = seed_.seed;
    request.max_travel = max_travel_.minutes;
    request.tolerance = tolerance_.tolerance;
    request.baseline = baseline_.baseline;
    request.progress = progress.sink();
    const geo::DesignOutcome o = geo::run_design(study, request);
    progress.clear();
    const std::string changed = overrides_summary(study.config.design, o.design);
    if (!changed.empty()) std::cout << "from the command line: " << changed << "\n";
    print_warnings(std::cerr, name(), o.warnings);
    for (const auto& n : o.report.notes) std::cout << "note: " << n << "\n";
    geo::write_study_plan(tx.staging(), study, o);
    // The scenario is stored from the staged plan: a database failure keeps the previous output.
    store_scenario(db_, tx.staging(), config_.config, o.metrics.seed, name());
    tx.commit();
    print_lot_table(std::cout, o.metrics);
    for (const auto& p : o.metrics.problems) std::cout << "problem: " << p << "\n";
    const int rc = print_outcome(std::cout, o.metrics, o.report);
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f", o.report.seconds);
    std::cout << "designed in " << secs << " s; wrote assignment.csv, lots.csv, "
              << "metrics.json, plan.gpkg to " << out_.out
              << (rc ? " (the best plan found, flagged \"feasible\": false)" : "") << "\n";
    return rc;
  }

 private:
  ConfigArg config_;
  LotsOption lots_;
  SeedOption<std::optional<std::uint64_t>> seed_;
  MaxTravelOption max_travel_;
  ToleranceOption tolerance_;
  OutOption out_{"out"};
  BaselineOption baseline_;
  DbScenarioOption db_;
};

}  // namespace

std::unique_ptr<Command> make_design_command() { return std::make_unique<DesignCommand>(); }

}  // namespace lotwright::cli
