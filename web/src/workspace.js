// Entry of the planner's workspace (`gridplan serve`): the city's grids and buildings on a live
// map; select buildings and move them to a grid, split, merge, lock; undo, redo and save. Every
// change is the engine's answer (POST /api/edit …); the page only shows it. Contract:
// docs/workspace.md.
import { Model } from './data.js';
import { setLang, lang, t, valueLabel } from './i18n.js';
import { ReportMap, STATUS_COLORS, styleLayers, buildingColorExpr } from './map.js';
import { interiorPoint } from './geom.js';
import * as fmt from './format.js';

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(window.location.search).get('token');

/** Calls the server; resolves to {status, body}. */
async function api(path, body) {
  const headers = {};
  if (token) headers['X-Gridplan-Token'] = token;
  const init = { method: body === undefined ? 'GET' : 'POST', headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let json = null;
  try { json = await res.json(); } catch { json = { error: `HTTP ${res.status}` }; }
  return { status: res.status, body: json };
}

/** A proposed site in the words a planner searches with, as `gridplan site` prints it: its name
 * and its road (the nearest named road, "A / B" at an intersection), else its address; only a
 * site with none of these is shown by its candidate id, saying no named road is near. */
function siteLabel(p) {
  const parts = [p.name, p.road || p.address].filter((x) => x);
  if (parts.length > 0) return parts.join(' · ');
  const type = p.type === 'intersection' ? t('ws_intersection') : (p.type ?? '');
  return t('ws_site_no_road', { type, id: p.cand_id ?? '' }).trim();
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
}

/** The map of the workspace: the report's map with selection instead of popups. */
class WorkspaceMap extends ReportMap {
  constructor(container, model, ws) {
    super(container, model, { kind: null, minutes: null, profile: null, perFacility: false });
    this.ws = ws;
    this.rev = 0;
  }

  labelImageExpr() {
    return ['concat', `gp-label|${lang()}|`, ['to-string', ['get', '_i']], `|${this.rev ?? 0}`];
  }

  /** Selection layers, buildings drawn from zoom 13, box selection with Shift+drag. */
  addWorkspaceLayers() {
    const map = this.map;
    map.setLayerZoomRange('buildings-fill', 13, 24);
    const empty = { type: 'FeatureCollection', features: [] };
    map.addSource('ws-selected', { type: 'geojson', data: empty });
    map.addLayer({ id: 'ws-selected-fill', type: 'fill', source: 'ws-selected', paint: { 'fill-color': '#00e5ff', 'fill-opacity': 0.9, 'fill-outline-color': '#006064' } });
    map.addSource('ws-locked', { type: 'geojson', data: empty });
    map.addLayer({ id: 'ws-locked-line', type: 'line', source: 'ws-locked', paint: { 'line-color': '#37474f', 'line-width': 3, 'line-dasharray': [2, 1] } });
    map.addSource('ws-moved', { type: 'geojson', data: empty });
    map.addLayer({ id: 'ws-moved-line', type: 'line', source: 'ws-moved', paint: { 'line-color': '#d500f9', 'line-width': 2.5 } });
    map.addSource('ws-grid', { type: 'geojson', data: empty });
    map.addLayer({ id: 'ws-grid-line', type: 'line', source: 'ws-grid', paint: { 'line-color': '#ff6d00', 'line-width': 3 } });
    map.boxZoom.disable();
    this.setupBox();
  }

  onClick(e) {
    if (this.ws.mode) {
      this.ws.placeStation(e.lngLat);
      return;
    }
    if (this.map.getLayer('facilities-symbol')) {
      const s = this.map.queryRenderedFeatures(e.point, { layers: ['facilities-symbol'] });
      if (s.length) {
        this.ws.clickStation(this.model.features('facilities')[s[0].properties._i]?.properties.id);
        return;
      }
    }
    const b = this.map.queryRenderedFeatures(e.point, { layers: ['buildings-fill'] });
    if (b.length) {
      this.ws.clickBuilding(b[0].properties._i, e.originalEvent.shiftKey);
      return;
    }
    const g = this.map.queryRenderedFeatures(e.point, { layers: ['grids-fill'] });
    this.ws.clickGrid(g.length ? this.model.features('grids')[g[0].properties._i]?.properties.code : null);
  }

  setupBox() {
    const canvas = this.map.getCanvasContainer();
    let start = null;
    let box = null;
    const pos = (e) => {
      const r = canvas.getBoundingClientRect();
      return [e.clientX - r.left - canvas.clientLeft, e.clientY - r.top - canvas.clientTop];
    };
    const move = (e) => {
      const p = pos(e);
      if (!box) {
        box = el('div', { className: 'boxdraw' });
        canvas.appendChild(box);
      }
      const [x0, x1] = [Math.min(start[0], p[0]), Math.max(start[0], p[0])];
      const [y0, y1] = [Math.min(start[1], p[1]), Math.max(start[1], p[1])];
      box.style.transform = `translate(${x0}px, ${y0}px)`;
      box.style.width = `${x1 - x0}px`;
      box.style.height = `${y1 - y0}px`;
    };
    const up = (e) => {
      document.removeEventListener('mousemove', move);
      document.removeEventListener('mouseup', up);
      this.map.dragPan.enable();
      if (box) box.remove();
      const end = pos(e);
      if (box && Math.abs(end[0] - start[0]) > 3 && Math.abs(end[1] - start[1]) > 3) {
        const hits = this.map.queryRenderedFeatures([start, end], { layers: ['buildings-fill'] });
        this.ws.addBuildings(hits.map((h) => h.properties._i));
      }
      box = null;
    };
    canvas.addEventListener('mousedown', (e) => {
      if (!(e.shiftKey && e.button === 0)) return;
      this.map.dragPan.disable();
      start = pos(e);
      document.addEventListener('mousemove', move);
      document.addEventListener('mouseup', up);
    }, true);
  }

  /** Redraws the grids (and their labels) after a change. */
  refreshGrids() {
    this.rev += 1;
    const grids = this.model.features('grids');
    this.map.getSource('grids').setData({ type: 'FeatureCollection', features: grids.map((f, i) => ({ type: 'Feature', geometry: f.geometry, properties: { ...f.properties, _i: i } })) });
    const labels = [];
    grids.forEach((f, i) => {
      const p = interiorPoint(f.geometry);
      if (p) labels.push({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { code: f.properties.code, _i: i } });
    });
    this.map.getSource('grid-labels').setData({ type: 'FeatureCollection', features: labels });
    this.relabel();
  }

  /** Draws the stations and colours the buildings by 15-minute coverage (after a coverage reply). */
  refreshCoverage() {
    const map = this.map;
    const data = { type: 'FeatureCollection', features: this.model.features('facilities').map((f, i) => ({ type: 'Feature', geometry: f.geometry, properties: { ...f.properties, _i: i } })) };
    if (!map.getSource('facilities')) {
      map.addSource('facilities', { type: 'geojson', data });
      for (const l of styleLayers('facilities', this.model)) map.addLayer(l, 'ws-selected-fill');
      map.on('mouseenter', 'facilities-symbol', () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', 'facilities-symbol', () => { map.getCanvas().style.cursor = ''; });
    } else map.getSource('facilities').setData(data);
    map.setPaintProperty('buildings-fill', 'fill-color', buildingColorExpr(true));
    const buildings = this.model.features('buildings');
    map.getSource('buildings').setData({ type: 'FeatureCollection', features: buildings.map((f, i) => ({ type: 'Feature', geometry: f.geometry, properties: { ...f.properties, _i: i } })) });
  }

  /** Draws the solver's proposed sites (stars, numbered by rank). */
  refreshSites() {
    const map = this.map;
    const data = { type: 'FeatureCollection', features: this.model.features('proposed_sites').map((f, i) => ({ type: 'Feature', geometry: f.geometry, properties: { ...f.properties, _i: i } })) };
    if (!map.getSource('proposed_sites')) {
      map.addSource('proposed_sites', { type: 'geojson', data });
      for (const l of styleLayers('proposed_sites', this.model)) map.addLayer(l, 'ws-selected-fill');
    } else map.getSource('proposed_sites').setData(data);
  }

  setOverlay(source, features) {
    this.map.getSource(source).setData({ type: 'FeatureCollection', features: features.filter((f) => f?.geometry).map((f) => ({ type: 'Feature', geometry: f.geometry, properties: {} })) });
  }
}

/** The page's state and its panel. */
class Workspace {
  constructor(state) {
    this.model = new Model(state.data);
    this.status = state.workspace;
    this.selected = new Set();
    this.grid = null;  // code of the grid shown in the panel
    this.changed = [];  // codes of the grids the last step changed
    this.moved = [];  // indices of the buildings the last step moved
    this.coverage = null;  // coverage_stats features after the first coverage reply
    this.kind = 'warm_station';  // the kind of station being placed
    this.station = null;  // id of the station shown in the panel
    this.mode = null;  // 'add' or 'move': the next map click places a station
    this.busy = false;
    this.map = new WorkspaceMap($('map'), this.model, this);
  }

  buildings() { return this.model.features('buildings'); }
  gridFeature(code) { return this.model.features('grids').find((f) => f.properties.code === code) ?? null; }
  communityGrids(commCode) {
    return this.model.features('grids').filter((f) => f.properties.comm_code === commCode)
      .sort((a, b) => String(a.properties.code).localeCompare(String(b.properties.code)));
  }

  clickBuilding(i, add) {
    if (!add) this.selected.clear();
    if (this.selected.has(i) && add) this.selected.delete(i);
    else this.selected.add(i);
    const code = this.buildings()[i]?.properties.grid_code;
    if (code && !add) this.grid = code;
    this.render();
  }

  addBuildings(indices) {
    for (const i of indices) this.selected.add(i);
    this.render();
  }

  clickGrid(code) {
    this.grid = code;
    if (!code) this.selected.clear();
    this.render();
  }

  say(kind, text) {
    const m = $('message');
    m.className = kind;
    m.textContent = text;
  }

  /** Sends one change and shows the engine's answer. */
  async send(path, body) {
    if (this.busy) return null;
    this.busy = true;
    this.say('', t('ws_busy'));
    this.renderButtons();
    try {
      const { status, body: r } = await api(path, body);
      if (status !== 200) {
        this.say('error', t('ws_error', { reason: r?.error ?? status }));
        return { status, body: r };
      }
      if ('accepted' in r) this.applyReply(r);
      return { status, body: r };
    } catch (e) {
      this.say('error', t('ws_error', { reason: e.message }));
      return null;
    } finally {
      this.busy = false;
      this.render();
    }
  }

  applyReply(r) {
    this.status = { ...this.status, revision: r.revision, can_undo: r.can_undo, can_redo: r.can_redo, locked: r.locked };
    if (!r.accepted) {
      this.say('refused', t('ws_refused', { reason: r.refusal }));
      return;
    }
    const layer = this.model.layer('grids');
    const removed = new Set(r.removed);
    const fresh = new Map(r.grids.map((f) => [f.properties.code, f]));
    const kept = [];
    for (const f of layer.features) {
      const code = f.properties.code;
      if (removed.has(code)) continue;
      if (fresh.has(code)) { kept.push(fresh.get(code)); fresh.delete(code); } else kept.push(f);
    }
    layer.features = [...kept, ...fresh.values()];
    const buildings = this.buildings();
    for (const [b, code] of r.buildings) if (buildings[b]) buildings[b].properties.grid_code = code;
    this.moved = r.buildings.map(([b]) => b);
    this.changed = [...r.grids.map((f) => f.properties.code), ...r.removed];
    if (this.grid && removed.has(this.grid)) this.grid = null;
    this.selected.clear();
    this.map.refreshGrids();
    this.say('accepted', t('ws_accepted', { revision: r.revision }));
  }

  /** Shows walking coverage (first call) or applies one station change; request {} or {op…}. */
  async stationChange(request) {
    const res = await this.send('/api/station', request);
    if (res?.status !== 200) return res;
    const r = res.body;
    this.model.layer('facilities') ? (this.model.layer('facilities').features = r.facilities.features) : this.addLayer(r.facilities);
    this.coverage = r.coverage_stats.features;
    const buildings = this.buildings();
    r.buildings.forEach(([sc, ws], i) => { if (buildings[i]) Object.assign(buildings[i].properties, { sc_c15: sc, ws_c15: ws }); });
    this.map.refreshCoverage();
    if (this.station && !this.model.features('facilities').some((f) => f.properties.id === this.station)) this.station = null;
    this.say('accepted', t('ws_coverage_done'));
    this.render();
    return res;
  }

  addLayer(layer) {
    this.model.data.layers.push(layer);
    this.model.layers.set(layer.name, layer);
  }

  /** Asks the optimiser for a rebalance of one community and shows its moves (not applied). */
  async previewRebalance(community) {
    const res = await this.send('/api/rebalance', { community });
    if (res?.status !== 200) return res;
    this.preview = res.body;
    this.moved = res.body.buildings.map(([b]) => b);
    if (res.body.refusal) this.say('refused', t('ws_refused', { reason: res.body.refusal }));
    else this.say('accepted', t('ws_preview_done', { n: res.body.buildings.length }));
    this.render();
    return res;
  }

  renderPreview(root) {
    const r = this.preview;
    if (!r) return;
    const box = el('div', { id: 'rebalance-preview', className: 'preview' });
    box.append(el('p', { textContent: t('ws_preview_line', { n: fmt.int(r.buildings.length), households: fmt.int(r.households) }) }));
    const table = el('table');
    for (const g of r.grids) {
      const now = this.gridFeature(g.code)?.properties.households;
      const tr = el('tr', {}, el('td', { textContent: g.code }), el('td', { className: 'num', textContent: `${now == null ? '–' : fmt.int(now)} → ${fmt.int(g.households)}` }), el('td', { textContent: Number(g.in_band) ? valueLabel('status', 'in_band') : '' }));
      tr.dataset.code = g.code;
      table.append(tr);
    }
    box.append(table);
    const accept = el('button', { id: 'rebalance-accept', type: 'button', textContent: t('ws_accept'), disabled: this.busy || !r.moves });
    accept.addEventListener('click', async () => { this.preview = null; await this.send('/api/rebalance', { accept: true }); });
    const discard = el('button', { id: 'rebalance-discard', type: 'button', textContent: t('ws_discard') });
    discard.addEventListener('click', () => { this.preview = null; this.moved = []; this.render(); });
    box.append(el('div', { className: 'row' }, accept, discard));
    root.append(box);
  }

  /** Runs the siting solver for p new stations and draws its proposal. */
  async suggest(p) {
    const res = await this.send('/api/suggest', { p });
    if (res?.status !== 200) return res;
    const r = res.body;
    const layer = r.proposed_sites ?? { name: 'proposed_sites', features: [] };
    if (this.model.layer('proposed_sites')) this.model.layer('proposed_sites').features = layer.features;
    else this.addLayer(layer);
    this.suggestion = r;
    this.map.refreshSites();
    this.say('accepted', t('ws_suggest_done', { n: layer.features.length }));
    this.render();
    return res;
  }

  placeStation(lngLat) {
    const mode = this.mode;
    this.mode = null;
    if (mode === 'add') return this.stationChange({ op: 'add', kind: this.kind, lon: lngLat.lng, lat: lngLat.lat });
    if (mode === 'move' && this.station) return this.stationChange({ op: 'move', id: this.station, lon: lngLat.lng, lat: lngLat.lat });
    return null;
  }

  clickStation(id) {
    this.station = id;
    this.render();
  }

  /** 15-minute adult coverage of residents (today) of a kind in an area row. */
  coveragePct(level, code, kind) {
    const f = (this.coverage ?? []).find((x) => {
      const p = x.properties;
      return p.level === level && (level === 'all' || p.code === code) && p.kind === kind && Number(p.minutes) === 15 && p.profile === 'adult' && p.scenario === 'today';
    });
    return f ? f.properties.pop_pct : null;
  }

  renderStations() {
    const root = $('sec-stations');
    root.replaceChildren(el('h2', { textContent: t('ws_stations') }));
    if (!this.coverage) {
      const show = el('button', { id: 'show-coverage', type: 'button', textContent: t('ws_show_coverage'), disabled: this.busy });
      show.addEventListener('click', () => this.stationChange({}));
      root.append(el('div', { className: 'row' }, show));
      return;
    }
    const kind = el('select', { id: 'station-kind' });
    for (const k of ['warm_station', 'service_centre']) kind.append(el('option', { value: k, textContent: valueLabel('kind', k) }));
    kind.value = this.kind;
    kind.addEventListener('change', () => { this.kind = kind.value; this.render(); });
    const add = el('button', { id: 'add-station', type: 'button', textContent: this.mode === 'add' ? t('ws_click_map') : t('ws_add_station'), disabled: this.busy });
    add.addEventListener('click', () => { this.mode = this.mode === 'add' ? null : 'add'; this.render(); });
    root.append(el('div', { className: 'row' }, kind, add));
    const table = el('table', { id: 'coverage-figures' });
    table.append(el('tr', {}, el('th', { textContent: '' }), el('th', { textContent: valueLabel('kind', 'service_centre') }), el('th', { textContent: valueLabel('kind', 'warm_station') })));
    const row = (label, level, code) => {
      const tr = el('tr', {}, el('td', { textContent: label }));
      tr.dataset.level = level;
      if (code) tr.dataset.code = code;
      for (const k of ['service_centre', 'warm_station']) {
        const v = this.coveragePct(level, code, k);
        const td = el('td', { className: 'num', textContent: v == null ? '–' : `${fmt.num(v, 1)}%` });
        td.dataset.kind = k;
        tr.append(td);
      }
      return tr;
    };
    table.append(row(t('ws_all'), 'all', null));
    for (const c of this.model.features('communities')) table.append(row(c.properties.name ?? c.properties.code, 'community', c.properties.code));
    root.append(el('p', { className: 'note', textContent: t('ws_coverage_caption') }), table);
    const pInput = el('input', { id: 'suggest-p', type: 'number', min: 1, max: 100, value: String(this.suggestP ?? 5) });
    pInput.style.width = '4em';
    pInput.addEventListener('change', () => { this.suggestP = Number(pInput.value); });
    const suggest = el('button', { id: 'suggest', type: 'button', textContent: t('ws_suggest'), disabled: this.busy });
    suggest.addEventListener('click', () => this.suggest(Number(pInput.value)));
    root.append(el('div', { className: 'row' }, el('label', { textContent: t('ws_suggest_p') }), pInput, suggest));
    if (this.suggestion) {
      const r = this.suggestion;
      root.append(el('p', { id: 'suggest-line', className: 'note', textContent: t('ws_suggest_line', { kind: valueLabel('kind', r.kind), status: r.status, incumbent: fmt.int(r.incumbent), bound: fmt.int(r.bound), gap: fmt.num(100 * r.gap, 2), before: fmt.num(100 * r.before_share, 1), after: fmt.num(100 * r.after_share, 1) }) }));
      const table = el('table', { id: 'suggested-sites' });
      for (const site of this.model.features('proposed_sites')) {
        const sp = site.properties;
        const tr = el('tr', {}, el('td', { textContent: `#${sp.rank}` }), el('td', { textContent: siteLabel(sp), title: sp.cand_id ?? '' }), el('td', { textContent: sp.comm_name ?? '' }), el('td', { className: 'num', textContent: fmt.int(sp.gain) }));
        tr.dataset.rank = sp.rank;
        tr.style.cursor = 'pointer';
        tr.addEventListener('click', () => site.geometry && this.map.map.flyTo({ center: site.geometry.coordinates, zoom: Math.max(this.map.map.getZoom(), 16) }));
        table.append(tr);
      }
      root.append(table);
    }
    const f = this.station ? this.model.features('facilities').find((x) => x.properties.id === this.station) : null;
    if (f) {
      const p = f.properties;
      root.append(el('p', { id: 'station-line', textContent: `${valueLabel('kind', p.kind)} · ${p.name ?? p.id}` }));
      const move = el('button', { id: 'move-station', type: 'button', textContent: this.mode === 'move' ? t('ws_click_map') : t('ws_move_station'), disabled: this.busy });
      move.addEventListener('click', () => { this.mode = this.mode === 'move' ? null : 'move'; this.render(); });
      const remove = el('button', { id: 'remove-station', type: 'button', textContent: t('ws_remove_station'), disabled: this.busy });
      remove.addEventListener('click', () => this.stationChange({ op: 'remove', id: p.id }));
      root.append(el('div', { className: 'row' }, move, remove));
    }
  }

  move(to) {
    const ids = [...this.selected].map((i) => this.buildings()[i]?.properties.id).filter((x) => x != null);
    return this.send('/api/edit', { op: 'move', buildings: ids.map(String), to });
  }

  async save() {
    let res = await this.send('/api/save', {});
    if (res?.status === 409 && window.confirm(t('ws_overwrite', { dir: this.status.save_dir }))) {
      res = await this.send('/api/save', { force: true });
    }
    if (res?.status === 200) this.say('accepted', t('ws_saved', res.body));
    return res;
  }

  render() {
    this.renderButtons();
    this.renderSelection();
    this.renderGrid();
    this.renderChanged();
    this.renderStations();
    this.renderLegend();
    const sel = [...this.selected].map((i) => this.buildings()[i]);
    this.map.setOverlay('ws-selected', sel);
    this.map.setOverlay('ws-grid', [this.grid ? this.gridFeature(this.grid) : null]);
    this.map.setOverlay('ws-moved', this.moved.map((i) => this.buildings()[i]));
    this.map.setOverlay('ws-locked', (this.status.locked ?? []).map((c) => this.gridFeature(c)));
  }

  renderButtons() {
    $('undo').disabled = this.busy || !this.status.can_undo;
    $('redo').disabled = this.busy || !this.status.can_redo;
    $('save').disabled = this.busy;
  }

  renderSelection() {
    const root = $('sec-selection');
    root.replaceChildren(el('h2', { textContent: t('ws_selection') }));
    if (!this.selected.size) {
      root.append(el('p', { className: 'note', textContent: t('ws_selection_none') }));
      return;
    }
    const props = [...this.selected].map((i) => this.buildings()[i].properties);
    const sum = (k) => props.reduce((a, p) => a + (Number(p[k]) || 0), 0);
    root.append(el('p', { id: 'selection-figures', textContent: t('ws_selection_n', { n: fmt.int(props.length), households: fmt.int(sum('households')), population: fmt.int(sum('population')) }) }));
    const comm = props[0].comm_code;
    const select = el('select', { id: 'move-target' });
    for (const g of this.communityGrids(comm)) {
      const p = g.properties;
      select.append(el('option', { value: p.code, textContent: `${p.code} · ${fmt.int(p.households)}` }));
    }
    if (this.grid) select.value = this.grid;
    const move = el('button', { id: 'move', type: 'button', textContent: t('ws_move'), disabled: this.busy });
    move.addEventListener('click', () => this.move(select.value));
    const clear = el('button', { type: 'button', textContent: t('ws_clear') });
    clear.addEventListener('click', () => { this.selected.clear(); this.render(); });
    root.append(el('div', { className: 'row' }, el('label', { textContent: t('ws_move_to') }), select, move), el('div', { className: 'row' }, clear));
  }

  renderGrid() {
    const root = $('sec-grid');
    root.replaceChildren(el('h2', { textContent: t('ws_grid') }));
    const f = this.grid ? this.gridFeature(this.grid) : null;
    if (!f) {
      root.append(el('p', { className: 'note', textContent: t('ws_grid_none') }));
      return;
    }
    const p = f.properties;
    const locked = (this.status.locked ?? []).includes(p.code);
    const table = el('table', { id: 'grid-figures' });
    const rows = [['code', p.code], ['comm_name', p.comm_name], ['households', fmt.int(p.households)], ['population', fmt.int(p.population)], ['buildings', fmt.int(p.buildings)], ['status', valueLabel('status', p.status) + (locked ? ` · ${t('ws_locked')}` : '')]];
    if (p.deviation != null) rows.push(['deviation', `${fmt.num(p.deviation, 1)}%`]);
    for (const [k, v] of rows) {
      const tr = el('tr', {}, el('th', { textContent: this.fieldTitle('grids', k) }), el('td', { textContent: String(v ?? '') }));
      tr.dataset.field = k;
      table.append(tr);
    }
    root.append(table);
    const lock = el('button', { id: 'lock', type: 'button', textContent: locked ? t('ws_unlock') : t('ws_lock'), disabled: this.busy });
    lock.addEventListener('click', () => this.send('/api/edit', { op: locked ? 'unlock' : 'lock', grids: [p.code] }));
    const split = el('button', { id: 'split', type: 'button', textContent: t('ws_split'), disabled: this.busy });
    split.addEventListener('click', () => this.send('/api/edit', { op: 'split', grid: p.code, parts: 2 }));
    const rebalance = el('button', { id: 'rebalance', type: 'button', textContent: t('ws_rebalance'), disabled: this.busy });
    rebalance.addEventListener('click', () => this.previewRebalance(p.comm_code));
    root.append(el('div', { className: 'row' }, lock, split, rebalance));
    this.renderPreview(root);
    const others = this.communityGrids(p.comm_code).filter((g) => g.properties.code !== p.code);
    if (others.length) {
      const select = el('select', { id: 'merge-target' });
      for (const g of others) select.append(el('option', { value: g.properties.code, textContent: g.properties.code }));
      const merge = el('button', { id: 'merge', type: 'button', textContent: t('ws_merge'), disabled: this.busy });
      merge.addEventListener('click', () => this.send('/api/edit', { op: 'merge', grids: [p.code, select.value] }));
      root.append(el('div', { className: 'row' }, el('label', { textContent: t('ws_merge_with') }), select, merge));
    }
    const grids = this.communityGrids(p.comm_code);
    root.append(el('p', { id: 'community-line', className: 'note', textContent: t('ws_community_line', { name: p.comm_name ?? p.comm_code, grids: grids.length, in_band: grids.filter((g) => Number(g.properties.in_band) === 1).length }) }));
  }

  renderLegend() {
    const root = $('sec-legend');
    root.replaceChildren(el('h2', { textContent: t('ws_legend') }));
    const list = el('ul', { className: 'ws-legend' });
    for (const [k, c] of Object.entries(STATUS_COLORS)) {
      const sw = el('span', { className: 'swatch' });
      sw.style.background = c;
      list.append(el('li', {}, sw, valueLabel('status', k)));
    }
    for (const [cls, key] of [['sel', 'ws_legend_selected'], ['moved', 'ws_legend_moved'], ['locked', 'ws_legend_locked'], ['grid', 'ws_legend_grid']]) {
      list.append(el('li', {}, el('span', { className: `swatch ${cls}` }), t(key)));
    }
    root.append(list);
  }

  renderChanged() {
    const root = $('sec-changed');
    root.replaceChildren();
    if (!this.changed.length) return;
    root.append(el('h2', { textContent: t('ws_changed') }));
    const table = el('table', { id: 'changed-grids' });
    for (const code of this.changed) {
      const f = this.gridFeature(code);
      const tr = el('tr');
      tr.dataset.code = code;
      if (!f) tr.append(el('td', { textContent: code }), el('td', { textContent: t('ws_removed') }));
      else {
        const p = f.properties;
        const sw = el('span', { className: 'swatch' });
        sw.style.background = STATUS_COLORS[p.status] ?? '#ccc';
        tr.append(el('td', {}, sw, code), el('td', { className: 'num', textContent: fmt.int(p.households) }), el('td', { textContent: valueLabel('status', p.status) }));
        tr.dataset.households = p.households;
      }
      tr.addEventListener('click', () => { this.grid = f ? code : null; this.render(); });
      table.append(tr);
    }
    root.append(table);
  }

  fieldTitle(layer, name) {
    const f = this.model.field(layer, name);
    return lang() === 'en' ? f.en ?? name : f.zh ?? name;
  }

  words() {
    document.title = `${t('ws_title')} · gridplan`;
    $('title').textContent = `${t('ws_title')} · ${this.model.data.title ?? 'gridplan'}`;
    $('undo').textContent = t('ws_undo');
    $('redo').textContent = t('ws_redo');
    $('save').textContent = t('ws_save');
    $('lang-toggle').textContent = t('lang_toggle');
    $('help').textContent = t('ws_help');
    this.render();
    this.map.relabel();
  }
}

async function main() {
  setLang('zh');
  $('message').textContent = t('ws_loading');
  const { status, body } = await api('/api/state');
  if (status !== 200) {
    $('message').textContent = t('ws_error', { reason: body?.error ?? status });
    return;
  }
  setLang(body.data.lang);
  const ws = new Workspace(body);
  window.gridplanWorkspace = { ready: false, ws, map: ws.map.map, api };
  $('undo').addEventListener('click', () => ws.send('/api/undo', {}));
  $('redo').addEventListener('click', () => ws.send('/api/redo', {}));
  $('save').addEventListener('click', () => ws.save());
  $('lang-toggle').addEventListener('click', () => { setLang(lang() === 'zh' ? 'en' : 'zh'); ws.words(); });
  await ws.map.loaded;
  ws.map.addWorkspaceLayers();
  ws.say('', '');
  ws.words();
  ws.map.map.once('idle', () => {
    window.gridplanWorkspace.ready = true;
    document.body.dataset.ready = '1';
  });
}

main();
