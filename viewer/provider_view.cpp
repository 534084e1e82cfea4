// ProviderView: the provider package on a map, read-only (provider_view.hpp).
#include "provider_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/plan/plan_store.hpp"  // point_in_cell
#include "lotwright/tender/naming.hpp"
#include "ui_common.hpp"
#include "view_model.hpp"  // triangulate_cell

namespace lotwright::viewer {

namespace {

constexpr float kPanelWidth = 420;

std::string count_text(const std::optional<long>& v) {
  return v ? std::to_string(*v) : std::string("suppressed (<5)");
}
std::string hours_text(const std::optional<double>& v, const char* format = "%.1f") {
  return v ? fmt(format, *v) : std::string("suppressed");
}

}  // namespace

ProviderView::ProviderView(ViewerOptions options, std::vector<ScriptCommand> script,
                           tender::ProviderPackage package)
    : App(AppConfig{
          "Lotwright provider view - " + options.plan.string(), options.width, options.height, true,
          options.interactive ||
              (options.script.empty() && options.screenshot.empty() && options.dump_text.empty())}),
      opt_(std::move(options)),
      script_(std::move(script)),
      pkg_(std::move(package)) {
  world_ = {1e300, 1e300, -1e300, -1e300};
  for (const auto& z : pkg_.zones) {
    bool fell_back = false;
    triangles_.push_back(triangulate_cell(z.shape, &fell_back));
    for (const auto& poly : z.shape)
      for (const geo::Point& p : poly.outer) {
        world_.min_x = std::min(world_.min_x, p.x);
        world_.min_y = std::min(world_.min_y, p.y);
        world_.max_x = std::max(world_.max_x, p.x);
        world_.max_y = std::max(world_.max_y, p.y);
      }
  }
}

bool ProviderView::headless() const {
  if (opt_.interactive) return false;
  return !opt_.script.empty() || !opt_.screenshot.empty() || !opt_.dump_text.empty();
}

void ProviderView::check_script(const std::vector<ScriptCommand>& script) {
  // A verb that would change or write anything has no place here.
  for (const ScriptCommand& c : script)
    if (c.verb != "select" && c.verb != "hover" && c.verb != "zoom")
      throw geo::DataError(c.where() + c.verb +
                           " is not available in the provider view (read-only: select ZONE, "
                           "hover ZONE, zoom all)");
}

ImVec2 ProviderView::to_screen(geo::Point p) const {
  const float mx = (map_min_.x + map_max_.x) / 2, my = (map_min_.y + map_max_.y) / 2;
  return {mx + static_cast<float>((p.x - cx_) * ppm_), my - static_cast<float>((p.y - cy_) * ppm_)};
}

void ProviderView::fit() {
  const geo::Box& b = world_;
  const double w = std::max(1.0, b.max_x - b.min_x), h = std::max(1.0, b.max_y - b.min_y);
  cx_ = (b.min_x + b.max_x) / 2;
  cy_ = (b.min_y + b.max_y) / 2;
  const double sw = std::max(1.f, map_max_.x - map_min_.x - 40);
  const double sh = std::max(1.f, map_max_.y - map_min_.y - 40);
  ppm_ = std::min(sw / w, sh / h);
}

int ProviderView::zone_at(ImVec2 s) const {
  if (s.x < map_min_.x || s.x > map_max_.x || s.y < map_min_.y || s.y > map_max_.y) return -1;
  const float mx = (map_min_.x + map_max_.x) / 2, my = (map_min_.y + map_max_.y) / 2;
  const geo::Point p{cx_ + (s.x - mx) / ppm_, cy_ - (s.y - my) / ppm_};
  for (std::size_t z = 0; z < pkg_.zones.size(); ++z)
    if (geo::point_in_cell(pkg_.zones[z].shape, p)) return static_cast<int>(z);
  return -1;
}

void ProviderView::text(const std::string& s) {
  ImGui::TextUnformatted(s.c_str());
  texts_.push_back(s);
}

void ProviderView::step_script() {
  if (next_command_ >= script_.size()) return;
  const ScriptCommand& c = script_[next_command_++];
  int z = -1;
  if (c.verb == "zoom" && c.lot == 0) {
    selected_ = -1;
    return;
  }
  for (std::size_t i = 0; i < pkg_.zones.size(); ++i)
    if (c.arg == std::to_string(pkg_.zones[i].zone) || c.arg == pkg_.zones[i].name)
      z = static_cast<int>(i);
  if (z < 0) {
    std::fprintf(stderr, "lotwright-viewer: %sno zone \"%s\" in %s (zones 1 to %zu)\n",
                 c.where().c_str(), c.arg.c_str(), pkg_.file.c_str(), pkg_.zones.size());
    failed_ = true;
    quit(1);
    return;
  }
  if (c.verb == "hover")
    hover_ = z;
  else
    selected_ = z;
}

void ProviderView::update() {
  texts_.clear();
  const ImGuiIO& io = ImGui::GetIO();
  map_min_ = {0, 0};
  map_max_ = {std::max(100.f, io.DisplaySize.x - kPanelWidth), io.DisplaySize.y};
  if (frame_ == 0) fit();
  if (headless()) {
    step_script();
  } else if (!io.WantCaptureMouse) {
    hover_ = zone_at(io.MousePos);
    if (ImGui::IsMouseClicked(0)) selected_ = hover_;
    if (io.MouseWheel != 0) ppm_ *= std::pow(1.2, io.MouseWheel);
    if (ImGui::IsMouseDragging(0)) {
      cx_ -= io.MouseDelta.x / ppm_;
      cy_ += io.MouseDelta.y / ppm_;
    }
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) selected_ = -1;
  draw_map();
  draw_panel();
  ++frame_;
  if (headless() && !failed_ && next_command_ >= script_.size() && ++settle_ == 3) {
    finished_ = true;
    final_texts_ = texts_;
    request_capture();
  }
}

void ProviderView::draw_map() {
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  for (std::size_t z = 0; z < pkg_.zones.size(); ++z) {
    const auto& zn = pkg_.zones[z];
    const bool lit = static_cast<int>(z) == hover_ || static_cast<int>(z) == selected_;
    const ImU32 col = IM_COL32(zn.r, zn.g, zn.b, lit ? 255 : 200);
    const auto& tri = triangles_[z];
    for (std::size_t i = 0; i + 2 < tri.size(); i += 3) {
      dl->PrimReserve(3, 3);
      for (int k = 0; k < 3; ++k)
        dl->PrimVtx(to_screen(tri[i + static_cast<std::size_t>(k)]), uv, col);
    }
  }
  // Sector outlines of the zone in focus, then every zone's boundary.
  const int focus = hover_ >= 0 ? hover_ : selected_;
  std::vector<ImVec2> pts;
  auto outline = [&](const geo::Ring& ring, ImU32 col, float px) {
    pts.clear();
    for (const geo::Point& p : ring) pts.push_back(to_screen(p));
    if (pts.size() > 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, true, px);
  };
  if (focus >= 0)
    for (const auto& s : pkg_.sectors)
      if (s.zone == pkg_.zones[static_cast<std::size_t>(focus)].zone)
        for (const auto& poly : s.shape) outline(poly.outer, IM_COL32(60, 60, 60, 160), 1.f);
  for (std::size_t z = 0; z < pkg_.zones.size(); ++z) {
    const bool lit = static_cast<int>(z) == focus;
    for (const auto& poly : pkg_.zones[z].shape) {
      outline(poly.outer, lit ? IM_COL32(0, 0, 0, 255) : IM_COL32(40, 40, 40, 220),
              lit ? 2.f : 1.2f);
      for (const auto& hole : poly.holes) outline(hole, IM_COL32(40, 40, 40, 220), 1.5f);
    }
  }
  for (const auto& zn : pkg_.zones) {
    const std::string label = tender::zone_title(zn.zone, zn.name, true);
    const ImVec2 size = ImGui::CalcTextSize(label.c_str());
    const ImVec2 at = to_screen(zn.label);
    const ImVec2 p0{at.x - size.x / 2, at.y - size.y / 2};
    dl->AddRectFilled({p0.x - 3, p0.y - 1}, {p0.x + size.x + 3, p0.y + size.y + 1},
                      IM_COL32(255, 255, 255, 210), 3.f);
    dl->AddText(p0, IM_COL32(0, 0, 0, 255), label.c_str());
    texts_.push_back(label);
  }
}

void ProviderView::draw_panel() {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos({io.DisplaySize.x - kPanelWidth, 0});
  ImGui::SetNextWindowSize({kPanelWidth, io.DisplaySize.y});
  ImGui::Begin("Provider package", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  std::string title = pkg_.meta("title").empty() ? "Home care zones and lots" : pkg_.meta("title");
  // The default font has no en dash.
  for (std::size_t at; (at = title.find("\u2013")) != std::string::npos;) title.replace(at, 3, "-");
  text(title);
  text("Provider view: published figures only, read-only");
  ImGui::Separator();
  if (ImGui::BeginTable("zones", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
    ImGui::TableSetupColumn("zone");
    ImGui::TableSetupColumn("name");
    ImGui::TableSetupColumn("hours/week");
    ImGui::TableSetupColumn("customers");
    ImGui::TableHeadersRow();
    for (std::size_t z = 0; z < pkg_.zones.size(); ++z) {
      const auto& zn = pkg_.zones[z];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(static_cast<int>(z));
      ImGui::ColorButton("##c", ImVec4(zn.r / 255.f, zn.g / 255.f, zn.b / 255.f, 1),
                         ImGuiColorEditFlags_NoTooltip, {12, 12});
      ImGui::SameLine();
      const std::string id = std::to_string(zn.zone);
      if (ImGui::Selectable(id.c_str(), selected_ == static_cast<int>(z),
                            ImGuiSelectableFlags_SpanAllColumns))
        selected_ = static_cast<int>(z);
      ImGui::PopID();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(zn.name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(fmt("%.1f", zn.hours).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(count_text(zn.customers).c_str());
      texts_.push_back("zone " + id + " | " + zn.name + " | hours " + fmt("%.2f", zn.hours) +
                       " | customers " + count_text(zn.customers));
    }
    ImGui::EndTable();
  }
  ImGui::Separator();
  const int focus = hover_ >= 0 ? hover_ : selected_;
  if (focus >= 0)
    draw_zone(focus);
  else
    text("Hover or click a zone for its figures and postcode sectors.");
  if (!pkg_.meta("disclosure").empty()) {
    ImGui::Separator();
    ImGui::TextWrapped("%s", pkg_.meta("disclosure").c_str());
  }
  ImGui::End();
}

void ProviderView::draw_zone(int z) {
  const auto& zn = pkg_.zones[static_cast<std::size_t>(z)];
  text(tender::zone_title(zn.zone, zn.name, true));
  if (!zn.tier.empty()) text("tier: " + zn.tier);
  text("lots: " + zn.lot_ids + " (" + zn.roles + ")");
  text("hours a week: " + fmt("%.2f", zn.hours));
  text("customers: " + count_text(zn.customers));
  text("rural hours: " + hours_text(zn.rural_hours));
  text("unmet hours: " + hours_text(zn.unmet_hours));
  if (zn.travel_min) text("mean travel to hub: " + fmt("%.1f", *zn.travel_min) + " min");
  if (zn.area_km2) text("area: " + fmt("%.2f", *zn.area_km2) + " km2");
  if (!zn.places.empty()) ImGui::TextWrapped("places: %s", zn.places.c_str());
  for (const auto& l : pkg_.lots)
    if (l.zone == zn.zone)
      text("Lot " + l.lot_id + " " + l.role + ": " + fmt("%.2f", l.hours) + " h/week");
  if (!ImGui::BeginTable("sectors", 3, ImGuiTableFlags_RowBg)) return;
  ImGui::TableSetupColumn("sector");
  ImGui::TableSetupColumn("hours/week");
  ImGui::TableSetupColumn("customers");
  ImGui::TableHeadersRow();
  for (const auto& s : pkg_.sectors) {
    if (s.zone != zn.zone) continue;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(s.sector.c_str());
    ImGui::TableNextColumn();
    const std::string h = s.suppressed && !s.combined ? "(in suppressed row)" : hours_text(s.hours);
    ImGui::TextUnformatted(h.c_str());
    ImGui::TableNextColumn();
    const std::string c =
        s.suppressed && !s.combined ? "" : (s.customers ? std::to_string(*s.customers) : "<5");
    ImGui::TextUnformatted(c.c_str());
    texts_.push_back("sector " + s.sector + " | zone " + std::to_string(s.zone) + " | " + h +
                     " | " + c);
  }
  ImGui::EndTable();
}

void ProviderView::captured(int width, int height, const std::vector<unsigned char>& rgba) {
  shot_ = rgba;
  shot_w_ = width;
  shot_h_ = height;
  quit(0);
}

void ProviderView::stop() {
  // The outputs asked for on the command line, after the frame loop; nothing else, ever.
  if (failed_ || !finished_) return;
  try {
    write_shot_and_text(opt_.screenshot, shot_w_, shot_h_, shot_, opt_.dump_text, final_texts_);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lotwright-viewer: %s\n", e.what());
    quit(1);
  }
}

}  // namespace lotwright::viewer
