#!/usr/bin/env bash
# Our design vs `gpmetis -contig` on the graph `lotwright export-graph` writes, both
# measured by `lotwright evaluate` (hours-weighted travel to each lot's hub, balance).
#   bench/compare_metis.sh CONFIG.toml LOTS [TOLERANCE] [OUTDIR]
# Needs gpmetis (Debian metis) and python3. Prints one line per plan and the gain.
set -euo pipefail
config=${1:?config}; lots=${2:?lots}; tol=${3:-0.05}; out=${4:-$(mktemp -d)}
bin=${LOTWRIGHT:-$(dirname "$0")/../build-dev/cli/lotwright}
mkdir -p "$out"
t0=$(date +%s.%N)
"$bin" design "$config" --lots "$lots" --out "$out/ours" > "$out/design.log"
t1=$(date +%s.%N)
"$bin" export-graph "$config" --format metis --out "$out/graph.metis" > /dev/null
ufactor=$(python3 -c "print(max(1, round($tol * 1000)))")
t2=$(date +%s.%N)
gpmetis -contig -ufactor="$ufactor" "$out/graph.metis" "$lots" > "$out/gpmetis.log"
t3=$(date +%s.%N)
# METIS node i is unit i (units sorted by postcode): take the postcodes from our plan
# (every unit is in it) and the lots from the partition file.
python3 - "$out/ours/assignment.csv" "$out/graph.metis.part.$lots" > "$out/metis.csv" <<'PY'
import sys
ids = [l.split(',')[0] for l in open(sys.argv[1]).read().splitlines()[1:] if l]
parts = open(sys.argv[2]).read().split()
if len(ids) != len(parts):
    sys.exit(f"{len(ids)} postcodes in our plan but {len(parts)} METIS nodes")
print("postcode,lot")
for pc, p in zip(ids, parts):
    print(f"{pc},{int(p) + 1}")
PY
"$bin" evaluate "$config" --plan "$out/ours/assignment.csv" --json > "$out/ours.json"
"$bin" evaluate "$config" --plan "$out/metis.csv" --json > "$out/metis.json"
python3 - "$out/ours.json" "$out/metis.json" "$(echo "$t1 - $t0" | bc)" "$(echo "$t3 - $t2" | bc)" <<'PY'
import json, sys
o, m = (json.load(open(f)) for f in sys.argv[1:3])
def row(name, j, secs):
    pieces = max(l["pieces"] for l in j["lots"])
    print(f"{name:6} travel {j['mean_travel_min']:6.2f} min  max dev {j['max_deviation_pct']:5.1f}%  "
          f"within band {j['lots_within_band']}/{len(j['lots'])}  max pieces {pieces}  time {float(secs):.2f} s")
row("ours", o, sys.argv[3])
row("metis", m, sys.argv[4])
gain = 100 * (1 - o["mean_travel_min"] / m["mean_travel_min"])
print(f"hours-weighted travel: ours {gain:.1f}% lower than METIS -contig")
PY
