#!/usr/bin/env bash
# How time and memory grow with county size: synthetic counties of N postcodes
# (`lotwright synth-county --postcodes N --seed 1`), `lotwright run` on each with a cold
# road cache; per-stage seconds as `run` prints them, and seconds per 1,000 postcodes so a
# stage that grows faster than linearly stands out. Writes bench/scale/results.md.
#   bench/scale/scale.sh                      # N = 5000 10000 20000 40000
#   SCALE_SIZES="5000 40000 150000" bench/scale/scale.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
LW=$(realpath "${LOTWRIGHT:-build-dev/cli/lotwright}")
WORK=${BENCH_WORK:-/tmp/lotwright-scale}
SIZES=${SCALE_SIZES:-5000 10000 20000 40000}
OUT=bench/scale/results.md
mkdir -p "$WORK"
stages="inputs units roads travel design tender"
table="| postcodes | road nodes | lots | $(for s in $stages; do printf '%s | ' "$s"; done)wall | s per 1,000 postcodes | peak memory |
| ---: | ---: | ---: | $(for s in $stages; do printf -- '---: | '; done)---: | ---: | ---: |"
for n in $SIZES; do
  echo "== $n" >&2
  dir=$WORK/n$n
  "$LW" synth-county --out "$dir" --postcodes "$n" --seed 1 >"$WORK/n$n.synth.log"
  nodes=$(grep -o 'road graph [0-9]* nodes' "$WORK/n$n.synth.log" | grep -o '[0-9]*')
  rm -rf "$dir/.lotwright-cache" "$WORK/out$n"
  /usr/bin/time -v -o "$WORK/n$n.time" "$LW" run "$dir/county.toml" --out "$WORK/out$n" \
    >"$WORK/n$n.run.log" 2>"$WORK/n$n.run.err" || { echo "run failed at $n" >&2; continue; }
  row="| $n | $nodes | $(grep -m1 '^lots' "$dir/county.toml" | grep -o '[0-9]*') | "
  for s in $stages; do
    row+="$(awk -v s="$s" '$1 == s && $3 == "s" {print $2}' "$WORK/n$n.run.log") | "
  done
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/n$n.time")
  wall_s=$(python3 -c "import sys; p=sys.argv[1].split(':'); print(round(sum(float(x)*60**i for i,x in enumerate(reversed(p))),1))" "$wall")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/n$n.time")
  table+="
${row}${wall_s} s | $(python3 -c "print(f'{$wall_s / $n * 1000:.2f}')") | ${rss} MB |"
done
cat >"$OUT" <<EOF2
# Scaling with county size

\`bench/scale/scale.sh\` on $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(nproc) cores.
Synthetic counties (\`lotwright synth-county --postcodes N --seed 1\`), \`lotwright run\`
end to end, cold road cache. Stage columns in seconds.

$table
EOF2
echo "wrote $OUT" >&2
