#include <cstdio>
#include <string>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/synth/synth.hpp"

namespace lotwright::cli {
namespace {

class SynthCountyCommand final : public Command {
 public:
  std::string name() const override { return "synth-county"; }
  std::string description() const override {
    return "Make a synthetic county (boundary, postcodes, roads, small areas, demand, config)";
  }
  void setup(CLI::App& app) override {
    app.add_option("--out", out_, "Folder to write (replaced as a whole)")->required();
    app.add_option("--postcodes", options_.postcodes, "Number of postcodes (200..250000)")
        ->capture_default_str();
    app.add_option("--seed", options_.seed, "Random seed")->capture_default_str();
    app.add_option("--name", options_.name, "County name")->capture_default_str();
  }
  int run() override {
    const auto s = geo::synth_county(out_, options_);
    std::printf(
        "%s: %ld postcodes, %ld settlements, %.0f km2, road graph %ld nodes in %ld ways\n",
        out_.c_str(), s.postcodes, s.settlements, s.area_km2, s.road_nodes, s.road_ways);
    return 0;
  }

 private:
  std::string out_;
  geo::SynthCountyOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_synth_county_command() {
  return std::make_unique<SynthCountyCommand>();
}

}  // namespace lotwright::cli
