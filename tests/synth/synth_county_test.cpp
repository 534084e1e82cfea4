// synth-county: deterministic, plausible, and the committed shapefiles/ sample is exactly
// what the documented command makes.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "lotwright/study/config.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/study/roads.hpp"
#include "lotwright/synth/synth.hpp"
#include "support.hpp"

namespace lotwright::test {
namespace {

using geo::SynthCountyOptions;

// The files synth-county writes (the folder may also hold a road cache from a run).
const std::vector<std::string> kFiles = {
    "README.md",         "boundary.cpg",    "boundary.dbf",      "boundary.prj",
    "boundary.shp",      "boundary.shx",    "county.toml",       "demand.csv",
    "postcodes.csv",     "roads.osm.pbf",   "small_areas.cpg",   "small_areas.dbf",
    "small_areas.prj",   "small_areas.shp", "small_areas.shx"};

std::vector<std::string> csv_column(const fs::path& file, std::size_t col) {
  std::istringstream in(read_text(file));
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string> out;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    out.push_back(col < cells.size() ? cells[col] : "");
  }
  return out;
}

// "ZX" + district 1..99 + " " + sector digit + two unit letters (no C I K M O V).
bool uk_format(const std::string& c) {
  const std::string letters = "ABDEFGHJLNPQRSTUWXYZ";
  const auto space = c.find(' ');
  if (c.rfind("ZX", 0) != 0 || space == std::string::npos || c.size() != space + 4) return false;
  const std::string district = c.substr(2, space - 2);
  if (district.empty() || district.size() > 2 || district[0] == '0') return false;
  for (char d : district)
    if (d < '0' || d > '9') return false;
  return c[space + 1] >= '0' && c[space + 1] <= '9' &&
         letters.find(c[space + 2]) != std::string::npos &&
         letters.find(c[space + 3]) != std::string::npos;
}

// One small county made once for the plausibility tests.
class SynthCounty : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("synth-county");
    SynthCountyOptions o;
    o.postcodes = 1500;
    o.seed = 7;
    summary_ = geo::synth_county(dir_->path() / "c", o);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path dir() { return dir_->path() / "c"; }
  static ScratchDir* dir_;
  static geo::SynthCountySummary summary_;
};
ScratchDir* SynthCounty::dir_ = nullptr;
geo::SynthCountySummary SynthCounty::summary_;

TEST_F(SynthCounty, WritesEveryFileAndASummary) {
  EXPECT_EQ(list_files(dir()), kFiles);
  EXPECT_EQ(summary_.postcodes, 1500);
  EXPECT_GT(summary_.settlements, 10);
  // ~5 km2 per 25 postcodes at this size (600 km2 for 3,000).
  EXPECT_GT(summary_.area_km2, 200);
  EXPECT_LT(summary_.area_km2, 500);
}

TEST_F(SynthCounty, PostcodesAreUniqueUkFormattedAndAsMany) {
  const auto codes = csv_column(dir() / "postcodes.csv", 0);
  ASSERT_EQ(codes.size(), 1500u);
  std::set<std::string> unique(codes.begin(), codes.end());
  EXPECT_EQ(unique.size(), codes.size());
  // Outward AA9/AA99 of a made-up area; inward 9AA with the unit letters Royal Mail uses.
  for (const auto& c : codes) {
    EXPECT_TRUE(uk_format(c)) << c;
    EXPECT_EQ(geo::normalise_postcode(c), c);
  }
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
}

TEST_F(SynthCounty, LoadsThroughTheConfigAllInsideWithRuralClassAndPopulation) {
  const geo::Config cfg = geo::load_config(dir() / "county.toml");
  EXPECT_EQ(cfg.area.name, "Wessex Vale");
  ASSERT_TRUE(cfg.design.lots.has_value());
  EXPECT_GE(*cfg.design.lots, 2);
  EXPECT_DOUBLE_EQ(cfg.design.tolerance, 0.05);
  const geo::County county = geo::load_county(cfg);
  EXPECT_EQ(county.postcodes_read, 1500);
  EXPECT_EQ(county.postcodes_inside, 1500);
  EXPECT_TRUE(county.has_rural);
  EXPECT_EQ(county.rural_matched, 1500);
  const std::set<std::string> ruc = {"B1", "C1", "C2", "D1", "D2", "E1", "E2"};
  std::map<std::string, int> classes;
  double population = 0;
  for (const auto& p : county.postcodes) {
    EXPECT_TRUE(ruc.count(p.rural)) << p.id << " " << p.rural;
    ++classes[p.rural];
    population += p.population;
  }
  EXPECT_GE(classes.size(), 2u) << "urban and rural classes expected";
  EXPECT_GT(population, 1500 * 3.0);  // residents aged 65+ spread over postcodes
  // Hours: ~1.1 h/week a postcode, every row matched, lots of 1,000-2,000 hours.
  ASSERT_TRUE(county.has_demand);
  EXPECT_EQ(county.demand.unmatched_rows, 0);
  EXPECT_NEAR(county.demand.total_hours, 1.1 * 1500, 0.25 * 1.1 * 1500);
  EXPECT_GT(county.demand.unmet_hours, 0);
  const double per_lot = county.demand.total_hours / *cfg.design.lots;
  EXPECT_GT(per_lot, 700);
  EXPECT_LT(per_lot, 2000);
  EXPECT_NEAR(county.boundary_area_km2, summary_.area_km2, 0.5);
}

