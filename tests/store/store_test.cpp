// The team store against a real PostgreSQL + PostGIS server: the throwaway cluster ctest starts
// (scripts/pg-test-server.sh, fixture "postgis"; connection string in LOTWRIGHT_TEST_PG).
// Inputs: every input kind loaded into PostGIS with ogr2ogr reads as the files do; a bad value
// is named by table, row (primary key) and column. Scenarios: the Isle of Wight (ward units,
// every input from PostGIS) designed into a named scenario, listed, evaluated back with the
// figures of the file plan; replace rules, rollback on an injected failure, two writers at
// once, and an injection attempt in a scenario name.
#include "lotwright/store/store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/plan_store.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "support.hpp"

using namespace lotwright;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

namespace {

std::string pg() {
  const char* s = std::getenv("LOTWRIGHT_TEST_PG");
  return s ? s : "";
}

// psql on the test cluster: the output of one statement, unaligned, no headers.
std::string psql(const std::string& sql) {
  const auto r = test::run_program(
      "/usr/bin/psql", {"-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", pg().substr(3), "-c", sql});
  EXPECT_EQ(r.exit_code, 0) << sql << "\n" << r.err;
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

void ogr2ogr(const fs::path& file, const std::string& table, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"-f",    "PostgreSQL", pg(),   file.string(),        "-nln",
                                table,   "-overwrite", "-lco", "GEOMETRY_NAME=geom", "-lco",
                                "FID=pk"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = test::run_program("/usr/bin/ogr2ogr", args);
  ASSERT_EQ(r.exit_code, 0) << file << "\n" << r.err;
}

// Deterministic demand: every 5th postcode of the directory, hours not round numbers.
std::string demand_csv() {
  std::ifstream in(test::iow_dir() / "postcodes/postcodes_E06000046_enriched.csv");
  std::string line, csv = "postcode,hours_per_week,customers\n";
  std::getline(in, line);
  for (long i = 0; std::getline(in, line); ++i) {
    if (i % 5 != 2) continue;
    char buf[64];
    std::snprintf(buf, sizeof buf, ",%.2f,%ld\n", 2.5 + static_cast<double>((i * 37) % 53) / 4.0,
                  1 + i % 3);
    csv += line.substr(0, line.find(',')) + buf;
  }
  return csv;
}

struct Inputs {
  std::string boundary, postcodes, demand, rural, population, units;
};

// The test config; with `db`, every path is the test database and each section names its
// table ("iow_<section>").
std::string config_text(const Inputs& in, bool db) {
  auto table = [&](const std::string& path, const std::string& section) {
    return "path = \"" + path + "\"\n" + (db ? "layer = \"iow_" + section + "\"\n" : "");
  };
  std::string t = "[area]\nname = \"Isle of Wight\"\nboundary = \"" + in.boundary + "\"\n" +
                  (db ? "layer = \"iow_boundary\"\n" : "") + "\n";
  t += "[postcodes]\n" + table(in.postcodes, "postcodes") +
       "id = \"postcode\"\nx = \"easting\"\ny = \"northing\"\ncrs = \"EPSG:27700\"\n\n";
  t += "[demand]\n" + table(in.demand, "demand") +
       "postcode = \"postcode\"\nhours = \"hours_per_week\"\ncustomers = \"customers\"\n\n";
  t += "[rural]\n" + table(in.rural, "rural") +
       "key = \"LSOA11CD\"\npostcode_key = \"lsoa11cd\"\nclass = \"RUC11CD\"\n\n";
  t += "[population]\n" + table(in.population, "population") +
       "key = \"LSOA21CD\"\npostcode_key = \"lsoa21cd\"\ncount = \"age_65_plus\"\n\n";
  t += "[units]\n" + table(in.units, "units") + "id = \"WD25CD\"\n\n";
  t += "[design]\nlots = 3\ntolerance = 0.25\nmax_travel_minutes = 90\nseed = 3\n";
  return t;
}

}  // namespace

class StoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_FALSE(pg().empty()) << "LOTWRIGHT_TEST_PG is not set: run through ctest, which "
                                  "starts the test cluster (fixture postgis)";
    if (dir_) return;  // loaded by the first suite
    dir_ = std::make_unique<test::ScratchDir>("store_test");
    const fs::path d = test::iow_dir();
    const fs::path demand = *dir_ / "demand.csv";
    test::write_text(demand, demand_csv());
    Inputs files{(d / "boundaries/la_E06000046_dissolved_from_lsoa21_bgc.geojson").string(),
                 (d / "postcodes/postcodes_E06000046_enriched.csv").string(),
                 demand.string(),
                 (d / "classification/ruc2011_lsoa11_E06000046.csv").string(),
                 (d / "classification/census2021_age6_lsoa21_E06000046.csv").string(),
                 (d / "boundaries/ward_E06000046_bgc.geojson").string()};
    // Every input into PostGIS as a table of its own (ogr2ogr, as a council GIS team would).
    ogr2ogr(files.boundary, "iow_boundary");
    ogr2ogr(files.postcodes, "iow_postcodes");
    ogr2ogr(files.demand, "iow_demand");
    ogr2ogr(files.rural, "iow_rural");
    ogr2ogr(files.population, "iow_population");
    ogr2ogr(files.units, "iow_units");
    // A view: the demand as a team might publish it.
    psql("CREATE OR REPLACE VIEW iow_demand_view AS SELECT * FROM iow_demand ORDER BY pk");
    file_config_ = *dir_ / "files.toml";
    test::write_text(file_config_, config_text(files, false));
    const std::string db = pg();
    db_config_ = *dir_ / "db.toml";
    test::write_text(db_config_, config_text({db, db, db, db, db, db}, true));
  }
  static std::unique_ptr<test::ScratchDir> dir_;  // removed at exit
  static fs::path file_config_, db_config_;
};
std::unique_ptr<test::ScratchDir> StoreTest::dir_;
fs::path StoreTest::file_config_, StoreTest::db_config_;

