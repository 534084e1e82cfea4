// lotwright synth-demand CONFIG --out FILE [--customers N] [--seed S]
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/synth/synth.hpp"

namespace lotwright::cli {
namespace {

class SynthDemandCommand final : public Command {
 public:
  std::string name() const override { return "synth-demand"; }
  std::string description() const override {
    return "write a plausible postcode demand file from residents aged 65+ (seeded)";
  }
  void setup(CLI::App& app) override {
    app.add_option("config", config_, "the TOML configuration (needs [population])")->required();
    app.add_option("--out", out_, "the demand CSV to write")->required();
    app.add_option("--customers", options_.customers,
                   "number of customers (default: ~1.8% of residents aged 65+)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--seed", options_.seed, "random seed (same seed, same file)");
  }

  int run() override {
    const geo::Config cfg = geo::load_config(config_);
    const geo::SynthDemandSummary s = geo::synth_demand(cfg, out_, options_);
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "wrote %s: %ld postcodes, %ld customers, %.1f h/week (%.2f h per customer), "
                  "unmet %.1f h/week (%.1f%%)\n",
                  out_.c_str(), s.rows, s.customers, s.hours,
                  s.customers ? s.hours / static_cast<double>(s.customers) : 0.0, s.unmet_hours,
                  s.hours > 0 ? 100.0 * s.unmet_hours / s.hours : 0.0);
    std::cout << buf;
    return 0;
  }

 private:
  std::string config_;
  std::string out_;
  geo::SynthDemandOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_synth_demand_command() {
  return std::make_unique<SynthDemandCommand>();
}

}  // namespace lotwright::cli
