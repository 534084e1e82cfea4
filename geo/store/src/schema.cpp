// Schema `lotwright`, version 2 (docs/database.md):
//   schema_version(version, migrated)
//   scenarios(name PK, created, config, seed, version, metrics jsonb, plan_gpkg bytea (v2))
//   units / lots / hubs: the plan.gpkg layers of the same names (fields from plan_schema.hpp)
//   plus `scenario` (references scenarios, ON DELETE CASCADE) and `id` (the FID GDAL uses).
#include "schema.hpp"

#include <vector>

#include "lotwright/core/error.hpp"
#include "lotwright/plan/plan_schema.hpp"

namespace lotwright::geo::store_detail {
namespace {

namespace ps = plan_schema;

const char* sql_type(ps::FieldType t) {
  switch (t) {
    case ps::FieldType::text:
      return "text";
    case ps::FieldType::integer:
      return "integer";
    case ps::FieldType::real:
      return "double precision";
  }
  return "text";
}

template <class Layer>
std::string table_ddl(const std::string& geometry, const std::string& extra) {
  std::string s = std::string("CREATE TABLE lotwright.") + Layer::layer +
                  " (id bigserial PRIMARY KEY, scenario text NOT NULL REFERENCES "
                  "lotwright.scenarios (name) ON DELETE CASCADE";
  for (const auto& f : Layer::fields) s += std::string(", ") + f.name + " " + sql_type(f.type);
  s += ", geom geometry(" + geometry + ", 27700)" + extra + ")";
  return s;
}

// Migration N brings the schema from version N-1 to N; statements run in order.
std::vector<std::vector<std::string>> migrations() {
  return {
      {
          "CREATE TABLE lotwright.scenarios (name text PRIMARY KEY CHECK (length(name) BETWEEN 1 "
          "AND 200), created timestamptz NOT NULL DEFAULT now(), config text NOT NULL, seed "
          "numeric(20, 0) NOT NULL, version text NOT NULL, metrics jsonb NOT NULL)",
          table_ddl<ps::Units>("MultiPolygon", ""),
          table_ddl<ps::Lots>("MultiPolygon", ", UNIQUE (scenario, lot)"),
          table_ddl<ps::Hubs>("Point", ""),
          "CREATE INDEX units_scenario ON lotwright.units (scenario)",
          "CREATE INDEX hubs_scenario ON lotwright.hubs (scenario)",
          "CREATE INDEX units_geom ON lotwright.units USING gist (geom)",
          "CREATE INDEX lots_geom ON lotwright.lots USING gist (geom)",
          "CREATE INDEX hubs_geom ON lotwright.hubs USING gist (geom)",
      },
      {
          // 2: the plan.gpkg as written (edges, roads, meta too), which the viewer opens.
          "ALTER TABLE lotwright.scenarios ADD COLUMN plan_gpkg bytea",
      }};
}

}  // namespace

bool schema_exists(Db& db) {
  return db.query("SELECT to_regclass('lotwright.scenarios') IS NOT NULL")[0][0] == "1";
}

void migrate(Db& db) {
  db.begin();
  db.query("SELECT pg_advisory_xact_lock(hashtext('lotwright schema'))::text");
  if (db.query("SELECT count(*) FROM pg_namespace WHERE nspname = 'lotwright'")[0][0] == "0")
    db.exec("CREATE SCHEMA lotwright");
  if (db.query("SELECT to_regclass('lotwright.schema_version') IS NULL")[0][0] == "1")
    db.exec(
        "CREATE TABLE lotwright.schema_version (version integer PRIMARY KEY, migrated "
        "timestamptz NOT NULL DEFAULT now())");
  const int current =
      std::stoi(db.query("SELECT coalesce(max(version), 0) FROM lotwright.schema_version")[0][0]);
  if (current > kSchemaVersion)
    throw DataError(db.where() + "the lotwright schema is version " + std::to_string(current) +
                    ", newer than this program's (" + std::to_string(kSchemaVersion) +
                    "); use a newer lotwright");
  const auto steps = migrations();
  for (int v = current + 1; v <= kSchemaVersion; ++v) {
    for (const auto& sql : steps[v - 1]) db.exec(sql);
    db.exec("INSERT INTO lotwright.schema_version (version) VALUES (" + std::to_string(v) + ")");
  }
  db.commit();
}

}  // namespace lotwright::geo::store_detail
