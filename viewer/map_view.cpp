// The map: view transforms, keys, mouse tools (brush, pan, zoom, pick), overlays, the
// scale bar, the legend and the hover tooltip.
#include <GLFW/glfw3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "lot_viewer.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/tender/naming.hpp"
#include "ui_common.hpp"

namespace lotwright::viewer {

ImVec2 LotViewer::to_screen(geo::Point p) const {
  const geo::Point o = model_->mesh().origin;
  return ImVec2(static_cast<float>(map_w_ / 2 + (p.x - o.x - cam_.cx) * cam_.ppm),
                static_cast<float>(map_h_ / 2 - (p.y - o.y - cam_.cy) * cam_.ppm));
}

geo::Point LotViewer::to_world(ImVec2 s) const {
  const geo::Point o = model_->mesh().origin;
  return {o.x + cam_.cx + (s.x - map_w_ / 2) / cam_.ppm,
          o.y + cam_.cy - (s.y - map_h_ / 2) / cam_.ppm};
}

bool LotViewer::on_map(ImVec2 s) const {
  return s.x >= 0 && s.y >= 0 && s.x < map_w_ && s.y < map_h_;
}

void LotViewer::fit_box(double min_x, double min_y, double max_x, double max_y) {
  const geo::Point o = model_->mesh().origin;
  const double w = std::max(max_x - min_x, 50.0), h = std::max(max_y - min_y, 50.0);
  cam_.ppm = std::min((map_w_ - 40) / w, (map_h_ - 40) / h);
  cam_.cx = (min_x + max_x) / 2 - o.x;
  cam_.cy = (min_y + max_y) / 2 - o.y;
}

void LotViewer::fit_county() {
  const auto& b = model_->store().bounds;
  fit_box(b.min_x, b.min_y, b.max_x, b.max_y);
  fitted_ = true;
}

void LotViewer::zoom_lot(int lot) {
  const auto& members = model_->editor().lot_members(lot);
  if (members.empty()) return;
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  for (int u : members)
    for (const auto& poly : model_->store().cells[static_cast<std::size_t>(u)])
      for (const auto& p : poly.outer) {
        x0 = std::min(x0, p.x);
        y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x);
        y1 = std::max(y1, p.y);
      }
  if (x0 <= x1) fit_box(x0, y0, x1, y1);
  fitted_ = false;
}

// ---- input --------------------------------------------------------------------------

void LotViewer::handle_keys() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureKeyboard || io.WantTextInput) return;
  const int lots = model_->editor().lot_count();
  for (int k = 0; k <= 9; ++k)
    if (ImGui::IsKeyPressed(GLFW_KEY_0 + k, false)) {
      const int lot = (k == 0 ? 9 : k - 1) + (io.KeyShift ? 10 : 0);
      if (lot < lots) active_lot_ = lot;
    }
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT_BRACKET))
    active_lot_ = (active_lot_ + 1) % std::max(lots, 1);
  if (ImGui::IsKeyPressed(GLFW_KEY_LEFT_BRACKET))
    active_lot_ = (active_lot_ + lots - 1) % std::max(lots, 1);
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Z)) io.KeyShift ? redo() : undo();
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Y)) redo();
  // Provider mode never writes (issue 13): Ctrl+S is off there.
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false) && !provider_) save_requested_ = true;
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) quit_requested_ = true;
  if (!io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_B, false) && !provider_) tool_ = Tool::kBrush;
  if (!io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_V, false)) tool_ = Tool::kSelect;
  if (!io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_F, false)) fit_county();
  if (!io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) selected_ = -1;
}

