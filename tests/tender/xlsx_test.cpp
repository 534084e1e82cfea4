// lot-schedule.xlsx is a living workbook: numeric, named inputs on the Assumptions sheet,
// formulas with cached values on the Lots sheet (recalculated in LibreOffice headless through
// tests/tender/xlsx_recalc.py: equal to the cached values, and a price change moves them),
// defaults labelled as such, print set-up, headers that fit, blank unknown unmet hours.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "lotwright/tender/tender.hpp"
#include "support.hpp"
#include "tender_fixture.hpp"

using namespace lotwright;
namespace fs = std::filesystem;
using Json = nlohmann::json;
using test::run_text;

namespace {

// A part of the workbook (zip member) as text.
std::string part(const fs::path& xlsx, const std::string& name) {
  return run_text("/usr/bin/unzip", {"-p", xlsx.string(), name});
}

// The XML of cell ref ("B2") in a sheet's XML ("" when absent).
std::string cell_xml(const std::string& sheet, const std::string& ref) {
  const auto at = sheet.find("<c r=\"" + ref + "\"");
  if (at == std::string::npos) return "";
  const auto close = sheet.find('>', at);
  if (sheet[close - 1] == '/') return sheet.substr(at, close + 1 - at);
  return sheet.substr(at, sheet.find("</c>", at) + 4 - at);
}

class Xlsx : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fixture_ = new test::TenderFixture();
    dir_ = new test::ScratchDir();
    tender::write_tender_pack(*dir_ / "pack", fixture_->inputs());
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete fixture_;
  }
  static fs::path xlsx() { return *dir_ / "pack" / "lot-schedule.xlsx"; }
  static test::TenderFixture* fixture_;
  static test::ScratchDir* dir_;
};
test::TenderFixture* Xlsx::fixture_ = nullptr;
test::ScratchDir* Xlsx::dir_ = nullptr;

}  // namespace

TEST_F(Xlsx, RecalculatedInLibreOfficeEqualsCachedAndFollowsThePrice) {
  const double new_price = 30;
  const std::string out = run_text(
      "/usr/bin/python3", {(fs::path(test::kSourceDir) / "tests/tender/xlsx_recalc.py").string(),
                           xlsx().string(), (*dir_ / "lo").string(), "30"});
  const Json j = Json::parse(out);
  const auto& formulas = j["formulas"];
  const auto s = tender::build_schedule(fixture_->inputs());
  const int n = static_cast<int>(s.lots.size());
  // Per lot row: I annual, J K values, M N enhancement, P workers, W (worker hours: a value
  // with care rounds), X contract value; totals: SUMs and the rural share's SUMPRODUCT.
  EXPECT_GE(formulas.size(), static_cast<std::size_t>(7 * n + 10)) << formulas.dump();
  for (const auto& [ref, f] : formulas.items()) {
    ASSERT_FALSE(j["recalc"][ref].is_null()) << ref << " =" << f;
    const double cached = j["cached"][ref], recalc = j["recalc"][ref];
    EXPECT_NEAR(recalc, cached, 1e-9 * std::max(1.0, std::abs(cached))) << ref << " =" << f;
  }
  const double price_low = fixture_->tender.price_low;
  for (int i = 0; i < n; ++i) {
    const std::string row = std::to_string(i + 2);
    EXPECT_EQ(formulas["I" + row], "G" + row + "*WeeksPerYear");
    EXPECT_EQ(formulas["J" + row], "I" + row + "*PriceLow+M" + row);
    EXPECT_EQ(formulas["P" + row], "W" + row + "/HoursPerWorker");
    // The schedule's own figures are the cached values.
    EXPECT_NEAR(j["cached"]["J" + row].get<double>(), s.lots[i].value_low, 1e-6);
    EXPECT_NEAR(j["cached"]["P" + row].get<double>(), s.lots[i].workers, 1e-9);
    // Low price 30: the low value (and its enhancement) scale with the price, high stays.
    const double old_j = j["cached"]["J" + row], new_j = j["price"]["J" + row];
    EXPECT_GT(old_j, 0);
    EXPECT_NEAR(new_j, old_j * new_price / price_low, 1e-6 * old_j) << row;
    EXPECT_NEAR(j["price"]["K" + row].get<double>(), j["cached"]["K" + row].get<double>(), 1e-6);
  }
  const std::string tot = std::to_string(n + 2);
  EXPECT_EQ(formulas["J" + tot], "SUM(J2:J" + std::to_string(n + 1) + ")");
  EXPECT_NE(formulas["L" + tot].get<std::string>().find("SUMPRODUCT"), std::string::npos);
  EXPECT_NEAR(j["price"]["J" + tot].get<double>(), s.totals.value_low * new_price / price_low,
              1e-6 * s.totals.value_low);
}

