// The map: one GeoJSON source per layer of the run, a style built here (no tiles, no glyphs,
// no sprite: nothing to fetch), a legend panel to switch layers and choose the service areas,
// and popups with each feature's figures.
import maplibregl from 'maplibre-gl';
import { t, pick, lang, valueLabel } from './i18n.js';
import * as fmt from './format.js';
import { bounds, interiorPoint } from './geom.js';
import {
  facilityIcon, facilitySwatch, siteIcon, siteSwatch, hatchPattern, labelImage, FACILITY_STYLE,
} from './icons.js';

export const STATUS_COLORS = {
  in_band: '#4daf4a',
  below: '#fdae61',
  above: '#d7301f',
  dedicated: '#8c96a0',
  infeasible: '#7b3294',
};

const BUILDING_CLASSES = [
  ['both', '#1a9641', 'bld_both'],
  ['sc', '#a6d96a', 'bld_sc'],
  ['ws', '#fdae61', 'bld_ws'],
  ['none', '#d7191c', 'bld_none'],
  ['outside', '#bdbdbd', 'bld_outside'],
];

/** Zoom from which buildings and grid labels are drawn (a city stays light when zoomed out). */
export const BUILDINGS_MINZOOM = 15;
export const LABELS_MINZOOM = 13;

/** Map layers of each data layer, bottom to top, and which of them answer a click. */
const LAYER_ORDER = [
  'streets', 'communities', 'grids', 'building_groups', 'redraw_diff', 'buildings',
  'service_circles', 'coverage_gaps', 'grid_boundaries', 'facilities', 'proposed_sites',
];
/** Click priority: the first hit of a point layer wins; else every polygon hit is listed. */
const POINT_LAYERS = ['proposed_sites', 'facilities', 'ledger'];
const AREA_PRIORITY = ['buildings', 'redraw_diff', 'coverage_gaps', 'grids', 'building_groups',
  'service_circles', 'communities', 'streets'];

/** Default visibility of each data layer in the legend. */
const DEFAULT_ON = {
  streets: true, communities: true, grids: true, labels: true, grid_boundaries: false,
  building_groups: true,
  redraw_diff: true, buildings: true, service_circles: true, coverage_gaps: true,
  facilities: true, proposed_sites: true, ledger: false,
};

function statusColorExpr() {
  const e = ['match', ['get', 'status']];
  for (const [k, c] of Object.entries(STATUS_COLORS)) e.push(k, c);
  e.push('#cccccc');
  return e;
}

function buildingClassExpr() {
  const c15 = (p) => ['==', ['to-number', ['get', p], 0], 1];
  return ['case',
    ['==', ['to-number', ['get', 'outside'], 0], 1], 'outside',
    ['all', c15('sc_c15'), c15('ws_c15')], 'both',
    c15('sc_c15'), 'sc',
    c15('ws_c15'), 'ws',
    'none'];
}

export function buildingColorExpr(hasCoverage) {
  if (!hasCoverage) return '#9e9e9e';
  const e = ['match', buildingClassExpr()];
  for (const [k, c] of BUILDING_CLASSES) e.push(k, c);
  e.push('#9e9e9e');
  return e;
}

