// Travel times: our bounded Dijkstra against Boost.Graph's dijkstra_shortest_paths, thread
// safety, and the real Isle of Wight: known trips and a check of ~120 postcode pairs against
// an independent shortest-path router written here (osmium + GDAL/OSR + Boost.Graph).
#include <gtest/gtest.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/strong_components.hpp>
#include <ogr_spatialref.h>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "lotwright/study/road_travel.hpp"
#include "lotwright/study/roads.hpp"
#include "lotwright/core/travel.hpp"
#include "support.hpp"

using namespace lotwright;
using geo::Point;

namespace {

using BoostGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

// A random road graph: a W x H lattice (100 m spacing) with random travel times, some
// streets one-way, some missing. Built straight into CSR.
std::shared_ptr<geo::RoadNetwork> random_network(int w, int h, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::uint32_t> weight(30, 400);
  std::uniform_real_distribution<double> u01(0, 1);
  struct Arc {
    std::uint32_t u, v, w;
  };
  std::vector<Arc> arcs;
  auto id = [&](int x, int y) { return static_cast<std::uint32_t>(y * w + x); };
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (auto [dx, dy] : {std::pair{1, 0}, std::pair{0, 1}}) {
        if (x + dx >= w || y + dy >= h) continue;
        const double r = u01(rng);
        if (r < 0.08) continue;  // no street
        const auto a = id(x, y), b = id(x + dx, y + dy);
        const auto wt = weight(rng);
        if (r < 0.2) {
          arcs.push_back({a, b, wt});  // one-way a -> b
        } else if (r < 0.3) {
          arcs.push_back({b, a, wt});  // one-way b -> a
        } else {
          arcs.push_back({a, b, wt});
          arcs.push_back({b, a, wt + (r < 0.5 ? 7u : 0u)});  // slightly asymmetric
        }
      }
  std::sort(arcs.begin(), arcs.end(), [](const Arc& p, const Arc& q) {
    return std::tie(p.u, p.v) < std::tie(q.u, q.v);
  });
  auto net = std::make_shared<geo::RoadNetwork>();
  auto& g = net->graph;
  const auto n = static_cast<std::size_t>(w * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) g.nodes.push_back({400000.0 + 100 * x, 90000.0 + 100 * y});
  g.offsets.assign(n + 1, 0);
  for (const auto& a : arcs) ++g.offsets[a.u + 1];
  for (std::size_t i = 0; i < n; ++i) g.offsets[i + 1] += g.offsets[i];
  for (const auto& a : arcs) {
    g.targets.push_back(a.v);
    g.weights_ds.push_back(a.w);
    g.lengths_m.push_back(100.f);
  }
  g.component.assign(n, 0);
  g.component_count = 1;
  return net;
}

std::vector<double> boost_dijkstra_ds(const geo::RoadGraph& g, std::uint32_t source) {
  BoostGraph bg(g.node_count());
  for (std::uint32_t u = 0; u < g.node_count(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
      boost::add_edge(u, g.targets[k], static_cast<double>(g.weights_ds[k]), bg);
  std::vector<double> dist(g.node_count());
  boost::dijkstra_shortest_paths(
      bg, source,
      boost::distance_map(boost::make_iterator_property_map(dist.begin(),
                                                            boost::get(boost::vertex_index, bg))));
  return dist;
}

}  // namespace

TEST(Dijkstra, MatchesBoostGraphOnRandomPairs) {
  for (unsigned seed : {1u, 2u, 3u}) {
    auto net = random_network(40, 30, seed);
    const auto& g = net->graph;
    // Sites exactly on nodes of the main (largest strongly connected) network: off-road
    // legs are zero, times are pure graph distances. (Sites on small one-way pockets are
    // snapped to the main network instead; the IoW tests cover that.)
    BoostGraph bg(g.node_count());
    for (std::uint32_t u = 0; u < g.node_count(); ++u)
      for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) boost::add_edge(u, g.targets[k], bg);
    std::vector<int> scc(g.node_count());
    boost::strong_components(
        bg, boost::make_iterator_property_map(scc.begin(), boost::get(boost::vertex_index, bg)));
    std::map<int, int> scc_size;
    for (int c : scc) ++scc_size[c];
    int main_scc = scc[0];
    for (auto [c, n] : scc_size)
      if (n > scc_size[main_scc]) main_scc = c;
    std::mt19937 rng(seed * 7919);
    std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(g.node_count() - 1));
    std::vector<std::uint32_t> site_nodes;
    std::vector<Point> sites;
    while (sites.size() < 60) {
      const auto v = pick(rng);
      if (scc[v] != main_scc) continue;
      site_nodes.push_back(v);
      sites.push_back(g.nodes[v]);
    }
    geo::RoadTravel travel(net, sites);
    for (const auto& s : travel.snaps()) ASSERT_EQ(s.offroad_m, 0);
    int compared = 0, unreachable = 0;
    for (int s = 0; s < 10; ++s) {
      const auto ref = boost_dijkstra_ds(g, site_nodes[static_cast<std::size_t>(s)]);
      std::vector<float> tree;
      travel.tree(s, tree);
      for (std::size_t t = 0; t < sites.size(); ++t) {
        const double want = ref[site_nodes[t]];
        if (want >= std::numeric_limits<double>::max() / 2) {
          EXPECT_EQ(tree[t], geo::kUnreachable);
          EXPECT_EQ(travel.minutes(s, static_cast<int>(t)), geo::kUnreachable);
          ++unreachable;
          continue;
        }
        // Identical deciseconds (minutes are ds / 600 in float).
        EXPECT_EQ(std::lround(double(tree[t]) * 600.0), std::lround(want)) << s << "->" << t;
        EXPECT_EQ(std::lround(double(travel.minutes(s, static_cast<int>(t))) * 600.0),
                  std::lround(want));
        ++compared;
        // Bounded: inside the bound the same, outside unreachable.
        std::vector<float> bounded;
        const float limit = static_cast<float>(want / 600.0);
        travel.tree(s, bounded, limit + 0.001f);
        EXPECT_EQ(std::lround(double(bounded[t]) * 600.0), std::lround(want));
        if (want > 600) {
          travel.tree(s, bounded, limit - 0.5f);
          EXPECT_EQ(bounded[t], geo::kUnreachable);
        }
      }
    }
    EXPECT_GT(compared, 400);
    (void)unreachable;
  }
}

