#pragma once
// The plan store: reads a designed plan back from plan.gpkg (written by write_plan) into the
// view-model the viewer edits — a UnitGraph, a Plan, one cell per unit — and
// saves edits (assignment CSV, or a whole plan folder through write_plan).
//
// plan.gpkg layers: `units`, `lots`, `hubs` (fields in plan_schema.hpp, shared with the
// writer), `edges` (table: a, b, minutes, border_m),
// `roads` (LineString: highway, ref; may be empty), `meta` (table: key, value: mode, lots,
// tolerance, max_travel_minutes, tiers (JSON), seed, config, version).
//
// Travel inside the store is a graph-distance oracle: shortest paths over the `edges`
// layer's minutes (adjacent units only). It is an approximation of road travel (routes
// follow chains of neighbouring cells); re-evaluation in the viewer uses it unless
// study_travel() could rebuild road travel from the config named in the meta.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/core/travel.hpp"
#include "lotwright/core/types.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/plan/plan_io.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/units.hpp"

namespace lotwright::geo {

struct StoredRoad {
  std::string highway;  // OSM class: motorway, trunk, primary, ...
  std::string ref;
  Polyline line;
};

struct PlanMeta {
  std::string mode = "lots";  // lots | tiers
  int lots = 0;
  double tolerance = 0.05;
  double max_travel_minutes = 0;
  std::vector<TierConfig> tiers;
  std::uint64_t seed = 0;
  std::filesystem::path config;
  std::string version;
};

struct PlanStore {
  std::filesystem::path file;
  UnitGraph graph;                   // ids sorted; adjacency from `edges`; graph travel oracle
  Plan plan;                         // lots, hubs, names, tiers
  std::vector<MultiPolygon> cells;   // per unit (graph order)
  std::vector<UnitEdge> borders;     // every pair of cells sharing a border (cell_borders)
  std::vector<float> stored_travel;  // per unit: `travel_min` as written (NaN when null)
  std::vector<StoredRoad> roads;
  PlanMeta meta;
  Box bounds;                         // of all cells
  // The [rounds] of the config named in the meta, so the viewer's care-round figures are the
  // ones design, evaluate and the pack show; the library's defaults (with a warning) when
  // that config cannot be read.
  RoundParams rounds;
  std::vector<std::string> warnings;  // oddities that did not stop the load
};

// Reads plan.gpkg. Throws DataError naming the file, layer, feature and field on problems
// (missing layer, unknown postcode in `edges`, lot beyond `meta.lots`, ...).
PlanStore load_plan_store(const std::filesystem::path& gpkg);

// Hours bands per lot for `plan` under the meta's design, by the metrics' rule (lot_bands in
// metrics.hpp): in lots mode the hours assigned in `plan` shared by its lots ± tolerance; in
// tiers mode the lot's tier band (every tier's band for an untagged lot).
std::vector<std::vector<Band>> plan_bands(const PlanMeta& meta, const UnitGraph& g,
                                          const Plan& plan);

// A design config reconstructed from the meta (for evaluate's bands/tolerance).
DesignConfig design_config(const PlanMeta& meta);

// Metrics of an edited plan by the library's evaluate (travel: the store's oracle; lot
// perimeters from the cells and borders).
PlanMetrics evaluate_store_plan(const PlanStore& store, const Plan& plan);

// A whole plan folder (assignment.csv, plan.gpkg, lots.csv, metrics.json) via write_plan;
// plan.gpkg keeps the store's `roads`.
void save_plan_folder(const std::filesystem::path& dir, const PlanStore& store, const Plan& plan);

// Minutes from each unit's lot hub to the unit (kUnreachable when not reachable or no hub),
// using graph.travel; only lots in `lots` are recomputed into `out` (all when empty).
void travel_to_hubs(const UnitGraph& g, const Plan& plan, std::vector<float>& out,
                    const std::vector<int>& lots = {});
// The same with an explicit oracle (e.g. a copy held by a background job); out has
// plan.lot_of.size() entries.
void travel_to_hubs(const TravelOracle* travel, const Plan& plan, std::vector<float>& out,
                    const std::vector<int>& lots = {});

// Road travel for the store's units from the study its meta names (`meta.config`): loads the
// config and the study (road network from the usual cache beside the config) and returns its
// travel oracle when the study has exactly the store's units. Null, with the reason in
// `note`, when there is no config, it cannot be loaded, or the units differ. Does not touch
// the store (callers swap graph.travel when no one else reads it).
std::shared_ptr<const TravelOracle> study_travel(const PlanStore& store, std::string* note);

// Which unit holds a point: a uniform grid over cell bounding boxes, then point-in-polygon.
class UnitLocator {
 public:
  UnitLocator() = default;
  explicit UnitLocator(const std::vector<MultiPolygon>& cells);
  int find(Point p) const;  // -1 outside every cell
  // Units whose cell comes within `radius` of p (cell contains p, or a vertex or edge is
  // nearer than radius), sorted.
  std::vector<int> within(Point p, double radius) const;

 private:
  const std::vector<MultiPolygon>* cells_ = nullptr;
  std::vector<Box> boxes_;
  Box all_;
  int nx_ = 0, ny_ = 0;
  double cell_w_ = 1, cell_h_ = 1;
  std::vector<std::uint32_t> start_, items_;  // CSR: grid cell -> units
};

bool point_in_cell(const MultiPolygon& mp, Point p);

}  // namespace lotwright::geo