TEST_F(SynthCounty, PostcodesClusterInSettlements) {
  const auto xs = csv_column(dir() / "postcodes.csv", 1);
  const auto ys = csv_column(dir() / "postcodes.csv", 2);
  std::map<std::pair<long, long>, int> cells;  // 1 km squares
  for (std::size_t i = 0; i < xs.size(); ++i)
    ++cells[{std::stol(xs[i]) / 1000, std::stol(ys[i]) / 1000}];
  int most = 0;
  for (const auto& [k, v] : cells) most = std::max(most, v);
  const double mean = 1500.0 / summary_.area_km2;  // postcodes per km2 over the county
  EXPECT_GT(most, 20 * mean) << "towns should be far denser than the countryside";
  // Half the postcodes sit in a few town squares; the rest spread thinly.
  std::vector<int> counts;
  for (const auto& [k, v] : cells) counts.push_back(v);
  std::sort(counts.rbegin(), counts.rend());
  int held = 0;
  std::size_t squares = 0;
  while (held < 750) held += counts[squares++];
  EXPECT_LT(static_cast<double>(squares), 0.05 * summary_.area_km2);
}

TEST_F(SynthCounty, RoadGraphIsConnectedAndReachesEverySettlementAndPostcode) {
  const geo::Config cfg = geo::load_config(dir() / "county.toml");
  const geo::RoadNetwork net =
      geo::build_road_network(cfg.roads.osm, geo::make_profile(cfg.roads));
  const auto& g = net.graph;
  EXPECT_EQ(g.node_count(), static_cast<std::size_t>(summary_.road_nodes));
  EXPECT_EQ(g.component_count, 1u) << "every road joins the rest";
  // Places: one per settlement, every kind present, each on (a few metres from) a road.
  ASSERT_EQ(net.places.size(), static_cast<std::size_t>(summary_.settlements));
  std::set<std::string> kinds;
  for (const auto& p : net.places) kinds.insert(p.kind);
  EXPECT_EQ(kinds, (std::set<std::string>{"hamlet", "town", "village"}));
  auto nearest = [&](geo::Point q) {
    double best = 1e18;
    for (const auto& n : g.nodes) best = std::min(best, std::hypot(n.x - q.x, n.y - q.y));
    return best;
  };
  for (const auto& p : net.places) EXPECT_LT(nearest(p.site), 10) << p.name;
  const auto xs = csv_column(dir() / "postcodes.csv", 1);
  const auto ys = csv_column(dir() / "postcodes.csv", 2);
  for (std::size_t i = 0; i < xs.size(); i += 7)
    EXPECT_LT(nearest({std::stod(xs[i]), std::stod(ys[i])}), 400) << "postcode row " << i;
  std::set<std::string> highways;
  for (const auto& r : net.main_roads) highways.insert(r.highway);
  EXPECT_TRUE(highways.count("primary"));
  EXPECT_TRUE(highways.count("tertiary"));
}

