// The plan folder (assignment.csv, lots.csv, metrics.json, plan.gpkg), written atomically,
// and lot names. Formats in docs/outputs.md; plans are read by plan_csv.cpp.
#include "lotwright/plan/plan_io.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "lotwright/gis/gdal.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/plan_store.hpp"
#include "lotwright/version.hpp"

namespace lotwright::geo {
namespace fs = std::filesystem;

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s == "-0" || s.rfind("-0.", 0) == 0) {
    bool zero = true;
    for (char c : s.substr(1)) zero = zero && (c == '0' || c == '.');
    if (zero) s = s.substr(1);
  }
  return s;
}

int kind_rank(const std::string& kind) {
  static const char* order[] = {"city", "town", "village", "suburb", "hamlet"};
  for (int i = 0; i < 5; ++i)
    if (kind == order[i]) return i;
  return 5;
}

// Ordered, translucent-friendly palette for lots (QGIS style and the viewer's defaults).
const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                          "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
                          "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354"};

std::string rgb(int lot) {
  const char* hex = kPalette[lot % static_cast<int>(std::size(kPalette))];
  unsigned r = 0, g = 0, b = 0;
  std::sscanf(hex, "#%02x%02x%02x", &r, &g, &b);
  return std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b);
}

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

// QGIS style for the `lots` layer: categorised by lot, labelled by name.
std::string lots_qml(const Plan& plan) {
  std::ostringstream q;
  q << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
    << "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"1\">\n"
    << " <renderer-v2 type=\"categorizedSymbol\" attr=\"lot\" symbollevels=\"0\" "
       "enableorderby=\"0\" forceraster=\"0\">\n  <categories>\n";
  for (int l = 0; l < plan.lot_count; ++l) {
    const std::string name = l < static_cast<int>(plan.name.size()) ? plan.name[l] : "";
    q << "   <category symbol=\"" << l << "\" value=\"" << l + 1 << "\" label=\""
      << xml_escape(std::to_string(l + 1) + (name.empty() ? "" : " " + name))
      << "\" render=\"true\"/>\n";
  }
  q << "  </categories>\n  <symbols>\n";
  for (int l = 0; l < plan.lot_count; ++l) {
    q << "   <symbol type=\"fill\" name=\"" << l
      << "\" alpha=\"0.55\" clip_to_extent=\"1\" "
         "force_rhr=\"0\">\n"
      << "    <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">\n"
      << "     <prop k=\"color\" v=\"" << rgb(l) << ",255\"/>\n"
      << "     <prop k=\"outline_color\" v=\"35,35,35,255\"/>\n"
      << "     <prop k=\"outline_width\" v=\"0.5\"/>\n"
      << "     <prop k=\"outline_width_unit\" v=\"MM\"/>\n"
      << "     <prop k=\"style\" v=\"solid\"/>\n"
      << "    </layer>\n   </symbol>\n";
  }
  q << "  </symbols>\n </renderer-v2>\n"
    << " <labeling type=\"simple\">\n  <settings calloutType=\"simple\">\n"
    << "   <text-style fieldName=\"name\" isExpression=\"0\" fontSize=\"10\" "
       "fontWeight=\"75\" textColor=\"20,20,20,255\" fontFamily=\"Sans Serif\"/>\n"
    << "   <text-buffer bufferDraw=\"1\" bufferSize=\"1\" bufferSizeUnits=\"MM\" "
       "bufferColor=\"255,255,255,255\"/>\n"
    << "   <placement placement=\"0\" centroidInside=\"1\" centroidWhole=\"1\"/>\n"
    << "   <rendering obstacle=\"1\" fontLimitPixelSize=\"0\" drawLabels=\"1\"/>\n"
    << "  </settings>\n </labeling>\n</qgis>\n";
  return q.str();
}

