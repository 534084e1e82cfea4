// Tender packs on a synthetic county: schedule figures, roles per tier, the rural classifier,
// and the written pack (xlsx, pdf, layers, OCDS, provider CSV), its atomicity and determinism.
#include "lotwright/tender/tender.hpp"

#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "lotwright/core/error.hpp"
#include "lotwright/metrics/study_options.hpp"
#include "lotwright/plan/plan_io.hpp"
#include "lotwright/tender/disclosure.hpp"
#include "support.hpp"
#include "tender_fixture.hpp"

using namespace lotwright;
namespace fs = std::filesystem;

TEST(Scan, FullPostcodeDetector) {
  for (const char* t : {"PO30 1AE", "x PO301AE y", "SW1A 1AA", "M1 1AE.", "(B33 8TH)", "CR2 6XH"})
    EXPECT_TRUE(test::has_full_postcode(t)) << t;
  for (const char* t : {"PO30 1", "PO30 1A", "PO30 1CA", "po30 1ae", "XPO30 1AEX", "Lot 1a",
                        "2027-04-01", "PO30 1AEE"})
    EXPECT_FALSE(test::has_full_postcode(t)) << t;
  std::string found;
  EXPECT_TRUE(test::has_full_postcode("sector PO30 1, unit PO30 1AE.", &found));
  EXPECT_EQ(found, "PO30 1AE");
}

TEST(Rural, OneClassifierForOnsAndUkruc) {
  for (const char* c : {"D1", "D2", "E1", "E2", "F1", "F2", "d1", " E2 ", "1", "2", "Rural village",
                        "Rural town and fringe in a sparse setting"})
    EXPECT_TRUE(tender::is_rural_class(c)) << c;
  for (const char* c : {"A1", "B1", "C1", "C2", "D3", "G1", "0", "", "unknown", "E", "12",
                        "Urban city and town", "Urban major conurbation"})
    EXPECT_FALSE(tender::is_rural_class(c)) << c;
}

TEST(Roles, DefaultsPerModeAndTier) {
  geo::Config c;
  tender::TenderConfig t;
  c.design.lots = 6;
  auto r = tender::roles_for_tier(c, t, "");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].name, "Lead");
  EXPECT_DOUBLE_EQ(r[0].share, 0.6);
  EXPECT_DOUBLE_EQ(r[1].share + r[2].share, 0.4);

  c.design.lots.reset();
  c.design.tiers = {{"level 1", 700, 1300, {}}, {"level 2", 240, 450, {}}, {"level 3", 0, 150, {}}};
  r = tender::roles_for_tier(c, t, "level 1");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].name, "Secondary");
  EXPECT_DOUBLE_EQ(r[0].share + r[1].share, 1.0);
  r = tender::roles_for_tier(c, t, "level 2");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].share, 1.0);
  EXPECT_TRUE(tender::roles_for_tier(c, t, "level 3").empty());
  EXPECT_EQ(tender::roles_for_tier(c, t, "not a tier").size(), 3u);
  // The number in a name wins over the position; names without numbers go by position.
  EXPECT_EQ(tender::roles_for_tier(c, t, "Level 2").size(), 1u);  // not listed, numbered
  EXPECT_TRUE(tender::roles_for_tier(c, t, "Tier 4 (DPS)").empty());
  c.design.tiers = {
      {"urban", 700, 1300, {}}, {"market towns", 240, 450, {}}, {"remote", 0, 150, {}}};
  EXPECT_EQ(tender::roles_for_tier(c, t, "urban").size(), 2u);
  EXPECT_EQ(tender::roles_for_tier(c, t, "market towns").size(), 1u);
  EXPECT_TRUE(tender::roles_for_tier(c, t, "remote").empty());

  // Config roles: by tier name first, then the catch-all "".
  t.roles = {{"level 3", {{"Lead", 1.0}}}, {"", {{"Lead", 0.5}, {"Partner", 0.5}}}};
  EXPECT_EQ(tender::roles_for_tier(c, t, "level 3").size(), 1u);
  r = tender::roles_for_tier(c, t, "level 1");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].name, "Partner");
}

