// lotwright synth-demand CONFIG --out FILE [--customers N] [--seed S]
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/synth/synth.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class SynthDemandCommand final : public Command {
 public:
  std::string name() const override { return "synth-demand"; }
  std::string description() const override {
    return "write a plausible postcode demand file from residents aged 65+ (seeded)";
  }
  std::vector<std::string> examples() const override {
    return {
        "lotwright synth-demand examples/isle-of-wight.toml --out examples/demand.csv --seed 7"};
  }
  void setup(CLI::App& app) override {
    config_.add_to(app, "the TOML configuration (needs [population])");
    out_.add_to(app, "the demand CSV to write")->required();
    app.add_option("--customers", options_.customers,
                   "number of customers (default: ~1.8% of residents aged 65+)")
        ->check(CLI::NonNegativeNumber);
    seed_.add_to(app, "random seed (same seed, same file)");
  }

  int run() override {
    const geo::Config cfg = geo::load_config(config_.config);
    options_.seed = seed_.seed;
    const geo::SynthDemandSummary s = geo::synth_demand(cfg, out_.out, options_);
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%.1f h/week (%.2f h per customer), unmet %.1f h/week (%.1f%%)\n", s.hours,
                  s.customers ? s.hours / static_cast<double>(s.customers) : 0.0, s.unmet_hours,
                  s.hours > 0 ? 100.0 * s.unmet_hours / s.hours : 0.0);
    std::cout << "wrote " << out_.out << ": " << plural(s.rows, "postcode") << ", "
              << plural(s.customers, "customer") << ", " << buf;
    return 0;
  }

 private:
  ConfigArg config_;
  OutOption out_;
  geo::SynthDemandOptions options_;
  SeedOption<std::uint64_t> seed_{options_.seed};
};

}  // namespace

std::unique_ptr<Command> make_synth_demand_command() {
  return std::make_unique<SynthDemandCommand>();
}

}  // namespace lotwright::cli
