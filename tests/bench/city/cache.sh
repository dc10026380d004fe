# The synthetic city's cache, shared by the city and locate benchmarks (bash, sourced).
#   city_dir WORK SEED SCALE
# prints WORK/s<SEED>-<SCALE>, which holds city.gpkg and city.json, generating it first (with
# gen.log and gen.time) when it is missing or was made by another generator: its stamp is a hash
# of the generator's files' contents only, so a cache shared by two checkouts is not regenerated
# for their paths.
city_dir() {
  local work=$1 seed=$2 scale=$3
  local gen hash dir
  gen=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  hash=$(cat "$gen/gen_city.py" "$gen/kaifeng_names.csv" | sha256sum | cut -c1-16)
  dir="$work/s$seed-$scale"
  if ! { [ -f "$dir/stamp" ] && [ "$(head -1 "$dir/stamp")" = "$hash" ] && [ -f "$dir/city.gpkg" ]; }; then
    echo "generating scale $scale ..." >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    /usr/bin/time -f "%e %M" -o "$dir/gen.time" /usr/bin/python3 "$gen/gen_city.py" \
      --seed "$seed" --scale "$scale" "$dir" > "$dir/gen.log"
    printf '%s\n' "$hash" > "$dir/stamp"
  fi
  printf '%s\n' "$dir"
}