TEST(Dijkstra, ConcurrentTreesEqualSequentialOnes) {
  auto net = random_network(60, 60, 11);
  std::vector<Point> sites;
  for (std::size_t i = 0; i < net->graph.node_count(); i += 37) sites.push_back(net->graph.nodes[i]);
  // Sites a little off the road too: partial edges and walks.
  for (std::size_t i = 5; i < net->graph.node_count(); i += 53)
    sites.push_back({net->graph.nodes[i].x + 31, net->graph.nodes[i].y + 9});
  geo::RoadTravel travel(net, sites);
  const int n = static_cast<int>(sites.size());
  std::vector<std::vector<float>> seq(static_cast<std::size_t>(n)), par(static_cast<std::size_t>(n));
  for (int s = 0; s < n; ++s) travel.tree(s, seq[static_cast<std::size_t>(s)], 12.f);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int s = t; s < n; s += 4) travel.tree(s, par[static_cast<std::size_t>(s)], 12.f);
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(seq, par);
  // times_to (stops once its targets are settled) gives exactly the tree's answers, with and
  // without a bound, and through the generic TravelOracle default too.
  for (int s = 0; s < n; s += 7) {
    std::vector<int> targets;
    for (int t = (s * 13) % 5; t < n; t += 5) targets.push_back(t);
    targets.push_back(s);
    std::vector<float> out, full, generic;
    travel.times_to(s, targets, out, 12.f);
    travel.tree(s, full);
    travel.TravelOracle::times_to(s, targets, generic, 12.f);
    for (std::size_t i = 0; i < targets.size(); ++i) {
      EXPECT_EQ(out[i], seq[static_cast<std::size_t>(s)][static_cast<std::size_t>(targets[i])]);
      EXPECT_EQ(out[i], generic[i]);
    }
    travel.times_to(s, targets, out);
    for (std::size_t i = 0; i < targets.size(); ++i)
      EXPECT_EQ(out[i], full[static_cast<std::size_t>(targets[i])]);
  }
  // Partial edges: a site 31 m along a street is reached consistently with the route.
  for (int s = 0; s < 5; ++s)
    for (int t = n - 5; t < n; ++t) {
      const auto r = travel.route(sites[static_cast<std::size_t>(s)], sites[static_cast<std::size_t>(t)]);
      const float m = travel.minutes(s, t);
      if (!r.reachable) {
        EXPECT_EQ(m, geo::kUnreachable);
        continue;
      }
      EXPECT_NEAR(r.minutes, m, 1e-3);
      if (seq[static_cast<std::size_t>(s)][static_cast<std::size_t>(t)] != geo::kUnreachable) {
        EXPECT_NEAR(seq[static_cast<std::size_t>(s)][static_cast<std::size_t>(t)], m, 1e-3);
      }
    }
}

// ---- chain contraction ----

