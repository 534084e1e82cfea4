// plan.gpkg: the GeoPackage of a plan folder (layers units, lots, hubs, edges, roads, meta,
// layer_styles), one function per layer. Field tables in plan_schema.hpp; formats in
// docs/outputs.md.
#include "plan_gpkg.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gpkg_write.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/output_check.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/plan_schema.hpp"
#include "lotwright/version.hpp"

namespace lotwright::geo {
namespace fs = std::filesystem;

namespace {

using gpkg::add_fields;
using gpkg::create_layer;

// Per-unit minutes from its lot's hub.
std::vector<double> unit_travel(const UnitGraph& g, const Plan& plan) {
  std::vector<double> out(g.size(), std::nan(""));
  if (!g.travel) return out;
  std::vector<float> tree;
  for (int l = 0; l < plan.lot_count; ++l) {
    if (l >= static_cast<int>(plan.hub.size()) || plan.hub[l] < 0) continue;
    g.travel->tree(plan.hub[l], tree);
    for (std::size_t u = 0; u < g.size(); ++u)
      if (plan.lot_of[u] == l && std::isfinite(tree[u])) out[u] = tree[u];
  }
  return out;
}

using U = plan_schema::Units;
using L = plan_schema::Lots;
using H = plan_schema::Hubs;

void write_units(GDALDataset& ds, const fs::path& file, OGRSpatialReference& srs,
                 const PlanOutputs& out, const Plan& plan) {
  const UnitGraph& g = *out.graph;
  const auto travel = unit_travel(g, plan);
  OGRLayer* layer = create_layer(ds, file, U::layer, &srs, wkbPolygon);
  add_fields(layer, file, U::fields);
  gpkg::check(layer->StartTransaction(), file, "units");
  for (std::size_t u = 0; u < g.size(); ++u) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField(U::postcode.name, g.id[u].c_str());
    f.SetField(U::lot.name, plan.lot_of[u] == kNoLot ? 0 : plan.lot_of[u] + 1);
    const auto unit_field = [&](const char* name, double v,
                                OutputValue kind = OutputValue::kCount) {
      f.SetField(name,
                 output_number(v, "plan.gpkg units", std::string(name) + " of " + g.id[u], kind));
    };
    unit_field(U::hours.name, g.hours[u]);
    unit_field(U::customers.name, u < g.customers.size() ? g.customers[u] : 0.0);
    unit_field(U::unmet_hours.name, u < g.unmet_hours.size() ? g.unmet_hours[u] : 0.0);
    f.SetField(U::rural.name, u < g.rural.size() ? g.rural[u].c_str() : "");
    if (std::isfinite(travel[u])) unit_field(U::travel_min.name, travel[u]);  // else null
    unit_field(U::site_x.name, g.site[u].x, OutputValue::kSigned);
    unit_field(U::site_y.name, g.site[u].y, OutputValue::kSigned);
    const Unit* unit = nullptr;
    if (out.units && u < out.units->units.size() && out.units->units[u].id == g.id[u])
      unit = &out.units->units[u];
    if (unit && !unit->cell.empty()) {
      // One polygon per cell; when clipping left several, the largest.
      std::size_t best = 0;
      double best_a = -1;
      for (std::size_t i = 0; i < unit->cell.size(); ++i) {
        const double a = area(unit->cell[i]);
        if (a > best_a) best_a = a, best = i;
      }
      OGRPolygon poly = gpkg::polygon(unit->cell[best]);
      f.SetGeometry(&poly);
    }
    gpkg::check(layer->CreateFeature(&f), file, "unit " + g.id[u]);
  }
  gpkg::check(layer->CommitTransaction(), file, "units");
}

void write_lots(GDALDataset& ds, const fs::path& file, OGRSpatialReference& srs,
                const PlanOutputs& out, const Plan& plan, const PlanMetrics& m) {
  const UnitGraph& g = *out.graph;
  OGRLayer* layer = create_layer(ds, file, L::layer, &srs, wkbMultiPolygon);
  add_fields(layer, file, L::fields);
  std::vector<std::vector<const MultiPolygon*>> cells(static_cast<std::size_t>(plan.lot_count));
  if (out.units)
    for (std::size_t u = 0; u < g.size() && u < out.units->units.size(); ++u)
      if (plan.lot_of[u] != kNoLot && out.units->units[u].id == g.id[u])
        cells[plan.lot_of[u]].push_back(&out.units->units[u].cell);
  gpkg::check(layer->StartTransaction(), file, "lots");
  for (const auto& lm : m.lots) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField(L::lot.name, lm.lot);
    f.SetField(L::name.name, lm.name.c_str());
    f.SetField(L::tier.name, lm.tier.c_str());
    const auto lot_field = [&](const char* name, double v) {
      f.SetField(name, output_number(v, "plan.gpkg lots",
                                     std::string(name) + " of lot " + std::to_string(lm.lot)));
    };
    lot_field(L::hours.name, lm.hours);
    lot_field(L::customers.name, lm.customers);
    f.SetField(L::units.name, lm.units);
    f.SetField(L::hub.name, lm.hub.c_str());
    lot_field(L::mean_travel_min.name, lm.mean_travel_min);
    lot_field(L::max_travel_min.name, lm.max_travel_min);
    lot_field(L::area_km2.name, lm.area_km2);
    f.SetField(L::pieces.name, lm.pieces);
    const auto l = static_cast<std::size_t>(lm.lot - 1);
    if (l < cells.size() && !cells[l].empty()) {
      OGRMultiPolygon omp = gpkg::multipolygon(dissolve(cells[l]));
      f.SetGeometry(&omp);
    }
    gpkg::check(layer->CreateFeature(&f), file, "lot " + std::to_string(lm.lot));
  }
  gpkg::check(layer->CommitTransaction(), file, "lots");
}

