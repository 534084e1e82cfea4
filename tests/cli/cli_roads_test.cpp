// Road-aware adjacency on the real Isle of Wight, graph export formats, and the `route` and
// `export-graph` commands end to end.
#include <gtest/gtest.h>
#include <metis.h>
#include <ogr_spatialref.h>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "lotwright/study/config.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/study/export.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/study/study.hpp"
#include "support.hpp"

using namespace lotwright;
using geo::Point;

namespace {

// A hand-built unit graph: a 3 x 3 lattice of units, 4-neighbour adjacency.
geo::UnitGraph lattice() {
  geo::UnitGraph g;
  for (int i = 0; i < 9; ++i) {
    g.id.push_back("PO1 " + std::to_string(i) + "AA");
    g.site.push_back({1000.0 * (i % 3), 1000.0 * (i / 3)});
    g.hours.push_back(i == 4 ? 0.0 : 10.0 * i + 0.26);
    g.customers.push_back(i);
    g.unmet_hours.push_back(0);
    g.rural.push_back(i % 2 ? "D1" : "C1");
    g.area_m2.push_back(1e6);
  }
  std::vector<geo::GraphEdge> e;
  for (int i = 0; i < 9; ++i) {
    if (i % 3 < 2) e.push_back({i, i + 1, 2.5f + i, 100.f + i});
    if (i < 6) e.push_back({i, i + 3, 3.5f + i, 200.f + i});
  }
  geo::set_edges(g, e);
  g.geometric_edges = 12;
  return g;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> r;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) r.push_back(l);
  return r;
}

}  // namespace

TEST(Export, MetisFileIsReadByMetis) {
  const auto g = lattice();
  test::ScratchDir dir;
  geo::export_graph(g, geo::GraphFormat::metis, dir / "g.metis");
  const auto l = lines(test::read_text(dir / "g.metis"));
  ASSERT_EQ(l.size(), 10u);
  EXPECT_EQ(l[0], "9 12 010");
  EXPECT_EQ(l[1], "3 2 4");      // unit 0: 0.26 h -> round(2.6) = 3 tenths; neighbours 1-based
  EXPECT_EQ(l[5], "0 2 4 6 8");  // unit 4 (0 h) has four neighbours, 1-based
  // Parse back into METIS's CSR and partition it: METIS accepts what we wrote.
  std::vector<idx_t> xadj{0}, adjncy, vwgt;
  for (std::size_t i = 1; i < l.size(); ++i) {
    std::stringstream ss(l[i]);
    idx_t w;
    ss >> w;
    vwgt.push_back(w);
    for (idx_t v; ss >> v;) adjncy.push_back(v - 1);
    xadj.push_back(static_cast<idx_t>(adjncy.size()));
  }
  idx_t n = 9, ncon = 1, parts = 2, objval = 0;
  std::vector<idx_t> part(9);
  idx_t options[METIS_NOPTIONS];
  METIS_SetDefaultOptions(options);
  options[METIS_OPTION_SEED] = 1;
  ASSERT_EQ(METIS_PartGraphRecursive(&n, &ncon, xadj.data(), adjncy.data(), vwgt.data(), nullptr,
                                     nullptr, &parts, nullptr, nullptr, options, &objval,
                                     part.data()),
            METIS_OK);
  EXPECT_EQ(std::set<idx_t>(part.begin(), part.end()).size(), 2u);
}

TEST(Export, MetisWeightsAreTenthsOfHours) {
  const auto g = lattice();
  test::ScratchDir dir;
  geo::export_graph(g, geo::GraphFormat::metis, dir / "g.metis");
  const auto l = lines(test::read_text(dir / "g.metis"));
  for (std::size_t i = 0; i < 9; ++i) {
    std::stringstream ss(l[i + 1]);
    long w;
    ss >> w;
    EXPECT_EQ(w, std::lround(g.hours[i] * 10)) << i;
  }
}

TEST(Export, GalListsNeighboursByUnitIndex) {
  const auto g = lattice();
  test::ScratchDir dir;
  geo::export_graph(g, geo::GraphFormat::gal, dir / "g.gal");
  const auto l = lines(test::read_text(dir / "g.gal"));
  ASSERT_EQ(l.size(), 1u + 2 * 9);
  EXPECT_EQ(l[0], "9");
  EXPECT_EQ(l[1], "0 2");
  EXPECT_EQ(l[2], "1 3");
  EXPECT_EQ(l[9], "4 4");
  EXPECT_EQ(l[10], "1 3 5 7");
}

