#include "view_model.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numeric>

#include "lotwright/core/error.hpp"
#include "lotwright/core/palette.hpp"
#include "lotwright/gis/geometry.hpp"

namespace lotwright::viewer {

namespace {
std::vector<int> zone_colour_table;  // geo::zone_colours of the plan as loaded
}  // namespace

void set_zone_colours(std::vector<int> colours) { zone_colour_table = std::move(colours); }

Rgba lot_colour(int lot) {
  // The zone colouring every output uses (neighbouring zones differ); lots added while
  // editing take the palette by number.
  const auto l = static_cast<std::size_t>(lot);
  const geo::LotRgb c =
      geo::lot_rgb(lot >= 0 && l < zone_colour_table.size() ? zone_colour_table[l] : lot);
  return {c.r, c.g, c.b, 255};
}

Rgba unassigned_colour() { return lot_colour(geo::kNoLot); }

std::vector<geo::Point> ear_clip(const geo::Ring& ring_in) {
  std::vector<geo::Point> out;
  std::vector<geo::Point> pts(ring_in.begin(), ring_in.end());
  if (pts.size() >= 2 && pts.front() == pts.back()) pts.pop_back();
  if (pts.size() < 3) return out;
  double twice_area = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const geo::Point& a = pts[i];
    const geo::Point& b = pts[(i + 1) % pts.size()];
    twice_area += a.x * b.y - b.x * a.y;
  }
  if (twice_area < 0) std::reverse(pts.begin(), pts.end());  // counter-clockwise
  std::vector<std::size_t> idx(pts.size());
  std::iota(idx.begin(), idx.end(), 0);
  auto cross = [](geo::Point a, geo::Point b, geo::Point c) {
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  };
  std::size_t guard = 0;
  while (idx.size() > 3 && guard < 4 * pts.size() * pts.size()) {
    bool clipped = false;
    for (std::size_t i = 0; i < idx.size(); ++i, ++guard) {
      const geo::Point a = pts[idx[(i + idx.size() - 1) % idx.size()]], b = pts[idx[i]],
                       c = pts[idx[(i + 1) % idx.size()]];
      if (cross(a, b, c) <= 0) continue;  // reflex or flat
      bool inside = false;
      for (std::size_t k = 0; k < idx.size() && !inside; ++k) {
        const geo::Point p = pts[idx[k]];
        if (p == a || p == b || p == c) continue;
        inside = cross(a, b, p) >= 0 && cross(b, c, p) >= 0 && cross(c, a, p) >= 0;
      }
      if (inside) continue;
      out.insert(out.end(), {a, b, c});
      idx.erase(idx.begin() + static_cast<std::ptrdiff_t>(i));
      clipped = true;
      break;
    }
    if (!clipped) break;  // degenerate ring: fan the rest
  }
  for (std::size_t i = 1; i + 1 < idx.size(); ++i)
    out.insert(out.end(), {pts[idx[0]], pts[idx[i]], pts[idx[i + 1]]});
  return out;
}

std::vector<geo::Point> triangulate_cell(const geo::MultiPolygon& cell, bool* fell_back) {
  if (fell_back) *fell_back = false;
  try {
    auto t = geo::triangulate(cell);
    if (!t.empty()) return t;
  } catch (const std::exception&) {
    // fall through to ear clipping
  }
  if (fell_back) *fell_back = true;
  std::vector<geo::Point> out;
  for (const auto& p : cell) {
    auto t = ear_clip(p.outer);
    out.insert(out.end(), t.begin(), t.end());
  }
  return out;
}