std::string lots_sld(const Plan& plan) {
  std::ostringstream s;
  s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" "
       "xmlns:ogc=\"http://www.opengis.net/ogc\" version=\"1.1.0\">\n"
    << " <NamedLayer><Name>lots</Name><UserStyle><FeatureTypeStyle>\n";
  for (int l = 0; l < plan.lot_count; ++l)
    s << "  <Rule><Name>" << l + 1 << "</Name><ogc:Filter><ogc:PropertyIsEqualTo>"
      << "<ogc:PropertyName>lot</ogc:PropertyName><ogc:Literal>" << l + 1
      << "</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter><PolygonSymbolizer><Fill>"
      << "<SvgParameter name=\"fill\">" << kPalette[l % static_cast<int>(std::size(kPalette))]
      << "</SvgParameter><SvgParameter name=\"fill-opacity\">0.55</SvgParameter></Fill>"
      << "</PolygonSymbolizer></Rule>\n";
  s << " </FeatureTypeStyle></UserStyle></NamedLayer>\n</StyledLayerDescriptor>\n";
  return s.str();
}

OGRPolygon to_ogr(const Polygon& p) {
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

void check_ogr(OGRErr err, const fs::path& file, const std::string& what) {
  if (err != OGRERR_NONE)
    throw DataError(where(file) + "cannot write " + what + " (" + CPLGetLastErrorMsg() + ")");
}

void add_fields(OGRLayer* layer, const fs::path& file,
                std::initializer_list<std::pair<const char*, OGRFieldType>> fields) {
  for (const auto& [name, type] : fields) {
    OGRFieldDefn f(name, type);
    check_ogr(layer->CreateField(&f), file, std::string("field ") + name);
  }
}

// Per-unit minutes from its lot's hub.
std::vector<double> unit_travel(const UnitGraph& g, const Plan& plan) {
  std::vector<double> out(g.size(), std::nan(""));
  if (!g.travel) return out;
  std::vector<float> tree;
  for (int l = 0; l < plan.lot_count; ++l) {
    if (l >= static_cast<int>(plan.hub.size()) || plan.hub[l] < 0) continue;
    g.travel->tree(plan.hub[l], tree);
    for (std::size_t u = 0; u < g.size(); ++u)
      if (plan.lot_of[u] == l && std::isfinite(tree[u])) out[u] = tree[u];
  }
  return out;
}

void write_gpkg(const fs::path& file, const PlanOutputs& out, const Plan& plan,
                const PlanMetrics& m) {
  detail::gdal_init();
  detail::GdalErrorCapture errors;
  const UnitGraph& g = *out.graph;
  // Fixed timestamps inside the GeoPackage so the same plan gives the same file.
  CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
  struct Reset {
    ~Reset() { CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr); }
  } reset;
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!drv) throw DataError(where(file) + "GDAL has no GPKG driver");
  GDALDatasetUniquePtr ds(drv->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw DataError(where(file) + "cannot create (" + CPLGetLastErrorMsg() + ")");
  OGRSpatialReference srs;
  srs.importFromEPSG(27700);
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  const auto travel = unit_travel(g, plan);
  char** no_spatial_index = CSLSetNameValue(nullptr, "SPATIAL_INDEX", "NO");
  struct FreeOpts {
    char** o;
    ~FreeOpts() { CSLDestroy(o); }
  } free_opts{no_spatial_index};

  // units
  {
    OGRLayer* layer = ds->CreateLayer("units", &srs, wkbPolygon, nullptr);
    if (!layer) throw DataError(where(file) + "cannot create layer units");
    add_fields(layer, file,
               {{"postcode", OFTString},
                {"lot", OFTInteger},
                {"hours", OFTReal},
                {"customers", OFTReal},
                {"rural", OFTString},
                {"travel_min", OFTReal},
                {"site_x", OFTReal},
                {"site_y", OFTReal}});
    check_ogr(layer->StartTransaction(), file, "units");
    for (std::size_t u = 0; u < g.size(); ++u) {
      OGRFeature f(layer->GetLayerDefn());
      f.SetField("postcode", g.id[u].c_str());
      f.SetField("lot", plan.lot_of[u] == kNoLot ? 0 : plan.lot_of[u] + 1);
      f.SetField("hours", g.hours[u]);
      f.SetField("customers", u < g.customers.size() ? g.customers[u] : 0.0);
      f.SetField("rural", u < g.rural.size() ? g.rural[u].c_str() : "");
      if (std::isfinite(travel[u])) f.SetField("travel_min", travel[u]);
      f.SetField("site_x", g.site[u].x);
      f.SetField("site_y", g.site[u].y);
      const Unit* unit = nullptr;
      if (out.units && u < out.units->units.size() && out.units->units[u].id == g.id[u])
        unit = &out.units->units[u];
      if (unit && !unit->cell.empty()) {
        // One polygon per cell; when clipping left several, the largest.
        std::size_t best = 0;
        double best_a = -1;
        for (std::size_t i = 0; i < unit->cell.size(); ++i) {
          const double a = area(unit->cell[i]);
          if (a > best_a) best_a = a, best = i;
        }
        OGRPolygon poly = to_ogr(unit->cell[best]);
        f.SetGeometry(&poly);
      }
      check_ogr(layer->CreateFeature(&f), file, "unit " + g.id[u]);
    }
    check_ogr(layer->CommitTransaction(), file, "units");
  }
  // lots
  {
    OGRLayer* layer = ds->CreateLayer("lots", &srs, wkbMultiPolygon, nullptr);
    if (!layer) throw DataError(where(file) + "cannot create layer lots");
    add_fields(layer, file,
               {{"lot", OFTInteger},
                {"name", OFTString},
                {"tier", OFTString},
                {"hours", OFTReal},
                {"customers", OFTReal},
                {"units", OFTInteger},
                {"hub", OFTString},
                {"mean_travel_min", OFTReal},
                {"max_travel_min", OFTReal},
                {"area_km2", OFTReal},
                {"pieces", OFTInteger}});
    std::vector<std::vector<const MultiPolygon*>> cells(static_cast<std::size_t>(plan.lot_count));
    if (out.units)
      for (std::size_t u = 0; u < g.size() && u < out.units->units.size(); ++u)
        if (plan.lot_of[u] != kNoLot && out.units->units[u].id == g.id[u])
          cells[plan.lot_of[u]].push_back(&out.units->units[u].cell);
    check_ogr(layer->StartTransaction(), file, "lots");
    for (const auto& lm : m.lots) {
      OGRFeature f(layer->GetLayerDefn());
      f.SetField("lot", lm.lot);
      f.SetField("name", lm.name.c_str());
      f.SetField("tier", lm.tier.c_str());
      f.SetField("hours", lm.hours);
      f.SetField("customers", lm.customers);
      f.SetField("units", lm.units);
      f.SetField("hub", lm.hub.c_str());
      f.SetField("mean_travel_min", lm.mean_travel_min);
      f.SetField("max_travel_min", lm.max_travel_min);
      f.SetField("area_km2", lm.area_km2);
      f.SetField("pieces", lm.pieces);
      const auto l = static_cast<std::size_t>(lm.lot - 1);
      if (l < cells.size() && !cells[l].empty()) {
        const MultiPolygon mp = dissolve(cells[l]);
        OGRMultiPolygon omp;
        for (const auto& p : mp) {
          OGRPolygon op = to_ogr(p);
          omp.addGeometry(&op);
        }
        f.SetGeometry(&omp);
      }
      check_ogr(layer->CreateFeature(&f), file, "lot " + std::to_string(lm.lot));
    }
    check_ogr(layer->CommitTransaction(), file, "lots");
  }
  // hubs
  {
    OGRLayer* layer = ds->CreateLayer("hubs", &srs, wkbPoint, nullptr);
    if (!layer) throw DataError(where(file) + "cannot create layer hubs");
    add_fields(layer, file, {{"lot", OFTInteger}, {"name", OFTString}, {"postcode", OFTString}});
    for (int l = 0; l < plan.lot_count; ++l) {
      if (l >= static_cast<int>(plan.hub.size()) || plan.hub[l] < 0) continue;
      OGRFeature f(layer->GetLayerDefn());
      f.SetField("lot", l + 1);
      f.SetField("name", l < static_cast<int>(plan.name.size()) ? plan.name[l].c_str() : "");
      f.SetField("postcode", g.id[plan.hub[l]].c_str());
      OGRPoint pt(g.site[plan.hub[l]].x, g.site[plan.hub[l]].y);
      f.SetGeometry(&pt);
      check_ogr(layer->CreateFeature(&f), file, "hub");
    }
  }
  // edges (attribute table)
  {
    OGRLayer* layer = ds->CreateLayer("edges", nullptr, wkbNone, nullptr);
    if (!layer) throw DataError(where(file) + "cannot create layer edges");
    add_fields(layer, file,
               {{"a", OFTString}, {"b", OFTString}, {"minutes", OFTReal}, {"border_m", OFTReal}});
    check_ogr(layer->StartTransaction(), file, "edges");
    for (std::size_t u = 0; u < g.size(); ++u)
      for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
        if (g.targets[k] <= u) continue;
        OGRFeature f(layer->GetLayerDefn());
        f.SetField("a", g.id[u].c_str());
        f.SetField("b", g.id[g.targets[k]].c_str());
        f.SetField("minutes", static_cast<double>(g.edge_minutes[k]));
        f.SetField("border_m",
                   k < g.edge_border_m.size() ? static_cast<double>(g.edge_border_m[k]) : 0.0);
        check_ogr(layer->CreateFeature(&f), file, "edge");
      }
    check_ogr(layer->CommitTransaction(), file, "edges");
  }
  // roads
  {
    OGRLayer* layer = ds->CreateLayer("roads", &srs, wkbLineString, no_spatial_index);
    if (!layer) throw DataError(where(file) + "cannot create layer roads");
    add_fields(layer, file, {{"highway", OFTString}, {"ref", OFTString}});
    if (out.roads) {
      check_ogr(layer->StartTransaction(), file, "roads");
      for (const auto& r : out.roads->main_roads) {
        if (r.line.points.size() < 2) continue;
        OGRFeature f(layer->GetLayerDefn());
        f.SetField("highway", r.highway.c_str());
        f.SetField("ref", r.ref.c_str());
        OGRLineString ls;
        for (const auto& p : r.line.points) ls.addPoint(p.x, p.y);
        f.SetGeometry(&ls);
        check_ogr(layer->CreateFeature(&f), file, "road");
      }
      check_ogr(layer->CommitTransaction(), file, "roads");
    }
  }
  // meta
  {
    OGRLayer* layer = ds->CreateLayer("meta", nullptr, wkbNone, nullptr);
    if (!layer) throw DataError(where(file) + "cannot create layer meta");
    add_fields(layer, file, {{"key", OFTString}, {"value", OFTString}});
    std::vector<std::pair<std::string, std::string>> kv;
    const DesignConfig* d = out.design;
    const bool tiers = d ? !d->lots.has_value() : false;
    kv.emplace_back("mode", tiers ? "tiers" : "lots");
    kv.emplace_back("lots", std::to_string(plan.lot_count));
    kv.emplace_back("tolerance", d ? num(d->tolerance, 4) : "");
    kv.emplace_back("max_travel_minutes", d ? num(d->max_travel_minutes, 2) : "");
    nlohmann::ordered_json tj = nlohmann::ordered_json::array();
    if (d)
      for (const auto& t : d->tiers) {
        nlohmann::ordered_json o;
        o["name"] = t.name;
        o["min_hours"] = t.min_hours;
        o["max_hours"] = t.max_hours;
        if (t.max_travel_minutes) o["max_travel_minutes"] = *t.max_travel_minutes;
        tj.push_back(o);
      }
    kv.emplace_back("tiers", tj.dump());
    kv.emplace_back("seed", std::to_string(plan.seed));
    kv.emplace_back("config", out.config.empty() ? "" : fs::absolute(out.config).string());
    kv.emplace_back("version", kVersion);
    for (const auto& [k, v] : kv) {
      OGRFeature f(layer->GetLayerDefn());
      f.SetField("key", k.c_str());
      f.SetField("value", v.c_str());
      check_ogr(layer->CreateFeature(&f), file, "meta");
    }
  }
  // layer_styles: QGIS opens `lots` categorised by lot and labelled by name.
  {
    OGRLayer* layer = ds->CreateLayer("layer_styles", nullptr, wkbNone, nullptr);
    if (!layer) throw DataError(where(file) + "cannot create layer layer_styles");
    add_fields(layer, file,
               {{"f_table_catalog", OFTString},
                {"f_table_schema", OFTString},
                {"f_table_name", OFTString},
                {"f_geometry_column", OFTString},
                {"styleName", OFTString},
                {"styleQML", OFTString},
                {"styleSLD", OFTString},
                {"useAsDefault", OFTInteger},
                {"description", OFTString},
                {"owner", OFTString},
                {"ui", OFTString},
                {"update_time", OFTDateTime}});
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("f_table_catalog", "");
    f.SetField("f_table_schema", "");
    f.SetField("f_table_name", "lots");
    f.SetField("f_geometry_column", "geom");
    f.SetField("styleName", "lots by lot");
    f.SetField("styleQML", lots_qml(plan).c_str());
    f.SetField("styleSLD", lots_sld(plan).c_str());
    f.SetField("useAsDefault", 1);
    f.SetField("description", "Lotwright: lots coloured by lot, labelled by name");
    f.SetField("owner", "");
    f.SetField("ui", "");
    f.SetField("update_time", 2000, 1, 1, 0, 0, 0, 100);
    check_ogr(layer->CreateFeature(&f), file, "layer_styles");
  }
  ds.reset();  // close: flushes and finalises the file
  if (!errors.failure().empty())
    throw DataError(where(file) + "GeoPackage write failed: " + errors.failure());
}

