// synth-county: writing the model. Shapefiles through GDAL (fixed DBF date so files are
// byte-identical run to run), the road network as .osm.pbf through libosmium's writer (no
// metadata, no timestamps), CSV/TOML/README as text.
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <osmium/builder/osm_object_builder.hpp>
#include <osmium/io/pbf_output.hpp>
#include <osmium/io/writer.hpp>
#include <osmium/memory/buffer.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/gis/proj.hpp"
#include "synth_county_model.hpp"

namespace lotwright::geo::synth {
namespace {

namespace fs = std::filesystem;

// EPSG:27700 with the classic 7-parameter Helmert to WGS84 written out, so lon/lat do not
// depend on which PROJ grids a machine happens to have (the sample must regenerate
// byte-identically everywhere). Accuracy ~2-5 m, far below what travel times notice.
constexpr const char* kBngHelmert =
    "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy "
    "+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs +type=crs";
constexpr const char* kWgs84 = "+proj=longlat +datum=WGS84 +no_defs +type=crs";
constexpr const char* kDbfDate = "DBF_DATE_LAST_UPDATE=2026-01-01";

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// 27700 -> lon/lat in place (the one reprojection path, detail::CrsTransform).
void to_lonlat(std::vector<Point>& pts) {
  detail::CrsTransform(kBngHelmert, kWgs84).apply_all(pts, [](std::size_t i) {
    return "synth-county: point " + std::to_string(i);
  });
}

void write_pbf(const Model& m, const fs::path& file) {
  std::vector<Point> ll(m.nodes.begin(), m.nodes.end());
  for (const auto& s : m.settlements) ll.push_back(s.centre);
  to_lonlat(ll);

  osmium::io::File out{file.string(), "pbf"};
  out.set("add_metadata", "false");
  osmium::io::Header header;
  header.set("generator", "lotwright synth-county");
  osmium::io::Writer writer{out, header, osmium::io::overwrite::allow};
  constexpr std::size_t kBuffer = 1 << 20;
  osmium::memory::Buffer buf{kBuffer, osmium::memory::Buffer::auto_grow::yes};
  auto flush = [&](bool force) {
    if (buf.committed() > kBuffer / 2 || (force && buf.committed() > 0)) {
      writer(std::move(buf));
      buf = osmium::memory::Buffer{kBuffer, osmium::memory::Buffer::auto_grow::yes};
    }
  };
  const std::size_t n = m.nodes.size();
  for (std::size_t i = 0; i < n; ++i) {
    {
      osmium::builder::NodeBuilder nb{buf};
      nb.set_id(static_cast<osmium::object_id_type>(i + 1));
      nb.set_location(osmium::Location{ll[i].x, ll[i].y});
    }
    buf.commit();
    flush(false);
  }
  for (std::size_t s = 0; s < m.settlements.size(); ++s) {
    const Settlement& st = m.settlements[s];
    {
      osmium::builder::NodeBuilder nb{buf};
      nb.set_id(static_cast<osmium::object_id_type>(n + 1 + s));
      nb.set_location(osmium::Location{ll[n + s].x, ll[n + s].y});
      osmium::builder::TagListBuilder tags{nb};
      tags.add_tag("place", kind_name(st.kind));
      tags.add_tag("name", st.name);
      tags.add_tag("population", std::to_string(std::lround(st.residents / 10) * 10));
    }
    buf.commit();
    flush(false);
  }
  for (std::size_t w = 0; w < m.ways.size(); ++w) {
    const Way& way = m.ways[w];
    {
      osmium::builder::WayBuilder wb{buf};
      wb.set_id(static_cast<osmium::object_id_type>(w + 1));
      {
        osmium::builder::WayNodeListBuilder nodes{wb};
        for (int v : way.nodes) nodes.add_node_ref(static_cast<osmium::object_id_type>(v + 1));
      }
      osmium::builder::TagListBuilder tags{wb};
      tags.add_tag("highway", way.highway);
      if (!way.ref.empty()) tags.add_tag("ref", way.ref);
      if (!way.maxspeed.empty()) tags.add_tag("maxspeed", way.maxspeed);
    }
    buf.commit();
    flush(false);
  }
  flush(true);
  writer.close();
}

struct Field {
  const char* name;
  OGRFieldType type;
  int width;
};

// One polygon Shapefile (EPSG:27700, UTF-8, fixed DBF date); values as text per field.
void write_shapefile(
    const fs::path& file, const std::vector<Field>& fields,
    std::vector<std::pair<std::unique_ptr<OGRGeometry>, std::vector<std::string>>> features) {
  detail::gdal_init();
  detail::GdalErrorCapture errors;
  auto fail = [&](const std::string& what) {
    throw DataError(where(file) + what + (errors.last().empty() ? "" : ": " + errors.last()));
  };
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
  if (!drv) throw DataError("synth-county: GDAL has no ESRI Shapefile driver");
  GDALDatasetUniquePtr ds(drv->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) fail("cannot create the Shapefile");
  OGRSpatialReference srs;
  srs.importFromEPSG(27700);
  const char* options[] = {kDbfDate, "ENCODING=UTF-8", nullptr};
  OGRLayer* layer =
      ds->CreateLayer(file.stem().c_str(), &srs, wkbPolygon, const_cast<char**>(options));
  if (!layer) fail("cannot create the layer");
  for (const auto& f : fields) {
    OGRFieldDefn def(f.name, f.type);
    def.SetWidth(f.width);
    if (layer->CreateField(&def) != OGRERR_NONE) fail(std::string("cannot create field ") + f.name);
  }
  for (auto& [geom, values] : features) {
    OGRFeatureUniquePtr feat(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    for (std::size_t i = 0; i < fields.size(); ++i)
      feat->SetField(static_cast<int>(i), values[i].c_str());
    feat->SetGeometryDirectly(geom.release());
    if (layer->CreateFeature(feat.get()) != OGRERR_NONE) fail("cannot write a feature");
  }
  ds.reset();  // flushes and closes
  if (!errors.failure().empty()) throw DataError(where(file) + errors.failure());
}

void write_boundary(const Model& m, const fs::path& file) {
  auto ring = std::make_unique<OGRLinearRing>();
  for (const auto& p : m.boundary) ring->addPoint(p.x, p.y);
  auto poly = std::make_unique<OGRPolygon>();
  poly->addRingDirectly(ring.release());
  std::vector<std::pair<std::unique_ptr<OGRGeometry>, std::vector<std::string>>> f;
  f.emplace_back(std::move(poly),
                 std::vector<std::string>{m.options.name, "Z06000001", fmt("%.2f", m.area_km2)});
  write_shapefile(file,
                  {{"NAME", OFTString, 60}, {"CODE", OFTString, 9}, {"AREA_KM2", OFTReal, 12}},
                  std::move(f));
}

void write_areas(const Model& m, const fs::path& file) {
  std::vector<std::pair<std::unique_ptr<OGRGeometry>, std::vector<std::string>>> f;
  for (const auto& a : m.areas) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(a.wkb.data(), nullptr, &g, a.wkb.size()) != OGRERR_NONE ||
        !g)
      throw DataError(where(file) + "bad small-area geometry " + a.code);
    f.emplace_back(std::unique_ptr<OGRGeometry>(g),
                   std::vector<std::string>{a.code, a.name, a.ruc, ruc_name(a.ruc),
                                            std::to_string(a.residents), std::to_string(a.over65)});
  }
  write_shapefile(file,
                  {{"SA_CODE", OFTString, 9},
                   {"SA_NAME", OFTString, 40},
                   {"RUC11CD", OFTString, 2},
                   {"RUC11", OFTString, 50},
                   {"RESIDENTS", OFTInteger, 7},
                   {"AGE65PLUS", OFTInteger, 7}},
                  std::move(f));
}

void write_text(const fs::path& file, const std::string& text) {
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (!f) throw DataError(where(file) + "cannot write");
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) throw DataError(where(file) + "cannot write");
}

