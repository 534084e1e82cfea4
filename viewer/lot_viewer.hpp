#pragma once
// The Lotwright viewer: a map canvas with lots, hover, selection and brush painting through
// geo::PlanEditor, a live figures panel, a provider view and a headless script mode.
#include <imgui.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app.hpp"
#include "compare_panel.hpp"
#include "map_renderer.hpp"
#include "script.hpp"
#include "tender_job.hpp"
#include "view_model.hpp"

namespace lotwright::viewer {

struct ViewerOptions {
  std::filesystem::path plan;
  bool provider = false;
  std::filesystem::path script;
  std::filesystem::path screenshot;
  std::filesystem::path dump_text;    // every string the last frame drew, one a line
  std::filesystem::path dump_labels;  // the last frame's map label boxes: lot,x0,y0,x1,y1
  int width = 1280;
  int height = 800;
  int frames = 0;      // benchmark: frames of scripted pan/zoom and brush painting at the end
  bool stats = false;  // print load time and frame times to stdout at exit
  // A window for a user even with --dump-text/--screenshot: those are written when the user
  // quits with Ctrl+Q (how the tests drive the viewer with real X events).
  bool interactive = false;
  // --db PG:... --scenario NAME: the plan is that scenario's plan.gpkg (fetched by main into a
  // temporary `plan`); "Store as scenario" writes edits back, replacing one only with --replace.
  std::string db, scenario;
  bool replace = false;
  // The plan as the title and panel name it: the file name, or `scenario "NAME"`.
  std::string shown_name() const {
    return scenario.empty() ? plan.filename().string() : "scenario \"" + scenario + "\"";
  }
};

class LotViewer : public App {
 public:
  LotViewer(ViewerOptions options, std::vector<ScriptCommand> script);
  ~LotViewer() override;
  void start() override;
  void update() override;
  void render() override;
  void captured(int width, int height, const std::vector<unsigned char>& rgba) override;
  void stop() override;
  void input_override() override;

 private:
  enum class Tool { kSelect, kBrush };
  bool headless() const {
    if (opt_.interactive) return false;
    return !opt_.script.empty() || !opt_.screenshot.empty() || !opt_.dump_text.empty() ||
           !opt_.dump_labels.empty() || opt_.frames > 0;
  }
  void animate_step();
  void print_stats() const;
  void fail(const std::string& message);
  void poll_jobs();
  void step_script();
  void finish_headless();
  void handle_map_input();
  void handle_keys();
  void apply_edit_refresh(bool full);
  void undo();
  void end_painting();  // closes the brush stroke in progress (one undo step)
  void redo();
  void set_provider(bool on);
  void start_save(const std::filesystem::path& path);
  void start_store(const std::string& name);  // --db: the plan as scenario `name`
  void start_evaluate();
  void start_tender(const std::filesystem::path& dir);
  void start_compare(const std::filesystem::path& path);  // compare_panel.cpp
  void poll_compare();
  bool busy() const;

  void draw_overlays();
  void draw_legend(ImDrawList* dl);
  void draw_lot_labels(ImDrawList* dl);
  void draw_scale_bar(ImDrawList* dl);
  void draw_panel();
  void draw_lot_table();
  void draw_round_figures();  // care rounds of the last evaluation (lot_panel.cpp)
  void draw_provider_table();
  void draw_tooltip();
  void draw_cell_outline(ImDrawList* dl, int unit, ImU32 colour, float thickness);
  void draw_compare_section();                 // "Compare with..." (compare_panel.cpp)
  void draw_compare_outlines(ImDrawList* dl);  // the changed postcodes on the map

  void fit_box(double min_x, double min_y, double max_x, double max_y);  // EPSG:27700
  void fit_county();
  void zoom_lot(int lot);
  ImVec2 to_screen(geo::Point p) const;  // EPSG:27700 -> window pixels
  geo::Point to_world(ImVec2 s) const;   // window pixels -> EPSG:27700
  bool on_map(ImVec2 s) const;

