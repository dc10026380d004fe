// Small geometry helpers on GeoJSON (WGS 84 lon/lat): bounds and a point inside a polygon.

/** Calls fn(x, y) for every coordinate of a GeoJSON geometry. */
function eachCoord(geom, fn) {
  if (!geom) return;
  const walk = (c) => {
    if (typeof c[0] === 'number') fn(c[0], c[1]);
    else for (const x of c) walk(x);
  };
  if (geom.type === 'GeometryCollection') geom.geometries.forEach((g) => eachCoord(g, fn));
  else walk(geom.coordinates);
}

/** [minX, minY, maxX, maxY] of a list of geometries, or null when there is no coordinate. */
export function bounds(geoms) {
  let b = null;
  for (const g of geoms) {
    eachCoord(g, (x, y) => {
      if (!b) b = [x, y, x, y];
      else {
        if (x < b[0]) b[0] = x;
        if (y < b[1]) b[1] = y;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
    });
  }
  return b;
}

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return a / 2;
}

/** The polygons (arrays of rings) of a Polygon or MultiPolygon. */
function polygons(geom) {
  if (!geom) return [];
  if (geom.type === 'Polygon') return [geom.coordinates];
  if (geom.type === 'MultiPolygon') return geom.coordinates;
  return [];
}

/**
 * A point inside a polygon, for labels, popups and search: on the horizontal line through the
 * middle of the largest part's bounds, the middle of the widest stretch inside it (holes
 * respected). For a point or line geometry, its first coordinate.
 */
export function interiorPoint(geom) {
  if (!geom) return null;
  if (geom.type === 'Point') return geom.coordinates;
  if (geom.type === 'MultiPoint' || geom.type === 'LineString') return geom.coordinates[0];
  if (geom.type === 'MultiLineString') {
    const l = geom.coordinates[0];
    return l[Math.floor(l.length / 2)];
  }
  const polys = polygons(geom);
  if (!polys.length) return null;
  let best = polys[0];
  let bestArea = -1;
  for (const p of polys) {
    const a = Math.abs(ringArea(p[0]));
    if (a > bestArea) {
      bestArea = a;
      best = p;
    }
  }
  const [, minY, , maxY] = bounds([{ type: 'Polygon', coordinates: best }]);
  const y = (minY + maxY) / 2;
  const xs = [];
  for (const ring of best) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[j];
      const [x2, y2] = ring[i];
      if ((y1 > y) !== (y2 > y)) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  xs.sort((a, b) => a - b);
  let px = null;
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > width) {
      width = xs[i + 1] - xs[i];
      px = (xs[i] + xs[i + 1]) / 2;
    }
  }
  return px == null ? best[0][0] : [px, y];
}
