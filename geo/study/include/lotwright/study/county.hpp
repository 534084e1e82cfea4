#pragma once
// County inputs: boundary, postcode directory, demand, rural class, population — read
// through GDAL (any OGR format), reprojected with PROJ to EPSG:27700, validated.
#include <string>
#include <vector>

#include "lotwright/study/config.hpp"
#include "lotwright/core/types.hpp"

namespace lotwright::geo {

// "po301ae", "PO30  1AE", " po30 1ae " -> "PO30 1AE". Returns "" when it cannot be a postcode.
std::string normalise_postcode(std::string_view raw);
// "PO30 1AE" -> "PO30 1" (the postcode sector: what provider-facing outputs may name).
std::string postcode_sector(std::string_view postcode);

struct PostcodeRecord {
  std::string id;  // normalised postcode
  Point site;      // EPSG:27700
  std::string rural;       // rural class code ("" when unknown)
  std::string area_key;    // population join key value ("" when none)
  double population = 0;   // share of the area's population count given to this postcode
  bool inside = true;      // inside the boundary
  // Demand joined to this postcode (sums of all its demand rows).
  double hours = 0;
  double customers = 0;
  double unmet_hours = 0;
};

// Hours that do not reach any unit, with the reason. Hours are never dropped silently.
struct UnassignedDemand {
  std::string postcode;
  double hours = 0;
  double customers = 0;
  std::string reason;  // "not in the postcode directory", "outside the boundary", ...
};

struct DemandSummary {
  long rows = 0;
  long matched_rows = 0;
  long unmatched_rows = 0;
  long duplicate_rows = 0;  // rows for a postcode seen before (summed)
  double total_hours = 0;
  double total_customers = 0;
  double matched_hours = 0;
  double matched_customers = 0;
  double unmatched_hours = 0;
  double unmatched_customers = 0;
  double unmet_hours = 0;
};

struct County {
  std::string name;
  MultiPolygon boundary;  // EPSG:27700, valid, dissolved
  double boundary_area_km2 = 0;
  std::vector<PostcodeRecord> postcodes;  // every postcode read, in file order (inside flag set)
  long postcodes_read = 0;
  long postcodes_inside = 0;
  bool has_demand = false;
  DemandSummary demand;
  std::vector<UnassignedDemand> unassigned;
  bool has_rural = false;
  long rural_matched = 0;  // postcodes inside the boundary with a rural class
  std::vector<std::string> warnings;  // every non-fatal problem, with its hours where relevant
};

struct LoadOptions {
  bool demand = true;  // read [demand] when configured
};

// Reads everything the config names. Throws DataError (file:line: column ...) on bad input.
County load_county(const Config& config, const LoadOptions& options = {});

// Lower-level readers (also used by tests and synth tools).
MultiPolygon read_boundary(const std::filesystem::path& path, const std::string& layer,
                           std::vector<std::string>* warnings);

// Transforms points between CRSs, x = easting/longitude always.
std::vector<Point> transform_points(const std::vector<Point>& pts, const std::string& from_crs,
                                    const std::string& to_crs);

}  // namespace lotwright::geo
