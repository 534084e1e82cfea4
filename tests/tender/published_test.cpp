// Everything a provider receives, read back as an attacker and as a procurement lead would:
// `lotwright run` on the Isle of Wight and on a synthetic county with many small sectors,
// then (1) a differencing attack across ALL published files recovers nothing that belongs
// to fewer than 5 customers, (2) every zone's hours and customers are the same in every
// file and the sector table adds up to them, (3) the zone colours are one colouring, the
// same in every style, with no two neighbouring zones alike.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "lotwright/core/palette.hpp"
#include "lotwright/plan/plan_store.hpp"
#include "support.hpp"
#include "tender_fixture.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

struct Truth {  // exact figures of a zone x sector cell (or a zone x rural part)
  double hours = 0, customers = 0;
};

struct PackRun {
  fs::path out;  // `lotwright run` output: plan.gpkg, tender/
  geo::PlanStore store;
  std::map<std::pair<std::string, int>, Truth> cells;  // (sector, zone 1-based)
  std::vector<Truth> zones, rural, urban, unmet;       // per zone (0-based)
};

std::string sector_of(const std::string& postcode) {
  const auto sp = postcode.find(' ');
  return sp == std::string::npos || sp + 1 >= postcode.size() ? "(other)"
                                                              : postcode.substr(0, sp + 2);
}

bool is_rural(const std::string& c) {
  return c == "D1" || c == "D2" || c == "E1" || c == "E2" || c == "F1" || c == "F2" || c == "1" ||
         c == "2";
}

PackRun load_run(const fs::path& out) {
  PackRun r;
  r.out = out;
  r.store = geo::load_plan_store(out / "plan.gpkg");
  const auto& g = r.store.graph;
  const int nz = r.store.plan.lot_count;
  r.zones.resize(nz), r.rural.resize(nz), r.urban.resize(nz), r.unmet.resize(nz);
  for (std::size_t u = 0; u < g.size(); ++u) {
    const int z = r.store.plan.lot_of[u];
    if (z < 0) continue;
    const double h = g.hours[u], c = g.customers[u];
    Truth& cell = r.cells[{sector_of(g.id[u]), z + 1}];
    cell.hours += h, cell.customers += c;
    r.zones[z].hours += h, r.zones[z].customers += c;
    Truth& part = is_rural(g.rural[u]) ? r.rural[z] : r.urban[z];
    part.hours += h, part.customers += c;
    if (g.unmet_hours[u] > 0) r.unmet[z].hours += g.unmet_hours[u], r.unmet[z].customers += c;
  }
  return r;
}

// Fewer than 5 customers, yet someone (hours or customers) is there.
bool small(const Truth& t) {
  const long n = std::lround(t.customers);
  return n < 5 && (n > 0 || t.hours > 0);
}

// A figure an attacker derived "recovers" a small truth when it is non-zero and within
// 2.5 h (the published rounding) of it.
bool recovers(double estimate, const Truth& t) {
  return small(t) && estimate > 0 && std::abs(estimate - t.hours) <= 2.5;
}

GDALDatasetUniquePtr open(const fs::path& f) {
  return GDALDatasetUniquePtr(GDALDataset::Open(f.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
}

struct Row {
  std::string sector;
  int zone = 0;
  std::optional<double> hours;
  std::optional<long> customers;
};

std::vector<Row> csv_rows(const fs::path& f) {
  std::vector<Row> rows;
  std::istringstream in(test::read_text(f));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) c.push_back(x);
    while (c.size() < 6) c.push_back("");
    Row r{c[0], c[1].empty() ? 0 : std::stoi(c[1]), std::nullopt, std::nullopt};
    if (!c[4].empty()) r.hours = std::stod(c[4]);
    if (!c[3].empty()) r.customers = std::stol(c[3]);
    rows.push_back(r);
  }
  return rows;
}

std::vector<Row> gpkg_rows(GDALDataset& ds) {
  std::vector<Row> rows;
  for (auto& f : *ds.GetLayerByName("sector_demand")) {
    Row r{f->GetFieldAsString("sector"), f->GetFieldAsInteger("zone"), std::nullopt, std::nullopt};
    if (!f->IsFieldNull(f->GetFieldIndex("hours"))) r.hours = f->GetFieldAsDouble("hours");
    if (!f->IsFieldNull(f->GetFieldIndex("customers")))
      r.customers = f->GetFieldAsInteger64("customers");
    rows.push_back(r);
  }
  return rows;
}

