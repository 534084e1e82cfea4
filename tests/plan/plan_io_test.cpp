// Plans in and out: foreign plan CSVs, the plan folder and the plan.gpkg schema.
#include "lotwright/plan/plan_io.hpp"

#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>

#include "lotwright/core/error.hpp"
#include "lotwright/core/output_check.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/plan/plan_store.hpp"
#include "support.hpp"
#include "synthetic_graphs.hpp"

using namespace lotwright;
using ::testing::HasSubstr;

namespace {

// A 4 x 2 grid with square 500 m cells; lots: left half (1), right half (2).
struct Fixture {
  geo::UnitGraph g = test::grid_graph(4, 2, [](int i, int) { return 1.0 + i; });
  geo::Units units;
  geo::Plan plan;
  geo::RoadNetwork roads;
  Fixture() {
    for (std::size_t u = 0; u < g.size(); ++u) {
      geo::Unit unit;
      unit.id = g.id[u];
      unit.site = g.site[u];
      const double x = g.site[u].x, y = g.site[u].y, r = 250;
      unit.cell = {geo::Polygon{
          {{x - r, y - r}, {x + r, y - r}, {x + r, y + r}, {x - r, y + r}, {x - r, y - r}}, {}}};
      unit.area_m2 = 250000;
      units.units.push_back(unit);
    }
    plan.lot_count = 2;
    plan.lot_of = {0, 0, 1, 1, 0, 0, 1, 1};
    plan.hub = {1, 2};
    plan.seed = 9;
    roads.places = {
        {"Alpha", "village", {0, 0}}, {"Beta", "town", {600, 400}}, {"Gamma", "hamlet", {1500, 0}}};
  }
};

int feature_count(GDALDataset& ds, const char* layer) {
  OGRLayer* l = ds.GetLayerByName(layer);
  return l ? static_cast<int>(l->GetFeatureCount()) : -1;
}

}  // namespace

TEST(PlanIo, ReadsForeignPlansAndReportsProblems) {
  const auto g = test::grid_graph(3, 1, [](int, int) { return 1.0; });
  test::ScratchDir dir;
  const auto file = dir / "plan.csv";
  // lower case without a space, an unknown postcode, a duplicate, a conflicting row, a name
  std::string csv = "Postcode,Zone\n";
  csv += "zz100aa,North\n";
  csv += g.id[1] + ",South\n";
  csv += "ZZ99 9ZZ,North\n";
  csv += g.id[1] + ",South\n";
  csv += g.id[1] + ",North\n";
  test::write_text(file, csv);
  std::vector<std::string> problems;
  const auto p = geo::read_plan_csv(file, g, &problems);
  ASSERT_EQ(p.lot_count, 2);
  EXPECT_EQ(p.lot_of[0], 0);  // "North" sorts first
  EXPECT_EQ(p.lot_of[1], 1);
  EXPECT_EQ(p.lot_of[2], geo::kNoLot);
  EXPECT_EQ(p.name[0], "North");
  std::string all;
  for (const auto& s : problems) all += s + "\n";
  EXPECT_THAT(all, HasSubstr("1 row names a postcode that is not a unit"));
  EXPECT_THAT(all, HasSubstr("plan.csv:4: \"ZZ99 9ZZ\""));
  EXPECT_THAT(all, HasSubstr("plan.csv:6: postcode " + g.id[1] +
                             " is in lot \"North\" here but in lot \"South\" on line 3"));
  EXPECT_THAT(all, HasSubstr("1 duplicate row "));
  EXPECT_THAT(all, HasSubstr("1 postcode of the study is in no lot"));
}

TEST(PlanIo, NumericLotsKeepTheirOrder) {
  const auto g = test::grid_graph(3, 1, [](int, int) { return 1.0; });
  test::ScratchDir dir;
  test::write_text(dir / "p.csv",
                   "postcode,lot\n" + g.id[0] + ",10\n" + g.id[1] + ",2\n" + g.id[2] + ",2\n");
  const auto p = geo::read_plan_csv(dir / "p.csv", g, nullptr);
  EXPECT_EQ(p.lot_of, (std::vector<int>{1, 0, 0}));
}

