#!/usr/bin/env bash
# The README performance table, measured in one run on this machine:
#   - `lotwright run` end to end (stage times and peak memory as `run` prints them, plus
#     wall time and peak RSS from GNU time) on the bundled sample, the Isle of Wight (real
#     open data in ../shared/data, demand from `lotwright synth-demand`), and synthetic
#     counties of 40,000 and 150,000 postcodes (`lotwright synth-county`), road cache cold;
#   - our designer beside `gpmetis -contig` on the same unit graph and hours
#     (`export-graph --format metis`; the METIS partition becomes a plan CSV scored by
#     `lotwright evaluate`, the same metrics code as ours): time and hours-weighted travel
#     to the lot hub, as ratios.
# Writes bench/results.md (and keeps logs in $WORK).
#
#   bench/run_bench.sh                   # everything (~15-30 min on 2 cores)
#   BENCH_CASES="sample iow" bench/run_bench.sh
# Environment: LOTWRIGHT (binary, default build-dev/cli/lotwright), LOTWRIGHT_DATA_DIR
# (default ../shared/data), BENCH_WORK (scratch, default /tmp/lotwright-bench),
# BENCH_CASES (default "sample iow synth40k synth150k").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LW=$(realpath "${LOTWRIGHT:-build-dev/cli/lotwright}")
DATA=$(realpath "${LOTWRIGHT_DATA_DIR:-../shared/data}")
WORK=${BENCH_WORK:-/tmp/lotwright-bench}
CASES=${BENCH_CASES:-sample iow synth40k synth150k}
OUT=$ROOT/bench/results.md
command -v gpmetis >/dev/null || { echo "gpmetis not found (Debian package metis)" >&2; exit 1; }
[ -x "$LW" ] || { echo "no lotwright binary at $LW (scripts/dev-build.sh lotwright)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time not found (Debian package time)" >&2; exit 1; }
mkdir -p "$WORK"
COMMIT=$(git rev-parse --short HEAD)

