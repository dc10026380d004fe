#!/bin/bash
# Real OSM input for the coverage benchmark: walkable highway lines (with layer/bridge/tunnel), building
# footprints and real POIs as stations, reprojected to a metric CRS, in the shared GPKG format.
#   prep_osm.sh PBF EPSG OUTDIR [AMENITIES]     (AMENITIES: comma list, default post_office)
# Writes OUTDIR/lines.gpkg (roads), OUTDIR/stations.gpkg (sid), OUTDIR/buildings.gpkg (bid, pop).
set -euo pipefail
PBF=$1; EPSG=$2; OUT=$3; AMEN=${4:-post_office}
mkdir -p "$OUT"
W=$(mktemp -d /tmp/covbench_osm.XXXXXX); trap 'rm -rf "$W"' EXIT
# walkable highway values of coverage.md §4.1; foot=no dropped; access=private|no dropped unless foot=yes
WALK="'footway','path','pedestrian','steps','living_street','residential','service','unclassified','tertiary','tertiary_link','secondary','secondary_link','primary','primary_link','track','corridor','cycleway'"
tag() { echo "hstore_get_value(other_tags,'$1')"; }
ogr2ogr -f GPKG "$OUT/lines.gpkg" "$PBF" -t_srs EPSG:$EPSG -nln roads -nlt LINESTRING -dialect SQLite -sql "
  SELECT geometry, osm_id, highway,
         CAST(COALESCE($(tag layer), '0') AS INTEGER) AS layer,
         COALESCE($(tag bridge), 'no') AS bridge, COALESCE($(tag tunnel), 'no') AS tunnel
  FROM lines
  WHERE (highway IN ($WALK) OR ($(tag foot) IN ('yes','designated') AND highway IS NOT NULL))
    AND COALESCE($(tag foot), '') <> 'no'
    AND (COALESCE($(tag access), '') NOT IN ('private','no') OR $(tag foot) IN ('yes','designated'))"
ogr2ogr -f GPKG "$W/b.gpkg" "$PBF" -t_srs EPSG:$EPSG -nln b -nlt MULTIPOLYGON -dialect SQLite -sql "
  SELECT geometry, COALESCE(osm_id, osm_way_id) AS osm_id, $(tag building:levels) AS levels
  FROM multipolygons WHERE building IS NOT NULL"
AMEN_SQL="'$(echo "$AMEN" | sed "s/,/','/g")'"
ogr2ogr -f GPKG "$W/s.gpkg" "$PBF" -t_srs EPSG:$EPSG -nln s -dialect SQLite -sql "
  SELECT geometry, osm_id, name, $(tag amenity) AS amenity FROM points WHERE $(tag amenity) IN ($AMEN_SQL)"
/usr/bin/python3 - "$W" "$OUT" <<'PY'
import sys, geopandas as gpd, pandas as pd
w, out = sys.argv[1], sys.argv[2]
b = gpd.read_file(f'{w}/b.gpkg')
b = b[b.geometry.notna() & ~b.geometry.is_empty].reset_index(drop=True)
levels = pd.to_numeric(b['levels'], errors='coerce').fillna(3).clip(1, 60)
b['bid'] = range(len(b))
b['pop'] = (b.geometry.area * levels / 35.0).round().clip(lower=1).astype(int)   # ~35 m² floor area per resident
b[['bid', 'osm_id', 'pop', 'geometry']].to_file(f'{out}/buildings.gpkg', layer='buildings', driver='GPKG')
s = gpd.read_file(f'{w}/s.gpkg').sort_values('osm_id').reset_index(drop=True)
s['sid'] = range(len(s))
s[['sid', 'osm_id', 'name', 'amenity', 'geometry']].to_file(f'{out}/stations.gpkg', layer='stations', driver='GPKG')
print(f'{len(b)} buildings, {len(s)} stations')
PY
echo "$(ogrinfo -ro -so "$OUT/lines.gpkg" roads | grep 'Feature Count') walkable lines"
