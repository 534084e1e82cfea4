#include "lot_viewer.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"

namespace lotwright::viewer {

namespace {

template <typename T>
bool ready(const std::future<T>& f) {
  return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

ImU32 im(Rgba c, std::uint8_t alpha = 255) { return IM_COL32(c.r, c.g, c.b, alpha); }

const ImVec4 kGood(0.05f, 0.55f, 0.15f, 1.f), kNear(0.85f, 0.5f, 0.f, 1.f),
    kBad(0.8f, 0.1f, 0.1f, 1.f);

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

}  // namespace

LotViewer::LotViewer(ViewerOptions options, std::vector<ScriptCommand> script)
    : App(AppConfig{"Lotwright viewer - " + options.plan.filename().string(), options.width,
                    options.height, true,
                    options.script.empty() && options.screenshot.empty() &&
                        options.dump_text.empty() && options.frames == 0}),
      opt_(std::move(options)),
      script_(std::move(script)),
      provider_(opt_.provider) {
  const auto dir = opt_.plan.parent_path();
  std::snprintf(save_csv_, sizeof save_csv_, "%s", (dir / "assignment-edited.csv").c_str());
  std::snprintf(save_dir_, sizeof save_dir_, "%s", (dir / "edited").c_str());
}

LotViewer::~LotViewer() {
  if (opt_.stats) print_stats();
  // Let background work finish before the model it reads goes away.
  if (loading_.valid()) loading_.wait();
  if (save_job_.valid()) save_job_.wait();
  if (eval_job_.valid()) eval_job_.wait();
  if (travel_job_.valid()) travel_job_.wait();
}

void LotViewer::start() {
  ImGuiIO& io = ImGui::GetIO();
  const std::filesystem::path fonts = "/usr/share/fonts/truetype/dejavu";
  if (std::filesystem::exists(fonts / "DejaVuSans.ttf"))
    io.Fonts->AddFontFromFileTTF((fonts / "DejaVuSans.ttf").c_str(), 15.f);
  if (std::filesystem::exists(fonts / "DejaVuSans-Bold.ttf"))
    label_font_ = io.Fonts->AddFontFromFileTTF((fonts / "DejaVuSans-Bold.ttf").c_str(), 17.f);
  std::string error;
  renderer_ok_ = renderer_.init(core33(), &error);
  if (!renderer_ok_) {
    fail("OpenGL: " + error);
    return;
  }
  // Loading (GDAL, triangulation, indexes) runs off the frame loop.
  const std::filesystem::path plan = opt_.plan;
  double* load_s = &load_s_;
  loading_ = std::async(std::launch::async, [plan, load_s] {
    const auto t0 = std::chrono::steady_clock::now();
    auto m = ViewModel::load(plan);
    *load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return m;
  });
  set_finish_frames(opt_.stats);
}

void LotViewer::fail(const std::string& message) {
  std::cerr << "lotwright-viewer: " << message << "\n";
  finished_ = true;
  failed_ = true;
  quit(1);
}

bool LotViewer::busy() const {
  return save_job_.valid() || eval_job_.valid() || travel_job_.valid();
}

void LotViewer::poll_jobs() {
  if (ready(loading_)) {
    try {
      model_ = loading_.get();
    } catch (const std::exception& e) {
      fail(e.what());
      return;
    }
    for (const auto& w : model_->store().warnings) std::cerr << "lotwright-viewer: " << w << "\n";
    active_lot_ = 0;
    if (model_->store().meta.config.empty()) {
      travel_note_ = "travel: graph distance over neighbouring units (no config in the plan)";
    } else {
      // Road travel from the plan's own study, off the frame loop; the graph oracle until then.
      travel_note_ = "loading road travel ...";
      const ViewModel* model = model_.get();
      travel_job_ = std::async(std::launch::async, [model] {
        std::string note;
        auto t = geo::study_travel(model->store(), &note);
        return std::make_pair(t, note);
      });
    }
  }
  if (model_) model_->poll_travel();
  if (ready(travel_job_) && !save_job_.valid() && !eval_job_.valid()) {
    auto [travel, note] = travel_job_.get();
    model_->set_travel(travel);
    travel_note_ = note;
  }
  if (ready(save_job_)) {
    try {
      status_ = save_job_.get();
      status_error_ = false;
    } catch (const std::exception& e) {
      status_ = e.what();
      status_error_ = true;
      if (headless()) fail(status_);
    }
  }
  if (ready(eval_job_)) {
    try {
      metrics_ = eval_job_.get();
      model_->apply_metrics(*metrics_);
      status_ = "re-evaluated with the library's metrics";
      status_error_ = false;
    } catch (const std::exception& e) {
      status_ = std::string("re-evaluation failed: ") + e.what();
      status_error_ = true;
      if (headless()) fail(status_);
    }
  }
}

void LotViewer::apply_edit_refresh(bool full) {
  model_->refresh(full);
  if (provider_) model_->refresh_sectors();
}

void LotViewer::undo() {
  if (provider_ || !model_->editor().undo()) return;
  apply_edit_refresh(true);
}

void LotViewer::redo() {
  if (provider_ || !model_->editor().redo()) return;
  apply_edit_refresh(true);
}

void LotViewer::set_provider(bool on) {
  provider_ = on;
  if (on) {
    tool_ = Tool::kSelect;
    selected_ = -1;
    model_->refresh_sectors();
  }
}

void LotViewer::start_save(const std::filesystem::path& path) {
  const geo::Plan plan = model_->editor().plan();
  const ViewModel* model = model_.get();
  save_job_ = std::async(std::launch::async, [model, plan, path] {
    if (path.extension() == ".csv") {
      geo::save_assignment_csv(path, model->store().graph, plan);
      return "saved " + path.string();
    }
    geo::save_plan_folder(path, model->store(), plan);
    return "saved plan folder " + path.string();
  });
}

void LotViewer::start_evaluate() {
  const geo::Plan plan = model_->editor().plan();
  const ViewModel* model = model_.get();
  eval_job_ = std::async(std::launch::async,
                         [model, plan] { return geo::evaluate_store_plan(model->store(), plan); });
}

void LotViewer::step_script() {
  // One command a frame, each after the previous one's background work (deterministic).
  if (script_pos_ >= script_.size() || busy() || model_->travel_busy()) return;
  const ScriptCommand& c = script_[script_pos_++];
  auto& ed = model_->editor();
  try {
    if (c.verb == "assign" || c.verb == "select" || c.verb == "hover") {
      const int u = model_->find_unit(c.arg);
      if (u < 0) throw geo::DataError(c.where() + "postcode \"" + c.arg + "\" is not in the plan");
      if (c.verb == "select") {
        selected_ = u;
        return;
      }
      if (c.verb == "hover") {
        hovered_ = u;
        script_hover_ = true;
        return;
      }
      if (provider_)
        throw geo::DataError(c.where() + "the provider view is read-only (provider off first)");
      if (c.lot > ed.lot_count())
        throw geo::DataError(c.where() + "lot " + std::to_string(c.lot) +
                             " does not exist (the plan has " + std::to_string(ed.lot_count()) +
                             " lots)");
      ed.assign({u}, c.lot == 0 ? geo::kNoLot : c.lot - 1);
      apply_edit_refresh(true);
    } else if (c.verb == "mouse" || c.verb == "point" || c.verb == "down" || c.verb == "up" ||
               c.verb == "wheel") {
      scripted_input_ = true;
      if (c.verb == "mouse") {
        script_mouse_ = ImVec2(c.x, c.y);
      } else if (c.verb == "point") {
        const int u = model_->find_unit(c.arg);
        if (u < 0)
          throw geo::DataError(c.where() + "postcode \"" + c.arg + "\" is not in the plan");
        script_mouse_ = to_screen(model_->store().graph.site[static_cast<std::size_t>(u)]);
      } else if (c.verb == "wheel") {
        script_wheel_ = c.x;
      } else {
        script_down_[c.arg == "right" ? 1 : 0] = c.verb == "down";
      }
    } else if (c.verb == "tool") {
      if (c.arg == "brush" && provider_)
        throw geo::DataError(c.where() + "the provider view is read-only (provider off first)");
      tool_ = c.arg == "brush" ? Tool::kBrush : Tool::kSelect;
    } else if (c.verb == "lot") {
      if (c.lot > ed.lot_count())
        throw geo::DataError(c.where() + "lot " + std::to_string(c.lot) + " does not exist");
      active_lot_ = c.lot - 1;
    } else if (c.verb == "undo") {
      undo();
    } else if (c.verb == "redo") {
      redo();
    } else if (c.verb == "save") {
      if (provider_)
        throw geo::DataError(c.where() + "the provider view is read-only (provider off first)");
      start_save(c.arg);
    } else if (c.verb == "evaluate") {
      start_evaluate();
    } else if (c.verb == "provider") {
      set_provider(c.arg == "on");
    } else if (c.verb == "zoom") {
      if (c.lot > ed.lot_count())
        throw geo::DataError(c.where() + "lot " + std::to_string(c.lot) + " does not exist");
      if (c.lot == 0)
        fit_county();
      else
        zoom_lot(c.lot - 1);
    }
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

void LotViewer::animate_step() {
  // A deterministic workload: zoom in and out around the county while a brush sweeps
  // across it painting into a changing lot (every frame is a live edit + redraw).
  if (animated_ == 0) first_animated_frame_ = frame_ms().size();
  const auto& b = model_->store().bounds;
  const double t = static_cast<double>(animated_) / std::max(1, opt_.frames);
  fit_county();
  cam_.ppm *= 1 + 3 * std::sin(t * 3.14159265);
  const geo::Point o = model_->mesh().origin;
  const geo::Point p{b.min_x + (b.max_x - b.min_x) * t,
                     b.min_y + (b.max_y - b.min_y) * (0.5 + 0.3 * std::sin(t * 12))};
  cam_.cx = p.x - o.x;
  cam_.cy = p.y - o.y;
  auto& ed = model_->editor();
  if (!provider_ && ed.lot_count() > 0) {
    if (animated_ % 20 == 0) ed.begin_stroke();
    const auto units = model_->locator().within(p, 15 / cam_.ppm);
    if (!units.empty() && ed.assign(units, (animated_ / 20) % ed.lot_count()))
      apply_edit_refresh(false);
    if (animated_ % 20 == 19) {
      ed.end_stroke();
      apply_edit_refresh(true);
    }
  }
  ++animated_;
}

void LotViewer::print_stats() const {
  std::printf("units %zu, triangles %zu, boundary quads %zu, load %.2f s\n",
              model_ ? model_->store().graph.size() : 0, renderer_.fill_vertices() / 3,
              renderer_.boundary_vertices() / 6, load_s_);
  auto report = [&](const char* what, const std::vector<double>& all) {
    const std::size_t from = std::min(first_animated_frame_, all.size());
    std::vector<double> ms(all.begin() + static_cast<std::ptrdiff_t>(from), all.end());
    if (ms.empty()) return;
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (double v : ms) sum += v;
    std::printf("%s over %zu frames: mean %.1f ms, median %.1f ms, p95 %.1f ms, max %.1f ms\n",
                what, ms.size(), sum / static_cast<double>(ms.size()), ms[ms.size() / 2],
                ms[ms.size() * 95 / 100], ms.back());
  };
  report("frame (update + GL + swap)", frame_ms());
  report("update (UI, edits, figures; no GL)", update_ms());
}

void LotViewer::finish_headless() {
  if (finished_ || !model_ || !uploaded_) return;
  if (script_pos_ < script_.size() || busy()) return;
  if (animated_ < opt_.frames) {
    animate_step();
    if (animated_ == opt_.frames) fit_county();
    return;
  }
  if (model_->travel_busy()) return;
  // Two more frames so the last edit is on screen, then capture and leave.
  if (finish_countdown_ < 0) finish_countdown_ = 2;
  if (--finish_countdown_ > 0) return;
  finished_ = true;
  if (!opt_.screenshot.empty())
    request_capture();
  else
    quit(0);
}

void LotViewer::update() {
  texts_.clear();
  const ImGuiIO& io = ImGui::GetIO();
  map_w_ = std::max(200.f, io.DisplaySize.x - panel_w_);
  map_h_ = io.DisplaySize.y;
  poll_jobs();
  if (model_ && !uploaded_ && renderer_ok_) {
    renderer_.upload(model_->mesh(), model_->editor().plan().lot_of);
    drawn_revision_ = model_->editor().revision();
    uploaded_ = true;
    fit_county();
    if (provider_) model_->refresh_sectors();
  }
  if (!model_) {
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x / 2 - 150, io.DisplaySize.y / 2 - 30));
    ImGui::SetNextWindowSize(ImVec2(300, 60));
    ImGui::Begin("Loading", nullptr, ImGuiWindowFlags_NoDecoration);
    text("Loading " + opt_.plan.filename().string() + " ...");
    ImGui::End();
    return;
  }
  if (uploaded_ && headless() && !finished_) step_script();
  if (!headless()) {
    handle_keys();
    handle_map_input();
  } else if (scripted_input_) {
    handle_map_input();
  }
  if (model_->editor().revision() != drawn_revision_) {
    renderer_.sync(model_->mesh(), model_->editor().plan().lot_of);
    drawn_revision_ = model_->editor().revision();
  }
  draw_overlays();
  draw_panel();
  if (!headless() || script_hover_ || scripted_input_) draw_tooltip();
  if (headless()) finish_headless();
  if (finished_ && !failed_) final_texts_ = texts_;
}

void LotViewer::render() {
  if (!uploaded_) return;
  const ImGuiIO& io = ImGui::GetIO();
  const float sx = io.DisplayFramebufferScale.x, sy = io.DisplayFramebufferScale.y;
  Viewport vp{0, 0, static_cast<int>(map_w_ * sx), static_cast<int>(map_h_ * sy)};
  Camera cam = cam_;
  cam.ppm *= sx;
  DrawOptions opt;
  opt.roads = show_roads_;
  opt.dots = show_dots_ && !provider_;
  // Cell borders only when cells are big enough on screen to see between the lines.
  const double mean_cell_px =
      std::sqrt((model_->store().bounds.max_x - model_->store().bounds.min_x) *
                (model_->store().bounds.max_y - model_->store().bounds.min_y) /
                std::max<std::size_t>(1, model_->store().graph.size())) *
      cam_.ppm;
  opt.cell_borders = show_cells_ && mean_cell_px > 10;
  opt.dot_scale = static_cast<float>(std::clamp(mean_cell_px / 14, 0.12, 1.0)) * sx;
  opt.boundary_px = 2.2f * sx;
  renderer_.draw(cam, vp, opt);
}

void LotViewer::captured(int width, int height, const std::vector<unsigned char>& rgba) {
  shot_ = rgba;
  shot_w_ = width;
  shot_h_ = height;
  quit(0);
}

void LotViewer::input_override() {
  if (!scripted_input_) return;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = script_mouse_;
  for (int b = 0; b < 3; ++b) io.MouseDown[b] = script_down_[b];
  io.MouseWheel = script_wheel_;
  script_wheel_ = 0;  // one frame's worth
}

void LotViewer::stop() {
  // Outputs of a headless run, written after the frame loop; none after a failure.
  if (failed_ || !finished_) return;
  try {
    if (!opt_.screenshot.empty() && !shot_.empty())
      write_png(opt_.screenshot, shot_w_, shot_h_, shot_);
    if (!opt_.dump_text.empty()) {
      std::string all;
      for (const auto& s : final_texts_) all += s + "\n";
      geo::write_file_atomic(opt_.dump_text, all);
    }
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

// ---- camera -------------------------------------------------------------------------

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
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false) && !busy()) start_save(save_csv_);
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
    if (pan) {
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
        model_->editor().end_stroke();
        painting_ = false;
        apply_edit_refresh(true);
      } else if (drag_px_ < 4 && io.MouseReleased[0]) {
        selected_ = hovered_;
      }
      press_on_map_ = false;
    }
  }
}

