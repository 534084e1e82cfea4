// write_tender_pack: computes the schedule, provider demand and zone geometry once, then
// writes every file of the pack into a temporary folder renamed into place as a whole.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>

#include "internal.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/tender/disclosure.hpp"
#include "lotwright/tender/tender.hpp"

namespace lotwright::tender {

namespace {

// Unit index in Units for every unit of the graph (-1 when the graph's unit has no cell).
std::vector<int> cells_for_graph(const geo::UnitGraph& g, const geo::Units& units) {
  std::vector<int> out(g.size(), -1);
  if (units.units.size() == g.size()) {
    bool same = true;
    for (std::size_t u = 0; u < g.size() && same; ++u) same = units.units[u].id == g.id[u];
    if (same) {
      for (std::size_t u = 0; u < g.size(); ++u) out[u] = static_cast<int>(u);
      return out;
    }
  }
  std::map<std::string, int> by_id;
  for (std::size_t i = 0; i < units.units.size(); ++i)
    by_id.emplace(units.units[i].id, static_cast<int>(i));
  for (std::size_t u = 0; u < g.size(); ++u) {
    auto it = by_id.find(g.id[u]);
    if (it != by_id.end()) out[u] = it->second;
  }
  return out;
}

void build_geometry(detail::PackContext& ctx) {
  const PackInputs& in = *ctx.in;
  if (!in.units || in.units->units.empty()) return;
  const geo::UnitGraph& g = *in.graph;
  const geo::Plan& plan = *in.plan;
  const auto cell = cells_for_graph(g, *in.units);
  const int nz = plan.lot_count;
  std::vector<std::vector<const geo::MultiPolygon*>> parts(nz);
  // Demand rows are zone x sector: each row's shape is the sector's part in its zone.
  std::map<std::pair<std::string, int>, std::size_t> row_of;
  for (std::size_t i = 0; i < ctx.demand.size(); ++i)
    if (!ctx.demand[i].combined)
      row_of.emplace(std::pair{ctx.demand[i].sector, ctx.demand[i].lot}, i);
  std::vector<std::map<int, std::vector<const geo::MultiPolygon*>>> sector_parts(ctx.demand.size());
  ctx.sector_area_m2.assign(ctx.demand.size(), 0);
  for (std::size_t u = 0; u < g.size(); ++u) {
    if (cell[u] < 0) continue;
    const geo::Unit& unit = in.units->units[cell[u]];
    const int z = plan.lot_of[u] >= 0 && plan.lot_of[u] < nz ? plan.lot_of[u] : -1;
    if (z >= 0) parts[z].push_back(&unit.cell);
    const std::size_t r = row_of.at({detail::sector_of_unit(g.id[u]), z});
    sector_parts[r][z].push_back(&unit.cell);
    ctx.sector_area_m2[r] += unit.area_m2 > 0 ? unit.area_m2 : geo::area(unit.cell);
  }
  ctx.zone_shapes.resize(nz);
  ctx.zone_labels.resize(nz);
  for (int z = 0; z < nz; ++z) {
    if (parts[z].empty()) continue;
    ctx.zone_shapes[z] = geo::dissolve(parts[z]);
    ctx.zone_labels[z] = geo::label_point(ctx.zone_shapes[z]);
  }
  ctx.sector_shapes.resize(ctx.demand.size());
  for (std::size_t r = 0; r < sector_parts.size(); ++r)
    for (const auto& [z, p] : sector_parts[r])
      ctx.sector_shapes[r].emplace_back(z, geo::dissolve(p));
}

int fail_after(const PackInputs& in) {
  if (in.fail_after_files >= 0) return in.fail_after_files;
  if (const char* e = std::getenv("LOTWRIGHT_TENDER_FAIL_AFTER"); e && *e) return std::atoi(e);
  return -1;
}

void write_text_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream o(file, std::ios::binary);
  o << text;
  o.close();
  if (!o) throw geo::DataError(geo::where(file) + "cannot write");
}

}  // namespace

PackInputs pack_inputs(const geo::Study& study, const TenderConfig& tender, const geo::Plan& plan,
                       const geo::PlanMetrics& metrics) {
  PackInputs in;
  in.config = &study.config;
  in.tender = tender;
  in.county = &study.county;
  in.graph = &study.graph;
  in.units = &study.units;
  in.roads = study.roads.get();
  in.plan = &plan;
  in.metrics = &metrics;
  return in;
}

PackSummary write_tender_pack(const std::filesystem::path& dir, const PackInputs& in) {
  detail::PackContext ctx;
  ctx.in = &in;
  ctx.schedule = build_schedule(in);  // validates the inputs
  // The writers see only published figures (rounded, disclosure-controlled).
  const geo::PlanMetrics published = detail::published_metrics(
      in.metrics ? *in.metrics : geo::evaluate(*in.graph, *in.plan), ctx.schedule);
  ctx.metrics = &published;
  geo::report_progress(in.progress, "tender", "zone shapes and provider demand");
  ctx.demand = provider_demand(*in.graph, *in.plan);
  ctx.zone_colour = geo::zone_colours(*in.graph, *in.plan);
  build_geometry(ctx);

  PackSummary summary;
  summary.zones = static_cast<int>(ctx.schedule.zones.size());
  summary.lots = static_cast<int>(ctx.schedule.lots.size());
  summary.hours = ctx.schedule.totals.weekly_hours;
  const int fail = fail_after(in);
  geo::write_dir_atomic(dir, [&](const std::filesystem::path& tmp) {
    int written = 0;
    auto done = [&](const std::vector<std::string>& names) {
      for (const auto& n : names) summary.files.push_back(n);
      ++written;
      if (fail >= 0 && written >= fail)
        throw geo::DataError("tender pack: failure injected after " + std::to_string(written) +
                             " file(s) (test hook)");
    };
    geo::report_progress(in.progress, "tender", "lot-schedule.xlsx");
    detail::write_schedule_xlsx(tmp / "lot-schedule.xlsx", ctx);
    done({"lot-schedule.xlsx"});
    write_text_file(tmp / "provider-demand.csv",
                    provider_demand_csv(ctx.demand, ctx.schedule.zone_names()));
    done({"provider-demand.csv"});
    geo::report_progress(in.progress, "tender", "ocds-lots.json");
    write_text_file(tmp / "ocds-lots.json", detail::ocds_json(ctx));
    done({"ocds-lots.json"});
    if (ctx.has_geometry()) {
      detail::write_zone_maps_pdf(tmp / "zone-maps.pdf", ctx);
      done({"zone-maps.pdf"});
      geo::report_progress(in.progress, "tender", "GIS layers (GeoPackage, shapefile, GeoJSON)");
      done(detail::write_lot_layers(tmp, ctx));
      detail::write_provider_gpkg(tmp / "provider.gpkg", ctx);
      done({"provider.gpkg"});
    }
  });
  std::sort(summary.files.begin(), summary.files.end());
  return summary;
}

}  // namespace lotwright::tender
