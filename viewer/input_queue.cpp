#include "input_queue.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <imgui.h>

#include <set>

#include "gl.hpp"

namespace lotwright::viewer {

namespace {
InputQueue* of(GLFWwindow* w) { return static_cast<InputQueue*>(glfwGetWindowUserPointer(w)); }
}  // namespace

void InputQueue::install(GLFWwindow* window) {
  window_ = window;
  glfwSetWindowUserPointer(window, this);
  glfwSetKeyCallback(window, on_key);
  glfwSetCharCallback(window, on_char);
  glfwSetMouseButtonCallback(window, on_button);
  glfwSetCursorPosCallback(window, on_cursor);
  glfwSetScrollCallback(window, on_scroll);
}

void InputQueue::on_key(GLFWwindow* w, int key, int scancode, int action, int mods) {
  of(w)->queue_.push_back({Kind::kKey, key, scancode, action, mods, 0, 0});
}
void InputQueue::on_char(GLFWwindow* w, unsigned int c) {
  of(w)->queue_.push_back({Kind::kChar, static_cast<int>(c), 0, 0, 0, 0, 0});
}
void InputQueue::on_button(GLFWwindow* w, int button, int action, int mods) {
  of(w)->queue_.push_back({Kind::kButton, button, 0, action, mods, 0, 0});
}
void InputQueue::on_cursor(GLFWwindow* w, double x, double y) {
  of(w)->queue_.push_back({Kind::kCursor, 0, 0, 0, 0, x, y});
}
void InputQueue::on_scroll(GLFWwindow* w, double dx, double dy) {
  of(w)->queue_.push_back({Kind::kScroll, 0, 0, 0, 0, dx, dy});
}

std::deque<InputQueue::Event> InputQueue::take_frame() {
  // One key change (press or release) a frame, so ImGui sees each tap and each shortcut
  // with the modifiers as they were when its key went down (Ctrl then Z, not Ctrl released
  // in the same frame). A button change waits for any key change or move before it (in
  // order, and a stroke's last stretch is painted before the release) and a second change of
  // the same button waits (a click inside one frame); a move waits after a button change
  // (the press is seen where it happened).
  std::deque<Event> frame;
  std::set<int> buttons_changed;
  bool key_changed = false, moved = false;
  while (!queue_.empty()) {
    const Event& e = queue_.front();
    if (e.kind == Kind::kKey && e.action != GLFW_REPEAT) {
      if (key_changed || !buttons_changed.empty()) break;
      key_changed = true;
    } else if (e.kind == Kind::kButton) {
      if (moved || key_changed || buttons_changed.count(e.code)) break;
      buttons_changed.insert(e.code);
    } else if (e.kind == Kind::kCursor) {
      if (!buttons_changed.empty()) break;
      moved = true;
    }
    frame.push_back(e);
    queue_.pop_front();
  }
  return frame;
}

void InputQueue::replay_frame() {
  for (const Event& e : take_frame()) {
    switch (e.kind) {
      case Kind::kKey:
        ImGui_ImplGlfw_KeyCallback(window_, e.code, e.scancode, e.action, e.mods);
        break;
      case Kind::kChar:
        ImGui_ImplGlfw_CharCallback(window_, static_cast<unsigned int>(e.code));
        break;
      case Kind::kScroll:
        ImGui_ImplGlfw_ScrollCallback(window_, e.x, e.y);
        break;
      case Kind::kButton:
        if (e.code >= 0 && e.code < 5) down_[e.code] = e.action == GLFW_PRESS;
        break;
      case Kind::kCursor:
        have_cursor_ = true;
        cx_ = e.x;
        cy_ = e.y;
        break;
    }
  }
}

void InputQueue::apply_mouse() const {
  ImGuiIO& io = ImGui::GetIO();
  for (int b = 0; b < 5; ++b) io.MouseDown[b] = down_[b];
  // The backend leaves the position at -FLT_MAX while the pointer is outside the window.
  if (have_cursor_ && io.MousePos.x > -1e30f)
    io.MousePos = ImVec2(static_cast<float>(cx_), static_cast<float>(cy_));
}

}  // namespace lotwright::viewer