// ---- drawing helpers ----------------------------------------------------------------

void LotViewer::text(const std::string& s) {
  texts_.push_back(s);
  ImGui::TextUnformatted(s.c_str());
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

std::string LotViewer::lot_label(int lot) const {
  if (lot < 0) return "unassigned";
  const auto& names = model_->editor().plan().name;
  const std::string name =
      static_cast<std::size_t>(lot) < names.size() ? names[static_cast<std::size_t>(lot)] : "";
  const std::string number = std::to_string(lot + 1);
  if (name.empty() || name == "Lot " + number) return "Lot " + number;
  return number + " " + name;
}

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
  const auto& figs = model_->figures();
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

  if (show_labels_)
    for (int l = 0; l < ed.lot_count(); ++l) {
      if (ed.lot_units(l) == 0) continue;
      const ImVec2 p = to_screen(figs[static_cast<std::size_t>(l)].label);
      const std::string s = lot_label(l);
      const float size = label_font_ ? 17.f : 15.f;
      const ImVec2 ext =
          (label_font_ ? label_font_ : ImGui::GetFont())->CalcTextSizeA(size, 1e9f, 0, s.c_str());
      map_text(dl, label_font_, size, ImVec2(p.x - ext.x / 2, p.y - ext.y - 6),
               IM_COL32(15, 15, 25, 255), s, true);
    }

  if (!provider_) {
    if (selected_ >= 0) draw_cell_outline(dl, selected_, IM_COL32(255, 215, 0, 255), 3.f);
    if (hovered_ >= 0 && hovered_ != selected_)
      draw_cell_outline(dl, hovered_, IM_COL32(255, 255, 255, 255), 2.f);
    const ImVec2 m = ImGui::GetIO().MousePos;
    if (tool_ == Tool::kBrush && on_map(m) && (!headless() || scripted_input_))
      dl->AddCircle(m, brush_px_, im(lot_colour(active_lot_)), 32, 2.f);
  }
  draw_scale_bar(dl);
  draw_legend(dl);
  dl->PopClipRect();
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
  map_text(dl, nullptr, 14.f, ImVec2(a.x, a.y - 20), IM_COL32(20, 20, 20, 255), label, false);
}

