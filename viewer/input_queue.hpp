#pragma once
// Input that never drops an event. Dear ImGui 1.86 reads key and mouse-button state once a
// frame (io.KeysDown, io.MouseDown), so a key tapped or a button clicked inside one frame
// (press and release between two polls) is lost, and a fast brush stroke (press, move,
// release) collapses into one position. InputQueue takes GLFW's key, character, mouse-button,
// cursor and scroll callbacks into a queue and replays it into ImGui a frame at a time: a
// frame takes events in order until a second key change, or a button change that would share
// the frame with a key change, a move or the same button's change (take_frame); the rest wait
// for the next frame, which then runs without waiting for new input.
#include <deque>

struct GLFWwindow;

namespace lotwright::viewer {

class InputQueue {
 public:
  enum class Kind { kKey, kChar, kButton, kCursor, kScroll };
  struct Event {
    Kind kind = Kind::kKey;
    int code = 0;  // key, button, character
    int scancode = 0;
    int action = 0;  // GLFW_PRESS / GLFW_RELEASE / GLFW_REPEAT
    int mods = 0;
    double x = 0, y = 0;  // cursor position, scroll offsets
  };

  // Installs the callbacks on window, after ImGui_ImplGlfw_Init (which installed its own):
  // key, char and scroll events are forwarded to ImGui's when replayed; buttons and the
  // cursor are applied to io.MouseDown / io.MousePos by apply_mouse.
  void install(GLFWwindow* window);
  // Before ImGui_ImplGlfw_NewFrame: replays one frame's worth of queued events.
  void replay_frame();
  // After ImGui_ImplGlfw_NewFrame (which reads the live button state): the replayed state.
  void apply_mouse() const;
  bool pending() const { return !queue_.empty(); }
  // For the tests of the rule: push an event as a callback would.
  void push(const Event& e) { queue_.push_back(e); }
  // One frame's events, taken off the front of the queue (the rule above, without ImGui).
  std::deque<Event> take_frame();

 private:
  static void on_key(GLFWwindow* w, int key, int scancode, int action, int mods);
  static void on_char(GLFWwindow* w, unsigned int c);
  static void on_button(GLFWwindow* w, int button, int action, int mods);
  static void on_cursor(GLFWwindow* w, double x, double y);
  static void on_scroll(GLFWwindow* w, double dx, double dy);

  GLFWwindow* window_ = nullptr;
  std::deque<Event> queue_;
  bool down_[5] = {false, false, false, false, false};
  bool have_cursor_ = false;
  double cx_ = 0, cy_ = 0;
};

}  // namespace lotwright::viewer
