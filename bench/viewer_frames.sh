#!/usr/bin/env bash
# Frame times of lotwright-viewer on a designed plan of ~50,000 postcode units, under Xvfb
# with Mesa's software OpenGL (llvmpipe): a synthetic county (synth-county), designed by the
# CLI, then N frames of scripted zooming while a brush paints across the county
# (--frames N --stats). Prints load time, triangle count and frame/update times.
#   bench/viewer_frames.sh [POSTCODES] [FRAMES]      (defaults 50000, 120)
# BUILD=build-dev by default. The design step takes a few minutes at 50,000 postcodes;
# PLAN=path/plan.gpkg skips it (reuse a plan), KEEP=DIR keeps the county and plan there.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build-dev}
postcodes=${1:-50000}
frames=${2:-120}
if [ -n "${KEEP:-}" ]; then
  work=$KEEP; mkdir -p "$work"
else
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fi
plan=${PLAN:-}
if [ -z "$plan" ]; then
  "$build/cli/lotwright" synth-county --out "$work/county" --postcodes "$postcodes" --seed 1 >/dev/null
  # A travel limit the synthetic county's rural fringe can always meet: this is about drawing.
  sed -i 's/^max_travel_minutes = .*/max_travel_minutes = 120/' "$work/county/county.toml"
  start=$(date +%s)
  "$build/cli/lotwright" design "$work/county/county.toml" --out "$work/out" >/dev/null 2>&1
  echo "designed $postcodes postcodes in $(( $(date +%s) - start )) s"
  plan=$work/out/plan.gpkg
fi
xvfb-run -a -s "-screen 0 1600x1000x24" "$build/viewer/lotwright-viewer" "$plan" \
  --frames "$frames" --stats --screenshot "${SCREENSHOT:-$work/frame.png}"
