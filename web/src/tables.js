// The tables under the map: streets and communities, the biggest gaps, the proposed sites, the
// ledger summary and the run's parameters. Every totals cell carries data-total="<field>".
import { t, pick, valueLabel } from './i18n.js';
import * as fmt from './format.js';
import { sum } from './data.js';

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('data-') || k === 'colspan' || k === 'rowspan') e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

/** A one-line note in place of a section whose layer the run did not write. */
export function note(text) {
  return el('p', { className: 'absent', textContent: text });
}

/**
 * A table. columns: [{key, label, group?, num?, get(row) → text, total?: text}]; the header
 * has a second row when some columns have a group. onRow(row) makes rows clickable.
 */
function table(name, columns, rows, { total = null, onRow = null } = {}) {
  const tbl = el('table', { className: 'data', 'data-table': name });
  const thead = el('thead');
  const grouped = columns.some((c) => c.group);
  const r1 = el('tr');
  const r2 = el('tr');
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    if (!grouped || !c.group) {
      r1.appendChild(el('th', { textContent: c.label, className: c.num ? 'num' : '', ...(grouped ? { rowspan: 2 } : {}) }));
      continue;
    }
    if (i === 0 || columns[i - 1].group !== c.group) {
      let span = 0;
      while (i + span < columns.length && columns[i + span].group === c.group) span++;
      r1.appendChild(el('th', { textContent: c.group, colspan: span, className: 'group' }));
    }
    r2.appendChild(el('th', { textContent: c.label, className: 'num' }));
  }
  thead.appendChild(r1);
  if (grouped) thead.appendChild(r2);
  tbl.appendChild(thead);
  const tbody = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    for (const c of columns) tr.appendChild(el('td', { textContent: c.get(row), className: c.num ? 'num' : '' }));
    if (onRow) {
      tr.classList.add('link');
      tr.addEventListener('click', () => onRow(row));
    }
    tbody.appendChild(tr);
  }
  tbl.appendChild(tbody);
  if (total) {
    const tfoot = el('tfoot');
    const tr = el('tr');
    columns.forEach((c, i) => {
      if (i === 0) tr.appendChild(el('th', { textContent: total.label }));
      else if (c.total == null) tr.appendChild(el('td'));
      else tr.appendChild(el('td', { textContent: c.total, className: c.num ? 'num' : '', 'data-total': c.key }));
    });
    tfoot.appendChild(tr);
    tbl.appendChild(tfoot);
  }
  return el('div', { className: 'table-wrap' }, tbl);
}

/** Coverage columns: residents covered (%) per kind, profile and minutes, and covered twice. */
function coverageColumns(model, level) {
  if (!model.has('coverage_stats')) return [];
  const cols = [];
  const profiles = model.profiles();
  const minutes = model.minutes();
  for (const kind of model.kinds()) {
    const group = `${valueLabel('kind', kind)} · ${t('col_coverage')}`;
    for (const profile of profiles) {
      for (const m of minutes) {
        const label = profiles.length > 1 ? `${valueLabel('profile', profile)} ${m}′` : `${m}′`;
        const key = `pop_pct|${kind}|${profile}|${m}`;
        const allRow = model.coverage('all', 'all', kind, profile, m);
        cols.push({ key, label, group, num: true,
          get: (r) => fmt.pct(model.coverage(level, r.code, kind, profile, m)?.pop_pct),
          total: allRow ? fmt.pct(allRow.pop_pct) : '' });
      }
    }
    const mx = minutes[minutes.length - 1];
    for (const profile of profiles) {
      const label = profiles.length > 1 ? `${t('col_double')} (${valueLabel('profile', profile)})` : t('col_double');
      const allRow = model.coverage('all', 'all', kind, profile, mx);
      cols.push({ key: `double_pct|${kind}|${profile}`, label, group, num: true,
        get: (r) => fmt.pct(model.coverage(level, r.code, kind, profile, mx)?.double_pct),
        total: allRow ? fmt.pct(allRow.double_pct) : '' });
    }
  }
  return cols;
}

