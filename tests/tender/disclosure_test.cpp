// Disclosure control: primary and secondary suppression, rounding, provider demand by sector.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>

#include "lotwright/core/error.hpp"

#include "lotwright/tender/disclosure.hpp"
#include "support.hpp"
#include "tender_fixture.hpp"

using namespace lotwright;

TEST(Suppression, SmallCellsArePrimarySuppressed) {
  const auto s = tender::suppress_cells({0, 1, 4, 5, 12, 4.6}, {0, 0, 0, 0, 0, 0});
  // 1 and 4 primary; 4.6 rounds to 5 (kept); 0 is not a small count.
  EXPECT_EQ(s, (std::vector<bool>{false, true, true, false, false, false}));
}

TEST(Suppression, LoneSuppressedCellGetsASecondOne) {
  // Group 0: one small cell (3) -> the smallest non-zero other (6) goes too, not the zero.
  // Group 1: two small cells -> nothing more.  Group 2: none.
  const std::vector<double> c = {3, 9, 0, 6, 2, 1, 30, 7, 8};
  const std::vector<int> g = {0, 0, 0, 0, 1, 1, 1, 2, 2};
  const auto s = tender::suppress_cells(c, g);
  EXPECT_EQ(s, (std::vector<bool>{true, false, false, true, true, true, false, false, false}));
}

TEST(Suppression, TiesPickTheLowestIndexAndZeroOnlyAsLastResort) {
  EXPECT_EQ(tender::suppress_cells({2, 7, 7}, {5, 5, 5}),
            (std::vector<bool>{true, true, false}));
  EXPECT_EQ(tender::suppress_cells({2, 0}, {1, 1}), (std::vector<bool>{true, true}));
  EXPECT_EQ(tender::suppress_cells({2}, {1}), (std::vector<bool>{true}));
  EXPECT_THROW(tender::suppress_cells({1, 2}, {0}), std::invalid_argument);
}

TEST(Suppression, RoundingRules) {
  EXPECT_EQ(tender::round_hours(0), 0);
  EXPECT_EQ(tender::round_hours(2.4), 0);
  EXPECT_EQ(tender::round_hours(2.5), 5);
  EXPECT_EQ(tender::round_hours(7.49), 5);
  EXPECT_EQ(tender::round_hours(123.0), 125);
  EXPECT_EQ(tender::disclosed_customers(0), 0L);
  EXPECT_FALSE(tender::disclosed_customers(1).has_value());
  EXPECT_FALSE(tender::disclosed_customers(4.4).has_value());
  EXPECT_EQ(tender::disclosed_customers(5), 5L);
  EXPECT_EQ(tender::disclosed_customers(7.4), 5L);
  EXPECT_EQ(tender::disclosed_customers(8), 10L);
  EXPECT_EQ(tender::disclosed_customers(1234), 1235L);
}

TEST(ProviderDemand, SectorsOnlyRoundedAndSuppressed) {
  test::TenderFixture f;
  const auto rows = tender::provider_demand(f.graph, f.plan);
  ASSERT_EQ(rows.size(), 9u);  // PO30 1 .. PO30 9
  std::map<int, int> suppressed_per_lot, sectors_per_lot;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    EXPECT_EQ(r.sector, "PO30 " + std::to_string(i + 1));
    EXPECT_FALSE(test::has_full_postcode(r.sector));
    ++sectors_per_lot[r.lot];
    if (r.suppressed) {
      ++suppressed_per_lot[r.lot];
      EXPECT_FALSE(r.hours.has_value());
      EXPECT_FALSE(r.customers.has_value());
      continue;
    }
    ASSERT_TRUE(r.hours && r.customers);
    EXPECT_EQ(std::fmod(*r.hours, 5.0), 0.0) << r.sector;
    EXPECT_TRUE(*r.customers == 0 || *r.customers >= 5) << r.sector;
  }
  // Sector PO30 4 (2 customers) is suppressed, and so is a second sector of its lot.
  EXPECT_TRUE(rows[3].suppressed);
  EXPECT_EQ(rows[3].lot, 1);
  EXPECT_EQ(suppressed_per_lot[1], 2);
  for (const auto& [lot, n] : suppressed_per_lot) EXPECT_NE(n, 1) << "lot " << lot;
  // The sector whose exact hours are known matches a direct sum.
  double h1 = 0;
  for (std::size_t u = 0; u < f.graph.size(); ++u)
    if (f.graph.id[u].rfind("PO30 1", 0) == 0) h1 += f.graph.hours[u];
  ASSERT_TRUE(rows[0].hours);
  EXPECT_EQ(*rows[0].hours, tender::round_hours(h1));
  // Centres are hours-weighted points inside the grid.
  for (const auto& r : rows) {
    EXPECT_GE(r.centre.x, f.kX0);
    EXPECT_LE(r.centre.x, f.kX0 + f.kCols * f.kCell);
  }
}

