// lotwright run CONFIG [--out DIR] [--db PG:... --scenario NAME [--replace]]: inspect -> design ->
// evaluate -> tender pack, one command.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "db_plan.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/tender/tender.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class RunCommand final : public Command {
 public:
  std::string name() const override { return "run"; }
  std::string description() const override {
    return "the whole pipeline: inspect, design, evaluate, tender pack into DIR";
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    out_.add_to(app, "output folder (default: out)");
    db_.add_to(app, true);
  }

  int run() override {
    check_scenario(db_);
    const geo::Config cfg = geo::load_config(config_.config);
    const tender::TenderConfig tender_cfg = tender::load_tender_config(cfg);
    geo::StudyOptions so;
    geo::Study study = geo::load_study(cfg, so);
    char buf[256];
    std::cout << "inspect: " << cfg.area.name << ": " << study.graph.size() << " postcode units, "
              << study.county.demand.matched_hours << " h matched of "
              << study.county.demand.total_hours << " h; " << study.warnings.size()
              << " warnings\n";
    print_warnings(std::cerr, name(), study.warnings);

    auto t0 = std::chrono::steady_clock::now();
    const geo::DesignOutcome o = geo::run_design(study);
    print_warnings(std::cerr, name(), o.warnings);
    for (const auto& n : o.report.notes) std::cout << "note: " << n << "\n";
    geo::write_study_plan(out_.out, study, o);
    store_scenario(db_, out_.out, config_.config, o.metrics.seed, name());
    auto secs = [](auto a) {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
    };
    study.stages.push_back({"design", secs(t0), geo::peak_rss_mb()});
    print_lot_table(std::cout, o.metrics);
    for (const auto& p : o.metrics.problems) std::cout << "problem: " << p << "\n";
    if (print_outcome(std::cout, o.metrics, o.report.reason) != 0) {
      std::cout << "wrote the best plan found to " << out_.out
                << " (\"feasible\": false); no tender pack for a plan that misses the ask\n";
      return 1;
    }

    t0 = std::chrono::steady_clock::now();
    const tender::PackInputs in = tender::pack_inputs(study, tender_cfg, o.plan, o.metrics);
    const std::filesystem::path pack = std::filesystem::path(out_.out) / "tender";
    const auto s = tender::write_tender_pack(pack, in);
    study.stages.push_back({"tender", secs(t0), geo::peak_rss_mb()});
    std::cout << "tender pack: " << s.zones << " zones, " << s.lots << " lots, " << s.files.size()
              << " files in " << pack.string() << "\n";

    std::cout << "stages:\n";
    double total = 0;
    for (const auto& st : study.stages) {
      std::snprintf(buf, sizeof buf, "  %-10s %8.2f s   peak %7.0f MB\n", st.stage.c_str(),
                    st.seconds, st.peak_rss_mb);
      std::cout << buf;
      total += st.seconds;
    }
    std::snprintf(buf, sizeof buf, "  %-10s %8.2f s   peak %7.0f MB\n", "total", total,
                  geo::peak_rss_mb());
    std::cout << buf << "wrote the plan to " << out_.out << " and the tender pack to "
              << pack.string() << "\n";
    return 0;
  }

 private:
  ConfigArg config_;
  OutOption out_{"out"};
  DbScenarioOption db_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

}  // namespace lotwright::cli
