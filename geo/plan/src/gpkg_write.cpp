// GeoPackage writing helpers of the plan module (gpkg_write.hpp).
#include "gpkg_write.hpp"

#include "lotwright/core/error.hpp"

namespace lotwright::geo::gpkg {
namespace fs = std::filesystem;

void check(OGRErr err, const fs::path& file, const std::string& what) {
  if (err != OGRERR_NONE)
    throw DataError(where(file) + "cannot write " + what + " (" + CPLGetLastErrorMsg() + ")");
}

OGRPolygon polygon(const Polygon& p) {
  OGRPolygon poly;
  auto ring = [](const Ring& r) {
    OGRLinearRing lr;
    for (const auto& pt : r) lr.addPoint(pt.x, pt.y);
    lr.closeRings();
    return lr;
  };
  OGRLinearRing outer = ring(p.outer);
  poly.addRing(&outer);  // copies
  for (const auto& h : p.holes) {
    OGRLinearRing hole = ring(h);
    poly.addRing(&hole);
  }
  return poly;
}

OGRMultiPolygon multipolygon(const MultiPolygon& mp) {
  OGRMultiPolygon out;
  for (const auto& p : mp) {
    OGRPolygon poly = polygon(p);
    out.addGeometry(&poly);
  }
  return out;
}

OGRLayer* create_layer(GDALDataset& ds, const fs::path& file, const char* name,
                       OGRSpatialReference* srs, OGRwkbGeometryType type, char** options) {
  OGRLayer* layer = ds.CreateLayer(name, srs, type, options);
  if (!layer) throw DataError(where(file) + "cannot create layer " + name);
  return layer;
}

void add_fields(OGRLayer* layer, const fs::path& file,
                std::initializer_list<std::pair<const char*, OGRFieldType>> fields) {
  for (const auto& [name, type] : fields) {
    OGRFieldDefn f(name, type);
    check(layer->CreateField(&f), file, std::string("field ") + name);
  }
}

OGRFieldType field_type(plan_schema::FieldType t) {
  return t == plan_schema::FieldType::text      ? OFTString
         : t == plan_schema::FieldType::integer ? OFTInteger
                                                : OFTReal;
}

Writer::Init::Init() { detail::gdal_init(); }

Writer::Writer(const fs::path& path, const fs::path& file) : file_(file) {
  // Fixed timestamps inside the GeoPackage so the same content gives the same file.
  CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!drv) {
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
    throw DataError(where(file) + "GDAL has no GPKG driver");
  }
  ds_.reset(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds_) {
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
    throw DataError(where(file) + "cannot create (" + CPLGetLastErrorMsg() + ")");
  }
  srs_.importFromEPSG(27700);
  srs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
}

Writer::~Writer() {
  ds_.reset();
  CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
}

void Writer::close() {
  ds_.reset();  // close: flushes and finalises the file
  CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
  if (!errors_.failure().empty())
    throw DataError(where(file_) + "GeoPackage write failed: " + errors_.failure());
}

}  // namespace lotwright::geo::gpkg
