// Reads a gridplan run's output directory the way a person with the files would: GeoJSON
// layers (geojson/*.geojson) and the spreadsheet CSV tables (csv/*.csv: UTF-8 with a BOM,
// headers are the fields' Chinese or English aliases, digit codes written as ="…"). Field names
// and aliases come from the repository's docs/layers.md. Used by the browser test (to check the
// page against the run) and by the dev page (web/dev/).
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const LAYERS_MD = path.resolve(here, '../../docs/layers.md');

const GEOMETRY = { MultiPolygon: 'polygon', MultiLineString: 'line', Point: 'point' };

/**
 * docs/layers.md as {name: {zh, group, geometry, fields: [{name, type, en, zh}]}} in the
 * page's field types (integer, real, string).
 */
export function readLayersDoc(file = LAYERS_MD) {
  const layers = {};
  let cur = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const h = line.match(/^## (\w+)\s*$/);
    if (h) {
      cur = { name: h[1], zh: h[1], group: '', geometry: 'none', fields: [] };
      layers[cur.name] = cur;
      continue;
    }
    if (!cur) continue;
    const m = line.match(/^\*\*(.+?)\*\* · group \*(.+?)\* · geometry (.+)$/);
    if (m) {
      cur.zh = m[1];
      cur.group = m[2];
      const g = m[3].trim();
      cur.geometry = GEOMETRY[g] ?? (g.startsWith('none') ? 'none' : g.toLowerCase());
      continue;
    }
    const row = line.match(/^\| `(\w+)` \| (\w+) \| (.*?) \| (.*?) \| .* \|$/);
    if (row) {
      const type = row[2] === 'text' ? 'string' : row[2];
      cur.fields.push({ name: row[1], type, en: row[3].replace(/`/g, ''), zh: row[4].replace(/`/g, '') });
    }
  }
  return layers;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of strings; BOM dropped. */
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A CSV cell as a value of the field's type: ="…" unwrapped, empty → null. */
function cellValue(text, type) {
  const m = text.match(/^="(.*)"$/);
  const s = m ? m[1] : text;
  if (s === '') return null;
  if (type === 'integer' || type === 'real') {
    const n = Number(s);
    if (Number.isNaN(n)) throw new Error(`not a number: ${JSON.stringify(text)}`);
    return n;
  }
  return s;
}

/**
 * csv/<layer>.csv as objects keyed by field name. The header may be the Chinese or the English
 * aliases (or the plain names); a header cell that matches no field of the layer is an error.
 */
export function readCsvTable(runDir, layer, doc = readLayersDoc()) {
  const file = path.join(runDir, 'csv', `${layer}.csv`);
  const rows = parseCsv(readFileSync(file, 'utf8'));
  const header = rows.shift();
  const fields = doc[layer]?.fields ?? [];
  const cols = header.map((h) => {
    const f = fields.find((x) => x.zh === h || x.en === h || x.name === h);
    if (!f) throw new Error(`${file}: header ${JSON.stringify(h)} is no field of ${layer} in docs/layers.md`);
    return f;
  });
  return rows.filter((r) => r.length > 1 || r[0] !== '').map((r) => {
    const o = {};
    cols.forEach((f, i) => { o[f.name] = cellValue(r[i] ?? '', f.type); });
    return o;
  });
}

/** geojson/<layer>.geojson, or null when the run did not write it. */
export function readGeojson(runDir, layer) {
  const file = path.join(runDir, 'geojson', `${layer}.geojson`);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Names of the layers a run wrote as GeoJSON and as CSV. */
export function listOutputs(runDir) {
  const ls = (d, ext) => (existsSync(path.join(runDir, d))
    ? readdirSync(path.join(runDir, d)).filter((f) => f.endsWith(ext)).map((f) => f.slice(0, -ext.length)) : []);
  return { geojson: ls('geojson', '.geojson'), csv: ls('csv', '.csv') };
}