// Zone colours as a style paints them: QML category value -> symbol colour "r,g,b".
std::map<int, std::string> qml_colours(GDALDataset& ds, const std::string& table) {
  std::map<int, std::string> out;
  OGRLayer* st = ds.GetLayerByName("layer_styles");
  if (!st) return out;
  for (auto& f : *st) {
    if (table != f->GetFieldAsString("f_table_name")) continue;
    const std::string qml = f->GetFieldAsString("styleQML");
    std::map<std::string, int> symbol_value;
    const std::regex cat(R"rx(<category symbol="(\d+)" value="(\d+)")rx");
    for (std::sregex_iterator it(qml.begin(), qml.end(), cat), end; it != end; ++it)
      symbol_value[(*it)[1]] = std::stoi((*it)[2]);
    const std::regex sym(
        R"rx(<symbol type="fill" name="(\d+)"[\s\S]*?k="color" v="(\d+,\d+,\d+),255")rx");
    for (std::sregex_iterator it(qml.begin(), qml.end(), sym), end; it != end; ++it)
      out[symbol_value.at((*it)[1])] = (*it)[2];
  }
  return out;
}

std::string rgb_of(int colour) {
  const auto c = geo::lot_rgb(colour);
  return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b);
}

std::string grouped(double v) {  // "1,685" as the PDF prints whole hours
  std::string s = std::to_string(std::lround(v));
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(i, ",");
  return s;
}