TEST_F(SynthCounty, SynthDemandRunsOnIt) {
  const auto r = run_cli({"synth-demand", (dir() / "county.toml").string(), "--out",
                          (dir_->path() / "demand2.csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto codes = csv_column(dir_->path() / "demand2.csv", 0);
  EXPECT_GT(codes.size(), 50u);
  const auto all = csv_column(dir() / "postcodes.csv", 0);
  const std::set<std::string> known(all.begin(), all.end());
  for (const auto& c : codes) EXPECT_TRUE(known.count(c)) << c;
}

TEST(SynthCountyDeterminism, SameSeedSameBytesOtherSeedOtherCounty) {
  ScratchDir d("synth-det");
  SynthCountyOptions o;
  o.postcodes = 800;
  o.seed = 3;
  geo::synth_county(d / "a", o);
  geo::synth_county(d / "b", o);
  o.seed = 4;
  geo::synth_county(d / "c", o);
  ASSERT_EQ(list_files(d / "a"), kFiles);
  ASSERT_EQ(list_files(d / "b"), kFiles);
  for (const auto& f : kFiles) EXPECT_EQ(read_text(d / "a" / f), read_text(d / "b" / f)) << f;
  EXPECT_NE(read_text(d / "a" / "postcodes.csv"), read_text(d / "c" / "postcodes.csv"));
  EXPECT_NE(read_text(d / "a" / "roads.osm.pbf"), read_text(d / "c" / "roads.osm.pbf"));
}

TEST(SynthCountyScale, DevonSizedCountyHasAHalfMillionNodeRoadGraphAndDevonHours) {
  ScratchDir d("synth-devon");
  SynthCountyOptions o;
  o.postcodes = 40000;
  const auto s = geo::synth_county(d / "devon", o);
  EXPECT_EQ(s.postcodes, 40000);
  EXPECT_GE(s.road_nodes, 500000);
  EXPECT_GT(s.area_km2, 4500);
  EXPECT_LT(s.area_km2, 8000);
  double hours = 0;
  for (const auto& h : csv_column(d / "devon" / "demand.csv", 1)) hours += std::stod(h);
  EXPECT_NEAR(hours, 45000, 6000);
}

TEST(SynthCountyCli, BadUsageExitsTwoAndWritesNothing) {
  ScratchDir d("synth-cli");
  auto r = run_cli({"synth-county", "--out", (d / "x").string(), "--postcodes", "10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--postcodes"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(d / "x"));
  r = run_cli({"synth-county", "--postcodes", "500"});
  EXPECT_EQ(r.exit_code, 2);
  // A folder with someone else's files is never replaced.
  write_text(d / "mine" / "notes.txt", "keep me");
  r = run_cli({"synth-county", "--out", (d / "mine").string(), "--postcodes", "500"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("refusing"), std::string::npos) << r.err;
  EXPECT_EQ(list_files(d / "mine"), std::vector<std::string>{"notes.txt"});
  EXPECT_EQ(read_text(d / "mine" / "notes.txt"), "keep me");
  // Our own output is replaced as a whole, and the CLI reports what it made.
  r = run_cli({"synth-county", "--out", (d / "ours").string(), "--postcodes", "500"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("500 postcodes"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
  r = run_cli({"synth-county", "--out", (d / "ours").string(), "--postcodes", "600"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(csv_column(d / "ours" / "postcodes.csv", 0).size(), 600u);
}

// The bundled sample: loads, and is byte-for-byte what its documented command makes.
TEST(BundledSample, LoadsAndMatchesTheDocumentedCommand) {
  const fs::path sample = fs::path(kSourceDir) / "shapefiles";
  for (const auto& f : kFiles) ASSERT_TRUE(fs::exists(sample / f)) << f;
  const geo::Config cfg = geo::load_config(sample / "county.toml");
  const geo::County county = geo::load_county(cfg);
  EXPECT_EQ(county.postcodes_inside, county.postcodes_read);
  EXPECT_GE(county.postcodes_read, 2000);
  EXPECT_TRUE(county.has_demand);
  EXPECT_EQ(county.demand.unmatched_rows, 0);
  long bytes = 0;
  for (const auto& f : list_files(sample))
    if (f.rfind(".lotwright-cache", 0) != 0) bytes += static_cast<long>(fs::file_size(sample / f));
  EXPECT_LT(bytes, 5L * 1024 * 1024);

  // The command is documented in the README and in county.toml's header; both agree.
  const std::string toml = read_text(sample / "county.toml");
  const std::string key = "# Remake: ";
  const auto at = toml.find(key);
  ASSERT_NE(at, std::string::npos);
  const std::string command = toml.substr(at + key.size(), toml.find('\n', at) - at - key.size());
  EXPECT_NE(read_text(sample / "README.md").find(command), std::string::npos);
  std::istringstream words(command);
  std::vector<std::string> args;
  std::string w;
  words >> w;
  ASSERT_EQ(w, "lotwright");
  ScratchDir d("synth-sample");
  while (words >> w) args.push_back(w == "DIR" ? (d / "again").string() : w);
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& f : kFiles)
    EXPECT_TRUE(read_text(d / "again" / f) == read_text(sample / f)) << f << " differs";
}

}  // namespace
}  // namespace lotwright::test
