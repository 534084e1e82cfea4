#pragma once
// The one reprojection path (PROJ): one PJ_CONTEXT per thread, transformations normalised
// for visualisation so x is always longitude/easting. Postcodes, OSM nodes, synthetic
// counties and tender layers all go through CrsTransform.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lotwright/core/types.hpp"

namespace lotwright::geo::detail {

class CrsTransform {
 public:
  // Throws DataError naming the CRS PROJ cannot understand.
  CrsTransform(const std::string& from_crs, const std::string& to_crs);
  ~CrsTransform();
  CrsTransform(const CrsTransform&) = delete;
  CrsTransform& operator=(const CrsTransform&) = delete;

  // Transforms in place; returns false (and leaves p unchanged) when PROJ cannot
  // (HUGE_VAL or a non-finite result).
  bool apply(Point& p) const;
  // Transforms every point in place. A point PROJ cannot transform (outside the CRS's
  // domain: HUGE_VAL or a non-finite result) throws DataError "<name(i)> at (x, y) cannot
  // be transformed from FROM to TO (outside its domain)"; name defaults to "point <i>".
  // The points before it are transformed, the rest untouched.
  void apply_all(std::vector<Point>& pts,
                 const std::function<std::string(std::size_t)>& name = {}) const;
  bool identity() const { return identity_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string from_, to_;
  bool identity_ = false;
};

// A short human name for a CRS string (its PROJ name, else the string cut to 60 chars).
std::string crs_label(const std::string& crs);

}  // namespace lotwright::geo::detail
