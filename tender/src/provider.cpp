// provider.gpkg: what a provider receives to look at the zones (lotwright-viewer --provider,
// QGIS). Layers (EPSG:27700): zones, lots, sector_demand; tables: metadata, layer_styles.
// Every figure is a published one (the schedule's and provider_demand's); no postcode.
#include "lotwright/tender/provider.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "internal.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/output_check.hpp"
#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/geometry.hpp"
#include "ogr.hpp"
#include "text.hpp"

namespace lotwright::tender {

namespace detail {

namespace {

struct Writer {
  std::filesystem::path file;
  GDALDataset* ds = nullptr;
  geo::detail::GdalErrorCapture errors;

  [[noreturn]] void fail(const std::string& what) const {
    throw geo::DataError(geo::where(file) + what);
  }
  OGRLayer* layer(const char* name, OGRwkbGeometryType type,
                  const std::vector<std::pair<const char*, OGRFieldType>>& fields) {
    OGRSpatialReference bng;
    bng.importFromEPSG(27700);
    bng.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* l = ds->CreateLayer(name, type == wkbNone ? nullptr : &bng, type, nullptr);
    if (!l) fail(std::string("cannot create layer ") + name + ": " + errors.last());
    for (const auto& [n, t] : fields) {
      OGRFieldDefn def(n, t);
      if (l->CreateField(&def) != OGRERR_NONE) fail(std::string("cannot create field ") + n);
    }
    return l;
  }
  void add(OGRLayer* l, OGRFeature& f) {
    if (l->CreateFeature(&f) != OGRERR_NONE)
      fail(std::string("cannot write to ") + l->GetName() + ": " + errors.last());
  }
};

void set_opt(OGRFeature& f, const char* name, const std::optional<double>& v) {
  if (v)
    f.SetField(name, geo::output_number(*v, "provider package", name));
  else
    f.SetFieldNull(f.GetFieldIndex(name));
}
void set_opt(OGRFeature& f, const char* name, const std::optional<long> v) {
  if (v)
    f.SetField(name, static_cast<GIntBig>(
                         geo::output_number(static_cast<double>(*v), "provider package", name)));
  else
    f.SetFieldNull(f.GetFieldIndex(name));
}
double round_to(double v, int decimals) {
  const double s = std::pow(10.0, decimals);
  return std::round(v * s) / s;
}

void zones_layer(Writer& w, const PackContext& ctx) {
  const Schedule& s = ctx.schedule;
  OGRLayer* l = w.layer("zones", wkbMultiPolygon,
                        {{"zone", OFTInteger},
                         {"name", OFTString},
                         {"tier", OFTString},
                         {"lot_ids", OFTString},
                         {"roles", OFTString},
                         {"hours", OFTReal},
                         {"customers", OFTInteger64},
                         {"rural_hours", OFTReal},
                         {"unmet_hours", OFTReal},
                         {"travel_min", OFTReal},
                         {"area_km2", OFTReal},
                         {"places", OFTString},
                         {"colour", OFTString}});
  for (std::size_t z = 0; z < s.zones.size(); ++z) {
    const Zone& zn = s.zones[z];
    OGRFeature f(l->GetLayerDefn());
    f.SetField("zone", zn.zone);
    f.SetField("name", zn.name.c_str());
    f.SetField("tier", zn.tier.c_str());
    f.SetField("lot_ids", s.zone_totals[z].lot_id.c_str());
    f.SetField("roles", s.zone_totals[z].role.c_str());
    f.SetField("hours", geo::output_number(zn.hours, "provider package", "hours"));
    set_opt(f, "customers", s.zone_totals[z].customers);
    f.SetField("rural_hours",
               geo::output_number(zn.rural_hours, "provider package", "rural_hours"));
    set_opt(f, "unmet_hours",
            zn.unmet_suppressed ? std::nullopt : std::optional<double>(zn.unmet_hours));
    f.SetField("travel_min",
               geo::output_number(round_to(zn.travel_min, 1), "provider package", "travel_min"));
    f.SetField("area_km2",
               geo::output_number(round_to(zn.area_km2, 2), "provider package", "area_km2"));
    f.SetField("places", s.zone_totals[z].places.c_str());
    f.SetField("colour", geo::lot_hex(ctx.zone_colour.at(z)).c_str());
    OGRMultiPolygon g = ogr_multipolygon(ctx.zone_shapes[z]);
    f.SetGeometry(&g);
    w.add(l, f);
  }
}

void lots_layer(Writer& w, const PackContext& ctx) {
  const Schedule& s = ctx.schedule;
  OGRLayer* l = w.layer("lots", wkbMultiPolygon,
                        {{"lot_id", OFTString},
                         {"zone", OFTInteger},
                         {"name", OFTString},
                         {"title", OFTString},
                         {"role", OFTString},
                         {"share", OFTReal},
                         {"hours", OFTReal},
                         {"customers", OFTInteger64},
                         {"annual_hours", OFTReal},
                         {"value_low", OFTReal},
                         {"value_high", OFTReal},
                         {"workers", OFTReal}});
  for (const LotRow& r : s.lots) {
    OGRFeature f(l->GetLayerDefn());
    f.SetField("lot_id", r.lot_id.c_str());
    f.SetField("zone", r.zone);
    f.SetField("name", r.zone_name.c_str());
    f.SetField("title", r.title().c_str());
    f.SetField("role", r.role.c_str());
    f.SetField("share", geo::output_number(r.share, "provider package", "share"));
    f.SetField("hours",
               geo::output_number(round_to(r.weekly_hours, 2), "provider package", "hours"));
    set_opt(f, "customers", r.customers);
    f.SetField("annual_hours",
               geo::output_number(round_to(r.annual_hours, 0), "provider package", "annual_hours"));
    f.SetField("value_low",
               geo::output_number(round_to(r.value_low, 0), "provider package", "value_low"));
    f.SetField("value_high",
               geo::output_number(round_to(r.value_high, 0), "provider package", "value_high"));
    f.SetField("workers",
               geo::output_number(round_to(r.workers, 1), "provider package", "workers"));
    OGRMultiPolygon g = ogr_multipolygon(ctx.zone_shapes.at(r.zone - 1));
    f.SetGeometry(&g);
    w.add(l, f);
  }
}

void sector_layer(Writer& w, const PackContext& ctx) {
  OGRLayer* l = w.layer("sector_demand", wkbMultiPolygon,
                        {{"sector", OFTString},
                         {"zone", OFTInteger},
                         {"zone_name", OFTString},
                         {"hours", OFTReal},
                         {"customers", OFTInteger64},
                         {"suppressed", OFTInteger},
                         {"combined", OFTInteger},
                         {"hours_km2", OFTReal}});
  const auto names = ctx.schedule.zone_names();
  // A zone's combined row covers its suppressed sectors.
  std::map<int, std::vector<const geo::MultiPolygon*>> suppressed_parts;
  for (std::size_t i = 0; i < ctx.demand.size(); ++i)
    if (ctx.demand[i].suppressed && !ctx.demand[i].combined && i < ctx.sector_shapes.size())
      for (const auto& part : ctx.sector_shapes[i])
        suppressed_parts[ctx.demand[i].lot].push_back(&part.second);
  for (std::size_t i = 0; i < ctx.demand.size(); ++i) {
    const SectorDemand& d = ctx.demand[i];
    if (d.lot < 0) continue;  // demand in no zone: not let, not in the provider package
    OGRFeature f(l->GetLayerDefn());
    f.SetField("sector", d.sector.c_str());
    f.SetField("zone", d.lot + 1);
    f.SetField("zone_name",
               static_cast<std::size_t>(d.lot) < names.size() ? names[d.lot].c_str() : "");
    set_opt(f, "hours", d.hours);
    set_opt(f, "customers", d.customers);
    f.SetField("suppressed", d.suppressed ? 1 : 0);
    f.SetField("combined", d.combined ? 1 : 0);
    geo::MultiPolygon shape;
    if (d.combined) {
      if (auto it = suppressed_parts.find(d.lot); it != suppressed_parts.end())
        shape = geo::dissolve(it->second);
    } else if (i < ctx.sector_shapes.size()) {
      for (const auto& part : ctx.sector_shapes[i])
        shape.insert(shape.end(), part.second.begin(), part.second.end());
    }
    const double km2 = geo::area(shape) / 1e6;
    set_opt(f, "hours_km2",
            d.hours && km2 > 0 ? std::optional<double>(round_to(*d.hours / km2, 1)) : std::nullopt);
    if (!shape.empty()) {
      OGRMultiPolygon g = ogr_multipolygon(shape);
      f.SetGeometry(&g);
    }
    w.add(l, f);
  }
}

void metadata_table(Writer& w, const PackContext& ctx) {
  OGRLayer* l = w.layer("metadata", wkbNone, {{"key", OFTString}, {"value", OFTString}});
  const auto& t = ctx.in->tender;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"format", kProviderFormat},
      {"title", "Home care zones and lots" + (t.buyer.empty() ? "" : " \u2013 " + t.buyer)},
      {"buyer", t.buyer},
      {"area", ctx.in->config->area.name},
      {"zones", std::to_string(ctx.schedule.zones.size())},
      {"lots", std::to_string(ctx.schedule.lots.size())},
      {"weekly_hours", fixed(ctx.schedule.totals.weekly_hours, 0)},
      {"crs", "EPSG:27700 (British National Grid)"},
      {"readme",
       "A zone is a contiguous area; it is let as one lot per provider role (lead, "
       "secondary). Layers: zones (one per zone, coloured so that neighbouring zones "
       "differ), lots (one per zone x role), sector_demand (one row per zone x postcode "
       "sector it touches, and one '(suppressed sectors)' row per zone). Open it with "
       "lotwright-viewer --provider provider.gpkg or in QGIS."},
      {"disclosure",
       "Hours are estimates, rounded to 5; customer counts rounded to 5. Sectors with fewer "
       "than 5 customers are suppressed, with further sectors until the suppressed ones "
       "together have 5 or more; their combined figures are the zone's '(suppressed "
       "sectors)' row. The rows of a zone add up to the zone's figures. No postcode-level "
       "data (docs/disclosure.md)."},
      {"volumes", "Volumes are estimates from current demand, not guaranteed."},
  };
  for (const auto& [k, v] : rows) {
    OGRFeature f(l->GetLayerDefn());
    f.SetField("key", k.c_str());
    f.SetField("value", v.c_str());
    w.add(l, f);
  }
}

}  // namespace

