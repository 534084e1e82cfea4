// lotwright export-graph CONFIG --format gerrychain|metis|gal --out FILE: the road-aware
// unit graph for other tools (formats in docs/graph-export.md).
#include <iostream>

#include "command.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/study/export.hpp"
#include "lotwright/study/study.hpp"

namespace lotwright::cli {
namespace {

class ExportGraphCommand final : public Command {
 public:
  std::string name() const override { return "export-graph"; }
  std::string description() const override {
    return "write the unit adjacency graph for GerryChain (JSON), METIS or PySAL (GAL)";
  }
  void setup(CLI::App& app) override {
    app.add_option("config", config_, "the TOML configuration")->required();
    app.add_option("--format", format_, "gerrychain | metis | gal")
        ->required()
        ->check(CLI::IsMember({"gerrychain", "metis", "gal"}));
    app.add_option("--out", out_, "output file")->required();
  }

  int run() override {
    const geo::GraphFormat format = geo::parse_graph_format(format_);
    const geo::Config cfg = geo::load_config(config_);
    const geo::Study study = geo::load_study(cfg);
    for (const auto& w : study.warnings) std::cerr << "lotwright export-graph: warning: " << w << "\n";
    geo::export_graph(study.graph, format, out_);
    const auto& g = study.graph;
    std::cout << g.size() << " units, " << g.targets.size() / 2 << " neighbour pairs ("
              << g.dropped_edges << " of " << g.geometric_edges
              << " shared borders dropped by the road rule) -> " << out_ << "\n";
    return 0;
  }

 private:
  std::string config_, format_, out_;
};

}  // namespace

std::unique_ptr<Command> make_export_graph_command() {
  return std::make_unique<ExportGraphCommand>();
}

}  // namespace lotwright::cli
