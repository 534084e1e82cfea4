// The side panel: text helpers, the controls, the lot table and the provider table.
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

namespace {

// How lot hours sit against its bands (geo::within_any_band): 0 within (or no band), 1 near
// (outside by at most the tolerance again, at least 2%, of the nearer edge), 2 out.
int band_state(double hours, const std::vector<geo::Band>& bands, double tolerance) {
  if (bands.empty() || geo::within_any_band(hours, bands)) return 0;
  double dev = std::numeric_limits<double>::infinity();
  for (const geo::Band& b : bands) {
    const double edge = hours < b.lo ? b.lo : b.hi;
    dev = std::min(dev, geo::hours_outside(hours, b) / std::max(edge, 1e-9));
  }
  return dev <= std::max(tolerance, 0.02) ? 1 : 2;
}

// SameLine when a widget of the given width still fits on the panel's line, else a new line
// (buttons and checkboxes flow instead of running off a narrow panel).
void flow(float width) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float right = ImGui::GetItemRectMax().x + st.ItemSpacing.x + width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}
float button_w(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}
float check_w(const char* label) {
  return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
         ImGui::CalcTextSize(label, nullptr, true).x;
}

}  // namespace

void LotViewer::text(const std::string& s) {
  texts_.push_back(s);
  ImGui::TextUnformatted(s.c_str());
}

void LotViewer::wrapped(const std::string& s) {
  texts_.push_back(s);
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(s.c_str());
  ImGui::PopTextWrapPos();
}

void LotViewer::text_coloured(const ImVec4& c, const std::string& s) {
  texts_.push_back(s);
  ImGui::PushStyleColor(ImGuiCol_Text, c);
  ImGui::TextUnformatted(s.c_str());
  ImGui::PopStyleColor();
}

bool LotViewer::button(const std::string& label) {
  texts_.push_back(label.substr(0, label.find("##")));
  return ImGui::Button(label.c_str());
}

void LotViewer::map_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col,
                         const std::string& s, bool halo) {
  texts_.push_back(s);
  if (!font) font = ImGui::GetFont();
  if (halo) {
    const ImU32 h = IM_COL32(255, 255, 255, 220);
    for (const ImVec2 d :
         {ImVec2(-1, 0), ImVec2(1, 0), ImVec2(0, -1), ImVec2(0, 1), ImVec2(1, 1), ImVec2(-1, -1)})
      dl->AddText(font, size, ImVec2(pos.x + d.x, pos.y + d.y), h, s.c_str());
  }
  dl->AddText(font, size, pos, col, s.c_str());
}

// The pack's naming (tender/naming.hpp): a plan lot is a zone, "Zone 3 - Newport"; lots are
// zone x role and exist only in the tender pack.
std::string LotViewer::lot_label(int lot) const {
  return tender::zone_title(model_->editor().plan(), lot, true);
}