TEST(Export, GerrychainJsonHasNodesLinksAndAdjacency) {
  const auto g = lattice();
  test::ScratchDir dir;
  geo::export_graph(g, geo::GraphFormat::gerrychain, dir / "g.json");
  const auto j = nlohmann::json::parse(test::read_text(dir / "g.json"));
  EXPECT_EQ(j["directed"], false);
  EXPECT_EQ(j["multigraph"], false);
  ASSERT_EQ(j["nodes"].size(), 9u);
  EXPECT_EQ(j["nodes"][3]["id"], 3);
  EXPECT_EQ(j["nodes"][3]["postcode"], "PO1 3AA");
  EXPECT_DOUBLE_EQ(j["nodes"][3]["hours"].get<double>(), 30.26);
  EXPECT_EQ(j["nodes"][3]["customers"], 3.0);
  EXPECT_EQ(j["nodes"][3]["easting"], 0.0);
  EXPECT_EQ(j["nodes"][3]["northing"], 1000.0);
  EXPECT_EQ(j["nodes"][3]["rural"], "D1");
  ASSERT_EQ(j["links"].size(), 12u);
  EXPECT_EQ(j["links"][0]["source"], 0);
  EXPECT_EQ(j["links"][0]["target"], 1);
  EXPECT_DOUBLE_EQ(j["links"][0]["minutes"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(j["links"][0]["border_m"].get<double>(), 100);
  ASSERT_EQ(j["adjacency"].size(), 9u);
  EXPECT_EQ(j["adjacency"][4].size(), 4u);
}

TEST(Export, BadFormatIsAUsageErrorAndNothingIsWritten) {
  EXPECT_THROW(geo::parse_graph_format("shapefile"), geo::UsageError);
  EXPECT_EQ(geo::parse_graph_format("gal"), geo::GraphFormat::gal);
  geo::UnitGraph incomplete;
  incomplete.id = {"A"};
  incomplete.site = {{0, 0}};
  incomplete.hours = {1};
  test::ScratchDir dir;
  EXPECT_THROW(geo::export_graph(incomplete, geo::GraphFormat::gal, dir / "x.gal"), geo::DataError);
  EXPECT_TRUE(test::list_files(dir.path()).empty());
}

// ---- road-aware adjacency on the Isle of Wight ----

class IowStudy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("IowStudy");
    const auto cfg = geo::load_config(test::write_iow_config(dir_->path(), ""));
    study_ = new geo::Study(geo::load_study(cfg));
  }
  static void TearDownTestSuite() {
    delete study_;
    delete dir_;
  }
  static bool adjacent(const geo::UnitGraph& g, int a, int b) {
    for (auto k = g.offsets[static_cast<std::size_t>(a)]; k < g.offsets[static_cast<std::size_t>(a) + 1]; ++k)
      if (g.targets[k] == static_cast<std::uint32_t>(b)) return true;
    return false;
  }
  static test::ScratchDir* dir_;
  static geo::Study* study_;
};
test::ScratchDir* IowStudy::dir_ = nullptr;
geo::Study* IowStudy::study_ = nullptr;

TEST_F(IowStudy, CowesAndEastCowesAreNotNeighbours) {
  const auto& g = study_->graph;
  const int cowes = g.find("PO31 7AA"), east = g.find("PO32 6AA");
  ASSERT_GE(cowes, 0);
  ASSERT_GE(east, 0);
  EXPECT_FALSE(adjacent(g, cowes, east));
  EXPECT_FALSE(adjacent(g, east, cowes));
  EXPECT_GT(g.dropped_edges, 0);
  EXPECT_EQ(g.geometric_edges, static_cast<long>(study_->units.edges.size()));
  EXPECT_EQ(static_cast<long>(g.targets.size() / 2), g.geometric_edges - g.dropped_edges);
  std::cout << g.dropped_edges << " of " << g.geometric_edges << " geometric pairs dropped\n";
}