void LotViewer::handle_map_input() {
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 m = io.MousePos;
  const bool over_map = on_map(m) && !io.WantCaptureMouse;
  hovered_ = over_map ? model_->locator().find(to_world(m)) : -1;

  if (over_map && io.MouseWheel != 0) {
    fitted_ = false;
    const geo::Point w = to_world(m);
    const geo::Point o = model_->mesh().origin;
    cam_.ppm = std::clamp(cam_.ppm * std::pow(1.2, io.MouseWheel), 1e-5, 50.0);
    cam_.cx = w.x - o.x - (m.x - map_w_ / 2) / cam_.ppm;
    cam_.cy = w.y - o.y + (m.y - map_h_ / 2) / cam_.ppm;
  }
  const bool brush = tool_ == Tool::kBrush && !provider_ && model_->editor().lot_count() > 0;
  if (over_map &&
      (ImGui::IsMouseClicked(0) || ImGui::IsMouseClicked(1) || ImGui::IsMouseClicked(2))) {
    press_on_map_ = true;
    drag_px_ = 0;
    if (ImGui::IsMouseClicked(0) && brush) {
      painting_ = true;
      paint_started_ = false;
      model_->editor().begin_stroke();
    }
  }
  if (press_on_map_) {
    drag_px_ += std::abs(io.MouseDelta.x) + std::abs(io.MouseDelta.y);
    const bool pan = (!painting_ && io.MouseDown[0]) || io.MouseDown[1] || io.MouseDown[2];
    if (pan && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
      fitted_ = false;
      cam_.cx -= io.MouseDelta.x / cam_.ppm;
      cam_.cy += io.MouseDelta.y / cam_.ppm;
    }
    if (painting_ && io.MouseDown[0]) {
      // Sweep the brush from where it was last frame, so a fast stroke leaves no gaps.
      const geo::Point to = to_world(m);
      const double r = brush_px_ / cam_.ppm;
      const geo::Point from = paint_started_ ? last_paint_ : to;
      const double len = std::hypot(to.x - from.x, to.y - from.y);
      const int steps = std::min(200, static_cast<int>(std::ceil(len / (r / 2))));
      std::vector<int> units;
      for (int k = 0; k <= steps; ++k) {
        const double t = steps ? static_cast<double>(k) / steps : 1.0;
        const auto near = model_->locator().within(
            {from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t}, r);
        units.insert(units.end(), near.begin(), near.end());
      }
      last_paint_ = to;
      paint_started_ = true;
      if (!units.empty() && model_->editor().assign(units, active_lot_)) apply_edit_refresh(false);
    }
    if (!io.MouseDown[0] && !io.MouseDown[1] && !io.MouseDown[2]) {
      if (painting_) {
        end_painting();
      } else if (drag_px_ < 4 && io.MouseReleased[0]) {
        selected_ = hovered_;
      }
      press_on_map_ = false;
    }
  }
}

void LotViewer::end_painting() {
  if (!painting_) return;
  model_->editor().end_stroke();
  painting_ = false;
  apply_edit_refresh(true);
}

// ---- drawing helpers ----------------------------------------------------------------

void LotViewer::draw_cell_outline(ImDrawList* dl, int unit, ImU32 colour, float thickness) {
  for (const auto& poly : model_->store().cells[static_cast<std::size_t>(unit)]) {
    std::vector<ImVec2> pts;
    for (const auto& p : poly.outer) pts.push_back(to_screen(p));
    if (pts.size() >= 3)
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), colour, ImDrawFlags_Closed,
                      thickness);
  }
}