namespace {

// Junctions on a 9 x 7 lattice (600 m apart) whose streets are chains of 0-7 shape nodes,
// with one-way streets, one-way rules that change part-way along a street, dead-end spurs
// and rings with no junction at all: everything the contraction has to get right.
std::shared_ptr<geo::RoadNetwork> chained_network(unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::uint32_t> weight(20, 300), shape(0, 7);
  std::uniform_real_distribution<double> u01(0, 1);
  auto net = std::make_shared<geo::RoadNetwork>();
  auto& g = net->graph;
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> arcs;
  auto node = [&](Point p) {
    g.nodes.push_back(p);
    return static_cast<std::uint32_t>(g.nodes.size() - 1);
  };
  // rule: 0 two-way, 1 one-way a -> b, 2 one-way b -> a
  auto link = [&](std::uint32_t a, std::uint32_t b, int rule) {
    const auto w = weight(rng);
    if (rule != 2) arcs.emplace_back(a, b, w);
    if (rule != 1) arcs.emplace_back(b, a, w + (u01(rng) < 0.3 ? 5u : 0u));
  };
  auto street = [&](std::uint32_t a, std::uint32_t b) {
    const double r = u01(rng);
    if (r < 0.06) return;
    int rule = r < 0.2 ? 1 : r < 0.3 ? 2 : 0;
    const auto k = shape(rng);
    std::uint32_t prev = a;
    for (std::uint32_t i = 1; i <= k; ++i) {
      const double t = double(i) / (k + 1);
      const Point pa = g.nodes[a], pb = g.nodes[b];
      const auto v = node({pa.x + t * (pb.x - pa.x) + (u01(rng) - 0.5) * 40,
                           pa.y + t * (pb.y - pa.y) + (u01(rng) - 0.5) * 40});
      link(prev, v, rule);
      if (u01(rng) < 0.1) rule = int(u01(rng) * 3);  // the rule changes here
      prev = v;
    }
    link(prev, b, rule);
  };
  const int W = 9, H = 7;
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) node({400000.0 + 600 * x, 90000.0 + 600 * y});
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      const auto a = static_cast<std::uint32_t>(y * W + x);
      if (x + 1 < W) street(a, a + 1);
      if (y + 1 < H) street(a, a + static_cast<std::uint32_t>(W));
    }
  for (int i = 0; i < 6; ++i) {  // dead-end spurs of 1-4 nodes
    const auto a = static_cast<std::uint32_t>(i * 7 % (W * H));
    std::uint32_t prev = a;
    for (int j = 0; j < 1 + i % 4; ++j) {
      const auto v = node({g.nodes[a].x + 35 + 60 * j, g.nodes[a].y + 250});
      link(prev, v, 0);
      prev = v;
    }
  }
  for (int r = 0; r < 2; ++r) {  // rings: one two-way, one one-way
    const Point c{400000.0 + 2000 * (r + 1), 90000.0 + 4200};
    std::vector<std::uint32_t> ring;
    for (int i = 0; i < 6; ++i)
      ring.push_back(node({c.x + 150 * std::cos(i * M_PI / 3), c.y + 150 * std::sin(i * M_PI / 3)}));
    for (int i = 0; i < 6; ++i) link(ring[static_cast<std::size_t>(i)], ring[static_cast<std::size_t>((i + 1) % 6)], r);
  }
  std::sort(arcs.begin(), arcs.end());
  const auto n = g.nodes.size();
  g.offsets.assign(n + 1, 0);
  for (const auto& [u, v, w] : arcs) ++g.offsets[u + 1];
  for (std::size_t i = 0; i < n; ++i) g.offsets[i + 1] += g.offsets[i];
  for (const auto& [u, v, w] : arcs) {
    g.targets.push_back(v);
    g.weights_ds.push_back(w);
    g.lengths_m.push_back(static_cast<float>(
        std::hypot(g.nodes[u].x - g.nodes[v].x, g.nodes[u].y - g.nodes[v].y)));
  }
  g.component.assign(n, 0);
  g.component_count = 1;
  return net;
}

// Every answer of the contracted search equals the plain search's, to the bit.
void expect_same_answers(const geo::RoadTravel& chained, const geo::RoadTravel& plain,
                         int sources, float limit) {
  const int n = static_cast<int>(chained.size());
  int reached = 0;
  for (int s = 0; s < sources; ++s) {
    const int from = s * 7919 % n;
    std::vector<float> a, b;
    chained.tree(from, a);
    plain.tree(from, b);
    ASSERT_EQ(a, b) << "tree from " << from;
    for (float x : a) reached += x != geo::kUnreachable;
    chained.tree(from, a, limit);
    plain.tree(from, b, limit);
    ASSERT_EQ(a, b) << "bounded tree from " << from;
    std::vector<int> targets;
    for (int t = s % 11; t < n; t += 11) targets.push_back(t);
    chained.times_to(from, targets, a, limit);
    plain.times_to(from, targets, b, limit);
    ASSERT_EQ(a, b) << "times_to from " << from;
    for (int t = s % 17; t < n; t += 97) {
      ASSERT_EQ(chained.minutes(from, t), plain.minutes(from, t)) << from << " -> " << t;
    }
  }
  EXPECT_GT(reached, sources * n / 2);
}

}  // namespace

