// read_provider_package: provider.gpkg back into plain types (provider_package.hpp).
#include "lotwright/tender/provider_package.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/tender/provider.hpp"

namespace lotwright::tender {

namespace {

// One feature of one layer: its fields read with errors naming file, layer, feature, field.
struct Row {
  const std::filesystem::path& file;
  const char* layer;
  const OGRFeature& f;

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw geo::DataError(geo::where(file) + "layer " + layer + ", feature " +
                         std::to_string(f.GetFID()) + ": field \"" + field + "\": " + what);
  }
  int index(const char* field) const {
    const int i = f.GetFieldIndex(field);
    if (i < 0) fail(field, "missing from the layer (not a provider package of this version?)");
    return i;
  }
  bool null(const char* field) const { return !f.IsFieldSetAndNotNull(index(field)); }
  std::string text(const char* field) const {
    const int i = index(field);
    return f.IsFieldSetAndNotNull(i) ? f.GetFieldAsString(i) : "";
  }
  std::optional<double> opt_real(const char* field) const {
    if (null(field)) return std::nullopt;
    const double v = f.GetFieldAsDouble(index(field));
    if (!(v >= 0)) fail(field, "expected a number 0 or more, got " + text(field));
    return v;
  }
  double real(const char* field) const {
    auto v = opt_real(field);
    if (!v) fail(field, "is empty; a published figure was expected");
    return *v;
  }
  std::optional<long> opt_count(const char* field) const {
    if (null(field)) return std::nullopt;
    const GIntBig v = f.GetFieldAsInteger64(index(field));
    if (v < 0) fail(field, "expected a count 0 or more, got " + text(field));
    return static_cast<long>(v);
  }
  int zone(const char* field, int zones) const {
    if (null(field)) fail(field, "is empty; a zone number was expected");
    const int z = f.GetFieldAsInteger(index(field));
    if (z < 1 || z > zones)
      fail(field, "zone " + text(field) + " is not one of the " + std::to_string(zones) +
                      " zones of the zones layer");
    return z;
  }
  geo::MultiPolygon shape(bool required) const {
    const OGRGeometry* g = f.GetGeometryRef();
    geo::MultiPolygon mp = geo::detail::read_multipolygon(g);
    if (g && !g->IsEmpty() && mp.empty())
      fail("geometry", std::string("expected a polygon, got ") +
                           OGRGeometryTypeToName(wkbFlatten(g->getGeometryType())));
    if (required && mp.empty()) fail("geometry", "is empty; the zone's area was expected");
    return mp;
  }
};

void parse_colour(const Row& row, ProviderZone& z) {
  z.colour_hex = row.text("colour");
  unsigned r = 0, g = 0, b = 0;
  char tail = 0;
  if (z.colour_hex.size() != 7 ||
      std::sscanf(z.colour_hex.c_str(), "#%2x%2x%2x%c", &r, &g, &b, &tail) != 3)
    row.fail("colour", "expected #rrggbb, got \"" + z.colour_hex + "\"");
  z.r = static_cast<std::uint8_t>(r);
  z.g = static_cast<std::uint8_t>(g);
  z.b = static_cast<std::uint8_t>(b);
}

OGRLayer* need_layer(GDALDataset& ds, const std::filesystem::path& file, const char* name) {
  OGRLayer* l = ds.GetLayerByName(name);
  if (!l)
    throw geo::DataError(geo::where(file) + "no layer " + name +
                         " (a provider package has zones, lots, sector_demand, metadata)");
  return l;
}

void read_zones(GDALDataset& ds, ProviderPackage& p) {
  for (auto& f : *need_layer(ds, p.file, "zones")) {
    const Row row{p.file, "zones", *f};
    ProviderZone z;
    if (row.null("zone")) row.fail("zone", "is empty; a zone number was expected");
    z.zone = f->GetFieldAsInteger(row.index("zone"));
    z.name = row.text("name");
    z.tier = row.text("tier");
    z.lot_ids = row.text("lot_ids");
    z.roles = row.text("roles");
    z.places = row.text("places");
    z.hours = row.real("hours");
    z.customers = row.opt_count("customers");
    z.rural_hours = row.opt_real("rural_hours");
    z.unmet_hours = row.opt_real("unmet_hours");
    z.travel_min = row.opt_real("travel_min");
    z.area_km2 = row.opt_real("area_km2");
    parse_colour(row, z);
    z.shape = row.shape(true);
    z.label = geo::label_point(z.shape);
    p.zones.push_back(std::move(z));
  }
  if (p.zones.empty()) throw geo::DataError(geo::where(p.file) + "layer zones: no zone");
  std::sort(p.zones.begin(), p.zones.end(),
            [](const ProviderZone& a, const ProviderZone& b) { return a.zone < b.zone; });
  for (std::size_t i = 0; i < p.zones.size(); ++i)
    if (p.zones[i].zone != static_cast<int>(i) + 1)
      throw geo::DataError(geo::where(p.file) +
                           "layer zones: field \"zone\": expected zones 1 to " +
                           std::to_string(p.zones.size()) + " once each, zone " +
                           std::to_string(p.zones[i].zone) + " breaks the run");
}

void read_lots(GDALDataset& ds, ProviderPackage& p) {
  const int zones = static_cast<int>(p.zones.size());
  for (auto& f : *need_layer(ds, p.file, "lots")) {
    const Row row{p.file, "lots", *f};
    ProviderLot l;
    l.lot_id = row.text("lot_id");
    l.title = row.text("title");
    l.role = row.text("role");
    l.zone = row.zone("zone", zones);
    l.share = row.real("share");
    l.hours = row.real("hours");
    l.customers = row.opt_count("customers");
    p.lots.push_back(std::move(l));
  }
}

void read_sectors(GDALDataset& ds, ProviderPackage& p) {
  const int zones = static_cast<int>(p.zones.size());
  OGRLayer* layer = need_layer(ds, p.file, "sector_demand");
  const bool geometry = layer->GetGeomType() != wkbNone;
  for (auto& f : *layer) {
    const Row row{p.file, "sector_demand", *f};
    ProviderSector s;
    s.sector = row.text("sector");
    if (s.sector.empty()) row.fail("sector", "is empty; a postcode sector was expected");
    s.zone = row.zone("zone", zones);
    s.hours = row.opt_real("hours");
    s.hours_km2 = row.opt_real("hours_km2");
    s.customers = row.opt_count("customers");
    s.suppressed = f->GetFieldAsInteger(row.index("suppressed")) != 0;
    s.combined = f->GetFieldAsInteger(row.index("combined")) != 0;
    if (geometry) s.shape = row.shape(false);
    p.sectors.push_back(std::move(s));
  }
}

}  // namespace