TEST(PlanIo, MissingColumnIsAnErrorNamingTheFile) {
  const auto g = test::grid_graph(2, 1, [](int, int) { return 1.0; });
  test::ScratchDir dir;
  test::write_text(dir / "p.csv", "code,area\nX,1\n");
  try {
    geo::read_plan_csv(dir / "p.csv", g, nullptr);
    FAIL();
  } catch (const geo::DataError& e) {
    EXPECT_THAT(e.what(),
                HasSubstr("p.csv:1: column \"postcode\" not found; the columns are: code, area"));
  }
}

TEST(PlanIo, LotNamesFromPlacesThenDistrict) {
  Fixture f;
  const auto names = geo::lot_names(f.g, f.plan, &f.roads);
  EXPECT_EQ(names[0], "Beta & Alpha");  // town before village
  EXPECT_EQ(names[1], "Gamma");
  const auto fallback = geo::lot_names(f.g, f.plan, nullptr);
  EXPECT_EQ(fallback[0], "ZZ10");
  EXPECT_EQ(fallback[1], "ZZ10 0");  // the district is taken: the lot's sector, unique
}

// A county with no named places (a synth-county): lots are named by the postcode district
// holding most of their hours, then by its sector, then "(lot N)": every name unique, and no
// name repeats the lot number where a district or sector tells the lots apart.
TEST(PlanIo, LotNamesWithoutPlacesUseDistrictsThenSectors) {
  geo::UnitGraph g;
  geo::Plan plan;
  plan.lot_count = 4;
  auto add = [&](const std::string& id, double hours, int lot) {
    g.id.push_back(id);
    g.hours.push_back(hours);
    g.site.push_back({0, 0});
    plan.lot_of.push_back(lot);
  };
  add("AB1 1AA", 10, 0), add("AB2 1AA", 2, 0);  // lot 1: AB1
  add("AB1 2AA", 5, 1), add("AB1 3AA", 1, 1);   // lot 2: AB1 taken, so sector AB1 2
  add("AB2 4AA", 1, 2), add("AB3 1AA", 9, 2);   // lot 3: AB3 (most hours, not AB2)
  add("AB1 2AB", 3, 3);                         // lot 4: AB1, AB1 2 taken; "(lot 4)"
  const auto names = geo::lot_names(g, plan, nullptr);
  EXPECT_EQ(names, (std::vector<std::string>{"AB1", "AB1 2", "AB3", "AB1 (lot 4)"}));
}