TEST_F(StoreTest, EveryInputKindReadsFromPostgisAsFromTheFiles) {
  geo::StudyOptions so;
  so.roads = false;
  const geo::Study a = geo::load_study(geo::load_config(file_config_), so);
  // The PostGIS study with a query for the demand, a table named with a space and capitals
  // for the units and a view for the population (every other input a plain table).
  psql(
      "DROP TABLE IF EXISTS \"IoW Wards\"; CREATE TABLE \"IoW Wards\" AS SELECT * FROM "
      "iow_units; ALTER TABLE \"IoW Wards\" ADD PRIMARY KEY (pk); CREATE OR REPLACE VIEW "
      "iow_population_view AS SELECT * FROM iow_population");
  std::string t = test::read_text(db_config_);
  auto swap = [&t](const std::string& from, const std::string& to) {
    ASSERT_NE(t.find(from), std::string::npos) << from;
    t.replace(t.find(from), from.size(), to);
  };
  swap("layer = \"iow_demand\"",
       "layer = \"SELECT pk AS ogc_fid, postcode, hours_per_week, customers  FROM "
       "iow_demand WHERE hours_per_week::numeric >= 0\"");
  swap("layer = \"iow_units\"", "layer = \"IoW Wards\"");
  swap("layer = \"iow_population\"", "layer = \"iow_population_view\"");
  const fs::path cfg = *dir_ / "db-query.toml";
  test::write_text(cfg, t);
  const geo::Config db_cfg = geo::load_config(cfg);
  EXPECT_THAT(db_cfg.area.boundary.string(), HasSubstr("tables=iow_boundary"));
  ASSERT_TRUE(db_cfg.units && db_cfg.demand);
  EXPECT_THAT(db_cfg.units->path.string(), HasSubstr("tables='IoW Wards'"));
  EXPECT_THAT(db_cfg.demand->path.string(),
              HasSubstr(" query=\"SELECT pk AS ogc_fid, postcode, hours_per_week, customers...\""));
  const geo::Study b = geo::load_study(db_cfg, so);
  ASSERT_GT(a.graph.size(), 30u);
  EXPECT_EQ(a.graph.id, b.graph.id);        // units (wards)
  EXPECT_EQ(a.graph.hours, b.graph.hours);  // demand joined through postcodes and boundary
  EXPECT_EQ(a.graph.customers, b.graph.customers);
  EXPECT_EQ(a.graph.rural, b.graph.rural);  // rural classes
  ASSERT_EQ(a.graph.area_m2.size(), b.graph.area_m2.size());
  for (std::size_t i = 0; i < a.graph.size(); ++i)
    EXPECT_NEAR(a.graph.area_m2[i], b.graph.area_m2[i], 1e-6 * a.graph.area_m2[i]);
  EXPECT_EQ(a.graph.targets, b.graph.targets);  // adjacency from the unit polygons
  ASSERT_EQ(a.county.postcodes.size(), b.county.postcodes.size());
  double pop_a = 0, pop_b = 0;
  long inside_a = 0, inside_b = 0;
  for (std::size_t i = 0; i < a.county.postcodes.size(); ++i) {
    pop_a += a.county.postcodes[i].population, pop_b += b.county.postcodes[i].population;
    inside_a += a.county.postcodes[i].inside, inside_b += b.county.postcodes[i].inside;
  }
  EXPECT_GT(pop_a, 30000);  // population (people 65+)
  EXPECT_NEAR(pop_a, pop_b, 1e-6);
  EXPECT_EQ(inside_a, inside_b);  // boundary
  EXPECT_EQ(a.county.demand.matched_hours, b.county.demand.matched_hours);
  EXPECT_GT(b.county.demand.matched_hours, 1000);
}

