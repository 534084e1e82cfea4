#!/usr/bin/env bash
# Seed spread of the designer (issue 11): the Isle of Wight, 6 lots ±5%, 25 minutes, and ward
# units, 4 lots ±5%, 30 minutes, each on synth-demand seeds, designed with design seeds 1..N.
# Prints per (units, demand seed): min, max and spread (max/min - 1) of mean travel, and the
# seeds whose plan was infeasible.
# Usage: bench/seed_spread.sh BUILD/cli/lotwright OUTDIR [DEMAND_SEEDS] [DESIGN_SEEDS]
set -euo pipefail
BIN=$(realpath "$1"); OUT=$2; DEMAND=${3:-"1 2 3"}; DESIGN=${4:-"1 2 3 4 5 6 7 8 9 10"}
SRC=$(cd "$(dirname "$0")/.." && pwd)
DATA=${LOTWRIGHT_DATA_DIR:-$SRC/../shared/data}
mkdir -p "$OUT"
sed -e "s|\.\./\.\./shared/data|$DATA|g" "$SRC/examples/isle-of-wight.toml" > "$OUT/iow.toml"
for ds in $DEMAND; do
  [ -f "$OUT/demand-$ds.csv" ] || "$BIN" synth-demand "$OUT/iow.toml" --out "$OUT/demand-$ds.csv" --seed "$ds" >/dev/null
  for kind in postcodes wards; do
    cfg="$OUT/$kind-$ds.toml"
    sed -e "s|^path = \"demand.csv\"|path = \"demand-$ds.csv\"|" "$OUT/iow.toml" > "$cfg"
    if [ $kind = wards ]; then
      printf '\n[units]\npath = "%s"\nid = "WD25CD"\n' "$DATA/isle-of-wight/boundaries/ward_E06000046_bgc.geojson" >> "$cfg"
      sed -i -e 's/^lots = 6/lots = 4/' -e 's/^max_travel_minutes = 25/max_travel_minutes = 30/' "$cfg"
    fi
    vals=()
    bad=""
    for s in $DESIGN; do
      d="$OUT/$kind-$ds-$s"
      "$BIN" design "$cfg" --out "$d" --seed "$s" > "$d.log" 2>&1 || bad="$bad $s"
      vals+=("$(python3 -c "import json;m=json.load(open('$d/metrics.json'));print(m['mean_travel_min'],m['feasible'],m.get('runtime_s'),m.get('lower_bound_min'),m.get('gap_pct'))")")
    done
    printf '%s\n' "${vals[@]}" | python3 -c "
import sys
rows=[l.split() for l in sys.stdin if l.strip()]
v=[float(r[0]) for r in rows if r[1]=='True']
t=[float(r[2]) for r in rows]
lb=rows[0][3]
print('$kind demand $ds: %d/%d feasible, mean travel %.2f-%.2f min, spread %.2f%%, time %.1f-%.1f s, bound %s%s' % (len(v), len(rows), min(v) if v else -1, max(v) if v else -1, (max(v)/min(v)-1)*100 if v else -1, min(t), max(t), lb, ', exit 1:$bad' if '$bad' else ''))"
  done
done
