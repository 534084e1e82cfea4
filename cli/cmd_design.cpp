// lotwright design CONFIG [--lots N] [--seed S] [--out DIR] [--baseline PLAN.csv]
#include <cstdio>
#include <iostream>
#include <optional>

#include "command.hpp"
#include "design_common.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/plan/plan_io.hpp"

namespace lotwright::cli {
namespace {

class DesignCommand final : public Command {
 public:
  std::string name() const override { return "design"; }
  std::string description() const override {
    return "design contiguous lots with balanced hours (or tier bands) and a travel limit";
  }
  void setup(CLI::App& app) override {
    app.add_option("config", config_, "the TOML configuration")->required();
    app.add_option("--lots", lots_, "number of lots (overrides [design] lots / tiers)")
        ->check(CLI::PositiveNumber);
    app.add_option("--seed", seed_, "random seed (overrides [design] seed)");
    app.add_option("--out", out_, "output folder (default: out)");
    app.add_option("--baseline", baseline_,
                   "a previous plan (postcode,lot): report the hours kept");
  }

  int run() override {
    const geo::Config cfg = geo::load_config(config_);
    const geo::Study study = geo::load_study(cfg);
    for (const auto& w : study.warnings) std::cerr << "lotwright design: warning: " << w << "\n";
    const auto o = design_study(study, lots_, seed_, baseline_, std::cerr);
    for (const auto& n : o.report.notes) std::cout << "note: " << n << "\n";
    write_study_plan(out_, study, o);
    print_lot_table(std::cout, o.metrics);
    for (const auto& p : o.metrics.problems) std::cout << "problem: " << p << "\n";
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f", o.report.seconds);
    std::cout << "designed in " << secs << " s; wrote assignment.csv, lots.csv, "
              << "metrics.json, plan.gpkg to " << out_ << "\n";
    return 0;
  }

 private:
  std::string config_;
  std::optional<int> lots_;
  std::optional<std::uint64_t> seed_;
  std::string out_ = "out";
  std::string baseline_;
};

}  // namespace

std::unique_ptr<Command> make_design_command() { return std::make_unique<DesignCommand>(); }

}  // namespace lotwright::cli