void write_provider_gpkg(const std::filesystem::path& file, const PackContext& ctx) {
  const geo::RemoveIfThrown guard{{file}};  // a refused figure leaves no file behind
  geo::detail::gdal_init();
  if (!ctx.has_geometry())
    throw geo::DataError(geo::where(file) + "the provider package needs the zones' geometry");
  const std::string date = ctx.in->tender.start_date;
  CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", (date + "T00:00:00Z").c_str());
  struct Reset {
    ~Reset() { CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr); }
  } reset;
  Writer w;
  w.file = file;
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!driver) throw geo::DataError("GDAL driver GPKG is missing");
  GDALDatasetUniquePtr ds(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) w.fail(w.errors.last());
  w.ds = ds.get();
  zones_layer(w, ctx);
  lots_layer(w, ctx);
  sector_layer(w, ctx);
  metadata_table(w, ctx);
  const auto names = ctx.schedule.zone_names();
  write_layer_styles(
      *ds, file,
      {{"zones", "zone", names, ctx.zone_colour}, {"lots", "zone", names, ctx.zone_colour}});
  geo::detail::GdalErrorCapture closing;
  ds.reset();
  if (!closing.failure().empty()) w.fail(closing.failure());
}

}  // namespace detail

}  // namespace lotwright::tender

namespace lotwright::tender {

bool is_provider_package(const std::filesystem::path& file) {
  geo::detail::gdal_init();
  geo::detail::GdalErrorCapture errors;
  const char* drivers[] = {"GPKG", nullptr};
  GDALDatasetUniquePtr ds(
      GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers));
  if (!ds) return false;
  OGRLayer* meta = ds->GetLayerByName("metadata");
  if (!meta) return false;
  for (auto& f : *meta)
    if (std::string(f->GetFieldAsString("key")) == "format")
      return std::string(f->GetFieldAsString("value")) == kProviderFormat;
  return false;
}

}  // namespace lotwright::tender