// The River Medina's centre line north of Newport (OSM waterway=river, name River Medina),
// read from the extract and projected with GDAL/OSR.
std::vector<std::pair<Point, Point>> medina_north_of_newport() {
  const auto osm = test::iow_dir() / "osm/isle-of-wight-2015-01-01.osm.pbf";
  std::vector<std::vector<osmium::object_id_type>> ways;
  {
    osmium::io::Reader r(osmium::io::File(osm.string()), osmium::osm_entity_bits::way);
    while (auto buf = r.read())
      for (const auto& w : buf.select<osmium::Way>()) {
        const char* ww = w.tags()["waterway"];
        const char* name = w.tags()["name"];
        if (!ww || !name || std::string(name) != "River Medina") continue;
        ways.emplace_back();
        for (const auto& n : w.nodes()) ways.back().push_back(n.ref());
      }
  }
  std::map<osmium::object_id_type, Point> loc;
  for (const auto& w : ways)
    for (auto id : w) loc[id] = {};
  {
    osmium::io::Reader r(osmium::io::File(osm.string()), osmium::osm_entity_bits::node);
    while (auto buf = r.read())
      for (const auto& n : buf.select<osmium::Node>()) {
        auto it = loc.find(n.id());
        if (it != loc.end()) it->second = {n.location().lon(), n.location().lat()};
      }
  }
  OGRSpatialReference wgs, bng;
  wgs.importFromEPSG(4326);
  wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  bng.importFromEPSG(27700);
  bng.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs, &bng));
  for (auto& [id, p] : loc) ct->Transform(1, &p.x, &p.y);
  std::vector<std::pair<Point, Point>> segs;
  for (const auto& w : ways)
    for (std::size_t i = 1; i < w.size(); ++i) {
      const Point a = loc[w[i - 1]], b = loc[w[i]];
      if (a.y > 90000 && b.y > 90000) segs.emplace_back(a, b);
    }
  return segs;
}

bool crosses(Point p, Point q, Point a, Point b) {
  auto orient = [](Point o, Point u, Point v) {
    const double c = (u.x - o.x) * (v.y - o.y) - (u.y - o.y) * (v.x - o.x);
    return (c > 0) - (c < 0);
  };
  return orient(p, q, a) * orient(p, q, b) < 0 && orient(a, b, p) * orient(a, b, q) < 0;
}

