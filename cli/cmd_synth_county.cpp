#include <cstdio>
#include <string>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/synth/synth.hpp"
#include "options.hpp"

namespace lotwright::cli {
namespace {

class SynthCountyCommand final : public Command {
 public:
  std::string name() const override { return "synth-county"; }
  std::string description() const override {
    return "Make a synthetic county (boundary, postcodes, roads, small areas, demand, config)";
  }
  void setup(CLI::App& app) override {
    out_.add_to(app, "Folder to write (replaced as a whole)")->required();
    app.add_option("--postcodes", options_.postcodes, "Number of postcodes (200..250000)")
        ->capture_default_str();
    seed_.add_to(app, "Random seed")->capture_default_str();
    app.add_option("--name", options_.name, "County name")->capture_default_str();
  }
  int run() override {
    options_.seed = seed_.seed;
    const auto s = geo::synth_county(out_.out, options_);
    std::printf("%s: %ld postcodes, %ld settlements, %.0f km2, road graph %ld nodes in %ld ways\n",
                out_.out.c_str(), s.postcodes, s.settlements, s.area_km2, s.road_nodes,
                s.road_ways);
    return 0;
  }

 private:
  OutOption out_;
  geo::SynthCountyOptions options_;
  SeedOption<std::uint64_t> seed_{options_.seed};
};

}  // namespace

std::unique_ptr<Command> make_synth_county_command() {
  return std::make_unique<SynthCountyCommand>();
}

}  // namespace lotwright::cli
