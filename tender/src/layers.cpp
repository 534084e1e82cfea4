// GIS layers of the zones with the schedule's attributes, in EPSG:4326: lots.gpkg,
// lots.shp (+ .dbf .shx .prj .cpg) and lots.geojson. One feature per zone, with its
// published figures (the schedule's, disclosure-controlled); lots.gpkg has QGIS styles.
#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "internal.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/core/output_check.hpp"
#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/proj.hpp"
#include "ogr.hpp"

namespace lotwright::tender::detail {

namespace {

OGRSpatialReference srs(int epsg) {
  OGRSpatialReference s;
  s.importFromEPSG(epsg);
  s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return s;
}

// EPSG:27700 -> EPSG:4326 (lon, lat), the one reprojection path of lotwright::gis.
geo::detail::CrsTransform bng_to_wgs84() { return {"EPSG:27700", "EPSG:4326"}; }

geo::MultiPolygon to_wgs84(const geo::detail::CrsTransform& t, geo::MultiPolygon mp,
                           std::size_t zone) {
  auto name = [zone](std::size_t) { return "zone " + std::to_string(zone + 1) + ": a vertex"; };
  for (auto& poly : mp) {
    t.apply_all(poly.outer, name);
    for (auto& h : poly.holes) t.apply_all(h, name);
  }
  return mp;
}

struct Field {
  const char* name;  // at most 10 characters (shapefile)
  OGRFieldType type;
  int decimals = 0;  // reals: written rounded to this many decimals (and so declared)
};

const Field kFields[] = {
    {"zone", OFTInteger},       {"name", OFTString},        {"tier", OFTString},
    {"lot_ids", OFTString},     {"roles", OFTString},       {"hours", OFTReal, 2},
    {"customers", OFTInteger},  {"annual_h", OFTReal, 1},   {"value_low", OFTReal, 2},
    {"value_high", OFTReal, 2}, {"rural_shr", OFTReal, 3},  {"rural_enl", OFTReal, 2},
    {"rural_enh", OFTReal, 2},  {"travel_min", OFTReal, 2}, {"workers", OFTReal, 1},
    {"unmet_h", OFTReal, 2},    {"area_km2", OFTReal, 3},   {"places", OFTString},
};

// v to the field's decimals, as the double nearest that decimal (14.14, not
// 14.143711703779697 or 14.140000000000001).
void set_real(OGRFeature& f, const char* name, double v) {
  for (const Field& k : kFields)
    if (std::string_view(k.name) == name) {
      const double scale = std::pow(10.0, k.decimals);
      f.SetField(name,
                 std::round(geo::output_number(v, "tender lots layer", name) * scale) / scale);
      return;
    }
  throw std::logic_error(std::string("lots layer: no field ") + name);
}

void write_layer(const std::filesystem::path& file, const char* driver_name,
                 const std::vector<std::string>& layer_options, const PackContext& ctx,
                 const std::vector<OGRMultiPolygon>& shapes) {
  geo::detail::GdalErrorCapture errors;
  auto fail = [&](const std::string& what) { throw geo::DataError(geo::where(file) + what); };
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
  if (!driver) throw geo::DataError(std::string("GDAL driver ") + driver_name + " is missing");
  GDALDatasetUniquePtr ds(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) fail(errors.last());
  std::vector<const char*> opts;
  for (const auto& o : layer_options) opts.push_back(o.c_str());
  opts.push_back(nullptr);
  OGRSpatialReference wgs = srs(4326);
  OGRLayer* layer = ds->CreateLayer("lots", &wgs, wkbMultiPolygon, const_cast<char**>(opts.data()));
  if (!layer) fail(errors.last());
  for (const Field& f : kFields) {
    OGRFieldDefn def(f.name, f.type);
    if (f.type == OFTString) def.SetWidth(254);
    if (f.type == OFTReal) def.SetWidth(19), def.SetPrecision(f.decimals);
    if (layer->CreateField(&def) != OGRERR_NONE) fail(std::string("cannot create field ") + f.name);
  }
  const Schedule& s = ctx.schedule;
  if (layer->StartTransaction() != OGRERR_NONE) { /* not every driver has transactions */
  }
  for (std::size_t z = 0; z < s.zones.size(); ++z) {
    const Zone& zn = s.zones[z];
    const LotRow& a = s.zone_totals[z];
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetField("zone", zn.zone);
    f->SetField("name", zn.name.c_str());
    f->SetField("tier", zn.tier.c_str());
    f->SetField("lot_ids", a.lot_id.c_str());
    f->SetField("roles", a.role.c_str());
    set_real(*f, "hours", zn.hours);
    if (a.customers)
      f->SetField("customers", static_cast<int>(*a.customers));
    else
      f->SetFieldNull(f->GetFieldIndex("customers"));
    set_real(*f, "annual_h", a.annual_hours);
    set_real(*f, "value_low", a.value_low);
    set_real(*f, "value_high", a.value_high);
    set_real(*f, "rural_shr", a.rural_share);
    set_real(*f, "rural_enl", a.rural_enhancement_low);
    set_real(*f, "rural_enh", a.rural_enhancement_high);
    set_real(*f, "travel_min", a.travel_min);
    set_real(*f, "workers", a.workers);
    if (zn.unmet_suppressed)
      f->SetFieldNull(f->GetFieldIndex("unmet_h"));
    else
      set_real(*f, "unmet_h", zn.unmet_hours);
    set_real(*f, "area_km2", a.area_km2);
    f->SetField("places", a.places.c_str());
    f->SetGeometry(&shapes[z]);
    if (layer->CreateFeature(f.get()) != OGRERR_NONE)
      fail("cannot write zone " + std::to_string(zn.zone) + ": " + errors.last());
  }
  if (layer->CommitTransaction() != OGRERR_NONE) { /* see StartTransaction */
  }
  if (std::string_view(driver_name) == "GPKG")
    write_layer_styles(*ds, file, {{"lots", "zone", s.zone_names(), ctx.zone_colour}});
  geo::detail::GdalErrorCapture closing;
  ds.reset();  // closes and flushes the dataset
  if (!closing.failure().empty()) fail(closing.failure());
}

}  // namespace

OGRMultiPolygon ogr_multipolygon(const geo::MultiPolygon& mp) {
  auto ring = [](const geo::Ring& r) {
    OGRLinearRing out;
    for (const auto& p : r) out.addPoint(p.x, p.y);
    out.closeRings();
    return out;
  };
  OGRMultiPolygon out;
  for (const auto& poly : mp) {
    OGRPolygon p;
    OGRLinearRing outer = ring(poly.outer);
    p.addRing(&outer);
    for (const auto& h : poly.holes) {
      OGRLinearRing hole = ring(h);
      p.addRing(&hole);
    }
    out.addGeometry(&p);
  }
  return out;
}

void write_layer_styles(GDALDataset& ds, const std::filesystem::path& file,
                        const std::vector<geo::ZoneStyle>& styles) {
  geo::detail::GdalErrorCapture errors;
  auto fail = [&](const std::string& what) { throw geo::DataError(geo::where(file) + what); };
  OGRLayer* layer = ds.CreateLayer("layer_styles", nullptr, wkbNone, nullptr);
  if (!layer) fail("cannot create layer_styles: " + errors.last());
  const char* text[] = {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
                        "styleName",       "styleQML",       "styleSLD",     "description"};
  for (const char* name : text) {
    OGRFieldDefn def(name, OFTString);
    if (layer->CreateField(&def) != OGRERR_NONE) fail(std::string("cannot create field ") + name);
  }
  OGRFieldDefn def("useAsDefault", OFTInteger);
  if (layer->CreateField(&def) != OGRERR_NONE) fail("cannot create field useAsDefault");
  for (const auto& st : styles) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetField("f_table_catalog", "");
    f->SetField("f_table_schema", "");
    f->SetField("f_table_name", st.layer.c_str());
    f->SetField("f_geometry_column", "geom");
    f->SetField("styleName", (st.layer + " by zone").c_str());
    f->SetField("styleQML", geo::zone_style_qml(st).c_str());
    f->SetField("styleSLD", geo::zone_style_sld(st).c_str());
    f->SetField("description", "Lotwright: zones coloured so that neighbours differ");
    f->SetField("useAsDefault", 1);
    if (layer->CreateFeature(f.get()) != OGRERR_NONE) fail("cannot write layer_styles");
  }
}

