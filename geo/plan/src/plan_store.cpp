// Reading plan.gpkg back into a UnitGraph/Plan/cells view-model (GDAL/OGR), saving edits.
#include "lotwright/plan/plan_store.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <queue>
#include <sstream>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/gdal.hpp"
#include "lotwright/gis/geometry.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/plan_io.hpp"
#include "lotwright/plan/plan_schema.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/study/units.hpp"

namespace lotwright::geo {

namespace {

std::string prefix(const std::filesystem::path& file, const std::string& layer, GIntBig fid = -1) {
  std::string s = where(file) + "layer \"" + layer + "\"";
  if (fid >= 0) s += ", feature " + std::to_string(fid);
  return s + ": ";
}

double ring_area(const Ring& r) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) a += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
  return a / 2;
}

double cell_area(const MultiPolygon& mp) {
  double a = 0;
  for (const auto& p : mp) {
    a += std::abs(ring_area(p.outer));
    for (const auto& h : p.holes) a -= std::abs(ring_area(h));
  }
  return a;
}

Box cell_box(const MultiPolygon& mp) {
  Box b{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
        std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
  for (const auto& p : mp)
    for (const auto& q : p.outer) {
      b.min_x = std::min(b.min_x, q.x);
      b.min_y = std::min(b.min_y, q.y);
      b.max_x = std::max(b.max_x, q.x);
      b.max_y = std::max(b.max_y, q.y);
    }
  return b;
}

// Field access by name (case-insensitive through OGR), -1 when absent.
class Fields {
 public:
  Fields(OGRLayer* layer, std::filesystem::path file, std::string name)
      : layer_(layer), file_(std::move(file)), name_(std::move(name)) {}
  int optional(const char* field) const { return layer_->GetLayerDefn()->GetFieldIndex(field); }
  int required(const char* field) const {
    const int i = optional(field);
    if (i >= 0) return i;
    std::string have;
    auto* defn = layer_->GetLayerDefn();
    for (int k = 0; k < defn->GetFieldCount(); ++k)
      have += (k ? ", " : "") + std::string(defn->GetFieldDefn(k)->GetNameRef());
    throw DataError(prefix(file_, name_) + "no field \"" + field + "\" (fields: " + have + ")");
  }

 private:
  OGRLayer* layer_;
  std::filesystem::path file_;
  std::string name_;
};

std::string text(const OGRFeature& f, int i) {
  if (i < 0 || !f.IsFieldSetAndNotNull(i)) return "";
  return f.GetFieldAsString(i);
}

double number(const OGRFeature& f, int i, const std::filesystem::path& file,
              const std::string& layer, const char* field, bool allow_negative = false) {
  if (i < 0 || !f.IsFieldSetAndNotNull(i)) return 0;
  const auto type = f.GetFieldDefnRef(i)->GetType();
  double v = 0;
  if (type == OFTReal || type == OFTInteger || type == OFTInteger64) {
    v = f.GetFieldAsDouble(i);
  } else {
    const std::string s = f.GetFieldAsString(i);
    char* end = nullptr;
    v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size())
      throw DataError(prefix(file, layer, f.GetFID()) + "field \"" + field + "\": \"" + s +
                      "\" is not a number");
  }
  if (!std::isfinite(v) || (!allow_negative && v < 0))
    throw DataError(prefix(file, layer, f.GetFID()) + "field \"" + field +
                    "\": " + std::to_string(v) + " must be a number >= 0");
  return v;
}

int lot_number(const OGRFeature& f, int i, const std::filesystem::path& file,
               const std::string& layer) {
  const double v = number(f, i, file, layer, "lot");
  if (v != std::floor(v) || v > 1e6)
    throw DataError(prefix(file, layer, f.GetFID()) + "field \"lot\": " + std::to_string(v) +
                    " is not a lot number (1-based, 0 = unassigned)");
  return static_cast<int>(v);
}

