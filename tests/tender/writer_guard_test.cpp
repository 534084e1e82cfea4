// No output holds inf, NaN or a negative count (issue 18, core/output_check.hpp): each writer
// of the tender pack, called on its own with a bad figure put straight into what it writes
// (past every input bound and past build_schedule), refuses it naming the writer and the
// field, and leaves no file behind. The pack writers are internal (tender/src/internal.hpp):
// this test alone has tender/src on its include path (tests/CMakeLists.txt). The plan
// writers (write_plan: lots.csv, metrics.json, plan.gpkg) are checked the same way.
#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>

#include "internal.hpp"  // tender/src: PackContext and the writers
#include "lotwright/core/error.hpp"
#include "lotwright/core/output_check.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/plan_io.hpp"
#include "support.hpp"
#include "tender_fixture.hpp"

using namespace lotwright;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// What write_tender_pack hands its writers, built the same way from the synthetic county:
// the schedule, the published metrics, provider demand, colours, and each zone's and each
// demand row's shape (the cells dissolved).
class Pack {
 public:
  Pack() : in_(f_.inputs()) {
    GDALAllRegister();
    ctx.in = &in_;
    ctx.schedule = tender::build_schedule(in_);
    published_ = tender::detail::published_metrics(f_.metrics, ctx.schedule);
    ctx.metrics = &published_;
    ctx.demand = tender::provider_demand(f_.graph, f_.plan);
    ctx.zone_colour = geo::zone_colours(f_.graph, f_.plan);
    const int nz = f_.plan.lot_count;
    std::vector<std::vector<const geo::MultiPolygon*>> zone(nz);
    std::map<std::pair<std::string, int>, std::vector<const geo::MultiPolygon*>> sector;
    for (std::size_t u = 0; u < f_.graph.size(); ++u) {
      const int z = f_.plan.lot_of[u];
      const auto& cell = f_.units.units[u].cell;
      if (z >= 0) zone[z].push_back(&cell);
      sector[{tender::detail::sector_of_unit(f_.graph.id[u]), z}].push_back(&cell);
    }
    for (int z = 0; z < nz; ++z) {
      ctx.zone_shapes.push_back(geo::dissolve(zone[z]));
      ctx.zone_labels.push_back(geo::label_point(ctx.zone_shapes.back()));
    }
    for (const auto& d : ctx.demand) {
      ctx.sector_shapes.emplace_back();
      ctx.sector_area_m2.push_back(0);
      auto it = sector.find({d.sector, d.lot});
      if (d.combined || it == sector.end()) continue;
      ctx.sector_shapes.back().emplace_back(d.lot, geo::dissolve(it->second));
      ctx.sector_area_m2.back() = geo::area(ctx.sector_shapes.back().back().second);
    }
  }
  Pack(const Pack&) = delete;
  Pack& operator=(const Pack&) = delete;

  tender::detail::PackContext ctx;

 private:
  test::TenderFixture f_;
  tender::PackInputs in_;
  geo::PlanMetrics published_;
};

// The writer's error message, or "(written)" when it wrote without complaint.
std::string refused(const std::function<void()>& write) {
  try {
    write();
  } catch (const geo::DataError& e) {
    return e.what();
  }
  return "(written)";
}

using Writer = std::function<void(const fs::path& dir, const tender::detail::PackContext&)>;

// Runs `write` into a fresh folder on a context spoilt by `spoil`; returns the message and
// checks the folder was left empty.
std::string spoilt(const Writer& write,
                   const std::function<void(tender::detail::PackContext&)>& spoil) {
  Pack p;
  spoil(p.ctx);
  test::ScratchDir dir;
  const std::string err = refused([&] { write(dir.path(), p.ctx); });
  EXPECT_TRUE(test::list_files(dir.path()).empty()) << err;
  return err;
}

