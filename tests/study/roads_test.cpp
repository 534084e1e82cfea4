// Road graph: speed profiles, maxspeed parsing, the OSM reader on hand-written extracts with
// known answers (one-way, access, ferries), the binary cache, and the real Isle of Wight.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "lotwright/study/road_travel.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/study/roads.hpp"
#include "lotwright/core/travel.hpp"
#include "support.hpp"

using namespace lotwright;
using geo::Point;

namespace {

geo::Profile profile(const std::string& name, bool ferries = false, double ferry_minutes = 20) {
  geo::RoadsConfig c;
  c.profile = name;
  c.ferries = ferries;
  c.ferry_minutes = ferry_minutes;
  return geo::make_profile(c);
}

// A tiny OSM XML extract written by hand: nodes on a lon/lat lattice near Newport, IoW.
struct OsmBuilder {
  std::ostringstream nodes, ways;
  int next_way = 1;
  static constexpr double kLat0 = 50.70, kLon0 = -1.30;
  static constexpr double kDLat = 0.001, kDLon = 0.0014;  // ~111 m and ~99 m
  // Node id = 100 * row + col + 1.
  static long id(int row, int col) { return 100L * row + col + 1; }
  void node(int row, int col, const std::string& tags = "") {
    nodes << "  <node id=\"" << id(row, col) << "\" version=\"1\" lat=\"" << kLat0 + row * kDLat
          << "\" lon=\"" << kLon0 + col * kDLon << "\">" << tags << "</node>\n";
  }
  void way(const std::vector<long>& refs, const std::map<std::string, std::string>& tags) {
    ways << "  <way id=\"" << next_way++ << "\" version=\"1\">\n";
    for (long r : refs) ways << "    <nd ref=\"" << r << "\"/>\n";
    for (const auto& [k, v] : tags) ways << "    <tag k=\"" << k << "\" v=\"" << v << "\"/>\n";
    ways << "  </way>\n";
  }
  std::string xml() const {
    return "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"test\">\n" +
           nodes.str() + ways.str() + "</osm>\n";
  }
};

// Haversine distance in metres (independent of PROJ).
double haversine_m(double lat1, double lon1, double lat2, double lon2) {
  const double r = 6371008.8, d2r = M_PI / 180;
  const double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * d2r) * std::cos(lat2 * d2r) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * r * std::asin(std::sqrt(a));
}

}  // namespace

// ---- maxspeed and profiles ----

struct MaxspeedCase {
  const char* tag;
  double kmh;
};
class Maxspeed : public ::testing::TestWithParam<MaxspeedCase> {};
TEST_P(Maxspeed, ParsesUkForms) {
  EXPECT_NEAR(geo::parse_maxspeed_kmh(GetParam().tag), GetParam().kmh, 0.01) << GetParam().tag;
}
INSTANTIATE_TEST_SUITE_P(
    Table, Maxspeed,
    ::testing::Values(MaxspeedCase{"30 mph", 48.28}, MaxspeedCase{"30mph", 48.28},
                      MaxspeedCase{"20 MPH", 32.19}, MaxspeedCase{"30", 30},
                      MaxspeedCase{"48 km/h", 48}, MaxspeedCase{"50 kmh", 50},
                      MaxspeedCase{"gb:nsl_single", 96.56}, MaxspeedCase{"GB:nsl_dual", 112.65},
                      MaxspeedCase{"uk:nsl_single", 96.56}, MaxspeedCase{"national", 96.56},
                      MaxspeedCase{"GB:motorway", 112.65}, MaxspeedCase{"gb:nsl_restricted", 48.28},
                      MaxspeedCase{"none", 140}, MaxspeedCase{"walk", 5},
                      MaxspeedCase{"40 mph;30 mph", 64.37}, MaxspeedCase{" 60 mph ", 96.56},
                      MaxspeedCase{"10 knots", 18.52}, MaxspeedCase{"gb:zone20", 32.19},
                      MaxspeedCase{"signals", 0}, MaxspeedCase{"variable", 0},
                      MaxspeedCase{"", 0}, MaxspeedCase{"fast", 0}, MaxspeedCase{"-30", 0},
                      MaxspeedCase{"30 furlongs", 0}));

