// The terminal progress line (progress.hpp).
#include "progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lotwright::cli {

bool stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) != 0 && !(term && std::strcmp(term, "dumb") == 0);
}

namespace {

std::size_t terminal_width() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  return 80;
}

}  // namespace

TerminalProgress::TerminalProgress(bool enabled) : enabled_(enabled) {
  if (enabled_) ticker_ = std::thread([this] { tick(); });
}

TerminalProgress::~TerminalProgress() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(m_);
    stop_ = true;
  }
  cv_.notify_all();
  ticker_.join();
  clear();
}

geo::ProgressSink TerminalProgress::sink() {
  if (!enabled_) return {};
  return [this](const geo::ProgressEvent& e) { on_event(e); };
}

void TerminalProgress::clear() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(m_);
  if (shown_) std::fputs("\r\033[K", stderr), std::fflush(stderr);
  shown_ = false;
}

void TerminalProgress::on_event(const geo::ProgressEvent& e) {
  std::lock_guard<std::mutex> lock(m_);
  if (!shown_ || e.stage != event_.stage) stage_start_ = std::chrono::steady_clock::now();
  event_ = e;
  shown_ = true;
  draw_locked();
}

// "[design 12 s] start 2 of 3 (33%)", cut to the terminal's width.
void TerminalProgress::draw_locked() {
  const long secs = static_cast<long>(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_start_).count());
  std::string line = "[" + event_.stage + " " + std::to_string(secs) + " s]";
  if (!event_.step.empty()) line += " " + event_.step;
  if (event_.total > 0) line += " (" + std::to_string(100 * event_.done / event_.total) + "%)";
  const std::size_t width = terminal_width() - 1;
  if (line.size() > width) line = line.substr(0, width - 3) + "...";
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

// Once a second: the time spent in the current stage moves on even between events.
void TerminalProgress::tick() {
  std::unique_lock<std::mutex> lock(m_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::seconds(1));
    if (!stop_ && shown_) draw_locked();
  }
}

}  // namespace lotwright::cli
