#include "lotwright/core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace lotwright::geo {

bool Progress::enabled() { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label) : label_(std::move(label)) {}

Progress::~Progress() {
  if (enabled() && last_ >= 0) std::fprintf(stderr, "\r%s: done%20s\n", label_.c_str(), "");
}

void Progress::update(double fraction) {
  if (!enabled()) return;
  const int pct = static_cast<int>(fraction * 100);
  if (pct == last_) return;
  last_ = pct;
  std::fprintf(stderr, "\r%s: %3d%%", label_.c_str(), pct);
  std::fflush(stderr);
}

}  // namespace lotwright::geo