TEST(Profile, CarSpeedsFollowOsrm) {
  const auto car = profile("car");
  EXPECT_EQ(geo::way_speed_kmh(car, "motorway", ""), 90);
  EXPECT_EQ(geo::way_speed_kmh(car, "trunk", ""), 85);
  EXPECT_EQ(geo::way_speed_kmh(car, "primary", ""), 65);
  EXPECT_EQ(geo::way_speed_kmh(car, "secondary", ""), 55);
  EXPECT_EQ(geo::way_speed_kmh(car, "tertiary", ""), 40);
  EXPECT_EQ(geo::way_speed_kmh(car, "unclassified", ""), 25);
  EXPECT_EQ(geo::way_speed_kmh(car, "residential", ""), 25);
  EXPECT_EQ(geo::way_speed_kmh(car, "living_street", ""), 10);
  EXPECT_EQ(geo::way_speed_kmh(car, "service", ""), 15);
  EXPECT_LT(geo::way_speed_kmh(car, "primary_link", ""), 65);
  EXPECT_GT(geo::way_speed_kmh(car, "primary_link", ""), 0);
  for (const char* no : {"footway", "cycleway", "path", "bridleway", "track", "steps",
                         "construction", "proposed", "pedestrian", ""})
    EXPECT_EQ(geo::way_speed_kmh(car, no, ""), 0) << no;
  // maxspeed: min(class speed, 80% of the limit) as OSRM reduces limits to typical speeds.
  EXPECT_NEAR(geo::way_speed_kmh(car, "primary", "30 mph"), 0.8 * 48.28, 0.01);
  EXPECT_EQ(geo::way_speed_kmh(car, "primary", "gb:nsl_single"), 65);
  EXPECT_EQ(geo::way_speed_kmh(car, "residential", "national"), 25);
  EXPECT_NEAR(geo::way_speed_kmh(car, "residential", "10 mph"), 0.8 * 16.09, 0.01);
  EXPECT_EQ(geo::way_speed_kmh(car, "motorway", "none"), 90);
}

TEST(Profile, EbikeAvoidsMotorwaysAndUsesCycleways) {
  const auto bike = profile("ebike");
  EXPECT_EQ(geo::way_speed_kmh(bike, "motorway", ""), 0);
  EXPECT_EQ(geo::way_speed_kmh(bike, "trunk", ""), 0);
  EXPECT_EQ(geo::way_speed_kmh(bike, "trunk_link", ""), 0);
  for (const char* yes : {"cycleway", "bridleway", "track", "path", "residential", "primary"}) {
    EXPECT_GT(geo::way_speed_kmh(bike, yes, ""), 0) << yes;
    EXPECT_LE(geo::way_speed_kmh(bike, yes, ""), 20) << yes;
  }
  EXPECT_GE(geo::way_speed_kmh(bike, "residential", ""), 18);
  EXPECT_EQ(geo::way_speed_kmh(bike, "footway", ""), 0);  // only where signed for bicycles
  EXPECT_NEAR(geo::way_speed_kmh(bike, "residential", "10 mph"), 16.09, 0.01);
}

TEST(Profile, UnknownProfileIsADataError) {
  geo::RoadsConfig c;
  c.profile = "tractor";
  try {
    geo::make_profile(c);
    FAIL() << "no error";
  } catch (const geo::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("tractor"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("car"), std::string::npos);
  }
}

// ---- hand-written extracts ----

