#pragma once
// Options several commands share, as osmium-tool-style mixins: a command holds the ones it
// takes and calls add_to(app) in setup(); each declares its option once (name, type, help).
// add_to returns the CLI11 option, for a command's own ->required(), ->check() or defaults.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report.hpp"

namespace lotwright::cli {

// A range check whose message reads as people write numbers ("0 is not between 1 and 100,000")
// and never echoes a huge value whole.
inline CLI::Validator between(double lo, double hi, const std::string& unit = "") {
  const std::string range = human_number(lo) + " and " + human_number(hi) + unit;
  return CLI::Validator(
      [lo, hi, range](std::string& in) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(in, v) || !(v >= lo && v <= hi))
          return cut_long_values(in) + " is not between " + range;
        return {};
      },
      human_number(lo) + " to " + human_number(hi) + unit);
}

// A whole number 0 or more (seeds): CLI11 alone would wrap "-1" round to 2^64 - 1.
inline CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& in) -> std::string {
        if (in.empty() || in.size() > 18 || in.find_first_not_of("0123456789") != std::string::npos)
          return cut_long_values(in) + " is not a whole number from 0 to 999,999,999,999,999,999";
        return {};
      },
      "0 OR MORE");
}

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
    return app.add_option("--seed", seed, help)->check(whole_number());
  }
};

// --lots: the number of lots, overriding the config.
struct LotsOption {
  std::optional<int> lots;
  CLI::Option* add_to(CLI::App& app) {
    return app.add_option("--lots", lots, "number of lots (overrides [design] lots / tiers)")
        ->check(between(1, 100000));
  }
};

// --max-travel MIN: the travel limit from a lot's hub, overriding [design] max_travel_minutes
// (and every tier's).
struct MaxTravelOption {
  std::optional<double> minutes;
  CLI::Option* add_to(CLI::App& app) {
    return app
        .add_option("--max-travel", minutes,
                    "travel limit in minutes from a lot's hub (overrides [design] "
                    "max_travel_minutes and every tier's)")
        ->type_name("MIN")
        ->check(between(1, 1440, " minutes"));
  }
};

// --tolerance: the allowed deviation from equal hours, overriding [design] tolerance.
struct ToleranceOption {
  std::optional<double> tolerance;
  CLI::Option* add_to(CLI::App& app) {
    return app
        .add_option("--tolerance", tolerance,
                    "allowed deviation from equal hours, 0..1: 0.05 is 5% (overrides [design] "
                    "tolerance)")
        ->check(between(0, 1));
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

// --db PG:...: the team store's connection string (docs/database.md).
inline CLI::Option* add_db_option(CLI::App& app, std::string& db) {
  return app.add_option("--db", db, "PostGIS connection string (PG:dbname=... host=...)")
      ->check([](const std::string& s) {
        return s.rfind("PG:", 0) == 0 ? std::string()
                                      : std::string("expected PG:dbname=... host=...");
      });
}

// --db PG:... --scenario NAME [--replace]: the team store (docs/database.md). Writers
// (design, run) store their plan as the scenario; readers (evaluate, tender) take the
// scenario's plan instead of --plan (db_plan.hpp).
struct DbScenarioOption {
  std::string db;
  std::string scenario;
  bool replace = false;
  void add_to(CLI::App& app, bool writing) {
    add_db_option(app, db);
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

// compare: --db PG:... with --scenario NAME once or twice; each scenario is one of the two
// plans, A and B in the order --plan and --scenario are given (db_plan.hpp plan_sources).
struct DbScenariosOption {
  std::string db;
  std::vector<std::string> scenarios;
  void add_to(CLI::App& app) {
    add_db_option(app, db);
    auto* s =
        app.add_option("--scenario", scenarios,
                       "a plan: this scenario of --db (once or twice; A and B in the order given)");
    s->needs("--db");
    app.get_option("--db")->needs(s);
  }
};

}  // namespace lotwright::cli