TEST(PlanIo, WritesThePlanFolderWithTheGpkgSchema) {
  Fixture f;
  test::ScratchDir dir;
  geo::DesignConfig d;
  d.lots = 2;
  d.tolerance = 0.1;
  const auto m = geo::evaluate(f.g, f.plan);
  geo::PlanOutputs out;
  out.graph = &f.g;
  out.units = &f.units;
  out.roads = &f.roads;
  out.plan = &f.plan;
  out.metrics = &m;
  out.design = &d;
  out.config = dir / "county.toml";
  geo::write_plan(dir / "out", out);
  EXPECT_EQ(test::list_files(dir / "out"),
            (std::vector<std::string>{"assignment.csv", "lots.csv", "metrics.json", "plan.gpkg"}));
  std::string expect = "postcode,lot,hub\n";
  for (std::size_t u = 0; u < f.g.size(); ++u) {
    const int l = f.plan.lot_of[u];
    const bool hub = l >= 0 && static_cast<std::size_t>(l) < f.plan.hub.size() &&
                     f.plan.hub[l] == static_cast<int>(u);
    expect += f.g.id[u] + "," + std::to_string(l + 1) + (hub ? ",1\n" : ",\n");
  }
  EXPECT_EQ(test::read_text(dir / "out/assignment.csv"), expect);
  EXPECT_THAT(test::read_text(dir / "out/lots.csv"), HasSubstr("1,Beta & Alpha,,6.00,"));
  const auto j = nlohmann::json::parse(test::read_text(dir / "out/metrics.json"));
  EXPECT_EQ(j["lots"][0]["name"], "Beta & Alpha");
  EXPECT_EQ(j["seed"], 9);

  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "out/plan.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  EXPECT_EQ(feature_count(*ds, "units"), 8);
  EXPECT_EQ(feature_count(*ds, "lots"), 2);
  EXPECT_EQ(feature_count(*ds, "hubs"), 2);
  EXPECT_EQ(feature_count(*ds, "edges"), 10);
  EXPECT_EQ(feature_count(*ds, "roads"), 0);
  EXPECT_EQ(feature_count(*ds, "layer_styles"), 1);
  OGRLayer* units = ds->GetLayerByName("units");
  EXPECT_EQ(wkbFlatten(units->GetGeomType()), wkbPolygon);
  for (const char* field :
       {"postcode", "lot", "hours", "customers", "rural", "travel_min", "site_x", "site_y"})
    EXPECT_GE(units->GetLayerDefn()->GetFieldIndex(field), 0) << field;
  OGRLayer* lots = ds->GetLayerByName("lots");
  EXPECT_EQ(wkbFlatten(lots->GetGeomType()), wkbMultiPolygon);
  EXPECT_EQ(lots->GetSpatialRef()->GetAuthorityCode(nullptr), std::string("27700"));
  lots->ResetReading();
  OGRFeatureUniquePtr first(lots->GetNextFeature());
  EXPECT_EQ(first->GetFieldAsInteger("lot"), 1);
  EXPECT_STREQ(first->GetFieldAsString("hub"), f.g.id[1].c_str());
  EXPECT_EQ(first->GetFieldAsInteger("pieces"), 1);
  // One dissolved polygon of 4 cells: 1 km x 1 km.
  EXPECT_NEAR(first->GetGeometryRef()->toMultiPolygon()->get_Area(), 1e6, 1);
  OGRLayer* meta = ds->GetLayerByName("meta");
  std::map<std::string, std::string> kv;
  for (auto& feat : *meta) kv[feat->GetFieldAsString("key")] = feat->GetFieldAsString("value");
  EXPECT_EQ(kv["mode"], "lots");
  EXPECT_EQ(kv["lots"], "2");
  EXPECT_EQ(kv["seed"], "9");
  EXPECT_EQ(kv["tiers"], "[]");
  EXPECT_THAT(kv["config"], HasSubstr("county.toml"));
  OGRLayer* styles = ds->GetLayerByName("layer_styles");
  styles->ResetReading();
  OGRFeatureUniquePtr style(styles->GetNextFeature());
  EXPECT_STREQ(style->GetFieldAsString("f_table_name"), "lots");
  EXPECT_THAT(style->GetFieldAsString("styleQML"), HasSubstr("categorizedSymbol\" attr=\"lot\""));
  EXPECT_THAT(style->GetFieldAsString("styleQML"), HasSubstr("fieldName=\"name\""));
  EXPECT_EQ(style->GetFieldAsInteger("useAsDefault"), 1);
}

TEST(PlanIo, SamePlanSameBytes) {
  Fixture f;
  test::ScratchDir dir;
  geo::PlanOutputs out;
  out.graph = &f.g;
  out.units = &f.units;
  out.plan = &f.plan;
  geo::write_plan(dir / "a", out);
  geo::write_plan(dir / "b", out);
  for (const char* file : {"assignment.csv", "lots.csv", "metrics.json", "plan.gpkg"})
    EXPECT_EQ(test::read_text(dir / "a" / file), test::read_text(dir / "b" / file)) << file;
}

TEST(PlanIo, FailedWriteLeavesTheFolderAsItWas) {
  Fixture f;
  test::ScratchDir dir;
  test::write_text(dir / "out/assignment.csv", "old\n");
  std::filesystem::create_directories(dir / "out/plan.gpkg/blocker");  // cannot be replaced
  geo::PlanOutputs out;
  out.graph = &f.g;
  out.plan = &f.plan;
  EXPECT_THROW(geo::write_plan(dir / "out", out), geo::DataError);
  EXPECT_EQ(test::read_text(dir / "out/assignment.csv"), "old\n");
  // Nothing half-written: no new files and no temporary left behind.
  EXPECT_EQ(test::list_files(dir / "out"), std::vector<std::string>{"assignment.csv"});
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "out"),
                          std::filesystem::directory_iterator()),
            2);
}