// Row 0: a residential street of 4 segments (cols 0..4). Row 2: a one-way street (0 -> 4)
// with a two-way residential return on row 3 joined by two links at cols 0 and 4.
// Row 5: a private road. Row 6: a primary with maxspeed 30 mph.
class SyntheticOsm : public ::testing::Test {
 protected:
  void SetUp() override {
    OsmBuilder b;
    for (int row : {0, 2, 3, 5, 6})
      for (int col = 0; col < 5; ++col) b.node(row, col);
    b.node(9, 9, "<tag k=\"place\" v=\"village\"/><tag k=\"name\" v=\"Testwick\"/>");
    auto row = [](int r) {
      std::vector<long> v;
      for (int c = 0; c < 5; ++c) v.push_back(OsmBuilder::id(r, c));
      return v;
    };
    b.way(row(0), {{"highway", "residential"}});
    b.way(row(2), {{"highway", "residential"}, {"oneway", "yes"}});
    b.way(row(3), {{"highway", "residential"}});
    b.way({OsmBuilder::id(2, 0), OsmBuilder::id(3, 0)}, {{"highway", "residential"}});
    b.way({OsmBuilder::id(2, 4), OsmBuilder::id(3, 4)}, {{"highway", "residential"}});
    b.way(row(5), {{"highway", "residential"}, {"access", "private"}});
    b.way(row(6), {{"highway", "primary"}, {"maxspeed", "30 mph"}, {"ref", "A3020"}});
    osm_ = dir_ / "grid.osm";
    test::write_text(osm_, b.xml());
    net_ = geo::build_road_network(osm_, profile("car"));
  }
  Point at(int row, int col) const {
    return net_.graph.nodes[static_cast<std::size_t>(index_.at(OsmBuilder::id(row, col)))];
  }
  void index_nodes() {
    // Graph nodes are in OSM id order over the routable nodes: rows 0, 2, 3, 6 (row 5 private).
    int i = 0;
    for (int row : {0, 2, 3, 6})
      for (int col = 0; col < 5; ++col) index_[OsmBuilder::id(row, col)] = i++;
  }
  test::ScratchDir dir_;
  std::filesystem::path osm_;
  geo::RoadNetwork net_;
  std::map<long, int> index_;
};

TEST_F(SyntheticOsm, GraphHasTheRoutableNodesAndArcs) {
  const auto& g = net_.graph;
  // Private row 5 excluded: 4 rows x 5 nodes.
  EXPECT_EQ(g.node_count(), 20u);
  // Two-way rows 0, 3, 6: 3 x 4 x 2 arcs; one-way row 2: 4; two links x 2.
  EXPECT_EQ(g.edge_count(), 24u + 4u + 4u);
  EXPECT_EQ(g.offsets.size(), g.node_count() + 1);
  // Components: rows 2+3 joined (10 nodes) = 0; rows 0 and 6 alone.
  EXPECT_EQ(g.component_count, 3u);
  index_nodes();
  EXPECT_EQ(g.component[static_cast<std::size_t>(index_.at(OsmBuilder::id(2, 0)))], 0u);
  EXPECT_EQ(g.component[static_cast<std::size_t>(index_.at(OsmBuilder::id(3, 3)))], 0u);
  EXPECT_NE(g.component[static_cast<std::size_t>(index_.at(OsmBuilder::id(0, 0)))], 0u);
  // Projection: lattice spacing along a row matches the haversine distance within 0.5%.
  const double hav = haversine_m(OsmBuilder::kLat0, OsmBuilder::kLon0, OsmBuilder::kLat0,
                                 OsmBuilder::kLon0 + OsmBuilder::kDLon);
  const Point a = at(0, 0), b = at(0, 1);
  EXPECT_NEAR(std::hypot(b.x - a.x, b.y - a.y), hav, hav * 0.005);
  // Plausible BNG coordinates (Newport, IoW is around E 449800 N 88500).
  EXPECT_NEAR(a.x, 450000, 5000);
  EXPECT_NEAR(a.y, 88000, 5000);
  // Places and main roads for maps.
  ASSERT_EQ(net_.places.size(), 1u);
  EXPECT_EQ(net_.places[0].name, "Testwick");
  EXPECT_EQ(net_.places[0].kind, "village");
  ASSERT_EQ(net_.main_roads.size(), 1u);
  EXPECT_EQ(net_.main_roads[0].ref, "A3020");
  EXPECT_EQ(net_.main_roads[0].line.points.size(), 5u);
}

