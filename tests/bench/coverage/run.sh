#!/bin/bash
# Coverage benchmark driver (issue 6): gridplan vs networkx vs QGIS vs pgRouting, side by side, with an
# exact per-building oracle and a confusion matrix per peer workflow. See RESULTS.md for figures.
#
#   tests/bench/coverage/run.sh [options]
#     --instances "S monaco M"     which inputs (S: 40k nodes/20k buildings/20 stations; M: 250k nodes/
#                                  200k buildings/200 stations; monaco: OSM Monaco 2019, post offices)
#     --peers "gridplan nx pgr qgis"
#     --build DIR                  CMake build dir for tests/bench_coverage and tests/coverage_oracle
#                                  (default build/covbench; configured as Release and built here)
#     --no-build                   use the binaries in --build as they are
#     --work DIR                   data and results (default BUILD/coverage_bench)
#     --reps N                     gridplan repetitions (median), default 3
#     --threads N                  gridplan threads, default 2
#     --peer-timeout S             wall-clock bound per peer run (default 1800 s); a peer over it is reported "timeout"
#     --marginal / --no-marginal   marginal cost per start: gridplan and QGIS run a second time from the
#                                  instance's candidate sites (cand*.gpkg, 300 points on S) instead of the
#                                  stations. Default: on for S only (QGIS ~6.5 s + 25 ms/start extra)
# Needs: /usr/bin/python3 with geopandas + networkx (Debian), qgis_process.bin, PostgreSQL 15 + PostGIS +
# pgRouting binaries (the server is initialised and started here on 127.0.0.1:55432 in a private data
# directory and stopped at the end), GDAL ogr2ogr.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-/work/shared/bench/coverage}
OSM_PBF=${OSM_PBF:-/work/shared/data/osm/monaco-2019-09-30.osm.pbf}
INSTANCES="S monaco"; PEERS="gridplan nx pgr qgis"; BUILD=$ROOT/build/covbench; WORK=""; REPS=3; THREADS=2
PEER_TIMEOUT=1800; NO_BUILD=""; MARGINAL=default
while [ $# -gt 0 ]; do
  case $1 in
    --instances) INSTANCES=$2; shift 2 ;;
    --peers) PEERS=$2; shift 2 ;;
    --build) mkdir -p "$2"; BUILD=$(cd "$2" && pwd); shift 2 ;;
    --no-build) NO_BUILD=1; shift ;;
    --work) WORK=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --peer-timeout) PEER_TIMEOUT=$2; shift 2 ;;
    --marginal) MARGINAL=on; shift ;;
    --no-marginal) MARGINAL=off; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
WORK=${WORK:-$BUILD/coverage_bench}
mkdir -p "$WORK"; WORK=$(cd "$WORK" && pwd)
PY=/usr/bin/python3
BENCH=${BENCH:-$BUILD/tests/bench_coverage}   # env BENCH=/path runs another build of the same program
ORACLE=$BUILD/tests/coverage_oracle
if [ -z "$NO_BUILD" ]; then
  echo "[$(date +%H:%M:%S)] building bench_coverage and coverage_oracle (Release) in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGRIDPLAN_WERROR=OFF >/dev/null
  cmake --build "$BUILD" --target bench_coverage coverage_oracle -j2 >/dev/null