void LotViewer::draw_panel() {
  const ImGuiIO& io = ImGui::GetIO();
  // Anchored to the right edge, the full height; its left edge drags to resize (read back
  // after Begin into panel_w_, clamped to a share of the window in update()).
  ImGui::SetNextWindowPos(ImVec2(map_w_, 0));
  ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x - map_w_, io.DisplaySize.y));
  ImGui::SetNextWindowSizeConstraints(ImVec2(260, io.DisplaySize.y),
                                      ImVec2(io.DisplaySize.x * 0.7f, io.DisplaySize.y));
  const std::string title =
      std::string(provider_ ? "Provider view (read-only)" : "Plan editor") + "###panel";
  texts_.push_back(title.substr(0, title.find("###")));
  ImGui::Begin(title.c_str(), nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse);
  if (ImGui::GetWindowWidth() != io.DisplaySize.x - map_w_) panel_w_ = ImGui::GetWindowWidth();
  const auto& store = model_->store();
  const auto& ed = model_->editor();
  wrapped(opt_.shown_name() + " - " + std::to_string(ed.lot_count()) + " zones, " +
          (store.meta.mode == "tiers" ? std::string("tiers")
                                      : "tolerance " + fmt("%.0f%%", store.meta.tolerance * 100)));
  double total = ed.unassigned_hours();
  for (int l = 0; l < ed.lot_count(); ++l) total += ed.lot_hours(l);
  if (provider_) {
    text("Total demand: " + fmt("%.0f", tender::round_hours(total)) + " hours/week (rounded to 5)");
  } else {
    text("Total " + fmt("%.1f", total) + " h/week, unassigned " +
         fmt("%.1f", ed.unassigned_hours()) + " h");
  }
  ImGui::Separator();
  if (!provider_) {
    if (ImGui::RadioButton("Select / pan (V)", tool_ == Tool::kSelect)) tool_ = Tool::kSelect;
    texts_.push_back("Select / pan (V)");
    ImGui::SameLine();
    if (ImGui::RadioButton("Brush (B)", tool_ == Tool::kBrush)) tool_ = Tool::kBrush;
    texts_.push_back("Brush (B)");
    const std::string active = lot_label(active_lot_);
    texts_.push_back(active);
    if (ImGui::BeginCombo("Active zone", active.c_str())) {
      for (int l = 0; l < ed.lot_count(); ++l)
        if (ImGui::Selectable(lot_label(l).c_str(), l == active_lot_)) active_lot_ = l;
      ImGui::EndCombo();
    }
    ImGui::SliderFloat("Brush px", &brush_px_, 2.f, 80.f, "%.0f");
    ImGui::BeginDisabled(!ed.can_undo());
    if (button("Undo (Ctrl+Z)")) undo();
    ImGui::EndDisabled();
    flow(button_w("Redo (Ctrl+Y)"));
    ImGui::BeginDisabled(!ed.can_redo());
    if (button("Redo (Ctrl+Y)")) redo();
    ImGui::EndDisabled();
    flow(button_w("Fit (F)"));
    if (button("Fit (F)")) fit_county();
    flow(button_w("Re-evaluate"));
    ImGui::BeginDisabled(busy());
    if (button("Re-evaluate")) start_evaluate();
    ImGui::EndDisabled();
  } else {
    if (button("Fit (F)")) fit_county();
  }
  ImGui::Checkbox("Roads", &show_roads_);
  flow(check_w("Labels"));
  ImGui::Checkbox("Labels", &show_labels_);
  flow(check_w("Cell borders"));
  ImGui::Checkbox("Cell borders", &show_cells_);
  if (!provider_) {
    flow(check_w("Demand"));
    ImGui::Checkbox("Demand", &show_dots_);
  }
  ImGui::Separator();
  if (provider_)
    draw_provider_table();
  else
    draw_lot_table();

  if (!provider_) {
    ImGui::Separator();
    ImGui::InputText("CSV", save_csv_, sizeof save_csv_);
    ImGui::BeginDisabled(busy());
    if (button("Save CSV (Ctrl+S)")) start_save(save_csv_);
    ImGui::EndDisabled();
    ImGui::InputText("Folder", save_dir_, sizeof save_dir_);
    ImGui::BeginDisabled(busy());
    if (button("Save plan folder")) start_save(save_dir_);
    ImGui::EndDisabled();
    if (!opt_.db.empty()) {  // the team store: a new scenario (replacing one only with --replace)
      ImGui::InputText("Scenario", store_name_, sizeof store_name_);
      ImGui::BeginDisabled(busy());
      if (button("Store as scenario")) start_store(store_name_);
      ImGui::EndDisabled();
    }
    ImGui::InputText("Pack", tender_dir_, sizeof tender_dir_);
    ImGui::BeginDisabled(busy());
    if (button("Write tender pack")) start_tender(tender_dir_);
    ImGui::EndDisabled();
    if (tender_job_.valid()) wrapped(stage_text(static_cast<TenderStage>(tender_stage_.load())));
    draw_compare_section();
    if (selected_ >= 0) {
      ImGui::Separator();
      const auto u = static_cast<std::size_t>(selected_);
      const auto& g = store.graph;
      wrapped("Selected " + g.id[u] + " - " + lot_label(ed.lot_of(selected_)));
      const float t = model_->hub_travel()[u];
      wrapped(fmt("%.1f h/week, ", g.hours[u]) + fmt("%.0f customers, ", g.customers[u]) +
              "rural " + (g.rural[u].empty() ? "?" : g.rural[u]) +
              (std::isfinite(t) ? fmt(", %.1f min to hub", t) : ""));
    }
  }
  if (metrics_ && !provider_) {
    ImGui::Separator();
    wrapped("Metrics: max deviation " + fmt("%.1f%%", metrics_->max_deviation_pct) + ", CV " +
            fmt("%.3f", metrics_->cv) + ", mean travel " +
            fmt("%.1f min", metrics_->mean_travel_min));
    const std::size_t show = std::min<std::size_t>(metrics_->problems.size(), 8);
    for (std::size_t i = 0; i < show; ++i) text_coloured(kNear, metrics_->problems[i]);
    draw_round_figures();
  }
  if (!status_.empty()) {
    ImGui::Separator();
    ImGui::PushTextWrapPos(0);
    text_coloured(status_error_ ? kBad : kGood, status_);
    ImGui::PopTextWrapPos();
  }
  if (model_->travel_stale() && !provider_) text_coloured(kNear, "travel figures updating ...");
  if (!provider_) {
    ImGui::PushTextWrapPos(0);
    text(travel_note_);
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

void LotViewer::draw_lot_table() {
  const auto& ed = model_->editor();
  const auto& figs = model_->figures();
  const double tol = model_->store().meta.tolerance;
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                ImGuiTableFlags_SizingFixedFit;
  const float height = std::min(24.f + 20.f * static_cast<float>(ed.lot_count() + 1),
                                ImGui::GetIO().DisplaySize.y * 0.45f);
  if (ImGui::BeginTable("lots", 7, flags, ImVec2(0, height))) {
    for (const char* h : {"Zone", "Hours", "Band", "Cust.", "Units", "Pieces", "Travel"}) {
      if (std::string(h) == "Zone")
        ImGui::TableSetupColumn(h, ImGuiTableColumnFlags_WidthFixed, 165);
      else
        ImGui::TableSetupColumn(h);
      texts_.push_back(h);
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableHeadersRow();
    for (int l = 0; l < ed.lot_count(); ++l) {
      const auto& f = figs[static_cast<std::size_t>(l)];
      const auto bands = model_->bands(l);
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      const Rgba c = lot_colour(l);
      ImGui::PushID(l);
      // A swatch in the lot's colour; a click makes the lot the brush's.
      ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1.f));
      if (ImGui::SmallButton("   ")) active_lot_ = l;
      ImGui::PopStyleColor();
      ImGui::SameLine();
      // The lot's name, ending in "..." where the column is too narrow; the whole on hover.
      const std::string full = lot_label(l);
      std::string name = (l == active_lot_ ? "* " : "") + full;
      const float room = ImGui::GetContentRegionAvail().x;
      if (ImGui::CalcTextSize(name.c_str()).x > room) {
        while (name.size() > 1 && ImGui::CalcTextSize((name + "...").c_str()).x > room)
          name.pop_back();
        name += "...";
      }
      text(name);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", full.c_str());
      ImGui::PopID();
      ImGui::TableSetColumnIndex(1);
      const int state = band_state(f.hours, bands, tol);
      text_coloured(state == 0 ? kGood : state == 1 ? kNear : kBad, fmt("%.1f", f.hours));
      ImGui::TableSetColumnIndex(2);
      text(bands.size() == 1 ? fmt("%.0f-", bands[0].lo) + fmt("%.0f", bands[0].hi) : "-");
      ImGui::TableSetColumnIndex(3);
      text(fmt("%.0f", f.customers));
      ImGui::TableSetColumnIndex(4);
      text(std::to_string(f.units));
      ImGui::TableSetColumnIndex(5);
      if (f.pieces > 1)
        text_coloured(kBad, std::to_string(f.pieces) + " !");
      else
        text(std::to_string(f.pieces));
      ImGui::TableSetColumnIndex(6);
      text(fmt("%.1f/", f.mean_travel) + fmt("%.0f", f.max_travel));
    }
    ImGui::EndTable();
  }
  int broken = 0;
  for (int l = 0; l < ed.lot_count(); ++l) {
    const int pieces = figs[static_cast<std::size_t>(l)].pieces;
    if (pieces <= 1) continue;
    if (++broken <= 4)
      text_coloured(kBad,
                    "Warning: " + lot_label(l) + " is in " + std::to_string(pieces) + " pieces");
  }
  if (broken > 4)
    text_coloured(kBad, "Warning: " + std::to_string(broken - 4) + " more zones are in pieces");
  wrapped("Travel: hours-weighted mean / max minutes from the hub");
}

