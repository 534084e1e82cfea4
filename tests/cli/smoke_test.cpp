#include <gtest/gtest.h>

#include "lotwright/core/network.hpp"
#include "support.hpp"

using namespace lotwright;

TEST(Network, SetEdgesBuildsSymmetricSortedCsr) {
  geo::UnitGraph g;
  g.id = {"A", "B", "C", "D"};
  g.hours = {1, 2, 3, 4};
  geo::set_edges(g, {{2, 0, 1.f, 10.f}, {0, 1, 2.f, 5.f}, {1, 0, 1.5f, 6.f}, {3, 3, 0.f, 0.f}});
  ASSERT_EQ(g.offsets.size(), 5u);
  EXPECT_EQ(g.offsets[4], 4u);  // two undirected edges, both ways; self loop dropped
  EXPECT_EQ(g.targets[0], 1u);
  EXPECT_EQ(g.targets[1], 2u);
  EXPECT_FLOAT_EQ(g.edge_minutes[0], 1.5f);  // duplicate merged: shorter time
  EXPECT_FLOAT_EQ(g.edge_border_m[0], 6.f);  // longer border
  int count = 0;
  auto comp = geo::components(g, &count);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(comp[3], 1);  // D alone has 4 h < 6 h of A+B+C
  EXPECT_EQ(g.find("C"), 2);
  EXPECT_EQ(g.find("Z"), -1);
}

TEST(Cli, UnknownSubcommandExitsTwo) {
  auto r = test::run_cli({"no-such-command"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST(Cli, HelpListsCommands) {
  auto r = test::run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("inspect"), std::string::npos);
  EXPECT_NE(r.out.find("synth-demand"), std::string::npos);
}