std::string postcodes_csv(const Model& m) {
  std::string s = "postcode,easting,northing,sa_code\n";
  for (const auto& site : m.sites) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s,%.0f,%.0f,%s\n", site.postcode.c_str(), site.p.x, site.p.y,
                  m.areas[static_cast<std::size_t>(site.area)].code.c_str());
    s += buf;
  }
  return s;
}

std::string demand_csv(const Model& m) {
  std::string s = "postcode,hours_per_week,customers,unmet_hours\n";
  for (const auto& row : m.demand) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s,%.1f,%ld,%.1f\n",
                  m.sites[static_cast<std::size_t>(row.site)].postcode.c_str(), row.hours,
                  row.customers, row.unmet_hours);
    s += buf;
  }
  return s;
}

std::string command_line(const Model& m) {
  std::string c = "lotwright synth-county --out DIR --postcodes " +
                  std::to_string(m.options.postcodes) + " --seed " + std::to_string(m.options.seed);
  if (m.options.name != SynthCountyOptions{}.name) c += " --name \"" + m.options.name + "\"";
  return c;
}

std::string county_toml(const Model& m) {
  std::ostringstream t;
  t << "# Synthetic county made by lotwright synth-county (not real data).\n"
    << "# Remake: " << command_line(m) << "\n\n"
    << "[area]\nname = \"" << m.options.name << "\"\nboundary = \"boundary.shp\"\n\n"
    << "[postcodes]\npath = \"postcodes.csv\"\nid = \"postcode\"\nx = \"easting\"\n"
    << "y = \"northing\"\ncrs = \"EPSG:27700\"\n\n"
    << "[demand]\npath = \"demand.csv\"\npostcode = \"postcode\"\nhours = \"hours_per_week\"\n"
    << "customers = \"customers\"\nunmet_hours = \"unmet_hours\"\n\n"
    << "[roads]\nosm = \"roads.osm.pbf\"\nprofile = \"car\"\n\n"
    << "[rural]\npath = \"small_areas.shp\"\nkey = \"SA_CODE\"\npostcode_key = \"sa_code\"\n"
    << "class = \"RUC11CD\"\n\n"
    << "[population]\npath = \"small_areas.shp\"\nkey = \"SA_CODE\"\npostcode_key = \"sa_code\"\n"
    << "count = \"AGE65PLUS\"\n\n"
    << "[design]\nlots = " << m.lots
    << "\ntolerance = 0.05\nmax_travel_minutes = " << fmt("%.0f", m.max_travel_minutes)
    << "\nseed = 1\n";
  return t.str();
}

