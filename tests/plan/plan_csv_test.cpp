// The one `postcode,lot` reader: the same rules for foreign plans (lenient) and locked.csv
// (strict): blank or 0 lot, duplicate rows, unknown postcodes, lot numbering.
#include "lotwright/plan/plan_csv.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "lotwright/core/error.hpp"
#include "support.hpp"
#include "synthetic_graphs.hpp"

using namespace lotwright;
using ::testing::HasSubstr;

namespace {

using Numbering = geo::PlanCsvOptions::Numbering;

// What `evaluate --plan` / `--baseline` / `tender --plan` read with.
geo::PlanCsvOptions foreign() { return {}; }
// What `[design] keep_from` reads with.
geo::PlanCsvOptions keep_from() {
  geo::PlanCsvOptions o;
  o.numbering = Numbering::kAsWritten;
  return o;
}
// What `[design] locked` reads with.
geo::PlanCsvOptions locked() {
  geo::PlanCsvOptions o = keep_from();
  o.strict = true;
  return o;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

// The DataError message of a strict read, or "" when it does not throw.
std::string strict_error(const std::filesystem::path& file, const geo::UnitGraph& g) {
  try {
    geo::read_plan_csv(file, g, locked(), nullptr);
  } catch (const geo::DataError& e) {
    return e.what();
  }
  return "";
}

class PlanCsv : public ::testing::Test {
 protected:
  geo::UnitGraph g = test::grid_graph(4, 1, [](int, int) { return 1.0; });
  test::ScratchDir dir;
  std::filesystem::path write(const std::string& body) {
    const auto file = dir / "p.csv";
    test::write_text(file, "postcode,lot\n" + body);
    return file;
  }
};

}  // namespace

TEST_F(PlanCsv, ZeroOrBlankLotIsUnassignedInAPlan) {
  const auto file = write(g.id[0] + ",1\n" + g.id[1] + ",0\n" + g.id[2] + ",\n" + g.id[3] + ",2\n");
  for (const auto& o : {foreign(), keep_from()}) {
    std::vector<std::string> problems;
    const auto p = geo::read_plan_csv(file, g, o, &problems);
    EXPECT_EQ(p.lot_of, (std::vector<int>{0, geo::kNoLot, geo::kNoLot, 1}));
    EXPECT_EQ(p.lot_count, 2);
    EXPECT_THAT(joined(problems), HasSubstr("2 rows have no lot (blank or 0)"));
    EXPECT_THAT(joined(problems), HasSubstr("2 postcodes of the study are in no lot of p.csv"));
  }
}

TEST_F(PlanCsv, ZeroOrBlankLotIsAnErrorInLockedNamingFileLineColumn) {
  EXPECT_THAT(strict_error(write(g.id[0] + ",1\n" + g.id[1] + ",0\n"), g),
              HasSubstr("p.csv:3: column \"lot\": \"0\" gives postcode " + g.id[1] + " no lot"));
  EXPECT_THAT(strict_error(write(g.id[0] + ",\n"), g),
              HasSubstr("p.csv:2: column \"lot\": \"\" gives postcode " + g.id[0] + " no lot"));
}

TEST_F(PlanCsv, DuplicateWithTheSameLotIsHarmless) {
  const auto file = write(g.id[0] + ",1\n" + g.id[0] + ",1\n");
  std::vector<std::string> problems;
  EXPECT_EQ(geo::read_plan_csv(file, g, foreign(), &problems).lot_of[0], 0);
  EXPECT_THAT(joined(problems), HasSubstr("1 duplicate row (same postcode and lot) ignored"));
  EXPECT_EQ(strict_error(file, g), "");
  EXPECT_EQ(geo::read_plan_csv(file, g, locked(), nullptr).lot_of[0], 0);
}

TEST_F(PlanCsv, ConflictingDuplicateKeepsTheFirstRowAndIsReported) {
  // Lot 2 first, then 1: the first row counts in every lenient read (keep_from used to keep
  // the last row, evaluate the first).
  const auto file = write(g.id[0] + ",2\n" + g.id[1] + ",1\n" + g.id[0] + ",1\n");
  for (const auto& o : {foreign(), keep_from()}) {
    std::vector<std::string> problems;
    const auto p = geo::read_plan_csv(file, g, o, &problems);
    EXPECT_EQ(p.lot_of[0], 1);
    EXPECT_EQ(p.lot_of[1], 0);
    EXPECT_THAT(joined(problems), HasSubstr("p.csv:4: postcode " + g.id[0] +
                                            " is in lot \"1\" here but in lot \"2\" on line 2;"
                                            " the first row counts"));
    EXPECT_THAT(joined(problems), ::testing::Not(HasSubstr("duplicate row")));
  }
}

TEST_F(PlanCsv, ConflictingDuplicateIsAnErrorInLocked) {
  const auto file = write(g.id[0] + ",2\n" + g.id[1] + ",1\n" + g.id[0] + ",1\n");
  EXPECT_THAT(strict_error(file, g), HasSubstr("p.csv:4: column \"lot\": postcode " + g.id[0] +
                                               " is in lot \"1\" here but in lot \"2\" on line 2"));
}

TEST_F(PlanCsv, UnknownPostcodeIsReportedOrAnError) {
  const auto file = write(g.id[0] + ",1\nZZ99 9ZZ,1\n");
  std::vector<std::string> problems;
  const auto p = geo::read_plan_csv(file, g, keep_from(), &problems);
  EXPECT_EQ(p.lot_of[0], 0);
  EXPECT_THAT(joined(problems),
              HasSubstr("1 row names a postcode that is not a unit of this study (" +
                        (dir / "p.csv").string() + ":3: \"ZZ99 9ZZ\"); it is ignored"));
  EXPECT_THAT(
      strict_error(file, g),
      HasSubstr("p.csv:3: column \"postcode\": \"ZZ99 9ZZ\" is not a postcode of this study"));
}

TEST_F(PlanCsv, LooseCellsAndOtherColumnNames) {
  // Header spelled differently, cells padded, postcode written without its space.
  std::string pc = g.id[2];
  pc.erase(std::remove(pc.begin(), pc.end(), ' '), pc.end());
  test::write_text(dir / "q.csv", "PCDS,Zone\n  " + pc + " , 3 \n");
  const auto p = geo::read_plan_csv(dir / "q.csv", g, locked(), nullptr);
  EXPECT_EQ(p.lot_of[2], 2);
}

TEST_F(PlanCsv, NumberingCompactForPlansAsWrittenForDesign) {
  const auto file = write(g.id[0] + ",10\n" + g.id[1] + ",2\n" + g.id[2] + ",East\n");
  const auto compact = geo::read_plan_csv(file, g, foreign(), nullptr);
  EXPECT_EQ(compact.lot_of, (std::vector<int>{1, 0, 2, geo::kNoLot}));
  EXPECT_EQ(compact.lot_count, 3);
  EXPECT_EQ(compact.name, (std::vector<std::string>{"", "", "East"}));
  // keep_from: lot 10 is lot 10; names after the highest number.
  const auto written = geo::read_plan_csv(file, g, keep_from(), nullptr);
  EXPECT_EQ(written.lot_of, (std::vector<int>{9, 1, 10, geo::kNoLot}));
  EXPECT_EQ(written.lot_count, 11);
  EXPECT_EQ(written.name[10], "East");
  // locked: a locked lot keeps its number, so a name is an error naming file, line, column.
  EXPECT_THAT(strict_error(file, g),
              HasSubstr("p.csv:4: column \"lot\": \"East\" must be a lot number from 1 (a "
                        "locked lot keeps its number)"));
}

TEST_F(PlanCsv, LotNumbersAsWrittenMustBeWholeFromOne) {
  const auto file = write(g.id[0] + ",1.5\n" + g.id[1] + ",-2\n" + g.id[2] + ",1\n");
  EXPECT_THAT(strict_error(file, g),
              HasSubstr("p.csv:2: column \"lot\": \"1.5\" must be a lot number from 1"));
  std::vector<std::string> problems;
  const auto p = geo::read_plan_csv(file, g, keep_from(), &problems);
  EXPECT_EQ(p.lot_of, (std::vector<int>{geo::kNoLot, geo::kNoLot, 0, geo::kNoLot}));
  EXPECT_THAT(joined(problems), HasSubstr("2 rows have a lot that is not a whole number from 1"));
  // A foreign plan may label lots with any numbers: they are only labels there.
  EXPECT_EQ(geo::read_plan_csv(file, g, foreign(), nullptr).lot_count, 3);
}

// The same file read the way `evaluate --plan` reads it and the way `[design] locked` does:
// the same lot for every postcode (they used to differ on duplicates and on "0").
TEST_F(PlanCsv, EvaluateAndLockedReadTheSameFileAlike) {
  const auto file = write(g.id[3] + ",2\n" + g.id[0] + ",1\n" + g.id[3] + ",2\n" + g.id[1] +
                          ",3\n" + g.id[2] + ",1\n");
  std::vector<std::string> problems;
  const auto evaluated = geo::read_plan_csv(file, g, &problems);  // evaluate, tender, baseline
  const auto locked_plan = geo::read_plan_csv(file, g, locked(), nullptr);
  EXPECT_EQ(evaluated.lot_of, locked_plan.lot_of);
  EXPECT_EQ(evaluated.lot_of, (std::vector<int>{0, 2, 0, 1}));
  EXPECT_EQ(evaluated.name, locked_plan.name);
  // And a file with a conflict: evaluate keeps the first row and says so; locked refuses it.
  const auto bad = write(g.id[0] + ",1\n" + g.id[0] + ",2\n");
  problems.clear();
  EXPECT_EQ(geo::read_plan_csv(bad, g, &problems).lot_of[0], 0);
  EXPECT_THAT(joined(problems), HasSubstr("the first row counts"));
  EXPECT_THAT(strict_error(bad, g), HasSubstr("p.csv:3: column \"lot\""));
}

TEST_F(PlanCsv, MissingColumnIsAnErrorInBothModes) {
  test::write_text(dir / "r.csv", "code,lot\nX,1\n");
  for (const auto& o : {foreign(), locked()}) try {
      geo::read_plan_csv(dir / "r.csv", g, o, nullptr);
      ADD_FAILURE() << "no error";
    } catch (const geo::DataError& e) {
      EXPECT_THAT(e.what(), HasSubstr("r.csv:1: column \"postcode\" not found"));
    }
}

// keep_from is honoured as far as possible: a postcode locked to another lot, or kept in a
// lot the design does not have, is taken out and reported with both files' lines.
TEST_F(PlanCsv, KeepFromConflictsWithLockedAreReportedNotRefused) {
  const auto keep_file = dir / "keep.csv";
  test::write_text(keep_file, "postcode,lot\n" + g.id[0] + ",1\n" + g.id[1] + ",2\n" + g.id[2] +
                                  ",5\n" + g.id[3] + ",2\n");
  const auto lock_file = dir / "locked.csv";
  test::write_text(lock_file, "postcode,lot\n" + g.id[3] + ",2\n" + g.id[1] + ",1\n");
  auto keep = geo::read_plan_csv_lines(keep_file, g, keep_from(), nullptr);
  const auto lock = geo::read_plan_csv_lines(lock_file, g, locked(), nullptr);
  EXPECT_EQ(keep.line, (std::vector<long>{2, 3, 4, 5}));
  EXPECT_EQ(lock.line, (std::vector<long>{0, 3, 0, 2}));
  const auto msgs = geo::reconcile_keep_from(keep_file, keep, g, lock_file, &lock, 3);
  ASSERT_EQ(msgs.size(), 3u) << joined(msgs);
  EXPECT_THAT(msgs[0],
              HasSubstr("keep.csv:3: postcode " + g.id[1] + ": keep_from puts it in lot 2, but "));
  EXPECT_THAT(msgs[0], HasSubstr("locked.csv:3: locks it in lot 1; the lock counts"));
  EXPECT_THAT(msgs[1], HasSubstr("keep.csv:4: postcode " + g.id[2] +
                                 ": keep_from puts it in lot 5, but the design has 3 lots"));
  EXPECT_THAT(msgs[2], HasSubstr("2 postcodes could not be kept"));
  // The rest is kept: lot 1, and lot 2 where the lock agrees.
  EXPECT_EQ(keep.plan.lot_of, (std::vector<int>{0, geo::kNoLot, geo::kNoLot, 1}));
  // Nothing to report: nothing changes.
  auto again = geo::read_plan_csv_lines(keep_file, g, keep_from(), nullptr);
  EXPECT_TRUE(geo::reconcile_keep_from(keep_file, again, g, "", nullptr, 0).empty());
  EXPECT_EQ(again.plan.lot_of, (std::vector<int>{0, 1, 4, 1}));
}
