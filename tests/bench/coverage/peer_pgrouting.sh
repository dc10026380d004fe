#!/bin/bash
# pgRouting peer of the coverage benchmark on a private PostgreSQL 15 + PostGIS + pgRouting server.
#   peer_pgrouting.sh start PGTMP        initdb (as a non-root user) + start on 127.0.0.1:$PGPORT, socket in PGTMP
#   peer_pgrouting.sh stop PGTMP         stop the server (fast shutdown)
#   peer_pgrouting.sh signcheck PGTMP INST          verify the pgr_withPointsDD point-id sign convention
#   peer_pgrouting.sh run PGTMP INST BUDGET OUT     load INST/{edges,stations,buildings}.gpkg, time the stages,
#                                                   write OUT/cov_pgr_{node,points,hull}.csv and OUT/pgr.json
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
PGPORT=${PGPORT:-55432}
HERE=$(cd "$(dirname "$0")" && pwd)
cmd=$1; PGTMP=$2

# postgres refuses to run as root: use the invoking user unless root, else 'nobody' (always present).
pg_user() { if [ "$(id -u)" = 0 ]; then echo nobody; else id -un; fi; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
psqlc() { /usr/lib/postgresql/15/bin/psql -X -q -h "$PGTMP" -p "$PGPORT" -U postgres "$@"; }
now() { date +%s.%N; }

case $cmd in
start)
  mkdir -p "$PGTMP"; chmod 755 "$PGTMP"
  [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$PGTMP"
  if [ ! -f "$PGTMP/pg/PG_VERSION" ]; then
    as_pg "$PGBIN/initdb" -D "$PGTMP/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
      || { cat "$PGTMP/initdb.log"; exit 1; }
  fi
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/pg" -l "$PGTMP/server.log" -w -t 60 \
    -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c work_mem=64MB -c max_wal_size=2GB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  "$PGBIN/pg_isready" -h "$PGTMP" -p "$PGPORT" >/dev/null
  echo "postgres started: $(psqlc -At -d postgres -c 'SELECT version()' | cut -c1-40) on 127.0.0.1:$PGPORT, data $PGTMP/pg"
  ;;
stop)
  if [ -f "$PGTMP/pg/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$PGTMP/pg" -m fast -w stop >/dev/null; fi
  ;;
signcheck)
  INST=$3; DB=cov_signcheck
  psqlc -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  psqlc -d $DB -c 'CREATE EXTENSION postgis' -c 'CREATE EXTENSION pgrouting'
  psqlc -d $DB -At <<'SQL'
CREATE TABLE e(id int, source int, target int, cost float, reverse_cost float);
INSERT INTO e VALUES (1, 1, 2, 100, 100), (2, 2, 3, 100, 100);
-- one point with pid 7 at 30 % of edge 1 (30 m from vertex 1, 70 m from vertex 2)
SELECT 'minus_pid', node, agg_cost FROM pgr_withPointsDD('SELECT * FROM e', 'SELECT 7 AS pid, 1 AS edge_id, 0.3::float AS fraction',
  ARRAY[-7]::bigint[], 1000, directed => false, driving_side => 'b', details => false) ORDER BY node;
SELECT 'plus_pid', node, agg_cost FROM pgr_withPointsDD('SELECT * FROM e', 'SELECT 7 AS pid, 1 AS edge_id, 0.3::float AS fraction',
  ARRAY[7]::bigint[], 1000, directed => false, driving_side => 'b', details => false) ORDER BY node;
SQL
  psqlc -d postgres -c "DROP DATABASE $DB"
  ;;
run)
  INST=$3; BUDGET=$4; OUT=$5; DB=cov_$(basename "$INST" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' _)
  mkdir -p "$OUT"
  psqlc -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  psqlc -d $DB -c 'CREATE EXTENSION postgis' -c 'CREATE EXTENSION pgrouting'
  t0=$(now)
  for f in edges stations buildings; do
    ogr2ogr -f PostgreSQL "PG:host=$PGTMP port=$PGPORT user=postgres dbname=$DB" "$INST/$f.gpkg" \
      -nln $f -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=NONE --config PG_USE_COPY YES
  done
  t1=$(now)
  log=$OUT/pgr_session.log
  psqlc -d $DB -v budget="$BUDGET" -f "$HERE/peer_pgrouting.sql" >"$log" 2>&1 || { tail -20 "$log"; exit 1; }
  for w in node points hull; do
    psqlc -d $DB -c "\\copy (SELECT bid, covered::int AS covered FROM cov_$w ORDER BY bid) TO '$OUT/cov_pgr_$w.csv' CSV HEADER"
  done
  # stage times from "\echo STAGE x" markers and "Time: n ms" lines; ogr2ogr load time added to 'load'
  awk -v ogr="$(echo "$t1 - $t0" | bc)" '
    /^STAGE / {st=$2; next}
    /^Time: / {t[st]+=$2/1000.0}
    /^VmHWM:/ {hwm=$2}
    END {printf "{\"peer\":\"pgrouting\",\"ogr2ogr_load_s\":%.3f", ogr;
         for (k in t) if (k!="done") printf ",\"%s\":%.4f", k, t[k];
         printf ",\"backend_peak_kb\":%d}\n", hwm}' "$log" >"$OUT/pgr.json"
  cat "$OUT/pgr.json"
  psqlc -d postgres -c "DROP DATABASE $DB"
  ;;
*) echo "usage: $0 start|stop|signcheck|run ..." >&2; exit 2 ;;
esac