void LotViewer::draw_legend(ImDrawList* dl) {
  const int lots = model_->editor().lot_count();
  const int shown = std::min(lots, 14);
  const float row = 17, w = 230;
  const float h = 26 + row * static_cast<float>(shown + (lots > shown ? 1 : 0) + 1);
  const ImVec2 tl(12, map_h_ - 44 - h);
  dl->AddRectFilled(tl, ImVec2(tl.x + w, tl.y + h), IM_COL32(255, 255, 255, 215), 4);
  dl->AddRect(tl, ImVec2(tl.x + w, tl.y + h), IM_COL32(120, 120, 120, 200), 4);
  map_text(dl, label_font_, 15.f, ImVec2(tl.x + 8, tl.y + 5), IM_COL32(20, 20, 20, 255),
           provider_ ? "Lots (provider view)" : "Lots", false);
  float y = tl.y + 26;
  for (int l = 0; l < shown; ++l, y += row) {
    dl->AddRectFilled(ImVec2(tl.x + 8, y + 2), ImVec2(tl.x + 22, y + 14), im(lot_colour(l)));
    dl->AddRect(ImVec2(tl.x + 8, y + 2), ImVec2(tl.x + 22, y + 14), IM_COL32(40, 40, 40, 255));
    std::string s = lot_label(l);
    if (s.size() > 28) s = s.substr(0, 27) + "...";
    map_text(dl, nullptr, 14.f, ImVec2(tl.x + 28, y), IM_COL32(20, 20, 20, 255), s, false);
  }
  if (lots > shown) {
    map_text(dl, nullptr, 14.f, ImVec2(tl.x + 28, y), IM_COL32(20, 20, 20, 255),
             "+ " + std::to_string(lots - shown) + " more", false);
    y += row;
  }
  dl->AddCircleFilled(ImVec2(tl.x + 15, y + 8), 5.f, IM_COL32(30, 30, 40, 255));
  dl->AddCircleFilled(ImVec2(tl.x + 15, y + 8), 3.5f, IM_COL32(255, 255, 255, 255));
  map_text(dl, nullptr, 14.f, ImVec2(tl.x + 28, y), IM_COL32(20, 20, 20, 255),
           provider_ ? "hub   o demand by sector (rounded)" : "hub   . demand (dot size = hours)",
           false);
}

