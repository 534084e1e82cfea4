// lotwright run CONFIG [--out DIR] [--lots N] [--seed S] [--max-travel MIN] [--tolerance T]
// [--db PG:... --scenario NAME [--replace]]: inspect -> design -> evaluate -> tender pack.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "db_plan.hpp"
#include "lotwright/design/workflow.hpp"
#include "lotwright/gis/out_folder.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/tender/tender.hpp"
#include "options.hpp"
#include "out_folder.hpp"
#include "progress.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class RunCommand final : public Command {
 public:
  std::string name() const override { return "run"; }
  std::string description() const override {
    return "the whole pipeline: inspect, design, evaluate, tender pack into DIR";
  }
  std::vector<std::string> examples() const override {
    return {"lotwright run examples/isle-of-wight.toml --out out/iow",
            "lotwright run examples/isle-of-wight.toml --max-travel 30 --lots 8 --out out/iow-30"};
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    out_.add_to(app, "output folder (default: out)");
    lots_.add_to(app);
    seed_.add_to(app, "random seed (overrides [design] seed)");
    max_travel_.add_to(app);
    tolerance_.add_to(app);
    db_.add_to(app, true);
  }

  int run() override {
    check_scenario(db_);
    const geo::Config cfg = geo::load_config(config_.config);
    const tender::TenderConfig tender_cfg = tender::load_tender_config(cfg);
    print_warnings(std::cerr, name(), tender::tender_config_warnings(tender_cfg));
    TerminalProgress progress;
    // Plan and pack are one generation: written beside --out, swapped in together.
    geo::OutputTransaction tx(out_.out, "plan", config_inputs(cfg), plan_entries(true));
    geo::StudyOptions so;
    so.progress = progress.sink();
    geo::Study study = geo::load_study(cfg, so);
    progress.clear();
    char buf[256];
    std::cout << "inspect: " << cfg.area.name << ": "
              << plural(static_cast<long long>(study.graph.size()), "postcode unit") << ", "
              << study.county.demand.matched_hours << " h matched of "
              << study.county.demand.total_hours << " h; "
              << plural(static_cast<long long>(study.warnings.size()), "warning") << "\n";
    print_warnings(std::cerr, name(), study.warnings);

    auto t0 = std::chrono::steady_clock::now();
    geo::DesignOverrides request;
    request.lots = lots_.lots;
    request.seed = seed_.seed;
    request.max_travel = max_travel_.minutes;
    request.tolerance = tolerance_.tolerance;
    request.progress = progress.sink();
    const geo::DesignOutcome o = geo::run_design(study, request);
    progress.clear();
    const std::string changed = overrides_summary(cfg.design, o.design);
    if (!changed.empty()) std::cout << "design: from the command line: " << changed << "\n";
    print_warnings(std::cerr, name(), o.warnings);
    for (const auto& n : o.report.notes) std::cout << "note: " << n << "\n";
    geo::write_study_plan(tx.staging(), study, o);
    // The scenario is stored from the staged plan: a database failure keeps the previous output.
    store_scenario(db_, tx.staging(), config_.config, o.metrics.seed, name());
    auto secs = [](auto a) {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
    };
    study.stages.push_back({"design", secs(t0), geo::peak_rss_mb()});
    print_lot_table(std::cout, o.metrics);
    for (const auto& p : o.metrics.problems) std::cout << "problem: " << p << "\n";
    if (print_outcome(std::cout, o.metrics, o.report) != 0) {
      tx.commit();  // the best plan, flagged; the previous pack goes with the previous plan
      std::cout << "wrote the best plan found to " << out_.out
                << " (\"feasible\": false); no tender pack for a plan that misses the ask\n";
      return 1;
    }

    t0 = std::chrono::steady_clock::now();
    tender::PackInputs in = tender::pack_inputs(study, tender_cfg, o.plan, o.metrics);
    in.progress = progress.sink();
    const std::filesystem::path pack = std::filesystem::path(out_.out) / "tender";
    const auto s = tender::write_tender_pack(tx.staging() / "tender", in);
    geo::write_manifest(tx.staging() / "tender", "tender");
    progress.clear();
    tx.commit();
    study.stages.push_back({"tender", secs(t0), geo::peak_rss_mb()});
    std::cout << "tender pack: " << plural(s.zones, "zone") << ", " << plural(s.lots, "lot") << ", "
              << plural(static_cast<long long>(s.files.size()), "file") << " in " << pack.string()
              << "\n";

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
              << pack.string() << (changed.empty() ? "" : "; from the command line: " + changed)
              << "\n";
    return 0;
  }

 private:
  ConfigArg config_;
  OutOption out_{"out"};
  LotsOption lots_;
  SeedOption<std::optional<std::uint64_t>> seed_;
  MaxTravelOption max_travel_;
  ToleranceOption tolerance_;
  DbScenarioOption db_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

}  // namespace lotwright::cli