const Writer kXlsx = [](const fs::path& d, const tender::detail::PackContext& c) {
  tender::detail::write_schedule_xlsx(d / "lot-schedule.xlsx", c);
};
const Writer kPdf = [](const fs::path& d, const tender::detail::PackContext& c) {
  tender::detail::write_zone_maps_pdf(d / "zone-maps.pdf", c);
};
const Writer kLayers = [](const fs::path& d, const tender::detail::PackContext& c) {
  tender::detail::write_lot_layers(d, c);
};
const Writer kProvider = [](const fs::path& d, const tender::detail::PackContext& c) {
  tender::detail::write_provider_gpkg(d / "provider.gpkg", c);
};
const Writer kOcds = [](const fs::path& d, const tender::detail::PackContext& c) {
  geo::write_file_atomic(d / "ocds-lots.json", tender::detail::ocds_json(c));
};

}  // namespace

// The unspoilt context is written by every writer: the refusals below are the bad values'.
TEST(WriterGuard, GoodContextIsWritten) {
  Pack p;
  test::ScratchDir dir;
  for (const Writer* w : {&kXlsx, &kPdf, &kLayers, &kProvider, &kOcds})
    EXPECT_EQ(refused([&] { (*w)(dir.path(), p.ctx); }), "(written)");
  EXPECT_EQ(test::list_files(dir.path()).size(), 11u);  // 4 single files + 7 of the layers
}

TEST(WriterGuard, OcdsRefusesInfNanAndNegative) {
  // A figure of the document's numbers (checked as a tree, named by its path) ...
  auto err = spoilt(kOcds, [](auto& c) { c.schedule.totals.value_high = kInf; });
  EXPECT_THAT(err, HasSubstr("ocds-lots.json: field \"releases[0].tender.value.amount\": inf "
                             "cannot be written"));
  // ... and one its descriptions print (a negative value printed "£-3" used to pass).
  err = spoilt(kOcds, [](auto& c) { c.schedule.lots[0].value_low = -3; });
  EXPECT_THAT(err,
              HasSubstr("ocds-lots.json: field \"value_low of lot 1a\": -3 cannot be written"));
  err = spoilt(kOcds, [](auto& c) { c.schedule.lots[1].value_high = std::nan(""); });
  EXPECT_THAT(err, HasSubstr("ocds-lots.json: field \"value_high of lot 1b\": nan cannot"));
}

TEST(WriterGuard, LotLayersRefuseInfNanAndNegative) {
  auto err = spoilt(kLayers, [](auto& c) { c.schedule.zones[1].hours = std::nan(""); });
  EXPECT_THAT(err, HasSubstr("tender lots layer: field \"hours\": nan cannot be written"));
  err = spoilt(kLayers, [](auto& c) { c.schedule.zone_totals[2].workers = -1.5; });
  EXPECT_THAT(err, HasSubstr("tender lots layer: field \"workers\": -1.5 cannot be written"));
}

TEST(WriterGuard, ProviderPackageRefusesInfNanAndNegative) {
  auto err = spoilt(kProvider, [](auto& c) { c.schedule.zones[0].travel_min = kInf; });
  EXPECT_THAT(err, HasSubstr("provider package: field \"travel_min\": inf cannot be written"));
  err = spoilt(kProvider, [](auto& c) { c.schedule.lots[3].annual_hours = -52; });
  EXPECT_THAT(err, HasSubstr("provider package: field \"annual_hours\": -52 cannot be written"));
  err = spoilt(kProvider, [](auto& c) {
    for (auto& d : c.demand)
      if (d.hours) d.hours = std::nan("");
  });
  EXPECT_THAT(err, HasSubstr("provider package: field \"hours\": nan cannot be written"));
}