TEST(Schedule, HoursAddUpAndFormulasHold) {
  test::TenderFixture f;
  const auto s = tender::build_schedule(f.inputs());
  ASSERT_EQ(s.zones.size(), 3u);
  ASSERT_EQ(s.lots.size(), 9u);  // 3 zones x (Lead + 2 Secondary)
  double sum = 0;
  std::set<std::string> ids;
  for (const auto& r : s.lots) {
    sum += r.weekly_hours;
    ids.insert(r.lot_id);
    if (r.customers) {
      EXPECT_TRUE(*r.customers == 0 || *r.customers >= 5) << r.lot_id;
    }
    EXPECT_NEAR(r.annual_hours, r.weekly_hours * 52, 1e-9);
    const auto& t = f.tender;
    EXPECT_NEAR(r.value_low, r.annual_hours * t.price_low + r.rural_enhancement_low, 1e-6);
    EXPECT_NEAR(r.value_high, r.annual_hours * t.price_high + r.rural_enhancement_high, 1e-6);
    // Workers and travel cost are the zone's care rounds (evaluate's), shared by role.
    ASSERT_TRUE(f.metrics.rounds_estimated);
    const geo::RoundFigures& zr = f.metrics.lots[static_cast<std::size_t>(r.zone - 1)].rounds;
    EXPECT_GT(zr.workers_needed, 0) << r.lot_id;
    EXPECT_NEAR(r.workers, zr.workers_needed * r.share, 1e-9) << r.lot_id;
    EXPECT_DOUBLE_EQ(r.travel_cost_per_contact_hour, zr.travel_cost_per_contact_hour);
    ASSERT_TRUE(r.call_gap_median_min.has_value()) << r.lot_id;  // every zone has 5+ customers
    EXPECT_DOUBLE_EQ(*r.call_gap_median_min, zr.call_gap_median_min);
    EXPECT_DOUBLE_EQ(*r.call_gap_p90_min, zr.call_gap_p90_min);
  }
  // Published hours: each zone rounded to 5, so within 2.5 h a zone of the exact sum.
  EXPECT_NEAR(sum, f.published_hours(), 1e-6);
  EXPECT_NEAR(s.totals.weekly_hours, f.published_hours(), 1e-6);
  EXPECT_NEAR(s.totals.weekly_hours, f.assigned_hours(), 2.5 * 3);
  EXPECT_NEAR(f.metrics.assigned_hours, f.assigned_hours(), 1e-6);
  EXPECT_EQ(ids, (std::set<std::string>{"1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "3c"}));
  EXPECT_EQ(s.lots[0].role, "Lead");
  EXPECT_DOUBLE_EQ(s.lots[0].share, 0.6);
  EXPECT_EQ(s.lots[0].title(), "Lot 1a \u2013 Zone 1 \u2013 West Vale \u2013 Lead");
  // Zone 2 has no name in the plan: it takes its main place's.
  EXPECT_EQ(s.lots[3].title(), "Lot 2a \u2013 Zone 2 \u2013 Midbury \u2013 Lead");
  auto no_roads = f.inputs();
  no_roads.roads = nullptr;
  // Without places the pack names zone 2 as design and evaluate do (geo::lot_names, the one
  // namer: the postcode district holding most of its hours, else its sector, made unique).
  const std::string unnamed = geo::lot_names(*no_roads.graph, *no_roads.plan, nullptr)[1];
  EXPECT_EQ(unnamed, "PO30 6");
  EXPECT_EQ(tender::build_schedule(no_roads).lots[3].title(),
            "Lot 2a \u2013 Zone 2 \u2013 " + unnamed + " \u2013 Lead");
  // plan.gpkg names an unnamed zone "Lot 2": a placeholder, not a name (the pack and the
  // viewer both say "Zone 2", never "Lot 2" for a zone).
  auto placeholder = f.inputs();
  geo::Plan named = *placeholder.plan;
  named.name.assign(static_cast<std::size_t>(named.lot_count), "");
  named.name[1] = "Lot 2";
  placeholder.plan = &named;
  placeholder.roads = nullptr;
  EXPECT_EQ(tender::build_schedule(placeholder).lots[3].title(),
            "Lot 2a \u2013 Zone 2 \u2013 " + unnamed + " \u2013 Lead");
  EXPECT_EQ(tender::zone_title(named, 1, true), "Zone 2");
  EXPECT_EQ(tender::zone_title(named, -1), "unassigned");
  named.name[0] = "West Vale";
  EXPECT_EQ(tender::zone_title(named, 0), "Zone 1 \u2013 West Vale");
  EXPECT_EQ(tender::zone_title(named, 0, true), "Zone 1 - West Vale");
  EXPECT_EQ(tender::zone_title(3, "Zone 3"), "Zone 3");
  EXPECT_EQ(tender::lot_id(12, 1), "12b");

  // Rural share of the east zone (all E1/F2) is 1; of the west zone 0.
  EXPECT_DOUBLE_EQ(s.lots[0].rural_share, 0.0);
  EXPECT_DOUBLE_EQ(s.lots[6].rural_share, 1.0);
  EXPECT_GT(s.lots[6].rural_enhancement_low, 0);
  EXPECT_NEAR(s.lots[6].rural_enhancement_low, s.lots[6].annual_hours * f.tender.price_low * 0.10,
              1e-6);
  // Places: each zone gets the place in its cells; the far one is ignored.
  EXPECT_EQ(s.zones[0].places, std::vector<std::string>{"Westford"});
  EXPECT_EQ(s.zones[1].places, std::vector<std::string>{"Midbury"});
  EXPECT_EQ(s.zones[2].places, std::vector<std::string>{"Eastcombe"});
  EXPECT_NEAR(s.zones[0].area_km2, 18.0, 1e-9);
  // Unmet hours: per zone as in the graph.
  double unmet = 0;
  for (std::size_t u = 0; u < f.graph.size(); ++u)
    if (f.plan.lot_of[u] >= 0) unmet += f.graph.unmet_hours[u];
  ASSERT_TRUE(s.totals.unmet_hours);
  EXPECT_NEAR(*s.totals.unmet_hours, unmet, 2.5 * 3);  // rounded to 5 per zone
  for (const auto& z : s.zones) EXPECT_EQ(std::fmod(z.unmet_hours, 5.0), 0.0);
  // Sector sheet: every sector appears, shares of each sector add up to 1.
  std::map<std::string, double> share;
  for (const auto& r : s.sectors) {
    EXPECT_FALSE(test::has_full_postcode(r.sector));
    if (!r.combined) share[r.sector] += r.unit_share;
  }
  EXPECT_EQ(share.size(), 9u);
  for (const auto& [sec, v] : share) EXPECT_NEAR(v, 1.0, 1e-12) << sec;
  // The assumptions name every tender parameter.
  std::set<std::string> names;
  for (const auto& a : s.assumptions) names.insert(a.name);
  for (const char* n :
       {"Price per hour, low", "Price per hour, high", "Rural enhancement", "Contract years",
        "Extension years", "Contract start", "Roles", "Care rounds: hours per care worker a week",
        "Care rounds: pay for travel time per hour", "Care rounds: mileage per mile",
        "Care rounds: shortest call (minutes)", "Care rounds: call windows",
        "Care rounds: call-gap thresholds", "Care workers needed", "Travel cost per contact hour"})
    EXPECT_TRUE(names.count(n)) << n;
}

// The round parameters come from [rounds]: a longer working week needs fewer workers, and the
// Assumptions sheet shows the value used.
TEST(Schedule, RoundParametersComeFromTheConfig) {
  test::TenderFixture f;
  f.config.rounds.hours_per_worker = 40;
  auto in = f.inputs();
  in.metrics = nullptr;  // evaluated by the schedule with the config's [rounds]
  const auto s40 = tender::build_schedule(in);
  const auto s30 = tender::build_schedule(f.inputs());
  ASSERT_EQ(s40.lots.size(), s30.lots.size());
  for (std::size_t i = 0; i < s30.lots.size(); ++i)
    EXPECT_NEAR(s40.lots[i].workers, s30.lots[i].workers * 30.0 / 40.0, 1e-9);
  bool shown = false;
  for (const auto& a : s40.assumptions)
    if (a.name == "Care rounds: hours per care worker a week") shown = a.value == "40.0";
  EXPECT_TRUE(shown);
}

// A zone with fewer than 5 customers shows no call gaps and no care workers from its rounds
// (docs/disclosure.md); the others do.
TEST(Schedule, CallGapsSuppressedUnderFiveCustomers) {
  test::TenderFixture f;
  int small = -1;
  for (std::size_t u = 0; u < f.graph.size() && small < 0; ++u)
    if (f.plan.lot_of[u] >= 0 && f.graph.customers[u] >= 1 && f.graph.customers[u] < 5)
      small = static_cast<int>(u);
  ASSERT_GE(small, 0);
  f.plan.lot_count = 4;
  f.plan.lot_of[static_cast<std::size_t>(small)] = 3;
  f.plan.name.push_back("Tiny");
  f.plan.tier.push_back("");
  f.plan.hub.push_back(-1);
  f.metrics = geo::evaluate(f.graph, f.plan);
  const auto s = tender::build_schedule(f.inputs());
  ASSERT_EQ(s.zones.size(), 4u);
  EXPECT_FALSE(s.zones[3].call_gaps_disclosed());
  EXPECT_TRUE(s.zones[0].call_gaps_disclosed());
  ASSERT_TRUE(f.metrics.rounds_estimated);
  const geo::RoundFigures& tiny = f.metrics.lots[3].rounds;
  ASSERT_GT(tiny.workers_needed, 0);
  for (const auto& r : s.lots) {
    EXPECT_EQ(r.call_gap_median_min.has_value(), r.zone != 4) << r.lot_id;
    EXPECT_EQ(r.call_gap_p90_min.has_value(), r.zone != 4) << r.lot_id;
    if (r.zone != 4) continue;
    // Nor care workers from its rounds (the customers' own hours and calls): they come from
    // the published (rounded) hours, as without a round estimate.
    EXPECT_NEAR(
        r.workers,
        r.weekly_hours * (1 + r.travel_min / tender::kVisitMinutes) / f.tender.hours_per_worker,
        1e-9)
        << r.lot_id;
    EXPECT_NE(r.workers, tiny.workers_needed * r.share) << r.lot_id;
  }
  EXPECT_FALSE(s.zone_totals[3].call_gap_median_min.has_value());
}

// Unmet hours of fewer than 5 customers are suppressed in every lot row of their zone (the
// xlsx writes "<5 customers", the PDF "fewer than 5 customers"), never published as 0; the
// totals sum the published ones only, so no difference gives the suppressed value back.
TEST(Schedule, UnmetHoursOfFewCustomersAreSuppressedNotZero) {
  test::TenderFixture f;
  int one = -1;
  for (std::size_t u = 0; u < f.graph.size(); ++u) {
    f.graph.unmet_hours[u] = 0;
    if (one < 0 && f.plan.lot_of[u] == 0 && f.graph.customers[u] >= 1 && f.graph.customers[u] < 5)
      one = static_cast<int>(u);
  }
  ASSERT_GE(one, 0);
  f.graph.unmet_hours[static_cast<std::size_t>(one)] = 7.5;  // one postcode, 1-4 customers
  for (std::size_t u = 0; u < f.graph.size(); ++u)
    if (f.plan.lot_of[u] == 2) f.graph.unmet_hours[u] = 2.5;  // zone 3: many customers
  f.metrics = geo::evaluate(f.graph, f.plan);
  const auto s = tender::build_schedule(f.inputs());
  EXPECT_TRUE(s.zones[0].unmet_suppressed);
  EXPECT_FALSE(s.zones[2].unmet_suppressed);
  for (const auto& r : s.lots) {
    if (r.zone == 1) {
      EXPECT_FALSE(r.unmet_hours.has_value()) << r.lot_id;
    }
    if (r.zone == 3) {
      EXPECT_TRUE(r.unmet_hours.has_value()) << r.lot_id;
    }
  }
  ASSERT_TRUE(s.totals.unmet_hours);
  EXPECT_DOUBLE_EQ(*s.totals.unmet_hours, s.zones[2].unmet_hours);
}

TEST(Schedule, TiersModeFollowsWestSussexByTierOrder) {
  test::TenderFixture f;
  f.config.design.lots.reset();
  f.config.design.tiers = {
      {"level 1", 150, 400, {}}, {"level 2", 60, 149, {}}, {"level 3", 0, 59, {}}};
  f.plan.tier = {"level 1", "level 2", "level 3"};
  const auto s = tender::build_schedule(f.inputs());
  std::vector<std::string> ids, roles;
  double sum = 0;
  for (const auto& r : s.lots) {
    ids.push_back(r.lot_id);
    roles.push_back(r.role);
    sum += r.weekly_hours;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"1a", "1b", "2a", "3a"}));
  EXPECT_EQ(roles, (std::vector<std::string>{"Lead", "Secondary", "Lead", tender::kReserveRole}));
  EXPECT_NEAR(sum, f.published_hours(), 1e-6);  // the reserve zone keeps its hours

  // A plan without tiers (read from CSV) gets them from the bands.
  f.plan.tier = {"", "", ""};
  const auto s2 = tender::build_schedule(f.inputs());
  for (const auto& z : s2.zones) {
    EXPECT_FALSE(z.tier.empty());
    bool inside = false;
    for (const auto& t : f.config.design.tiers)
      inside |= t.name == z.tier && z.hours >= t.min_hours && z.hours <= t.max_hours;
    EXPECT_TRUE(inside) << z.zone << " " << z.hours << " " << z.tier;
  }
}

TEST(Schedule, MissingInputsAndMismatchedPlanAreErrors) {
  test::TenderFixture f;
  auto in = f.inputs();
  in.plan = nullptr;
  EXPECT_THROW(tender::build_schedule(in), geo::DataError);
  geo::Plan p = f.plan;
  p.lot_of.push_back(0);
  in = f.inputs();
  in.plan = &p;
  EXPECT_THROW(tender::build_schedule(in), geo::DataError);
  geo::Plan empty;
  empty.lot_of.assign(f.graph.size(), geo::kNoLot);
  in.plan = &empty;
  EXPECT_THROW(tender::build_schedule(in), geo::DataError);
}

TEST(Pack, BadStartDateFailsAndWritesNothing) {
  test::TenderFixture f;
  f.config.file = "/some/where/county.toml";
  f.tender.start_date = "2027-13-01";
  test::ScratchDir tmp;
  try {
    tender::write_tender_pack(tmp / "pack", f.inputs());
    FAIL() << "expected a DataError";
  } catch (const geo::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("county.toml"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("start_date \"2027-13-01\""), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(test::list_files(tmp.path()).empty());
  EXPECT_FALSE(fs::exists(tmp / "pack"));
}

// No output holds inf, NaN or a negative count: a bad figure put straight into the library
// call (past every input bound) stops the pack at the first writer that meets it, named
// with its field, and nothing is written (core/output_check.hpp).
TEST(Pack, WritersRefuseInfNanAndNegativeCounts) {
  test::TenderFixture f;
  auto in = f.inputs();
  geo::PlanMetrics m = f.metrics;
  m.lots[0].mean_travel_min = std::nan("");
  in.metrics = &m;
  test::ScratchDir tmp;
  try {
    tender::write_tender_pack(tmp / "pack", in);
    ADD_FAILURE() << "expected a DataError";
  } catch (const geo::DataError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("lot schedule (xlsx): field \"Lots!"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("nan cannot be written"));
  }
  EXPECT_FALSE(fs::exists(tmp / "pack"));
  EXPECT_TRUE(test::list_files(tmp.path()).empty());
  // provider-demand.csv: hours and customers of a sector
  tender::SectorDemand row;
  row.sector = "PO30 1";
  row.lot = 0;
  row.hours = -5;
  EXPECT_THROW(
      {
        try {
          tender::provider_demand_csv({row}, {"West Vale"});
        } catch (const geo::DataError& e) {
          EXPECT_THAT(e.what(), ::testing::HasSubstr(
                                    "provider-demand.csv: field \"hours of PO30 1\": -5 cannot"));
          throw;
        }
      },
      geo::DataError);
  row.hours = 5;
  row.customers = -5;
  EXPECT_THROW(tender::provider_demand_csv({row}, {"West Vale"}), geo::DataError);
  row.customers = 5;
  EXPECT_NE(tender::provider_demand_csv({row}, {"West Vale"}).find("PO30 1,1,West Vale,5,5,no"),
            std::string::npos);
}

using test::pdf_pages;
using test::provider_texts;
using test::run_text;

TEST(Pack, WritesEveryFileWithTheRightStructure) {
  GDALAllRegister();
  test::TenderFixture f;
  test::ScratchDir tmp;
  const fs::path dir = tmp / "pack";
  const auto sum = tender::write_tender_pack(dir, f.inputs());
  EXPECT_EQ(sum.zones, 3);
  EXPECT_EQ(sum.lots, 9);
  EXPECT_NEAR(sum.hours, f.published_hours(), 1e-6);
  const std::vector<std::string> expected = {
      "lot-schedule.xlsx", "lots.cpg",     "lots.dbf", "lots.geojson",   "lots.gpkg",
      "lots.prj",          "lots.shp",     "lots.shx", "ocds-lots.json", "provider-demand.csv",
      "provider.gpkg",     "zone-maps.pdf"};
  EXPECT_EQ(test::list_files(dir), expected);
  EXPECT_EQ(sum.files, expected);

  // XLSX: a zip with the three sheets.
  const std::string listing =
      run_text("/usr/bin/unzip", {"-l", (dir / "lot-schedule.xlsx").string()});
  for (const char* part : {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                           "xl/worksheets/sheet3.xml", "xl/workbook.xml"})
    EXPECT_NE(listing.find(part), std::string::npos) << part;
  const std::string wb =
      run_text("/usr/bin/unzip", {"-p", (dir / "lot-schedule.xlsx").string(), "xl/workbook.xml"});
  for (const char* sheet : {"name=\"Lots\"", "name=\"Postcode sectors\"", "name=\"Assumptions\""})
    EXPECT_NE(wb.find(sheet), std::string::npos) << sheet;
  const std::string sheet1 = run_text(
      "/usr/bin/unzip", {"-p", (dir / "lot-schedule.xlsx").string(), "xl/worksheets/sheet1.xml"});
  EXPECT_NE(sheet1.find("state=\"frozen\""), std::string::npos);
  // The unassigned unit's hours are stated, not lost.
  ASSERT_GT(f.metrics.unassigned_hours, 0);
  const std::string strings = run_text(
      "/usr/bin/unzip", {"-p", (dir / "lot-schedule.xlsx").string(), "xl/sharedStrings.xml"});
  EXPECT_NE(strings.find("Weekly hours of demand in no zone"), std::string::npos);
  // The care-round columns of the schedule.
  for (const char* col : {"Care workers needed", "Travel cost per contact hour (call to call)",
                          "Call gap, median minutes", "Call gap, 90th percentile minutes",
                          "Care rounds: pay for travel time per hour"})
    EXPECT_NE(strings.find(col), std::string::npos) << col;

  // PDF: overview + one page per zone; every lot named; attribution present.
  EXPECT_EQ(pdf_pages(dir / "zone-maps.pdf"), 4);
  const std::string pdf = run_text("/usr/bin/pdftotext", {(dir / "zone-maps.pdf").string(), "-"});
  for (const auto& r : tender::build_schedule(f.inputs()).lots)
    EXPECT_NE(pdf.find("Lot " + r.lot_id), std::string::npos) << r.lot_id;
  for (const char* s :
       {"West Vale", "East Downs", "Zone 2", "OpenStreetMap contributors", "Demand in no zone",
        "Crown copyright", "Westford", "Weekly hours by rural class"})
    EXPECT_NE(pdf.find(s), std::string::npos) << s;
  // Each zone page shows the call gaps beside the 15-minute / 6-mile thresholds.
  std::size_t at = 0, pages_with_gaps = 0;
  while ((at = pdf.find("(threshold 15 min)", at)) != std::string::npos) ++pages_with_gaps, ++at;
  EXPECT_EQ(pages_with_gaps, 2u * 3u);  // median and p90 on each of 3 zone pages
  EXPECT_NE(pdf.find("(threshold 6 mi)"), std::string::npos);

  // Layers: one feature per zone in EPSG:4326, short field names, the schedule's figures.
  for (const char* name : {"lots.gpkg", "lots.shp", "lots.geojson"}) {
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / name).c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds) << name;
    OGRLayer* layer = ds->GetLayer(0);
    EXPECT_EQ(layer->GetFeatureCount(), 3) << name;
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    ASSERT_TRUE(srs) << name;
    EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "4326") << name;
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    EXPECT_GE(defn->GetFieldCount(), 15) << name;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
      EXPECT_LE(std::string(defn->GetFieldDefn(i)->GetNameRef()).size(), 10u);
    double hours = 0;
    for (auto&& feat : *layer) {
      hours += feat->GetFieldAsDouble("hours");
      // Figures as a GIS officer reads them: minutes to 2 decimals, workers to 1.
      for (const auto& [field, scale] :
           {std::pair{"travel_min", 100.0}, std::pair{"workers", 10.0},
            std::pair{"value_low", 100.0}, std::pair{"area_km2", 1000.0}}) {
        const double v = feat->GetFieldAsDouble(field) * scale;
        EXPECT_NEAR(v, std::round(v), 1e-6) << name << " " << field;
      }
      OGREnvelope env;
      feat->GetGeometryRef()->getEnvelope(&env);
      EXPECT_GT(env.MinX, -1.5) << name;  // longitude near Newport, IoW
      EXPECT_LT(env.MaxX, -1.0) << name;
      EXPECT_GT(env.MinY, 50.5) << name;
      EXPECT_LT(env.MaxY, 50.8) << name;
    }
    EXPECT_NEAR(hours, f.published_hours(), 1e-3) << name;
  }

  // OCDS: release package structure.
  const auto j = nlohmann::json::parse(test::read_text(dir / "ocds-lots.json"));
  for (const char* k : {"uri", "publishedDate", "publisher", "version", "releases"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["version"], "1.1");
  ASSERT_EQ(j["releases"].size(), 1u);
  const auto& rel = j["releases"][0];
  for (const char* k :
       {"ocid", "id", "date", "tag", "initiationType", "buyer", "parties", "tender"})
    EXPECT_TRUE(rel.contains(k)) << k;
  EXPECT_EQ(rel["ocid"].get<std::string>().rfind("ocds-lotwright-", 0), 0u);
  EXPECT_EQ(rel["tag"], nlohmann::json::array({"planning"}));  // ocds_test: the rest
  EXPECT_EQ(rel["tender"]["status"], "planning");
  std::set<std::string> lot_ids;
  std::set<int> zones_with_lots;
  for (const auto& lot : rel["tender"]["lots"]) {
    for (const char* k : {"id", "title", "description", "value", "contractPeriod", "status"})
      EXPECT_TRUE(lot.contains(k)) << k;
    EXPECT_TRUE(lot_ids.insert(lot["id"].get<std::string>()).second) << "duplicate lot id";
    zones_with_lots.insert(std::stoi(lot["id"].get<std::string>()));
    EXPECT_EQ(lot["contractPeriod"]["startDate"], "2027-04-01T00:00:00Z");
    EXPECT_EQ(lot["contractPeriod"]["endDate"], "2032-03-31T00:00:00Z");
    EXPECT_EQ(lot["contractPeriod"]["durationInDays"], 1827);
    EXPECT_EQ(lot["renewal"]["period"]["durationInDays"], 730);  // 2032-04-01 .. 2034-03-31
    EXPECT_EQ(lot["value"]["currency"], "GBP");
  }
  EXPECT_EQ(lot_ids.size(), 9u);
  EXPECT_EQ(zones_with_lots, (std::set<int>{1, 2, 3}));
  ASSERT_EQ(rel["tender"]["items"].size(), 9u);
  double annual = 0;
  for (const auto& item : rel["tender"]["items"]) {
    EXPECT_TRUE(lot_ids.count(item["relatedLot"].get<std::string>()));
    EXPECT_EQ(item["classification"]["scheme"], "CPV");
    EXPECT_FALSE(item["deliveryAddress"]["region"].get<std::string>().empty());
    const auto& c = item["deliveryLocation"]["geometry"]["coordinates"];
    EXPECT_NEAR(c[0].get<double>(), -1.25, 0.2);
    EXPECT_NEAR(c[1].get<double>(), 50.68, 0.1);
    annual += item["quantity"].get<double>();
  }
  EXPECT_NEAR(annual, f.published_hours() * 52, 9);  // each item rounded to the hour
}

TEST(Pack, ProviderFilesHoldNoPostcodeAndNoSmallCount) {
  GDALAllRegister();
  test::TenderFixture f;
  test::ScratchDir tmp;
  tender::write_tender_pack(tmp / "pack", f.inputs());
  const auto texts = provider_texts(tmp / "pack");
  EXPECT_GE(texts.size(), 8u);
  for (const auto& [file, text] : texts) {
    std::string pc;
    EXPECT_FALSE(test::has_full_postcode(text, &pc)) << file << ": " << pc;
    EXPECT_EQ(text.find("PO30 1A"), std::string::npos) << file;
  }
  // Customer counts: rounded to 5 or absent everywhere they appear.
  const std::string& pdf = texts.at("zone-maps.pdf");
  int seen = 0;
  for (auto at = pdf.find("Customers"); at != std::string::npos;
       at = pdf.find("Customers", at + 1)) {
    auto v = pdf.find_first_not_of(" \n", at + 9);
    if (v == std::string::npos || pdf[v] < '0' || pdf[v] > '9') continue;  // "fewer than 5"
    std::string digits;
    for (; v < pdf.size() && ((pdf[v] >= '0' && pdf[v] <= '9') || pdf[v] == ','); ++v)
      if (pdf[v] != ',') digits += pdf[v];
    const long n = std::stol(digits);
    EXPECT_TRUE(n == 0 || n % 5 == 0) << n;
    ++seen;
  }
  EXPECT_GE(seen, 1);
  GDALDatasetUniquePtr ds(GDALDataset::Open((tmp / "pack/lots.gpkg").c_str(), GDAL_OF_VECTOR));
  for (auto&& feat : *ds->GetLayer(0))
    if (feat->IsFieldSetAndNotNull(feat->GetFieldIndex("customers"))) {
      const int v = feat->GetFieldAsInteger("customers");
      EXPECT_TRUE(v == 0 || v >= 5) << v;
    } else {
      SUCCEED();
    }
  EXPECT_EQ(texts.at("ocds-lots.json").find("customers"), std::string::npos);
}

TEST(Pack, InjectedFailureLeavesThePreviousPackUntouched) {
  test::TenderFixture f;
  test::ScratchDir tmp;
  const fs::path dir = tmp / "pack";
  tender::write_tender_pack(dir, f.inputs());
  std::map<std::string, std::string> before;
  for (const auto& name : test::list_files(dir)) before[name] = test::read_text(dir / name);

  // A different plan, failing after 2 files: nothing of it may show.
  geo::Plan other = f.plan;
  for (auto& l : other.lot_of)
    if (l == 2) l = 1;
  other.lot_count = 2;
  other.name = {"Only West", "Rest"};
  other.tier = {"", ""};
  other.hub = {-1, -1};
  const auto m = geo::evaluate(f.graph, other);
  auto in = f.inputs();
  in.plan = &other;
  in.metrics = &m;
  for (int after : {1, 2, 4}) {
    in.fail_after_files = after;
    EXPECT_THROW(tender::write_tender_pack(dir, in), geo::DataError) << after;
    std::map<std::string, std::string> now;
    for (const auto& name : test::list_files(dir)) now[name] = test::read_text(dir / name);
    EXPECT_TRUE(now == before) << "pack changed after a failure at file " << after;
    // No temporary folders left beside the pack.
    std::vector<std::string> beside;
    for (const auto& e : fs::directory_iterator(tmp.path())) beside.push_back(e.path().filename());
    EXPECT_EQ(beside, std::vector<std::string>{"pack"});
  }
  // A clean re-run replaces the pack.
  in.fail_after_files = -1;
  const auto s = tender::write_tender_pack(dir, in);
  EXPECT_EQ(s.zones, 2);
  EXPECT_NE(test::read_text(dir / "ocds-lots.json"), before["ocds-lots.json"]);
  EXPECT_NE(test::read_text(dir / "ocds-lots.json").find("Only West"), std::string::npos);
}

TEST(Pack, RerunsAreByteIdentical) {
  test::TenderFixture f;
  test::ScratchDir tmp;
  tender::write_tender_pack(tmp / "a", f.inputs());
  tender::write_tender_pack(tmp / "b", f.inputs());
  const auto files = test::list_files(tmp / "a");
  ASSERT_EQ(files, test::list_files(tmp / "b"));
  for (const auto& name : files)
    EXPECT_TRUE(test::read_text(tmp / "a" / name) == test::read_text(tmp / "b" / name)) << name;
}

TEST(Pack, WithoutCellsWritesTheTablesOnly) {
  test::TenderFixture f;
  test::ScratchDir tmp;
  auto in = f.inputs();
  in.units = nullptr;
  in.metrics = nullptr;  // computed
  const auto s = tender::write_tender_pack(tmp / "pack", in);
  EXPECT_EQ(
      test::list_files(tmp / "pack"),
      (std::vector<std::string>{"lot-schedule.xlsx", "ocds-lots.json", "provider-demand.csv"}));
  EXPECT_EQ(s.lots, 9);
}

// Rutland (docs/rutland.md): a zone's name and its "main places" come from one ranking
// (geo::lot_places). Before, the name took the places nearest the hub ("Toll Bar & Tinwell")
// and the zone page listed the busiest ("Belmesthorpe, Ryhall, ..."), neither holding the
// other. Three zones by easting, named by the pack: each name is its first two main places.
TEST(Schedule, RutlandZoneNamesAreTheirFirstMainPlaces) {
  test::ScratchDir dir("tender-rutland");
  const std::string ask =
      "[design]\nlots = 3\ntolerance = 0.1\nmax_travel_minutes = 30\n"
      "[tender]\nbuyer = \"Rutland County Council\"\n";
  test::write_text(dir / "config.toml", test::rutland_config_text("", ask));
  const auto made = test::run_cli({"synth-demand", (dir / "config.toml").string(), "--out",
                                   (dir / "demand.csv").string(), "--seed", "7"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  test::write_text(dir / "config.toml", test::rutland_config_text(dir / "demand.csv", ask));
  const geo::Config cfg = geo::load_config(dir / "config.toml");
  geo::StudyOptions so;
  so.cache_dir = dir / "cache";
  const geo::Study study = geo::load_study(cfg, so);
  const auto& g = study.graph;
  double x0 = 1e300, x1 = -1e300;
  for (const auto& s : g.site) x0 = std::min(x0, s.x), x1 = std::max(x1, s.x);
  geo::Plan plan;
  plan.lot_count = 3;
  for (const auto& s : g.site)
    plan.lot_of.push_back(std::min(2, static_cast<int>(3 * (s.x - x0) / (x1 - x0 + 1))));
  plan.hub.assign(3, -1);
  plan.name.assign(3, "");
  plan.tier.assign(3, "");
  const auto m = geo::evaluate(g, plan, geo::evaluate_options(study, cfg.design));
  const auto schedule =
      tender::build_schedule(tender::pack_inputs(study, tender::load_tender_config(cfg), plan, m));
  const auto names = geo::lot_names(g, plan, study.roads.get());
  ASSERT_EQ(schedule.zones.size(), 3u);
  for (const auto& z : schedule.zones) {
    SCOPED_TRACE(z.name);
    ASSERT_GE(z.places.size(), 2u);
    EXPECT_LE(z.places.size(), 4u);
    EXPECT_EQ(z.name, z.places[0] + " & " + z.places[1]);
    EXPECT_EQ(z.name, names[z.zone - 1]);
  }
}