TEST_F(Xlsx, InputsAreNumbersAndDefaultsAreLabelled) {
  const std::string as = part(xlsx(), "xl/worksheets/sheet3.xml");
  const std::string strings = part(xlsx(), "xl/sharedStrings.xml");
  const std::string wb = part(xlsx(), "xl/workbook.xml");
  // B2..B9: numbers (no t="s"), named.
  const std::string b2 = cell_xml(as, "B2");
  EXPECT_EQ(b2.find("t=\"s\""), std::string::npos) << b2;
  EXPECT_NE(b2.find("<v>20.64</v>"), std::string::npos) << b2;
  for (const char* name : {"PriceLow", "PriceHigh", "RuralEnhancement", "HoursPerWorker",
                           "WeeksPerYear", "ContractYears", "ExtensionYears", "VisitMinutes"})
    EXPECT_NE(wb.find("<definedName name=\"" + std::string(name) + "\">Assumptions!$B$"),
              std::string::npos)
        << name;
  // The fixture sets no prices: labelled as the default with its source, not as config.
  EXPECT_NE(strings.find("DEFAULT (not set in [tender] price_low): Worcestershire"),
            std::string::npos);
  EXPECT_EQ(strings.find("<t>[tender] price_low</t>"), std::string::npos);
  EXPECT_NE(strings.find("Volumes are estimates from the demand data, not guaranteed"),
            std::string::npos);
  EXPECT_NE(strings.find("hours-weighted mean"), std::string::npos);

  // Prices given: their source is the config.
  auto in = fixture_->inputs();
  in.tender.price_low = 19.5;
  in.tender.price_low_given = in.tender.price_high_given = true;
  test::ScratchDir tmp;
  tender::write_tender_pack(tmp / "pack", in);
  const fs::path x2 = tmp / "pack" / "lot-schedule.xlsx";
  const std::string s2 = part(x2, "xl/sharedStrings.xml");
  EXPECT_NE(s2.find("<t>[tender] price_low</t>"), std::string::npos);
  EXPECT_EQ(s2.find("DEFAULT (not set"), std::string::npos);
  EXPECT_NE(cell_xml(part(x2, "xl/worksheets/sheet3.xml"), "B2").find("<v>19.5</v>"),
            std::string::npos);
}

TEST_F(Xlsx, PrintSetupAndHeaderHeight) {
  const std::string lots = part(xlsx(), "xl/worksheets/sheet1.xml");
  const std::string wb = part(xlsx(), "xl/workbook.xml");
  EXPECT_NE(lots.find("<pageSetUpPr fitToPage=\"1\"/>"), std::string::npos);
  EXPECT_NE(lots.find("orientation=\"landscape\""), std::string::npos);
  EXPECT_NE(lots.find("fitToHeight=\"0\""), std::string::npos);
  EXPECT_NE(wb.find("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">Lots!$1:$1"),
            std::string::npos)
      << wb;
  // The longest header ("Travel cost per contact hour (call to call)", 12 wide) takes 5
  // lines at 9 characters a line: the row is at least 5 x 13.5 points, not the old 32.
  const auto row1 = lots.find("<row r=\"1\"");
  ASSERT_NE(row1, std::string::npos);
  const auto ht = lots.find("ht=\"", row1);
  ASSERT_NE(ht, std::string::npos);
  EXPECT_GE(std::stod(lots.substr(ht + 4)), 5 * 13.5);
}

TEST_F(Xlsx, UnmetHoursBlankWhenUnknownNumbersWhenKnown) {
  const auto s = tender::build_schedule(fixture_->inputs());
  const std::string lots = part(xlsx(), "xl/worksheets/sheet1.xml");
  // The fixture has unmet hours: numbers in column T.
  EXPECT_NE(cell_xml(lots, "T2").find("<v>"), std::string::npos) << cell_xml(lots, "T2");

  test::TenderFixture f;
  for (auto& h : f.graph.unmet_hours) h = 0;
  test::ScratchDir tmp;
  tender::write_tender_pack(tmp / "pack", f.inputs());
  const fs::path x = tmp / "pack" / "lot-schedule.xlsx";
  const std::string l2 = part(x, "xl/worksheets/sheet1.xml");
  for (std::size_t i = 0; i <= s.lots.size(); ++i) {  // lot rows and the totals
    const std::string c = cell_xml(l2, "T" + std::to_string(i + 2));
    EXPECT_EQ(c.find("<v>"), std::string::npos) << c;
    EXPECT_EQ(c.find("<f>"), std::string::npos) << c;
  }
  EXPECT_NE(part(x, "xl/sharedStrings.xml").find("Unmet weekly hours: not known"),
            std::string::npos);
}