/** The map layers (MapLibre style layers) drawing one data layer. */
export function styleLayers(name, model) {
  const src = name;
  switch (name) {
    case 'streets':
      return [
        { id: 'streets-fill', type: 'fill', source: src, paint: { 'fill-color': '#000', 'fill-opacity': 0 } },
        { id: 'streets-line', type: 'line', source: src, paint: { 'line-color': '#6a3d9a', 'line-width': 3 } },
      ];
    case 'communities':
      return [
        { id: 'communities-fill', type: 'fill', source: src, paint: { 'fill-color': '#000', 'fill-opacity': 0 } },
        { id: 'communities-line', type: 'line', source: src, paint: { 'line-color': '#1f78b4', 'line-width': 2, 'line-dasharray': [3, 1.5] } },
      ];
    case 'grids':
      return [
        { id: 'grids-fill', type: 'fill', source: src, paint: { 'fill-color': statusColorExpr(), 'fill-opacity': 0.45 } },
        { id: 'grids-line', type: 'line', source: src, paint: { 'line-color': '#333', 'line-width': 0.8 } },
      ];
    case 'building_groups':
      return [
        { id: 'building_groups-fill', type: 'fill', source: src, paint: { 'fill-color': '#000', 'fill-opacity': 0 } },
        { id: 'building_groups-line', type: 'line', source: src, paint: { 'line-color': '#b15928', 'line-width': 1, 'line-dasharray': [2, 2] } },
      ];
    case 'grid_boundaries':
      return [{ id: 'grid_boundaries-line', type: 'line', source: src, paint: {
        'line-color': ['case', ['==', ['to-number', ['get', 'follows_rd'], 0], 1], '#555', '#e31a1c'],
        'line-width': 1.5,
      } }];
    case 'redraw_diff':
      return [{ id: 'redraw_diff-fill', type: 'fill', source: src, paint: { 'fill-color': '#e7298a', 'fill-opacity': 0.8 } }];
    case 'buildings': {
      const cov = model.features('buildings').some((f) => f.properties.sc_c15 != null || f.properties.ws_c15 != null);
      return [{ id: 'buildings-fill', type: 'fill', source: src, minzoom: BUILDINGS_MINZOOM, paint: {
        'fill-color': buildingColorExpr(cov), 'fill-opacity': 0.85, 'fill-outline-color': '#505050',
      } }];
    }
    case 'service_circles':
      return [
        { id: 'service_circles-fill', type: 'fill', source: src, paint: { 'fill-color': '#1565c0', 'fill-opacity': 0.12 } },
        { id: 'service_circles-line', type: 'line', source: src, paint: { 'line-color': '#0d47a1', 'line-width': 1.8 } },
      ];
    case 'coverage_gaps':
      return [
        { id: 'coverage_gaps-fill', type: 'fill', source: src, paint: { 'fill-pattern': 'gp-hatch' } },
        { id: 'coverage_gaps-line', type: 'line', source: src, paint: { 'line-color': '#b5004e', 'line-width': 1.2 } },
      ];
    case 'facilities':
      return [{ id: 'facilities-symbol', type: 'symbol', source: src, layout: {
        'icon-image': ['concat', 'gp-fac-', ['coalesce', ['get', 'kind'], 'other']],
        'icon-allow-overlap': true,
      } }];
    case 'proposed_sites':
      return [{ id: 'proposed_sites-symbol', type: 'symbol', source: src, layout: {
        'icon-image': ['concat', 'gp-site-', ['to-string', ['get', 'rank']]],
        'icon-allow-overlap': true,
        'symbol-sort-key': ['to-number', ['get', 'rank'], 0],
      } }];
    default:
      return [];
  }
}

/** GeoJSON of a data layer's located features; each keeps its index as _i. */
function sourceData(model, name) {
  const features = [];
  model.features(name).forEach((f, i) => {
    if (f.geometry) features.push({ type: 'Feature', geometry: f.geometry, properties: { ...f.properties, _i: i } });
  });
  return { type: 'FeatureCollection', features };
}

/** Points where the grid labels stand (one per grid, inside it). */
function labelPoints(model) {
  const features = [];
  model.features('grids').forEach((f, i) => {
    const p = interiorPoint(f.geometry);
    if (p) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { code: f.properties.code, _i: i } });
  });
  return { type: 'FeatureCollection', features };
}

export class ReportMap {
  /**
   * container: the map's element; model: data.js Model; state: shared page state (kind,
   * minutes, profile, perFacility); onSelect(layerName, feature) is told about popups.
   */
  constructor(container, model, state) {
    this.model = model;
    this.state = state;
    this.visible = { ...DEFAULT_ON };
    this.popup = null;
    this.popupContent = null;
    this.ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
    const all = [];
    for (const l of model.data.layers ?? []) for (const f of l.features ?? []) if (f.geometry) all.push(f.geometry);
    const b = bounds(all) ?? [-180, -85, 180, 85];
    this.bounds = b;
    this.map = new maplibregl.Map({
      container,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f2f1ec' } }],
      },
      bounds: [[b[0], b[1]], [b[2], b[3]]],
      fitBoundsOptions: { padding: 30 },
      attributionControl: false,
      maxZoom: 20,
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    if (model.data.attribution) {
      this.map.addControl(new maplibregl.AttributionControl({ compact: false, customAttribution: model.data.attribution }), 'bottom-right');
    }
    this.map.on('styleimagemissing', (e) => this.drawMissingImage(e.id));
    this.loaded = new Promise((resolve) => this.map.on('load', () => {
      this.addData();
      resolve();
    }));
  }

  /** Adds the images, sources and layers once the (empty) style has loaded. */
  addData() {
    const map = this.map;
    for (const kind of Object.keys(FACILITY_STYLE)) map.addImage(`gp-fac-${kind}`, facilityIcon(kind, this.ratio), { pixelRatio: this.ratio });
    map.addImage('gp-hatch', hatchPattern(this.ratio), { pixelRatio: this.ratio });
    this.mapLayers = {};
    for (const name of LAYER_ORDER) {
      if (!this.model.has(name)) continue;
      map.addSource(name, { type: 'geojson', data: sourceData(this.model, name) });
      const layers = styleLayers(name, this.model);
      for (const l of layers) map.addLayer(l);
      this.mapLayers[name] = layers.map((l) => l.id);
      if (name === 'grids') {
        map.addSource('grid-labels', { type: 'geojson', data: labelPoints(this.model) });
        map.addLayer({ id: 'grid-labels', type: 'symbol', source: 'grid-labels', minzoom: LABELS_MINZOOM, layout: {
          'icon-image': this.labelImageExpr(),
        } });
        this.mapLayers.labels = ['grid-labels'];
      }
    }
    map.addSource('selection', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'selection-line', type: 'line', source: 'selection', paint: { 'line-color': '#00e5ff', 'line-width': 3 } });
    this.applyFilters();
    this.applyVisibility();
    map.on('click', (e) => this.onClick(e));
    const clickable = Object.values(this.mapLayers).flat().filter((id) => id !== 'grid-labels');
    for (const id of clickable) {
      map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
    }
  }

