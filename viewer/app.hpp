#pragma once
// A small application shell after implot_demos' common/App.h: a GLFW window with an
// OpenGL 3 context (3.3 core, falling back to 3.0) and Dear ImGui; subclasses implement
// Start (once, after the context exists), Update (build the UI each frame) and Render
// (raw GL drawing under the UI). Run() owns the frame loop.
#include <filesystem>
#include <string>
#include <vector>

#include "input_queue.hpp"

struct GLFWwindow;

namespace lotwright::viewer {

struct AppConfig {
  std::string title = "Lotwright";
  int width = 1280;
  int height = 800;
  bool vsync = true;
  bool wait_events = false;  // interactive: sleep until input (or 50 ms) instead of spinning
};

class App {
 public:
  explicit App(const AppConfig& config);
  virtual ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Runs the frame loop until the window closes or quit() is called; returns exit_code().
  int run();
  bool ok() const { return window_ != nullptr; }
  const std::string& error() const { return error_; }

  virtual void start() {}
  virtual void update() = 0;  // ImGui calls (between NewFrame and Render)
  virtual void render() {}    // GL drawing before the ImGui draw data
  virtual void stop() {}      // after the last frame, outside the frame loop (file output)
  // Between the backend's input and ImGui::NewFrame: scripted input replaces the mouse here.
  virtual void input_override() {}
  // Called with the frame's RGBA pixels (top row first) when capture was requested.
  virtual void captured(int /*width*/, int /*height*/, const std::vector<unsigned char>& /*rgba*/) {
  }

 protected:
  void quit(int exit_code) {
    quit_ = true;
    exit_code_ = exit_code;
  }
  void request_capture() { capture_ = true; }
  int framebuffer_width() const { return fb_w_; }
  int framebuffer_height() const { return fb_h_; }
  bool core33() const { return core33_; }
  GLFWwindow* window() const { return window_; }
  // Wall time of every finished frame (poll, update, GL, swap), milliseconds.
  const std::vector<double>& frame_ms() const { return frame_ms_; }
  const std::vector<double>& update_ms() const { return update_ms_; }  // update() alone
  void set_finish_frames(bool on) { finish_frames_ = on; }  // glFinish before timing a frame
  float clear_colour[4] = {0.87f, 0.91f, 0.94f, 1.f};

 private:
  GLFWwindow* window_ = nullptr;
  std::string error_;
  bool core33_ = false;
  bool quit_ = false;
  bool capture_ = false;
  int exit_code_ = 0;
  int fb_w_ = 0, fb_h_ = 0;
  std::vector<unsigned char> pixels_;
  std::vector<double> frame_ms_, update_ms_;
  bool wait_events_ = false;
  bool finish_frames_ = false;
  InputQueue input_;  // GLFW events replayed into ImGui without losing quick taps
};

// Writes RGBA pixels (top row first) as PNG via stb_image_write, atomically.
void write_png(const std::filesystem::path& file, int width, int height,
               const std::vector<unsigned char>& rgba);

// The outputs of a headless run that every view writes after its frame loop: the captured
// frame as PNG (when a path and a frame are given) and the last frame's texts, one a line.
void write_shot_and_text(const std::filesystem::path& screenshot, int width, int height,
                         const std::vector<unsigned char>& rgba,
                         const std::filesystem::path& dump_text,
                         const std::vector<std::string>& texts);

}  // namespace lotwright::viewer
