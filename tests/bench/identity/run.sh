#!/bin/bash
# Result fingerprints for behaviour-preserving changes (refactoring, speed-ups): every number of the
# coverage results (bench_coverage --dump, polygons included), the partition and redraw assignment
# hashes, and the bytes of every file `gridplan run` writes on the embedded sample and the real test
# extracts. Run it on the old and the new build and diff the two outputs: they must be identical.
#   tests/bench/identity/run.sh BUILD_DIR [WORK_DIR] > fingerprints.txt
# BUILD_DIR must hold cli/gridplan, tests/bench_coverage, tests/bench_partition, tests/bench_redraw.
# Inputs are generated once into WORK_DIR/data (default /tmp/gridplan-identity) and reused.
# Needs /usr/bin/python3 with numpy, scipy and geopandas, GDAL's ogr2ogr (Debian packages).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR [WORK_DIR]}" && pwd)
work=${2:-/tmp/gridplan-identity}
shared=${SHARED:-$root/../shared}
[[ -d $shared ]] || shared=$root/../../shared   # a worktree under /work/wt/<name>
py=/usr/bin/python3
data=$work/data
run=$work/run-$$
mkdir -p "$data" "$run"
trap 'rm -rf "$run"' EXIT

# ---- inputs (generated once) -------------------------------------------------------------------
if [[ ! -f $data/S/meta ]]; then
    mkdir -p "$data/S"
    (cd "$data/S" && $py "$shared/bench/coverage/mk_grid.py" 200 20 >/dev/null &&
        $py "$shared/bench/coverage/mk_bld.py" 200 20000 300 >/dev/null)
    touch "$data/S/meta"
fi
if [[ ! -f $data/monaco/meta ]]; then
    "$root/tests/bench/coverage/prep_osm.sh" "$shared/data/osm/monaco-2019-09-30.osm.pbf" 32632 \
        "$data/monaco" post_office >/dev/null 2>&1
    touch "$data/monaco/meta"
fi
for s in 1 2; do
    [[ -s $data/city$s.json ]] || $py "$shared/bench/partition/gen_city.py" "$s" "$data/city$s.json" >/dev/null
done

# ---- coverage: every number of the result --------------------------------------------------------
cov() {  # name dir lines stations buildings minutes
    local name=$1 dir=$2
    "$build/tests/bench_coverage" --lines "$dir/$3" --stations "$dir/$4" --buildings "$dir/$5" \
        --minutes "$6" --speed-kmh 4 --threads 2 --reps 1 --dump "$run/$name.dump" >/dev/null
    echo "coverage-dump $name $(md5sum < "$run/$name.dump" | cut -c1-32)"
}
cov S "$data/S" grid200.gpkg st200_20.gpkg bld200.gpkg 15
cov monaco "$data/monaco" lines.gpkg stations.gpkg buildings.gpkg 5

# ---- partition and redraw: assignment hashes -----------------------------------------------------
cities=("$data/city1.json" "$data/city2.json")
"$build/tests/bench_partition" --methods gridplan --runs 1 --threads 2 "${cities[@]}" |
    grep -o 'gridplan ([0-9]* thread[s]*): .*assignment hash [0-9a-f]*' | sed 's/wall [^;]*;//; s/wall .* s, CPU .* s;//' |
    sed 's/^/partition /'
"$build/tests/bench_redraw" --seed 7 "${cities[@]}" | grep 'redraw assignment hash' | sed 's/^/redraw /'

# ---- gridplan run: bytes of every file written ---------------------------------------------------
gp_run() {  # name config [command]
    local out=$run/out-$1
    "$build/cli/gridplan" "${3:-run}" "$2" --output "$out" --threads 2 >"$run/$1.stdout" 2>"$run/$1.stderr" || {
        echo "gridplan run $1 failed:" >&2; cat "$run/$1.stderr" >&2; return 1; }
    # the report without the output folder, the checkout's path and the solver's wall time
    echo "run-stdout $1 $(sed "s|$out|OUT|g; s|$root|ROOT|g; s/; [0-9.]* s$/; T s/" "$run/$1.stdout" | md5sum | cut -c1-32)"
    (cd "$out" && find . -type f | LC_ALL=C sort | xargs md5sum | sed "s|^\([0-9a-f]*\)  \./|run-file $1 \1 |")
}
gp_run sample "$root/data/monaco.json"
gp_run bupt "$root/tests/data/real/configs/bupt.json"
gp_run sample-redraw "$root/data/monaco_redraw.json" redraw
