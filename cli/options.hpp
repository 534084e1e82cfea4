#pragma once
// Options several commands share, as osmium-tool-style mixins: a command holds the ones it
// takes and calls add_to(app) in setup(); each declares its option once (name, type, help).
// add_to returns the CLI11 option, for a command's own ->required(), ->check() or defaults.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace lotwright::cli {

// The positional TOML configuration every study command takes.
struct ConfigArg {
  std::string config;
  CLI::Option* add_to(CLI::App& app, const std::string& help = "the TOML configuration") {
    return app.add_option("config", config, help)->required();
  }
};

// --out: a folder or file to write; `out` holds the default when there is one.
struct OutOption {
  std::string out;
  CLI::Option* add_to(CLI::App& app, const std::string& help) {
    return app.add_option("--out", out, help);
  }
};

// --seed: std::optional<std::uint64_t> to override a config, std::uint64_t with a default.
template <class T>
struct SeedOption {
  T seed{};
  CLI::Option* add_to(CLI::App& app, const std::string& help) {
    return app.add_option("--seed", seed, help);
  }
};

// --lots: the number of lots, overriding the config.
struct LotsOption {
  std::optional<int> lots;
  CLI::Option* add_to(CLI::App& app) {
    return app.add_option("--lots", lots, "number of lots (overrides [design] lots / tiers)")
        ->check(CLI::PositiveNumber);
  }
};

// --plan: the plan a command reads (postcode,lot), required.
struct PlanOption {
  std::string plan;
  CLI::Option* add_to(CLI::App& app) {
    return app.add_option("--plan", plan, "the plan: CSV postcode,lot")->required();
  }
};

// --baseline: a previous plan to report the hours kept against.
struct BaselineOption {
  std::string baseline;
  CLI::Option* add_to(CLI::App& app, const std::string& help) {
    return app.add_option("--baseline", baseline, help);
  }
};

// --json: print metrics.json instead of the table.
struct JsonFlag {
  bool json = false;
  CLI::Option* add_to(CLI::App& app) {
    return app.add_flag("--json", json, "print metrics.json to stdout");
  }
};

// --db PG:... --scenario NAME [--replace]: the team store (docs/database.md). Writers
// (design, run) store their plan as the scenario; readers (evaluate, tender) take the
// scenario's plan instead of --plan (db_plan.hpp).
struct DbScenarioOption {
  std::string db;
  std::string scenario;
  bool replace = false;
  void add_to(CLI::App& app, bool writing) {
    app.add_option("--db", db, "PostGIS connection string (PG:dbname=... host=...)")
        ->check([](const std::string& s) {
          return s.rfind("PG:", 0) == 0 ? std::string()
                                        : std::string("expected PG:dbname=... host=...");
        });
    auto* s = app.add_option("--scenario", scenario,
                             writing ? "store the plan in --db under this scenario name"
                                     : "read the plan of this scenario from --db");
    s->needs("--db");
    app.get_option("--db")->needs(s);
    if (writing)
      app.add_flag("--replace", replace, "replace an existing scenario of that name")
          ->needs("--db");
  }
  bool used() const { return !db.empty(); }
};

}  // namespace lotwright::cli