TEST(ProviderDemand, CsvHasNoPostcodeAndNoSmallCount) {
  test::TenderFixture f;
  const auto rows = tender::provider_demand(f.graph, f.plan);
  const std::string csv = tender::provider_demand_csv(rows, {"West Vale", "Zone 2", "East Downs"});
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "sector,zone,zone_name,customers,hours,suppressed");
  std::string pc;
  EXPECT_FALSE(test::has_full_postcode(csv, &pc)) << pc;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  int n = 0;
  while (std::getline(in, line)) {
    const auto cols = test::split_csv(line);
    ASSERT_EQ(cols.size(), 6u) << line;
    if (!cols[3].empty()) {
      const long v = std::stol(cols[3]);
      EXPECT_TRUE(v == 0 || v >= 5) << line;
    }
    ++n;
  }
  EXPECT_EQ(n, 9);
  EXPECT_NE(csv.find("PO30 4,2,Zone 2,,,yes"), std::string::npos) << csv;
}

TEST(ProviderDemand, RuralClassChartCombinesSmallClasses) {
  test::TenderFixture f;
  // Zone 1 holds one unit without a class ("unknown") with 1..4 customers: it is combined
  // with the smallest other class (C1, the only one), so the chart shows the zone total.
  const auto cls = tender::rural_class_demand(f.graph, f.plan, 0);
  ASSERT_EQ(cls.size(), 1u);
  EXPECT_EQ(cls[0].cls, "C1+unknown");
  EXPECT_FALSE(cls[0].suppressed);
  EXPECT_FALSE(cls[0].rural);
  double zone_hours = 0;
  for (std::size_t u = 0; u < f.graph.size(); ++u)
    if (f.plan.lot_of[u] == 0) zone_hours += f.graph.hours[u];
  EXPECT_EQ(*cls[0].hours, tender::round_hours(zone_hours));
  const auto east = tender::rural_class_demand(f.graph, f.plan, 2);
  ASSERT_EQ(east.size(), 2u);
  EXPECT_EQ(east[0].cls, "E1");
  EXPECT_TRUE(east[0].rural);
  EXPECT_TRUE(east[1].rural);  // F2
  EXPECT_FALSE(east[0].suppressed);
  EXPECT_EQ(std::fmod(*east[0].hours, 5.0), 0.0);

  // Hand-made: classes with 2, 1, 6 and 30 customers: "D1+E1" has 3, so F1 (6, the fewest)
  // joins it; C1 (30) stays on its own.
  geo::UnitGraph g;
  g.id = {"A", "B", "C", "D"};
  g.hours = {4, 2, 12, 60};
  g.customers = {2, 1, 6, 30};
  g.rural = {"D1", "E1", "F1", "C1"};
  geo::Plan p;
  p.lot_count = 1;
  p.lot_of = {0, 0, 0, 0};
  const auto c = tender::rural_class_demand(g, p, 0);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].cls, "C1");
  EXPECT_EQ(c[1].cls, "D1+E1+F1");
  EXPECT_TRUE(c[1].rural);
  EXPECT_EQ(*c[1].hours, 20);
  // A zone with 3 customers in all: nothing shown.
  g.customers = {1, 1, 1, 0};
  const auto tiny = tender::rural_class_demand(g, p, 0);
  ASSERT_EQ(tiny.size(), 2u);
  EXPECT_EQ(tiny[1].cls, "D1+E1+F1");
  EXPECT_TRUE(tiny[1].suppressed);
  EXPECT_FALSE(tiny[1].hours.has_value());
}

TEST(ProviderDemand, RejectsAPlanOfAnotherGraph) {
  test::TenderFixture f;
  geo::Plan p = f.plan;
  p.lot_of.pop_back();
  EXPECT_THROW(tender::provider_demand(f.graph, p), geo::DataError);
}
