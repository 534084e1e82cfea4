#include "lotwright/gis/gdal.hpp"

#include <cpl_error.h>

#include <fstream>
#include <mutex>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"

namespace lotwright::geo::detail {

namespace fs = std::filesystem;

void gdal_init() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

GdalErrorCapture::GdalErrorCapture() { CPLPushErrorHandlerEx(&GdalErrorCapture::handler, this); }

GdalErrorCapture::~GdalErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL GdalErrorCapture::handler(CPLErr level, CPLErrorNum, const char* msg) {
  auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
  if (!self || !msg) return;
  if (level >= CE_Warning) self->last_ = msg;
  if (level >= CE_Failure) self->failure_ = msg;
}

void require_input_file(const fs::path& file) {
  const std::string s = file.string();
  if (s.rfind("/vsi", 0) == 0) return;  // GDAL virtual file systems: let GDAL judge
  if (s.rfind("PG:", 0) == 0) return;   // PostGIS: the server judges
  std::error_code ec;
  const fs::path abs = fs::absolute(file, ec);
  const std::string shown = ec ? s : abs.lexically_normal().string();
  if (!fs::exists(file, ec)) throw DataError(shown + ": file not found");
  if (fs::is_regular_file(file, ec) && fs::file_size(file, ec) == 0)
    throw DataError(shown + ": the file is empty");
}

bool is_csv(const fs::path& file) {
  if (file.string().rfind("PG:", 0) == 0) return false;
  std::string ext = file.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".csv" || ext == ".tsv" || ext == ".txt";
}

GDALDatasetUniquePtr open_vector(const fs::path& file) {
  gdal_init();
  require_input_file(file);
  GdalErrorCapture errors;
  const char* csv_options[] = {"HEADERS=YES", "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=NO",
                               nullptr};
  std::string open_path = file.string();
  // PostGIS with an SQL layer: the path ends in ` query="..."` for messages (study config.cpp);
  // GDAL opens the connection without it, listing no tables.
  if (open_path.rfind("PG:", 0) == 0) {
    const std::size_t at = open_path.find(" query=\"");
    if (at != std::string::npos) open_path = open_path.substr(0, at) + " tables=-";
  }
  const char* const* options = nullptr;
  const char* csv_driver[] = {"CSV", nullptr};
  const char* const* drivers = nullptr;
  if (is_csv(file)) {
    options = csv_options;
    drivers = csv_driver;
  }
  GDALDatasetUniquePtr ds(GDALDataset::Open(open_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                            drivers, options, nullptr));
  if (!ds) {
    std::string msg = where(file) + "cannot be read as a vector dataset (CSV, GeoPackage, " +
                      "Shapefile, GeoJSON, ...)";
    if (!errors.last().empty()) msg += ": " + errors.last();
    throw DataError(msg);
  }
  return ds;
}

OGRLayer* pick_layer(GDALDataset& ds, const fs::path& file, const std::string& name) {
  const int n = ds.GetLayerCount();
  if (!name.empty()) {
    if (OGRLayer* l = ds.GetLayerByName(name.c_str())) return l;
    // PostGIS opened with tables=NAME (config.cpp) holds that one table, which GDAL may
    // call "public.NAME" when the user's own schema comes first in the search path.
    if (n == 1 && file.string().rfind("PG:", 0) == 0) return ds.GetLayer(0);
  } else if (n == 1) {
    return ds.GetLayer(0);
  }
  std::string list;
  for (int i = 0; i < n; ++i) list += (i ? ", " : "") + std::string(ds.GetLayer(i)->GetName());
  if (n == 0) throw DataError(where(file) + "the dataset has no layers");
  if (name.empty())
    throw DataError(where(file) + "the dataset has " + std::to_string(n) +
                    " layers; name one with layer = \"...\" (layers: " + list + ")");
  throw DataError(where(file) + "no layer \"" + name + "\" (layers: " + list + ")");
}

OpenLayer open_layer(const fs::path& file, const std::string& name) {
  GDALDatasetUniquePtr ds = open_vector(file);
  if (file.string().rfind("PG:", 0) != 0 || !is_sql_query(name)) {
    OGRLayer* layer = pick_layer(*ds, file, name);
    return OpenLayer(std::move(ds), layer, false);
  }
  GdalErrorCapture errors;
  OGRLayer* result = ds->ExecuteSQL(name.c_str(), nullptr, nullptr);
  if (!result || !errors.failure().empty()) {
    if (result) ds->ReleaseResultSet(result);
    std::string msg = errors.failure().empty() ? errors.last() : errors.failure();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw DataError(where(file) + "the query failed" + (msg.empty() ? "" : ": " + msg));
  }
  return OpenLayer(std::move(ds), result, true);
}

LayerInfo layer_info(const fs::path& file, const std::string& name) {
  const OpenLayer opened = open_layer(file, name);
  OGRLayer* layer = opened.get();
  LayerInfo info;
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  for (int i = 0; i < defn->GetFieldCount(); ++i)
    info.columns.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
  info.has_geometry = layer->GetGeomType() != wkbNone;
  return info;
}

std::vector<long> csv_record_lines(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<long> lines;
  long line = 1, start = 1;
  bool in_quotes = false, has_content = false;
  char c = 0;
  while (in.get(c)) {
    if (c == '"') {
      in_quotes = !in_quotes;
      has_content = true;
    } else if (c == '\n') {
      ++line;
      if (!in_quotes) {
        if (has_content) lines.push_back(start);
        has_content = false;
        start = line;
      }
    } else if (c != '\r') {
      has_content = true;
    }
  }
  if (has_content) lines.push_back(start);
  return lines;
}

std::string crs_string(const OGRSpatialReference* srs) {
  if (!srs || srs->IsEmpty()) return "";
  const char* auth = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (auth && code && std::string(auth) == "EPSG") return std::string("EPSG:") + code;
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2018", nullptr};
  if (srs->exportToWkt(&wkt, options) != OGRERR_NONE || !wkt) {
    CPLFree(wkt);
    return "";
  }
  std::string s(wkt);
  CPLFree(wkt);
  return s;
}

bool data_axis_north_first(const OGRSpatialReference* srs) {
  if (!srs || srs->IsEmpty()) return false;
  const auto& mapping = srs->GetDataAxisToSRSAxisMapping();
  const int axis = mapping.empty() ? 1 : std::abs(mapping[0]);
  OGRAxisOrientation orient = OAO_Other;
  const char* key = srs->IsProjected() ? "PROJCS" : (srs->IsGeographic() ? "GEOGCS" : nullptr);
  if (!key) return false;
  srs->GetAxis(key, axis - 1, &orient);
  return orient == OAO_North || orient == OAO_South;
}

namespace {

Ring read_ring(const OGRLinearRing* r) {
  Ring ring;
  if (!r) return ring;
  const int n = r->getNumPoints();
  ring.reserve(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i < n; ++i) ring.push_back({r->getX(i), r->getY(i)});
  if (!ring.empty() && !(ring.front() == ring.back())) ring.push_back(ring.front());
  return ring;
}

Polygon read_polygon(const OGRPolygon* p) {
  Polygon poly;
  poly.outer = read_ring(p->getExteriorRing());
  for (int i = 0; i < p->getNumInteriorRings(); ++i)
    poly.holes.push_back(read_ring(p->getInteriorRing(i)));
  return poly;
}

}  // namespace

MultiPolygon read_multipolygon(const OGRGeometry* geom) {
  MultiPolygon mp;
  if (!geom || geom->IsEmpty()) return mp;
  const auto type = wkbFlatten(geom->getGeometryType());
  if (type == wkbPolygon) {
    mp.push_back(read_polygon(geom->toPolygon()));
  } else if (type == wkbMultiPolygon) {
    for (const OGRPolygon* p : *geom->toMultiPolygon()) mp.push_back(read_polygon(p));
  } else if (type == wkbCurvePolygon || type == wkbMultiSurface) {
    std::unique_ptr<OGRGeometry> lin(geom->getLinearGeometry());
    if (lin) return read_multipolygon(lin.get());
  }
  return mp;
}

}  // namespace lotwright::geo::detail
