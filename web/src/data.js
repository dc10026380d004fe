// The report's data (the JSON the C++ side fills in): layer access and the per-area figures
// the tables show. Contract: docs/report.md.

const KIND_ORDER = ['service_centre', 'warm_station', 'other'];

/** Reads the data block of the page; null when it has not been filled in. */
export function readData(doc) {
  const el = doc.getElementById('gridplan-data');
  const text = el ? el.textContent.trim() : '';
  if (!text.startsWith('{')) return null;
  return JSON.parse(text);
}

export class Model {
  constructor(data) {
    this.data = data;
    this.layers = new Map((data.layers ?? []).map((l) => [l.name, l]));
  }

  /** The layer object, or null when the run did not write it. */
  layer(name) {
    return this.layers.get(name) ?? null;
  }

  /** The layer's features (empty when absent or omitted). */
  features(name) {
    return this.layer(name)?.features ?? [];
  }

  /** True when the layer has at least one feature in the page. */
  has(name) {
    return this.features(name).length > 0;
  }

  /** Field description {name, type, zh, en}; a plain one when the layer does not list it. */
  field(layerName, fieldName) {
    const f = this.layer(layerName)?.fields?.find((x) => x.name === fieldName);
    return f ?? { name: fieldName, type: 'string', zh: fieldName, en: fieldName };
  }

  /** Distinct values of a property, in first-seen order. */
  distinct(layerName, prop) {
    const seen = new Set();
    for (const f of this.features(layerName)) {
      const v = f.properties?.[prop];
      if (v != null) seen.add(v);
    }
    return [...seen];
  }

  /** Facility kinds present in the coverage layers, in a fixed order. */
  kinds() {
    const s = new Set([
      ...this.distinct('coverage_stats', 'kind'),
      ...this.distinct('service_circles', 'kind'),
      ...this.distinct('coverage_gaps', 'kind'),
    ]);
    return [...s].sort((a, b) => kindIndex(a) - kindIndex(b));
  }

  /** Walking-time thresholds present (sorted). */
  minutes() {
    const s = new Set([
      ...this.distinct('coverage_stats', 'minutes'),
      ...this.distinct('service_circles', 'minutes'),
      ...this.distinct('coverage_gaps', 'minutes'),
    ]);
    return [...s].map(Number).sort((a, b) => a - b);
  }

  /** Walking profiles present (adult first). */
  profiles() {
    const s = new Set([
      ...this.distinct('coverage_stats', 'profile'),
      ...this.distinct('service_circles', 'profile'),
    ]);
    return [...s].sort((a, b) => (a === 'adult' ? -1 : b === 'adult' ? 1 : a.localeCompare(b)));
  }

  /** coverage_stats rows of scenario today, indexed "level|code|kind|profile|minutes". */
  coverageIndex() {
    if (this._cov) return this._cov;
    const idx = new Map();
    for (const f of this.features('coverage_stats')) {
      const p = f.properties;
      if (p.scenario != null && p.scenario !== 'today') continue;
      idx.set(covKey(p.level, p.code, p.kind, p.profile, p.minutes), p);
    }
    this._cov = idx;
    return idx;
  }

  /** The coverage_stats row (scenario today) of one area, kind, profile and threshold. */
  coverage(level, code, kind, profile, minutes) {
    return this.coverageIndex().get(covKey(level, code, kind, profile, minutes)) ?? null;
  }

  /**
   * Rows of the street or community table: one per street/community with its name, code,
   * households and population (from its own layer, or summed from the grids when that layer is
   * absent) and its grids' figures (count, share in band, worst deviation).
   */
  areaRows(level) {
    const layerName = level === 'street' ? 'streets' : 'communities';
    const codeProp = level === 'street' ? 'st_code' : 'comm_code';
    const grids = this.features('grids');
    const byCode = new Map();
    for (const g of grids) {
      const c = g.properties[codeProp];
      if (!byCode.has(c)) byCode.set(c, []);
      byCode.get(c).push(g.properties);
    }
    let rows;
    if (this.has(layerName)) {
      rows = this.features(layerName).map((f, i) => ({ ...f.properties, _layer: layerName, _index: i }));
    } else {
      const nameProp = level === 'street' ? 'st_name' : 'comm_name';
      rows = [...byCode.entries()].map(([code, gs]) => ({
        code,
        name: gs[0][nameProp],
        st_name: gs[0].st_name,
        households: sum(gs, 'households'),
        population: sum(gs, 'population'),
      }));
    }
    for (const r of rows) Object.assign(r, gridFigures(byCode.get(r.code) ?? []));
    return rows;
  }

  /** Figures of all grids together (the tables' totals row). */
  allGridFigures() {
    return gridFigures(this.features('grids').map((g) => g.properties));
  }
}

function kindIndex(k) {
  const i = KIND_ORDER.indexOf(k);
  return i < 0 ? KIND_ORDER.length : i;
}

function covKey(level, code, kind, profile, minutes) {
  return `${level}|${code}|${kind}|${profile}|${Number(minutes)}`;
}

export function sum(rows, prop) {
  let s = 0;
  for (const r of rows) s += Number(r[prop] ?? 0);
  return s;
}

/**
 * Grid count, share of banded grids in the band (dedicated grids have no band and are left
 * out of the share), and the deviation furthest from the target (signed, %).
 */
function gridFigures(gs) {
  const banded = gs.filter((g) => g.status !== 'dedicated' && Number(g.dedicated ?? 0) !== 1);
  const inBand = banded.filter((g) => Number(g.in_band) === 1).length;
  let worst = null;
  for (const g of banded) {
    if (g.deviation == null) continue;
    if (worst == null || Math.abs(g.deviation) > Math.abs(worst)) worst = g.deviation;
  }
  return {
    n_grids_page: gs.length,
    band_share: banded.length ? (100 * inBand) / banded.length : null,
    worst_dev: worst,
  };
}
