#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz for a bounded time each, one at a time on one core
# (nice 10), seeded from the test fixtures; not part of ctest. docs/robustness.md.
#   tests/fuzz/run.sh SECONDS [TARGET...]     TARGET: config read_geojson read_shapefile
#                                             read_gpkg read_osm (default: all, in that order)
# Needs the fuzz build (./build.sh fuzz SECONDS configures and builds it, then calls this):
#   cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
#         -DCMAKE_CXX_COMPILER=clang++ -DGRIDPLAN_FUZZ=ON -DBUILD_TESTING=OFF -DGRIDPLAN_BENCH=OFF
# The corpus grows across runs in build/fuzz/fuzz-corpus/TARGET; findings (crash-*, leak-*,
# timeout-*, oom-*) land in build/fuzz/fuzz-findings/TARGET; one summary line per target:
#   TARGET  executions  seconds  corpus files  findings
# Exit status 1 when any target has a finding.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${1:?usage: tests/fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
((${#targets[@]})) || targets=(config read_geojson read_shapefile read_gpkg read_osm)
build=${GRIDPLAN_FUZZ_BUILD:-build/fuzz}
marker=$'\n#GRIDPLAN-PART#\n'  # fuzz_support.hpp kPartMarker

# The seeds of each target: the fixtures of that format (small enough to mutate quickly).
seed_config() {
    # regular files only: tests/cli/data/config_dev_zero.json is a link to /dev/zero
    find data tests/cli/data tests/data/real/configs -type f -name '*.json' -size -200k \
        -exec cp {} "$1"/ \;
    # every key of those configurations, as a dictionary entry
    { cat tests/fuzz/json.dict
      grep -ho '"[A-Za-z_0-9]*" *:' "$1"/*.json |
          sed 's/ *:$//; s/"/\\"/g; s/^/"/; s/$/"/' | sort -u; } >"$2"
}
seed_read_geojson() {
    find data tests/cli/data tests/data/real -type f -name '*.geojson' -size -100k -exec cp {} "$1"/ \;
    cp tests/fuzz/json.dict "$2"
}
seed_read_shapefile() {
    local shp base n=0
    for shp in $(find tests/cli/data tests/data/real -type f -name '*.shp'); do
        base=${shp%.shp}
        n=$((n + 1))
        { cat "$shp"
          for ext in shx dbf prj cpg; do
              printf '%s' "$marker"
              [ -f "$base.$ext" ] && cat "$base.$ext"
          done; } >"$1/seed$n-$(basename "$base")"
    done
    : >"$2"
}
seed_read_gpkg() {
    find tests/cli/data tests/data/real -type f -name '*.gpkg' -size -200k -exec cp {} "$1"/ \;
    : >"$2"
}
seed_read_osm() {
    cp tests/fuzz/seeds/small.osm tests/cli/data/*.osm tests/cli/data/*.osm.pbf "$1"/
    cp tests/fuzz/osm.dict "$2"
}

# LeakSanitizer: the third-party suppressions of the sanitizer build.
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1"
export PROJ_NETWORK=OFF
status=0
printf '%-16s %12s %8s %13s %9s\n' target executions seconds "corpus files" findings
for target in "${targets[@]}"; do
    bin=$build/tests/fuzz/fuzz_$target
    [ -x "$bin" ] || { echo "run.sh: $bin is not built (see the header of this script)" >&2; exit 2; }
    seeds=$build/fuzz-seeds/$target corpus=$build/fuzz-corpus/$target
    findings=$build/fuzz-findings/$target log=$build/fuzz-logs/$target.log
    rm -rf "$seeds"
    mkdir -p "$seeds" "$corpus" "$findings" "$(dirname "$log")"
    dict=$build/fuzz-seeds/$target.dict
    "seed_$target" "$seeds" "$dict"
    dict_option=()
    [ -s "$dict" ] && dict_option=(-dict="$dict")
    # -fork=1: one child at a time that is restarted after a crash, a leak, a timeout (30 s for
    # one input) or an out-of-memory (2 GB), so the run lasts SECONDS whatever it finds.
    nice -n 10 "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" "${dict_option[@]}" "$corpus" "$seeds" >"$log" 2>&1 || true
    execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    took=$(grep -o 'time: [0-9]*s' "$log" | tail -1 | grep -o '[0-9]*')
    files=$(find "$corpus" -type f | wc -l)
    found=$(find "$findings" -type f | wc -l)
    printf '%-16s %12s %8s %13s %9s\n' "$target" "${execs:-?}" "${took:-?}" "$files" "$found"
    ((found == 0)) || status=1
done
exit $status
