// lotwright synth-county --out DIR [--postcodes N] [--seed S] [--name NAME]: a synthetic county,
// and the command that runs it.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/synth/synth.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class SynthCountyCommand final : public Command {
 public:
  std::string name() const override { return "synth-county"; }
  std::string description() const override {
    return "Make a synthetic county (boundary, postcodes, roads, small areas, demand, config)";
  }
  std::vector<std::string> examples() const override {
    return {"lotwright synth-county --out county --postcodes 5000 --seed 3"};
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
    std::cout << out_.out << ": " << plural(s.postcodes, "postcode") << ", "
              << plural(s.settlements, "settlement") << ", " << human_number(std::round(s.area_km2))
              << " km2, road graph " << plural(s.road_nodes, "node") << " in "
              << plural(s.road_ways, "way") << "\n";
    // The next step, ready to paste: design and tender the county into a sibling folder (the
    // county folder is replaced as a whole when made again).
    const std::filesystem::path dir = std::filesystem::path(out_.out).lexically_normal();
    const std::string base = dir.filename().empty() ? dir.parent_path().string() : dir.string();
    std::cout << "run it: lotwright run " << shell_quote((dir / "county.toml").string())
              << " --out " << shell_quote(base + "-run") << "\n";
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
