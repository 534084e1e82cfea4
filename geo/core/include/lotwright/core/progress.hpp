#pragma once
// Progress lines on stderr, shown only when stderr is a terminal.
#include <string>

namespace lotwright::geo {

class Progress {
 public:
  explicit Progress(std::string label);
  ~Progress();
  void update(double fraction);
  static bool enabled();

 private:
  std::string label_;
  int last_ = -1;
};

}  // namespace lotwright::geo