void read_meta(GDALDataset& ds, const std::filesystem::path& file, PlanStore& s) {
  OGRLayer* layer = ds.GetLayerByName("meta");
  if (!layer) {
    s.warnings.push_back("no \"meta\" table: bands and tolerance use defaults");
    return;
  }
  Fields fields(layer, file, "meta");
  const int k = fields.required("key"), v = fields.required("value");
  std::map<std::string, std::string> kv;
  layer->ResetReading();
  for (auto& f : *layer) kv[text(*f, k)] = text(*f, v);
  auto num = [&](const char* key, double fallback) {
    auto it = kv.find(key);
    if (it == kv.end() || it->second.empty()) return fallback;
    char* end = nullptr;
    const double x = std::strtod(it->second.c_str(), &end);
    if (end != it->second.c_str() + it->second.size() || !std::isfinite(x))
      throw DataError(prefix(file, "meta") + "key \"" + key + "\": \"" + it->second +
                      "\" is not a number");
    return x;
  };
  PlanMeta& m = s.meta;
  if (kv.count("mode")) m.mode = kv["mode"];
  m.lots = static_cast<int>(num("lots", 0));
  m.tolerance = num("tolerance", m.tolerance);
  m.max_travel_minutes = num("max_travel_minutes", 0);
  m.seed = static_cast<std::uint64_t>(num("seed", 0));
  if (kv.count("config") && !kv["config"].empty()) m.config = kv["config"];
  if (kv.count("version")) m.version = kv["version"];
  if (kv.count("tiers") && !kv["tiers"].empty()) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(kv["tiers"]);
    } catch (const std::exception& e) {
      throw DataError(prefix(file, "meta") + "key \"tiers\": not JSON (" + e.what() + ")");
    }
    if (!j.is_array())
      throw DataError(prefix(file, "meta") + "key \"tiers\": expected a JSON array of tiers");
    for (const auto& t : j) {
      if (!t.is_object())
        throw DataError(prefix(file, "meta") +
                        "key \"tiers\": expected objects with name, "
                        "min_hours, max_hours");
      TierConfig tc;
      tc.name = t.value("name", std::string());
      tc.min_hours = t.value("min_hours", 0.0);
      tc.max_hours = t.value("max_hours", 0.0);
      if (t.contains("max_travel_minutes") && t["max_travel_minutes"].is_number())
        tc.max_travel_minutes = t["max_travel_minutes"].get<double>();
      m.tiers.push_back(tc);
    }
  }
}

struct UnitRecord {
  std::string id;
  int lot = 0;  // 1-based, 0 unassigned
  double hours = 0, customers = 0, unmet_hours = 0;
  std::string rural;
  float travel = std::numeric_limits<float>::quiet_NaN();
  Point site;
  bool has_site = false;
  MultiPolygon cell;
  GIntBig fid = 0;
};

}  // namespace

