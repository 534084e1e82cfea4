#pragma once
// The viewer's prepared model: the plan store (geo), the editor (geo::PlanEditor), CPU-side
// meshes built once at load (triangles per unit, shared cell borders, roads) and the derived
// figures the panels draw. Built off the frame loop; the frame loop only reads it and sends
// edits through the editor.
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lotwright/metrics/metrics.hpp"
#include "lotwright/plan/plan_editor.hpp"
#include "lotwright/plan/plan_store.hpp"
#include "lotwright/tender/disclosure.hpp"

namespace lotwright::viewer {

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  std::uint32_t packed() const {  // little-endian RGBA8 for GL_UNSIGNED_BYTE attributes
    return static_cast<std::uint32_t>(r) | static_cast<std::uint32_t>(g) << 8 |
           static_cast<std::uint32_t>(b) << 16 | static_cast<std::uint32_t>(a) << 24;
  }
};

// Sets the zone colouring lot_colour uses (ViewModel::load: geo::zone_colours).
void set_zone_colours(std::vector<int> colours);
Rgba lot_colour(int lot);  // distinct qualitative colours; kNoLot: light grey
Rgba unassigned_colour();

// A border piece between two cells (v = -1: on the county's edge).
struct Segment {
  float ax = 0, ay = 0, bx = 0, by = 0;
  int u = 0, v = -1;
};

struct Meshes {
  geo::Point origin;           // world = EPSG:27700 - origin (float precision)
  std::vector<float> fill_xy;  // triangles, 2 floats per vertex, units back to back
  std::vector<std::uint32_t> unit_first, unit_count;  // per unit: vertex range in fill_xy
  std::vector<Segment> segments;                      // every cell border once
  std::vector<float> road_xy;                         // GL_LINES pairs
  std::vector<std::uint32_t> road_rgba;
  std::vector<float> dot_xy;  // demand dots (units with hours > 0)
  std::vector<float> dot_radius_px;
  int fallback_triangulations = 0;  // cells ear-clipped here because geo::triangulate failed
};

// Triangles for one cell: geo::triangulate, or ear clipping of the outer ring as a fallback.
std::vector<geo::Point> triangulate_cell(const geo::MultiPolygon& cell, bool* fell_back);
std::vector<geo::Point> ear_clip(const geo::Ring& ring);

struct LotFigures {
  double hours = 0, customers = 0;
  int units = 0, pieces = 0;
  double mean_travel = 0, max_travel = 0;  // hours-weighted mean, hub -> unit (graph minutes)
  geo::Point label;                        // world (EPSG:27700) label anchor
};

class ViewModel {
 public:
  // Loads PLAN.gpkg and prepares everything the frame loop draws. Throws DataError.
  static std::unique_ptr<ViewModel> load(const std::filesystem::path& gpkg);

  const geo::PlanStore& store() const { return store_; }
  geo::PlanEditor& editor() { return *editor_; }
  const geo::PlanEditor& editor() const { return *editor_; }
  const Meshes& mesh() const { return mesh_; }
  const geo::UnitLocator& locator() const { return locator_; }
  const std::vector<LotFigures>& figures() const { return figures_; }
  const std::vector<float>& hub_travel() const { return hub_travel_; }
  const std::vector<tender::SectorDemand>& sectors() const { return sectors_; }
  // The hours bands of a lot for the plan as edited, by the metrics' rule (geo::lot_bands):
  // lots mode, the assigned hours shared by the lots ± tolerance; tiers mode, its tier's band
  // (every tier's for an untagged lot). Empty: no band.
  std::vector<geo::Band> bands(int lot) const;

  // After edits: figures and labels of the lots that changed, now; their travel (a
  // Dijkstra per touched lot, up to a second on a big road graph) on a background job
  // started when `full` (false during a brush drag) and applied by poll_travel().
  void refresh(bool full);
  // Applies a finished background travel update (figures of its lots) and starts the next
  // one when lots are waiting. Call once a frame.
  void poll_travel();
  bool travel_busy() const { return travel_job_.valid() || !pending_travel_.empty(); }
  void refresh_sectors();  // provider demand (tender::provider_demand) for the current plan
  bool travel_stale() const { return travel_busy(); }
  // Applies a finished evaluation: hubs from the metrics, travel recomputed.
  void apply_metrics(const geo::PlanMetrics& m);

  int find_unit(const std::string& postcode) const { return store_.graph.find(postcode); }
  // Swaps the travel oracle (road travel from the plan's study) and recomputes travel.
  void set_travel(std::shared_ptr<const geo::TravelOracle> travel);

 private:
  ViewModel() = default;
  void build_meshes();
  void recompute_lot(int lot);
  void start_travel();
  struct TravelUpdate {
    std::vector<int> lots;    // lots recomputed
    std::vector<int> lot_of;  // the plan they were computed for
    std::vector<float> minutes;
  };
  std::future<TravelUpdate> travel_job_;
  geo::PlanStore store_;
  geo::DesignConfig design_;  // from the store's meta: the bands' rule
  std::unique_ptr<geo::PlanEditor> editor_;
  geo::UnitLocator locator_;
  Meshes mesh_;
  std::vector<LotFigures> figures_;
  std::vector<float> hub_travel_;
  std::vector<tender::SectorDemand> sectors_;
  std::vector<int> pending_travel_;  // lots whose travel waits for the next background update
};

}  // namespace lotwright::viewer
