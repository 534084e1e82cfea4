#!/usr/bin/env bash
# Seed spread of the designer (issue 11): the Isle of Wight, 6 lots ±5%, 25 minutes, and ward
# units, 4 lots ±5%, 30 minutes, each on synth-demand seeds, designed with design seeds 1..N.
# Prints per (units, demand seed): min, max and spread (max/min - 1) of mean travel, and the
# seeds whose plan was infeasible.
# Also prints best and mean, the design seconds (runtime_s) and the CPU seconds (GNU time, user + sys).
# Usage: bench/seed_spread.sh BUILD/cli/lotwright OUTDIR [DEMAND_SEEDS] [DESIGN_SEEDS]
# KINDS (environment) picks the studies: "postcodes wards" (default), and/or "county" (a
# synth-county of COUNTY_POSTCODES postcodes, default 5000, seed COUNTY_SEED, default 3, with
# its own synth-demand seeds, COUNTY_LOTS lots (default 6) ±5%, COUNTY_MINUTES minutes, default 30, the ask
# docs/designer.md measured; COUNTY_MINUTES=60 with lots = 3 is the county's own), and/or
# "rutland" (examples/rutland.toml's own ask, 3 lots ±10%, 30 minutes, on its own
# synth-demand seeds: a county the designer was not tuned on; docs/rutland.md) and
# "rutland6" (the same county and demand with the Isle of Wight's ask: 6 lots ±5%, 25 min).
set -euo pipefail
BIN=$(realpath "$1"); OUT=$2; DEMAND=${3:-"1 2 3"}; DESIGN=${4:-"1 2 3 4 5 6 7 8 9 10"}
KINDS=${KINDS:-"postcodes wards"}
COUNTY_POSTCODES=${COUNTY_POSTCODES:-5000}; COUNTY_SEED=${COUNTY_SEED:-3}
COUNTY_MINUTES=${COUNTY_MINUTES:-30}; COUNTY_LOTS=${COUNTY_LOTS:-6}
SRC=$(cd "$(dirname "$0")/.." && pwd)
DATA=${LOTWRIGHT_DATA_DIR:-$SRC/../shared/data}
mkdir -p "$OUT"
sed -e "s|\.\./\.\./shared/data|$DATA|g" "$SRC/examples/isle-of-wight.toml" > "$OUT/iow.toml"
sed -e "s|\.\./\.\./shared/data|$DATA|g" "$SRC/examples/rutland.toml" > "$OUT/rutland.toml"
COUNTY="$OUT/county-$COUNTY_POSTCODES-$COUNTY_SEED"
case " $KINDS " in *" county "*)
  [ -f "$COUNTY/county.toml" ] ||
    "$BIN" synth-county --out "$COUNTY" --postcodes "$COUNTY_POSTCODES" --seed "$COUNTY_SEED" >/dev/null ;;
esac
for ds in $DEMAND; do
  case " $KINDS " in *" postcodes "* | *" wards "*)
    [ -f "$OUT/demand-$ds.csv" ] || "$BIN" synth-demand "$OUT/iow.toml" --out "$OUT/demand-$ds.csv" --seed "$ds" >/dev/null ;;
  esac
  for kind in $KINDS; do
    cfg="$OUT/$kind-$ds.toml"
    if [ $kind = rutland ] || [ $kind = rutland6 ]; then
      [ -f "$OUT/rutland-demand-$ds.csv" ] ||
        "$BIN" synth-demand "$OUT/rutland.toml" --out "$OUT/rutland-demand-$ds.csv" --seed "$ds" >/dev/null
      sed -e "s|^path = \"rutland-demand.csv\"|path = \"rutland-demand-$ds.csv\"|" "$OUT/rutland.toml" > "$cfg"
      [ $kind = rutland ] || sed -i -e 's/^lots = .*/lots = 6/' -e 's/^tolerance = .*/tolerance = 0.05/' \
        -e 's/^max_travel_minutes = .*/max_travel_minutes = 25/' "$cfg"
    elif [ $kind = county ]; then
      cfg="$COUNTY/county-demand-$ds.toml"
      [ -f "$COUNTY/demand-$ds.csv" ] ||
        "$BIN" synth-demand "$COUNTY/county.toml" --out "$COUNTY/demand-$ds.csv" --seed "$ds" >/dev/null
      sed -e "s|^path = \"demand.csv\"|path = \"demand-$ds.csv\"|" -e "s/^lots = .*/lots = $COUNTY_LOTS/" \
        -e 's/^tolerance = .*/tolerance = 0.05/' -e "s/^max_travel_minutes = .*/max_travel_minutes = $COUNTY_MINUTES/" \
        "$COUNTY/county.toml" > "$cfg"
    else
      sed -e "s|^path = \"demand.csv\"|path = \"demand-$ds.csv\"|" "$OUT/iow.toml" > "$cfg"
    fi
    if [ $kind = wards ]; then
      printf '\n[units]\npath = "%s"\nid = "WD25CD"\n' "$DATA/isle-of-wight/boundaries/ward_E06000046_bgc.geojson" >> "$cfg"
      sed -i -e 's/^lots = 6/lots = 4/' -e 's/^max_travel_minutes = 25/max_travel_minutes = 30/' "$cfg"
    fi
    vals=()
    bad=""
    for s in $DESIGN; do
      d="$OUT/$kind-$ds-$s"
      /usr/bin/time -f "%U %S" -o "$d.cpu" "$BIN" design "$cfg" --out "$d" --seed "$s" > "$d.log" 2>&1 || bad="$bad $s"
      vals+=("$(python3 -c "import json;m=json.load(open('$d/metrics.json'));c=open('$d.cpu').read().split()[-2:];print(m['mean_travel_min'],m['feasible'],m.get('runtime_s'),m.get('lower_bound_min'),m.get('gap_pct'),float(c[0])+float(c[1]))")")
    done
    printf '%s\n' "${vals[@]}" | python3 -c "
import sys
rows=[l.split() for l in sys.stdin if l.strip()]
v=[float(r[0]) for r in rows if r[1]=='True']
t=[float(r[2]) for r in rows]
c=[float(r[5]) for r in rows]
lb=rows[0][3]
print('$kind demand $ds: %d/%d feasible, mean travel best %.3f mean %.3f worst %.3f min, spread %.2f%%, time %.1f-%.1f s (mean %.1f), CPU mean %.1f s, bound %s gap %s%%%s' % (len(v), len(rows), min(v) if v else -1, sum(v)/len(v) if v else -1, max(v) if v else -1, (max(v)/min(v)-1)*100 if v else -1, min(t), max(t), sum(t)/len(t), sum(c)/len(c), lb, rows[0][4], ', exit 1:$bad' if '$bad' else ''))"
  done
done