std::string readme(const Model& m) {
  long towns = 0, villages = 0, hamlets = 0;
  double residents = 0, over65 = 0;
  for (const auto& s : m.settlements)
    (s.kind == Kind::kTown ? towns : s.kind == Kind::kVillage ? villages : hamlets)++;
  for (const auto& a : m.areas)
    residents += static_cast<double>(a.residents), over65 += static_cast<double>(a.over65);
  long customers = 0;
  for (const auto& d : m.demand) customers += d.customers;
  std::ostringstream t;
  t << "# " << m.options.name << " — a synthetic county\n\n"
    << "**Everything in this folder is synthetic.** No place, postcode, road, person or care\n"
    << "package here is real: it was generated by code (`lotwright synth-county`, source in\n"
    << "`geo/src/synth_county*.cpp`, method in `docs/synth-county.md`) so Lotwright can ship a\n"
    << "sample county without real data, which is personal (care demand) or licensed.\n\n"
    << "Remake it, byte for byte:\n\n```sh\n"
    << command_line(m) << "\n```\n\n"
    << "(for this folder, `DIR` is `shapefiles`; the test suite regenerates it and compares).\n"
    << "Run the whole pipeline on it: `lotwright run "
    << "county.toml --out out`.\n\n"
    << "| file | contents |\n| --- | --- |\n"
    << "| `county.toml` | the configuration (contract in `docs/configuration.md`) |\n"
    << "| `boundary.shp` | the county outline, EPSG:27700, " << fmt("%.0f", m.area_km2)
    << " km² |\n"
    << "| `postcodes.csv` | " << m.sites.size()
    << " postcodes (`postcode,easting,northing,sa_code`); area `" << m.area_code
    << "` is not a real UK postcode area |\n"
    << "| `small_areas.shp` | " << m.areas.size()
    << " small areas (~1,500 residents, LSOA-like): `SA_CODE`, RUC2011 class `RUC11CD`, "
       "`RESIDENTS`, `AGE65PLUS` |\n"
    << "| `roads.osm.pbf` | " << m.nodes.size() << " road nodes, " << m.ways.size()
    << " ways (OSM highway tags) and " << m.settlements.size() << " place nodes |\n"
    << "| `demand.csv` | " << m.demand.size() << " postcodes with demand: " << customers
    << " customers, " << fmt("%.0f", m.total_hours) << " hours a week |\n\n"
    << "Settlements: " << towns << " towns, " << villages << " villages, " << hamlets
    << " hamlets; " << fmt("%.0f", residents) << " residents, " << fmt("%.0f", over65)
    << " aged 65+.\n";
  return t.str();
}

}  // namespace

void write_model(const Model& m, const fs::path& dir) {
  write_boundary(m, dir / "boundary.shp");
  write_areas(m, dir / "small_areas.shp");
  write_text(dir / "postcodes.csv", postcodes_csv(m));
  write_text(dir / "demand.csv", demand_csv(m));
  write_pbf(m, dir / "roads.osm.pbf");
  write_text(dir / "county.toml", county_toml(m));
  write_text(dir / "README.md", readme(m));
}

}  // namespace lotwright::geo::synth
