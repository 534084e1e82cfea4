#!/usr/bin/env bash
# Runs the whole test suite: installs the Debian packages, builds with AddressSanitizer +
# UndefinedBehaviorSanitizer and -Werror (zero warnings at -Wall -Wextra), runs ctest. The
# benchmarks are not built here (bench/run_bench.sh builds them in Release).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD=${LOTWRIGHT_TEST_BUILD:-build-test}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLOTWRIGHT_SANITIZE=ON -DLOTWRIGHT_WERROR=ON -DLOTWRIGHT_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" --timeout 900