void LotViewer::draw_panel() {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(map_w_, 0));
  ImGui::SetNextWindowSize(ImVec2(panel_w_, io.DisplaySize.y));
  const std::string title =
      std::string(provider_ ? "Provider view (read-only)" : "Plan editor") + "###panel";
  texts_.push_back(title.substr(0, title.find("###")));
  ImGui::Begin(title.c_str(), nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  const auto& store = model_->store();
  const auto& ed = model_->editor();
  text(opt_.plan.filename().string() + " - " + std::to_string(ed.lot_count()) + " lots, " +
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
    if (ImGui::BeginCombo("Active lot", active.c_str())) {
      for (int l = 0; l < ed.lot_count(); ++l)
        if (ImGui::Selectable(lot_label(l).c_str(), l == active_lot_)) active_lot_ = l;
      ImGui::EndCombo();
    }
    ImGui::SliderFloat("Brush px", &brush_px_, 2.f, 80.f, "%.0f");
    ImGui::BeginDisabled(!ed.can_undo());
    if (button("Undo (Ctrl+Z)")) undo();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!ed.can_redo());
    if (button("Redo (Ctrl+Y)")) redo();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (button("Fit (F)")) fit_county();
    ImGui::SameLine();
    ImGui::BeginDisabled(busy());
    if (button("Re-evaluate")) start_evaluate();
    ImGui::EndDisabled();
  } else {
    if (button("Fit (F)")) fit_county();
  }
  ImGui::Checkbox("Roads", &show_roads_);
  ImGui::SameLine();
  ImGui::Checkbox("Labels", &show_labels_);
  ImGui::SameLine();
  ImGui::Checkbox("Cell borders", &show_cells_);
  if (!provider_) {
    ImGui::SameLine();
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
    if (selected_ >= 0) {
      ImGui::Separator();
      const auto u = static_cast<std::size_t>(selected_);
      const auto& g = store.graph;
      text("Selected " + g.id[u] + " - " + lot_label(ed.lot_of(selected_)));
      const float t = model_->hub_travel()[u];
      text(fmt("%.1f h/week, ", g.hours[u]) + fmt("%.0f customers, ", g.customers[u]) + "rural " +
           (g.rural[u].empty() ? "?" : g.rural[u]) +
           (std::isfinite(t) ? fmt(", %.1f min to hub", t) : ""));
    }
  }
  if (metrics_ && !provider_) {
    ImGui::Separator();
    text("Metrics: max deviation " + fmt("%.1f%%", metrics_->max_deviation_pct) + ", CV " +
         fmt("%.3f", metrics_->cv) + ", mean travel " + fmt("%.1f min", metrics_->mean_travel_min));
    const std::size_t show = std::min<std::size_t>(metrics_->problems.size(), 8);
    for (std::size_t i = 0; i < show; ++i) text_coloured(kNear, metrics_->problems[i]);
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
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
  const float height = std::min(24.f + 20.f * static_cast<float>(ed.lot_count() + 1),
                                ImGui::GetIO().DisplaySize.y * 0.45f);
  if (ImGui::BeginTable("lots", 7, flags, ImVec2(0, height))) {
    for (const char* h : {"Lot", "Hours", "Band", "Cust.", "Units", "Pieces", "Travel"}) {
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
      const std::string label = std::to_string(l + 1);
      texts_.push_back(label);
      ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1.f));
      if (ImGui::SmallButton(label.c_str())) active_lot_ = l;
      ImGui::PopStyleColor();
      if (l == active_lot_) {
        ImGui::SameLine();
        text("*");
      }
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
    text_coloured(kBad, "Warning: " + std::to_string(broken - 4) + " more lots are in pieces");
  text("Travel: hours-weighted mean / max minutes from the hub");
}

void LotViewer::draw_provider_table() {
  const auto& ed = model_->editor();
  const auto& figs = model_->figures();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
  const float height = std::min(24.f + 20.f * static_cast<float>(ed.lot_count() + 1),
                                ImGui::GetIO().DisplaySize.y * 0.5f);
  if (ImGui::BeginTable("provider", 4, flags, ImVec2(0, height))) {
    for (const char* h : {"Lot", "Hours/week", "Customers", "Tier"}) {
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
    // Lot level only: no postcode, no unit-level demand.
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
