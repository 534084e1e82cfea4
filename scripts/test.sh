#!/usr/bin/env bash
# Runs the whole test suite: installs the Debian packages, builds with AddressSanitizer +
# UndefinedBehaviorSanitizer and -Werror (zero warnings at -Wall -Wextra), runs ctest. The
# benchmarks are not built here (bench/run_bench.sh builds them in Release).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD=${LOTWRIGHT_TEST_BUILD:-build-test}
# -g1: line tables only (file:line in every sanitizer report, without the cost of full debug
# information); the CLI as one unity translation unit (CLI11 generated once); test sources
# uninstrumented at -O1 (tests/CMakeLists.txt). See docs/DEVELOPING.md "The test suite".
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DLOTWRIGHT_UNITY=ON \
  -DLOTWRIGHT_SANITIZE=ON -DLOTWRIGHT_WERROR=ON -DLOTWRIGHT_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" --timeout 900
