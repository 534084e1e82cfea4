#!/usr/bin/env bash
# Development build shared by everyone working in this tree at once: one build folder per
# flavour, guarded by a lock so parallel builds never trample each other.
#   scripts/dev-build.sh [--asan] TARGET...      (no target: everything)
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=dev; extra=()
if [ "${1:-}" = "--asan" ]; then flavour=asan; extra=(-DLOTWRIGHT_SANITIZE=ON); shift; fi
dir=build-$flavour
exec 9>/tmp/lotwright-$flavour.lock
flock 9
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOTWRIGHT_WERROR=ON "${extra[@]}" >/dev/null
fi
nice cmake --build "$dir" -j2 ${@:+--target "$@"}
