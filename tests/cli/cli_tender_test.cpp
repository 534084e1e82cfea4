// `lotwright tender` end to end on the Isle of Wight: the shared run's plan -> tender, then
// the pack is checked as a bidder would read it (GIS layers, OCDS, PDF text, provider CSV).
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support.hpp"
#include "tender_fixture.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

namespace {

// Demand total straight from the CSV (column 2 = hours_per_week).
double csv_hours(const fs::path& demand) {
  std::istringstream in(test::read_text(demand));
  std::string line;
  std::getline(in, line);
  double total = 0;
  while (std::getline(in, line)) {
    const auto a = line.find(','), b = line.find(',', a + 1);
    total += std::stod(line.substr(a + 1, b - a - 1));
  }
  return total;
}

class CliTender : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GDALAllRegister();
    // The suite's shared Isle of Wight run (tests/support/shared_iow.cpp: synth-demand seed
    // 11, about 720 customers, 6 lots): its config and plan; the packs go to dir_.
    const test::SharedIowRun& iow = test::shared_iow_run();
    ASSERT_EQ(iow.run.exit_code, 0) << iow.run.err;
    dir_ = new test::ScratchDir("cli-tender");
    config_ = new fs::path(iow.config);
    plan_ = new fs::path(iow.out / "assignment.csv");
    demand_hours_ = csv_hours(iow.demand);
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete config_;
    delete plan_;
  }
  static fs::path plan() { return *plan_; }

  static test::ScratchDir* dir_;
  static fs::path* config_;
  static fs::path* plan_;
  static double demand_hours_;
};

test::ScratchDir* CliTender::dir_ = nullptr;
fs::path* CliTender::config_ = nullptr;
fs::path* CliTender::plan_ = nullptr;
double CliTender::demand_hours_ = 0;

}  // namespace

