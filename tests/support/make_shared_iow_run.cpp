// ctest's fixture `iow_run` (tests/CMakeLists.txt): makes the shared Isle of Wight run
// (shared_iow.cpp) before the executables that read it, unless a run by this CLI is there.
#include <exception>
#include <iostream>

#include "support.hpp"

int main() {
  try {
    const auto& run = lotwright::test::shared_iow_run();
    std::cout << "shared IoW run: " << run.out.string() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
