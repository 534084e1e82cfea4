// ocds-lots.json against the vendored OCDS 1.1.5 release-package schema and the pinned
// extensions (tests/data/ocds/validate.py, python3-jsonschema): the tag follows the status,
// the release is dated by [tender] publication_date, lotDetails carries the lot limits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "lotwright/core/error.hpp"
#include "lotwright/tender/config.hpp"
#include "lotwright/tender/tender.hpp"
#include "support.hpp"
#include "tender_fixture.hpp"

using namespace lotwright;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

const fs::path kValidator = fs::path(test::kSourceDir) / "tests/data/ocds/validate.py";

// Runs the validator on a package file; its output ("valid" or one line per problem).
test::CliResult validate(const fs::path& file) {
  return test::run_program("/usr/bin/python3", {kValidator.string(), file.string()});
}

class Ocds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixture_ = new test::TenderFixture(); }
  static void TearDownTestSuite() { delete fixture_; }
  // The pack's OCDS file written with the fixture and tender config t.
  static Json pack_ocds(const tender::TenderConfig& t, const fs::path& dir) {
    auto in = fixture_->inputs();
    in.tender = t;
    tender::write_tender_pack(dir / "pack", in);
    return Json::parse(test::read_text(dir / "pack" / "ocds-lots.json"));
  }
  static test::TenderFixture* fixture_;
};
test::TenderFixture* Ocds::fixture_ = nullptr;

}  // namespace

TEST_F(Ocds, DefaultPackIsValidPlanningReleaseWithADerivedPublicationDate) {
  test::ScratchDir tmp;
  const Json j = pack_ocds(fixture_->tender, tmp.path());
  const auto r = validate(tmp / "pack" / "ocds-lots.json");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "valid\n") << r.err;

  const Json& rel = j["releases"][0];
  EXPECT_EQ(rel["tag"], Json::array({"planning"}));
  EXPECT_EQ(rel["tender"]["status"], "planning");
  for (const auto& lot : rel["tender"]["lots"]) EXPECT_EQ(lot["status"], "planning");
  // Not the contract start (2027-04-01): six months before it, documented and reproducible.
  EXPECT_EQ(tender::publication_date(fixture_->tender), "2026-10-01");
  EXPECT_EQ(rel["date"], "2026-10-01T00:00:00Z");
  EXPECT_EQ(j["publishedDate"], "2026-10-01T00:00:00Z");
  EXPECT_EQ(rel["tender"]["contractPeriod"]["startDate"], "2027-04-01T00:00:00Z");
  EXPECT_FALSE(rel["tender"].contains("lotDetails"));  // no limits given
  // Every extension pinned: a release tag or a commit, never a branch.
  ASSERT_EQ(j["extensions"].size(), 3u);
  for (const auto& e : j["extensions"]) {
    const std::string url = e.get<std::string>();
    EXPECT_EQ(url.find("/master/"), std::string::npos) << url;
    EXPECT_EQ(url.find("/main/"), std::string::npos) << url;
    EXPECT_TRUE(url.find("/v1.1.5/") != std::string::npos ||
                url.find("/cf26577519ced7a0429652aaa2358e3ab7d39fa3/") != std::string::npos)
        << url;
  }
}

TEST_F(Ocds, PublicationDateAndLotLimitsFromConfig) {
  test::ScratchDir tmp;
  tender::TenderConfig t = fixture_->tender;
  t.publication_date = "2026-06-15";
  t.max_lots_bid_per_supplier = 4;
  t.max_lots_awarded_per_supplier = 2;
  const Json j = pack_ocds(t, tmp.path());
  const auto r = validate(tmp / "pack" / "ocds-lots.json");
  EXPECT_EQ(r.out, "valid\n") << r.err;
  const Json& rel = j["releases"][0];
  EXPECT_EQ(rel["date"], "2026-06-15T00:00:00Z");
  EXPECT_EQ(j["publishedDate"], "2026-06-15T00:00:00Z");
  EXPECT_EQ(rel["id"].get<std::string>().substr(rel["id"].get<std::string>().size() - 10),
            "2026-06-15");
  EXPECT_EQ(rel["tender"]["lotDetails"],
            (Json{{"maximumLotsBidPerSupplier", 4}, {"maximumLotsAwardedPerSupplier", 2}}));

  // Only the limit given is written.
  t.max_lots_bid_per_supplier.reset();
  test::ScratchDir tmp2;
  const Json k = pack_ocds(t, tmp2.path());
  EXPECT_EQ(k["releases"][0]["tender"]["lotDetails"], (Json{{"maximumLotsAwardedPerSupplier", 2}}));
}