namespace {

using U = plan_schema::Units;
using L = plan_schema::Lots;
using H = plan_schema::Hubs;

// The `units` layer's features, sorted by postcode; a postcode twice is an error.
std::vector<UnitRecord> read_units(GDALDataset& ds, const std::filesystem::path& gpkg,
                                   PlanStore& s) {
  OGRLayer* units = ds.GetLayerByName(U::layer);
  if (!units) throw DataError(where(gpkg) + "no layer \"units\" (is this a Lotwright plan.gpkg?)");
  Fields uf(units, gpkg, U::layer);
  const int f_id = uf.required(U::postcode.name), f_lot = uf.required(U::lot.name),
            f_hours = uf.required(U::hours.name), f_cust = uf.optional(U::customers.name),
            f_unmet = uf.optional(U::unmet_hours.name), f_rural = uf.optional(U::rural.name),
            f_travel = uf.optional(U::travel_min.name), f_x = uf.optional(U::site_x.name),
            f_y = uf.optional(U::site_y.name);
  std::vector<UnitRecord> recs;
  units->ResetReading();
  for (auto& f : *units) {
    UnitRecord r;
    r.fid = f->GetFID();
    r.id = text(*f, f_id);
    if (r.id.empty()) throw DataError(prefix(gpkg, "units", r.fid) + "field \"postcode\" is empty");
    r.lot = lot_number(*f, f_lot, gpkg, "units");
    r.hours = number(*f, f_hours, gpkg, "units", U::hours.name);
    r.customers = number(*f, f_cust, gpkg, "units", U::customers.name);
    r.unmet_hours = number(*f, f_unmet, gpkg, "units", U::unmet_hours.name);
    r.rural = text(*f, f_rural);
    if (f_travel >= 0 && f->IsFieldSetAndNotNull(f_travel))
      r.travel = static_cast<float>(number(*f, f_travel, gpkg, "units", U::travel_min.name));
    if (f_x >= 0 && f_y >= 0 && f->IsFieldSetAndNotNull(f_x) && f->IsFieldSetAndNotNull(f_y)) {
      r.site = {number(*f, f_x, gpkg, "units", U::site_x.name, true),
                number(*f, f_y, gpkg, "units", U::site_y.name, true)};
      r.has_site = true;
    }
    const OGRGeometry* geom = f->GetGeometryRef();
    r.cell = detail::read_multipolygon(geom);
    if (r.cell.empty())
      s.warnings.push_back(prefix(gpkg, "units", r.fid) + "unit " + r.id + " has no polygon");
    if (!r.has_site && geom && !geom->IsEmpty()) {
      OGRPoint c;
      if (geom->Centroid(&c) == OGRERR_NONE) r.site = {c.getX(), c.getY()};
    }
    recs.push_back(std::move(r));
  }
  if (recs.empty()) throw DataError(prefix(gpkg, "units") + "no units");
  std::sort(recs.begin(), recs.end(),
            [](const UnitRecord& a, const UnitRecord& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < recs.size(); ++i)
    if (recs[i].id == recs[i - 1].id)
      throw DataError(prefix(gpkg, "units", recs[i].fid) + "postcode " + recs[i].id +
                      " appears twice (also feature " + std::to_string(recs[i - 1].fid) + ")");
  return recs;
}

// The graph's units, the cells and the plan's lots from the records; lots named by number.
void fill_units(std::vector<UnitRecord>& recs, PlanStore& s) {
  int max_lot = 0;
  for (const auto& r : recs) max_lot = std::max(max_lot, r.lot);
  if (s.meta.lots > 0 && max_lot > s.meta.lots)
    s.warnings.push_back("units name lot " + std::to_string(max_lot) + " but meta says " +
                         std::to_string(s.meta.lots) + " lots");
  const int lot_count = std::max(max_lot, s.meta.lots);
  UnitGraph& g = s.graph;
  const std::size_t n = recs.size();
  g.id.reserve(n);
  s.plan.lot_of.reserve(n);
  s.cells.reserve(n);
  for (auto& r : recs) {
    g.id.push_back(r.id);
    g.site.push_back(r.site);
    g.hours.push_back(r.hours);
    g.customers.push_back(r.customers);
    g.unmet_hours.push_back(r.unmet_hours);
    g.rural.push_back(r.rural);
    g.area_m2.push_back(cell_area(r.cell));
    s.stored_travel.push_back(r.travel);
    s.plan.lot_of.push_back(r.lot == 0 ? kNoLot : r.lot - 1);
    s.cells.push_back(std::move(r.cell));
  }
  Plan& plan = s.plan;
  plan.lot_count = lot_count;
  plan.seed = s.meta.seed;
  plan.hub.assign(static_cast<std::size_t>(lot_count), -1);
  plan.name.assign(static_cast<std::size_t>(lot_count), "");
  plan.tier.assign(static_cast<std::size_t>(lot_count), "");
  for (int l = 0; l < lot_count; ++l)
    plan.name[static_cast<std::size_t>(l)] = "Lot " + std::to_string(l + 1);
}

// References from other layers to lots (1..lot_count) and units (postcodes).
struct Refs {
  const std::filesystem::path& gpkg;
  const PlanStore& s;
  int lot(const OGRFeature& f, int field, const char* layer) const {
    const int lot = lot_number(f, field, gpkg, layer);
    if (lot < 1 || lot > s.plan.lot_count)
      throw DataError(prefix(gpkg, layer, f.GetFID()) + "field \"lot\": " + std::to_string(lot) +
                      " is not a lot of this plan (1.." + std::to_string(s.plan.lot_count) + ")");
    return lot - 1;
  }
  int unit(const OGRFeature& f, int field, const char* layer, const char* name) const {
    const std::string pc = text(f, field);
    const int u = s.graph.find(pc);
    if (u < 0)
      throw DataError(prefix(gpkg, layer, f.GetFID()) + "field \"" + name + "\": postcode \"" + pc +
                      "\" is not in layer \"units\"");
    return u;
  }
};

// Names, tiers and hubs from the `lots` and `hubs` layers.
void read_lots(GDALDataset& ds, const Refs& ref, PlanStore& s) {
  Plan& plan = s.plan;
  if (OGRLayer* lots = ds.GetLayerByName(L::layer)) {
    Fields lf(lots, ref.gpkg, L::layer);
    const int f_l = lf.required(L::lot.name), f_name = lf.optional(L::name.name),
              f_tier = lf.optional(L::tier.name), f_hub = lf.optional(L::hub.name);
    lots->ResetReading();
    for (auto& f : *lots) {
      const auto l = static_cast<std::size_t>(ref.lot(*f, f_l, L::layer));
      if (!text(*f, f_name).empty()) plan.name[l] = text(*f, f_name);
      plan.tier[l] = text(*f, f_tier);
      if (f_hub >= 0 && !text(*f, f_hub).empty())
        plan.hub[l] = ref.unit(*f, f_hub, L::layer, L::hub.name);
    }
  } else {
    s.warnings.push_back("no \"lots\" layer: lots are named by number");
  }
  if (OGRLayer* hubs = ds.GetLayerByName(H::layer)) {
    Fields hf(hubs, ref.gpkg, H::layer);
    const int f_l = hf.required(H::lot.name), f_pc = hf.required(H::postcode.name),
              f_name = hf.optional(H::name.name);
    hubs->ResetReading();
    for (auto& f : *hubs) {
      const auto l = static_cast<std::size_t>(ref.lot(*f, f_l, H::layer));
      plan.hub[l] = ref.unit(*f, f_pc, H::layer, H::postcode.name);
      if (plan.name[l].rfind("Lot ", 0) == 0 && !text(*f, f_name).empty())
        plan.name[l] = text(*f, f_name);
    }
  }
}

// The adjacency from `edges`, and the graph travel oracle over it.
void read_edges(GDALDataset& ds, const Refs& ref, PlanStore& s) {
  UnitGraph& g = s.graph;
  std::vector<GraphEdge> edges;
  if (OGRLayer* el = ds.GetLayerByName("edges")) {
    Fields ef(el, ref.gpkg, "edges");
    const int f_a = ef.required("a"), f_b = ef.required("b"), f_min = ef.optional("minutes"),
              f_border = ef.optional("border_m");
    el->ResetReading();
    for (auto& f : *el) {
      GraphEdge e;
      e.a = ref.unit(*f, f_a, "edges", "a");
      e.b = ref.unit(*f, f_b, "edges", "b");
      e.minutes = static_cast<float>(number(*f, f_min, ref.gpkg, "edges", "minutes"));
      e.border_m = static_cast<float>(number(*f, f_border, ref.gpkg, "edges", "border_m"));
      edges.push_back(e);
    }
  } else {
    s.warnings.push_back("no \"edges\" layer: units have no neighbours (every lot in pieces)");
  }
  set_edges(g, std::move(edges));
  g.geometric_edges = static_cast<long>(g.targets.size() / 2);
  g.travel = std::make_shared<GraphTravel>(g);
}

void read_roads(GDALDataset& ds, const std::filesystem::path& gpkg, PlanStore& s) {
  OGRLayer* roads = ds.GetLayerByName("roads");
  if (!roads) return;
  Fields rf(roads, gpkg, "roads");
  const int f_hw = rf.optional("highway"), f_ref = rf.optional("ref");
  roads->ResetReading();
  for (auto& f : *roads) {
    const OGRGeometry* geom = f->GetGeometryRef();
    if (!geom || geom->IsEmpty()) continue;
    auto add = [&](const OGRLineString* ls) {
      StoredRoad r;
      r.highway = text(*f, f_hw);
      r.ref = text(*f, f_ref);
      for (int i = 0; i < ls->getNumPoints(); ++i)
        r.line.points.push_back({ls->getX(i), ls->getY(i)});
      if (r.line.points.size() >= 2) s.roads.push_back(std::move(r));
    };
    const auto type = wkbFlatten(geom->getGeometryType());
    if (type == wkbLineString)
      add(geom->toLineString());
    else if (type == wkbMultiLineString)
      for (const OGRLineString* ls : *geom->toMultiLineString()) add(ls);
  }
}

// Bounds of all cells and the borders between them.
void finish_cells(const std::filesystem::path& gpkg, PlanStore& s) {
  Box b{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
        std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
  for (const auto& c : s.cells) {
    if (c.empty()) continue;
    const Box cb = cell_box(c);
    b = {std::min(b.min_x, cb.min_x), std::min(b.min_y, cb.min_y), std::max(b.max_x, cb.max_x),
         std::max(b.max_y, cb.max_y)};
  }
  if (b.min_x > b.max_x) throw DataError(prefix(gpkg, "units") + "no unit has a polygon");
  s.bounds = b;
  s.borders = cell_borders(s.cells);
}

}  // namespace

namespace {

// The care-round parameters the plan was designed with: [rounds] of the config in the meta.
void read_round_params(PlanStore& s) {
  const auto& cfg = s.meta.config;
  if (cfg.empty()) return;
  const std::string fallback = ": care rounds use the library's [rounds] defaults";
  if (!std::filesystem::exists(cfg)) {
    s.warnings.push_back("config " + cfg.string() + " not found" + fallback);
    return;
  }
  try {
    s.rounds = load_config(cfg).rounds;
  } catch (const std::exception& e) {
    s.warnings.push_back("config " + cfg.string() + " unreadable (" + e.what() + ")" + fallback);
  }
}

}  // namespace

PlanStore load_plan_store(const std::filesystem::path& gpkg) {
  // GDAL's own messages stay off stderr while we read; we report through DataError.
  const detail::GdalErrorCapture gdal_errors;
  detail::gdal_init();
  PlanStore s;
  s.file = gpkg;
  if (!std::filesystem::exists(gpkg)) throw DataError(where(gpkg) + "no such file");
  GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds)
    throw DataError(where(gpkg) + "cannot open as a vector dataset (" + gdal_errors.last() + ")");
  read_meta(*ds, gpkg, s);
  std::vector<UnitRecord> recs = read_units(*ds, gpkg, s);
  fill_units(recs, s);
  recs.clear();
  const Refs refs{gpkg, s};
  read_lots(*ds, refs, s);
  read_edges(*ds, refs, s);
  read_roads(*ds, gpkg, s);
  finish_cells(gpkg, s);
  read_round_params(s);
  return s;
}

std::vector<std::vector<Band>> plan_bands(const PlanMeta& meta, const UnitGraph& g,
                                          const Plan& plan) {
  const DesignConfig design = design_config(meta);
  double assigned = 0;
  for (std::size_t u = 0; u < g.size() && u < plan.lot_of.size(); ++u)
    if (plan.lot_of[u] != kNoLot) assigned += g.hours[u];
  std::vector<std::vector<Band>> out(static_cast<std::size_t>(std::max(plan.lot_count, 0)));
  for (std::size_t l = 0; l < out.size(); ++l)
    out[l] = lot_bands(design, l < plan.tier.size() ? plan.tier[l] : std::string(), assigned,
                       plan.lot_count);
  return out;
}

DesignConfig design_config(const PlanMeta& meta) {
  DesignConfig d;
  if (meta.mode != "tiers" && meta.lots > 0) d.lots = meta.lots;
  d.tolerance = meta.tolerance;
  if (meta.max_travel_minutes > 0) d.max_travel_minutes = meta.max_travel_minutes;
  d.seed = meta.seed;
  d.tiers = meta.tiers;
  return d;
}

PlanMetrics evaluate_store_plan(const PlanStore& store, const Plan& plan) {
  const DesignConfig design = design_config(store.meta);
  EvaluateOptions opts;
  opts.design = &design;
  opts.rounds = &store.rounds;
  opts.unit_area_m2 = &store.graph.area_m2;
  std::vector<double> cell_perimeter(store.cells.size());
  for (std::size_t u = 0; u < store.cells.size(); ++u)
    cell_perimeter[u] = perimeter(store.cells[u]);
  const std::vector<double> lot_perimeter =
      lot_perimeters(cell_perimeter, store.borders, plan.lot_of, plan.lot_count);
  opts.lot_perimeter_m = &lot_perimeter;
  return evaluate(store.graph, plan, opts);
}

void save_plan_folder(const std::filesystem::path& dir, const PlanStore& store, const Plan& plan) {
  const PlanMetrics metrics = evaluate_store_plan(store, plan);
  Units units;
  const UnitGraph& g = store.graph;
  units.units.resize(g.size());
  for (std::size_t u = 0; u < g.size(); ++u) {
    Unit& x = units.units[u];
    x.id = g.id[u];
    x.site = g.site[u];
    x.cell = store.cells[u];
    x.area_m2 = g.area_m2[u];
    x.hours = g.hours[u];
    x.customers = g.customers[u];
    x.rural = g.rural[u];
  }
  units.edges = store.borders;
  // The roads the store loaded, written back as they were (places are not stored).
  RoadNetwork roads;
  roads.main_roads.reserve(store.roads.size());
  for (const StoredRoad& r : store.roads) roads.main_roads.push_back({r.highway, r.ref, r.line});
  const DesignConfig design = design_config(store.meta);
  PlanOutputs out;
  out.graph = &g;
  out.units = &units;
  out.roads = &roads;
  out.plan = &plan;
  out.metrics = &metrics;
  out.design = &design;  // meta keeps the plan's mode, tolerance and tiers
  out.config = store.meta.config;
  write_plan(dir, out);
}

void travel_to_hubs(const UnitGraph& g, const Plan& plan, std::vector<float>& out,
                    const std::vector<int>& lots) {
  travel_to_hubs(g.travel.get(), plan, out, lots);
}

void travel_to_hubs(const TravelOracle* travel, const Plan& plan, std::vector<float>& out,
                    const std::vector<int>& lots) {
  const std::size_t n = plan.lot_of.size();
  if (out.size() != n) out.assign(n, kUnreachable);
  std::vector<char> want(static_cast<std::size_t>(plan.lot_count) + 1, lots.empty() ? 1 : 0);
  for (int l : lots)
    if (l >= 0 && l < plan.lot_count) want[static_cast<std::size_t>(l)] = 1;
  auto hub_of = [&](int l) {
    return l >= 0 && static_cast<std::size_t>(l) < plan.hub.size()
               ? plan.hub[static_cast<std::size_t>(l)]
               : -1;
  };
  const bool usable = travel && travel->size() == n;
  for (std::size_t u = 0; u < n; ++u) {
    const int l = plan.lot_of[u];
    if (l == kNoLot || hub_of(l) < 0 || (want[static_cast<std::size_t>(l)] && !usable))
      out[u] = kUnreachable;
  }
  if (!usable) return;
  std::vector<float> tree;
  for (int l = 0; l < plan.lot_count; ++l) {
    if (!want[static_cast<std::size_t>(l)] || hub_of(l) < 0) continue;
    travel->tree(hub_of(l), tree);
    for (std::size_t u = 0; u < n; ++u)
      if (plan.lot_of[u] == l) out[u] = tree[u];
  }
}

std::shared_ptr<const TravelOracle> study_travel(const PlanStore& store, std::string* note) {
  auto say = [&](const std::string& s) {
    if (note) *note = s;
    return nullptr;
  };
  const auto& cfg = store.meta.config;
  if (cfg.empty())
    return say("no config in the plan's meta: travel is graph distance over neighbouring units");
  if (!std::filesystem::exists(cfg))
    return say("config " + cfg.string() +
               " not found: travel is graph distance over neighbouring units");
  try {
    const Config config = load_config(cfg);
    if (config.roads.osm.empty())
      return say("the config has no road network: travel is graph distance");
    Study study = load_study(config);
    if (study.graph.id != store.graph.id || !study.graph.travel)
      return say(
          "the study from " + cfg.string() +
          " has other units than the plan: travel is graph distance over neighbouring units");
    if (note) *note = "road travel from " + cfg.string();
    return study.graph.travel;
  } catch (const std::exception& e) {
    return say(std::string("road travel unavailable (") + e.what() + "): travel is graph distance");
  }
}

bool point_in_cell(const MultiPolygon& mp, Point p) {
  for (const auto& poly : mp) {
    bool inside = false;
    auto ring_test = [&](const Ring& r) {
      for (std::size_t i = 0, j = r.size() ? r.size() - 1 : 0; i < r.size(); j = i++) {
        const Point& a = r[i];
        const Point& b = r[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
          inside = !inside;
      }
    };
    ring_test(poly.outer);
    for (const auto& h : poly.holes) ring_test(h);
    if (inside) return true;
  }
  return false;
}

namespace {
double segment_distance(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}
}  // namespace

UnitLocator::UnitLocator(const std::vector<MultiPolygon>& cells) : cells_(&cells) {
  const std::size_t n = cells.size();
  boxes_.resize(n);
  all_ = {std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
          std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
  for (std::size_t u = 0; u < n; ++u) {
    boxes_[u] = cells[u].empty() ? Box{1, 1, 0, 0} : cell_box(cells[u]);
    if (cells[u].empty()) continue;
    all_ = {std::min(all_.min_x, boxes_[u].min_x), std::min(all_.min_y, boxes_[u].min_y),
            std::max(all_.max_x, boxes_[u].max_x), std::max(all_.max_y, boxes_[u].max_y)};
  }
  if (all_.min_x > all_.max_x) {
    nx_ = ny_ = 0;
    return;
  }
  const double w = std::max(all_.max_x - all_.min_x, 1.0),
               h = std::max(all_.max_y - all_.min_y, 1.0);
  const double side = std::sqrt(w * h / std::max<double>(1, static_cast<double>(n)));
  nx_ = std::clamp(static_cast<int>(w / side), 1, 2048);
  ny_ = std::clamp(static_cast<int>(h / side), 1, 2048);
  cell_w_ = w / nx_;
  cell_h_ = h / ny_;
  auto range = [&](const Box& b, int& x0, int& y0, int& x1, int& y1) {
    x0 = std::clamp(static_cast<int>((b.min_x - all_.min_x) / cell_w_), 0, nx_ - 1);
    x1 = std::clamp(static_cast<int>((b.max_x - all_.min_x) / cell_w_), 0, nx_ - 1);
    y0 = std::clamp(static_cast<int>((b.min_y - all_.min_y) / cell_h_), 0, ny_ - 1);
    y1 = std::clamp(static_cast<int>((b.max_y - all_.min_y) / cell_h_), 0, ny_ - 1);
  };
  std::vector<std::uint32_t> count(
      static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_) + 1, 0);
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t u = 0; u < n; ++u) {
      if (cells[u].empty()) continue;
      int x0, y0, x1, y1;
      range(boxes_[u], x0, y0, x1, y1);
      for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
          const std::size_t c = static_cast<std::size_t>(y) * static_cast<std::size_t>(nx_) +
                                static_cast<std::size_t>(x);
          if (pass == 0)
            ++count[c + 1];
          else
            items_[start_[c] + count[c]++] = static_cast<std::uint32_t>(u);
        }
    }
    if (pass == 0) {
      start_.assign(count.size(), 0);
      for (std::size_t c = 1; c < count.size(); ++c) start_[c] = start_[c - 1] + count[c];
      items_.assign(start_.back(), 0);
      std::fill(count.begin(), count.end(), 0);
    }
  }
}