std::unique_ptr<ViewModel> ViewModel::load(const std::filesystem::path& gpkg) {
  std::unique_ptr<ViewModel> m(new ViewModel());
  m->store_ = geo::load_plan_store(gpkg);
  m->design_ = geo::design_config(m->store_.meta);
  m->editor_ = std::make_unique<geo::PlanEditor>(m->store_.graph, m->store_.plan);
  set_zone_colours(geo::zone_colours(m->store_.graph, m->store_.plan));
  m->locator_ = geo::UnitLocator(m->store_.cells);
  m->build_meshes();
  const auto& plan = m->store_.plan;
  m->figures_.assign(static_cast<std::size_t>(plan.lot_count), {});
  // Travel as stored by the designer where present; the graph oracle fills the gaps.
  geo::travel_to_hubs(m->store_.graph, plan, m->hub_travel_);
  for (std::size_t u = 0; u < m->hub_travel_.size(); ++u)
    if (!std::isnan(m->store_.stored_travel[u])) m->hub_travel_[u] = m->store_.stored_travel[u];
  for (int l = 0; l < plan.lot_count; ++l) m->recompute_lot(l);
  m->editor_->take_changed_lots();
  return m;
}

std::vector<geo::Band> ViewModel::bands(int lot) const {
  if (lot < 0 || lot >= editor_->lot_count()) return {};
  const auto& plan = editor_->plan();
  double assigned = 0;  // as evaluate sums it: lot by lot
  for (int l = 0; l < editor_->lot_count(); ++l) assigned += editor_->lot_hours(l);
  const auto l = static_cast<std::size_t>(lot);
  return geo::lot_bands(design_, l < plan.tier.size() ? plan.tier[l] : std::string(), assigned,
                        editor_->lot_count());
}

