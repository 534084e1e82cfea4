#pragma once
// Writing GeoPackages inside the plan module (plan.gpkg in plan_gpkg.cpp, changes.gpkg in
// compare.cpp): one place for the file set-up (fixed timestamps, GDAL errors captured), layers,
// their fields and polygons. Private to the module (GDAL types).
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <array>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <utility>

#include "lotwright/core/types.hpp"
#include "lotwright/gis/gdal.hpp"
#include "lotwright/plan/plan_schema.hpp"

namespace lotwright::geo::gpkg {

// DataError "cannot write <what>" naming the file, when err is not OGRERR_NONE.
void check(OGRErr err, const std::filesystem::path& file, const std::string& what);

OGRPolygon polygon(const Polygon& p);
OGRMultiPolygon multipolygon(const MultiPolygon& mp);

// A new layer (DataError naming the file and layer when GDAL refuses it).
OGRLayer* create_layer(GDALDataset& ds, const std::filesystem::path& file, const char* name,
                       OGRSpatialReference* srs, OGRwkbGeometryType type, char** options = nullptr);

// The fields of a layer, in order: (name, type) pairs, or a plan_schema table.
void add_fields(OGRLayer* layer, const std::filesystem::path& file,
                std::initializer_list<std::pair<const char*, OGRFieldType>> fields);
OGRFieldType field_type(plan_schema::FieldType t);
template <std::size_t N>
void add_fields(OGRLayer* layer, const std::filesystem::path& file,
                const std::array<plan_schema::Field, N>& fields) {
  for (const auto& field : fields) {
    OGRFieldDefn f(field.name, field_type(field.type));
    check(layer->CreateField(&f), file, std::string("field ") + field.name);
  }
}

// A GeoPackage being written at `path` (`file` names it in messages: the final name when
// path is a temporary): fixed timestamps inside (the same content gives the same bytes),
// EPSG:27700 at hand, GDAL's errors captured; close() finishes the file and throws
// DataError if GDAL reported a failure on the way.
class Writer {
 public:
  Writer(const std::filesystem::path& path, const std::filesystem::path& file);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  GDALDataset& dataset() { return *ds_; }
  OGRSpatialReference& srs() { return srs_; }
  void close();

 private:
  struct Init {
    Init();  // GDAL's drivers registered before anything else
  } init_;
  std::filesystem::path file_;
  detail::GdalErrorCapture errors_;
  GDALDatasetUniquePtr ds_;
  OGRSpatialReference srs_;
};

}  // namespace lotwright::geo::gpkg
