// The [tender] table: study's load_config accepts it, lotwright::tender reads it
// (load_tender_config) with the same kind of messages as every other table.
#include "lotwright/study/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "lotwright/core/error.hpp"
#include "lotwright/tender/config.hpp"
#include "support.hpp"

using namespace lotwright;
using ::testing::HasSubstr;

namespace {

const char* kMinimalConfig =
    "[area]\nname = \"Test\"\nboundary = \"b.geojson\"\n[postcodes]\npath = \"p.csv\"\n";

// The DataError message fn throws ("" and a test failure when it does not).
template <class F>
std::string data_error(F&& fn) {
  try {
    fn();
  } catch (const geo::DataError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no DataError";
  return "";
}

}  // namespace

TEST(TenderConfig, ReadsTheTableThatStudyAccepts) {
  test::ScratchDir dir;
  test::write_text(dir / "c.toml",
                   std::string(kMinimalConfig) +
                       "[design]\nseed = 7\n"
                       "[[design.tiers]]\nname = \"Level 1\"\nmin_hours = 700\nmax_hours = 1300\n"
                       "[tender]\nprice_low = 21\nprice_high = 24.5\ncontract_years = 3\n"
                       "[[tender.roles]]\ntier = \"Level 1\"\n"
                       "roles = [{ name = \"Lead\", share = 0.6 }, "
                       "{ name = \"Secondary\", share = 0.4 }]\n");
  const geo::Config c = geo::load_config(dir / "c.toml");
  EXPECT_EQ(c.design.seed, 7u);  // the tables around [tender] are still read
  const tender::TenderConfig t = tender::load_tender_config(c);
  EXPECT_DOUBLE_EQ(t.price_low, 21);
  EXPECT_DOUBLE_EQ(t.price_high, 24.5);
  EXPECT_EQ(t.contract_years, 3);
  EXPECT_EQ(t.extension_years, 2);  // default kept
  EXPECT_EQ(t.buyer, "Test Council");
  ASSERT_EQ(t.roles.size(), 1u);
  EXPECT_EQ(t.roles[0].tier, "Level 1");
  ASSERT_EQ(t.roles[0].roles.size(), 2u);
  EXPECT_EQ(t.roles[0].roles[1].name, "Secondary");
  EXPECT_DOUBLE_EQ(t.roles[0].roles[0].share, 0.6);
}

TEST(TenderConfig, DefaultsWithoutTableOrFile) {
  test::ScratchDir dir;
  test::write_text(dir / "c.toml", std::string(kMinimalConfig) + "[tender]\nbuyer = \"NHS X\"\n");
  EXPECT_EQ(tender::load_tender_config(geo::load_config(dir / "c.toml")).buyer, "NHS X");
  test::write_text(dir / "d.toml", kMinimalConfig);
  const tender::TenderConfig t = tender::load_tender_config(geo::load_config(dir / "d.toml"));
  EXPECT_EQ(t.buyer, "Test Council");
  EXPECT_DOUBLE_EQ(t.price_low, 20.64);
  EXPECT_EQ(t.start_date, "2027-04-01");
  EXPECT_TRUE(t.roles.empty());
  geo::Config in_code;  // no file: the defaults
  in_code.area.name = "Codeshire";
  EXPECT_EQ(tender::load_tender_config(in_code).buyer, "Codeshire Council");
}

TEST(TenderConfig, ErrorsNameFileLineAndKey) {
  test::ScratchDir dir;
  // Line 6 of the file: after the 5 lines of kMinimalConfig and "[tender]".
  test::write_text(dir / "a.toml", std::string(kMinimalConfig) + "[tender]\nprice_lo = 3\n");
  const geo::Config a = geo::load_config(dir / "a.toml");  // study does not judge [tender]
  std::string m = data_error([&] { tender::load_tender_config(a); });
  EXPECT_THAT(m, HasSubstr("a.toml:7: unknown key \"tender.price_lo\"; did you mean "
                           "\"tender.price_low\"?"));

  test::write_text(dir / "b.toml", std::string(kMinimalConfig) +
                                       "[[tender.roles]]\nroles = [{ name = \"Lead\", share = 0.6 "
                                       "}, { name = \"Second\", share = 0.3 }]\n");
  m = data_error([&] { tender::load_tender_config(geo::load_config(dir / "b.toml")); });
  EXPECT_THAT(m, HasSubstr("\"tender.roles.roles\""));
  EXPECT_THAT(m, HasSubstr("add up to 0.9"));

  test::write_text(dir / "c.toml",
                   std::string(kMinimalConfig) + "[tender]\nprice_low = 30\nprice_high = 20\n");
  m = data_error([&] { tender::load_tender_config(geo::load_config(dir / "c.toml")); });
  EXPECT_THAT(m, HasSubstr("\"tender.price_high\": expected a price >= price_low"));

  test::write_text(dir / "d.toml", std::string(kMinimalConfig) + "[tender]\nstart_date = 2027\n");
  m = data_error([&] { tender::load_tender_config(geo::load_config(dir / "d.toml")); });
  EXPECT_THAT(m, HasSubstr("\"tender.start_date\": expected a string"));

  // [tender] must still be a table: study's loader says so.
  test::write_text(dir / "e.toml", "tender = 3\n" + std::string(kMinimalConfig));
  EXPECT_THAT(data_error([&] { geo::load_config(dir / "e.toml"); }),
              HasSubstr("expected a table [tender]"));
}

// Issue 18: bounds and references checked with file, line and key before any work.
TEST(TenderConfig, RefusesOutOfBoundsValuesUnknownTiersAndControlCharacters) {
  test::ScratchDir dir;
  auto message = [&](const std::string& tender) {
    test::write_text(dir / "c.toml", std::string(kMinimalConfig) + "[tender]\n" + tender);
    return data_error([&] { tender::load_tender_config(geo::load_config(dir / "c.toml")); });
  };
  EXPECT_THAT(
      message("contract_years = 2147483648\n"),
      HasSubstr("c.toml:7: key \"tender.contract_years\": expected an integer >= 1 and <= 25"));
  EXPECT_THAT(message("price_high = 1e308\n"),
              HasSubstr("c.toml:7: key \"tender.price_high\": expected a number >= 0 and <= 1000"));
  EXPECT_THAT(message("buyer = \"Wessex\\u0007 Council\"\n"),
              HasSubstr("c.toml:7: key \"tender.buyer\": contains a control character (0x07"));
  EXPECT_THAT(
      message("[[tender.roles]]\ntier = \"Urban\"\nroles = [{ name = \"Lead\", share = 1.0 }]\n"),
      HasSubstr("key \"tender.roles.tier\": no tier \"Urban\" in [[design.tiers]]"));
}