TEST_F(StoreTest, AViewReadsAsItsTable) {
  const std::vector<std::string> cols{"postcode", "hours_per_week", "customers"};
  const geo::Table view =
      geo::read_table(pg() + " tables=iow_demand_view", "iow_demand_view", cols);
  const geo::Table file = geo::read_table(*dir_ / "demand.csv", "", cols);
  ASSERT_EQ(view.rows.size(), file.rows.size());
  for (std::size_t i = 0; i < file.rows.size(); ++i)
    ASSERT_EQ(view.rows[i].values, file.rows[i].values) << i;
}

namespace {

// read_table on a PostGIS layer as the config gives it (gis/io.hpp postgis_input).
geo::Table read_pg(std::string layer, const std::vector<std::string>& cols) {
  fs::path path = pg();
  geo::postgis_input(path, layer);
  return geo::read_table(path, layer, cols);
}

std::string read_error(const std::string& layer, const std::vector<std::string>& cols) {
  try {
    read_pg(layer, cols);
  } catch (const geo::DataError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_F(StoreTest, ABadValueIsNamedByTableRowAndColumn) {
  psql(
      "DROP TABLE IF EXISTS iow_bad_demand; CREATE TABLE iow_bad_demand AS SELECT * FROM "
      "iow_demand; ALTER TABLE iow_bad_demand ADD PRIMARY KEY (pk); UPDATE iow_bad_demand SET "
      "hours_per_week = '-3' WHERE pk = 17");
  std::string t = test::read_text(db_config_);
  t.replace(t.find("layer = \"iow_demand\""), 20, "layer = \"iow_bad_demand\"");
  const fs::path cfg = *dir_ / "bad.toml";
  test::write_text(cfg, t);
  const auto r = test::run_cli({"inspect", cfg.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.err, HasSubstr("tables=iow_bad_demand: row 17: column \"hours_per_week\": "
                               "\"-3\" must be a number >= 0"));
  // A table that does not exist (the library's error, as the CLI would print it).
  EXPECT_THAT(read_error("no_such_table", {"postcode"}), HasSubstr("tables=no_such_table: "));
}

TEST_F(StoreTest, AQueryErrorIsNamedByQueryRowAndColumn) {
  // A bad value in a query's result: the query (cut), the row (its ogc_fid column when it
  // selects one, else the row's place in the result) and the column.
  std::string t = test::read_text(db_config_);
  t.replace(t.find("layer = \"iow_demand\""), 20,
            "layer = \"SELECT pk AS ogc_fid, postcode, CASE WHEN pk = 17 THEN '-3' ELSE "
            "hours_per_week END AS hours_per_week, customers FROM iow_demand\"");
  const fs::path cfg = *dir_ / "bad-query.toml";
  test::write_text(cfg, t);
  geo::StudyOptions so;
  so.roads = false;
  try {
    geo::load_study(geo::load_config(cfg), so);
    ADD_FAILURE() << "no error";
  } catch (const geo::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr(" query=\"SELECT pk AS ogc_fid, postcode, CASE WHEN pk = 17 "
                                    "THEN '-...\": row 17: column \"hours_per_week\": \"-3\" "
                                    "must be a number >= 0"));
    EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("ELSE")));  // cut to a readable length
  }
  // Without an ogc_fid column: the place in the result (1-based).
  EXPECT_THAT(read_error("SELECT postcode FROM iow_demand ORDER BY pk", {"postcode", "hours"}),
              HasSubstr("query=\"SELECT postcode FROM iow_demand ORDER BY pk\": column "
                        "\"hours\" not found; the columns are: postcode"));
  const geo::Table rows = read_pg("SELECT postcode FROM iow_demand ORDER BY pk", {"postcode"});
  ASSERT_GT(rows.rows.size(), 3u);
  EXPECT_EQ(rows.rows[2].line, 3);
  // SQL the server refuses: the server's message after the query.
  const std::string refused = read_error("SELECT nope FROM iow_demand", {"postcode"});
  EXPECT_THAT(refused, HasSubstr("query=\"SELECT nope FROM iow_demand\": the query failed: "));
  EXPECT_THAT(refused, HasSubstr("column \"nope\" does not exist"));
}

TEST_F(StoreTest, TableNamesAreQuotedAndAnInjectionAttemptIsJustAName) {
  // Tables named with spaces, capitals, quotes, a backslash, a comma and parentheses: each
  // reads as the demand table it copies; the rows are named by the primary key.
  const std::vector<std::string> names{"Demand 2026", "MixedCase", "Team's \"demand\"",
                                       "back\\slash", "a, b(c)",   "d'; DROP TABLE iow_demand; --"};
  const std::vector<std::string> cols{"postcode", "hours_per_week"};
  const geo::Table want = read_pg("iow_demand", cols);
  std::string sql;  // one psql run makes them all
  for (const auto& name : names) {
    std::string ident = "\"";
    for (char c : name) ident += c == '"' ? std::string("\"\"") : std::string(1, c);
    ident += "\"";
    sql += "DROP TABLE IF EXISTS " + ident + "; CREATE TABLE " + ident +
           " AS SELECT * FROM iow_demand; ALTER TABLE " + ident + " ADD PRIMARY KEY (pk); ";
  }
  psql(sql);
  for (const auto& name : names) {
    const geo::Table got = read_pg(name, cols);
    ASSERT_EQ(got.rows.size(), want.rows.size()) << name;
    EXPECT_EQ(got.rows[5].values, want.rows[5].values) << name;
  }
  EXPECT_EQ(read_pg("Demand 2026", cols).rows[5].line, want.rows[5].line);  // the primary key
  // A name that is no table: an error naming it, and nothing dropped.
  const std::string evil = "iow_demand'; DROP TABLE iow_boundary; --";
  EXPECT_THAT(read_error(evil, cols), HasSubstr("DROP TABLE iow_boundary"));
  EXPECT_THAT(read_error("x\", pk) FROM iow_demand; DROP TABLE iow_boundary; --", cols),
              HasSubstr("does not exist"));
  EXPECT_EQ(psql("SELECT count(*) FROM iow_boundary"), "1");
  EXPECT_GT(std::stol(psql("SELECT count(*) FROM iow_demand")), 1000);
}

// ----------------------------------------------------------------- scenarios

namespace {

std::string without_runtime(const std::string& metrics_json) {
  auto j = nlohmann::json::parse(metrics_json);
  j.erase("runtime_s");
  return j.dump(1);
}

}  // namespace

class ScenarioTest : public StoreTest {
 protected:
  // The Isle of Wight designed once from the PostGIS inputs into scenario "iow wards".
  static void SetUpTestSuite() {
    StoreTest::SetUpTestSuite();
    psql("DROP SCHEMA IF EXISTS lotwright CASCADE; DROP TABLE IF EXISTS public.layer_styles");
    plan_dir_ = *dir_ / "plan";
    design_ = new test::CliResult(
        test::run_cli({"design", db_config_.string(), "--out", plan_dir_.string(), "--db", pg(),
                       "--scenario", "iow wards"}));
  }
  static void TearDownTestSuite() { delete design_; }
  static geo::ScenarioWrite request(const std::string& name) {
    geo::ScenarioWrite w;
    w.db = pg();
    w.name = name;
    w.plan_dir = plan_dir_;
    w.config = db_config_;
    w.seed = 3;
    return w;
  }
  static long count(const std::string& table, const std::string& where) {
    return std::stol(psql("SELECT count(*) FROM lotwright." + table + " WHERE " + where));
  }
  static fs::path plan_dir_;
  static test::CliResult* design_;
};
fs::path ScenarioTest::plan_dir_;
test::CliResult* ScenarioTest::design_ = nullptr;

TEST_F(ScenarioTest, TheStudyFromPostgisIsStoredAsANamedScenario) {
  ASSERT_EQ(design_->exit_code, 0) << design_->out << design_->err;
  EXPECT_THAT(design_->out, HasSubstr("stored scenario \"iow wards\": 39 units, 3 lots, 3 hubs"));
  EXPECT_EQ(count("scenarios", "name = 'iow wards'"), 1);
  EXPECT_EQ(count("units", "scenario = 'iow wards'"), 39);
  EXPECT_EQ(count("lots", "scenario = 'iow wards' AND ST_IsValid(geom) AND ST_SRID(geom) = 27700"),
            3);
  EXPECT_EQ(count("hubs", "scenario = 'iow wards'"), 3);
  // The config as text, the seed, the metrics as JSON; the schema version table.
  EXPECT_EQ(psql("SELECT config FROM lotwright.scenarios WHERE name = 'iow wards'"),
            test::read_text(db_config_).substr(0, test::read_text(db_config_).size() - 1));
  EXPECT_EQ(psql("SELECT seed || ' ' || (metrics->>'lot_count') FROM lotwright.scenarios "
                 "WHERE name = 'iow wards'"),
            "3 3");
  EXPECT_EQ(psql("SELECT max(version) FROM lotwright.schema_version"), "2");
  // The plan.gpkg byte for byte (the viewer opens it).
  EXPECT_EQ(geo::scenario_plan_gpkg(pg(), "iow wards"), test::read_text(plan_dir_ / "plan.gpkg"));
  // Lot hours in the database are the plan's (lots.csv figures, by the same code).
  const auto j = nlohmann::json::parse(test::read_text(plan_dir_ / "metrics.json"));
  EXPECT_NEAR(std::stod(psql("SELECT sum(hours) FROM lotwright.lots WHERE scenario = 'iow wards'")),
              j["assigned_hours"].get<double>(), 0.05);
  // QGIS opens the lots coloured: a default style for lotwright.lots.
  EXPECT_EQ(psql("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = 'lotwright' "
                 "AND f_table_name = 'lots' AND useasdefault AND styleqml::text LIKE "
                 "'%categorizedSymbol%'"),
            "1");

  const auto list = test::run_cli({"scenarios", "--db", pg()});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("iow wards"));
  EXPECT_THAT(list.out, ::testing::ContainsRegex("iow wards +[0-9-]+ [0-9:]+ +3 +3 +yes"));
}