// The care-round figures (docs/rounds.md) of the last evaluation, per lot and for the county.
// After an edit the plan is evaluated again off the frame loop (start_evaluate, one job at a
// time, the latest revision when the previous job ends); until then the figures are marked
// as being updated.
void LotViewer::draw_round_figures() {
  const auto& ed = model_->editor();
  const bool stale = eval_revision_ != ed.revision();
  if (stale && !busy() && !model_->travel_busy()) start_evaluate();
  if (!metrics_->rounds_estimated) {
    text("Care rounds: no road travel, not estimated");
    return;
  }
  const geo::RoundFigures& c = metrics_->rounds;
  wrapped("Care rounds (call to call): gap median " + fmt("%.1f min", c.call_gap_median_min) +
          ", p90 " + fmt("%.1f min", c.call_gap_p90_min) + ", " +
          fmt("%.1f mi", c.call_gap_median_miles));
  wrapped(fmt("legs > %.0f min ", geo::kGapThresholdMinutes) +
          fmt("%.1f%%", c.legs_over_15_min_pct) + fmt(", > %.0f mi ", geo::kGapThresholdMiles) +
          fmt("%.1f%%", c.legs_over_6_miles_pct) + ", workers " + fmt("%.1f", c.workers_needed) +
          ", travel " + fmt("GBP %.2f", c.travel_cost_per_contact_hour) + "/contact h");
  if (stale) text_coloured(kNear, "care rounds updating after the edit ...");
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
  const float height = std::min(24.f + 20.f * static_cast<float>(metrics_->lots.size() + 1), 180.f);
  if (!ImGui::BeginTable("rounds", 6, flags, ImVec2(0, height))) return;
  for (const char* h : {"Zone", "Gap med", "Gap p90", ">15 min", "Workers", "GBP/ch"}) {
    ImGui::TableSetupColumn(h);
    texts_.push_back(h);
  }
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableHeadersRow();
  for (const auto& l : metrics_->lots) {
    const geo::RoundFigures& f = l.rounds;
    ImGui::TableNextRow();
    const std::string cells[] = {
        std::to_string(l.lot),           fmt("%.1f", f.call_gap_median_min),
        fmt("%.1f", f.call_gap_p90_min), fmt("%.1f%%", f.legs_over_15_min_pct),
        fmt("%.1f", f.workers_needed),   fmt("%.2f", f.travel_cost_per_contact_hour)};
    for (int c = 0; c < 6; ++c) {
      ImGui::TableSetColumnIndex(c);
      if (c == 2 && f.call_gap_p90_min > geo::kGapThresholdMinutes)
        text_coloured(kNear, cells[c]);
      else
        text(cells[c]);
    }
  }
  ImGui::EndTable();
}