void LotViewer::draw_overlays() {
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  dl->PushClipRect(ImVec2(0, 0), ImVec2(map_w_, map_h_), true);
  const auto& ed = model_->editor();
  const auto& g = model_->store().graph;

  // Hubs: a white disc ringed in the lot's colour.
  for (int l = 0; l < ed.lot_count(); ++l) {
    const int hub = ed.plan().hub[static_cast<std::size_t>(l)];
    if (hub < 0 || ed.lot_units(l) == 0) continue;
    const ImVec2 p = to_screen(g.site[static_cast<std::size_t>(hub)]);
    dl->AddCircleFilled(p, 6.5f, IM_COL32(30, 30, 40, 255));
    dl->AddCircleFilled(p, 5.f, IM_COL32(255, 255, 255, 255));
    dl->AddCircleFilled(p, 2.5f, im(lot_colour(l)));
  }

  if (provider_) {
    // Demand by postcode sector after disclosure control: rounded hours, small counts hidden.
    double max_h = 1;
    for (const auto& s : model_->sectors())
      if (s.hours) max_h = std::max(max_h, *s.hours);
    for (const auto& s : model_->sectors()) {
      if (s.combined) continue;  // a zone's suppressed sectors together: no one place
      const ImVec2 p = to_screen(s.centre);
      if (!on_map(p)) continue;
      if (s.suppressed || !s.hours) {
        dl->AddCircle(p, 5.f, IM_COL32(90, 90, 90, 200), 16, 1.5f);
        continue;
      }
      const float r = 4.f + 14.f * static_cast<float>(std::sqrt(*s.hours / max_h));
      dl->AddCircleFilled(p, r, IM_COL32(20, 30, 60, 110));
      dl->AddCircle(p, r, IM_COL32(20, 30, 60, 220), 24, 1.2f);
      if (cam_.ppm * 1000 > 25)  // sector labels once sectors are far enough apart
        map_text(dl, nullptr, 13.f, ImVec2(p.x + r + 2, p.y - 7), IM_COL32(20, 20, 30, 255),
                 s.sector + ": " + fmt("%.0f h", *s.hours), true);
    }
  }

  // The legend and the scale bar first: lot labels keep clear of them.
  label_boxes_.clear();
  draw_scale_bar(dl);
  draw_legend(dl);
  if (show_labels_) draw_lot_labels(dl);

  if (!provider_) {
    draw_compare_outlines(dl);
    if (selected_ >= 0) draw_cell_outline(dl, selected_, IM_COL32(255, 215, 0, 255), 3.f);
    if (hovered_ >= 0 && hovered_ != selected_)
      draw_cell_outline(dl, hovered_, IM_COL32(255, 255, 255, 255), 2.f);
    const ImVec2 m = ImGui::GetIO().MousePos;
    if (tool_ == Tool::kBrush && on_map(m) && (!headless() || scripted_input_))
      dl->AddCircle(m, brush_px_, im(lot_colour(active_lot_)), 32, 2.f);
  }
  dl->PopClipRect();
}

// Lot labels at their label points, so that none overlaps another and a crowded map still
// shows which lot is which (the zone table gives the full names). First every lot's number
// ("3") where it fits, larger lots first; then each placed label grows to the longest form
// that still fits, "Zone 3 - Newport & Cowes", else "Zone 3". A lot whose number does not
// fit has no label. The boxes placed are kept for --dump-labels.
void LotViewer::draw_lot_labels(ImDrawList* dl) {
  const auto& ed = model_->editor();
  const auto& figs = model_->figures();
  std::vector<int> order;
  for (int l = 0; l < ed.lot_count(); ++l)
    if (ed.lot_units(l) > 0) order.push_back(l);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return figs[static_cast<std::size_t>(a)].hours > figs[static_cast<std::size_t>(b)].hours;
  });
  ImFont* font = label_font_ ? label_font_ : ImGui::GetFont();
  const float size = label_font_ ? 17.f : 15.f;
  const auto box_of = [&](int l, const std::string& s) {
    const ImVec2 p = to_screen(figs[static_cast<std::size_t>(l)].label);
    const ImVec2 ext = font->CalcTextSizeA(size, 1e9f, 0, s.c_str());
    return LabelBox{l, p.x - ext.x / 2 - 2, p.y - ext.y - 8, p.x + ext.x / 2 + 2, p.y - 4};
  };
  // Clear of the map's edges and of every box placed but `skip` (the label being grown).
  const auto fits = [&](const LabelBox& box, std::size_t skip) {
    if (box.x0 < 0 || box.y0 < 0 || box.x1 > map_w_ || box.y1 > map_h_) return false;
    for (std::size_t i = 0; i < label_boxes_.size(); ++i) {
      const LabelBox& o = label_boxes_[i];
      if (i != skip && box.x0 < o.x1 && o.x0 < box.x1 && box.y0 < o.y1 && o.y0 < box.y1)
        return false;
    }
    return true;
  };
  const std::size_t fixed = label_boxes_.size();  // the legend's and the scale bar's
  std::vector<std::string> text;
  for (int l : order) {
    const LabelBox box = box_of(l, std::to_string(l + 1));
    if (!fits(box, label_boxes_.size())) continue;
    label_boxes_.push_back(box);
    text.push_back(std::to_string(l + 1));
  }
  for (std::size_t i = fixed; i < label_boxes_.size(); ++i) {
    const int l = label_boxes_[i].lot;
    for (const std::string& s : {lot_label(l), tender::zone_title(l + 1, std::string())}) {
      const LabelBox box = box_of(l, s);
      if (!fits(box, i)) continue;
      label_boxes_[i] = box;
      text[i - fixed] = s;
      break;
    }
    const LabelBox& b = label_boxes_[i];
    map_text(dl, label_font_, size, ImVec2(b.x0 + 2, b.y0 + 2), IM_COL32(15, 15, 25, 255),
             text[i - fixed], true);
  }
}

