-- pgRouting peer of the coverage benchmark (coverage.md §5.2), run by peer_pgrouting.sh in ONE psql
-- session with \timing on. Variables: :budget (m), :outdir (quoted path prefix for -- "\echo STAGE x" lines let the driver add the "Time:" lines to the stage they belong to.
-- Tables edges/stations/buildings were loaded by ogr2ogr (shared GPKG format, §5.1).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT pg_backend_pid() AS backend_pid \gset
\timing on

\echo STAGE load
CREATE INDEX ON edges USING gist(geom);
CREATE INDEX ON edges (id);
ANALYZE edges; ANALYZE stations; ANALYZE buildings;

\echo STAGE snap
-- every peer uses the same access point per building (GEOS PointOnSurface, as the engine)
CREATE TABLE b_snap AS
SELECT b.bid, b.pop, e.id AS edge_id, e.source, e.target, ST_Length(e.geom) AS len,
       ST_LineLocatePoint(e.geom, b.pt) AS frac, ST_Distance(e.geom, b.pt) AS acc, b.pt
FROM (SELECT bid, pop, ST_PointOnSurface(geom) AS pt FROM buildings) b
CROSS JOIN LATERAL (SELECT id, source, target, geom FROM edges ORDER BY geom <-> b.pt LIMIT 1) e;
CREATE TABLE s_snap AS
SELECT s.sid, e.id AS edge_id, e.source, e.target, ST_LineLocatePoint(e.geom, s.geom) AS frac,
       ST_Distance(e.geom, s.geom) AS acc
FROM stations s
CROSS JOIN LATERAL (SELECT id, source, target, geom FROM edges ORDER BY geom <-> s.geom LIMIT 1) e;

\echo STAGE search_node
-- (a) node-based: each station moved to the nearer end of its edge; frontier edges dropped by design
CREATE TABLE dd AS SELECT * FROM pgr_drivingDistance(
  'SELECT id, source, target, cost, reverse_cost FROM edges',
  ARRAY(SELECT DISTINCT CASE WHEN frac < 0.5 THEN source ELSE target END FROM s_snap),
  :budget, directed => false, equicost => true);

\echo STAGE stats_node
CREATE TABLE cov_node AS
WITH nd AS (SELECT node, min(agg_cost) d FROM dd GROUP BY node)
SELECT b.bid, b.pop, (LEAST(COALESCE(ns.d, 1e9) + b.frac * b.len,
                            COALESCE(nt.d, 1e9) + (1 - b.frac) * b.len) + b.acc) <= :budget AS covered
FROM b_snap b LEFT JOIN nd ns ON ns.node = b.source LEFT JOIN nd nt ON nt.node = b.target;

\echo STAGE search_points
-- (b) partial edges: stations as points on edges (negative start ids, see the sign check)
CREATE TABLE ddp AS SELECT * FROM pgr_withPointsDD(
  'SELECT id, source, target, cost, reverse_cost FROM edges',
  'SELECT sid + 1 AS pid, edge_id, frac AS fraction FROM s_snap',
  ARRAY(SELECT -(sid + 1) FROM s_snap), :budget,
  directed => false, driving_side => 'b', details => false, equicost => false);
-- equicost => false (one row per start and node; the stats take the minimum per node): with
-- equicost => true, pgRouting 3.4.2's withPointsDD returned 27,100 nodes on instance M against
-- 55,891 distinct nodes reached per start (200 stations), i.e. it dropped half the reached network;
-- pgr_drivingDistance with equicost loses nothing (56,550 vs 56,551) and keeps it.

\echo STAGE stats_points
CREATE TABLE cov_points AS
WITH nd AS (SELECT node, min(agg_cost) d FROM ddp WHERE node > 0 GROUP BY node)
SELECT b.bid, b.pop, (LEAST(COALESCE(ns.d, 1e9) + b.frac * b.len,
                            COALESCE(nt.d, 1e9) + (1 - b.frac) * b.len) + b.acc) <= :budget AS covered
FROM b_snap b LEFT JOIN nd ns ON ns.node = b.source LEFT JOIN nd nt ON nt.node = b.target;

\echo STAGE polygons
-- polygons the way pgRouting users make them: concave hull of the reached vertices per start
-- (pgr_alphaShape fails on many inputs, pgRouting#1603; ST_ConcaveHull is the documented successor)
CREATE TABLE v AS SELECT DISTINCT ON (id) id, geom FROM (
  SELECT source AS id, ST_StartPoint(geom) AS geom FROM edges
  UNION ALL SELECT target, ST_EndPoint(geom) FROM edges) s;
CREATE INDEX ON v (id);
CREATE TABLE hull AS
SELECT from_v, ST_ConcaveHull(ST_Collect(v.geom), 0.2) AS geom
FROM (SELECT from_v, node FROM dd) d JOIN v ON v.id = d.node GROUP BY from_v;
CREATE INDEX ON hull USING gist(geom);

\echo STAGE stats_hull
CREATE TABLE cov_hull AS
SELECT b.bid, b.pop, EXISTS (SELECT 1 FROM hull h WHERE ST_Intersects(h.geom, b.pt)) AS covered
FROM b_snap b;

\echo STAGE done
\timing off
SELECT 'COUNTS', (SELECT count(*) FROM dd) AS dd_rows, (SELECT count(*) FROM ddp) AS ddp_rows,
       (SELECT count(*) FROM cov_points WHERE covered) AS cov_points, (SELECT count(*) FROM cov_node WHERE covered) AS cov_node;
\setenv BPID :backend_pid
\! grep VmHWM /proc/$BPID/status