void LotViewer::draw_provider_table() {
  const auto& ed = model_->editor();
  const auto& figs = model_->figures();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
  const float height = std::min(24.f + 20.f * static_cast<float>(ed.lot_count() + 1),
                                ImGui::GetIO().DisplaySize.y * 0.5f);
  if (ImGui::BeginTable("provider", 4, flags, ImVec2(0, height))) {
    for (const char* h : {"Zone", "Hours/week", "Customers", "Tier"}) {
      ImGui::TableSetupColumn(h);
      texts_.push_back(h);
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableHeadersRow();
    for (int l = 0; l < ed.lot_count(); ++l) {
      const auto& f = figs[static_cast<std::size_t>(l)];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      const Rgba c = lot_colour(l);
      ImGui::ColorButton("##c", ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1.f),
                         ImGuiColorEditFlags_NoTooltip, ImVec2(12, 12));
      ImGui::SameLine();
      text(lot_label(l));
      ImGui::TableSetColumnIndex(1);
      text(fmt("%.0f", tender::round_hours(f.hours)));
      ImGui::TableSetColumnIndex(2);
      const auto cust = tender::disclosed_customers(f.customers);
      text(cust ? std::to_string(*cust) : std::string("suppressed"));
      ImGui::TableSetColumnIndex(3);
      const auto& tier = ed.plan().tier;
      text(static_cast<std::size_t>(l) < tier.size() && !tier[static_cast<std::size_t>(l)].empty()
               ? tier[static_cast<std::size_t>(l)]
               : "-");
    }
    ImGui::EndTable();
  }
  text("Demand by postcode sector; hours rounded to 5;");
  text("counts under " + std::to_string(tender::kMinCustomers) + " customers suppressed.");
  int suppressed = 0;
  for (const auto& s : model_->sectors()) suppressed += s.suppressed ? 1 : 0;
  text(std::to_string(model_->sectors().size()) + " sectors, " + std::to_string(suppressed) +
       " suppressed");
}

}  // namespace lotwright::viewer
