// Hostile and broken inputs, one case per input file kind x failure kind: each asserts the
// exit code, the message (file, line, field), that the user's files and the previous
// output are untouched (every byte of both folders compared before/after) and that no
// litter is left beside the output. A small study: the bundled sample on its small areas.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <utility>

#include "support.hpp"

namespace lotwright {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Snapshot = std::map<std::string, std::string>;

Snapshot snapshot(const fs::path& dir) {
  Snapshot s;
  for (const auto& f : test::list_files(dir)) s[f] = test::read_text(dir / f);
  return s;
}

// assignment.csv as (postcode, lot) pairs, in file order.
std::vector<std::pair<std::string, int>> assignment(const fs::path& file) {
  std::vector<std::pair<std::string, int>> out;
  std::istringstream in(test::read_text(file));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
    out.emplace_back(line.substr(0, c1), std::stoi(line.substr(c1 + 1, c2 - c1 - 1)));
  }
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

class Adversarial : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("adversarial");
    const fs::path in = *dir_ / "in";
    test::copy_sample(in);
    std::string cfg = test::read_text(in / "county.toml");
    cfg.replace(cfg.find("[demand]"), 0,
                "[units]\npath = \"small_areas.shp\"\nid = \"SA_CODE\"\n\n");
    test::write_text(in / "study.toml", cfg);
    // Case configs live in cases/, pointing at the inputs in in/ by absolute path.
    for (const char* f :
         {"boundary.shp", "postcodes.csv", "demand.csv", "roads.osm.pbf", "small_areas.shp"})
      cfg = replace_all(cfg, std::string("\"") + f + "\"", "\"" + (in / f).string() + "\"");
    base_ = new std::string(cfg);
    fs::create_directories(*dir_ / "cases");
    const auto r =
        test::run_cli({"run", (in / "study.toml").string(), "--out", (*dir_ / "out").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    test::write_text(*dir_ / "out" / "notes.txt", "the commissioner's notes");
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete base_;
  }

  // A config in cases/NAME.toml: the study with `edit` applied to its text.
  static fs::path config(const std::string& name, const std::string& extra,
                         const std::string& from = "", const std::string& to = "") {
    std::string text = from.empty() ? *base_ : replace_all(*base_, from, to);
    const fs::path p = *dir_ / "cases" / (name + ".toml");
    test::write_text(p, text + extra);
    return p;
  }
  static fs::path file(const std::string& name, const std::string& text) {
    const fs::path p = *dir_ / "cases" / name;
    test::write_text(p, text);
    return p;
  }

  // Runs args; expects exit 1 with every one of `expect` in stderr, and nothing changed.
  static void refused(const std::vector<std::string>& args,
                      const std::vector<std::string>& expect) {
    const Snapshot in = snapshot(*dir_ / "in"), out = snapshot(*dir_ / "out");
    const auto r = test::run_cli(args);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    for (const auto& e : expect) EXPECT_THAT(r.err, HasSubstr(e));
    EXPECT_TRUE(snapshot(*dir_ / "in") == in) << "an input changed";
    EXPECT_TRUE(snapshot(*dir_ / "out") == out) << "the previous output changed";
    for (const auto& e : fs::directory_iterator(dir_->path()))
      EXPECT_EQ(e.path().filename().string().find(".lotwright-"), std::string::npos)
          << "litter: " << e.path();
  }
  static std::vector<std::string> run(const fs::path& cfg) {
    return {"run", cfg.string(), "--out", (*dir_ / "out").string()};
  }

  static test::ScratchDir* dir_;
  static std::string* base_;
};
test::ScratchDir* Adversarial::dir_ = nullptr;
std::string* Adversarial::base_ = nullptr;

// --- the config ---
TEST_F(Adversarial, ConfigSyntaxError) {
  refused(run(config("syntax", "[tender\nbuyer = 1\n")), {"syntax.toml:"});
}
TEST_F(Adversarial, ConfigControlCharacterInText) {
  refused(run(config("ctrl", "[tender]\nbuyer = \"Wessex\\u0007 Council\"\n")),
          {"ctrl.toml:", "key \"tender.buyer\": contains a control character (0x07"});
}
TEST_F(Adversarial, ConfigYearsThatWouldOverflow) {
  refused(run(config("years", "[tender]\ncontract_years = 2147483648\n")),
          {"years.toml:", "key \"tender.contract_years\": expected an integer >= 1 and <= 25"});
}
TEST_F(Adversarial, ConfigPriceBeyondBound) {
  refused(run(config("price", "[tender]\nprice_high = 1e308\n")),
          {"price.toml:", "key \"tender.price_high\": expected a number >= 0 and <= 1000"});
}
TEST_F(Adversarial, ConfigRolesForATierThatDoesNotExist) {
  refused(run(config("roles",
                     "[[tender.roles]]\ntier = \"Urban\"\n"
                     "roles = [{ name = \"Lead\", share = 1.0 }]\n")),
          {"roles.toml:", "key \"tender.roles.tier\": no tier \"Urban\""});
}
// An invalid [tender] start_date is refused before the design, so the previous plan stays
// (it used to be reported only after the plan was rewritten).
TEST_F(Adversarial, ConfigInvalidStartDate) {
  refused(run(config("start-date", "[tender]\nstart_date = \"2027-13-01\"\n")),
          {"start-date.toml", "start_date \"2027-13-01\""});
}
TEST_F(Adversarial, ConfigMissingInputFile) {
  refused(run(config("missing", "", "demand.csv", "no-such-demand.csv")), {"no-such-demand.csv"});
}

// --- the demand CSV ---
TEST_F(Adversarial, DemandHoursBeyondBound) {
  const fs::path d = file("demand-huge.csv",
                          "postcode,hours_per_week,customers,unmet_hours\n"
                          "ZX1 1AR,7,1,0\nZX1 1AX,1e300,1,0\n");
  refused(run(config("demand-huge", "", (*dir_ / "in" / "demand.csv").string(), d.string())),
          {"demand-huge.csv:3: column \"hours_per_week\": \"1e300\" is beyond the sane bound"});
}
TEST_F(Adversarial, DemandCustomersBeyondBound) {
  const fs::path d = file("demand-cust.csv",
                          "postcode,hours_per_week,customers,unmet_hours\n"
                          "ZX1 1AR,7,1e300,0\n");
  refused(run(config("demand-cust", "", (*dir_ / "in" / "demand.csv").string(), d.string())),
          {"demand-cust.csv:2: column \"customers\": \"1e300\" is beyond the sane bound"});
}
TEST_F(Adversarial, DemandHoursNotANumber) {
  const fs::path d = file("demand-text.csv",
                          "postcode,hours_per_week,customers,unmet_hours\n"
                          "ZX1 1AR,seven,1,0\n");
  refused(run(config("demand-text", "", (*dir_ / "in" / "demand.csv").string(), d.string())),
          {"demand-text.csv:2: column \"hours_per_week\": \"seven\" must be a number"});
}
TEST_F(Adversarial, DemandNegativeHours) {
  const fs::path d = file("demand-neg.csv",
                          "postcode,hours_per_week,customers,unmet_hours\n"
                          "ZX1 1AR,7,1,0\nZX1 1AX,-3,1,0\n");
  refused(run(config("demand-neg", "", (*dir_ / "in" / "demand.csv").string(), d.string())),
          {"demand-neg.csv:3: column \"hours_per_week\": \"-3\" must be a number >= 0"});
}
TEST_F(Adversarial, DemandMissingColumn) {
  const fs::path d = file("demand-col.csv", "postcode,hours\nZX1 1AR,7\n");
  refused(run(config("demand-col", "", (*dir_ / "in" / "demand.csv").string(), d.string())),
          {"demand-col.csv:1: column \"hours_per_week\" not found"});
}

// --- the roads ---
TEST_F(Adversarial, RoadsOfAnotherCounty) {
  const fs::path rutland = test::rutland_dir() / "osm" / "rutland-latest-2018-02-27.osm.pbf";
  refused(
      run(config("wrong-roads", "", (*dir_ / "in" / "roads.osm.pbf").string(), rutland.string())),
      {"rutland-latest-2018-02-27.osm.pbf: the OSM extract covers only 0% of the postcodes",
       "is it the right county?"});
}

// --- the postcodes CSV ---
TEST_F(Adversarial, PostcodeEastingNotANumber) {
  std::string pc = test::read_text(*dir_ / "in" / "postcodes.csv");
  const std::size_t row2 = pc.find('\n') + 1;
  const std::size_t comma = pc.find(',', row2);
  pc.replace(comma + 1, pc.find(',', comma + 1) - comma - 1, "east");
  const fs::path p = file("postcodes-bad.csv", pc);
  refused(run(config("postcodes-bad", "", (*dir_ / "in" / "postcodes.csv").string(), p.string())),
          {"postcodes-bad.csv:2: column \"easting\": \"east\" must be a number"});
}

// --- the locked CSV ---
// (A lot given as a name, "north", is a documented feature of locked files: named lots
// are numbered after the numbered ones; not refused.)
TEST_F(Adversarial, LockedLotNotAWholeNumber) {
  const fs::path l = file("locked-frac.csv", "postcode,lot\nZ01000001,1.5\n");
  refused(run(config("locked-frac", "", "seed = 1", "seed = 1\nlocked = \"" + l.string() + "\"")),
          {"locked-frac.csv:2: column \"lot\": \"1.5\" must be a lot number from 1"});
}
TEST_F(Adversarial, LockedConflictingRows) {
  const fs::path l = file("locked-conflict.csv", "postcode,lot\nZ01000001,1\nZ01000001,2\n");
  refused(
      run(config("locked-conflict", "", "seed = 1", "seed = 1\nlocked = \"" + l.string() + "\"")),
      {"locked-conflict.csv:3: column \"lot\": postcode Z01000001 is in lot \"2\" here but in lot "
       "\"1\" on line 2"});
}
TEST_F(Adversarial, LockedLotNumberThatWouldOverflow) {
  const fs::path l = file("locked-big.csv", "postcode,lot\nZ01000001,2147483648\n");
  refused(run(config("locked-big", "", "seed = 1", "seed = 1\nlocked = \"" + l.string() + "\"")),
          {"locked-big.csv:2: column \"lot\": \"2147483648\" must be a lot number from 1"});
}

TEST_F(Adversarial, LockedLotGivenAsText) {
  const fs::path l = file("locked-text.csv", "postcode,lot\nZ01000001,1\nZ01000002,north\n");
  refused(run(config("locked-text", "", "seed = 1", "seed = 1\nlocked = \"" + l.string() + "\"")),
          {"locked-text.csv:3: column \"lot\": \"north\" must be a lot number from 1"});
}
// Areas 32 km apart (69 min by road) locked into one lot under a 30-minute travel limit the
// study meets without the lock: no hub can serve them both. Refused before the design, naming
// the locked file, the line and both areas (it used to be an infeasible plan written with the
// designer's "travel limit cannot be met", without a word about the lock).
TEST_F(Adversarial, LockedPostcodesNoHubCanServeTogether) {
  const fs::path l =
      file("locked-far.csv", "postcode,lot\nZ01000039,1\nZ01000001,1\nZ01000070,1\n");
  refused(run(config("locked-far", "", "max_travel_minutes = 55\nseed = 1",
                     "max_travel_minutes = 30\nseed = 1\nlocked = \"" + l.string() + "\"")),
          {"locked-far.csv:4: column \"lot\": postcode Z01000070 is locked in lot 1 with postcode "
           "Z01000001 (line 3), but no postcode lies within the travel limit of 30.0 min of both "
           "(Z01000001 to Z01000070: ",
           " min by road), so no hub can serve the lot", "raise max_travel_minutes"});
}
// Every unit locked into lot 1 of 4: the other three lots could hold nothing. A clear message
// (it used to be "RoadTravel::tree: site -1 out of range").
TEST_F(Adversarial, EveryPostcodeLockedIntoOneLot) {
  std::string text = "postcode,lot\n";
  for (const auto& [postcode, lot] : assignment(*dir_ / "out" / "assignment.csv"))
    text += postcode + ",1\n";
  const fs::path l = file("locked-all.csv", text);
  refused(run(config("locked-all", "", "seed = 1", "seed = 1\nlocked = \"" + l.string() + "\"")),
          {"the locked postcodes leave 0 postcodes of ",
           "but 3 lots there (2, 3, 4) have no "
           "locked postcode",
           "ask for 1 lot"});
}
// keep_from that partly conflicts with locked (and names a lot the design does not have) is
// kept as far as possible; each conflict is reported with both files' lines.
TEST_F(Adversarial, KeepFromWithAPartialConflictIsHonouredAndReported) {
  const auto rows = assignment(*dir_ / "out" / "assignment.csv");
  ASSERT_GE(rows.size(), 3u);
  const std::string a = rows[0].first, b = rows[1].first;
  const int lot_a = rows[0].second;
  const fs::path keep =
      file("keep.csv", "postcode,lot\n" + a + "," + std::to_string(lot_a) + "\n" + b + ",9\n");
  const fs::path lock =
      file("keep-locked.csv", "postcode,lot\n" + a + "," + std::to_string(lot_a % 4 + 1) + "\n");
  const fs::path cfg =
      config("keep-conflict", "", "seed = 1",
             "seed = 1\nlocked = \"" + lock.string() + "\"\nkeep_from = \"" + keep.string() + "\"");
  const auto r =
      test::run_cli({"design", cfg.string(), "--out", (*dir_ / "cases" / "keep-out").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("keep.csv:2: postcode " + a + ": keep_from puts it in lot " +
                               std::to_string(lot_a) + ", but "));
  EXPECT_THAT(r.err, HasSubstr("keep-locked.csv:2: locks it in lot " +
                               std::to_string(lot_a % 4 + 1) + "; the lock counts"));
  EXPECT_THAT(r.err, HasSubstr("keep.csv:3: postcode " + b +
                               ": keep_from puts it in lot 9, but the design has 4 lots"));
  // The lock counts in the plan written.
  for (const auto& [postcode, lot] : assignment(*dir_ / "cases" / "keep-out" / "assignment.csv"))
    if (postcode == a) {
      EXPECT_EQ(lot, lot_a % 4 + 1);
    }
}

// --- the plan CSV (tender) ---
TEST_F(Adversarial, TenderPlanMissing) {
  refused({"tender", (*dir_ / "in" / "study.toml").string(), "--plan",
           (*dir_ / "cases" / "no-plan.csv").string(), "--out", (*dir_ / "out").string()},
          {"no-plan.csv"});
}

// --- the route pairs ---
// A point far from every road gets no invented time: its row is left empty, with a warning.
TEST_F(Adversarial, RouteToAPointFarFromEveryRoad) {
  const fs::path pairs = file("pairs.csv",
                              "from_lon,from_lat,to_lon,to_lat\n"
                              "-1.75,51.95,-1.80,51.93\n"
                              "-1.75,51.95,-1.70,51.00\n");
  const Snapshot in = snapshot(*dir_ / "in");
  const auto r = test::run_cli({"route", config("route", "").string(), "--pairs", pairs.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 of 2 pairs has no road route"));
  EXPECT_THAT(r.out, HasSubstr("\n-1.75,51.95,-1.70,51.00,,\n"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("\n-1.75,51.95,-1.80,51.93,[0-9]+\\.[0-9]+,"));
  EXPECT_TRUE(snapshot(*dir_ / "in") == in);
}

// --- the output folder ---
TEST_F(Adversarial, OutputIsTheInputFolder) {
  refused({"run", (*dir_ / "in" / "study.toml").string(), "--out", (*dir_ / "in").string()},
          {"in: the folder is not empty and was not written by lotwright"});
  refused({"tender", (*dir_ / "in" / "study.toml").string(), "--plan",
           (*dir_ / "out" / "assignment.csv").string(), "--out", (*dir_ / "in").string()},
          {"not written by lotwright"});
}
TEST_F(Adversarial, TenderIntoAPlanFolderWritesTenderAndKeepsThePlan) {
  const fs::path out = *dir_ / "out";
  const Snapshot before = snapshot(out);
  const auto r = test::run_cli({"tender", (*dir_ / "in" / "study.toml").string(), "--plan",
                                (out / "assignment.csv").string(), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("files in " + (out / "tender").string()));
  const Snapshot after = snapshot(out);
  // The plan files and the notes: the same bytes; the pack: the same files, rewritten.
  // (Its zone names may differ from run's: tender names lots from the plan CSV.)
  for (const auto& [f, bytes] : before) {
    if (f.rfind("tender/", 0) != 0) {
      EXPECT_TRUE(after.count(f) && after.at(f) == bytes) << f;
    } else {
      EXPECT_TRUE(after.count(f)) << f;
    }
  }
  EXPECT_EQ(after.size(), before.size());
}
TEST_F(Adversarial, OutputIsAFile) {
  refused({"run", (*dir_ / "in" / "study.toml").string(), "--out",
           (*dir_ / "in" / "demand.csv").string()},
          {"demand.csv: exists and is not a folder"});
}
TEST_F(Adversarial, OutputIsATenderPackWhenARunWantsAPlanFolder) {
  refused(
      {"run", (*dir_ / "in" / "study.toml").string(), "--out", (*dir_ / "out" / "tender").string()},
      {"is a lotwright tender folder, not a plan folder"});
}

}  // namespace
}  // namespace lotwright
