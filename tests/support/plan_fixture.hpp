#pragma once
// A small plan.gpkg written with GDAL exactly as geo::write_plan lays it out (layers units,
// lots, hubs, edges, roads, meta), for the plan store and viewer tests: a side x side grid
// of 100 m square cells, cut into blocks x blocks lots of equal blocks.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace lotwright::test {

struct GridPlanSpec {
  int side = 12;   // cells per row
  int blocks = 3;  // lots per row (side % blocks == 0)
  double cell_m = 100;
  double x0 = 450000, y0 = 80000;
  bool with_edges = true;
  bool drop_first_edge = false;   // leave out the pair of cells (0,0)-(0,1), as the road rule may
  bool with_lot_field = true;     // false: a broken file for error tests
  std::string bad_edge_postcode;  // non-empty: one edge names this unknown postcode
};

inline int grid_lot(const GridPlanSpec& s, int row, int col) {
  const int b = s.side / s.blocks;
  return (row / b) * s.blocks + col / b;  // 0-based
}

// Postcodes shaped like real ones: outward code by row band, sector by column band.
inline std::string grid_postcode(const GridPlanSpec& s, int row, int col) {
  const int i = row * s.side + col;
  std::string pc = "PO" + std::to_string(30 + row / 4) + " " + std::to_string(col / 3);
  pc += static_cast<char>('A' + (i / 26) % 26);
  pc += static_cast<char>('A' + i % 26);
  return pc;
}

inline double grid_hours(int i) { return static_cast<double>((i * 37) % 11) + 0.5; }
inline double grid_customers(int i) { return static_cast<double>(i % 3); }

