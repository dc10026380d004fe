#!/bin/bash
# The city benchmark (issue 16): gridplan end to end on the synthetic city at several scales.
#
#   tests/bench/city/run.sh [--scales "0.25 0.5 1"] [--build DIR | --gridplan BIN] [--work DIR]
#                           [--threads 2] [--runs 3] [--seed 1] [--commands "inspect ... run"]
#
# Generates each scale once (cached in WORK/s<seed>-<scale>/, regenerated when gen_city.py
# changes), then runs every command --runs times under /usr/bin/time -v and prints markdown
# tables: wall s, CPU s (user + sys) and peak RSS per command and scale (medians of the runs),
# the 1-minute load average before each run, and the scaling exponent log(t2/t1)/log(s2/s1)
# between successive scales. When `gridplan run --help` lists --timings, `run` is timed with
# --timings and a per-stage table follows (format: tests/bench/city/README.md).
# Raw records: WORK/runs.tsv. Outputs of each run: WORK/s<seed>-<scale>/out-<command>/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
py=/usr/bin/python3

scales="0.25 0.5 1"
build="$root/build/release"
gridplan=""
work=""
threads=2
runs=3
seed=1
commands="inspect partition coverage site run"
while [ $# -gt 0 ]; do
  case "$1" in
    --scales) scales=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --gridplan) gridplan=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --commands) commands=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$gridplan" ] || gridplan="$build/cli/gridplan"
[ -n "$work" ] || work="$build/city-bench"
if [ ! -x "$gridplan" ]; then
  echo "run.sh: no gridplan binary at $gridplan (build it, or give --build DIR / --gridplan BIN)" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2
  exit 2
fi
mkdir -p "$work"
gridplan=$(cd "$(dirname "$gridplan")" && pwd)/$(basename "$gridplan")
timings=""
if "$gridplan" run --help 2>/dev/null | grep -q -- --timings; then
  timings="--timings"
fi

echo "# gridplan city benchmark"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, $(uname -r); binary $gridplan ($("$gridplan" --version 2>/dev/null | head -1)); --threads $threads, $runs runs each; seed $seed"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# 1. the cities (cached, cache.sh)
. "$here/cache.sh"
for s in $scales; do
  city_dir "$work" "$seed" "$s" > /dev/null
done
echo "| scale | generator | generation s | GeoPackage MB |"
echo "|---|---|---|---|"
for s in $scales; do
  dir="$work/s$seed-$s"
  printf '| %s | %s | %s | %s |\n' "$s" "$(sed -n 2p "$dir/gen.log")" "$(cut -d' ' -f1 "$dir/gen.time")" \
    "$(stat -c %s "$dir/city.gpkg" | awk '{printf "%.1f", $1 / 1e6}')"
done
echo

# 2. the runs
tsv="$work/runs.tsv"
printf 'scale\tcommand\trun\tstatus\twall_s\tcpu_s\trss_kb\tload1\tlog\n' > "$tsv"
for s in $scales; do
  dir="$work/s$seed-$s"
  for c in $commands; do
    for r in $(seq 1 "$runs"); do
      load=$(cut -d' ' -f1 /proc/loadavg)
      log="$dir/$c-$r.log"
      args=("$c" "$dir/city.json" --threads "$threads")
      [ "$c" = inspect ] || args+=(-o "$dir/out-$c" --force)
      [ "$c" = run ] && [ -n "$timings" ] && args+=("$timings")
      echo "scale $s: gridplan $c (run $r of $runs, load $load) ..." >&2
      status=0
      /usr/bin/time -v -o "$dir/$c-$r.time" "$gridplan" "${args[@]}" > "$log" 2> "$dir/$c-$r.err" || status=$?
      wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); t=0; for(i=1;i<=n;i++) t=t*60+a[i]; print t}' "$dir/$c-$r.time")
      cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$dir/$c-$r.time")
      rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$dir/$c-$r.time")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$c" "$r" "$status" "$wall" "$cpu" "$rss" "$load" "$log" >> "$tsv"
    done
  done
done

# 3. the tables
"$py" "$here/table.py" "$tsv"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