TEST(ChainContraction, SameTimesAsEveryNodeOnAwkwardGraphs) {
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    auto net = chained_network(seed);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> x(399900, 405000), y(89900, 94000);
    std::vector<Point> sites;
    for (int i = 0; i < 400; ++i) sites.push_back({x(rng), y(rng)});
    // And sites exactly on nodes (along = 0 or 1 on their segment).
    for (std::size_t v = 0; v < net->graph.node_count(); v += 13) sites.push_back(net->graph.nodes[v]);
    const geo::RoadTravel chained(net, sites), plain(net, sites, 1000, false);
    EXPECT_EQ(plain.search_nodes(), net->graph.node_count());
    EXPECT_LT(chained.search_nodes() * 2, plain.search_nodes()) << "seed " << seed;
    expect_same_answers(chained, plain, 60, 6.f);
    // Routes: same minutes, the same length within rounding.
    for (int i = 0; i < 40; ++i) {
      const Point a = sites[static_cast<std::size_t>(i * 3)], b = sites[static_cast<std::size_t>(i * 5 + 1)];
      const auto rc = chained.route(a, b), rp = plain.route(a, b);
      ASSERT_EQ(rc.reachable, rp.reachable);
      EXPECT_EQ(rc.minutes, rp.minutes);
      EXPECT_NEAR(rc.km, rp.km, 1e-3 * rp.km + 1e-6);
    }
  }
}

// ---- the Isle of Wight ----

namespace {

struct PostcodeSites {
  std::vector<std::string> id;
  std::vector<Point> site;
  int find(const std::string& pc) const {
    auto it = std::find(id.begin(), id.end(), pc);
    return it == id.end() ? -1 : static_cast<int>(it - id.begin());
  }
};

PostcodeSites read_iow_postcodes() {
  PostcodeSites p;
  std::ifstream in(test::iow_dir() / "postcodes/postcodes_E06000046_enriched.csv");
  std::string line;
  std::getline(in, line);  // header: postcode,easting,northing,...
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string pc, e, n;
    std::getline(ss, pc, ',');
    std::getline(ss, e, ',');
    std::getline(ss, n, ',');
    p.id.push_back(pc);
    p.site.push_back({std::stod(e), std::stod(n)});
  }
  return p;
}

std::filesystem::path iow_osm() { return test::iow_dir() / "osm/isle-of-wight-2015-01-01.osm.pbf"; }

class IsleOfWight : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    geo::RoadsConfig c;
    net_ = std::make_shared<const geo::RoadNetwork>(
        geo::build_road_network(iow_osm(), geo::make_profile(c)));
    pcs_ = new PostcodeSites(read_iow_postcodes());
    travel_ = new geo::RoadTravel(net_, pcs_->site);
  }
  static void TearDownTestSuite() {
    delete travel_;
    delete pcs_;
    net_.reset();
  }
  static int pc(const std::string& s) {
    const int i = pcs_->find(s);
    EXPECT_GE(i, 0) << s;
    return i;
  }
  static std::shared_ptr<const geo::RoadNetwork> net_;
  static PostcodeSites* pcs_;
  static geo::RoadTravel* travel_;
};
std::shared_ptr<const geo::RoadNetwork> IsleOfWight::net_;
PostcodeSites* IsleOfWight::pcs_ = nullptr;
geo::RoadTravel* IsleOfWight::travel_ = nullptr;

}  // namespace

TEST_F(IsleOfWight, CowesToEastCowesTakesAtLeastTenMinutes) {
  const int cowes = pc("PO31 7AA"), east = pc("PO32 6AA");
  const Point a = pcs_->site[static_cast<std::size_t>(cowes)];
  const Point b = pcs_->site[static_cast<std::size_t>(east)];
  EXPECT_LT(std::hypot(a.x - b.x, a.y - b.y), 900);  // across the Medina
  const float ab = travel_->minutes(cowes, east), ba = travel_->minutes(east, cowes);
  std::cout << "Cowes -> East Cowes " << ab << " min, back " << ba << " min\n";
  EXPECT_GE(ab, 10.f);
  EXPECT_GE(ba, 10.f);
  EXPECT_LT(ab, 30.f);  // reachable, via Newport
  const auto r = travel_->route(a, b);
  ASSERT_TRUE(r.reachable);
  EXPECT_GT(r.km, 6.0);  // round by Newport, not 850 m across the water
}