void LotViewer::draw_scale_bar(ImDrawList* dl) {
  // A round length near 120 px.
  const double target_m = 120 / cam_.ppm;
  const double p10 = std::pow(10, std::floor(std::log10(target_m)));
  double len = p10;
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (f * p10 <= target_m) len = f * p10;
  const float px = static_cast<float>(len * cam_.ppm);
  const ImVec2 a(16, map_h_ - 24), b(16 + px, map_h_ - 24);
  dl->AddRectFilled(ImVec2(a.x - 6, a.y - 22), ImVec2(b.x + 8, a.y + 10),
                    IM_COL32(255, 255, 255, 200), 3);
  dl->AddLine(a, b, IM_COL32(20, 20, 20, 255), 3);
  dl->AddLine(a, ImVec2(a.x, a.y - 6), IM_COL32(20, 20, 20, 255), 2);
  dl->AddLine(b, ImVec2(b.x, b.y - 6), IM_COL32(20, 20, 20, 255), 2);
  const std::string label = len >= 1000 ? fmt("%g km", len / 1000) : fmt("%g m", len);
  label_boxes_.push_back({-1, a.x - 6, a.y - 22, b.x + 8, a.y + 10});
  map_text(dl, nullptr, 14.f, ImVec2(a.x, a.y - 20), IM_COL32(20, 20, 20, 255), label, false);
}

