// lotwright compare CONFIG --plan A --plan B [--relet LOTS] [--out DIR]: the figures of two
// plans side by side (either plan may be a scenario: --db PG:... --scenario NAME, A and B in
// the order given), the hours that change lot and, for a re-let subset of A's lots, what
// moved; with --out, changes.gpkg, the map of the changes (changes.pdf, changes.png),
// changes.csv and comparison.txt.
#include <iostream>

#include "command.hpp"
#include "db_plan.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/compare.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/tender/change_map.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class CompareCommand final : public Command {
 public:
  std::string name() const override { return "compare"; }
  std::string description() const override {
    return "compare two plans: figure differences, hours that change lot, what moved";
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    app.add_option(
        "--plan", plans_,
        "a plan (postcode,lot); two plans in all from --plan and --scenario, A then B in the "
        "order given");
    db_.add_to(app);
    app_ = &app;
    app.add_option("--relet", relet_,
                   "lots of plan A being re-let (numbers or names, comma separated): what "
                   "moved")
        ->delimiter(',');
    out_.add_to(app,
                "folder for changes.gpkg, changes.pdf/.png (the map), changes.csv and "
                "comparison.txt (optional)");
  }

  int run() override {
    // Usage and database errors before the study.
    const auto plans = plan_sources(*app_, plans_, db_);
    const geo::Study study = geo::load_study(geo::load_config(config_.config));
    print_warnings(std::cerr, name(), study.warnings);
    const geo::PlanEvaluation a = geo::evaluate_plan(study, plans[0]->path());
    const geo::PlanEvaluation b = geo::evaluate_plan(study, plans[1]->path());
    const std::vector<int> relet = geo::lots_by_label(a.plan, relet_);
    const geo::PlanComparison c =
        geo::compare_plans(study.graph, a.plan, a.metrics, b.plan, b.metrics, relet);
    const std::string text = geo::comparison_text(c, a.plan, b.plan);
    std::cout << "A: " << plans[0]->label() << "\nB: " << plans[1]->label() << "\n\n" << text;
    if (!out_.out.empty()) {
      const std::filesystem::path dir(out_.out);
      std::filesystem::create_directories(dir);
      geo::write_comparison_gpkg(dir / "changes.gpkg", study.graph, study.units, a.plan, b.plan, c);
      tender::ChangeMapInputs map;
      map.graph = &study.graph;
      map.units = &study.units;
      map.roads = study.roads.get();
      map.a = &a.plan;
      map.b = &b.plan;
      map.comparison = &c;
      map.area = study.config.area.name;
      map.label_a = std::filesystem::path(plans_[0]).filename().string();
      map.label_b = std::filesystem::path(plans_[1]).filename().string();
      tender::write_change_map(dir / "changes.pdf", dir / "changes.png", map);
      geo::write_file_atomic(dir / "changes.csv", geo::changes_csv(c));
      geo::write_file_atomic(dir / "comparison.txt", text);
      std::cout << "wrote changes.gpkg, changes.pdf, changes.png, changes.csv, comparison.txt to "
                << out_.out << "\n";
    }
    return 0;
  }

 private:
  ConfigArg config_;
  std::vector<std::string> plans_;
  DbScenariosOption db_;
  CLI::App* app_ = nullptr;
  std::vector<std::string> relet_;
  OutOption out_;
};

}  // namespace

std::unique_ptr<Command> make_compare_command() { return std::make_unique<CompareCommand>(); }

}  // namespace lotwright::cli
