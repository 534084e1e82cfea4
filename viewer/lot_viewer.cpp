// The viewer: lifecycle, background jobs, the script, the frame (update/render).
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
#include "lotwright/store/store.hpp"
#include "ui_common.hpp"

namespace lotwright::viewer {

namespace {

template <typename T>
bool ready(const std::future<T>& f) {
  return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

}  // namespace

LotViewer::LotViewer(ViewerOptions options, std::vector<ScriptCommand> script)
    : App(AppConfig{"Lotwright viewer - loading " + options.shown_name(), options.width,
                    options.height, true,
                    options.interactive || (options.script.empty() && options.screenshot.empty() &&
                                            options.dump_text.empty() && options.frames == 0)}),
      opt_(std::move(options)),
      script_(std::move(script)),
      provider_(opt_.provider) {
  // A scenario's plan.gpkg is a temporary file: edits are saved beside where the user is.
  const auto dir = opt_.db.empty() ? opt_.plan.parent_path() : std::filesystem::path(".");
  std::snprintf(store_name_, sizeof store_name_, "%s", (opt_.scenario + " (edited)").c_str());
  std::snprintf(save_csv_, sizeof save_csv_, "%s", (dir / "assignment-edited.csv").c_str());
  std::snprintf(save_dir_, sizeof save_dir_, "%s", (dir / "edited").c_str());
  std::snprintf(tender_dir_, sizeof tender_dir_, "%s", (dir / "tender-edited").c_str());
  std::snprintf(compare_path_, sizeof compare_path_, "%s", (dir / "assignment-edited.csv").c_str());
}

LotViewer::~LotViewer() {
  if (opt_.stats) print_stats();
  // Let background work finish before the model it reads goes away.
  if (loading_.valid()) loading_.wait();
  if (save_job_.valid()) save_job_.wait();
  if (eval_job_.valid()) eval_job_.wait();
  if (tender_job_.valid()) tender_job_.wait();
  if (compare_job_.valid()) compare_job_.wait();
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
  return save_job_.valid() || eval_job_.valid() || travel_job_.valid() || tender_job_.valid() ||
         compare_job_.valid();
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
    glfwSetWindowTitle(window(), ("Lotwright viewer - " + opt_.shown_name()).c_str());
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
  if (ready(tender_job_)) {
    try {
      status_ = tender_job_.get();
      status_error_ = false;
    } catch (const std::exception& e) {
      status_ = std::string("tender pack not written: ") + e.what();
      status_error_ = true;
      if (headless()) fail(status_);
    }
  }
  poll_compare();
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
  end_painting();  // Ctrl+Z in the middle of a stroke takes back the stroke so far
  if (provider_ || !model_->editor().undo()) return;
  apply_edit_refresh(true);
}

void LotViewer::redo() {
  end_painting();
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
  // Every save goes through here: the provider view never writes a file.
  if (provider_) {
    status_ = "the provider view is read-only: nothing saved";
    return;
  }
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

void LotViewer::start_store(const std::string& name) {
  if (provider_) {  // the provider view never writes (issue 13)
    status_ = "the provider view is read-only: nothing stored";
    return;
  }
  if (opt_.db.empty()) {
    status_ = "no database: start the viewer with --db PG:... --scenario NAME to store";
    status_error_ = true;
    return;
  }
  const geo::Plan plan = model_->editor().plan();
  const ViewModel* model = model_.get();
  save_job_ = std::async(std::launch::async, [model, plan, name, o = opt_] {
    const geo::ScenarioWriteResult r =
        geo::write_edited_scenario(o.db, o.scenario, name, model->store(), plan, o.replace);
    std::string msg = std::string(r.replaced ? "replaced" : "stored") + " scenario \"" + name +
                      "\": " + std::to_string(r.units) + " units, " + std::to_string(r.lots) +
                      " lots";
    for (const auto& w : r.warnings) msg += "; warning: " + w;
    return msg;
  });
}

void LotViewer::start_evaluate() {
  const geo::Plan plan = model_->editor().plan();
  const ViewModel* model = model_.get();
  eval_revision_ = model_->editor().revision();
  eval_job_ = std::async(std::launch::async,
                         [model, plan] { return geo::evaluate_store_plan(model->store(), plan); });
}

void LotViewer::start_tender(const std::filesystem::path& dir) {
  if (provider_) {  // the provider view never writes a file (issue 13)
    status_ = "the provider view is read-only: no tender pack written";
    return;
  }
  const geo::Plan plan = model_->editor().plan();
  const ViewModel* model = model_.get();
  tender_stage_ = static_cast<int>(TenderStage::kStudy);
  std::atomic<int>* stage = &tender_stage_;
  tender_job_ = std::async(std::launch::async, [model, plan, dir, stage] {
    return write_pack(model->store(), plan, dir, stage);
  });
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
    } else if (c.verb == "store") {
      if (provider_)
        throw geo::DataError(c.where() + "the provider view is read-only (provider off first)");
      if (opt_.db.empty())
        throw geo::DataError(c.where() +
                             "store needs the viewer started with --db PG:... --scenario NAME");
      start_store(c.arg);
    } else if (c.verb == "evaluate") {
      start_evaluate();
    } else if (c.verb == "tender") {
      if (provider_)
        throw geo::DataError(c.where() + "the provider view is read-only (provider off first)");
      start_tender(c.arg);
    } else if (c.verb == "compare") {
      if (provider_)
        throw geo::DataError(c.where() +
                             "the provider view shows no comparison (provider off first)");
      start_compare(c.arg);
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
  // The panel: 430 px or as the user dragged it, at most 45% of a narrow window.
  const float panel = std::min(panel_w_, std::floor(io.DisplaySize.x * 0.45f));
  const float map_w = std::max(200.f, io.DisplaySize.x - panel), map_h = io.DisplaySize.y;
  const bool resized = map_w != map_w_ || map_h != map_h_;
  map_w_ = map_w;
  map_h_ = map_h;
  if (resized && fitted_ && uploaded_) fit_county();  // still the whole county: fit it again
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
    text("Loading " + opt_.shown_name() + " ...");
    ImGui::End();
    return;
  }
  if (uploaded_ && headless() && !finished_) step_script();
  if (!headless()) {
    handle_keys();
    handle_map_input();
    if (save_requested_ && !busy()) {
      save_requested_ = false;
      start_save(save_csv_);
    }
    if (quit_requested_ && !save_requested_ && !busy() && !finished_) {
      finished_ = true;  // this frame's strings and pixels are the outputs
      if (!opt_.screenshot.empty())
        request_capture();
      else
        quit(0);
    }
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
  if (finished_ && !failed_) {
    final_texts_ = texts_;
    final_label_boxes_ = label_boxes_;
  }
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
    write_shot_and_text(opt_.screenshot, shot_w_, shot_h_, shot_, opt_.dump_text, final_texts_);
    if (!opt_.dump_labels.empty()) {
      std::string all = "lot,x0,y0,x1,y1\n";
      for (const auto& b : final_label_boxes_)
        if (b.lot >= 0)
          all += std::to_string(b.lot + 1) + "," + fmt("%.1f", b.x0) + "," + fmt("%.1f", b.y0) +
                 "," + fmt("%.1f", b.x1) + "," + fmt("%.1f", b.y1) + "\n";
      geo::write_file_atomic(opt_.dump_labels, all);
    }
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

// ---- camera -------------------------------------------------------------------------

}  // namespace lotwright::viewer
