// Development data: a report data JSON (contract: docs/report.md) assembled from a run's output
// directory (geojson/*.geojson, csv/*.csv), until gridplan writes it itself. Aliases and groups
// come from docs/layers.md.
//   node dev/sample_data.mjs RUN_DIR [--lang en] > data.json
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readLayersDoc, readGeojson, readCsvTable, listOutputs } from '../test/run_outputs.mjs';

const EN_TITLES = {
  streets: 'Streets', communities: 'Communities', grids: 'Grids', grid_boundaries: 'Grid boundaries',
  buildings: 'Buildings', service_circles: 'Service areas', coverage_gaps: 'Coverage gaps',
  facilities: 'Facilities', proposed_sites: 'Proposed sites', coverage_stats: 'Coverage statistics',
  redraw_grids: 'Grid redraw table', redraw_diff: 'Grid changes', ledger: 'Data issues ledger',
};
const ORDER = ['streets', 'communities', 'grids', 'grid_boundaries', 'buildings', 'service_circles',
  'coverage_gaps', 'facilities', 'proposed_sites', 'coverage_stats', 'redraw_grids', 'redraw_diff', 'ledger'];

/** Keeps only the documented fields, in their order (a GeoJSON may carry an extra id). */
function cleanProps(props, fields) {
  const o = {};
  for (const f of fields) o[f.name] = props?.[f.name] ?? null;
  return o;
}

export function assemble(runDir, { lang = 'zh' } = {}) {
  const doc = readLayersDoc();
  const out = listOutputs(runDir);
  const layers = [];
  for (const name of ORDER) {
    const d = doc[name];
    if (!d) continue;
    let features = null;
    if (out.geojson.includes(name)) {
      features = readGeojson(runDir, name).features.map((f) => ({ geometry: f.geometry ?? null, properties: cleanProps(f.properties, d.fields) }));
    } else if (out.csv.includes(name)) {
      features = readCsvTable(runDir, name, doc).map((p) => ({ geometry: null, properties: cleanProps(p, d.fields) }));
    }
    if (!features) continue;
    layers.push({
      name,
      title: { zh: d.zh, en: EN_TITLES[name] ?? name },
      group: d.group,
      geometry: d.geometry,
      fields: d.fields,
      count: features.length,
      omitted: false,
      features,
    });
  }
  const summaryFile = ['report.txt', 'run.log', 'summary.txt'].map((f) => path.join(runDir, f)).find(existsSync);
  return {
    format: 'gridplan-report/1',
    lang,
    title: lang === 'en' ? 'gridplan grid governance' : 'gridplan 网格化管理',
    generated_by: 'gridplan (web/dev sample)',
    command: 'run',
    config: 'data/monaco.json',
    crs: 'EPSG:32632',
    band: layers.some((l) => l.name === 'grids') ? { min: 300, max: 500 } : null,
    attribution: '© OpenStreetMap contributors',
    summary: summaryFile ? readFileSync(summaryFile, 'utf8') : '',
    inputs: [],
    notes: [{ zh: '开发用样例数据：由 web/dev/sample_data.mjs 从运行输出目录拼装。', en: 'Development sample: assembled from a run\'s output directory by web/dev/sample_data.mjs.' }],
    layers,
  };
}

/** The data as it goes into the page: JSON with every "</" written "<\/". */
export function embed(data) {
  return JSON.stringify(data).replace(/<\//g, '<\\/');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const runDir = args.find((a) => !a.startsWith('--'));
  if (!runDir) {
    console.error('usage: node dev/sample_data.mjs RUN_DIR [--lang en]');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(assemble(runDir, { lang: args.includes('--lang') ? args[args.indexOf('--lang') + 1] : 'zh' })));
}