std::vector<geo::Point> to_wgs84(std::vector<geo::Point> pts) {
  bng_to_wgs84().apply_all(pts,
                           [](std::size_t i) { return "zone centre " + std::to_string(i + 1); });
  return pts;
}

std::vector<std::string> write_lot_layers(const std::filesystem::path& dir,
                                          const PackContext& ctx) {
  const std::vector<std::string> names = {"lots.cpg", "lots.dbf", "lots.geojson", "lots.gpkg",
                                          "lots.prj", "lots.shp", "lots.shx"};
  std::vector<std::filesystem::path> files;
  for (const auto& n : names) files.push_back(dir / n);
  const geo::RemoveIfThrown guard{files};  // a refused figure leaves no file behind
  geo::detail::gdal_init();
  const auto t = bng_to_wgs84();
  std::vector<OGRMultiPolygon> shapes;
  for (std::size_t z = 0; z < ctx.zone_shapes.size(); ++z)
    shapes.push_back(ogr_multipolygon(to_wgs84(t, ctx.zone_shapes[z], z)));
  // Fixed dates in the files so that reruns are byte-identical.
  const std::string date = ctx.in->tender.start_date;
  CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", (date + "T00:00:00Z").c_str());
  struct Reset {
    ~Reset() { CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr); }
  } reset;
  write_layer(dir / "lots.gpkg", "GPKG", {}, ctx, shapes);
  write_layer(dir / "lots.shp", "ESRI Shapefile",
              {"ENCODING=UTF-8", "DBF_DATE_LAST_UPDATE=" + date}, ctx, shapes);
  write_layer(dir / "lots.geojson", "GeoJSON", {"RFC7946=YES", "WRITE_NAME=NO"}, ctx, shapes);
  return names;
}

}  // namespace lotwright::tender::detail