void ViewModel::build_meshes() {
  const auto& cells = store_.cells;
  const std::size_t n = cells.size();
  mesh_.origin = {store_.bounds.min_x, store_.bounds.min_y};
  const geo::Point o = mesh_.origin;
  mesh_.unit_first.assign(n, 0);
  mesh_.unit_count.assign(n, 0);
  // Units with holes first, so an enclave cell drawn later paints over its host's hole
  // when the fallback triangulation ignored the hole.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    auto holes = [&](std::size_t u) {
      for (const auto& p : cells[u])
        if (!p.holes.empty()) return true;
      return false;
    };
    return holes(a) && !holes(b);
  });
  for (std::size_t u : order) {
    bool fell_back = false;
    const auto tris = triangulate_cell(cells[u], &fell_back);
    mesh_.fallback_triangulations += fell_back ? 1 : 0;
    mesh_.unit_first[u] = static_cast<std::uint32_t>(mesh_.fill_xy.size() / 2);
    mesh_.unit_count[u] = static_cast<std::uint32_t>(tris.size());
    for (const auto& p : tris) {
      mesh_.fill_xy.push_back(static_cast<float>(p.x - o.x));
      mesh_.fill_xy.push_back(static_cast<float>(p.y - o.y));
    }
  }

  // Cell borders: every ring segment keyed by its end points (to the millimetre); a key
  // seen twice is a border between two cells, once an edge of the county (or a border
  // whose vertices do not match, settled below by looking just across it).
  struct Key {
    std::array<std::int64_t, 4> k;
    int unit;
  };
  std::vector<Key> keys;
  auto q = [](double v) { return static_cast<std::int64_t>(std::llround(v * 1000)); };
  for (std::size_t u = 0; u < n; ++u)
    for (const auto& poly : cells[u]) {
      auto add_ring = [&](const geo::Ring& r) {
        for (std::size_t i = 0; i + 1 < r.size(); ++i) {
          std::array<std::int64_t, 2> a{q(r[i].x), q(r[i].y)}, b{q(r[i + 1].x), q(r[i + 1].y)};
          if (a == b) continue;
          if (b < a) std::swap(a, b);
          keys.push_back({{a[0], a[1], b[0], b[1]}, static_cast<int>(u)});
        }
      };
      add_ring(poly.outer);
      for (const auto& h : poly.holes) add_ring(h);
    }
  std::sort(keys.begin(), keys.end(),
            [](const Key& a, const Key& b) { return a.k != b.k ? a.k < b.k : a.unit < b.unit; });
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i + 1;
    while (j < keys.size() && keys[j].k == keys[i].k) ++j;
    Segment s;
    s.ax = static_cast<float>(keys[i].k[0] / 1000.0 - o.x);
    s.ay = static_cast<float>(keys[i].k[1] / 1000.0 - o.y);
    s.bx = static_cast<float>(keys[i].k[2] / 1000.0 - o.x);
    s.by = static_cast<float>(keys[i].k[3] / 1000.0 - o.y);
    s.u = keys[i].unit;
    s.v = -1;
    for (std::size_t k = i + 1; k < j; ++k)
      if (keys[k].unit != s.u) {
        s.v = keys[k].unit;
        break;
      }
    if (s.v < 0) {
      // Look 0.5 m to either side of the midpoint for another cell.
      const double mx = (keys[i].k[0] + keys[i].k[2]) / 2000.0,
                   my = (keys[i].k[1] + keys[i].k[3]) / 2000.0;
      double dx = (keys[i].k[2] - keys[i].k[0]) / 1000.0,
             dy = (keys[i].k[3] - keys[i].k[1]) / 1000.0;
      const double len = std::hypot(dx, dy);
      if (len > 0) {
        dx /= len;
        dy /= len;
        for (double side : {0.5, -0.5}) {
          const int w = locator_.find({mx - dy * side, my + dx * side});
          if (w >= 0 && w != s.u) {
            s.v = w;
            break;
          }
        }
      }
    }
    mesh_.segments.push_back(s);
    i = j;
  }

  for (const auto& road : store_.roads) {
    Rgba c{150, 150, 150, 200};
    const std::string& h = road.highway;
    if (h.rfind("motorway", 0) == 0)
      c = {200, 60, 60, 230};
    else if (h.rfind("trunk", 0) == 0)
      c = {220, 110, 50, 230};
    else if (h.rfind("primary", 0) == 0)
      c = {230, 160, 40, 230};
    else if (h.rfind("secondary", 0) == 0)
      c = {200, 180, 60, 220};
    for (std::size_t i = 0; i + 1 < road.line.points.size(); ++i) {
      for (const auto& p : {road.line.points[i], road.line.points[i + 1]}) {
        mesh_.road_xy.push_back(static_cast<float>(p.x - o.x));
        mesh_.road_xy.push_back(static_cast<float>(p.y - o.y));
        mesh_.road_rgba.push_back(c.packed());
      }
    }
  }

  const auto& g = store_.graph;
  double max_h = 0;
  for (double h : g.hours) max_h = std::max(max_h, h);
  for (std::size_t u = 0; u < g.size(); ++u) {
    if (!(g.hours[u] > 0)) continue;
    mesh_.dot_xy.push_back(static_cast<float>(g.site[u].x - o.x));
    mesh_.dot_xy.push_back(static_cast<float>(g.site[u].y - o.y));
    mesh_.dot_radius_px.push_back(static_cast<float>(1.5 + 5.5 * std::sqrt(g.hours[u] / max_h)));
  }
}

void ViewModel::recompute_lot(int lot) {
  if (lot < 0 || lot >= editor_->lot_count()) return;
  LotFigures& f = figures_[static_cast<std::size_t>(lot)];
  f.hours = editor_->lot_hours(lot);
  f.customers = editor_->lot_customers(lot);
  f.units = editor_->lot_units(lot);
  f.pieces = editor_->lot_pieces(lot);
  const auto& g = store_.graph;
  const auto& members = editor_->lot_members(lot);
  double wt = 0, wsum = 0, cx = 0, cy = 0, w = 0;
  f.max_travel = 0;
  for (int u : members) {
    const auto su = static_cast<std::size_t>(u);
    const double h = g.hours[su];
    const float t = hub_travel_[su];
    if (std::isfinite(t)) {
      wt += h * t;
      wsum += h;
      f.max_travel = std::max(f.max_travel, static_cast<double>(t));
    }
    const double weight = h > 0 ? h : 1e-3;
    cx += g.site[su].x * weight;
    cy += g.site[su].y * weight;
    w += weight;
  }
  f.mean_travel = wsum > 0 ? wt / wsum : 0;
  if (w > 0) {
    cx /= w;
    cy /= w;
    // The member site nearest the weighted centre (lowest unit on ties): always inside.
    double best = std::numeric_limits<double>::max();
    int best_u = -1;
    for (int u : members) {
      const auto& s = g.site[static_cast<std::size_t>(u)];
      const double d = (s.x - cx) * (s.x - cx) + (s.y - cy) * (s.y - cy);
      if (d < best || (d == best && u < best_u)) {
        best = d;
        best_u = u;
      }
    }
    f.label = g.site[static_cast<std::size_t>(best_u)];
  }
}

