// The libFuzzer entry point of one target (LOTWRIGHT_FUZZ_TARGET names it; fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)lotwright::fuzz::LOTWRIGHT_FUZZ_TARGET(data, size);  // accepted or refused: both fine
  return 0;
}