  labelImageExpr() {
    return ['concat', `gp-label|${lang()}|`, ['to-string', ['get', '_i']]];
  }

  /** Draws a site star or grid label the first time the map asks for it. */
  drawMissingImage(id) {
    if (this.map.hasImage(id)) return;
    if (id.startsWith('gp-site-')) {
      this.map.addImage(id, siteIcon(Number(id.slice(8)), this.ratio), { pixelRatio: this.ratio });
    } else if (id.startsWith('gp-label|')) {
      const [, lg, i] = id.split('|');
      const p = this.model.features('grids')[Number(i)]?.properties;
      if (!p) return;
      const dedicated = p.status === 'dedicated';
      const unit = lg === 'en' ? 'hh' : '户';
      const second = dedicated ? (lg === 'en' ? 'dedicated' : '专属网格')
        : `${new Intl.NumberFormat(lg === 'en' ? 'en-US' : 'zh-CN').format(p.households ?? 0)} ${unit}`;
      this.map.addImage(id, labelImage([String(p.code ?? ''), second], this.ratio), { pixelRatio: this.ratio });
    }
  }

  /** Filters of the service circles and gaps: the chosen kind, minutes and profile. */
  applyFilters() {
    const { kind, minutes, profile, perFacility } = this.state;
    const map = this.map;
    const byKindMin = ['all', ['==', ['get', 'kind'], kind ?? ''], ['==', ['to-number', ['get', 'minutes'], -1], minutes ?? -1]];
    if (this.mapLayers.service_circles) {
      const f = [...byKindMin, perFacility ? ['!=', ['get', 'fac_id'], 'all'] : ['==', ['get', 'fac_id'], 'all']];
      if (profile) f.push(['==', ['coalesce', ['get', 'profile'], profile], profile]);
      for (const id of this.mapLayers.service_circles) map.setFilter(id, f);
    }
    if (this.mapLayers.coverage_gaps) for (const id of this.mapLayers.coverage_gaps) map.setFilter(id, byKindMin);
  }

  applyVisibility() {
    for (const [name, ids] of Object.entries(this.mapLayers)) {
      const on = this.visible[name] !== false;
      for (const id of ids) this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    }
  }

  setVisible(name, on) {
    this.visible[name] = on;
    this.applyVisibility();
  }

  /** Redraws what depends on the language: labels and an open popup. */
  relabel() {
    if (this.map.getLayer('grid-labels')) this.map.setLayoutProperty('grid-labels', 'icon-image', this.labelImageExpr());
    if (this.popup && this.popup.isOpen() && this.popupContent) this.popup.setDOMContent(this.popupContent());
  }