TEST_F(ScenarioTest, EvaluateFromTheScenarioGivesTheFiguresOfTheFilePlan) {
  ASSERT_EQ(design_->exit_code, 0) << design_->err;
  // The scenario's plan is the plan file, byte for byte.
  EXPECT_EQ(geo::scenario_plan_csv(pg(), "iow wards"),
            test::read_text(plan_dir_ / "assignment.csv"));
  const auto from_file = test::run_cli({"evaluate", db_config_.string(), "--plan",
                                        (plan_dir_ / "assignment.csv").string(), "--json"});
  const auto from_db = test::run_cli(
      {"evaluate", db_config_.string(), "--db", pg(), "--scenario", "iow wards", "--json"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  ASSERT_EQ(from_db.exit_code, 0) << from_db.err;
  EXPECT_EQ(without_runtime(from_db.out), without_runtime(from_file.out));
  EXPECT_THAT(from_db.out, HasSubstr("\"lot_count\": 3"));
  // Unknown scenario: exit 1 naming the ones there are; --plan and --scenario together: usage.
  const auto unknown =
      test::run_cli({"evaluate", db_config_.string(), "--db", pg(), "--scenario", "nope"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("no scenario \"nope\" (scenarios: iow wards"));
  const auto both = test::run_cli({"evaluate", db_config_.string(), "--plan", "x.csv", "--db", pg(),
                                   "--scenario", "iow wards"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
}

TEST_F(ScenarioTest, AnExistingScenarioIsReplacedOnlyWithReplace) {
  ASSERT_EQ(design_->exit_code, 0) << design_->err;
  geo::write_scenario(request("twice"));
  const std::string created = psql("SELECT created FROM lotwright.scenarios WHERE name='twice'");
  try {
    geo::write_scenario(request("twice"));
    FAIL() << "no error";
  } catch (const geo::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("scenario \"twice\" already exists; pass --replace"));
  }
  EXPECT_EQ(psql("SELECT created FROM lotwright.scenarios WHERE name='twice'"), created);
  auto w = request("twice");
  w.replace = true;
  const auto r = geo::write_scenario(w);
  EXPECT_TRUE(r.replaced);
  EXPECT_EQ(count("scenarios", "name = 'twice'"), 1);
  EXPECT_EQ(count("units", "scenario = 'twice'"), 39);
  // The command line checks before designing: exit 1, no plan folder written.
  const auto again =
      test::run_cli({"design", db_config_.string(), "--out", (*dir_ / "again").string(), "--db",
                     pg(), "--scenario", "twice"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("scenario \"twice\" already exists; pass --replace"));
  EXPECT_FALSE(fs::exists(*dir_ / "again"));
  EXPECT_TRUE(geo::delete_scenario(pg(), "twice"));
  EXPECT_EQ(count("units", "scenario = 'twice'"), 0);
  EXPECT_FALSE(geo::delete_scenario(pg(), "twice"));
}

TEST_F(ScenarioTest, AnInjectedFailureLeavesNoTrace) {
  ASSERT_EQ(design_->exit_code, 0) << design_->err;
  auto w = request("half");
  w.fail_after_units = 10;
  EXPECT_THROW(geo::write_scenario(w), geo::DataError);
  EXPECT_EQ(count("scenarios", "name = 'half'"), 0);
  EXPECT_EQ(count("units", "scenario = 'half'"), 0);
  EXPECT_EQ(count("lots", "scenario = 'half'"), 0);
  // Replacing an existing scenario and failing half-way keeps the old one whole.
  geo::write_scenario(request("half"));
  const std::string created = psql("SELECT created FROM lotwright.scenarios WHERE name='half'");
  w.replace = true;
  EXPECT_THROW(geo::write_scenario(w), geo::DataError);
  EXPECT_EQ(psql("SELECT created FROM lotwright.scenarios WHERE name='half'"), created);
  EXPECT_EQ(count("units", "scenario = 'half'"), 39);
  // A failure on the server (a unit row the table refuses) rolls back the same way.
  psql("ALTER TABLE lotwright.units ADD CONSTRAINT no_big_lots CHECK (lot < 3) NOT VALID");
  EXPECT_THROW(geo::write_scenario(request("refused")), geo::DataError);
  psql("ALTER TABLE lotwright.units DROP CONSTRAINT no_big_lots");
  EXPECT_EQ(count("scenarios", "name = 'refused'"), 0);
  EXPECT_EQ(count("units", "scenario = 'refused'"), 0);
}

namespace {

// Runs write_scenario in a child process; exit 0 on success, 1 with the message in `message`.
pid_t write_in_child(const geo::ScenarioWrite& w, const fs::path& message) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    int rc = 0;
    try {
      geo::write_scenario(w);
    } catch (const std::exception& e) {
      std::ofstream(message) << e.what();
      rc = 1;
    }
    ::_exit(rc);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace

TEST_F(ScenarioTest, TwoWritersAtOnce) {
  ASSERT_EQ(design_->exit_code, 0) << design_->err;
  // Different names: both succeed.
  const pid_t a = write_in_child(request("race a"), *dir_ / "race-a.txt");
  const pid_t b = write_in_child(request("race b"), *dir_ / "race-b.txt");
  EXPECT_EQ(wait_exit(a), 0) << test::read_text(*dir_ / "race-a.txt");
  EXPECT_EQ(wait_exit(b), 0) << test::read_text(*dir_ / "race-b.txt");
  EXPECT_EQ(count("units", "scenario IN ('race a', 'race b')"), 78);
  // The same name: one wins, the other is told the scenario exists. A reader meanwhile sees
  // the scenario whole (39 units) or not at all.
  const pid_t c = write_in_child(request("race same"), *dir_ / "race-c.txt");
  const pid_t d = write_in_child(request("race same"), *dir_ / "race-d.txt");
  for (int i = 0; i < 5; ++i) {
    const std::string seen = psql(
        "SELECT count(*) FROM lotwright.units u JOIN lotwright.scenarios s ON s.name = "
        "u.scenario WHERE s.name = 'race same'");
    EXPECT_TRUE(seen == "0" || seen == "39") << seen;
  }
  const int rc = wait_exit(c), rd = wait_exit(d);
  EXPECT_EQ(rc + rd, 1) << rc << " " << rd;
  const std::string loser = test::read_text(*dir_ / (rc ? "race-c.txt" : "race-d.txt"));
  EXPECT_THAT(loser, HasSubstr("scenario \"race same\" already exists"));
  EXPECT_EQ(count("scenarios", "name = 'race same'"), 1);
  EXPECT_EQ(count("units", "scenario = 'race same'"), 39);
}

TEST_F(ScenarioTest, AnInjectionAttemptInTheNameIsJustAName) {
  ASSERT_EQ(design_->exit_code, 0) << design_->err;
  const std::string evil = "x'); DROP TABLE lotwright.scenarios; DELETE FROM lotwright.units; --";
  const std::string evil2 = "y\\'; DELETE FROM lotwright.units; -- $$ \"";
  geo::write_scenario(request(evil));
  geo::write_scenario(request(evil2));
  bool found = false, found2 = false;
  for (const auto& s : geo::list_scenarios(pg()))
    found |= s.name == evil, found2 |= s.name == evil2;
  EXPECT_TRUE(found);
  EXPECT_TRUE(found2);
  EXPECT_EQ(count("units", "scenario = 'iow wards'"), 39);  // nothing deleted or dropped
  EXPECT_EQ(geo::scenario_plan_csv(pg(), evil), test::read_text(plan_dir_ / "assignment.csv"));
  EXPECT_EQ(geo::scenario_plan_csv(pg(), evil2), test::read_text(plan_dir_ / "assignment.csv"));
  EXPECT_THROW(geo::write_scenario(request("bad\nname")), geo::UsageError);
  EXPECT_THROW(geo::write_scenario(request("")), geo::UsageError);
}

TEST_F(ScenarioTest, ARoleWithRightsOnTheLotwrightSchemaOnlyWritesScenarios) {
  ASSERT_EQ(design_->exit_code, 0) << design_->err;
  // docs/database.md: rights on schema lotwright's tables only; none on public.layer_styles.
  psql(
      "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'planner') THEN "
      "CREATE ROLE planner LOGIN; END IF; END $$; "
      "GRANT USAGE ON SCHEMA lotwright TO planner; "
      "GRANT SELECT, INSERT, DELETE ON ALL TABLES IN SCHEMA lotwright TO planner; "
      "GRANT USAGE ON ALL SEQUENCES IN SCHEMA lotwright TO planner; "
      "REVOKE ALL ON public.layer_styles FROM planner");
  std::string db = pg();
  db.replace(db.find("user=lotwright"), 14, "user=planner");
  auto w = request("by planner");
  w.db = db;
  const auto r = geo::write_scenario(w);
  EXPECT_EQ(r.units, 39);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("public.layer_styles"));
  EXPECT_EQ(count("units", "scenario = 'by planner'"), 39);
  EXPECT_EQ(geo::scenario_plan_csv(db, "by planner"),
            test::read_text(plan_dir_ / "assignment.csv"));
  // The style written by the owner is still there, unchanged.
  EXPECT_EQ(psql("SELECT count(*) FROM public.layer_styles"), "1");
  // With the grants docs/database.md lists on public.layer_styles (no CREATE on public), the
  // style step runs without a warning.
  psql(
      "GRANT SELECT, INSERT, DELETE ON public.layer_styles TO planner; "
      "GRANT USAGE ON SEQUENCE public.layer_styles_id_seq TO planner");
  w.name = "by planner, styles granted";
  EXPECT_THAT(geo::write_scenario(w).warnings, ::testing::IsEmpty());
}

TEST_F(ScenarioTest, ASchemaNewerThanTheProgramIsNotWritten) {
  ASSERT_EQ(design_->exit_code, 0) << design_->err;
  psql("INSERT INTO lotwright.schema_version (version) VALUES (99)");
  try {
    geo::write_scenario(request("from the future"));
    ADD_FAILURE() << "no error";
  } catch (const geo::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the lotwright schema is version 99, newer than this "
                                    "program's (2)"));
  }
  psql("DELETE FROM lotwright.schema_version WHERE version = 99");
  EXPECT_EQ(count("scenarios", "name = 'from the future'"), 0);
}

TEST_F(ScenarioTest, CompareTakesEitherPlanFromTheStore) {
  ASSERT_EQ(design_->exit_code, 0) << design_->err;
  // A scenario against the same plan as a file: no differences; A and B as given.
  const std::string file = (plan_dir_ / "assignment.csv").string();
  auto r = test::run_cli(
      {"compare", db_config_.string(), "--scenario", "iow wards", "--db", pg(), "--plan", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("A: scenario \"iow wards\"\nB: " + file + "\n"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("hours that change lot: 0.0 of [0-9.]+ \\(0 "
                                              "postcodes\\); kept share 100.0"));
  // Two scenarios; three plans or a --scenario without --db are usage errors.
  geo::write_scenario(request("compare copy"));
  r = test::run_cli({"compare", db_config_.string(), "--db", pg(), "--scenario", "compare copy",
                     "--scenario", "iow wards"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("A: scenario \"compare copy\"\nB: scenario \"iow wards\"\n"));
  EXPECT_THAT(r.out, HasSubstr("(0 postcodes); kept share 100.0"));
  r = test::run_cli({"compare", db_config_.string(), "--db", pg(), "--scenario", "iow wards",
                     "--scenario", "iow wards", "--plan", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("compare needs exactly two plans"));
  r = test::run_cli({"compare", db_config_.string(), "--scenario", "iow wards", "--plan", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--db"));
}

TEST_F(ScenarioTest, TheViewerOpensAScenarioAndStoresItsEditsAsANewOne) {
  ASSERT_EQ(design_->exit_code, 0) << design_->err;
  // A name in use is replaced only with --replace (the library call the viewer makes).
  const geo::PlanStore store = geo::load_plan_store(plan_dir_ / "plan.gpkg");
  try {
    geo::write_edited_scenario(pg(), "iow wards", "iow wards", store, store.plan, false);
    ADD_FAILURE() << "no error";
  } catch (const geo::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("scenario \"iow wards\" already exists"));
  }
  // One viewer run (--replace): the plan stored as a new scenario, the first unit moved to the
  // next lot, then stored again under that name, replacing it.
  const std::string plan = test::read_text(plan_dir_ / "assignment.csv");
  const std::size_t row = plan.find('\n') + 1, c1 = plan.find(',', row);
  const std::string unit = plan.substr(row, c1 - row);
  const int to = std::stoi(plan.substr(c1 + 1)) % 3 + 1;
  const fs::path script = *dir_ / "viewer.txt", dump = *dir_ / "viewer.dump";
  test::write_text(script, "store iow wards (edited)\nassign " + unit + " " + std::to_string(to) +
                               "\nstore iow wards (edited)\n");
  auto r = test::run_viewer({"--db", pg(), "--scenario", "iow wards", "--replace", "--script",
                             script.string(), "--dump-text", dump.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = test::read_text(dump);
  EXPECT_THAT(text, HasSubstr("scenario \"iow wards\" - 3 zones"));  // the panel names it
  EXPECT_THAT(text, HasSubstr("replaced scenario \"iow wards (edited)\": 39 units, 3 lots"));
  const std::string edited = geo::scenario_plan_csv(pg(), "iow wards (edited)");
  EXPECT_NE(edited, plan);
  EXPECT_THAT(edited, HasSubstr("\n" + unit + "," + std::to_string(to) + ","));
  EXPECT_EQ(psql("SELECT config = (SELECT config FROM lotwright.scenarios WHERE name = 'iow "
                 "wards') AND seed = 3 FROM lotwright.scenarios WHERE name = 'iow wards (edited)'"),
            "t");
  EXPECT_EQ(geo::scenario_plan_csv(pg(), "iow wards"), plan);  // the one opened is unchanged

  // The provider view never opens a scenario (postcode-level); unknown scenarios: exit 1.
  r = test::run_program(test::kViewerPath, {"--provider", "--db", pg(), "--scenario", "iow wards"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("is a postcode-level plan; --provider opens provider packages"));
  r = test::run_program(test::kViewerPath, {"--db", pg(), "--scenario", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no scenario \"nope\""));
  r = test::run_program(test::kViewerPath, {"--db", pg()});
  EXPECT_EQ(r.exit_code, 2);
}
