#!/bin/sh
# Codes that join (issue 15 item 2), read back from the written GeoPackage: every comm_code of
# grids, buildings and facilities exists in communities.code, every st_code in streets.code,
# every building and facility grid_code in grids.code; no community or street without a code;
# the coverage_stats rows have a code at every level; every building of a grid is in a building
# group of that grid. Households are whole numbers.
#   codes_join.sh GRIDPLAN CONFIG SCRATCH_DIR
set -eu
gp=$1
cfg=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
"$gp" run "$cfg" -o "$out/run" --formats gpkg > "$out/run.log"
/usr/bin/python3 - "$out/run/gridplan.gpkg" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = lambda sql: db.execute(sql).fetchall()
failures = []
def expect(what, rows):
    if rows:
        failures.append(f"{what}: {len(rows)} rows, e.g. {rows[:3]}")
def count(table):
    return q(f"SELECT count(*) FROM {table}")[0][0]
expect("communities without a code", q("SELECT id FROM communities WHERE code IS NULL OR code = ''"))
expect("streets without a code", q("SELECT id FROM streets WHERE code IS NULL OR code = ''"))
expect("duplicate community codes", q("SELECT code FROM communities GROUP BY code HAVING count(*) > 1"))
for table in ("grids", "buildings", "facilities"):
    expect(f"{table}.comm_code not in communities.code",
           q(f"SELECT comm_code FROM {table} WHERE comm_code IS NOT NULL "
             "AND comm_code NOT IN (SELECT code FROM communities)"))
for table in ("communities", "grids", "buildings"):
    expect(f"{table}.st_code not in streets.code",
           q(f"SELECT st_code FROM {table} WHERE st_code IS NOT NULL "
             "AND st_code NOT IN (SELECT code FROM streets)"))
for table in ("buildings", "facilities"):
    expect(f"{table}.grid_code not in grids.code",
           q(f"SELECT grid_code FROM {table} WHERE grid_code IS NOT NULL "
             "AND grid_code NOT IN (SELECT code FROM grids)"))
expect("buildings in a community without comm_code",
       q("SELECT b.id FROM buildings b WHERE b.grid_code IS NOT NULL AND b.comm_code IS NULL"))
expect("grid whose comm_code is not its buildings'",
       q("SELECT g.code FROM grids g JOIN buildings b ON b.grid_code = g.code "
         "WHERE b.comm_code <> g.comm_code"))
expect("coverage_stats rows without code or name",
       q("SELECT level FROM coverage_stats WHERE code IS NULL OR name IS NULL"))
expect("coverage_stats total rows not 'all'",
       q("SELECT code FROM coverage_stats WHERE level = 'all' AND code <> 'all'"))
for table, col in (("communities", "code"), ("grids", "code"), ("streets", "code")):
    expect(f"coverage_stats {table} codes not in {table}",
           q(f"SELECT code FROM coverage_stats WHERE level = '{table[:-1] if table != 'communities' else 'community'}' "
             f"AND code NOT IN (SELECT {col} FROM {table})"))
# Whole households: stored as integers; a grid's households are the sum of its buildings'.
for table in ("buildings", "grids", "communities", "streets", "coverage_stats"):
    expect(f"{table}.households not integer",
           q(f"SELECT households FROM {table} WHERE typeof(households) NOT IN ('integer', 'null')"))
expect("grid households != sum of its buildings'",
       q("SELECT g.code, g.households, sum(b.households) FROM grids g "
         "JOIN buildings b ON b.grid_code = g.code GROUP BY g.code HAVING g.households <> sum(b.households)"))
expect("community households != sum of its buildings'",
       q("SELECT c.code, c.households, sum(b.households) FROM communities c "
         "JOIN buildings b ON b.comm_code = c.code GROUP BY c.code HAVING c.households <> sum(b.households)"))
# Building groups (issue 21 item 1): every building of a grid has a group of that grid; group
# codes extend their grid code; a group's households are the sum of its buildings'.
expect("buildings with a grid but no group_code",
       q("SELECT id FROM buildings WHERE grid_code IS NOT NULL AND group_code IS NULL"))
expect("buildings.group_code not in building_groups.code",
       q("SELECT group_code FROM buildings WHERE group_code IS NOT NULL "
         "AND group_code NOT IN (SELECT code FROM building_groups)"))
expect("building group of another grid than its buildings'",
       q("SELECT b.id FROM buildings b JOIN building_groups g ON g.code = b.group_code "
         "WHERE g.grid_code <> b.grid_code"))
expect("group code not grid code + 2 digits",
       q("SELECT code FROM building_groups WHERE length(code) <> 17 OR substr(code, 1, 15) <> grid_code "
         "OR grid_code NOT IN (SELECT code FROM grids)"))
expect("group households != sum of its buildings'",
       q("SELECT g.code, g.households, sum(b.households) FROM building_groups g "
         "JOIN buildings b ON b.group_code = g.code GROUP BY g.code HAVING g.households <> sum(b.households)"))
print(f"{count('building_groups')} building groups")
print(f"{count('communities')} communities, {count('streets')} streets, {count('grids')} grids, "
      f"{count('buildings')} buildings, {count('facilities')} facilities, "
      f"{q('SELECT count(*) FROM facilities WHERE comm_code IS NOT NULL')[0][0]} facilities in a community, "
      f"{q('SELECT count(*) FROM facilities WHERE grid_code IS NOT NULL')[0][0]} in a grid")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("every code joins")
PY