/** The streets and communities section. */
export function renderAreas(root, model, rmap) {
  root.replaceChildren(el('h2', { textContent: t('areas_title') }));
  if (!model.has('streets') && !model.has('communities') && !model.has('grids')) {
    root.appendChild(note(t('no_areas')));
    return;
  }
  if (!model.has('grids')) root.appendChild(note(t('no_grids')));
  if (!model.has('coverage_stats')) root.appendChild(note(t('no_coverage')));
  else root.appendChild(el('p', { className: 'caption', textContent: t('coverage_note') }));
  const all = model.allGridFigures();
  for (const level of ['street', 'community']) {
    const rows = model.areaRows(level);
    if (!rows.length) continue;
    const hasGrids = model.has('grids');
    const columns = [
      { key: 'name', label: t('col_name'), get: (r) => r.name ?? '' },
      ...(level === 'community' ? [{ key: 'st_name', label: t('col_street'), get: (r) => r.st_name ?? '' }] : []),
      { key: 'code', label: t('col_code'), get: (r) => r.code ?? '' },
      ...(hasGrids ? [
        { key: 'n_grids', label: t('col_grids'), num: true, get: (r) => fmt.int(r.n_grids_page), total: fmt.int(model.features('grids').length) },
        { key: 'band_share', label: t('col_band_share'), num: true, get: (r) => fmt.pct(r.band_share), total: fmt.pct(all.band_share) },
        { key: 'worst_dev', label: t('col_worst_dev'), num: true, get: (r) => fmt.pct(r.worst_dev), total: fmt.pct(all.worst_dev) },
      ] : []),
      { key: 'households', label: t('col_households'), num: true, get: (r) => fmt.int(r.households), total: fmt.int(sum(rows, 'households')) },
      { key: 'population', label: t('col_population'), num: true, get: (r) => fmt.int(r.population), total: fmt.int(sum(rows, 'population')) },
      ...coverageColumns(model, level),
    ];
    const name = level === 'street' ? 'streets' : 'communities';
    root.appendChild(el('h3', { textContent: t(level === 'street' ? 'streets_table' : 'communities_table') }));
    root.appendChild(table(name, columns, rows, {
      total: { label: t('total_all') },
      onRow: (r) => (r._layer ? rmap.showFeature(r._layer, r._index) : null),
    }));
  }
}

/** The biggest gaps of the kind and minutes chosen on the map. */
export function renderGaps(root, model, rmap, state) {
  root.replaceChildren(el('h2', { textContent: t('gaps_title') }));
  if (!model.layer('coverage_gaps')) {
    root.appendChild(note(t('no_gaps')));
    return;
  }
  const top = 15;
  const gaps = model.features('coverage_gaps')
    .map((f, i) => ({ ...f.properties, _index: i }))
    .filter((g) => g.kind === state.kind && Number(g.minutes) === Number(state.minutes))
    .sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || (a.rank ?? 0) - (b.rank ?? 0));
  if (!gaps.length) {
    root.appendChild(note(t('no_gaps_sel')));
    return;
  }
  root.appendChild(el('p', { className: 'caption', textContent: t('gaps_caption', { kind: valueLabel('kind', state.kind), minutes: state.minutes, n: fmt.int(gaps.length), top: Math.min(top, gaps.length) }) }));
  const f = (n) => model.field('coverage_gaps', n);
  const col = (n, get, total) => ({ key: n, label: pick(f(n)), num: true, get, total });
  const columns = [
    { key: 'rank', label: pick(f('rank')), get: (g) => fmt.int(g.rank) },
    { key: 'kind', label: pick(f('kind')), get: (g) => valueLabel('kind', g.kind) },
    col('minutes', (g) => fmt.int(g.minutes)),
    col('population', (g) => fmt.int(g.population), fmt.int(sum(gaps, 'population'))),
    col('households', (g) => fmt.int(g.households), fmt.int(sum(gaps, 'households'))),
    col('buildings', (g) => fmt.int(g.buildings), fmt.int(sum(gaps, 'buildings'))),
    col('area_m2', (g) => fmt.int(g.area_m2), fmt.int(sum(gaps, 'area_m2'))),
  ];
  root.appendChild(table('coverage_gaps', columns, gaps.slice(0, top), {
    total: { label: t('gaps_total', { n: fmt.int(gaps.length) }) },
    onRow: (g) => rmap.showFeature('coverage_gaps', g._index),
  }));
}

