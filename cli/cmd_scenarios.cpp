// lotwright scenarios --db PG:... [--delete NAME]: the scenarios of the team store with their
// key metrics (docs/database.md).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "lotwright/store/store.hpp"

namespace lotwright::cli {
namespace {

class ScenariosCommand final : public Command {
 public:
  std::string name() const override { return "scenarios"; }
  std::string description() const override {
    return "list the plans stored in a PostGIS database (--db) with their key metrics";
  }
  void setup(CLI::App& app) override {
    app.add_option("--db", db_, "PostGIS connection string (PG:dbname=... host=...)")->required();
    app.add_option("--delete", delete_, "delete this scenario (its units, lots and hubs)");
  }

  int run() override {
    if (!delete_.empty()) {
      if (!geo::delete_scenario(db_, delete_)) {
        std::cerr << "lotwright scenarios: no scenario \"" << delete_ << "\"\n";
        return 1;
      }
      std::cout << "deleted scenario \"" << delete_ << "\"\n";
      return 0;
    }
    const auto list = geo::list_scenarios(db_);
    if (list.empty()) {
      std::cout << "no scenarios\n";
      return 0;
    }
    char buf[512];
    std::snprintf(buf, sizeof buf, "%-24s %-19s %10s %4s %8s %8s %9s %6s %s\n", "scenario",
                  "created (UTC)", "seed", "lots", "feasible", "max dev%", "mean min", "cut",
                  "version");
    std::cout << buf;
    for (const auto& s : list) {
      const auto m = nlohmann::json::parse(s.metrics, nullptr, false);
      auto num = [&](const char* key) {
        return m.is_object() && m.contains(key) && m[key].is_number() ? m[key].get<double>() : 0.0;
      };
      const bool feasible = m.is_object() && m.value("feasible", false);
      std::snprintf(buf, sizeof buf, "%-24s %-19s %10llu %4.0f %8s %8.2f %9.2f %6.0f %s\n",
                    s.name.c_str(), s.created.c_str(), static_cast<unsigned long long>(s.seed),
                    num("lot_count"), feasible ? "yes" : "no", num("max_deviation_pct"),
                    num("mean_travel_min"), num("cut_edges"), s.version.c_str());
      std::cout << buf;
    }
    return 0;
  }

 private:
  std::string db_;
  std::string delete_;
};

}  // namespace

std::unique_ptr<Command> make_scenarios_command() { return std::make_unique<ScenariosCommand>(); }

}  // namespace lotwright::cli