TEST_F(SyntheticOsm, StraightStreetTimeIsLengthOverSpeed) {
  index_nodes();
  auto shared = std::make_shared<const geo::RoadNetwork>(net_);
  geo::RoadTravel t(shared, {at(0, 0), at(0, 4), at(0, 2)});
  double len = 0;
  for (int c = 0; c < 4; ++c) {
    const Point a = at(0, c), b = at(0, c + 1);
    len += std::hypot(b.x - a.x, b.y - a.y);
  }
  const double expect = len / (25 / 3.6) / 60;  // minutes at 25 km/h
  EXPECT_NEAR(t.minutes(0, 1), expect, 0.01);
  EXPECT_NEAR(t.minutes(1, 0), expect, 0.01);
  EXPECT_NEAR(t.minutes(0, 2), expect / 2, 0.01);
  const auto r = t.route(at(0, 0), at(0, 4));
  ASSERT_TRUE(r.reachable);
  EXPECT_NEAR(r.km, len / 1000, 1e-6);
  // A point 50 m off the middle of the street: the walk is timed at 4.8 km/h.
  const Point mid = at(0, 2);
  const auto off = t.route(at(0, 0), {mid.x, mid.y + 50});
  ASSERT_TRUE(off.reachable);
  EXPECT_NEAR(off.minutes, expect / 2 + 50 / 80.0, 0.02);
  EXPECT_NEAR(off.km, len / 2000 + 0.05, 0.002);
  // Farther than max_snap_m (1000 m) from every road: no route, never a walked-in time.
  EXPECT_FALSE(t.route(at(0, 0), {mid.x, mid.y + 5000}).reachable);
  EXPECT_FALSE(t.route({mid.x + 5000, mid.y}, at(0, 4)).reachable);
}

TEST_F(SyntheticOsm, OneWayStreetIsOnlyDrivenOneWay) {
  index_nodes();
  auto shared = std::make_shared<const geo::RoadNetwork>(net_);
  geo::RoadTravel t(shared, {at(2, 0), at(2, 4)});
  const double seg = std::hypot(at(2, 1).x - at(2, 0).x, at(2, 1).y - at(2, 0).y);
  const double link = std::hypot(at(3, 0).x - at(2, 0).x, at(3, 0).y - at(2, 0).y);
  const double mpm = 25 / 3.6 * 60;  // metres a minute at 25 km/h
  EXPECT_NEAR(t.minutes(0, 1), 4 * seg / mpm, 0.01);                 // along the one-way
  EXPECT_NEAR(t.minutes(1, 0), (4 * seg + 2 * link) / mpm, 0.01);    // round by row 3
  std::vector<float> tree;
  t.tree(1, tree);
  EXPECT_NEAR(tree[0], (4 * seg + 2 * link) / mpm, 0.01);
}

TEST_F(SyntheticOsm, PrivateRoadIsNotUsedAndReportedOffTheMainNetwork) {
  index_nodes();
  auto shared = std::make_shared<const geo::RoadNetwork>(net_);
  // Sites: on row 3 (main component), on row 0 (a separate street), and on the private
  // row 5 (its nearest usable road is row 6, ~111 m away, a separate piece too).
  const Point p5 = {at(6, 2).x, at(6, 2).y - 111};
  geo::RoadTravel t(shared, {at(3, 2), at(0, 2), p5}, 100);
  EXPECT_EQ(t.unsnapped(), std::vector<int>{2});  // 111 m > 100 m
  EXPECT_EQ(t.off_main_network(), std::vector<int>{1});
  EXPECT_EQ(t.minutes(0, 1), geo::kUnreachable);
  std::vector<float> tree;
  t.tree(0, tree);
  EXPECT_EQ(tree[0], 0.f);
  EXPECT_EQ(tree[1], geo::kUnreachable);
}