  // Every string drawn goes through these, so --dump-text can list them.
  void text(const std::string& s);
  void wrapped(const std::string& s);  // wraps at the panel's edge
  void text_coloured(const ImVec4& c, const std::string& s);
  bool button(const std::string& label);
  void map_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col,
                const std::string& s, bool halo);
  std::string lot_label(int lot) const;

  ViewerOptions opt_;
  std::vector<ScriptCommand> script_;
  std::size_t script_pos_ = 0;
  int finish_countdown_ = -1;
  int animated_ = 0;
  double load_s_ = 0;
  std::size_t first_animated_frame_ = 0;
  bool finished_ = false;

  std::future<std::unique_ptr<ViewModel>> loading_;
  std::unique_ptr<ViewModel> model_;
  MapRenderer renderer_;
  bool renderer_ok_ = false;
  bool uploaded_ = false;
  std::uint64_t drawn_revision_ = 0;
  Camera cam_;
  float map_w_ = 800, map_h_ = 600;  // map canvas in window pixels (left of the panel)
  float panel_w_ = 430;  // as dragged by the user (the panel takes at most 45% of the window)
  bool fitted_ = false;  // the view is the county fit (refitted on resize until panned/zoomed)

  Tool tool_ = Tool::kSelect;
  bool provider_ = false;
  int active_lot_ = 0;
  int hovered_ = -1;
  bool script_hover_ = false;  // hovered_ set by a script's hover command
  // Scripted mouse (mouse/point/down/up/wheel): replaces the real one from the first such
  // command on, so scripts drive the same input code as a user.
  bool scripted_input_ = false;
  ImVec2 script_mouse_{-1, -1};
  bool script_down_[3] = {false, false, false};
  float script_wheel_ = 0;
  int selected_ = -1;
  float brush_px_ = 14;
  bool press_on_map_ = false;
  bool painting_ = false;
  bool paint_started_ = false;
  geo::Point last_paint_;  // brush centre last frame (EPSG:27700)
  float drag_px_ = 0;
  bool show_roads_ = true, show_dots_ = true, show_cells_ = true, show_labels_ = true;

  std::future<std::pair<std::shared_ptr<const geo::TravelOracle>, std::string>> travel_job_;
  std::string travel_note_;
  std::future<std::string> save_job_;
  std::future<geo::PlanMetrics> eval_job_;
  std::optional<geo::PlanMetrics> metrics_;
  std::uint64_t eval_revision_ = 0;  // the editor's revision the last evaluation started at
  std::string status_;
  bool status_error_ = false;
  char save_csv_[1024] = {0};
  char save_dir_[1024] = {0};
  char store_name_[256] = {0};  // "Store as scenario" (--db)
  char tender_dir_[1024] = {0};
  std::future<std::string> tender_job_;
  std::atomic<int> tender_stage_{0};
  char compare_path_[1024] = {0};
  std::future<std::unique_ptr<Comparison>> compare_job_;
  std::unique_ptr<Comparison> compare_;
  std::uint64_t compare_revision_ = 0;  // the editor's revision plan A was taken at

  std::vector<std::string> texts_;        // this frame's strings
  std::vector<std::string> final_texts_;  // the last headless frame's, for --dump-text
  std::vector<unsigned char> shot_;       // the captured frame, for --screenshot
  int shot_w_ = 0, shot_h_ = 0;
  bool failed_ = false;
  bool save_requested_ = false;  // Ctrl+S while a job runs: saved when it ends
  bool quit_requested_ = false;  // Ctrl+Q: outputs of --interactive, then leave
  ImFont* label_font_ = nullptr;
  struct LabelBox {
    int lot;               // -1: the legend or the scale bar (kept clear, not dumped)
    float x0, y0, x1, y1;  // window pixels
  };
  std::vector<LabelBox> label_boxes_;  // this frame's placed map labels (--dump-labels)
  std::vector<LabelBox> final_label_boxes_;
};

}  // namespace lotwright::viewer