void write_hubs(GDALDataset& ds, const fs::path& file, OGRSpatialReference& srs, const UnitGraph& g,
                const Plan& plan) {
  OGRLayer* layer = create_layer(ds, file, H::layer, &srs, wkbPoint);
  add_fields(layer, file, H::fields);
  for (int l = 0; l < plan.lot_count; ++l) {
    if (l >= static_cast<int>(plan.hub.size()) || plan.hub[l] < 0) continue;
    OGRFeature f(layer->GetLayerDefn());
    f.SetField(H::lot.name, l + 1);
    f.SetField(H::name.name, l < static_cast<int>(plan.name.size()) ? plan.name[l].c_str() : "");
    f.SetField(H::postcode.name, g.id[plan.hub[l]].c_str());
    OGRPoint pt(g.site[plan.hub[l]].x, g.site[plan.hub[l]].y);
    f.SetGeometry(&pt);
    gpkg::check(layer->CreateFeature(&f), file, "hub");
  }
}

// `edges`: an attribute table, each adjacency pair once.
void write_edges(GDALDataset& ds, const fs::path& file, const UnitGraph& g) {
  OGRLayer* layer = create_layer(ds, file, "edges", nullptr, wkbNone);
  add_fields(layer, file,
             {{"a", OFTString}, {"b", OFTString}, {"minutes", OFTReal}, {"border_m", OFTReal}});
  gpkg::check(layer->StartTransaction(), file, "edges");
  for (std::size_t u = 0; u < g.size(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      if (g.targets[k] <= u) continue;
      OGRFeature f(layer->GetLayerDefn());
      f.SetField("a", g.id[u].c_str());
      f.SetField("b", g.id[g.targets[k]].c_str());
      f.SetField("minutes", output_number(g.edge_minutes[k], "plan.gpkg edges", "minutes"));
      f.SetField(
          "border_m",
          output_number(k < g.edge_border_m.size() ? static_cast<double>(g.edge_border_m[k]) : 0.0,
                        "plan.gpkg edges", "border_m"));
      gpkg::check(layer->CreateFeature(&f), file, "edge");
    }
  gpkg::check(layer->CommitTransaction(), file, "edges");
}

void write_roads(GDALDataset& ds, const fs::path& file, OGRSpatialReference& srs,
                 const RoadNetwork* roads) {
  char** no_spatial_index = CSLSetNameValue(nullptr, "SPATIAL_INDEX", "NO");
  struct FreeOpts {
    char** o;
    ~FreeOpts() { CSLDestroy(o); }
  } free_opts{no_spatial_index};
  OGRLayer* layer = create_layer(ds, file, "roads", &srs, wkbLineString, no_spatial_index);
  add_fields(layer, file, {{"highway", OFTString}, {"ref", OFTString}});
  if (!roads) return;
  gpkg::check(layer->StartTransaction(), file, "roads");
  for (const auto& r : roads->main_roads) {
    if (r.line.points.size() < 2) continue;
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("highway", r.highway.c_str());
    f.SetField("ref", r.ref.c_str());
    OGRLineString ls;
    for (const auto& p : r.line.points) ls.addPoint(p.x, p.y);
    f.SetGeometry(&ls);
    gpkg::check(layer->CreateFeature(&f), file, "road");
  }
  gpkg::check(layer->CommitTransaction(), file, "roads");
}

void write_meta(GDALDataset& ds, const fs::path& file, const PlanOutputs& out, const Plan& plan) {
  OGRLayer* layer = create_layer(ds, file, "meta", nullptr, wkbNone);
  add_fields(layer, file, {{"key", OFTString}, {"value", OFTString}});
  std::vector<std::pair<std::string, std::string>> kv;
  const DesignConfig* d = out.design;
  const bool tiers = d ? !d->lots.has_value() : false;
  kv.emplace_back("mode", tiers ? "tiers" : "lots");
  kv.emplace_back("lots", std::to_string(plan.lot_count));
  kv.emplace_back("tolerance", d ? plan_number(d->tolerance, 4) : "");
  kv.emplace_back("max_travel_minutes", d ? plan_number(d->max_travel_minutes, 2) : "");
  nlohmann::ordered_json tj = nlohmann::ordered_json::array();
  if (d)
    for (const auto& t : d->tiers) {
      nlohmann::ordered_json o;
      o["name"] = t.name;
      o["min_hours"] = t.min_hours;
      o["max_hours"] = t.max_hours;
      if (t.max_travel_minutes) o["max_travel_minutes"] = *t.max_travel_minutes;
      tj.push_back(o);
    }
  kv.emplace_back("tiers", tj.dump());
  kv.emplace_back("seed", std::to_string(plan.seed));
  kv.emplace_back("config", out.config.empty() ? "" : fs::absolute(out.config).string());
  kv.emplace_back("version", kVersion);
  for (const auto& [k, v] : kv) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("key", k.c_str());
    f.SetField("value", v.c_str());
    gpkg::check(layer->CreateFeature(&f), file, "meta");
  }
}

