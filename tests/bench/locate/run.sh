#!/bin/bash
# The locate benchmark (issue 21 item 3): `gridplan locate` on a backlog of events at once.
#
#   tests/bench/locate/run.sh [--build DIR | --gridplan BIN] [--work DIR] [--points 1000000]
#                             [--runs 3] [--threads 2] [--scales "0.25"] [--seed 1]
#
# Cities: the embedded sample (data/monaco.json) and the synthetic city of the city benchmark at
# each scale (generated once into WORK/s<seed>-<scale>/ by tests/bench/city/cache.sh; pass the
# city benchmark's --work to share its cache). For each city, POINTS pseudo-random lon/lat
# points over the box of its communities (points.py, seeded), then `gridplan locate --timings`
# --runs times under /usr/bin/time. Prints, as medians of the runs: the per-stage table (wall s,
# CPU s, peak MB), the whole command's wall, CPU and peak RSS, and the rates in points per
# minute: of the locating itself (stage `locate`: snapping, searches, lookups — the warm-start
# rate), of reading + locating + writing the points, and of the whole command (city included).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
py=/usr/bin/python3

build="$root/build/release"
gridplan=""
work=""
points=1000000
runs=3
threads=2
scales="0.25"
seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --gridplan) gridplan=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --points) points=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --scales) scales=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
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
mkdir -p "$work"
gridplan=$(cd "$(dirname "$gridplan")" && pwd)/$(basename "$gridplan")

# The cities: the sample, then each scale (cached like the city benchmark).
configs=("$root/data/monaco.json")
names=("sample (Monaco)")
. "$root/tests/bench/city/cache.sh"
for s in $scales; do
  configs+=("$(city_dir "$work" "$seed" "$s")/city.json")
  names+=("synthetic city, scale $s")
done

echo "# gridplan locate benchmark"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM; binary $gridplan; --threads $threads, $runs runs each, $points points per city"
echo

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for i in "${!configs[@]}"; do
  config=${configs[$i]}
  tag=$(echo "${names[$i]}" | tr 'A-Z ' 'a-z_' | tr -cd 'a-z0-9._')
  bench="$work/locate-$tag"
  mkdir -p "$bench"
  csv="$bench/points-$points-$seed.csv"
  if [ ! -f "$csv" ]; then
    communities=$("$py" -c 'import json,sys,os; c=json.load(open(sys.argv[1]))["inputs"]["communities"]; print(os.path.join(os.path.dirname(sys.argv[1]), c["path"])); print(c.get("layer",""))' "$config")
    src=$(echo "$communities" | sed -n 1p)
    layer=$(echo "$communities" | sed -n 2p)
    # An OSM sample: the box of its street polygon instead (a file GDAL reads quickly).
    case "$src" in *.pbf|*.osm) src="$root/data/monaco_principality.geojson"; layer="" ;; esac
    "$py" "$here/points.py" "$src" "$layer" "$points" "$seed" "$csv"
  fi
  : > "$bench/stages.tsv"
  : > "$bench/whole.tsv"
  for r in $(seq 1 "$runs"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    rm -rf "$bench/out"
    /usr/bin/time -f "%e %U %S %M" -o "$bench/time" \
      "$gridplan" locate "$config" "$csv" -o "$bench/out" --timings -q --lang en --threads "$threads" \
      > "$bench/log" 2> "$bench/err"
    grep '^timing ' "$bench/err" | awk -v r="$r" '{print r "\t" $2 "\t" $3 "\t" $4 "\t" $5}' >> "$bench/stages.tsv"
    read -r wall user sys rss < "$bench/time"
    printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$load" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$rss" >> "$bench/whole.tsv"
  done
  echo "## ${names[$i]}"
  echo
  echo "load average (1 min) before each run: $(cut -f2 "$bench/whole.tsv" | paste -sd' ')"
  echo
  echo "| stage | wall s | CPU s | peak MB |"
  echo "|---|---|---|---|"
  for stage in $(awk -F'\t' '$1 == 1 {print $2}' "$bench/stages.tsv"); do
    col() { awk -F'\t' -v s="$stage" -v c="$1" '$2 == s {print $c}' "$bench/stages.tsv" | median; }
    printf '| %s | %.2f | %.2f | %.0f |\n' "$stage" "$(col 3)" "$(col 4)" "$(col 5)"
  done
  wall=$(cut -f3 "$bench/whole.tsv" | median)
  cpu=$(cut -f4 "$bench/whole.tsv" | median)
  rss=$(cut -f5 "$bench/whole.tsv" | median)
  printf '| **whole command** | %.2f | %.2f | %.0f |\n' "$wall" "$cpu" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
  stage_sum() { awk -F'\t' -v list="$1" 'BEGIN {n = split(list, w, " "); for (i = 1; i <= n; ++i) want[w[i]] = 1} want[$2] {t[$1] += $3} END {for (r in t) print t[r]}' "$bench/stages.tsv" | median; }
  locate_s=$(stage_sum "locate")
  points_s=$(stage_sum "read_points locate layers write_gpkg write_csv")
  echo
  echo "| rate (points per minute) | value |"
  echo "|---|---|"
  rate() { awk -v n="$points" -v t="$1" 'BEGIN {printf "%.0f", n * 60 / t}'; }
  printf '| locating (stage locate, warm start) | %s |\n' "$(rate "$locate_s")"
  printf '| points read, located and written (read_points … write_csv) | %s |\n' "$(rate "$points_s")"
  printf '| whole command, city loaded from files | %s |\n' "$(rate "$wall")"
  echo
  grep -A11 -E '^(located|定位) ' "$bench/log" | sed 's/^/    /'
  echo
done
