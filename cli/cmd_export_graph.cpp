// lotwright export-graph CONFIG --format gerrychain|metis|gal --out FILE: the road-aware
// unit graph for other tools (formats in docs/graph-export.md).
#include <iostream>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/export.hpp"
#include "lotwright/study/study.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

class ExportGraphCommand final : public Command {
 public:
  std::string name() const override { return "export-graph"; }
  std::string description() const override {
    return "write the unit adjacency graph for GerryChain (JSON), METIS or PySAL (GAL)";
  }
  std::vector<std::string> examples() const override {
    return {"lotwright export-graph examples/isle-of-wight.toml --format metis --out iow.graph"};
  }
  void setup(CLI::App& app) override {
    config_.add_to(app);
    app.add_option("--format", format_, "gerrychain | metis | gal")
        ->required()
        ->check(CLI::IsMember({"gerrychain", "metis", "gal"}));
    out_.add_to(app, "output file")->required();
  }

  int run() override {
    const geo::GraphFormat format = geo::parse_graph_format(format_);
    const geo::Config cfg = geo::load_config(config_.config);
    const geo::Study study = geo::load_study(cfg);
    print_warnings(std::cerr, name(), study.warnings);
    geo::export_graph(study.graph, format, out_.out);
    const auto& g = study.graph;
    std::cout << plural(static_cast<long long>(g.size()), "unit") << ", "
              << plural(static_cast<long long>(g.targets.size() / 2), "neighbour pair") << " ("
              << g.dropped_edges << " of " << plural(g.geometric_edges, "shared border")
              << " dropped by the road rule) -> " << out_.out << "\n";
    return 0;
  }

 private:
  ConfigArg config_;
  std::string format_;
  OutOption out_;
};

}  // namespace

std::unique_ptr<Command> make_export_graph_command() {
  return std::make_unique<ExportGraphCommand>();
}

}  // namespace lotwright::cli
