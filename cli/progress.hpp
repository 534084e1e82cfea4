#pragma once
// The progress line on a terminal (osmium-tool style): one line on stderr, redrawn in place
// as the library reports its stages (core/progress.hpp) and once a second with the time
// spent, only when stderr is a terminal; silent when piped, redirected or under CI.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "lotwright/core/progress.hpp"

namespace lotwright::cli {

// True when stderr is a terminal (isatty) and TERM is not "dumb".
bool stderr_is_terminal();

class TerminalProgress {
 public:
  TerminalProgress() : TerminalProgress(stderr_is_terminal()) {}
  explicit TerminalProgress(bool enabled);
  ~TerminalProgress();  // clears the line
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  // The sink to hand to the library; empty (no reporting at all) when disabled.
  geo::ProgressSink sink();
  // Erases the line until the next event: call before printing results.
  void clear();

 private:
  void on_event(const geo::ProgressEvent& e);
  void draw_locked();
  void tick();

  bool enabled_;
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool shown_ = false;
  geo::ProgressEvent event_;
  std::chrono::steady_clock::time_point stage_start_;
  std::thread ticker_;
};

}  // namespace lotwright::cli