// The viewer reads plan.gpkg through geo::load_plan_store: our writer and its reader agree.
TEST(PlanIo, PlanStoreReadsWhatWritePlanWrites) {
  Fixture f;
  test::ScratchDir dir;
  geo::DesignConfig d;
  d.lots = 2;
  d.tolerance = 0.1;
  d.max_travel_minutes = 20;
  geo::PlanOutputs out;
  out.graph = &f.g;
  out.units = &f.units;
  out.roads = &f.roads;
  out.plan = &f.plan;
  out.design = &d;
  geo::write_plan(dir / "out", out);
  const auto s = geo::load_plan_store(dir / "out/plan.gpkg");
  EXPECT_EQ(s.graph.id, f.g.id);
  EXPECT_EQ(s.graph.hours, f.g.hours);
  EXPECT_EQ(s.plan.lot_of, f.plan.lot_of);
  EXPECT_EQ(s.plan.hub, f.plan.hub);
  EXPECT_EQ(s.plan.name[0], "Beta & Alpha");
  EXPECT_EQ(s.graph.offsets, f.g.offsets);
  EXPECT_EQ(s.graph.targets, f.g.targets);
  EXPECT_EQ(s.meta.mode, "lots");
  EXPECT_EQ(s.meta.lots, 2);
  EXPECT_DOUBLE_EQ(s.meta.tolerance, 0.1);
  EXPECT_EQ(s.meta.seed, 9u);
  ASSERT_EQ(s.cells.size(), f.g.size());
  EXPECT_NEAR(geo::area(s.cells[0]), 250000, 1);
}

// plan.gpkg stores unmet_hours (plan_schema.hpp): a plan loaded back and evaluated reports the
// unmet need the designed plan had (was 0: the field was never written).
TEST(PlanIo, UnmetHoursSurviveWriteLoadEvaluate) {
  Fixture f;
  for (std::size_t u = 0; u < f.g.size(); ++u) f.g.unmet_hours[u] = 0.25 * static_cast<double>(u);
  test::ScratchDir dir;
  geo::DesignConfig d;
  d.lots = 2;
  geo::PlanOutputs out;
  out.graph = &f.g;
  out.units = &f.units;
  out.plan = &f.plan;
  out.design = &d;
  geo::write_plan(dir / "out", out);
  const auto s = geo::load_plan_store(dir / "out/plan.gpkg");
  EXPECT_EQ(s.graph.unmet_hours, f.g.unmet_hours);
  const auto before = geo::evaluate(f.g, f.plan);
  const auto after = geo::evaluate_store_plan(s, s.plan);
  ASSERT_EQ(after.lots.size(), before.lots.size());
  for (std::size_t l = 0; l < before.lots.size(); ++l) {
    EXPECT_GT(before.lots[l].unmet_hours, 0);
    EXPECT_DOUBLE_EQ(after.lots[l].unmet_hours, before.lots[l].unmet_hours);
  }
  // Saved again from the store (the viewer's save): metrics.json keeps them.
  geo::save_plan_folder(dir / "again", s, s.plan);
  const auto j = nlohmann::json::parse(test::read_text(dir / "again/metrics.json"));
  EXPECT_DOUBLE_EQ(j["lots"][0]["unmet_hours"].get<double>(), before.lots[0].unmet_hours);
}