fi
[ -x "$ORACLE" ] || { echo "build coverage_oracle first: cmake --build $BUILD --target coverage_oracle" >&2; exit 1; }
has_peer() { [[ " $PEERS " == *" $1 "* ]]; }
log() { echo "[$(date +%H:%M:%S)] $*"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

PGTMP=""
cleanup() { if [ -n "$PGTMP" ]; then "$HERE/peer_pgrouting.sh" stop "$PGTMP" || true; rm -rf "$PGTMP"; fi; }
trap cleanup EXIT

# ---- inputs ------------------------------------------------------------------------------------------
# Every instance dir gets lines.gpkg (raw road lines for the engine), stations.gpkg (sid), buildings.gpkg
# (bid, pop); budget and label in meta.env.
prepare() {
  local inst=$1 dir=$WORK/$1
  mkdir -p "$dir"
  [ -f "$dir/meta.env" ] && return 0
  case $inst in
    S|M)
      local n nb nc k
      if [ "$inst" = S ]; then n=200; k=20; nb=20000; nc=300; else n=500; k=200; nb=200000; nc=2000; fi
      log "generating $inst: mk_grid.py $n $k; mk_bld.py $n $nb $nc"
      (cd "$dir" && nice $PY "$SHARED_BENCH/mk_grid.py" $n $k && nice $PY "$SHARED_BENCH/mk_bld.py" $n $nb $nc)
      mv "$dir/grid$n.gpkg" "$dir/lines.gpkg"; mv "$dir/st${n}_$k.gpkg" "$dir/stations.gpkg"
      mv "$dir/bld$n.gpkg" "$dir/buildings.gpkg"
      echo "BUDGET_MIN=15 SPEED_KMH=4 LABEL='synthetic $inst (mk_grid $n $k, mk_bld $n $nb $nc)'" >"$dir/meta.env" ;;
    monaco)
      log "converting $OSM_PBF"
      "$HERE/prep_osm.sh" "$OSM_PBF" 32632 "$dir" post_office
      echo "BUDGET_MIN=5 SPEED_KMH=4 LABEL='OSM Monaco 2019-09-30 (walkable ways, 7 post offices as stations, 5 min)'" >"$dir/meta.env" ;;
    *) echo "unknown instance $inst" >&2; exit 2 ;;
  esac
}