TEST_F(SyntheticOsm, MaxspeedSlowsThePrimary) {
  index_nodes();
  auto shared = std::make_shared<const geo::RoadNetwork>(net_);
  geo::RoadTravel t(shared, {at(6, 0), at(6, 4)});
  double len = 0;
  for (int c = 0; c < 4; ++c) len += std::hypot(at(6, c + 1).x - at(6, c).x, at(6, c + 1).y - at(6, c).y);
  const double kmh = 0.8 * 30 * 1.609344;
  EXPECT_NEAR(t.minutes(0, 1), len / (kmh / 3.6) / 60, 0.01);
}

TEST(Osm, RoundaboutsAndMotorwaysAreOneWayAndFerriesNeedTheConfig) {
  OsmBuilder b;
  for (int c = 0; c < 4; ++c) b.node(0, c);
  for (int c = 0; c < 4; ++c) b.node(1, c);
  for (int c = 0; c < 2; ++c) b.node(2, c);
  b.way({OsmBuilder::id(0, 0), OsmBuilder::id(0, 1)}, {{"highway", "motorway"}});
  b.way({OsmBuilder::id(0, 1), OsmBuilder::id(0, 2)},
        {{"highway", "primary"}, {"junction", "roundabout"}});
  b.way({OsmBuilder::id(0, 2), OsmBuilder::id(0, 3)}, {{"highway", "primary"}, {"oneway", "-1"}});
  b.way({OsmBuilder::id(1, 0), OsmBuilder::id(1, 1)},
        {{"highway", "residential"}, {"motor_vehicle", "no"}});
  b.way({OsmBuilder::id(1, 1), OsmBuilder::id(1, 2)},
        {{"highway", "residential"}, {"access", "no"}, {"motorcar", "yes"}});
  b.way({OsmBuilder::id(1, 2), OsmBuilder::id(1, 3)}, {{"highway", "footway"}, {"bicycle", "yes"}});
  b.way({OsmBuilder::id(2, 0), OsmBuilder::id(2, 1)}, {{"route", "ferry"}});
  test::ScratchDir dir;
  const auto osm = dir / "mix.osm";
  test::write_text(osm, b.xml());
  const auto car = geo::build_road_network(osm, profile("car"));
  // Arcs: motorway 1 (implied one-way), roundabout 1, reverse one-way 1, motorcar=yes
  // overrides access=no: 2. motor_vehicle=no, the footway and the ferry: none.
  EXPECT_EQ(car.graph.edge_count(), 5u);
  const auto ferry = geo::build_road_network(osm, profile("car", true, 12));
  EXPECT_EQ(ferry.graph.edge_count(), 7u);
  // The ferry crossing takes the configured minutes, whatever its length.
  auto net = std::make_shared<const geo::RoadNetwork>(ferry);
  const auto& nodes = net->graph.nodes;
  // Node ids sort the two ferry landings (row 2) last.
  geo::RoadTravel t(net, {nodes[nodes.size() - 2], nodes.back()});
  EXPECT_NEAR(t.minutes(0, 1), 12, 0.01);
  // E-bike: no motorway; residential with motor_vehicle=no and the signed footway are fine.
  const auto bike = geo::build_road_network(osm, profile("ebike"));
  // roundabout 1 + reverse one-way 1 + motor_vehicle=no residential 2 + motorcar=yes/access=no
  // residential: access=no applies to bicycles (0) + footway with bicycle=yes 2.
  EXPECT_EQ(bike.graph.edge_count(), 6u);
}