// layer_styles: QGIS opens `lots` categorised by lot and labelled by name.
void write_styles(GDALDataset& ds, const fs::path& file, const Plan& plan, const UnitGraph& g) {
  ZoneStyle style{"lots", "lot", plan.name, zone_colours(g, plan)};
  OGRLayer* layer = create_layer(ds, file, "layer_styles", nullptr, wkbNone);
  add_fields(layer, file,
             {{"f_table_catalog", OFTString},
              {"f_table_schema", OFTString},
              {"f_table_name", OFTString},
              {"f_geometry_column", OFTString},
              {"styleName", OFTString},
              {"styleQML", OFTString},
              {"styleSLD", OFTString},
              {"useAsDefault", OFTInteger},
              {"description", OFTString},
              {"owner", OFTString},
              {"ui", OFTString},
              {"update_time", OFTDateTime}});
  OGRFeature f(layer->GetLayerDefn());
  f.SetField("f_table_catalog", "");
  f.SetField("f_table_schema", "");
  f.SetField("f_table_name", "lots");
  f.SetField("f_geometry_column", "geom");
  f.SetField("styleName", "lots by lot");
  f.SetField("styleQML", zone_style_qml(style).c_str());
  f.SetField("styleSLD", zone_style_sld(style).c_str());
  f.SetField("useAsDefault", 1);
  f.SetField("description", "Lotwright: lots coloured by lot, labelled by name");
  f.SetField("owner", "");
  f.SetField("ui", "");
  f.SetField("update_time", 2000, 1, 1, 0, 0, 0, 100);
  gpkg::check(layer->CreateFeature(&f), file, "layer_styles");
}

}  // namespace

void write_gpkg(const fs::path& file, const PlanOutputs& out, const Plan& plan,
                const PlanMetrics& m) {
  gpkg::Writer w(file, file);
  GDALDataset& ds = w.dataset();
  OGRSpatialReference& srs = w.srs();
  write_units(ds, file, srs, out, plan);
  write_lots(ds, file, srs, out, plan, m);
  write_hubs(ds, file, srs, *out.graph, plan);
  write_edges(ds, file, *out.graph);
  write_roads(ds, file, srs, out.roads);
  write_meta(ds, file, out, plan);
  write_styles(ds, file, plan, *out.graph);
  w.close();
}

}  // namespace lotwright::geo