TEST_F(IowStudy, NoPairStraddlesTheMedinaNorthOfNewport) {
  // A pair straddles the estuary when the straight line between the two postcodes crosses
  // the river's centre line north of Newport (no road bridge there; the chain ferry is
  // not a road).
  const auto river = medina_north_of_newport();
  ASSERT_GT(river.size(), 10u);
  const auto& g = study_->graph;
  auto straddles = [&](std::size_t u, std::size_t v) {
    for (const auto& [a, b] : river)
      if (crosses(g.site[u], g.site[v], a, b)) return true;
    return false;
  };
  int kept = 0;
  for (std::size_t u = 0; u < g.size(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const auto v = g.targets[k];
      if (v <= u || !straddles(u, v)) continue;
      ++kept;
      ADD_FAILURE() << g.id[u] << " - " << g.id[v] << " are neighbours across the Medina ("
                    << g.edge_minutes[k] << " min by road)";
    }
  EXPECT_EQ(kept, 0);
  // The coastline-clipped cells already stop at the water here. With a coarser boundary
  // (ONS's 200 m super-generalised outline fills the estuary) cells would touch across it:
  // add every pair of postcodes within 1 km on opposite banks as a shared border and check
  // the road rule drops them all, Cowes - East Cowes among them, and keeps the island whole.
  geo::Units coarse = study_->units;
  const int cowes = g.find("PO31 7AA"), east = g.find("PO32 6AA");
  bool cowes_added = false;
  for (std::size_t u = 0; u < g.size(); ++u) {
    if (g.site[u].y < 89500 || g.site[u].x < 447500 || g.site[u].x > 452500) continue;
    for (std::size_t v = u + 1; v < g.size(); ++v) {
      const double d = std::hypot(g.site[u].x - g.site[v].x, g.site[u].y - g.site[v].y);
      if (d > 1000 || !straddles(u, v)) continue;
      coarse.edges.push_back({static_cast<int>(u), static_cast<int>(v), 50.0});
      cowes_added |= (static_cast<int>(u) == cowes && static_cast<int>(v) == east);
    }
  }
  const std::size_t added = coarse.edges.size() - study_->units.edges.size();
  std::cout << added << " postcode pairs within 1 km on opposite banks of the Medina\n";
  EXPECT_GT(added, 1000u);
  EXPECT_TRUE(cowes_added);
  geo::UnitGraph cg = g;
  geo::build_road_adjacency(cg, coarse, study_->config.roads);
  // Kept straddling pairs with both postcodes north of Newport's built-up riverside
  // (northing 90,700; the last road bridges are in Newport). A pair whose road time exceeds
  // the rule's threshold was put back only to keep a unit joined to the rest; it is counted
  // apart (the river's meanders make some same-bank pairs cross its centre line).
  const auto& rc = study_->config.roads;
  int kept_by_rule = 0, kept_for_connectivity = 0;
  for (std::size_t u = 0; u < cg.size(); ++u)
    for (auto k = cg.offsets[u]; k < cg.offsets[u + 1]; ++k) {
      const auto v = cg.targets[k];
      if (v <= u || !straddles(u, v) || cg.site[u].y < 90700 || cg.site[v].y < 90700) continue;
      const double d = std::hypot(cg.site[u].x - cg.site[v].x, cg.site[u].y - cg.site[v].y);
      const double threshold = std::max(rc.neighbour_minutes, rc.neighbour_detour * d / 500.0);
      if (cg.edge_minutes[k] <= threshold) {
        ++kept_by_rule;
        ADD_FAILURE() << cg.id[u] << " - " << cg.id[v] << " kept across the Medina ("
                      << cg.edge_minutes[k] << " min by road)";
      } else {
        ++kept_for_connectivity;
      }
    }
  std::cout << kept_for_connectivity << " kept only to keep a unit joined\n";
  EXPECT_EQ(kept_by_rule, 0);
  EXPECT_LE(kept_for_connectivity, 2);
  EXPECT_GT(cg.dropped_edges, g.dropped_edges + static_cast<long>(added) * 9 / 10);
  int parts = 0;
  geo::components(cg, &parts);
  EXPECT_EQ(parts, 1);
}

TEST_F(IowStudy, TheIslandStaysOneConnectedGraph) {
  int parts = 0;
  geo::components(study_->graph, &parts);
  EXPECT_EQ(parts, 1);
  // Kept pairs have finite road minutes, and short ones.
  const auto& g = study_->graph;
  float worst = 0;
  for (float m : g.edge_minutes) {
    ASSERT_TRUE(std::isfinite(m));
    worst = std::max(worst, m);
  }
  EXPECT_LT(worst, 60.f);
}

TEST_F(IowStudy, AdjacencyIsTheSameOnEveryRunAndWithOneThread) {
  // Rebuild from the same units: identical CSR (results independent of thread timing).
  geo::UnitGraph again = study_->graph;
  again.offsets.clear();
  again.targets.clear();
  geo::build_road_adjacency(again, study_->units, study_->config.roads);
  EXPECT_EQ(again.offsets, study_->graph.offsets);
  EXPECT_EQ(again.targets, study_->graph.targets);
  EXPECT_EQ(again.edge_minutes, study_->graph.edge_minutes);
  EXPECT_EQ(again.dropped_edges, study_->graph.dropped_edges);
}

TEST_F(IowStudy, StricterRuleDropsMoreLooserRuleFewer) {
  auto roads = study_->config.roads;
  roads.neighbour_minutes = 10;
  roads.neighbour_detour = 6;
  geo::UnitGraph loose = study_->graph;
  geo::build_road_adjacency(loose, study_->units, roads);
  EXPECT_LT(loose.dropped_edges, study_->graph.dropped_edges);
  roads.neighbour_minutes = 2;
  roads.neighbour_detour = 1.5;
  geo::UnitGraph strict = study_->graph;
  geo::build_road_adjacency(strict, study_->units, roads);
  EXPECT_GT(strict.dropped_edges, study_->graph.dropped_edges);
  int parts = 0;
  geo::components(strict, &parts);
  EXPECT_EQ(parts, 1);  // dropped pairs that would cut the island apart are put back
}

// ---- commands ----

TEST(RouteCli, CowesToEastCowesAndNewportToRyde) {
  test::ScratchDir dir;
  const auto cfg = test::write_iow_config(dir.path(), "");
  // lon/lat of PO31 7AA, PO32 6AA, PO30 1AE, PO33 2AA (from the postcode file).
  test::write_text(dir / "pairs.csv",
                   "from_lon,from_lat,to_lon,to_lat\n"
                   "-1.300354,50.761197,-1.288435,50.761799\n"
                   "-1.296528,50.693863,-1.162234,50.729864\n");
  auto r = test::run_cli({"route", cfg.string(), "--pairs", (dir / "pairs.csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto l = lines(r.out);
  ASSERT_EQ(l.size(), 3u) << r.out;
  EXPECT_EQ(l[0], "from_lon,from_lat,to_lon,to_lat,minutes,km");
  double v[2][6];
  for (int i = 0; i < 2; ++i) {
    std::stringstream ss(l[static_cast<std::size_t>(i) + 1]);
    for (int c = 0; c < 6; ++c) {
      std::string cell;
      std::getline(ss, cell, ',');
      v[i][c] = std::stod(cell);
    }
  }
  EXPECT_EQ(v[0][0], -1.300354);
  EXPECT_GE(v[0][4], 10);  // Cowes -> East Cowes: round by Newport
  EXPECT_GT(v[0][5], 6);
  EXPECT_GE(v[1][4], 12);  // Newport -> Ryde
  EXPECT_LE(v[1][4], 25);
  // The road graph was cached beside the config; a second run reads it and agrees.
  EXPECT_EQ(test::list_files(dir / ".lotwright-cache").size(), 1u);
  auto again = test::run_cli({"route", cfg.string(), "--pairs", (dir / "pairs.csv").string(),
                              "--out", (dir / "out.csv").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(test::read_text(dir / "out.csv"), r.out);
}

TEST(RouteCli, BadPairsNameFileLineAndColumnAndWriteNothing) {
  test::ScratchDir dir;
  const auto cfg = test::write_iow_config(dir.path(), "");
  test::write_text(dir / "pairs.csv",
                   "from_lon,from_lat,to_lon,to_lat\n"
                   "-1.30,50.76,-1.29,50.76\n"
                   "-1.30,fifty,-1.29,50.76\n");
  auto r = test::run_cli({"route", cfg.string(), "--pairs", (dir / "pairs.csv").string(),
                          "--out", (dir / "out.csv").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pairs.csv:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("from_lat"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out.csv"));
  test::write_text(dir / "pairs2.csv", "from_lon,from_lat,to_lon\n-1.3,50.7,-1.2\n");
  r = test::run_cli({"route", cfg.string(), "--pairs", (dir / "pairs2.csv").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("to_lat"), std::string::npos) << r.err;
  test::write_text(dir / "pairs3.csv", "from_lon,from_lat,to_lon,to_lat\n-1.3,95,-1.2,50.7\n");
  r = test::run_cli({"route", cfg.string(), "--pairs", (dir / "pairs3.csv").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("latitude"), std::string::npos) << r.err;
  r = test::run_cli({"route", cfg.string()});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ExportGraphCli, GerrychainOnTheIsleOfWightLoadsInNetworkx) {
  test::ScratchDir dir;
  const auto cfg = test::write_iow_config(dir.path(), "");
  auto r = test::run_cli({"export-graph", cfg.string(), "--format", "gerrychain", "--out",
                          (dir / "iow.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("dropped by the road rule"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(test::read_text(dir / "iow.json"));
  EXPECT_GT(j["nodes"].size(), 5000u);
  // Same inputs -> byte-identical output (this run reads the cached road graph).
  r = test::run_cli({"export-graph", cfg.string(), "--format", "gerrychain", "--out",
                     (dir / "again.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::read_text(dir / "again.json"), test::read_text(dir / "iow.json"));
  // The links form one connected graph without the Cowes - East Cowes pair, and the
  // adjacency lists hold the same pairs both ways.
  const auto& nodes = j["nodes"];
  std::map<std::string, int> pc;
  for (const auto& n : nodes) pc[n["postcode"].get<std::string>()] = n["id"].get<int>();
  std::vector<int> parent(nodes.size());
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<int>(i);
  std::function<int(int)> find = [&](int x) {
    return parent[static_cast<std::size_t>(x)] == x ? x
                                                    : parent[static_cast<std::size_t>(x)] =
                                                          find(parent[static_cast<std::size_t>(x)]);
  };
  std::set<std::pair<int, int>> pairs;
  for (const auto& l : j["links"]) {
    const int a = l["source"], b = l["target"];
    ASSERT_LT(a, b);
    ASSERT_TRUE(l["minutes"].is_number());
    pairs.insert({a, b});
    parent[static_cast<std::size_t>(find(a))] = find(b);
  }
  std::set<int> roots;
  for (std::size_t i = 0; i < parent.size(); ++i) roots.insert(find(static_cast<int>(i)));
  EXPECT_EQ(roots.size(), 1u);
  EXPECT_EQ(pairs.count({pc.at("PO31 7AA"), pc.at("PO32 6AA")}), 0u);
  std::size_t adjacency_entries = 0;
  for (std::size_t u = 0; u < j["adjacency"].size(); ++u)
    for (const auto& a : j["adjacency"][u]) {
      ++adjacency_entries;
      const int v = a["id"];
      EXPECT_EQ(pairs.count({std::min<int>(static_cast<int>(u), v), std::max<int>(static_cast<int>(u), v)}), 1u);
    }
  EXPECT_EQ(adjacency_entries, 2 * pairs.size());
}

TEST(ExportGraphCli, UnknownFormatIsUsageError) {
  test::ScratchDir dir;
  const auto cfg = test::write_iow_config(dir.path(), "");
  auto r = test::run_cli({"export-graph", cfg.string(), "--format", "shapefile", "--out",
                          (dir / "x").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "x"));
}