/** The proposed sites' table (the curve is drawn by charts.js above it). */
export function sitesTable(model, rmap) {
  const f = (n) => model.field('proposed_sites', n);
  const sites = model.features('proposed_sites').map((x, i) => ({ ...x.properties, _index: i }))
    .sort((a, b) => a.rank - b.rank);
  const text = (n) => ({ key: n, label: pick(f(n)), get: (s) => s[n] ?? '' });
  const columns = [
    { key: 'rank', label: pick(f('rank')), get: (s) => fmt.int(s.rank) },
    { key: 'name', label: pick(f('name')), get: (s) => s.name ?? s.type ?? s.cand_id ?? '' },
    text('road'),
    text('comm_name'),
    text('grid_code'),
    { key: 'kind', label: pick(f('kind')), get: (s) => valueLabel('kind', s.kind) },
    { key: 'gain', label: pick(f('gain')), num: true, get: (s) => fmt.int(s.gain), total: fmt.int(sum(sites, 'gain')) },
    { key: 'cum_pct', label: pick(f('cum_pct')), num: true, get: (s) => fmt.pct(s.cum_pct), total: sites.length ? fmt.pct(sites[sites.length - 1].cum_pct) : '' },
  ];
  return table('proposed_sites', columns, sites, {
    total: { label: t('total_all') },
    onRow: (s) => rmap.showFeature('proposed_sites', s._index),
  });
}

/** Ledger rows counted by layer, reason and action. */
export function renderLedger(root, model) {
  root.replaceChildren(el('h2', { textContent: t('ledger_title') }));
  const layer = model.layer('ledger');
  if (!layer) {
    root.appendChild(note(t('no_ledger')));
    return;
  }
  const counts = new Map();
  for (const f of model.features('ledger')) {
    const p = f.properties;
    const key = `${p.layer}\u0000${p.reason}\u0000${p.action}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = [...counts.entries()].map(([k, n]) => {
    const [lyr, reason, action] = k.split('\u0000');
    return { layer: lyr, reason, action, n };
  }).sort((a, b) => b.n - a.n || a.layer.localeCompare(b.layer) || a.reason.localeCompare(b.reason));
  const f = (n) => model.field('ledger', n);
  const columns = [
    { key: 'layer', label: pick(f('layer')), get: (r) => r.layer },
    { key: 'reason', label: pick(f('reason')), get: (r) => r.reason },
    { key: 'action', label: pick(f('action')), get: (r) => valueLabel('action', r.action) },
    { key: 'count', label: t('ledger_count'), num: true, get: (r) => fmt.int(r.n), total: fmt.int(layer.omitted ? layer.count : sum(rows, 'n')) },
  ];
  root.appendChild(table('ledger', columns, rows, { total: { label: t('total_all') } }));
}

/** Parameters, inputs, notes, provenance and the printed run report. */
export function renderRun(root, model) {
  const d = model.data;
  root.replaceChildren(el('h2', { textContent: t('run_title') }));
  const dl = el('dl', { className: 'params' });
  const item = (k, v) => {
    if (v == null || v === '') return;
    dl.append(el('dt', { textContent: t(k) }), el('dd', { textContent: String(v) }));
  };
  item('run_generated', d.generated_by);
  item('run_command', d.command ? `gridplan ${d.command}${d.config ? ` ${d.config}` : ''}` : '');
  item('run_config', d.config);
  item('run_crs', d.crs);
  if (d.band) item('run_band', `${fmt.int(d.band.min)}–${fmt.int(d.band.max)} ${t('hh_unit')}`);
  item('run_attribution', d.attribution);
  root.appendChild(dl);
  if (d.inputs?.length) {
    root.appendChild(el('h3', { textContent: t('run_inputs') }));
    const n = (k) => (r) => fmt.int(r[k]);
    const columns = [
      { key: 'role', label: t('in_role'), get: (r) => r.role ?? '' },
      { key: 'path', label: t('in_path'), get: (r) => r.path ?? '' },
      { key: 'layer', label: t('in_layer'), get: (r) => r.layer ?? '' },
      { key: 'n_in', label: t('in_n'), num: true, get: n('n_in') },
      { key: 'used', label: t('in_used'), num: true, get: n('used') },
      { key: 'repaired', label: t('in_repaired'), num: true, get: n('repaired') },
      { key: 'skipped', label: t('in_skipped'), num: true, get: n('skipped') },
    ];
    root.appendChild(table('inputs', columns, d.inputs));
  }
  if (d.notes?.length) {
    root.appendChild(el('h3', { textContent: t('run_notes') }));
    const ul = el('ul', { className: 'notes' });
    for (const nt of d.notes) ul.appendChild(el('li', { textContent: pick(nt) }));
    root.appendChild(ul);
  }
  if (d.summary) {
    root.appendChild(el('h3', { textContent: t('run_summary') }));
    root.appendChild(el('pre', { className: 'summary', textContent: d.summary }));
  }
}
