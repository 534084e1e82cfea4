#pragma once
// GDAL/OGR helpers shared by the readers (private to lotwright::geo).
// Every failure becomes a DataError naming the resolved path and GDAL's own message.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <string>
#include <vector>

#include "lotwright/core/types.hpp"

namespace lotwright::geo::detail {

// Registers the GDAL drivers once (thread-safe).
void gdal_init();

// An OGR Polygon or MultiPolygon (curves linearised) as our plain type, rings closed; empty
// for anything else.
MultiPolygon read_multipolygon(const OGRGeometry* geom);

// Collects GDAL's diagnostics for the lifetime of the object (thread-local handler stack)
// instead of printing them to stderr.
class GdalErrorCapture {
 public:
  GdalErrorCapture();
  ~GdalErrorCapture();
  GdalErrorCapture(const GdalErrorCapture&) = delete;
  GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;
  // The last failure/warning message, "" when none.
  const std::string& last() const { return last_; }
  // The last CE_Failure (or worse) message, "" when none.
  const std::string& failure() const { return failure_; }

 private:
  static void CPL_STDCALL handler(CPLErr, CPLErrorNum, const char* msg);
  std::string last_;
  std::string failure_;
};

// Throws DataError "PATH: file not found" (absolute path) or "PATH: the file is empty".
void require_input_file(const std::filesystem::path& file);

// True for files GDAL reads with its CSV driver (by extension).
bool is_csv(const std::filesystem::path& file);

// Opens a vector dataset read-only (CSV: headers always, every field read as text).
GDALDatasetUniquePtr open_vector(const std::filesystem::path& file);

// The named layer, or the only layer when name is empty (several layers: an error listing them).
OGRLayer* pick_layer(GDALDataset& ds, const std::filesystem::path& file, const std::string& name);

// A layer with the dataset it belongs to: a file's or table's layer, or (PostGIS, `layer` an
// SQL query) the query's result, released before the dataset closes.
class OpenLayer {
 public:
  OpenLayer(GDALDatasetUniquePtr ds, OGRLayer* layer, bool result_set)
      : ds_(std::move(ds)), layer_(layer), result_set_(result_set) {}
  OpenLayer(OpenLayer&& o) noexcept
      : ds_(std::move(o.ds_)), layer_(o.layer_), result_set_(o.result_set_) {
    o.layer_ = nullptr;
  }
  OpenLayer& operator=(OpenLayer&&) = delete;
  ~OpenLayer() {
    if (result_set_ && ds_ && layer_) ds_->ReleaseResultSet(layer_);
  }
  OGRLayer* get() const { return layer_; }

 private:
  GDALDatasetUniquePtr ds_;
  OGRLayer* layer_;
  bool result_set_;
};

// open_vector + pick_layer; for a PostGIS query, GDAL's ExecuteSQL (errors name the query as
// the path shows it, docs/database.md).
OpenLayer open_layer(const std::filesystem::path& file, const std::string& layer);

// The columns of a layer and whether it has a geometry column (opens and closes the file).
struct LayerInfo {
  std::vector<std::string> columns;
  bool has_geometry = false;
};
LayerInfo layer_info(const std::filesystem::path& file, const std::string& layer);

// The physical line (1-based) at which each non-blank CSV record starts, header included,
// quoted fields spanning lines honoured: lines[0] is the header's line.
std::vector<long> csv_record_lines(const std::filesystem::path& file);

// The layer's CRS as a string PROJ accepts ("EPSG:n" when identified, else WKT2); "" if none.
std::string crs_string(const OGRSpatialReference* srs);

// True when the layer's first data axis is northing/latitude (so x and y must be swapped
// to get the east-first order used everywhere inside).
bool data_axis_north_first(const OGRSpatialReference* srs);

}  // namespace lotwright::geo::detail
