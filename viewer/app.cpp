#include "app.hpp"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb/stb_image_write.h>  // implementation from Debian's libstb.so (pkg-config stb)

#include <chrono>
#include <cstdio>

#include "gl.hpp"
// GLFW after GL so it does not pull in its own GL header first.
#include <GLFW/glfw3.h>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"

namespace lotwright::viewer {

namespace {
void glfw_error(int code, const char* text) {
  // Reported once at window creation through App::error(); keep stderr for real failures.
  (void)code;
  (void)text;
}
}  // namespace

App::App(const AppConfig& config) : wait_events_(config.wait_events) {
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    error_ = "cannot initialise GLFW (is there a display? try xvfb-run)";
    return;
  }
  // 3.3 core first; Mesa without it (or old drivers) get a 3.0 context.
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  window_ = glfwCreateWindow(config.width, config.height, config.title.c_str(), nullptr, nullptr);
  core33_ = window_ != nullptr;
  if (!window_) {
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    window_ = glfwCreateWindow(config.width, config.height, config.title.c_str(), nullptr, nullptr);
  }
  if (!window_) {
    const char* desc = nullptr;
    glfwGetError(&desc);
    error_ =
        std::string("cannot create an OpenGL 3 window") + (desc ? std::string(": ") + desc : "");
    glfwTerminate();
    return;
  }
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(config.vsync ? 1 : 0);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini written beside the user's files
  ImGui::StyleColorsLight();
  ImGui::GetStyle().WindowRounding = 4;
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init(core33_ ? "#version 330 core" : "#version 130");
  input_.install(window_);
}

App::~App() {
  if (!window_) return;
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window_);
  glfwTerminate();
}

int App::run() {
  if (!window_) return 1;
  start();
  while (!quit_ && !glfwWindowShouldClose(window_)) {
    const auto t0 = std::chrono::steady_clock::now();
    // Events still queued from a quick tap are replayed next frame without waiting.
    if (wait_events_ && !input_.pending())
      glfwWaitEventsTimeout(0.05);
    else
      glfwPollEvents();
    input_.replay_frame();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    input_.apply_mouse();
    input_override();
    ImGui::NewFrame();
    glfwGetFramebufferSize(window_, &fb_w_, &fb_h_);
    const auto u0 = std::chrono::steady_clock::now();
    try {
      update();
    } catch (const std::exception& e) {
      // A bug or an unexpected library error: say so and leave instead of crashing.
      std::fprintf(stderr, "lotwright-viewer: %s\n", e.what());
      exit_code_ = 1;
      break;
    }
    update_ms_.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - u0).count());
    ImGui::Render();
    glViewport(0, 0, fb_w_, fb_h_);
    glClearColor(clear_colour[0], clear_colour[1], clear_colour[2], clear_colour[3]);
    glClear(GL_COLOR_BUFFER_BIT);
    render();
    glViewport(0, 0, fb_w_, fb_h_);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (capture_) {
      capture_ = false;
      pixels_.assign(static_cast<std::size_t>(fb_w_) * static_cast<std::size_t>(fb_h_) * 4, 0);
      glPixelStorei(GL_PACK_ALIGNMENT, 1);
      glReadBuffer(GL_BACK);
      glReadPixels(0, 0, fb_w_, fb_h_, GL_RGBA, GL_UNSIGNED_BYTE, pixels_.data());
      // GL rows run bottom-up; images top-down.
      const std::size_t row = static_cast<std::size_t>(fb_w_) * 4;
      for (int y = 0; y < fb_h_ / 2; ++y)
        std::swap_ranges(pixels_.begin() + static_cast<std::ptrdiff_t>(y * row),
                         pixels_.begin() + static_cast<std::ptrdiff_t>((y + 1) * row),
                         pixels_.begin() + static_cast<std::ptrdiff_t>((fb_h_ - 1 - y) * row));
      for (std::size_t i = 3; i < pixels_.size(); i += 4) pixels_[i] = 255;
      captured(fb_w_, fb_h_, pixels_);
    }
    glfwSwapBuffers(window_);
    if (finish_frames_) glFinish();
    frame_ms_.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  stop();
  return exit_code_;
}

void write_png(const std::filesystem::path& file, int width, int height,
               const std::vector<unsigned char>& rgba) {
  geo::write_atomic(file, [&](const std::filesystem::path& tmp) {
    if (!stbi_write_png(tmp.c_str(), width, height, 4, rgba.data(), width * 4))
      throw geo::DataError(geo::where(file) + "cannot write the PNG");
  });
}

void write_shot_and_text(const std::filesystem::path& screenshot, int width, int height,
                         const std::vector<unsigned char>& rgba,
                         const std::filesystem::path& dump_text,
                         const std::vector<std::string>& texts) {
  if (!screenshot.empty() && !rgba.empty()) write_png(screenshot, width, height, rgba);
  if (!dump_text.empty()) {
    std::string all;
    for (const auto& s : texts) all += s + "\n";
    geo::write_file_atomic(dump_text, all);
  }
}

}  // namespace lotwright::viewer
