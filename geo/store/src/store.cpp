// Scenarios in PostGIS: write (one transaction), list, read back as a plan, delete.
#include "lotwright/store/store.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/plan_schema.hpp"
#include "lotwright/plan/plan_store.hpp"
#include "lotwright/version.hpp"
#include "pg.hpp"
#include "schema.hpp"

namespace lotwright::geo {
namespace {

namespace fs = std::filesystem;
namespace ps = plan_schema;
using store_detail::Db;
using store_detail::quote;

std::string read_whole(const fs::path& file, const char* what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(where(file) + "cannot read " + what);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string to_hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string hex(bytes.size() * 2, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    hex[2 * i] = digits[b >> 4];
    hex[2 * i + 1] = digits[b & 15];
  }
  return hex;
}

std::string from_hex(const std::string& hex) {
  auto value = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string bytes(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(value(hex[2 * i]) * 16 + value(hex[2 * i + 1]));
  return bytes;
}

void check_name(const std::string& name) {
  if (name.empty() || name.size() > 200)
    throw UsageError("--scenario: a name of 1 to 200 characters is expected");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f)
      throw UsageError("--scenario: the name may not contain control characters");
}

// Copies one plan.gpkg layer into lotwright.<layer>, every row tagged with the scenario.
template <class Layer>
long copy_layer(GDALDataset& gpkg, const fs::path& file, Db& db, const std::string& scenario,
                long fail_after = -1) {
  OGRLayer* src = detail::pick_layer(gpkg, file, Layer::layer);
  OGRLayer& dst = db.layer(std::string("lotwright.") + Layer::layer);
  OGRFeatureDefn* sd = src->GetLayerDefn();
  OGRFeatureDefn* dd = dst.GetLayerDefn();
  const int scenario_field = dd->GetFieldIndex("scenario");
  std::vector<std::pair<int, int>> map;  // source field, target field
  for (const auto& f : Layer::fields) {
    const int s = sd->GetFieldIndex(f.name), d = dd->GetFieldIndex(f.name);
    if (s < 0 || d < 0 || scenario_field < 0)
      throw DataError(where(file) + "layer " + Layer::layer + ": field \"" + f.name +
                      "\" missing in the plan or the database table");
    map.emplace_back(s, d);
  }
  long n = 0;
  src->ResetReading();
  for (auto& in : *src) {
    if (fail_after >= 0 && n >= fail_after)
      throw DataError(db.where() + "injected failure after " + std::to_string(n) + " units");
    OGRFeature out(dd);
    out.SetField(scenario_field, scenario.c_str());
    for (const auto& [s, d] : map)
      if (in->IsFieldSetAndNotNull(s)) out.SetField(d, in->GetRawFieldRef(s));
    if (const OGRGeometry* g = in->GetGeometryRef()) {
      OGRGeometry* copy = g->clone();
      if (wkbFlatten(copy->getGeometryType()) == wkbPolygon)
        copy = OGRGeometryFactory::forceToMultiPolygon(copy);
      out.SetGeometryDirectly(copy);
    }
    detail::GdalErrorCapture errors;
    if (dst.CreateFeature(&out) != OGRERR_NONE)
      db.fail(std::string("cannot write a row of lotwright.") + Layer::layer, errors.last());
    ++n;
  }
  return n;
}

// QGIS opens lotwright.lots coloured by lot: the plan's style (plan.gpkg layer_styles) as the
// default of that table in public.layer_styles, kept when an earlier scenario had more lots
// (its categories cover this one's). Inside a savepoint: a role without rights on
// public.layer_styles still writes its scenario, with a warning.
void write_style(GDALDataset& gpkg, Db& db, long lots, std::vector<std::string>& warnings) {
  OGRLayer* styles = gpkg.GetLayerByName("layer_styles");
  if (!styles) return;
  std::string qml, sld;
  for (auto& f : *styles) {
    if (std::string(f->GetFieldAsString("f_table_name")) != ps::Lots::layer) continue;
    qml = f->GetFieldAsString("styleQML");
    sld = f->GetFieldAsString("styleSLD");
  }
  if (qml.empty()) return;
  db.exec("SAVEPOINT lotwright_style");
  try {
    // Created only when missing: CREATE ... IF NOT EXISTS needs CREATE on public even when the
    // table is there (a DBA may have made it and granted INSERT only; docs/database.md).
    if (db.query("SELECT to_regclass('public.layer_styles') IS NULL")[0][0] == "1")
      db.exec(
          "CREATE TABLE public.layer_styles (id serial PRIMARY KEY, f_table_catalog "
          "varchar, f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, "
          "stylename text, styleqml xml, stylesld xml, useasdefault boolean, description text, "
          "owner varchar(63) DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT "
          "CURRENT_TIMESTAMP, type varchar)");
    const std::string which =
        " WHERE f_table_catalog = current_database() AND f_table_schema = 'lotwright' AND "
        "f_table_name = 'lots' AND stylename = 'lotwright lots'";
    const auto old =
        db.query("SELECT coalesce(max(description), '') FROM public.layer_styles" + which);
    const std::string tag = "Lotwright: lots coloured by lot (" + std::to_string(lots) + ")";
    long old_lots = 0;
    if (!old.empty() && old[0][0].rfind("Lotwright: lots coloured by lot (", 0) == 0)
      old_lots = std::atol(old[0][0].c_str() + 33);
    if (old_lots < lots) {
      db.exec("DELETE FROM public.layer_styles" + which);
      db.exec(
          "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, "
          "f_geometry_column, stylename, styleqml, stylesld, useasdefault, description, type) "
          "VALUES (current_database(), 'lotwright', 'lots', 'geom', 'lotwright lots', " +
          quote(qml) + ", " + quote(sld) + ", true, " + quote(tag) + ", 'Polygon')");
    }
    db.exec("RELEASE SAVEPOINT lotwright_style");
  } catch (const DataError& e) {
    db.exec("ROLLBACK TO SAVEPOINT lotwright_style");
    warnings.push_back(std::string("the QGIS style was not written to public.layer_styles: ") +
                       e.what());
  }
}

}  // namespace

bool is_postgis(const std::string& db) { return db.rfind("PG:", 0) == 0; }

static void require_postgis(const std::string& db) {
  if (!is_postgis(db))
    throw UsageError(
        "--db: a PostgreSQL connection string \"PG:dbname=... host=...\" is "
        "expected, got \"" +
        db + "\"");
}

static std::string exists_message(const Db& db, const std::string& name) {
  return db.where() + "scenario \"" + name + "\" already exists; pass --replace to replace it";
}

void check_scenario_writable(const std::string& db_conn, const std::string& name, bool replace) {
  require_postgis(db_conn);
  check_name(name);
  Db db(db_conn);
  if (replace || !store_detail::schema_exists(db)) return;
  if (db.query("SELECT count(*) FROM lotwright.scenarios WHERE name = " + quote(name))[0][0] != "0")
    throw DataError(exists_message(db, name));
}

ScenarioWriteResult write_scenario(const ScenarioWrite& w) {
  require_postgis(w.db);
  check_name(w.name);
  const std::string config =
      w.config_text.empty() ? read_whole(w.config, "the config") : w.config_text;
  const std::string metrics = read_whole(w.plan_dir / "metrics.json", "the plan's metrics");
  const fs::path gpkg_file = w.plan_dir / "plan.gpkg";
  const std::string gpkg_bytes = read_whole(gpkg_file, "the plan");
  GDALDatasetUniquePtr gpkg = detail::open_vector(gpkg_file);

  Db db(w.db);
  store_detail::migrate(db);
  ScenarioWriteResult r;
  const std::string name = quote(w.name);
  db.begin();
  // Writers of the same name queue here; the second sees the first's committed row.
  db.query("SELECT pg_advisory_xact_lock(hashtext('lotwright scenario ' || " + name + "))::text");
  if (db.query("SELECT count(*) FROM lotwright.scenarios WHERE name = " + name)[0][0] != "0") {
    if (!w.replace) throw DataError(exists_message(db, w.name));
    db.exec("DELETE FROM lotwright.scenarios WHERE name = " + name);
    r.replaced = true;
  }
  db.exec(
      "INSERT INTO lotwright.scenarios (name, config, seed, version, metrics, plan_gpkg) "
      "VALUES (" +
      name + ", " + quote(config) + ", " + std::to_string(w.seed) + ", " + quote(kVersion) + ", " +
      quote(metrics) + "::jsonb, decode(" + quote(to_hex(gpkg_bytes)) + ", 'hex'))");
  r.units = copy_layer<ps::Units>(*gpkg, gpkg_file, db, w.name, w.fail_after_units);
  r.lots = copy_layer<ps::Lots>(*gpkg, gpkg_file, db, w.name);
  r.hubs = copy_layer<ps::Hubs>(*gpkg, gpkg_file, db, w.name);
  write_style(*gpkg, db, r.lots, r.warnings);
  db.commit();
  return r;
}

std::vector<ScenarioSummary> list_scenarios(const std::string& db_conn) {
  require_postgis(db_conn);
  Db db(db_conn);
  std::vector<ScenarioSummary> out;
  if (!store_detail::schema_exists(db)) return out;
  const auto rows = db.query(
      "SELECT name, to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), seed::text, "
      "version, metrics::text FROM lotwright.scenarios ORDER BY name COLLATE \"C\"");
  for (const auto& row : rows)
    out.push_back({row[0], row[1], std::stoull(row[2]), row[3], row[4], ""});
  return out;
}

// DataError naming the scenarios there are when `name` is not one.
static void require_scenario(Db& db, const std::string& db_conn, const std::string& name) {
  const bool known =
      store_detail::schema_exists(db) &&
      db.query("SELECT count(*) FROM lotwright.scenarios WHERE name = " + quote(name))[0][0] != "0";
  if (known) return;
  std::string names;
  for (const auto& s : list_scenarios(db_conn)) names += (names.empty() ? "" : ", ") + s.name;
  throw DataError(db.where() + "no scenario \"" + name +
                  "\" (scenarios: " + (names.empty() ? "none" : names) + ")");
}

// The columns `cols` of the row of scenario `name`, which must exist (DataError naming the
// scenarios there are); the row is gone only if another process deleted it meanwhile.
static std::vector<std::string> scenario_row(const std::string& db_conn, const std::string& name,
                                             const std::string& cols) {
  require_postgis(db_conn);
  check_name(name);
  Db db(db_conn);
  require_scenario(db, db_conn, name);
  auto rows = db.query("SELECT " + cols + " FROM lotwright.scenarios WHERE name = " + quote(name));
  if (rows.empty()) throw DataError(db.where() + "scenario \"" + name + "\" was deleted meanwhile");
  return std::move(rows[0]);
}

ScenarioSummary scenario_summary(const std::string& db_conn, const std::string& name) {
  const auto r = scenario_row(
      db_conn, name,
      "name, to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), seed::text, version, "
      "metrics::text, config");
  return {r[0], r[1], std::stoull(r[2]), r[3], r[4], r[5]};
}

std::string scenario_plan_gpkg(const std::string& db_conn, const std::string& name) {
  const auto r = scenario_row(db_conn, name, "coalesce(encode(plan_gpkg, 'hex'), ''), version");
  if (r[0].empty())
    throw DataError(where(db_conn) + "scenario \"" + name + "\" was stored by lotwright " + r[1] +
                    " without its plan.gpkg; store it again (design or run --db --scenario "
                    "--replace) to open it in the viewer");
  return from_hex(r[0]);
}

std::string scenario_plan_csv(const std::string& db_conn, const std::string& name) {
  require_postgis(db_conn);
  check_name(name);
  Db db(db_conn);
  const std::string q = quote(name);
  require_scenario(db, db_conn, name);
  // One statement: one snapshot, so a scenario replaced meanwhile is read whole or not at all.
  const auto rows = db.query(
      "SELECT u.postcode, u.lot, CASE WHEN EXISTS (SELECT 1 FROM lotwright.hubs h WHERE "
      "h.scenario = u.scenario AND h.lot = u.lot AND h.postcode = u.postcode) THEN '1' ELSE '' "
      "END FROM lotwright.units u WHERE u.scenario = " +
      q + " AND u.lot > 0 ORDER BY u.postcode COLLATE \"C\"");
  std::string csv = "postcode,lot,hub\n";
  for (const auto& row : rows) {
    const std::string& id = row[0];
    if (id.find_first_of(",\"\n") != std::string::npos) {
      std::string quoted = "\"";
      for (char c : id) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      csv += quoted + "\"";
    } else {
      csv += id;
    }
    csv += "," + row[1] + "," + row[2] + "\n";
  }
  return csv;
}

ScenarioPlanFile::ScenarioPlanFile(const std::string& db, const std::string& name,
                                   ScenarioFileKind kind) {
  static std::atomic<unsigned long> counter{0};
  const bool gpkg = kind == ScenarioFileKind::plan_gpkg;
  const std::string content = gpkg ? scenario_plan_gpkg(db, name) : scenario_plan_csv(db, name);
  dir_ = fs::temp_directory_path() /
         ("lotwright-scenario-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  path_ = dir_ / (gpkg ? "plan.gpkg" : "assignment.csv");
  write_file_atomic(path_, content);
}

ScenarioPlanFile::~ScenarioPlanFile() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

ScenarioWriteResult write_edited_scenario(const std::string& db, const std::string& from,
                                          const std::string& name, const PlanStore& store,
                                          const Plan& plan, bool replace) {
  const ScenarioSummary source = scenario_summary(db, from);
  check_scenario_writable(db, name, replace);
  static std::atomic<unsigned long> counter{0};
  struct TempDir {
    fs::path path;
    ~TempDir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } tmp{fs::temp_directory_path() /
        ("lotwright-edited-" + std::to_string(::getpid()) + "-" + std::to_string(counter++))};
  save_plan_folder(tmp.path, store, plan);
  ScenarioWrite w;
  w.db = db;
  w.name = name;
  w.plan_dir = tmp.path;
  w.config_text = source.config;
  w.seed = source.seed;
  w.replace = replace;
  return write_scenario(w);
}

bool delete_scenario(const std::string& db_conn, const std::string& name) {
  require_postgis(db_conn);
  check_name(name);
  Db db(db_conn);
  if (!store_detail::schema_exists(db)) return false;
  db.begin();
  const std::string q = quote(name);
  db.query("SELECT pg_advisory_xact_lock(hashtext('lotwright scenario ' || " + q + "))::text");
  const bool found =
      db.query("SELECT count(*) FROM lotwright.scenarios WHERE name = " + q)[0][0] != "0";
  db.exec("DELETE FROM lotwright.scenarios WHERE name = " + q);
  db.commit();
  return found;
}

}  // namespace lotwright::geo
