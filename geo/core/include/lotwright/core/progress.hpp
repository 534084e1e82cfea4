#pragma once
// Progress of the long stages (design search, road searches, tender pages) for a front end.
// The library calls report_progress() at stage points; the sink is empty (no-op) by default.
// The command line draws the events on a terminal only (cli/progress.hpp); tests and the
// viewer may listen too. A sink is called on the thread that does the work, never from
// parallel loops, and must return quickly.
#include <functional>
#include <string>

namespace lotwright::geo {

struct ProgressEvent {
  std::string stage;  // "design", "roads", "travel", "tender", ...
  std::string step;   // what is under way: "start 2 of 3", "zone map 4 of 12" ("" = stage only)
  long done = 0;      // steps done of total; total 0 when the stage cannot count its steps
  long total = 0;
};

using ProgressSink = std::function<void(const ProgressEvent&)>;

inline void report_progress(const ProgressSink& sink, std::string stage, std::string step = {},
                            long done = 0, long total = 0) {
  if (sink) sink(ProgressEvent{std::move(stage), std::move(step), done, total});
}

}  // namespace lotwright::geo