TEST_F(IsleOfWight, NewportToRydeIsTwelveToTwentyFiveMinutes) {
  const int newport = pc("PO30 1AE"), ryde = pc("PO33 2AA");
  const float ab = travel_->minutes(newport, ryde), ba = travel_->minutes(ryde, newport);
  std::cout << "Newport -> Ryde " << ab << " min, back " << ba << " min\n";
  EXPECT_GE(ab, 12.f);
  EXPECT_LE(ab, 25.f);
  EXPECT_GE(ba, 12.f);
  EXPECT_LE(ba, 25.f);
  // A 15-minute tree from Newport reaches Newport's own streets but not Ryde.
  std::vector<float> tree;
  travel_->tree(newport, tree, 15.f);
  EXPECT_EQ(tree[static_cast<std::size_t>(newport)], 0.f);
  EXPECT_LT(tree[static_cast<std::size_t>(pc("PO30 1AF"))], 2.f);
  if (ab > 15.f) {
    EXPECT_EQ(tree[static_cast<std::size_t>(ryde)], geo::kUnreachable);
  }
}

TEST_F(IsleOfWight, AlmostEveryPostcodeSnapsToTheMainNetwork) {
  const auto unsnapped = travel_->unsnapped();
  const auto off = travel_->off_main_network();
  std::cout << unsnapped.size() << " postcodes > 1 km from a road, " << off.size()
            << " on a detached road piece, of " << pcs_->id.size() << "\n";
  EXPECT_LT(unsnapped.size(), 10u);
  EXPECT_LT(off.size(), pcs_->id.size() / 50);
  double worst = 0;
  for (const auto& s : travel_->snaps())
    if (s.ok) worst = std::max(worst, s.offroad_m);
  EXPECT_LE(worst, 1000);
}

// ---- an independent router on the same extract ----
//
// Written separately from the library: osmium reads the ways again, GDAL/OSR projects, a
// brute-force loop snaps, and Boost.Graph finds the SHORTEST path by length. Its access
// rule is looser than ours (only the most specific tag saying no/private removes a way), so
// its network contains ours and its shortest length is a lower bound for our quickest route.
namespace {

struct RefRouter {
  std::vector<Point> nodes;
  struct Seg {
    std::uint32_t a, b;
    bool ab, ba;
    double len;
  };
  std::vector<Seg> segs;

  explicit RefRouter(const std::filesystem::path& osm) {
    static const std::vector<std::string> kCar = {
        "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
        "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
        "residential", "living_street", "service"};
    std::vector<std::vector<osmium::object_id_type>> way_nodes;
    std::vector<std::pair<bool, bool>> dirs;
    {
      osmium::io::Reader r(osmium::io::File(osm.string()), osmium::osm_entity_bits::way);
      while (auto buf = r.read())
        for (const auto& w : buf.select<osmium::Way>()) {
          const char* hw = w.tags()["highway"];
          if (!hw || std::find(kCar.begin(), kCar.end(), hw) == kCar.end()) continue;
          const char* decisive = nullptr;
          for (const char* k : {"motorcar", "motor_vehicle", "vehicle", "access"})
            if ((decisive = w.tags()[k])) break;
          if (decisive && (std::string(decisive) == "no" || std::string(decisive) == "private"))
            continue;
          const std::string ow = w.tags()["oneway"] ? w.tags()["oneway"] : "";
          const std::string jn = w.tags()["junction"] ? w.tags()["junction"] : "";
          bool ab = true, ba = true;
          if (ow == "yes" || ow == "1" || ow == "true" || jn == "roundabout" ||
              (ow.empty() && std::string(hw) == "motorway"))
            ba = false;
          if (ow == "-1") ab = false;
          std::vector<osmium::object_id_type> ids;
          for (const auto& n : w.nodes()) ids.push_back(n.ref());
          way_nodes.push_back(std::move(ids));
          dirs.emplace_back(ab, ba);
        }
    }
    std::map<osmium::object_id_type, std::uint32_t> index;
    for (const auto& ids : way_nodes)
      for (auto id : ids) index.emplace(id, 0);
    std::vector<Point> lonlat(index.size());
    std::vector<bool> have(index.size(), false);
    {
      std::uint32_t i = 0;
      for (auto& [id, k] : index) k = i++;
      osmium::io::Reader r(osmium::io::File(osm.string()), osmium::osm_entity_bits::node);
      while (auto buf = r.read())
        for (const auto& n : buf.select<osmium::Node>()) {
          auto it = index.find(n.id());
          if (it == index.end() || !n.location().valid()) continue;
          lonlat[it->second] = {n.location().lon(), n.location().lat()};
          have[it->second] = true;
        }
    }
    OGRSpatialReference wgs, bng;
    wgs.importFromEPSG(4326);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    bng.importFromEPSG(27700);
    bng.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs, &bng));
    nodes = lonlat;
    for (auto& p : nodes) ct->Transform(1, &p.x, &p.y);
    for (std::size_t w = 0; w < way_nodes.size(); ++w)
      for (std::size_t i = 1; i < way_nodes[w].size(); ++i) {
        const auto a = index[way_nodes[w][i - 1]], b = index[way_nodes[w][i]];
        if (!have[a] || !have[b] || a == b) continue;
        segs.push_back({a, b, dirs[w].first, dirs[w].second,
                        std::hypot(nodes[b].x - nodes[a].x, nodes[b].y - nodes[a].y)});
      }
    // Weakly connected pieces, for the same snapping convention as the library: a point
    // whose nearest road is a small detached piece joins the largest piece within 1 km.
    std::vector<std::uint32_t> parent(nodes.size());
    for (std::uint32_t i = 0; i < parent.size(); ++i) parent[i] = i;
    auto find = [&](std::uint32_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (const auto& sg : segs) parent[find(sg.a)] = find(sg.b);
    std::vector<std::size_t> size(nodes.size(), 0);
    for (std::uint32_t i = 0; i < nodes.size(); ++i) ++size[find(i)];
    piece_size.resize(nodes.size());
    std::size_t biggest = 0;
    for (std::uint32_t i = 0; i < nodes.size(); ++i) {
      piece_size[i] = size[find(i)];
      biggest = std::max(biggest, piece_size[i]);
    }
    largest = biggest;
  }
  std::vector<std::size_t> piece_size;
  std::size_t largest = 0;

