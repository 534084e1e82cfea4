// lotwright sweep CONFIG --out DIR [--lots 4:16] [--max-travel 20,25,30] [--tolerance 0.05,0.1]
//                 [--shard I/N] [--threads T]
// lotwright sweep --merge DIR1 DIR2 ... --out DIR
// Designs every scenario on one loaded study, in parallel; writes sweep.csv, pareto.csv,
// sweep.pdf and the scenario plans and maps (docs/scenarios.md).
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/scenario/sweep.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class SweepCommand final : public Command {
 public:
  std::string name() const override { return "sweep"; }
  std::string description() const override {
    return "design every scenario (lots, tiers, travel limit, tolerance): trade-offs, Pareto set";
  }
  void setup(CLI::App& app) override {
    app.add_option("config", config_, "the TOML configuration (not with --merge)");
    out_.add_to(app, "the sweep folder to write")->required();
    app.add_option("--lots", lots_, "lot counts: FROM:TO, FROM:TO:STEP or 4,6,8");
    app.add_option("--max-travel", travel_, "travel limits in minutes: 20,25,30");
    app.add_option("--tolerance", tolerance_, "hours tolerances: 0.05,0.1");
    app.add_option("--shard", shard_, "run every N-th scenario: I/N (1 <= I <= N)");
    app.add_option("--threads", threads_, "scenarios designed at once (default: every core)");
    app.add_option("--merge", merge_, "merge these shard folders into --out")->expected(1, -1);
  }

  int run() override {
    if (!merge_.empty()) {
      if (!config_.empty() || !shard_.empty())
        throw geo::UsageError("--merge takes only shard folders and --out");
      std::vector<std::filesystem::path> dirs(merge_.begin(), merge_.end());
      geo::merge_sweeps(dirs, out_.out);
      std::cout << "merged " << dirs.size() << " shard folders into " << out_.out
                << ": sweep.csv, pareto.csv, sweep.pdf\n";
      return 0;
    }
    if (config_.empty()) throw geo::UsageError("sweep needs a CONFIG (or --merge DIR...)");
    geo::SweepOptions options;
    parse_shard(options);
    options.threads = threads_;
    const geo::Config config = geo::load_config(config_);
    geo::SweepSpec spec = geo::read_sweep_config(config);
    if (!lots_.empty()) spec.lots = geo::parse_int_axis(lots_, "--lots");
    if (!travel_.empty()) spec.max_travel = geo::parse_number_axis(travel_, "--max-travel");
    if (!tolerance_.empty()) spec.tolerance = geo::parse_number_axis(tolerance_, "--tolerance");
    const auto scenarios = geo::sweep_scenarios(spec, config.design);
    const geo::Study study = geo::load_study(config);
    print_warnings(std::cerr, name(), study.warnings);
    const bool tty = isatty(fileno(stderr));
    options.progress = [tty](int done, int total, const std::string& label) {
      std::cerr << (tty ? "\r\033[K" : "") << "sweep: " << done << "/" << total << " " << label
                << (tty && done < total ? "" : "\n") << std::flush;
    };
    const geo::SweepResult r = geo::run_sweep(study, scenarios, spec, options);
    geo::write_sweep(out_.out, study, r, spec, options, static_cast<int>(scenarios.size()));
    int feasible = 0, on_time = 0;
    for (const auto& row : r.rows) {
      feasible += row.figure("feasible") == 1;
      on_time += row.figure("stopped_on_time") == 1;
    }
    const auto pareto = geo::read_sweep_csv(std::filesystem::path(out_.out) / "pareto.csv");
    std::cout << "designed " << r.rows.size() << " of " << scenarios.size() << " scenarios ("
              << feasible << " feasible, " << pareto.size() << " on the Pareto set); wrote "
              << "sweep.csv, pareto.csv, sweep.pdf to " << out_.out << "\n";
    if (on_time > 0)
      std::cout << on_time << " of them stopped on the wall clock (time_limit_seconds or the "
                << "exact solve's safety stop; column stopped_on_time): those rows may differ "
                << "between runs\n";
    return 0;
  }

 private:
  void parse_shard(geo::SweepOptions& o) const {
    if (shard_.empty()) return;
    int i = 0, n = 0;
    char extra = 0;
    if (std::sscanf(shard_.c_str(), "%d/%d%c", &i, &n, &extra) != 2 || n < 1 || i < 1 || i > n)
      throw geo::UsageError("--shard \"" + shard_ + "\": expected I/N with 1 <= I <= N");
    o.shard = i;
    o.shards = n;
  }

  std::string config_;
  OutOption out_;
  std::string lots_, travel_, tolerance_, shard_;
  unsigned threads_ = 0;
  std::vector<std::string> merge_;
};

}  // namespace

std::unique_ptr<Command> make_sweep_command() { return std::make_unique<SweepCommand>(); }

}  // namespace lotwright::cli
