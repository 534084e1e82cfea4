#!/usr/bin/env bash
# The main job on the bundled sample county: installs the Debian packages, builds (Release)
# and runs the whole pipeline (inspect -> design -> evaluate -> tender) into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOTWRIGHT_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target lotwright
build/cli/lotwright run shapefiles/county.toml --out out
echo "Plan, metrics and tender pack written to $(pwd)/out"
