#!/bin/sh
# bench.city_smoke (ctest, label bench): a tiny synthetic city through `gridplan run`.
#   smoke.sh PYTHON GRIDPLAN WORKDIR
# Fails unless the generator and the run exit 0, the outputs exist and `gridplan inspect` says
# every input layer is conserved (n_in = used + repaired + skipped).
set -eu
py=$1
gp=$2
work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
"$py" "$here/gen_city.py" --seed 1 --scale 0.002 "$work" > "$work/gen.log"
"$gp" run --lang en "$work/city.json" -o "$work/out" --force --threads 2 > "$work/run.log"
for f in gridplan.gpkg gridplan.qgs csv/ledger.csv csv/coverage_stats.csv shp geojson; do
  if [ ! -e "$work/out/$f" ]; then
    echo "missing output: $work/out/$f" >&2
    exit 1
  fi
done
"$gp" inspect --lang en "$work/city.json" > "$work/inspect.log"
# The layer table: from the header line starting with "layer" to the first empty line; the last
# column is "conserved". Seven input layers (with landuse), every one "yes".
awk '/^layer /{t=1; next} t && /^$/{exit} t{n++; if ($NF != "yes") bad++}
     END{ if (n != 7 || bad) { printf "conservation: %d layers, %d not conserved\n", n, bad; exit 1 } }' \
  "$work/inspect.log"
grep -q "^grids per community" "$work/run.log"
grep -q "^status " "$work/run.log"
echo "bench.city_smoke: ok ($(sed -n 2p "$work/gen.log"))"
