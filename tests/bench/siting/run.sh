#!/bin/sh
# The siting benchmark in one command (issue 7): builds bench_siting (Release) and prints the table
# for the 300-candidate instance S and the 2,000-candidate city M (generators and sizes: run.py).
#   tests/bench/siting/run.sh [run.py options, e.g. --instances S --reps 5]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build/siting-rel}   # BUILD=DIR reuses an existing build (its own build type)
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target bench_siting -j2 >/dev/null
echo "uptime before: $(uptime)"
/usr/bin/python3 "$here/run.py" --build "$build" --instances S,M "$@"
echo "uptime after: $(uptime)"