// The viewer's figures use the [rounds] the plan was designed with (the config in the meta),
// not the library's defaults: the store's care-round workers are the ones evaluate gives with
// that config's parameters; an unreadable config falls back to the defaults with a warning.
TEST(PlanIo, StoreUsesTheConfigsRounds) {
  Fixture f;
  test::ScratchDir dir;
  test::write_text(dir / "county.toml",
                   "[area]\nname = \"Test\"\nboundary = \"b.geojson\"\n[postcodes]\n"
                   "path = \"p.csv\"\n[design]\nlots = 2\n[rounds]\nhours_per_worker = 60\n");
  geo::DesignConfig d;
  d.lots = 2;
  geo::PlanOutputs out;
  out.graph = &f.g;
  out.units = &f.units;
  out.plan = &f.plan;
  out.design = &d;
  out.config = dir / "county.toml";
  geo::write_plan(dir / "out", out);
  const auto s = geo::load_plan_store(dir / "out/plan.gpkg");
  EXPECT_EQ(s.rounds.hours_per_worker, 60);
  const auto m = geo::evaluate_store_plan(s, s.plan);
  geo::RoundParams defaults;
  geo::EvaluateOptions eo;
  eo.rounds = &defaults;
  const auto def = geo::evaluate(s.graph, s.plan, eo);
  ASSERT_TRUE(m.rounds_estimated);
  ASSERT_GT(def.rounds.workers_needed, 0);
  EXPECT_NEAR(m.rounds.workers_needed, def.rounds.workers_needed * 30 / 60, 1e-9);
  std::filesystem::remove(dir / "county.toml");
  const auto t = geo::load_plan_store(dir / "out/plan.gpkg");
  EXPECT_EQ(t.rounds.hours_per_worker, defaults.hours_per_worker);
  bool warned = false;
  for (const auto& w : t.warnings)
    warned = warned || w.find("county.toml not found") != std::string::npos;
  EXPECT_TRUE(warned);
}