void ViewModel::refresh(bool full) {
  const auto changed = editor_->take_changed_lots();
  for (int l : changed)
    if (l >= 0) pending_travel_.push_back(l);
  // Units moved out of every lot have no travel.
  for (int u : editor_->lot_members(geo::kNoLot))
    hub_travel_[static_cast<std::size_t>(u)] = geo::kUnreachable;
  for (int l : changed) recompute_lot(l);
  if (full) start_travel();
}

void ViewModel::start_travel() {
  if (travel_job_.valid() || pending_travel_.empty()) return;
  std::sort(pending_travel_.begin(), pending_travel_.end());
  pending_travel_.erase(std::unique(pending_travel_.begin(), pending_travel_.end()),
                        pending_travel_.end());
  // The job owns copies of everything it reads: the plan now and the oracle now.
  auto oracle = store_.graph.travel;
  geo::Plan plan = editor_->plan();
  std::vector<int> lots;
  lots.swap(pending_travel_);
  travel_job_ =
      std::async(std::launch::async, [oracle, plan = std::move(plan), lots = std::move(lots)] {
        TravelUpdate r;
        r.lots = lots;
        r.lot_of = plan.lot_of;
        geo::travel_to_hubs(oracle.get(), plan, r.minutes, lots);
        return r;
      });
}

void ViewModel::poll_travel() {
  if (travel_job_.valid() &&
      travel_job_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    const TravelUpdate r = travel_job_.get();
    std::vector<char> in(static_cast<std::size_t>(editor_->lot_count()) + 1, 0);
    for (int l : r.lots) in[static_cast<std::size_t>(l)] = 1;
    const auto& lot_of = editor_->plan().lot_of;
    for (std::size_t u = 0; u < lot_of.size(); ++u) {
      const int l = r.lot_of[u];
      // Units still where the job saw them; the others wait for their own lot's update.
      if (l >= 0 && in[static_cast<std::size_t>(l)] && lot_of[u] == l)
        hub_travel_[u] = r.minutes[u];
    }
    for (int l : r.lots) recompute_lot(l);
  }
  start_travel();
}

void ViewModel::refresh_sectors() {
  sectors_ = tender::provider_demand(store_.graph, editor_->plan());
}

void ViewModel::set_travel(std::shared_ptr<const geo::TravelOracle> travel) {
  if (!travel || travel->size() != store_.graph.size()) return;
  store_.graph.travel = std::move(travel);
  for (int l = 0; l < editor_->lot_count(); ++l) pending_travel_.push_back(l);
  start_travel();
}

void ViewModel::apply_metrics(const geo::PlanMetrics& m) {
  std::vector<int> hubs = editor_->plan().hub;
  for (const auto& lm : m.lots) {
    const int l = lm.lot - 1;
    if (l < 0 || l >= editor_->lot_count()) continue;
    const int u = store_.graph.find(lm.hub);
    if (u >= 0) hubs[static_cast<std::size_t>(l)] = u;
  }
  editor_->set_hubs(hubs);
  for (int l = 0; l < editor_->lot_count(); ++l) pending_travel_.push_back(l);
  start_travel();
}

}  // namespace lotwright::viewer