std::string lots_csv(const PlanMetrics& m) {
  std::ostringstream o;
  o << "lot,name,tier,hours,customers,units,pieces,hub,mean_travel_min,p95_travel_min,"
       "max_travel_min,area_km2,rural_hours,within_band\n";
  for (const auto& l : m.lots)
    o << l.lot << "," << csv_field(l.name) << "," << csv_field(l.tier) << "," << num(l.hours, 2)
      << "," << num(l.customers, 2) << "," << l.units << "," << l.pieces << "," << csv_field(l.hub)
      << "," << num(l.mean_travel_min, 2) << "," << num(l.p95_travel_min, 2) << ","
      << num(l.max_travel_min, 2) << "," << num(l.area_km2, 3) << "," << num(l.rural_hours, 2)
      << "," << (l.within_band ? "yes" : "no") << "\n";
  return o.str();
}

}  // namespace

std::vector<std::string> lot_names(const UnitGraph& g, const Plan& plan, const RoadNetwork* roads) {
  const int k = plan.lot_count;
  std::vector<std::string> names(static_cast<std::size_t>(k));
  // Places per lot: a place belongs to the lot of the nearest unit site (= its Voronoi cell).
  struct Cand {
    int rank;
    double dist;
    std::string name;
  };
  std::vector<std::vector<Cand>> cand(static_cast<std::size_t>(k));
  if (roads) {
    for (const auto& p : roads->places) {
      if (p.name.empty()) continue;
      int best = -1;
      double bd = 1e300;
      for (std::size_t u = 0; u < g.size(); ++u) {
        if (plan.lot_of[u] == kNoLot) continue;
        const double d = std::hypot(g.site[u].x - p.site.x, g.site[u].y - p.site.y);
        if (d < bd) bd = d, best = static_cast<int>(u);
      }
      if (best < 0 || bd > 3000) continue;  // far outside every unit: not in the area
      const int l = plan.lot_of[best];
      const int hub = l < static_cast<int>(plan.hub.size()) ? plan.hub[l] : -1;
      const double dh =
          hub >= 0 ? std::hypot(g.site[hub].x - p.site.x, g.site[hub].y - p.site.y) : 0;
      cand[l].push_back({kind_rank(p.kind), dh, p.name});
    }
  }
  std::set<std::string> used;
  for (int l = 0; l < k; ++l) {
    auto& c = cand[l];
    std::sort(c.begin(), c.end(), [](const Cand& a, const Cand& b) {
      return std::tie(a.rank, a.dist, a.name) < std::tie(b.rank, b.dist, b.name);
    });
    std::vector<std::string> uniq;
    for (const auto& x : c)
      if (std::find(uniq.begin(), uniq.end(), x.name) == uniq.end()) uniq.push_back(x.name);
    std::string name;
    if (!uniq.empty()) {
      name = uniq[0];
      for (std::size_t i = 1; i < uniq.size(); ++i)
        if (!used.count(uniq[0] + " & " + uniq[i])) {
          name = uniq[0] + " & " + uniq[i];
          break;
        }
    } else {
      int hub = l < static_cast<int>(plan.hub.size()) ? plan.hub[l] : -1;
      if (hub < 0)
        for (std::size_t u = 0; u < g.size() && hub < 0; ++u)
          if (plan.lot_of[u] == l) hub = static_cast<int>(u);
      if (hub >= 0) {
        const auto& id = g.id[hub];
        name = id.substr(0, id.find(' '));
      }
    }
    if (name.empty() || used.count(name))
      name += (name.empty() ? "" : " ") + std::string("(lot ") + std::to_string(l + 1) + ")";
    used.insert(name);
    names[l] = name;
  }
  return names;
}