inline void write_grid_plan(const std::filesystem::path& file, const GridPlanSpec& s = {}) {
  GDALAllRegister();
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!drv) throw std::runtime_error("no GPKG driver");
  std::filesystem::remove(file);
  GDALDatasetUniquePtr ds(drv->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw std::runtime_error("cannot create " + file.string());
  OGRSpatialReference srs;
  srs.importFromEPSG(27700);
  auto field = [](OGRLayer* l, const char* name, OGRFieldType t) {
    OGRFieldDefn d(name, t);
    if (l->CreateField(&d) != OGRERR_NONE) throw std::runtime_error("field");
  };
  auto square = [&](int row, int col) {
    auto* ring = new OGRLinearRing();
    const double x = s.x0 + col * s.cell_m, y = s.y0 + row * s.cell_m;
    ring->addPoint(x, y);
    ring->addPoint(x + s.cell_m, y);
    ring->addPoint(x + s.cell_m, y + s.cell_m);
    ring->addPoint(x, y + s.cell_m);
    ring->addPoint(x, y);
    auto* poly = new OGRPolygon();
    poly->addRingDirectly(ring);
    return poly;
  };
  const int lots = s.blocks * s.blocks, b = s.side / s.blocks;

  OGRLayer* units = ds->CreateLayer("units", &srs, wkbPolygon, nullptr);
  field(units, "postcode", OFTString);
  if (s.with_lot_field) field(units, "lot", OFTInteger);
  field(units, "hours", OFTReal);
  field(units, "customers", OFTReal);
  field(units, "rural", OFTString);
  field(units, "travel_min", OFTReal);
  field(units, "site_x", OFTReal);
  field(units, "site_y", OFTReal);
  if (ds->StartTransaction() != OGRERR_NONE) throw std::runtime_error("transaction");
  for (int row = 0; row < s.side; ++row)
    for (int col = 0; col < s.side; ++col) {
      const int i = row * s.side + col;
      OGRFeatureUniquePtr f(OGRFeature::CreateFeature(units->GetLayerDefn()));
      f->SetField("postcode", grid_postcode(s, row, col).c_str());
      if (s.with_lot_field) f->SetField("lot", grid_lot(s, row, col) + 1);
      f->SetField("hours", grid_hours(i));
      f->SetField("customers", grid_customers(i));
      f->SetField("rural", col < s.side / 2 ? "C1" : "E1");
      f->SetField("travel_min", 2.0 * (std::abs(row % b - b / 2) + std::abs(col % b - b / 2)));
      f->SetField("site_x", s.x0 + (col + 0.5) * s.cell_m);
      f->SetField("site_y", s.y0 + (row + 0.5) * s.cell_m);
      f->SetGeometryDirectly(square(row, col));
      if (units->CreateFeature(f.get()) != OGRERR_NONE) throw std::runtime_error("unit");
    }
  if (ds->CommitTransaction() != OGRERR_NONE) throw std::runtime_error("commit");

  OGRLayer* lot_layer = ds->CreateLayer("lots", &srs, wkbMultiPolygon, nullptr);
  for (const char* n : {"lot", "units", "pieces"}) field(lot_layer, n, OFTInteger);
  for (const char* n : {"name", "tier", "hub"}) field(lot_layer, n, OFTString);
  for (const char* n : {"hours", "customers", "mean_travel_min", "max_travel_min", "area_km2"})
    field(lot_layer, n, OFTReal);
  OGRLayer* hubs = ds->CreateLayer("hubs", &srs, wkbPoint, nullptr);
  field(hubs, "lot", OFTInteger);
  field(hubs, "name", OFTString);
  field(hubs, "postcode", OFTString);
  for (int l = 0; l < lots; ++l) {
    const int r0 = (l / s.blocks) * b, c0 = (l % s.blocks) * b;
    const int hr = r0 + b / 2, hc = c0 + b / 2;
    const std::string name = "Lot " + std::to_string(l + 1) + " Test";
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(lot_layer->GetLayerDefn()));
    f->SetField("lot", l + 1);
    f->SetField("name", name.c_str());
    f->SetField("tier", "");
    f->SetField("hub", grid_postcode(s, hr, hc).c_str());
    f->SetField("units", b * b);
    f->SetField("pieces", 1);
    auto* mp = new OGRMultiPolygon();
    auto* ring = new OGRLinearRing();
    const double x = s.x0 + c0 * s.cell_m, y = s.y0 + r0 * s.cell_m, w = b * s.cell_m;
    ring->addPoint(x, y);
    ring->addPoint(x + w, y);
    ring->addPoint(x + w, y + w);
    ring->addPoint(x, y + w);
    ring->addPoint(x, y);
    auto* poly = new OGRPolygon();
    poly->addRingDirectly(ring);
    mp->addGeometryDirectly(poly);
    f->SetGeometryDirectly(mp);
    if (lot_layer->CreateFeature(f.get()) != OGRERR_NONE) throw std::runtime_error("lot");
    OGRFeatureUniquePtr h(OGRFeature::CreateFeature(hubs->GetLayerDefn()));
    h->SetField("lot", l + 1);
    h->SetField("name", name.c_str());
    h->SetField("postcode", grid_postcode(s, hr, hc).c_str());
    h->SetGeometryDirectly(
        new OGRPoint(s.x0 + (hc + 0.5) * s.cell_m, s.y0 + (hr + 0.5) * s.cell_m));
    if (hubs->CreateFeature(h.get()) != OGRERR_NONE) throw std::runtime_error("hub");
  }

  if (s.with_edges) {
    OGRLayer* edges = ds->CreateLayer("edges", nullptr, wkbNone, nullptr);
    field(edges, "a", OFTString);
    field(edges, "b", OFTString);
    field(edges, "minutes", OFTReal);
    field(edges, "border_m", OFTReal);
    if (ds->StartTransaction() != OGRERR_NONE) throw std::runtime_error("transaction");
    auto edge = [&](const std::string& a, const std::string& bb) {
      OGRFeatureUniquePtr f(OGRFeature::CreateFeature(edges->GetLayerDefn()));
      f->SetField("a", a.c_str());
      f->SetField("b", bb.c_str());
      f->SetField("minutes", 2.0);
      f->SetField("border_m", s.cell_m);
      if (edges->CreateFeature(f.get()) != OGRERR_NONE) throw std::runtime_error("edge");
    };
    for (int row = 0; row < s.side; ++row)
      for (int col = 0; col < s.side; ++col) {
        if (col + 1 < s.side && !(s.drop_first_edge && row == 0 && col == 0))
          edge(grid_postcode(s, row, col), grid_postcode(s, row, col + 1));
        if (row + 1 < s.side) edge(grid_postcode(s, row, col), grid_postcode(s, row + 1, col));
      }
    if (!s.bad_edge_postcode.empty()) edge(grid_postcode(s, 0, 0), s.bad_edge_postcode);
    if (ds->CommitTransaction() != OGRERR_NONE) throw std::runtime_error("commit");
  }

  OGRLayer* roads = ds->CreateLayer("roads", &srs, wkbLineString, nullptr);
  field(roads, "highway", OFTString);
  field(roads, "ref", OFTString);
  {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(roads->GetLayerDefn()));
    f->SetField("highway", "primary");
    f->SetField("ref", "A3020");
    auto* ls = new OGRLineString();
    ls->addPoint(s.x0 + 10, s.y0 + 10);
    ls->addPoint(s.x0 + s.side * s.cell_m - 10, s.y0 + s.side * s.cell_m - 10);
    f->SetGeometryDirectly(ls);
    if (roads->CreateFeature(f.get()) != OGRERR_NONE) throw std::runtime_error("road");
  }

  OGRLayer* meta = ds->CreateLayer("meta", nullptr, wkbNone, nullptr);
  field(meta, "key", OFTString);
  field(meta, "value", OFTString);
  const std::vector<std::pair<std::string, std::string>> kv = {
      {"mode", "lots"},     {"lots", std::to_string(lots)},
      {"tolerance", "0.1"}, {"max_travel_minutes", "30"},
      {"tiers", "[]"},      {"seed", "7"},
      {"config", ""},       {"version", "test"}};
  for (const auto& [k, v] : kv) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(meta->GetLayerDefn()));
    f->SetField("key", k.c_str());
    f->SetField("value", v.c_str());
    if (meta->CreateFeature(f.get()) != OGRERR_NONE) throw std::runtime_error("meta");
  }
}

}  // namespace lotwright::test