  struct Snapped {
    std::size_t seg;
    double t, off;
  };
  Snapped snap(Point p) const {
    const Snapped any = nearest(p, false);
    const std::size_t sz = piece_size[segs[any.seg].a];
    if (sz == largest || sz >= 1000 || sz * 20 >= nodes.size()) return any;
    const Snapped main = nearest(p, true);
    return main.off <= 1000 ? main : any;
  }
  Snapped nearest(Point p, bool main_only) const {
    Snapped best{0, 0, 1e18};
    for (std::size_t i = 0; i < segs.size(); ++i) {
      if (main_only && piece_size[segs[i].a] != largest) continue;
      const Point a = nodes[segs[i].a], b = nodes[segs[i].b];
      const double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
      double t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
      t = std::clamp(t, 0.0, 1.0);
      const double d = std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
      if (d < best.off) best = {i, t, d};
    }
    return best;
  }

  // The road graph plus two virtual query vertices (S, T), built on first use.
  mutable std::unique_ptr<BoostGraph> graph;

  // Shortest road length in km (plus both off-road legs).
  double shortest_km(Point from, Point to) const {
    const auto s = snap(from), t = snap(to);
    const std::size_t n = nodes.size(), S = n, T = n + 1;
    if (!graph) {
      graph = std::make_unique<BoostGraph>(n + 2);
      for (const auto& sg : segs) {
        if (sg.ab) boost::add_edge(sg.a, sg.b, sg.len, *graph);
        if (sg.ba) boost::add_edge(sg.b, sg.a, sg.len, *graph);
      }
    }
    BoostGraph& g = *graph;
    // Two virtual vertices for this query's ends; their edges are removed afterwards.
    boost::clear_out_edges(S, g);
    for (std::size_t v = 0; v < n; ++v) boost::remove_edge(v, T, g);
    const auto& ss = segs[s.seg];
    const auto& ts = segs[t.seg];
    if (ss.ba || s.t == 0) boost::add_edge(S, ss.a, s.t * ss.len, g);
    if (ss.ab || s.t == 1) boost::add_edge(S, ss.b, (1 - s.t) * ss.len, g);
    if (ts.ab || t.t == 0) boost::add_edge(ts.a, T, t.t * ts.len, g);
    if (ts.ba || t.t == 1) boost::add_edge(ts.b, T, (1 - t.t) * ts.len, g);
    if (s.seg == t.seg && ((t.t >= s.t && ss.ab) || (t.t <= s.t && ss.ba)))
      boost::add_edge(S, T, std::abs(t.t - s.t) * ss.len, g);
    std::vector<double> dist(n + 2);
    boost::dijkstra_shortest_paths(
        g, S,
        boost::distance_map(
            boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g))));
    return (dist[T] + s.off + t.off) / 1000.0;
  }
};

}  // namespace