# ---- inputs for each case: prints the config path
prepare() {
  local name=$1 dir=$WORK/$1
  rm -rf "$dir"
  case $name in
    sample)
      mkdir -p "$dir"
      cp "$ROOT"/shapefiles/* "$dir"/   # a copy: the road cache must not land in the repo
      echo "$dir/county.toml" ;;
    iow)
      mkdir -p "$dir"
      local d=$DATA/isle-of-wight
      cat >"$dir/county.toml" <<EOF
[area]
name = "Isle of Wight"
boundary = "$d/boundaries/la_E06000046_dissolved_from_lsoa21_bgc.geojson"
[postcodes]
path = "$d/postcodes/postcodes_E06000046_enriched.csv"
id = "postcode"
x = "easting"
y = "northing"
crs = "EPSG:27700"
[demand]
path = "demand.csv"
postcode = "postcode"
hours = "hours_per_week"
customers = "customers"
unmet_hours = "unmet_hours"
[roads]
osm = "$d/osm/isle-of-wight-2015-01-01.osm.pbf"
profile = "car"
[rural]
path = "$d/classification/ruc2011_lsoa11_E06000046.csv"
key = "LSOA11CD"
postcode_key = "lsoa11cd"
class = "RUC11CD"
[population]
path = "$d/classification/census2021_age6_lsoa21_E06000046.csv"
key = "LSOA21CD"
postcode_key = "lsoa21cd"
count = "age_65_plus"
[design]
lots = 6
tolerance = 0.05
max_travel_minutes = 25
seed = 1
EOF
      "$LW" synth-demand "$dir/county.toml" --out "$dir/demand.csv" --seed 1 >"$WORK/$name.synth.log"
      echo "$dir/county.toml" ;;
    synth*)
      local n=${name#synth}  # synth40k -> 40000
      n=$(( ${n%k} * 1000 ))
      "$LW" synth-county --out "$dir" --postcodes "$n" --seed 1 >"$WORK/$name.synth.log"
      echo "$dir/county.toml" ;;
  esac
}

label() {
  case $1 in
    sample) echo "bundled sample (shapefiles/)" ;;
    iow) echo "Isle of Wight (real data)" ;;
    synth*) echo "synthetic, ${1#synth} postcodes" ;;
  esac
}

# "  inputs  0.24 s  peak  77 MB" lines of `run` -> "stage=seconds" words
stage_seconds() { awk '/^  [a-z]+ +[0-9.]+ s +peak/ {printf "%s=%s ", $1, $2}' "$1"; }
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d.get(sys.argv[2]))" "$1" "$2"; }

run_table="| case | postcodes | road nodes | hours/week | lots | inputs | units | roads | travel | design | tender | total (wall) | peak memory |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
metis_table="| case | lots | our designer | gpmetis -contig | time ratio (ours / METIS) | hours-weighted travel, ours | METIS | travel ratio (ours / METIS) | max deviation ours / METIS | pieces ours / METIS |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
iow_total=""

for name in $CASES; do
  echo "== $name" >&2
  cfg=$(prepare "$name")
  dir=$(dirname "$cfg")
  rm -rf "$dir/.lotwright-cache" "$dir/out"
  /usr/bin/time -v -o "$WORK/$name.time" "$LW" run "$cfg" --out "$dir/out" >"$WORK/$name.run.log" 2>"$WORK/$name.run.err" || {
    echo "run failed for $name:" >&2; tail -5 "$WORK/$name.run.err" >&2; continue; }
  declare -A st=()
  for kv in $(stage_seconds "$WORK/$name.run.log"); do st[${kv%%=*}]=${kv#*=}; done
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/$name.time")
  wall_s=$(python3 -c "import sys; p=sys.argv[1].split(':'); print(round(sum(float(x)*60**i for i,x in enumerate(reversed(p))),1))" "$wall")
  rss_mb=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/$name.time")
  units=$(( $(wc -l <"$dir/out/assignment.csv") - 1 ))
  hours=$(field "$dir/out/metrics.json" total_hours)
  lots=$(field "$dir/out/metrics.json" lot_count)
  nodes=$(grep -o 'road graph [0-9]* nodes' "$WORK/$name.run.err" "$WORK/$name.run.log" 2>/dev/null | head -1 | grep -o '[0-9]*' || true)
  [ -z "$nodes" ] && [ -f "$WORK/$name.synth.log" ] && nodes=$(grep -o 'road graph [0-9]* nodes' "$WORK/$name.synth.log" | grep -o '[0-9]*' || true)
  [ "$name" = sample ] && nodes=$(grep -o '[0-9]* road nodes' "$dir/README.md" | grep -o '[0-9]*')
  [ "$name" = iow ] && nodes="(OSM 2015)"
  [ "$name" = iow ] && iow_total=$wall_s
  run_table+="
| $(label "$name") | $units | ${nodes:-} | $(printf %.0f "$hours") | $lots | ${st[inputs]:-} | ${st[units]:-} | ${st[roads]:-} | ${st[travel]:-} | ${st[design]:-} | ${st[tender]:-} | ${wall_s} s | ${rss_mb} MB |"
  eval "wall_$name=$wall_s"

  # ---- METIS beside our designer on the same graph and hours
  "$LW" export-graph "$cfg" --format metis --out "$dir/graph.metis" >"$WORK/$name.export.log" 2>&1
  t0=$(date +%s.%N)
  gpmetis -ptype=kway -contig -ufactor=50 -seed=1 "$dir/graph.metis" "$lots" >"$WORK/$name.gpmetis.log" 2>&1 || {
    echo "gpmetis failed for $name:" >&2; tail -3 "$WORK/$name.gpmetis.log" >&2; }
  t1=$(date +%s.%N)
  metis_s=$(python3 -c "print(round($t1-$t0, 2))")
  if [ -f "$dir/graph.metis.part.$lots" ]; then
    # Partition line i = unit i in postcode order (docs/graph-export.md) = assignment.csv order.
    python3 - "$dir/out/assignment.csv" "$dir/graph.metis.part.$lots" "$dir/metis_plan.csv" <<'EOF'
import sys
ids = [l.split(',')[0] for l in open(sys.argv[1]).read().splitlines()[1:]]
parts = open(sys.argv[2]).read().split()
assert len(ids) == len(parts), (len(ids), len(parts))
with open(sys.argv[3], 'w') as f:
    f.write('postcode,lot\n')
    for i, p in sorted(zip(ids, parts)):
        f.write(f'{i},{int(p) + 1}\n')
EOF
    "$LW" evaluate "$cfg" --plan "$dir/metis_plan.csv" --json >"$dir/metis_metrics.json" 2>"$WORK/$name.evaluate.err" || true
    ours_t=${st[design]:-0}
    ours_travel=$(printf %.2f "$(field "$dir/out/metrics.json" mean_travel_min)")
    metis_travel=$(printf %.2f "$(field "$dir/metis_metrics.json" mean_travel_min)")
    ours_dev=$(printf %.2f "$(field "$dir/out/metrics.json" max_deviation_pct)")
    metis_dev=$(printf %.2f "$(field "$dir/metis_metrics.json" max_deviation_pct)")
    pieces() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(l.get('pieces',1) for l in d['lots']))" "$1"; }
    ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b>0 else 'n/a')" "$1" "$2"; }
    metis_table+="
| $(label "$name") | $lots | ${ours_t} s | ${metis_s} s | $(ratio "$ours_t" "$metis_s") | ${ours_travel} min | ${metis_travel} min | $(ratio "$ours_travel" "$metis_travel") | ${ours_dev}% / ${metis_dev}% | $(pieces "$dir/out/metrics.json") / $(pieces "$dir/metis_metrics.json") |"
  fi
done

scaling=""
if [ -n "$iow_total" ]; then
  for name in $CASES; do
    case $name in synth*)
      v=$(eval echo "\${wall_$name:-}")
      [ -n "$v" ] && scaling+="- $(label "$name"): $(python3 -c "print(f'{$v/$iow_total:.1f}')")× the Isle of Wight's wall time
" ;;
    esac
  done
fi

cat >"$OUT" <<EOF
# Performance

Made by \`bench/run_bench.sh\` on $(date -u +%Y-%m-%d) at commit $COMMIT:
$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),
$(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM. \`lotwright run\` end to end with a cold road
cache; stage seconds as \`run\` prints them, wall time and peak memory (max RSS) from GNU
time. The synthetic counties come from \`lotwright synth-county --postcodes N --seed 1\`;
the Isle of Wight demand from \`lotwright synth-demand --seed 1\`.

$run_table

Scaling (target: 40,000 postcodes within 16× the Isle of Wight):
${scaling:-- (needs the iow case)}

## Our designer beside METIS

Same road-aware unit graph and hours (\`lotwright export-graph --format metis\`, vertex
weight = hours × 10), same number of lots; \`gpmetis -ptype=kway -contig -ufactor=50
-seed=1\` (±5% like our tolerance); its partition scored by \`lotwright evaluate\`.
Hours-weighted travel is the mean road time from each unit to its lot's hub, weighted by
hours. METIS knows nothing of travel time or the travel limit; our designer's time is the
\`design\` stage of \`run\` (including writing the plan), METIS's is the wall time of
\`gpmetis\` (including reading the graph file).

$metis_table
EOF
echo "wrote $OUT" >&2
