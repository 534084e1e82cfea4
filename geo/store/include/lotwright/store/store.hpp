#pragma once
// The team store: plans as named scenarios in a PostGIS database (docs/database.md).
//   write_scenario:  a plan folder (plan.gpkg, metrics.json, as write_study_plan writes it) and
//                    its config into schema `lotwright`, in one transaction
//   list_scenarios:  the scenarios with their metrics
//   scenario_plan:   a scenario as a `postcode,lot,hub` plan (the assignment.csv format), so
//                    evaluate, tender and compare read it as they read a plan file; or as
//                    its plan.gpkg, which the viewer opens
// The schema is created and migrated on first use (table lotwright.schema_version). Every
// failure is a DataError naming the database (password left out) and what went wrong.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lotwright::geo {

// True for a GDAL PostgreSQL connection string ("PG:dbname=... host=...").
bool is_postgis(const std::string& db);

struct ScenarioWrite {
  std::string db;                  // PG:...
  std::string name;                // any text of 1..200 characters, no control characters
  std::filesystem::path plan_dir;  // plan.gpkg and metrics.json of the plan
  std::filesystem::path config;    // the TOML file, stored as text
  std::string config_text;         // the config itself instead, when not empty (viewer edits)
  std::uint64_t seed = 0;
  bool replace = false;  // replace a scenario of the same name (else: an error)
  // Tests only: throw after this many unit rows are written, inside the transaction.
  long fail_after_units = -1;
};

struct ScenarioWriteResult {
  long units = 0, lots = 0, hubs = 0;
  bool replaced = false;
  std::vector<std::string> warnings;  // e.g. layer_styles could not be written
};

struct PlanStore;
struct Plan;

// The viewer's "Store as scenario": the edited `plan` of the scenario `from` (opened as
// `store`) as scenario `name`, with `from`'s config and seed, through a plan folder
// (save_plan_folder) and write_scenario: a new scenario, or `from` itself or another one
// replaced only with `replace` (docs/database.md).
ScenarioWriteResult write_edited_scenario(const std::string& db, const std::string& from,
                                          const std::string& name, const PlanStore& store,
                                          const Plan& plan, bool replace);

// Before a long design: the name is valid, the database answers, and without `replace` no
// scenario has that name yet (else DataError, as write_scenario would say). write_scenario
// checks again under its lock: another writer may come in between.
void check_scenario_writable(const std::string& db, const std::string& name, bool replace);

// Writes the scenario in one transaction: a failure (or a concurrent writer of the same name,
// or the name existing without `replace`) leaves the database as it was.
ScenarioWriteResult write_scenario(const ScenarioWrite& w);

struct ScenarioSummary {
  std::string name;
  std::string created;  // UTC, "YYYY-MM-DD HH:MM:SS"
  std::uint64_t seed = 0;
  std::string version;  // of lotwright that wrote it
  std::string metrics;  // metrics.json as stored
  std::string config;   // the config text (scenario_summary only; list_scenarios leaves it "")
};

// Every scenario, by name. An empty list when the schema does not exist yet.
std::vector<ScenarioSummary> list_scenarios(const std::string& db);

// The scenario's plan as `postcode,lot,hub` CSV text (units in postcode order, lot 1-based,
// hub 1 on each lot's hub). DataError naming the scenarios present when `name` is not one.
std::string scenario_plan_csv(const std::string& db, const std::string& name);

// One scenario, with its config text. DataError as scenario_plan_csv when there is none.
ScenarioSummary scenario_summary(const std::string& db, const std::string& name);

// The scenario's plan.gpkg as written by design/run (schema version 2 on; DataError for a
// scenario stored before, which has none).
std::string scenario_plan_gpkg(const std::string& db, const std::string& name);

// The scenario's plan in a temporary file (removed by the destructor), for the commands that
// take a plan file: `assignment.csv` (postcode,lot,hub) or the viewer's `plan.gpkg`.
enum class ScenarioFileKind { plan_csv, plan_gpkg };
class ScenarioPlanFile {
 public:
  ScenarioPlanFile(const std::string& db, const std::string& name,
                   ScenarioFileKind kind = ScenarioFileKind::plan_csv);
  ~ScenarioPlanFile();
  ScenarioPlanFile(const ScenarioPlanFile&) = delete;
  ScenarioPlanFile& operator=(const ScenarioPlanFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path dir_, path_;
};

// Deletes a scenario (and its units, lots and hubs); false when there was none.
bool delete_scenario(const std::string& db, const std::string& name);

}  // namespace lotwright::geo