TEST_F(IsleOfWight, AgreesWithAnIndependentShortestPathRouter) {
  const RefRouter ref(iow_osm());
  // 120 pairs drawn with a fixed seed from all 5,129 postcodes (none hand-picked).
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<std::size_t> pick(0, pcs_->id.size() - 1);
  std::vector<double> ratios;
  double min_speed = 1e9, max_speed = 0, worst_shortfall = 0;
  int long_trips = 0, reachable = 0;
  for (int i = 0; i < 120; ++i) {
    const auto a = pick(rng), b = pick(rng);
    if (a == b) continue;
    const auto ours = travel_->route(pcs_->site[a], pcs_->site[b]);
    const double shortest = ref.shortest_km(pcs_->site[a], pcs_->site[b]);
    if (!ours.reachable) {
      // Only where the reference finds no road either (a detached road piece).
      EXPECT_FALSE(std::isfinite(shortest) && shortest < 1e6) << pcs_->id[a] << " " << pcs_->id[b];
      continue;
    }
    ++reachable;
    ASSERT_LT(shortest, 1e6) << pcs_->id[a] << " -> " << pcs_->id[b];
    // Never shorter than the shortest path (1 m for float lengths in our graph).
    EXPECT_GE(ours.km, shortest - 0.001) << pcs_->id[a] << " -> " << pcs_->id[b];
    worst_shortfall = std::max(worst_shortfall, shortest - ours.km);
    if (shortest > 0.2) ratios.push_back(ours.km / shortest);
    if (ours.km > 5) {
      ++long_trips;
      const double kmh = ours.km / (ours.minutes / 60);
      min_speed = std::min(min_speed, kmh);
      max_speed = std::max(max_speed, kmh);
      EXPECT_GE(kmh, 20) << pcs_->id[a] << " -> " << pcs_->id[b];
      EXPECT_LE(kmh, 85) << pcs_->id[a] << " -> " << pcs_->id[b];
    }
  }
  ASSERT_GE(reachable, 110);
  std::sort(ratios.begin(), ratios.end());
  const double median = ratios[ratios.size() / 2];
  std::cout << "independent router check: " << reachable << " pairs routed, median km ratio "
            << median << ", p90 " << ratios[ratios.size() * 9 / 10] << ", max "
            << ratios.back() << "; " << long_trips << " trips over 5 km at " << min_speed
            << "-" << max_speed << " km/h average; worst shortfall " << worst_shortfall * 1000
            << " m\n";
  EXPECT_LE(median, 1.15);
  EXPECT_GE(ratios.front(), 1.0 - 1e-6);
  EXPECT_GE(long_trips, 60);
}

TEST_F(IsleOfWight, ContractedChainsGiveTheSameTimesOnRealRoads) {
  const geo::RoadTravel plain(net_, pcs_->site, 1000, false);
  std::cout << "search graph: " << travel_->search_nodes() << " of " << plain.search_nodes()
            << " road nodes\n";
  EXPECT_LT(travel_->search_nodes() * 3, plain.search_nodes());
  expect_same_answers(*travel_, plain, 25, 15.f);
}

TEST(IsleOfWightProfiles, EbikeAndTheCowesFloatingBridge) {
  const PostcodeSites pcs = read_iow_postcodes();
  const auto at = [&](const char* pc) { return pcs.site[static_cast<std::size_t>(pcs.find(pc))]; };
  geo::RoadsConfig c;
  c.profile = "ebike";
  auto bike = std::make_shared<const geo::RoadNetwork>(
      geo::build_road_network(iow_osm(), geo::make_profile(c)));
  const geo::RoadTravel bt(bike, {});
  const auto r = bt.route(at("PO30 1AE"), at("PO33 2AA"));
  ASSERT_TRUE(r.reachable);
  const double kmh = r.km / (r.minutes / 60);
  std::cout << "e-bike Newport -> Ryde " << r.minutes << " min, " << r.km << " km, " << kmh
            << " km/h\n";
  EXPECT_GT(r.minutes, 30);
  EXPECT_LT(r.minutes, 70);
  EXPECT_GT(kmh, 12);
  EXPECT_LE(kmh, 20);
  // Ferries allowed with a 5-minute crossing: the Cowes floating bridge (route=ferry) makes
  // Cowes -> East Cowes much quicker than the 20-minute drive round by Newport.
  c.profile = "car";
  c.ferries = true;
  c.ferry_minutes = 5;
  auto ferry = std::make_shared<const geo::RoadNetwork>(
      geo::build_road_network(iow_osm(), geo::make_profile(c)));
  const geo::RoadTravel ft(ferry, {});
  const auto f = ft.route(at("PO31 7AA"), at("PO32 6AA"));
  ASSERT_TRUE(f.reachable);
  std::cout << "car with ferries: Cowes -> East Cowes " << f.minutes << " min\n";
  EXPECT_GE(f.minutes, 5);
  EXPECT_LT(f.minutes, 12);
}

// ---- the fast tree against a plain Dijkstra ----

namespace {

// Minutes from one site to every site as the documented rule gives them, computed with
// Boost.Graph's dijkstra_shortest_paths over every node of the road graph (no chains, no
// radix heap): the site leaves its snapped segment for either end node (rounded deciseconds,
// one-way respected), the other site is reached from either end of its own segment (or
// along a shared segment), and both walk the off-road leg at 4.8 km/h.
struct PlainOracle {
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                            boost::property<boost::edge_weight_t, double>>;
  const geo::RoadGraph& g;
  const std::vector<geo::Snap>& snaps;
  Graph bg;
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  PlainOracle(const geo::RoadGraph& graph, const std::vector<geo::Snap>& s)
      : g(graph), snaps(s), bg(graph.node_count() + 1) {  // the last vertex: the source
    for (std::uint32_t u = 0; u < g.node_count(); ++u)
      for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
        boost::add_edge(u, g.targets[k], static_cast<double>(g.weights_ds[k]), bg);
  }
  // Quickest arc a -> b in deciseconds (infinite: none).
  double arc(std::uint32_t a, std::uint32_t b) const {
    double w = kInf;
    for (auto k = g.offsets[a]; k < g.offsets[a + 1]; ++k)
      if (g.targets[k] == b) w = std::min(w, static_cast<double>(g.weights_ds[k]));
    return w;
  }
  static double walk(const geo::Snap& s) { return s.offroad_m / (4800.0 / 60.0); }