std::string ProviderPackage::meta(const std::string& key) const {
  for (const auto& [k, v] : metadata)
    if (k == key) return v;
  return "";
}

std::string provider_refusal(const std::filesystem::path& file) {
  if (is_provider_package(file)) return "";
  const std::string tail = "; providers open tender/provider.gpkg (written by lotwright tender)";
  geo::detail::gdal_init();
  geo::detail::GdalErrorCapture errors;
  GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (ds && ds->GetLayerByName("units"))
    return file.filename().string() + " holds postcode-level demand" + tail;
  return geo::where(file) + "not a provider package" + tail;
}

ProviderPackage read_provider_package(const std::filesystem::path& file) {
  geo::detail::gdal_init();
  geo::detail::GdalErrorCapture errors;
  const char* drivers[] = {"GPKG", nullptr};
  GDALDatasetUniquePtr ds(
      GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers));
  if (!ds)
    throw geo::DataError(geo::where(file) + "cannot open as a GeoPackage" +
                         (errors.last().empty() ? "" : ": " + errors.last()));
  ProviderPackage p;
  p.file = file;
  OGRLayer* meta = ds->GetLayerByName("metadata");
  if (meta)
    for (auto& f : *meta) {
      const Row row{file, "metadata", *f};
      p.metadata.emplace_back(row.text("key"), row.text("value"));
    }
  if (p.meta("format") != kProviderFormat)
    throw geo::DataError(geo::where(file) + "not a provider package (table metadata, key " +
                         "\"format\": expected " + kProviderFormat + ", got \"" + p.meta("format") +
                         "\")");
  read_zones(*ds, p);
  read_lots(*ds, p);
  read_sectors(*ds, p);
  return p;
}

}  // namespace lotwright::tender
