// lotwright design CONFIG [--lots N] [--seed S] [--out DIR] [--baseline PLAN.csv]
//                 [--db PG:... --scenario NAME [--replace]]
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "db_plan.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class DesignCommand final : public Command {
 public:
  std::string name() const override { return "design"; }
  std::string description() const override {
    return "design contiguous lots with balanced hours (or tier bands) and a travel limit";
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    lots_.add_to(app);
    seed_.add_to(app, "random seed (overrides [design] seed)");
    out_.add_to(app, "output folder (default: out)");
    baseline_.add_to(app, "a previous plan (postcode,lot): report the hours kept");
    db_.add_to(app, true);
  }

  int run() override {
    check_scenario(db_);
    const geo::Study study = geo::load_study(geo::load_config(config_.config));
    print_warnings(std::cerr, name(), study.warnings);
    geo::DesignOverrides request;
    request.lots = lots_.lots;
    request.seed = seed_.seed;
    request.baseline = baseline_.baseline;
    const geo::DesignOutcome o = geo::run_design(study, request);
    print_warnings(std::cerr, name(), o.warnings);
    for (const auto& n : o.report.notes) std::cout << "note: " << n << "\n";
    geo::write_study_plan(out_.out, study, o);
    store_scenario(db_, out_.out, config_.config, o.metrics.seed, name());
    print_lot_table(std::cout, o.metrics);
    for (const auto& p : o.metrics.problems) std::cout << "problem: " << p << "\n";
    const int rc = print_outcome(std::cout, o.metrics, o.report.reason);
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
  OutOption out_{"out"};
  BaselineOption baseline_;
  DbScenarioOption db_;
};

}  // namespace

std::unique_ptr<Command> make_design_command() { return std::make_unique<DesignCommand>(); }

}  // namespace lotwright::cli