TEST_F(CliTender, PackOnTheIsleOfWight) {
  const fs::path out = *dir_ / "pack";
  auto r = test::run_cli(
      {"tender", config_->string(), "--plan", plan().string(), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("6 zones, 18 lots"), std::string::npos) << r.out;
  const std::vector<std::string> expected = {
      ".lotwright-manifest", "lot-schedule.xlsx", "lots.cpg",     "lots.dbf", "lots.geojson",
      "lots.gpkg",           "lots.prj",          "lots.shp",     "lots.shx", "ocds-lots.json",
      "provider-demand.csv", "provider.gpkg",     "zone-maps.pdf"};
  ASSERT_EQ(test::list_files(out), expected);

  // The lots layer: a feature per zone whose hours add up to the demand.
  for (const char* name : {"lots.geojson", "lots.shp", "lots.gpkg"}) {
    GDALDatasetUniquePtr ds(GDALDataset::Open((out / name).c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds) << name;
    OGRLayer* layer = ds->GetLayer(0);
    EXPECT_EQ(layer->GetFeatureCount(), 6) << name;
    double hours = 0;
    for (auto&& f : *layer) {
      hours += f->GetFieldAsDouble("hours");
      EXPECT_FALSE(f->GetGeometryRef()->IsEmpty());
      OGREnvelope e;
      f->GetGeometryRef()->getEnvelope(&e);
      EXPECT_GT(e.MinX, -1.7);  // the island, in longitude / latitude
      EXPECT_LT(e.MaxX, -1.0);
      EXPECT_GT(e.MinY, 50.5);
      EXPECT_LT(e.MaxY, 50.8);
    }
    EXPECT_NEAR(hours, demand_hours_, 6 * 2.5) << name;  // published: each zone rounded to 5
  }

  // OCDS: at least one lot per zone; items' relatedLot exist; hours a year = 52 x demand.
  const auto j = nlohmann::json::parse(test::read_text(out / "ocds-lots.json"));
  const auto& tender = j["releases"][0]["tender"];
  std::set<std::string> lots;
  std::set<int> zones;
  for (const auto& lot : tender["lots"]) {
    EXPECT_TRUE(lots.insert(lot["id"].get<std::string>()).second);
    zones.insert(std::stoi(lot["id"].get<std::string>()));
  }
  EXPECT_EQ(zones.size(), 6u);
  double annual = 0;
  for (const auto& item : tender["items"]) {
    EXPECT_TRUE(lots.count(item["relatedLot"].get<std::string>()));
    annual += item["quantity"].get<double>();
  }
  EXPECT_NEAR(annual, demand_hours_ * 52, 6 * 2.5 * 52 + lots.size() * 0.5);

  // PDF: zones + 1 pages, every lot named, no full postcode.
  EXPECT_EQ(test::pdf_pages(out / "zone-maps.pdf"), 7);
  const auto texts = test::provider_texts(out);
  for (const auto& id : lots)
    EXPECT_NE(texts.at("zone-maps.pdf").find("Lot " + id), std::string::npos) << id;
  for (const auto& [file, text] : texts) {
    std::string pc;
    EXPECT_FALSE(test::has_full_postcode(text, &pc)) << file << ": " << pc;
  }
  // Provider demand: sectors, counts 0 or >= 5, hours multiples of 5.
  std::istringstream csv(texts.at("provider-demand.csv"));
  std::string line;
  std::getline(csv, line);
  int rows = 0, suppressed = 0;
  while (std::getline(csv, line)) {
    const auto c = test::split_csv(line);
    ASSERT_EQ(c.size(), 6u) << line;
    ++rows;
    if (c[5] == "yes") {
      ++suppressed;
      EXPECT_TRUE(c[3].empty() && c[4].empty()) << line;
      continue;
    }
    const long n = std::stol(c[3]);
    EXPECT_TRUE(n == 0 || n >= 5) << line;
    EXPECT_EQ(std::stol(c[4]) % 5, 0) << line;
  }
  EXPECT_GT(rows, 20);
  EXPECT_GT(suppressed, 0);  // ~720 customers over ~60 sectors: some are small

  // A re-run replaces the pack with identical bytes.
  std::map<std::string, std::string> before;
  for (const auto& f : expected) before[f] = test::read_text(out / f);
  r = test::run_cli(
      {"tender", config_->string(), "--plan", plan().string(), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& f : expected) EXPECT_TRUE(test::read_text(out / f) == before[f]) << f;
  // `run` wrote the same pack from the same plan (its manifest names its own folder): the
  // zones are named by the one namer whichever command reads the plan.
  const fs::path run_pack = test::shared_iow_run().out / "tender";
  ASSERT_EQ(test::list_files(run_pack), expected);
  for (const auto& f : expected) {
    if (f != ".lotwright-manifest") {
      EXPECT_TRUE(test::read_text(run_pack / f) == before[f]) << f;
    }
  }
  // An injected failure mid-pack leaves that pack untouched and nothing beside it.
  auto beside = [&] {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_->path())) names.insert(e.path().filename());
    return names;
  };
  const auto names_before = beside();
  ::setenv("LOTWRIGHT_TENDER_FAIL_AFTER", "3", 1);
  r = test::run_cli(
      {"tender", config_->string(), "--plan", plan().string(), "--out", out.string()});
  ::unsetenv("LOTWRIGHT_TENDER_FAIL_AFTER");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("failure injected"), std::string::npos) << r.err;
  for (const auto& f : expected) EXPECT_TRUE(test::read_text(out / f) == before[f]) << f;
  EXPECT_EQ(beside(), names_before);
}

TEST_F(CliTender, BadUsageAndBadPlan) {
  const fs::path out = *dir_ / "bad";
  auto r = test::run_cli({"tender", config_->string(), "--out", out.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--plan"), std::string::npos) << r.err;
  r = test::run_cli({"tender", config_->string(), "--plan", (*dir_ / "missing.csv").string(),
                     "--out", out.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

// A cheap check: no design (a plain test, outside the CliTender fixture).
TEST(CliTenderHelp, DescribesTheCommand) {
  auto r = test::run_cli({"tender", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--plan"), std::string::npos);
  EXPECT_NE(r.out.find("--out"), std::string::npos);
}
