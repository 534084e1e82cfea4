#pragma once
// GDAL/OGR helpers shared by the pack's GIS writers (layers.cpp, provider.cpp); internal.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <vector>

#include "lotwright/core/palette.hpp"
#include "lotwright/core/types.hpp"

namespace lotwright::tender::detail {

OGRMultiPolygon ogr_multipolygon(const geo::MultiPolygon& mp);

// The layer_styles table QGIS reads: one default style per entry (zone_style_qml/sld).
void write_layer_styles(GDALDataset& ds, const std::filesystem::path& file,
                        const std::vector<geo::ZoneStyle>& styles);

}  // namespace lotwright::tender::detail