  std::vector<float> tree(int from, float limit) {
    const geo::Snap& s = snaps[static_cast<std::size_t>(from)];
    const double w_ab = arc(s.from, s.to), w_ba = arc(s.to, s.from);
    const auto n = static_cast<std::uint32_t>(g.node_count());
    boost::clear_out_edges(n, bg);
    const double to_a = s.along <= 0 ? 0 : s.along * w_ba;
    const double to_b = s.along >= 1 ? 0 : (1 - s.along) * w_ab;
    if (std::isfinite(to_a)) boost::add_edge(n, s.from, static_cast<double>(std::lround(to_a)), bg);
    if (std::isfinite(to_b)) boost::add_edge(n, s.to, static_cast<double>(std::lround(to_b)), bg);
    std::vector<double> dist(n + 1);
    boost::dijkstra_shortest_paths(
        bg, n,
        boost::distance_map(
            boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, bg)))
            .distance_inf(kInf));
    std::vector<float> out(snaps.size(), geo::kUnreachable);
    for (std::size_t i = 0; i < snaps.size(); ++i) {
      const geo::Snap& t = snaps[i];
      const double t_ab = arc(t.from, t.to), t_ba = arc(t.to, t.from);
      const double from_a = t.along <= 0 ? 0 : t.along * t_ab;
      const double from_b = t.along >= 1 ? 0 : (1 - t.along) * t_ba;
      double ds = std::min(dist[t.from] + from_a, dist[t.to] + from_b);
      if (t.from == s.from && t.to == s.to) {  // along the shared segment
        const double direct = t.along == s.along  ? 0
                              : s.along < t.along ? (t.along - s.along) * t_ab
                                                  : (s.along - t.along) * t_ba;
        ds = std::min(ds, direct);
      }
      if (!std::isfinite(ds)) continue;
      const double minutes = ds / 600.0 + walk(s) + walk(t);
      if (minutes <= limit) out[i] = static_cast<float>(minutes);
    }
    out[static_cast<std::size_t>(from)] = 0;
    return out;
  }
};

}  // namespace

// Every postcode of the island from 12 sources, unbounded and within 20 minutes: the tree
// (chains contracted, radix heap, chain scan) gives exactly the plain Dijkstra's minutes,
// bit for bit, and times_to gives the same for a spread of targets.
TEST_F(IsleOfWight, TreesEqualBoostGraphDijkstraOverEveryRoadNode) {
  PlainOracle oracle(net_->graph, travel_->snaps());
  const int n = static_cast<int>(travel_->size());
  std::vector<int> targets;
  for (int t = 3; t < n; t += 97) targets.push_back(t);
  long reached = 0, bounded_reached = 0;
  std::vector<float> tree, some;
  for (int k = 0; k < 12; ++k) {
    const int from = static_cast<int>((static_cast<long>(k) * 7919 + 11) % n);
    const auto want = oracle.tree(from, geo::kUnreachable);
    travel_->tree(from, tree);
    int differ = 0;
    for (int i = 0; i < n; ++i) {
      const auto u = static_cast<std::size_t>(i);
      reached += std::isfinite(want[u]);
      if (tree[u] != want[u] && differ++ < 3)
        ADD_FAILURE() << "site " << from << " -> " << i << ": tree " << tree[u] << ", plain "
                      << want[u];
    }
    EXPECT_EQ(differ, 0) << "from site " << from;
    const auto want20 = oracle.tree(from, 20.f);
    travel_->tree(from, tree, 20.f);
    EXPECT_EQ(tree, want20) << "from site " << from << " within 20 min";
    for (float m : want20) bounded_reached += std::isfinite(m);
    travel_->times_to(from, targets, some, 20.f);
    for (std::size_t j = 0; j < targets.size(); ++j)
      EXPECT_EQ(some[j], want20[static_cast<std::size_t>(targets[j])])
          << from << "->" << targets[j];
  }
  // Most of the island is reached from anywhere, and a 20-minute tree is a real bound.
  EXPECT_GT(reached, 12L * n * 9 / 10);
  EXPECT_GT(bounded_reached, 12L * n / 20);
  EXPECT_LT(bounded_reached, reached);
}