class Published : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GDALAllRegister();
    dir_ = new test::ScratchDir("published");
    // The Isle of Wight: real postcodes, rural classes and roads; synthetic demand.
    std::string cfg = test::read_text(fs::path(test::kSourceDir) / "examples/isle-of-wight.toml");
    cfg = std::regex_replace(cfg, std::regex(R"(\.\./\.\./shared/data)"), test::kDataDir);
    cfg = std::regex_replace(cfg, std::regex("lots = 6"), "lots = 5\ntime_limit_seconds = 2");
    const fs::path iow = *dir_ / "iow";
    fs::create_directories(iow);
    test::write_text(iow / "config.toml", cfg);
    auto r = test::run_cli({"synth-demand", (iow / "config.toml").string(), "--out",
                            (iow / "demand.csv").string(), "--seed", "7", "--customers", "500"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = test::run_cli({"run", (iow / "config.toml").string(), "--out", (iow / "out").string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    iow_ = new PackRun(load_run(iow / "out"));
    // A synthetic county with few customers over many sectors: many cells of 1..4.
    const fs::path sc = *dir_ / "sc";
    r = test::run_cli(
        {"synth-county", "--out", sc.string(), "--postcodes", "1500", "--seed", "11"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string county = test::read_text(sc / "county.toml");
    county = std::regex_replace(county, std::regex("\nlots = 2\n"),
                                "\nlots = 4\ntime_limit_seconds = 2\n");
    test::write_text(sc / "county.toml", county);
    r = test::run_cli({"synth-demand", (sc / "county.toml").string(), "--out",
                       (sc / "demand.csv").string(), "--seed", "5", "--customers", "70"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = test::run_cli({"run", (sc / "county.toml").string(), "--out", (sc / "out").string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    synth_ = new PackRun(load_run(sc / "out"));
  }
  static void TearDownTestSuite() {
    delete iow_;
    delete synth_;
    delete dir_;
  }
  static test::ScratchDir* dir_;
  static PackRun* iow_;
  static PackRun* synth_;

  // The attack and the agreement checks on one run's files.
  static void check(const PackRun& run);
};

test::ScratchDir* Published::dir_ = nullptr;
PackRun* Published::iow_ = nullptr;
PackRun* Published::synth_ = nullptr;

void Published::check(const PackRun& run) {
  const fs::path t = run.out / "tender";
  const int nz = run.store.plan.lot_count;
  auto provider = open(t / "provider.gpkg");
  auto lots = open(t / "lots.geojson");
  ASSERT_TRUE(provider && lots);

  // Zone figures, per file.
  std::vector<double> hours(nz, -1), rural(nz, -1);
  std::vector<std::optional<long>> customers(nz);
  std::vector<std::optional<double>> unmet(nz);
  for (auto& f : *provider->GetLayerByName("zones")) {
    const int z = f->GetFieldAsInteger("zone") - 1;
    ASSERT_TRUE(z >= 0 && z < nz);
    hours[z] = f->GetFieldAsDouble("hours");
    rural[z] = f->GetFieldAsDouble("rural_hours");
    if (!f->IsFieldNull(f->GetFieldIndex("customers")))
      customers[z] = f->GetFieldAsInteger64("customers");
    if (!f->IsFieldNull(f->GetFieldIndex("unmet_hours")))
      unmet[z] = f->GetFieldAsDouble("unmet_hours");
  }
  int zones_checked = 0, suppressed_seen = 0, small_cells = 0;
  for (auto& f : *lots->GetLayer(0)) {
    const int z = f->GetFieldAsInteger("zone") - 1;
    ASSERT_TRUE(z >= 0 && z < nz);
    ++zones_checked;
    // The same figures in lots.geojson as in provider.gpkg.
    EXPECT_EQ(f->GetFieldAsDouble("hours"), hours[z]) << "zone " << z + 1;
    EXPECT_EQ(f->IsFieldNull(f->GetFieldIndex("customers")), !customers[z].has_value());
    if (customers[z]) {
      EXPECT_EQ(f->GetFieldAsInteger64("customers"), *customers[z]);
    }
    EXPECT_EQ(f->IsFieldNull(f->GetFieldIndex("unmet_h")), !unmet[z].has_value());
    // Attack: rural share x zone hours gives the rural hours (and the rest, the urban).
    const double r = f->GetFieldAsDouble("rural_shr") * hours[z];
    EXPECT_NEAR(r, rural[z], 0.0006 * hours[z]) << "zone " << z + 1;
    EXPECT_FALSE(recovers(r, run.rural[z])) << "zone " << z + 1 << " rural " << r;
    EXPECT_FALSE(recovers(hours[z] - r, run.urban[z])) << "zone " << z + 1 << " urban";
  }
  EXPECT_EQ(zones_checked, nz);
  for (int z = 0; z < nz; ++z) {
    SCOPED_TRACE("zone " + std::to_string(z + 1));
    EXPECT_EQ(std::fmod(hours[z], 5.0), 0.0);
    EXPECT_LE(std::abs(hours[z] - run.zones[z].hours), 2.5);  // rounded, not moved
    EXPECT_FALSE(small(run.zones[z]));  // a zone of 1..4 customers would be its hours
    ASSERT_TRUE(customers[z]);
    EXPECT_EQ(*customers[z] % 5, 0);
    // Unmet hours of fewer than 5 customers are not published.
    if (unmet[z]) {
      EXPECT_EQ(std::fmod(*unmet[z], 5.0), 0.0);
      EXPECT_FALSE(recovers(*unmet[z], run.unmet[z]));
      EXPECT_FALSE(small(run.unmet[z])) << "unmet hours of " << run.unmet[z].customers;
    }
  }

  // The sector tables (provider-demand.csv and provider.gpkg): primary cells and the
  // differencing attack "zone total minus the published sectors".
  for (const auto& rows : {csv_rows(t / "provider-demand.csv"), gpkg_rows(*provider)}) {
    std::map<int, double> sum_h;
    std::map<int, long> sum_c;
    std::map<int, Truth> suppressed;  // per zone: the truth behind the suppressed rows
    std::map<int, int> suppressed_rows;
    for (const Row& r : rows) {
      if (r.zone <= 0) continue;
      const int z = r.zone - 1;
      const bool combined = r.sector == "(suppressed sectors)";
      EXPECT_FALSE(test::has_full_postcode(r.sector)) << r.sector;
      if (r.hours) {
        EXPECT_EQ(std::fmod(*r.hours, 5.0), 0.0) << r.sector;
        ASSERT_TRUE(r.customers) << r.sector;
        EXPECT_EQ(*r.customers % 5, 0) << r.sector;
        sum_h[z] += *r.hours;
        sum_c[z] += *r.customers;
        if (!combined) {
          const Truth& tr = run.cells.at({r.sector, r.zone});
          EXPECT_FALSE(small(tr)) << r.sector << " zone " << r.zone << ": " << tr.customers
                                  << " customers published as " << *r.customers;
          small_cells += small(tr);
        }
      } else {
        ++suppressed_seen;
        ++suppressed_rows[z];
        EXPECT_FALSE(r.customers) << r.sector;
        const Truth& tr = run.cells.at({r.sector, r.zone});
        suppressed[z].hours += tr.hours;
        suppressed[z].customers += tr.customers;
      }
    }
    for (int z = 0; z < nz; ++z) {
      SCOPED_TRACE("zone " + std::to_string(z + 1));
      // The rows (with the zone's combined row) add up to the zone's figures exactly.
      EXPECT_EQ(sum_h[z], hours[z]);
      EXPECT_EQ(sum_c[z], *customers[z]);
      if (suppressed_rows[z] == 0) continue;
      // Differencing: the zone total minus the published sectors isolates the suppressed
      // sectors together; they hold 5 or more customers.
      EXPECT_GE(suppressed_rows[z], 2);
      EXPECT_FALSE(small(suppressed[z])) << suppressed[z].customers << " customers";
    }
  }
  EXPECT_EQ(small_cells, 0);

  // OCDS: each item's annual quantity is the published zone hours x share x 52.
  const auto j = nlohmann::json::parse(test::read_text(t / "ocds-lots.json"));
  std::map<std::string, double> share;
  for (auto& f : *provider->GetLayerByName("lots"))
    share[f->GetFieldAsString("lot_id")] = f->GetFieldAsDouble("share");
  int items = 0;
  for (const auto& item : j["releases"][0]["tender"]["items"]) {
    const std::string lot = item["relatedLot"];
    const int z = std::stoi(lot) - 1;
    ASSERT_TRUE(share.count(lot)) << lot;
    EXPECT_NEAR(item["quantity"].get<double>(), hours[z] * share[lot] * 52, 0.5) << lot;
    ++items;
  }
  EXPECT_EQ(items, static_cast<int>(share.size()));

  // PDF: each zone's page prints the zone's published hours.
  const auto pdf =
      test::run_program("/usr/bin/pdftotext", {"-layout", (t / "zone-maps.pdf").string(), "-"});
  ASSERT_EQ(pdf.exit_code, 0) << pdf.err;
  for (int z = 0; z < nz; ++z)
    EXPECT_NE(pdf.out.find(grouped(hours[z])), std::string::npos) << "zone " << z + 1;

  // Colours: one colouring, the same in every style, neighbours differ.
  const auto colours = geo::zone_colours(run.store.graph, run.store.plan);
  auto plan_gpkg = open(run.out / "plan.gpkg");
  auto lots_gpkg = open(t / "lots.gpkg");
  ASSERT_TRUE(plan_gpkg && lots_gpkg);
  const auto styles = {qml_colours(*plan_gpkg, "lots"), qml_colours(*lots_gpkg, "lots"),
                       qml_colours(*provider, "zones"), qml_colours(*provider, "lots")};
  for (const auto& st : styles) {
    ASSERT_EQ(st.size(), static_cast<std::size_t>(nz));
    for (int z = 0; z < nz; ++z) EXPECT_EQ(st.at(z + 1), rgb_of(colours[z])) << "zone " << z + 1;
  }
  for (auto& f : *provider->GetLayerByName("zones"))
    EXPECT_EQ(std::string(f->GetFieldAsString("colour")),
              geo::lot_hex(colours[f->GetFieldAsInteger("zone") - 1]));
  const auto& g = run.store.graph;
  const auto& lot = run.store.plan.lot_of;
  for (std::size_t u = 0; u < g.size(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const int a = lot[u], b = lot[g.targets[k]];
      if (a >= 0 && b >= 0 && a != b) {
        EXPECT_NE(colours[a], colours[b]) << "neighbouring zones " << a + 1 << " and " << b + 1;
      }
    }
  std::cout << "checked " << nz << " zones, " << suppressed_seen << " suppressed rows\n";
}

}  // namespace

TEST_F(Published, IsleOfWightRecoversNothingSmallAndAgreesEverywhere) { check(*iow_); }

TEST_F(Published, SyntheticCountyWithManySmallSectors) { check(*synth_); }