void write_plan(const fs::path& dir, const PlanOutputs& out) {
  if (!out.graph || !out.plan) throw UsageError("write_plan: graph and plan are required");
  const UnitGraph& g = *out.graph;
  Plan plan = *out.plan;
  plan.lot_of.resize(g.size(), kNoLot);
  if (static_cast<int>(plan.name.size()) < plan.lot_count)
    plan.name.resize(static_cast<std::size_t>(plan.lot_count));
  bool any_empty = false;
  for (const auto& n : plan.name) any_empty = any_empty || n.empty();
  if (any_empty) {
    const auto names = lot_names(g, plan, out.roads);
    for (int l = 0; l < plan.lot_count; ++l)
      if (plan.name[l].empty()) plan.name[l] = names[l];
  }
  PlanMetrics computed;
  if (!out.metrics) {
    EvaluateOptions eo;
    eo.units = out.units;  // lot perimeters for Polsby-Popper
    computed = evaluate(g, plan, eo);
  }
  PlanMetrics m = out.metrics ? *out.metrics : computed;
  for (auto& lm : m.lots)
    if (lm.name.empty() && lm.lot - 1 < plan.lot_count) lm.name = plan.name[lm.lot - 1];
  // Hubs as the metrics found them when the plan has none.
  plan.hub.resize(static_cast<std::size_t>(plan.lot_count), -1);
  for (const auto& lm : m.lots)
    if (lm.lot - 1 < plan.lot_count && plan.hub[lm.lot - 1] < 0 && !lm.hub.empty())
      plan.hub[lm.lot - 1] = g.find(lm.hub);

  // Everything is made in a temporary folder inside dir, then each file is renamed into
  // place: a failure leaves dir as it was.
  const std::vector<std::string> files = {"assignment.csv", "lots.csv", "metrics.json",
                                          "plan.gpkg"};
  for (const auto& f : files)
    if (fs::is_directory(dir / f))
      throw DataError(where(dir / f) + "is a folder; cannot write the plan file there");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw DataError(where(dir) + "cannot create folder: " + ec.message());
  const fs::path tmp = dir / (".lotwright-plan-" + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  if (ec) throw DataError(where(tmp) + "cannot create folder: " + ec.message());
  try {
    auto put = [&](const std::string& name, const std::string& text) {
      std::ofstream o(tmp / name, std::ios::binary);
      o << text;
      o.close();
      if (!o) throw DataError(where(dir / name) + "cannot write");
    };
    put("assignment.csv", assignment_csv(g, plan));
    put("lots.csv", lots_csv(m));
    put("metrics.json", metrics_json(m));
    write_gpkg(tmp / "plan.gpkg", out, plan, m);
    for (const auto& f : files) {
      fs::rename(tmp / f, dir / f, ec);
      if (ec) throw DataError(where(dir / f) + "cannot write: " + ec.message());
    }
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  fs::remove_all(tmp, ec);
}

}  // namespace lotwright::geo