TEST(Osm, MissingAndBrokenFilesAreDataErrors) {
  test::ScratchDir dir;
  EXPECT_THROW(geo::build_road_network(dir / "nope.osm.pbf", profile("car")), geo::DataError);
  test::write_text(dir / "bad.osm", "<osm><node id=\"1\" lat=\"x\"");
  try {
    geo::build_road_network(dir / "bad.osm", profile("car"));
    FAIL() << "no error";
  } catch (const geo::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.osm"), std::string::npos) << e.what();
  }
  test::write_text(dir / "empty.osm", "<?xml version='1.0'?>\n<osm version=\"0.6\"></osm>\n");
  try {
    geo::build_road_network(dir / "empty.osm", profile("car"));
    FAIL() << "no error";
  } catch (const geo::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("no roads"), std::string::npos) << e.what();
  }
}

TEST(Osm, NodeOutsideTheGridIsAnErrorNamingIt) {
  // EPSG:27700 is a transverse Mercator about 2 degrees west: a quarter of the globe away is
  // outside its domain. The node must be reported, not placed at a huge coordinate.
  OsmBuilder b;
  b.node(0, 0);
  b.nodes << "  <node id=\"999\" version=\"1\" lat=\"0\" lon=\"88\"></node>\n";
  b.way({OsmBuilder::id(0, 0), 999}, {{"highway", "residential"}});
  test::ScratchDir dir;
  test::write_text(dir / "far.osm", b.xml());
  try {
    geo::build_road_network(dir / "far.osm", profile("car"));
    FAIL() << "no error";
  } catch (const geo::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("far.osm"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("OSM node 999 (lon, lat) at (88, 0) cannot be "
                                         "transformed from EPSG:4326 to EPSG:27700"),
              std::string::npos)
        << e.what();
  }
}

// ---- cache ----

TEST(Cache, HitMissRebuildOnChangeAndCorruption) {
  test::ScratchDir dir;
  OsmBuilder b;
  for (int c = 0; c < 3; ++c) b.node(0, c);
  b.way({OsmBuilder::id(0, 0), OsmBuilder::id(0, 1), OsmBuilder::id(0, 2)},
        {{"highway", "residential"}});
  const auto osm = dir / "a.osm";
  test::write_text(osm, b.xml());
  const auto cache = dir / "cache";
  bool hit = true;
  const auto first = geo::load_road_network(osm, profile("car"), cache, &hit);
  EXPECT_FALSE(hit);
  ASSERT_EQ(test::list_files(cache).size(), 1u);
  EXPECT_EQ(first.source_hash.size(), 16u);
  const auto second = geo::load_road_network(osm, profile("car"), cache, &hit);
  EXPECT_TRUE(hit);
  EXPECT_EQ(second.graph.targets, first.graph.targets);
  EXPECT_EQ(second.graph.weights_ds, first.graph.weights_ds);
  EXPECT_EQ(second.graph.nodes, first.graph.nodes);
  EXPECT_EQ(second.source_hash, first.source_hash);
  // Another profile is another cache entry.
  geo::load_road_network(osm, profile("ebike"), cache, &hit);
  EXPECT_FALSE(hit);
  EXPECT_EQ(test::list_files(cache).size(), 2u);
  // A changed input (one more street) rebuilds.
  b.node(1, 0);
  b.way({OsmBuilder::id(0, 0), OsmBuilder::id(1, 0)}, {{"highway", "service"}});
  test::write_text(osm, b.xml());
  const auto changed = geo::load_road_network(osm, profile("car"), cache, &hit);
  EXPECT_FALSE(hit);
  EXPECT_EQ(changed.graph.node_count(), 4u);
  EXPECT_NE(changed.source_hash, first.source_hash);
  geo::load_road_network(osm, profile("car"), cache, &hit);
  EXPECT_TRUE(hit);
  // A damaged cache file is rebuilt, not trusted.
  for (const auto& f : test::list_files(cache)) {
    if (f.find(".car.") == std::string::npos) continue;
    std::string bytes = test::read_text(cache / f);
    bytes[bytes.size() / 2] ^= 0x5A;
    test::write_text(cache / f, bytes);
  }
  const auto repaired = geo::load_road_network(osm, profile("car"), cache, &hit);
  EXPECT_FALSE(hit);
  EXPECT_EQ(repaired.graph.nodes, changed.graph.nodes);
  // Truncated too.
  for (const auto& f : test::list_files(cache)) {
    if (f.find(".car.") == std::string::npos) continue;
    const std::string bytes = test::read_text(cache / f);
    test::write_text(cache / f, bytes.substr(0, bytes.size() / 3));
  }
  geo::load_road_network(osm, profile("car"), cache, &hit);
  EXPECT_FALSE(hit);
  geo::load_road_network(osm, profile("car"), cache, &hit);
  EXPECT_TRUE(hit);
}