  onClick(e) {
    const layers = Object.entries(this.mapLayers)
      .filter(([name]) => name !== 'labels' && this.visible[name] !== false)
      .flatMap(([, ids]) => ids)
      .filter((id) => this.map.getLayer(id));
    const hits = this.map.queryRenderedFeatures(e.point, { layers });
    const seen = new Set();
    const items = [];
    for (const h of hits) {
      const key = `${h.source}|${h.properties._i}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push({ layer: h.source, index: h.properties._i });
    }
    if (!items.length) {
      this.closePopup();
      return;
    }
    const point = items.filter((x) => POINT_LAYERS.includes(x.layer));
    let chosen;
    if (point.length) chosen = [point.sort((a, b) => POINT_LAYERS.indexOf(a.layer) - POINT_LAYERS.indexOf(b.layer))[0]];
    else {
      chosen = items.sort((a, b) => AREA_PRIORITY.indexOf(a.layer) - AREA_PRIORITY.indexOf(b.layer));
      // A grid's own figures name its community and street: list those only without a grid.
      if (chosen.some((x) => x.layer === 'grids')) chosen = chosen.filter((x) => x.layer !== 'communities' && x.layer !== 'streets');
      else if (chosen.some((x) => x.layer === 'communities')) chosen = chosen.filter((x) => x.layer !== 'streets');
    }
    this.openPopup(e.lngLat, chosen, chosen[0]);
  }

  /** Opens a popup at lngLat listing the items ({layer, index}); outlines the first. */
  openPopup(lngLat, items, highlight) {
    this.closePopup();
    const f = this.model.features(highlight.layer)[highlight.index];
    this.map.getSource('selection').setData(f?.geometry && f.geometry.type !== 'Point' && f.geometry.type !== 'MultiPoint'
      ? { type: 'Feature', geometry: f.geometry, properties: {} }
      : { type: 'FeatureCollection', features: [] });
    this.popupContent = () => popupDom(this.model, items);
    this.popup = new maplibregl.Popup({ maxWidth: '360px', className: 'gp-popup-wrap' })
      .setLngLat(lngLat)
      .setDOMContent(this.popupContent())
      .addTo(this.map);
    this.popup.on('close', () => {
      const s = this.map.getSource('selection');
      if (s) s.setData({ type: 'FeatureCollection', features: [] });
    });
  }

  closePopup() {
    if (this.popup) this.popup.remove();
    this.popup = null;
  }

  /** Flies to a feature of a data layer and opens its popup (search, table rows). */
  showFeature(layerName, index) {
    const f = this.model.features(layerName)[index];
    if (!f?.geometry) return;
    const b = bounds([f.geometry]);
    const at = interiorPoint(f.geometry);
    if (layerName in this.visible && !this.visible[layerName]) this.setVisible(layerName, true);
    if (b[0] === b[2] && b[1] === b[3]) this.map.flyTo({ center: at, zoom: Math.max(this.map.getZoom(), 16) });
    else this.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 80, maxZoom: 17 });
    this.map.once('moveend', () => this.openPopup(at, [{ layer: layerName, index }], { layer: layerName, index }));
    document.getElementById('map')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }
}

/** The heading of a feature in a popup: its layer title and its name, code or rank. */
function featureHeading(model, layerName, p) {
  const title = pick(model.layer(layerName)?.title) || layerName;
  let id = '';
  if (layerName === 'grids' || layerName === 'building_groups') id = p.code;
  else if (layerName === 'communities' || layerName === 'streets') id = p.name ?? p.code;
  else if (layerName === 'proposed_sites') id = `#${p.rank} ${[p.name, p.road].filter((x) => x).join(' · ')}`.trim();
  else if (layerName === 'coverage_gaps') id = `#${p.rank} · ${valueLabel('kind', p.kind)} · ${p.minutes} min`;
  else if (layerName === 'service_circles') id = `${valueLabel('kind', p.kind)} · ${p.minutes} min${p.fac_id === 'all' ? '' : ` · ${p.fac_name ?? p.fac_id}`}`;
  else if (layerName === 'facilities') id = p.name ?? p.id;
  else if (layerName === 'buildings') id = p.name ?? p.id;
  return { title, id: id ?? '' };
}

/** The popup's content: per item, a heading and a table of its fields (aliases, formatted). */
function popupDom(model, items) {
  const root = document.createElement('div');
  root.className = 'gp-popup';
  for (const it of items.slice(0, 4)) {
    const f = model.features(it.layer)[it.index];
    if (!f) continue;
    const p = f.properties;
    const sec = document.createElement('section');
    sec.dataset.layer = it.layer;
    if (p.code != null) sec.dataset.code = p.code;
    const h = featureHeading(model, it.layer, p);
    const head = document.createElement('h3');
    head.textContent = `${h.title} ${h.id}`.trim();
    sec.appendChild(head);
    const table = document.createElement('table');
    for (const field of model.layer(it.layer).fields ?? []) {
      const v = p[field.name];
      if (v == null || v === '') continue;
      const tr = document.createElement('tr');
      tr.dataset.field = field.name;
      const th = document.createElement('th');
      th.textContent = pick(field);
      const td = document.createElement('td');
      td.textContent = fmt.value(field, v);
      tr.append(th, td);
      table.appendChild(tr);
    }
    sec.appendChild(table);
    root.appendChild(sec);
  }
  if (items.length > 4) {
    const more = document.createElement('p');
    more.textContent = t('popup_more', { n: items.length - 4 });
    root.appendChild(more);
  }
  return root;
}

/** Legend entries of the buildings (15-minute coverage classes). */
export const BUILDING_LEGEND = BUILDING_CLASSES;
export { facilitySwatch, siteSwatch };
