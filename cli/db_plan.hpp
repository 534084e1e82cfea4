#pragma once
// The plan a reading command works on: --plan FILE, or --db PG:... --scenario NAME (the
// scenario's plan in a temporary file, removed when this object goes); compare's two.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lotwright/core/error.hpp"
#include "lotwright/store/store.hpp"
#include "options.hpp"

namespace lotwright::cli {

class PlanSource {
 public:
  PlanSource(const std::string& plan, const DbScenarioOption& db) {
    if (db.used()) {
      if (!plan.empty()) throw geo::UsageError("give --plan or --db/--scenario, not both");
      scenario_.emplace(db.db, db.scenario);
      path_ = scenario_->path();
    } else if (plan.empty()) {
      throw geo::UsageError("--plan FILE or --db PG:... --scenario NAME is required");
    } else {
      path_ = plan;
    }
  }
  // One scenario of the store.
  PlanSource(const std::string& db, const std::string& scenario)
      : scenario_(std::in_place, db, scenario),
        path_(scenario_->path()),
        label_("scenario \"" + scenario + "\"") {}
  const std::filesystem::path& path() const { return path_; }
  // As a person names it: the plan file, or `scenario "NAME"`.
  const std::string& label() const { return label_.empty() ? path_.native() : label_; }

 private:
  std::optional<geo::ScenarioPlanFile> scenario_;
  std::filesystem::path path_;
  std::string label_;
};

// compare's two plans: --plan FILE and --scenario NAME (from --db) in the order given on the
// command line (`--plan A --scenario B`, `--scenario A --scenario B`, ...); exactly two.
inline std::vector<std::unique_ptr<PlanSource>> plan_sources(const CLI::App& app,
                                                             const std::vector<std::string>& plans,
                                                             const DbScenariosOption& db) {
  const std::size_t n = plans.size() + db.scenarios.size();
  if (n != 2)
    throw geo::UsageError(
        "compare needs exactly two plans: --plan A --plan B, --plan A --scenario B or "
        "--scenario A --scenario B (with --db) (got " +
        std::to_string(n) + ")");
  std::vector<std::unique_ptr<PlanSource>> out;
  std::size_t p = 0, s = 0;
  for (const CLI::Option* o : app.parse_order()) {
    if (o->get_name() == "--plan" && p < plans.size())
      out.push_back(std::make_unique<PlanSource>(plans[p++], DbScenarioOption{}));
    else if (o->get_name() == "--scenario" && s < db.scenarios.size())
      out.push_back(std::make_unique<PlanSource>(db.db, db.scenarios[s++]));
  }
  return out;
}

// design/run --db --scenario, before designing: fails fast on a bad name, an unreachable
// database or an existing scenario without --replace.
inline void check_scenario(const DbScenarioOption& db) {
  if (db.used()) geo::check_scenario_writable(db.db, db.scenario, db.replace);
}

// design/run --db --scenario: stores the plan folder just written (plan.gpkg, metrics.json)
// with its config as the scenario, in one transaction, and says so.
inline void store_scenario(const DbScenarioOption& db, const std::filesystem::path& plan_dir,
                           const std::filesystem::path& config, std::uint64_t seed,
                           const std::string& command) {
  if (!db.used()) return;
  geo::ScenarioWrite w;
  w.db = db.db;
  w.name = db.scenario;
  w.plan_dir = plan_dir;
  w.config = config;
  w.seed = seed;
  w.replace = db.replace;
  const geo::ScenarioWriteResult r = geo::write_scenario(w);
  for (const auto& warning : r.warnings)
    std::cerr << "lotwright " << command << ": warning: " << warning << "\n";
  std::cout << (r.replaced ? "replaced" : "stored") << " scenario \"" << db.scenario
            << "\": " << r.units << " units, " << r.lots << " lots, " << r.hubs << " hubs\n";
}

}  // namespace lotwright::cli