// ---- the real Isle of Wight extract ----

TEST(IsleOfWight, GraphIsOneMainNetworkWithPlacesAndMainRoads) {
  const auto osm = test::iow_dir() / "osm/isle-of-wight-2015-01-01.osm.pbf";
  const auto net = geo::build_road_network(osm, profile("car"));
  const auto& g = net.graph;
  EXPECT_GT(g.node_count(), 20000u);
  EXPECT_EQ(g.offsets.size(), g.node_count() + 1);
  std::vector<std::size_t> size(g.component_count, 0);
  for (auto c : g.component) ++size[c];
  // Component 0 is the largest and holds nearly all of the island's roads.
  for (std::size_t c = 1; c < size.size(); ++c) EXPECT_LE(size[c], size[0]);
  EXPECT_GT(static_cast<double>(size[0]), 0.9 * static_cast<double>(g.node_count()));
  // Inside the island's bounding box (BNG).
  for (const auto& p : g.nodes) {
    ASSERT_GT(p.x, 420000);
    ASSERT_LT(p.x, 470000);
    ASSERT_GT(p.y, 70000);
    ASSERT_LT(p.y, 110000);
  }
  bool newport = false, ryde = false;
  for (const auto& p : net.places) {
    newport |= p.name == "Newport";
    ryde |= p.name == "Ryde";
  }
  EXPECT_TRUE(newport);
  EXPECT_TRUE(ryde);
  bool a3054 = false;
  for (const auto& m : net.main_roads) a3054 |= m.ref == "A3054";
  EXPECT_TRUE(a3054);
  // Weights agree with lengths at a plausible speed (between 5 and 90 km/h) on every arc.
  for (std::size_t k = 0; k < g.edge_count(); ++k) {
    if (g.weights_ds[k] < 50) continue;  // very short arcs round coarsely
    const double kmh = g.lengths_m[k] / (g.weights_ds[k] / 10.0) * 3.6;
    ASSERT_GT(kmh, 5) << k;
    ASSERT_LT(kmh, 95) << k;
  }
}

TEST(Osm, AGraphWithoutSegmentsTimesNothingAndReportsEverySite) {
  OsmBuilder b;
  b.node(0, 0);
  b.way({OsmBuilder::id(0, 0)}, {{"highway", "residential"}});  // a one-node way
  test::ScratchDir dir;
  test::write_text(dir / "dot.osm", b.xml());
  auto net = std::make_shared<const geo::RoadNetwork>(
      geo::build_road_network(dir / "dot.osm", profile("car")));
  EXPECT_EQ(net->graph.node_count(), 1u);
  EXPECT_EQ(net->graph.edge_count(), 0u);
  const Point p = net->graph.nodes[0];
  geo::RoadTravel t(net, {p, {p.x + 10, p.y}});
  EXPECT_EQ(t.unsnapped(), (std::vector<int>{0, 1}));
  EXPECT_EQ(t.minutes(0, 1), geo::kUnreachable);
  std::vector<float> tree;
  t.tree(1, tree);
  EXPECT_EQ(tree, (std::vector<float>{geo::kUnreachable, 0.f}));
  EXPECT_FALSE(t.route(p, p).reachable);
}