int UnitLocator::find(Point p) const {
  if (!cells_ || nx_ == 0) return -1;
  if (p.x < all_.min_x || p.x > all_.max_x || p.y < all_.min_y || p.y > all_.max_y) return -1;
  const int x = std::clamp(static_cast<int>((p.x - all_.min_x) / cell_w_), 0, nx_ - 1);
  const int y = std::clamp(static_cast<int>((p.y - all_.min_y) / cell_h_), 0, ny_ - 1);
  const std::size_t c =
      static_cast<std::size_t>(y) * static_cast<std::size_t>(nx_) + static_cast<std::size_t>(x);
  for (std::uint32_t k = start_[c]; k < start_[c + 1]; ++k) {
    const std::uint32_t u = items_[k];
    const Box& b = boxes_[u];
    if (p.x < b.min_x || p.x > b.max_x || p.y < b.min_y || p.y > b.max_y) continue;
    if (point_in_cell((*cells_)[u], p)) return static_cast<int>(u);
  }
  return -1;
}

std::vector<int> UnitLocator::within(Point p, double radius) const {
  std::vector<int> out;
  if (!cells_ || nx_ == 0) return out;
  const Box q{p.x - radius, p.y - radius, p.x + radius, p.y + radius};
  if (q.max_x < all_.min_x || q.min_x > all_.max_x || q.max_y < all_.min_y || q.min_y > all_.max_y)
    return out;
  const int x0 = std::clamp(static_cast<int>((q.min_x - all_.min_x) / cell_w_), 0, nx_ - 1);
  const int x1 = std::clamp(static_cast<int>((q.max_x - all_.min_x) / cell_w_), 0, nx_ - 1);
  const int y0 = std::clamp(static_cast<int>((q.min_y - all_.min_y) / cell_h_), 0, ny_ - 1);
  const int y1 = std::clamp(static_cast<int>((q.max_y - all_.min_y) / cell_h_), 0, ny_ - 1);
  std::vector<int> cand;
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) {
      const std::size_t c =
          static_cast<std::size_t>(y) * static_cast<std::size_t>(nx_) + static_cast<std::size_t>(x);
      for (std::uint32_t k = start_[c]; k < start_[c + 1]; ++k)
        cand.push_back(static_cast<int>(items_[k]));
    }
  std::sort(cand.begin(), cand.end());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  for (int u : cand) {
    const Box& b = boxes_[static_cast<std::size_t>(u)];
    if (b.max_x < q.min_x || b.min_x > q.max_x || b.max_y < q.min_y || b.min_y > q.max_y) continue;
    const MultiPolygon& mp = (*cells_)[static_cast<std::size_t>(u)];
    bool hit = point_in_cell(mp, p);
    for (std::size_t i = 0; !hit && i < mp.size(); ++i) {
      auto near = [&](const Ring& r) {
        for (std::size_t k = 0; k + 1 < r.size(); ++k)
          if (segment_distance(p, r[k], r[k + 1]) <= radius) return true;
        return false;
      };
      hit = near(mp[i].outer);
      for (std::size_t h = 0; !hit && h < mp[i].holes.size(); ++h) hit = near(mp[i].holes[h]);
    }
    if (hit) out.push_back(u);
  }
  return out;
}

}  // namespace lotwright::geo
