// Disclosure control: primary and secondary suppression, rounding, provider demand by sector.
#include "lotwright/tender/disclosure.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "lotwright/core/error.hpp"
#include "support.hpp"
#include "tender_fixture.hpp"

using namespace lotwright;

std::vector<tender::CellIn> cells(const std::vector<double>& hours,
                                  const std::vector<double>& customers,
                                  const std::vector<int>& group) {
  std::vector<tender::CellIn> out;
  for (std::size_t i = 0; i < hours.size(); ++i) out.push_back({hours[i], customers[i], group[i]});
  return out;
}
std::vector<bool> suppressed(const tender::PublishedTable& t) {
  std::vector<bool> out;
  for (const auto& c : t.cells) out.push_back(c.suppressed);
  return out;
}

TEST(Suppression, SmallCellsArePrimarySuppressed) {
  // 1 and 4 customers; 15 h with 0 customers (someone is there); 4.6 rounds to 5 (kept);
  // an empty cell is not small. The suppressed cells hold 5 or more together.
  const auto t = tender::publish_table(
      cells({10, 3, 20, 40, 80, 15, 0, 30}, {0, 1, 4, 5, 12, 0, 0, 4.6}, {0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(suppressed(t), (std::vector<bool>{true, true, true, false, false, true, false, false}));
  const auto& g = t.groups.at(0);
  EXPECT_EQ(g.suppressed_cells, 4);
  ASSERT_TRUE(g.combined_hours && g.combined_customers);
  EXPECT_EQ(*g.combined_customers, 5);  // 0 + 1 + 4 + 0 customers
  EXPECT_EQ(*g.combined_hours, 50);     // 10 + 3 + 20 + 15 = 48 -> 50
}

TEST(Suppression, SecondaryUntilTheSuppressedHoldFive) {
  // Group 0: one small cell (3) -> the smallest other with customers (6) joins, not the
  // empty one. Group 1: 2 + 1 = 3 < 5 -> 30 joins too. Group 2: none.
  const std::vector<double> c = {3, 9, 0, 6, 2, 1, 30, 7, 8};
  const std::vector<double> h = {9, 30, 0, 20, 6, 3, 100, 21, 24};
  const std::vector<int> g = {0, 0, 0, 0, 1, 1, 1, 2, 2};
  const auto t = tender::publish_table(cells(h, c, g));
  EXPECT_EQ(suppressed(t),
            (std::vector<bool>{true, false, false, true, true, true, true, false, false}));
  for (const auto& [id, grp] : t.groups) {
    double sum_h = grp.combined_hours.value_or(0);
    long sum_c = grp.combined_customers.value_or(0);
    for (std::size_t i = 0; i < t.cells.size(); ++i) {
      if (g[i] != id || t.cells[i].suppressed) continue;
      sum_h += *t.cells[i].hours;
      sum_c += *t.cells[i].customers;
    }
    EXPECT_EQ(sum_h, grp.hours) << "group " << id;  // the parts add up to the total exactly
    EXPECT_EQ(sum_c, *grp.customers) << "group " << id;
  }
  EXPECT_EQ(t.groups.at(0).hours, 60);  // 59 -> 60
}

TEST(Suppression, ASmallGroupPublishesNothingOfItsCells) {
  const auto t = tender::publish_table(cells({2, 7}, {1, 2}, {4, 4}));
  EXPECT_EQ(suppressed(t), (std::vector<bool>{true, true}));
  EXPECT_TRUE(t.groups.at(4).small);
  EXPECT_FALSE(t.groups.at(4).customers.has_value());
  EXPECT_FALSE(t.groups.at(4).combined_hours.has_value());
}

TEST(Suppression, ControlledRoundingAddsUp) {
  EXPECT_EQ(tender::controlled_round({2.4, 2.4, 2.4}, 5), (std::vector<double>{5, 0, 0}));
  EXPECT_EQ(tender::controlled_round({7, 8, 12.5}, 5), (std::vector<double>{5, 10, 15}));
  const auto r = tender::controlled_round({3.3, 11.1, 0, 47.9, 1.2}, 5);
  EXPECT_EQ(std::accumulate(r.begin(), r.end(), 0.0), 65);
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

TEST(ProviderDemand, ZoneBySectorRowsAddUpToTheZones) {
  test::TenderFixture f;
  const auto rows = tender::provider_demand(f.graph, f.plan);
  const auto zones = tender::zone_figures(f.graph, f.plan);
  std::map<int, int> suppressed_per_lot;
  std::map<int, double> hours_per_lot;
  std::map<int, long> customers_per_lot;
  std::set<std::pair<std::string, int>> seen;
  for (const auto& r : rows) {
    std::ostringstream why;
    why << r.sector << " zone " << r.lot + 1;
    EXPECT_FALSE(test::has_full_postcode(r.sector));
    EXPECT_TRUE(seen.emplace(r.sector, r.lot).second) << why.str() << " twice";
    if (r.suppressed) {
      ++suppressed_per_lot[r.lot];
      EXPECT_FALSE(r.hours.has_value());
      EXPECT_FALSE(r.customers.has_value());
      continue;
    }
    ASSERT_TRUE(r.hours && r.customers) << why.str();
    EXPECT_EQ(std::fmod(*r.hours, 5.0), 0.0) << why.str();
    EXPECT_EQ(*r.customers % 5, 0) << why.str();
    EXPECT_TRUE(*r.customers >= 5 || (*r.customers == 0 && *r.hours == 0)) << why.str();
    hours_per_lot[r.lot] += *r.hours;
    customers_per_lot[r.lot] += *r.customers;
  }
  // Sector PO30 4 (2 customers) is suppressed, and so is a second sector of its zone; the
  // zone's "(suppressed sectors)" row holds them together (5 or more customers).
  const auto po4 =
      std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.sector == "PO30 4"; });
  ASSERT_NE(po4, rows.end());
  EXPECT_TRUE(po4->suppressed);
  EXPECT_EQ(po4->lot, 1);
  EXPECT_EQ(suppressed_per_lot[1], 2);
  const auto comb =
      std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.combined && r.lot == 1; });
  ASSERT_NE(comb, rows.end());
  EXPECT_EQ(comb->sector, tender::kSuppressedSectors);
  ASSERT_TRUE(comb->customers);
  EXPECT_GE(*comb->customers, 5);
  // Per zone the rows add up EXACTLY to the zone's published hours and customers.
  for (int z = 0; z < f.plan.lot_count; ++z) {
    EXPECT_EQ(hours_per_lot[z], zones[z].hours) << "zone " << z + 1;
    ASSERT_TRUE(zones[z].customers);
    EXPECT_EQ(customers_per_lot[z], *zones[z].customers) << "zone " << z + 1;
  }
  // A zone's hours are its exact hours rounded to 5.
  double h1 = 0;
  for (std::size_t u = 0; u < f.graph.size(); ++u)
    if (f.plan.lot_of[u] == 0) h1 += f.graph.hours[u];
  EXPECT_EQ(zones[0].hours, tender::round_hours(h1));
  // Centres are hours-weighted points inside the grid.
  for (const auto& r : rows) {
    if (r.combined) continue;
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
  EXPECT_EQ(n, static_cast<int>(rows.size()));
  EXPECT_NE(csv.find("PO30 4,2,Zone 2,,,yes"), std::string::npos) << csv;
  EXPECT_NE(csv.find("(suppressed sectors),2,Zone 2,"), std::string::npos) << csv;
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
  ASSERT_EQ(tiny.size(), 1u);  // C1 has hours but no customers: suppressed with the rest
  EXPECT_EQ(tiny[0].cls, "C1+D1+E1+F1");
  EXPECT_TRUE(tiny[0].suppressed);
  EXPECT_FALSE(tiny[0].hours.has_value());
}

TEST(ProviderDemand, RejectsAPlanOfAnotherGraph) {
  test::TenderFixture f;
  geo::Plan p = f.plan;
  p.lot_of.pop_back();
  EXPECT_THROW(tender::provider_demand(f.graph, p), geo::DataError);
}
