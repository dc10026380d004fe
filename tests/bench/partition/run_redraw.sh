#!/bin/bash
# Redraw benchmark of issue 5 (partition.md §3.4 redraw test), from a fresh Release build:
# gridplan redraw (old plan as start, churn weight, 2 % of units locked) against METIS from
# scratch and Scotch remapping (scotch_gpart -ro, -rr 1 and 100) on the same graphs and k.
#   tests/bench/partition/run_redraw.sh          # city1, city2 (../shared generator) + Kaifeng-style city
#   SEED=3 tests/bench/partition/run_redraw.sh
#   BUILD=build/dev DATA=/tmp/pbench/rundata tests/bench/partition/run_redraw.sh  # reuse data
# Needs: cmake, ninja, g++, libmetis-dev, scotch (scotch_gpart), /usr/bin/python3 with numpy+scipy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build/bench-partition}
data=${DATA:-$build/bench_partition_data}
shared=${SHARED:-$root/../shared}
if [[ -z ${SHARED:-} && ! -d $shared && -d $root/../../shared ]]; then
    shared=$root/../../shared  # a git worktree under /work/wt*/<name>
fi
seed=${SEED:-7}
py=/usr/bin/python3
# BUILD=an existing build directory is used as configured; a new one is configured as Release.
if [[ ! -f $build/CMakeCache.txt ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGRIDPLAN_WERROR=OFF >/dev/null
fi
cmake --build "$build" -j2 --target bench_redraw
mkdir -p "$data"
cities=()
gen_city=$shared/bench/partition/gen_city.py
# Existing city files in DATA are reused (not regenerated).
for s in 1 2; do
    if [[ ! -s $data/city$s.json && -f $gen_city ]]; then
        $py "$gen_city" "$s" "$data/city$s.json"
    fi
    [[ -s $data/city$s.json ]] && cities+=("$data/city$s.json")
done
[[ -s $data/kaifeng.json ]] || $py "$here/gen_kaifeng.py" 7 "$data/kaifeng.json"
cities+=("$data/kaifeng.json")
echo "# machine: $(nproc) cores, $(uname -r); $(date -u +%FT%TZ); load: $(uptime | sed 's/.*load average: //')"
"$build/tests/bench_redraw" --seed "$seed" --check "${cities[@]}"
echo "# load after: $(uptime | sed 's/.*load average: //')"