// The validator is not a rubber stamp: broken packages fail it, naming the problem.
TEST_F(Ocds, ValidatorCatchesSchemaErrorsUnpinnedExtensionsAndUnknownFields) {
  test::ScratchDir tmp;
  const Json good = pack_ocds(fixture_->tender, tmp.path());
  auto check = [&](const char* what, auto&& edit, const std::string& expect) {
    Json j = good;
    edit(j);
    const fs::path f = tmp / (std::string(what) + ".json");
    test::write_text(f, j.dump(2));
    const auto r = validate(f);
    EXPECT_EQ(r.exit_code, 1) << what << ": " << r.out;
    EXPECT_NE(r.out.find(expect), std::string::npos) << what << ": " << r.out;
  };
  check(
      "tag", [](Json& j) { j["releases"][0]["tag"] = {"plan"}; }, "releases/0/tag/0");
  check(
      "date", [](Json& j) { j["releases"][0]["date"] = "1 April 2027"; }, "date-time");
  check(
      "limit",
      [](Json& j) {
        j["releases"][0]["tender"]["lotDetails"] = {{"maximumLotsBidPerSupplier", "two"}};
      },
      "maximumLotsBidPerSupplier");
  check(
      "renewal",
      [](Json& j) { j["releases"][0]["tender"]["lots"][0]["renewal"]["maximumRenewals"] = "x"; },
      "maximumRenewals");
  check(
      "master",
      [](Json& j) {
        j["extensions"][2] =
            "https://raw.githubusercontent.com/open-contracting-extensions/"
            "ocds_renewal_extension/master/extension.json";
      },
      "not a vendored (pinned) extension");
  check(
      "typo", [](Json& j) { j["releases"][0]["tender"]["lotDetail"] = Json::object(); },
      "releases[0].tender.lotDetail: field not declared");
}

TEST(OcdsConfig, PublicationDateAndLotLimitsAreCheckedAndWarned) {
  const char* base =
      "[area]\nname = \"Test\"\nboundary = \"b.geojson\"\n[postcodes]\npath = \"p.csv\"\n"
      "[tender]\nstart_date = \"2028-08-31\"\n";
  auto load = [&](const std::string& extra) {
    test::ScratchDir dir;
    test::write_text(dir / "c.toml", std::string(base) + extra);
    return tender::load_tender_config(geo::load_config(dir / "c.toml"));
  };
  auto error = [&](const std::string& extra) -> std::string {
    try {
      load(extra);
    } catch (const geo::DataError& e) {
      return e.what();
    }
    return "no error";
  };
  // Defaults: derived date (31 August - 6 months = 28 February), both warnings.
  tender::TenderConfig t = load("");
  EXPECT_EQ(tender::publication_date(t), "2028-02-29");  // 2028 is a leap year
  EXPECT_FALSE(t.price_low_given);
  auto w = tender::tender_config_warnings(t);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_NE(w[0].find("price_low and price_high not set"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("Worcestershire"), std::string::npos) << w[0];
  EXPECT_NE(w[1].find("dated 2028-02-29"), std::string::npos) << w[1];

  t = load(
      "price_low = 19\nprice_high = 23\npublication_date = \"2028-01-10\"\n"
      "max_lots_bid_per_supplier = 3\nmax_lots_awarded_per_supplier = 2\n");
  EXPECT_TRUE(tender::tender_config_warnings(t).empty());
  EXPECT_EQ(tender::publication_date(t), "2028-01-10");
  EXPECT_EQ(t.max_lots_bid_per_supplier, 3);
  EXPECT_EQ(t.max_lots_awarded_per_supplier, 2);
  w = tender::tender_config_warnings(load("price_high = 30\npublication_date = \"2028-01-10\"\n"));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("[tender] price_low not set"), std::string::npos) << w[0];

  EXPECT_NE(error("publication_date = \"2028-02-30\"\n").find("publication_date"),
            std::string::npos);
  EXPECT_NE(error("publication_date = \"2028-09-01\"\n").find("on or before start_date"),
            std::string::npos);
  EXPECT_NE(error("max_lots_bid_per_supplier = 0\n").find("max_lots_bid_per_supplier"),
            std::string::npos);
  EXPECT_NE(error("max_lots_bid_per_supplier = 2\nmax_lots_awarded_per_supplier = 3\n")
                .find("at most max_lots_bid_per_supplier"),
            std::string::npos);
}