TEST(WriterGuard, ZoneMapsPdfRefusesInfNanAndNegative) {
  auto err = spoilt(kPdf, [](auto& c) { c.schedule.totals.value_high = kInf; });
  EXPECT_THAT(err, HasSubstr("zone-maps.pdf: field \"value_high of all zones\": inf cannot"));
  err = spoilt(kPdf, [](auto& c) { c.schedule.zones[1].hours = -5; });
  EXPECT_THAT(err, HasSubstr("zone-maps.pdf: field \"hours of zone 2\": -5 cannot be written"));
  err = spoilt(kPdf, [](auto& c) { c.schedule.zone_totals[0].workers = std::nan(""); });
  EXPECT_THAT(err, HasSubstr("zone-maps.pdf: field \"workers of zone 1\": nan cannot"));
  err = spoilt(kPdf, [](auto& c) { c.schedule.lots[4].weekly_hours = -1; });
  EXPECT_THAT(err, HasSubstr("zone-maps.pdf: field \"hours of lot 2b\": -1 cannot be written"));
}

TEST(WriterGuard, ScheduleXlsxRefusesInfNanAndNegative) {
  auto err = spoilt(kXlsx, [](auto& c) { c.schedule.lots[0].value_high = kInf; });
  EXPECT_THAT(err, HasSubstr("lot schedule (xlsx): field \"Lots!"));
  EXPECT_THAT(err, HasSubstr("inf cannot be written"));
  err = spoilt(kXlsx, [](auto& c) { c.schedule.sectors[0].units = -2; });
  EXPECT_THAT(err, HasSubstr("lot schedule (xlsx): field \"Postcode sectors!"));
  EXPECT_THAT(err, HasSubstr("-2 cannot be written"));
}

// write_plan: the figures lots.csv and metrics.json hold are checked in tests/plan
// (plan_io_test); here the plan.gpkg edges table, and that a refusal leaves the folder as
// it was (no plan file, no staging folder).
TEST(WriterGuard, PlanWritersLeaveNothingBehind) {
  test::TenderFixture f;
  auto write = [&](const geo::UnitGraph& g, const geo::PlanMetrics& m) {
    test::ScratchDir dir;
    test::write_text(dir / "notes.txt", "the user's");
    geo::PlanOutputs out;
    out.graph = &g;
    out.units = &f.units;
    out.plan = &f.plan;
    out.metrics = &m;
    const std::string err = refused([&] { geo::write_plan(dir.path(), out); });
    EXPECT_EQ(test::list_files(dir.path()), std::vector<std::string>{"notes.txt"}) << err;
    return err;
  };
  geo::UnitGraph g = f.graph;
  g.edge_minutes[0] = std::nanf("");
  EXPECT_THAT(write(g, f.metrics),
              HasSubstr("plan.gpkg edges: field \"minutes\": nan cannot be written"));
  geo::PlanMetrics m = f.metrics;
  m.lots[2].customers = -1;
  EXPECT_THAT(write(f.graph, m), HasSubstr("field \"customers of lot 3\": -1 cannot be written"));
  m = f.metrics;
  m.unassigned_hours = kInf;
  EXPECT_THAT(write(f.graph, m),
              HasSubstr("metrics.json: field \"unassigned_hours\": inf cannot be written"));
}

// The guard a writer starts with: removes what the writer created when it leaves by an
// exception, never a file that was there before, nothing when it returns normally.
TEST(WriterGuard, RemoveIfThrownRemovesOnlyWhatTheWriterCreated) {
  test::ScratchDir dir;
  test::write_text(dir / "old.txt", "before");
  const auto writer = [&] {
    const geo::RemoveIfThrown guard{{dir / "old.txt", dir / "new.txt"}};
    test::write_text(dir / "new.txt", "partial");
    test::write_text(dir / "old.txt", "overwritten");
    throw geo::DataError("refused");
  };
  EXPECT_THROW(writer(), geo::DataError);
  EXPECT_EQ(test::list_files(dir.path()), std::vector<std::string>{"old.txt"});
  {
    const geo::RemoveIfThrown guard{{dir / "kept.txt"}};
    test::write_text(dir / "kept.txt", "whole");
  }
  EXPECT_TRUE(fs::exists(dir / "kept.txt"));
}
