// lotwright project CONFIG --plan PLAN --growth GROWTH.csv --years 2027:2034 [--out DIR]
//                   [--max-call-gap MIN] [--no-replan]
// Evaluates a plan on grown demand year by year; per lot the first year it leaves its band or
// passes the call-gap or travel threshold; a re-plan with keep_from in the first failing year
// (docs/scenarios.md).
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/scenario/project.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class ProjectCommand final : public Command {
 public:
  std::string name() const override { return "project"; }
  std::string description() const override {
    return "a plan under demand growth: the year each lot leaves its band, a re-plan's kept share";
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    plan_.add_to(app);
    app.add_option("--growth", growth_, "GROWTH.csv: area,year,factor")->required();
    app.add_option("--years", years_, "FROM:TO, e.g. 2027:2034")->required();
    out_.add_to(app, "folder for projection.csv and projection.pdf (default: projection)");
    app.add_option("--max-call-gap", max_gap_, "p90 minutes between calls a lot may reach (15)");
    app.add_flag("--no-replan", no_replan_, "do not re-plan in the first failing year");
  }

  int run() override {
    geo::ProjectionOptions o;
    char extra = 0;
    if (std::sscanf(years_.c_str(), "%d:%d%c", &o.from_year, &o.to_year, &extra) != 2 ||
        o.to_year < o.from_year)
      throw geo::UsageError("--years \"" + years_ + "\": expected FROM:TO, e.g. 2027:2034");
    o.max_call_gap_p90_min = max_gap_;
    o.replan = !no_replan_;
    o.plan_file = std::filesystem::absolute(plan_.plan);
    const auto growth = geo::read_growth_csv(growth_);
    const geo::Study study = geo::load_study(geo::load_config(config_.config));
    print_warnings(std::cerr, name(), study.warnings);
    const geo::PlanEvaluation e = geo::evaluate_plan(study, plan_.plan);
    const geo::Projection p = geo::project_plan(study, e.plan, growth, o);
    const std::filesystem::path dir(out_.out);
    std::filesystem::create_directories(dir);
    geo::write_file_atomic(dir / "projection.csv", geo::projection_csv(p));
    geo::write_projection_pdf(dir / "projection.pdf", p, study.config.area.name);
    auto when = [](int y) { return y ? std::to_string(y) : std::string("never"); };
    for (const auto& lp : p.lots)
      std::cout << "lot " << lp.lot + 1 << " " << lp.name << ": leaves band "
                << when(lp.leaves_band) << ", call gap over " << when(lp.gap_over)
                << ", travel over " << when(lp.travel_over) << "\n";
    std::cout << "first failing year: " << when(p.first_failing_year) << "\n";
    if (p.replan_kept_share >= 0) {
      char buf[320];
      std::snprintf(
          buf, sizeof buf,
          "re-plan in %d with keep_from (%d lots, %s): %.1f%% of hours keep their lot, "
          "%.1f h/week change lot%s\n",
          p.first_failing_year, p.replan_lots,
          p.replan_base_band ? "each held to the base year's band" : "at that year's mean hours",
          100 * p.replan_kept_share, p.replan_changed_hours,
          p.replan_feasible ? "" : " (the re-plan misses a hard constraint)");
      std::cout << buf;
    }
    std::cout << "wrote projection.csv, projection.pdf to " << out_.out << "\n";
    return 0;
  }

 private:
  ConfigArg config_;
  PlanOption plan_;
  std::string growth_, years_;
  OutOption out_{"projection"};
  double max_gap_ = 15;
  bool no_replan_ = false;
};

}  // namespace

std::unique_ptr<Command> make_project_command() { return std::make_unique<ProjectCommand>(); }

}  // namespace lotwright::cli