# ---- one instance ------------------------------------------------------------------------------------
run_instance() {
  local inst=$1 dir=$WORK/$1
  prepare "$inst"
  # shellcheck disable=SC1091
  . "$dir/meta.env"
  local budget; budget=$(echo "$BUDGET_MIN * $SPEED_KMH * 1000 / 60" | bc -l | sed 's/0*$//; s/\.$//')
  local out=$dir/out; rm -rf "$out"; mkdir -p "$out"
  # candidate sites as the "many starts" set of the marginal-cost measurement
  local many=""
  if [ "$MARGINAL" = on ] || { [ "$MARGINAL" = default ] && [ "$inst" = S ]; }; then
    many=$(ls "$dir"/cand*.gpkg 2>/dev/null | head -1 || true)
  fi

  # gridplan first: it exports the noded graph every other peer and the oracle use
  if has_peer gridplan && [ -x "$BENCH" ]; then
    log "$inst: gridplan ($BENCH, $REPS reps, $THREADS threads)"
    local gopt=(--lines "$dir/lines.gpkg" --stations "$dir/stations.gpkg" --buildings "$dir/buildings.gpkg"
                --minutes "$BUDGET_MIN" --speed-kmh "$SPEED_KMH" --threads "$THREADS")
    if [ "$inst" = M ]; then
      # search + stats with the usual repetitions, polygons once under the peer time bound
      timeout "$PEER_TIMEOUT" "$BENCH" "${gopt[@]}" --reps "$REPS" --no-polygons ${many:+--many-stations "$many"} \
        --export-edges "$dir/edges.gpkg" --points-out "$dir/bld_points.csv" --out "$out/cov_gridplan.csv" \
        | tee "$out/gridplan.json"
      timeout "$PEER_TIMEOUT" "$BENCH" "${gopt[@]}" --reps 1 | tee "$out/gridplan_polygons.json" \
        || log "$inst: gridplan polygons failed or timed out after $PEER_TIMEOUT s"
    else
      timeout "$PEER_TIMEOUT" "$BENCH" "${gopt[@]}" --reps "$REPS" ${many:+--many-stations "$many"} \
        --export-edges "$dir/edges.gpkg" --points-out "$dir/bld_points.csv" --out "$out/cov_gridplan.csv" \
        | tee "$out/gridplan.json"
    fi
    [ "$BENCH" = "$BUILD/tests/bench_coverage" ] || echo "$BENCH" >"$out/gridplan.variant"
  else
    [ -x "$BENCH" ] || log "$inst: bench_coverage not built: noding with the fallback noder (prep.py), no gridplan row"
    if [ ! -f "$dir/edges.gpkg" ]; then
      if [ "$inst" = monaco ]; then nice $PY "$HERE/prep.py" node "$dir/lines.gpkg" "$dir/edges.gpkg"
      else ln -sf lines.gpkg "$dir/edges.gpkg"; fi   # the generator's grid is already noded
    fi
    [ -f "$dir/bld_points.csv" ] || nice $PY "$HERE/prep.py" points "$dir/buildings.gpkg" "$dir/bld_points.csv"
  fi
  local nodes edges nst
  edges=$(ogrinfo -ro -so "$dir/edges.gpkg" edges | sed -n 's/Feature Count: //p')
  nodes=$(ogrinfo -ro -q "$dir/edges.gpkg" -sql "SELECT COUNT(*) AS n FROM (SELECT source AS v FROM edges UNION SELECT target FROM edges)" | sed -n 's/.*n (Integer) = //p')
  nst=$(ogrinfo -ro -so "$dir/stations.gpkg" stations | sed -n 's/Feature Count: //p')
  echo "{\"nodes\":$nodes,\"edges\":$edges,\"stations\":$nst,\"budget_m\":$budget}" >"$out/meta.json"

  log "$inst: oracle"
  "$ORACLE" --edges "$dir/edges.gpkg" --stations "$dir/stations.gpkg" --points "$dir/bld_points.csv" \
    --budget "$budget" --k 3 --station-k 3 --max-snap 300 --slack 60 --station-access 1 --out "$out/oracle.csv" | tee "$out/oracle.log"

  if has_peer nx; then
    log "$inst: networkx"
    local nxopt=""; [ "$inst" = M ] && nxopt="--no-polygons"
    if timeout "$PEER_TIMEOUT" /usr/bin/time -f "%M %U %S" -o "$out/nx.time" nice $PY -W ignore "$HERE/peer_nx.py" \
        "$dir/edges.gpkg" "$dir/stations.gpkg" "$dir/buildings.gpkg" "$budget" "$out/cov_nx.csv" --k 3 $nxopt \
        >"$out/nx.json"; then cat "$out/nx.json"; else log "$inst: networkx failed or timed out"; rm -f "$out/nx.json"; fi
  fi
  if has_peer pgr; then
    if [ -z "$PGTMP" ]; then
      PGTMP=$(mktemp -d /tmp/covbench_pg.XXXXXX)
      "$HERE/peer_pgrouting.sh" start "$PGTMP"
      log "pgRouting sign check (pgr_withPointsDD, one point pid 7 at 30 % of a 100 m edge):"
      "$HERE/peer_pgrouting.sh" signcheck "$PGTMP" "$dir" | tee "$WORK/pgr_signcheck.txt"
    fi
    log "$inst: pgRouting"
    timeout "$PEER_TIMEOUT" nice "$HERE/peer_pgrouting.sh" run "$PGTMP" "$dir" "$budget" "$out" \
      || log "$inst: pgRouting failed or timed out"
  fi
  if has_peer qgis; then
    log "$inst: QGIS"
    timeout "$PEER_TIMEOUT" nice "$HERE/peer_qgis.sh" "$dir" "$budget" "$out" $many || log "$inst: QGIS failed or timed out"
  fi
  { echo; echo "uptime after $inst: $(uptime)"; echo; } >>"$WORK/results.md"
  $PY "$HERE/compare.py" "$out" "$LABEL" | tee -a "$WORK/results.md"
}

RUN_STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
{
  echo "## coverage benchmark run $RUN_STAMP on $(nproc) cores ($(uname -r))"
  echo "uptime at start: $(uptime) (a loaded machine inflates wall-clock times)"
  echo
} >>"$WORK/results.md"
for inst in $INSTANCES; do
  log "$inst: load average $(load)"
  run_instance "$inst"
done
log "results appended to $WORK/results.md (this run below)"
sed -n "/^## coverage benchmark run $RUN_STAMP/,\$p" "$WORK/results.md"