// Every lot, in as many columns as the map's height needs; long names end in "...".
void LotViewer::draw_legend(ImDrawList* dl) {
  const int lots = model_->editor().lot_count();
  const float row = 17, col_w = 190;
  const int per_col =
      std::max(4, static_cast<int>((map_h_ * 0.55f - 26 - row) / row));  // rows a column
  const int cols = std::max(1, (lots + per_col - 1) / per_col);
  const int rows = std::min(lots, per_col);
  const float w = std::max(230.f, col_w * static_cast<float>(cols) + 16);
  const float h = 26 + row * static_cast<float>(rows + 1);
  if (w * h > 0.25f * map_w_ * map_h_) {
    // Too big for this map: the lot table in the panel carries the colours.
    const ImVec2 tl(12, map_h_ - 44 - 26 - row);
    dl->AddRectFilled(tl, ImVec2(tl.x + 300, map_h_ - 42), IM_COL32(255, 255, 255, 215), 4);
    label_boxes_.push_back({-1, tl.x, tl.y, tl.x + 300, map_h_ - 42});
    map_text(dl, nullptr, 14.f, ImVec2(tl.x + 8, tl.y + 4), IM_COL32(20, 20, 20, 255),
             std::to_string(lots) + " zones: colours in the zone table", false);
    map_text(dl, nullptr, 14.f, ImVec2(tl.x + 8, tl.y + 4 + row), IM_COL32(20, 20, 20, 255),
             provider_ ? "o hub   o demand by sector (rounded)" : "o hub   . demand (dot = hours)",
             false);
    return;
  }
  const ImVec2 tl(12, map_h_ - 44 - h);
  label_boxes_.push_back({-1, tl.x, tl.y, tl.x + w, tl.y + h});
  dl->AddRectFilled(tl, ImVec2(tl.x + w, tl.y + h), IM_COL32(255, 255, 255, 215), 4);
  dl->AddRect(tl, ImVec2(tl.x + w, tl.y + h), IM_COL32(120, 120, 120, 200), 4);
  map_text(dl, label_font_, 15.f, ImVec2(tl.x + 8, tl.y + 5), IM_COL32(20, 20, 20, 255),
           provider_ ? "Zones (provider view)" : "Zones", false);
  ImFont* font = ImGui::GetFont();
  for (int l = 0; l < lots; ++l) {
    const float x = tl.x + 8 + col_w * static_cast<float>(l / per_col);
    const float y = tl.y + 26 + row * static_cast<float>(l % per_col);
    dl->AddRectFilled(ImVec2(x, y + 2), ImVec2(x + 14, y + 14), im(lot_colour(l)));
    dl->AddRect(ImVec2(x, y + 2), ImVec2(x + 14, y + 14), IM_COL32(40, 40, 40, 255));
    std::string s = lot_label(l);
    while (s.size() > 4 && font->CalcTextSizeA(14.f, 1e9f, 0, (s + "...").c_str()).x > col_w - 28)
      s.pop_back();
    if (s != lot_label(l)) s += "...";
    map_text(dl, nullptr, 14.f, ImVec2(x + 20, y), IM_COL32(20, 20, 20, 255), s, false);
  }
  const float y = tl.y + 26 + row * static_cast<float>(rows);
  dl->AddCircleFilled(ImVec2(tl.x + 15, y + 8), 5.f, IM_COL32(30, 30, 40, 255));
  dl->AddCircleFilled(ImVec2(tl.x + 15, y + 8), 3.5f, IM_COL32(255, 255, 255, 255));
  map_text(dl, nullptr, 14.f, ImVec2(tl.x + 28, y), IM_COL32(20, 20, 20, 255),
           provider_ ? "hub   o demand by sector (rounded)" : "hub   . demand (dot size = hours)",
           false);
}

void LotViewer::draw_tooltip() {
  if (hovered_ < 0 || press_on_map_) return;
  const auto u = static_cast<std::size_t>(hovered_);
  const auto& g = model_->store().graph;
  const int lot = model_->editor().lot_of(hovered_);
  if (script_hover_) {
    // As the mouse would show it, beside the unit's site.
    const ImVec2 p = to_screen(g.site[u]);
    ImGui::SetNextWindowPos(ImVec2(p.x + 16, p.y + 8));
    ImGui::Begin("##hover", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                     ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
  } else {
    ImGui::BeginTooltip();
  }
  if (provider_) {
    // Zone level only: no postcode, no unit-level demand.
    text(lot_label(lot));
    if (lot >= 0) {
      const auto& f = model_->figures()[static_cast<std::size_t>(lot)];
      const auto cust = tender::disclosed_customers(f.customers);
      text(fmt("%.0f hours/week, ", tender::round_hours(f.hours)) +
           (cust ? std::to_string(*cust) + " customers" : std::string("customers suppressed")));
    }
  } else {
    text(g.id[u]);
    text(lot_label(lot));
    text(fmt("%.1f hours/week", g.hours[u]) + fmt(", %.0f customers", g.customers[u]));
    text("rural class: " + (g.rural[u].empty() ? std::string("unknown") : g.rural[u]));
    const float t = model_->hub_travel()[u];
    text(std::isfinite(t) ? fmt("%.1f min to the hub", t) : std::string("no route to a hub"));
  }
  if (script_hover_)
    ImGui::End();
  else
    ImGui::EndTooltip();
}

}  // namespace lotwright::viewer