// One palette: the QGIS style in plan.gpkg gives lot n the colour core/palette.hpp gives it
// (the viewer's lot_colour and the tender maps read the same function), lots 1..25.
TEST(PlanIo, QgisStyleUsesTheLotPalette) {
  const auto g = test::grid_graph(25, 1, [](int, int) { return 1.0; });
  geo::Plan plan;
  plan.lot_count = 25;
  for (int l = 0; l < 25; ++l) plan.lot_of.push_back(l);
  test::ScratchDir dir;
  geo::PlanOutputs out;
  out.graph = &g;
  out.plan = &plan;
  geo::write_plan(dir / "out", out);
  GDALDatasetUniquePtr ds(
      GDALDataset::Open((dir / "out/plan.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  ASSERT_TRUE(ds);
  OGRLayer* styles = ds->GetLayerByName("layer_styles");
  ASSERT_TRUE(styles);
  std::unique_ptr<OGRFeature> feat(styles->GetNextFeature());
  ASSERT_TRUE(feat);
  const std::string qml = feat->GetFieldAsString("styleQML");
  const std::string sld = feat->GetFieldAsString("styleSLD");
  std::size_t pos = 0;
  const auto colours = geo::zone_colours(g, plan);  // the one zone colouring
  for (int l = 0; l < 25; ++l) {
    const geo::LotRgb c = geo::lot_rgb(colours[l]);
    const std::string want = "<prop k=\"color\" v=\"" + std::to_string(c.r) + "," +
                             std::to_string(c.g) + "," + std::to_string(c.b) + ",255\"/>";
    pos = qml.find(want, pos);
    ASSERT_NE(pos, std::string::npos) << "lot " << l + 1 << ": " << want;
    EXPECT_THAT(sld, HasSubstr("<SvgParameter name=\"fill\">" + geo::lot_hex(colours[l])));
  }
  EXPECT_EQ(geo::lot_hex(0), "#1f77b4");  // lot 1 is blue everywhere
}

// The band rule: plan_bands (the viewer's bands) and evaluate's within_band agree lot by lot,
// in lots mode (mean of the assigned hours) and in tiers mode.
TEST(PlanIo, StoreBandsAgreeWithEvaluate) {
  Fixture f;
  f.plan.lot_of[0] = geo::kNoLot;  // assigned hours, not all hours, set the mean
  test::ScratchDir dir;
  for (const bool tiers : {false, true}) {
    geo::DesignConfig d;
    if (tiers) {
      d.tiers = {{"small", 0, 12, std::nullopt}, {"large", 12, 40, std::nullopt}};
      f.plan.tier = {"small", "large"};
    } else {
      d.lots = 2;
      d.tolerance = 0.3;
      f.plan.tier.clear();
    }
    geo::PlanOutputs out;
    out.graph = &f.g;
    out.units = &f.units;
    out.plan = &f.plan;
    out.design = &d;
    geo::write_plan(dir / "out", out);
    const auto s = geo::load_plan_store(dir / "out/plan.gpkg");
    const auto m = geo::evaluate_store_plan(s, s.plan);
    const auto bands = geo::plan_bands(s.meta, s.graph, s.plan);
    ASSERT_EQ(bands.size(), m.lots.size());
    int within = 0;
    for (std::size_t l = 0; l < bands.size(); ++l) {
      EXPECT_EQ(geo::within_any_band(m.lots[l].hours, bands[l]), m.lots[l].within_band)
          << (tiers ? "tiers" : "lots") << " lot " << l + 1;
      within += m.lots[l].within_band;
    }
    EXPECT_EQ(within, m.lots_within_band);
    if (!tiers) {
      ASSERT_EQ(bands[0].size(), 1u);
      EXPECT_NEAR((bands[0][0].lo + bands[0][0].hi) / 2, m.assigned_hours / 2, 1e-9);
    }
  }
}

// No output holds inf, NaN or a negative count: each plan writer refuses a bad value that got
// past the input bounds (here put straight into the library call), naming the writer and
// the field, and nothing is written (core/output_check.hpp, docs/robustness.md).
TEST(PlanIo, WritersRefuseInfNanAndNegativeCounts) {
  EXPECT_EQ(geo::output_number(2.5, "w", "f"), 2.5);
  EXPECT_EQ(geo::output_number(-3, "w", "f", geo::OutputValue::kSigned), -3);
  auto refused = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const geo::DataError& e) {
      return e.what();
    }
    return "(not refused)";
  };
  EXPECT_THAT(refused([] { geo::output_number(-1, "lots.csv", "hours of lot 1"); }),
              HasSubstr("lots.csv: field \"hours of lot 1\": -1 cannot be written"));
  EXPECT_THAT(
      refused([] { geo::output_number(std::nan(""), "x", "y", geo::OutputValue::kSigned); }),
      HasSubstr("nan cannot be written"));

  Fixture f;
  const auto good = geo::evaluate(f.g, f.plan);
  auto write = [&](const geo::UnitGraph& g, const geo::PlanMetrics& m) {
    test::ScratchDir dir;
    geo::PlanOutputs out;
    out.graph = &g;
    out.units = &f.units;
    out.plan = &f.plan;
    out.metrics = &m;
    std::string err = refused([&] { geo::write_plan(dir / "out", out); });
    if (err != "(not refused)") {  // refused: nothing written
      EXPECT_FALSE(std::filesystem::exists(dir / "out" / "lots.csv")) << err;
    }
    return err;
  };
  EXPECT_EQ(write(f.g, good), "(not refused)");  // the fixture itself is fine
  // lots.csv: a lot's hours
  auto m = good;
  m.lots[1].hours = std::numeric_limits<double>::infinity();
  EXPECT_THAT(write(f.g, m),
              HasSubstr("lots.csv: field \"hours of lot 2\": inf cannot be written"));
  // metrics.json: a figure lots.csv does not hold
  m = good;
  m.cv = std::nan("");
  EXPECT_THAT(write(f.g, m), HasSubstr("metrics.json: field \"cv\": nan cannot be written"));
  m = good;
  m.lots[0].unmet_hours = -2;
  EXPECT_THAT(write(f.g, m),
              HasSubstr("metrics.json: field \"lots[0].unmet_hours\": -2 cannot be written"));
  // plan.gpkg: a unit's customers (a count) and a unit's site (finite, may be signed)
  auto g = f.g;
  g.customers.assign(g.size(), 1);
  g.customers[3] = -1;
  EXPECT_THAT(write(g, good), HasSubstr("plan.gpkg units: field \"customers of " + g.id[3] +
                                        "\": -1 cannot be written"));
  g = f.g;
  g.site[0].x = std::numeric_limits<double>::infinity();
  EXPECT_THAT(write(g, good), HasSubstr("plan.gpkg units: field \"site_x of " + g.id[0] + "\""));
}
