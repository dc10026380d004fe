// The legend panel over the map: a switch per layer with its symbols, and the choice of
// facility kind, walking minutes and profile for the service areas and the gaps.
import { t, pick, valueLabel } from './i18n.js';
import * as fmt from './format.js';
import { STATUS_COLORS, BUILDING_LEGEND, BUILDINGS_MINZOOM, facilitySwatch, siteSwatch } from './map.js';

/** Legend rows, top (drawn last) to bottom. */
const ORDER = ['proposed_sites', 'facilities', 'coverage_gaps', 'service_circles', 'buildings',
  'redraw_diff', 'grid_boundaries', 'building_groups', 'labels', 'grids', 'communities', 'streets'];

const LINE_SWATCH = {
  streets: 'border: 3px solid #6a3d9a; background: transparent',
  communities: 'border: 2px dashed #1f78b4; background: transparent',
  grid_boundaries: 'border-top: 2px solid #e31a1c; height: 0',
  building_groups: 'border: 1px dashed #b15928; background: transparent',
  service_circles: 'border: 2px solid #0d47a1; background: rgba(21,101,192,0.15)',
  coverage_gaps: 'border: 1px solid #b5004e; background: repeating-linear-gradient(135deg, #b5004e 0 1.5px, transparent 1.5px 5px)',
  redraw_diff: 'background: #e7298a',
};

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'style') e.style.cssText = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function swatch(style) {
  return el('span', { className: 'sw', style });
}

function imgSwatch(src) {
  return el('img', { className: 'sw-img', src, alt: '' });
}

function select(id, options, value, onChange) {
  const s = el('select', { id });
  for (const [v, label] of options) {
    const o = el('option', { value: String(v), textContent: label });
    if (String(v) === String(value)) o.selected = true;
    s.appendChild(o);
  }
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

/** Draws the legend into panel; rmap: the ReportMap; onCoverage() after a kind/minutes change. */
export function renderLegend(panel, model, rmap, state, onCoverage) {
  panel.replaceChildren();
  panel.appendChild(el('h2', { textContent: t('legend_title') }));
  const list = el('ul', { className: 'layers' });
  for (const name of ORDER) {
    const isLabels = name === 'labels';
    const layer = model.layer(isLabels ? 'grids' : name);
    if (!layer || layer.geometry === 'none') continue;
    if (isLabels && !model.has('grids')) continue;
    const omitted = !model.has(layer.name);
    const box = el('input', { type: 'checkbox', id: `lyr-${name}`, checked: !omitted && rmap.visible[name] !== false, disabled: omitted });
    box.setAttribute('data-layer', name);
    box.addEventListener('change', () => rmap.setVisible(name, box.checked));
    let sw = null;
    if (name === 'proposed_sites') sw = imgSwatch(siteSwatch());
    else if (name === 'grids') sw = swatch('background: linear-gradient(90deg, #4daf4a 50%, #fdae61 50%)');
    else if (name === 'facilities') sw = imgSwatch(facilitySwatch('service_centre'));
    else if (name === 'buildings') sw = swatch('background: #a6d96a; border: 1px solid #505050');
    else if (isLabels) sw = el('span', { className: 'sw sw-text', textContent: 'A' });
    else sw = swatch(LINE_SWATCH[name] ?? '');
    const title = isLabels ? t('labels') : pick(layer.title);
    const count = isLabels || omitted ? '' : ` (${fmt.int(layer.count ?? layer.features.length)})`;
    const label = el('label', { htmlFor: box.id }, box, sw, `${title}${count}`);
    const li = el('li', {}, label);
    if (omitted) li.appendChild(el('div', { className: 'sub note', textContent: t('omitted') }));
    if (name === 'grids' && !omitted) li.appendChild(statusLegend(model));
    if (name === 'facilities' && !omitted) li.appendChild(kindLegend(model));
    if (name === 'buildings' && !omitted) li.appendChild(buildingLegend());
    list.appendChild(li);
  }
  panel.appendChild(list);
  if (model.has('service_circles') || model.has('coverage_gaps')) {
    panel.appendChild(coverageControls(model, rmap, state, onCoverage));
  }
}

function statusLegend(model) {
  const counts = {};
  for (const f of model.features('grids')) counts[f.properties.status] = (counts[f.properties.status] ?? 0) + 1;
  const ul = el('ul', { className: 'sub' });
  for (const [k, c] of Object.entries(STATUS_COLORS)) {
    if (!counts[k]) continue;
    ul.appendChild(el('li', { 'data-status': k }, swatch(`background: ${c}; opacity: 0.75`), `${valueLabel('status', k)} ${fmt.int(counts[k])}`));
  }
  return ul;
}

function kindLegend(model) {
  const ul = el('ul', { className: 'sub' });
  for (const k of model.distinct('facilities', 'kind')) {
    const n = model.features('facilities').filter((f) => f.properties.kind === k).length;
    ul.appendChild(el('li', {}, imgSwatch(facilitySwatch(k)), `${valueLabel('kind', k)} ${fmt.int(n)}`));
  }
  return ul;
}

function buildingLegend() {
  const ul = el('ul', { className: 'sub' });
  for (const [, color, key] of BUILDING_LEGEND) ul.appendChild(el('li', {}, swatch(`background: ${color}`), t(key)));
  ul.appendChild(el('li', { className: 'note', textContent: `${t('buildings_zoom')} (≥ ${BUILDINGS_MINZOOM})` }));
  return ul;
}

function coverageControls(model, rmap, state, onCoverage) {
  const box = el('div', { className: 'coverage-controls' });
  box.appendChild(el('h3', { textContent: t('coverage_controls') }));
  const changed = () => {
    rmap.applyFilters();
    onCoverage();
  };
  box.appendChild(el('label', {}, `${t('kind')} `, select('sel-kind', model.kinds().map((k) => [k, valueLabel('kind', k)]), state.kind, (v) => { state.kind = v; changed(); })));
  box.appendChild(el('label', {}, `${t('minutes')} `, select('sel-minutes', model.minutes().map((m) => [m, `${m}`]), state.minutes, (v) => { state.minutes = Number(v); changed(); })));
  const profiles = model.profiles();
  if (profiles.length > 1) {
    box.appendChild(el('label', {}, `${t('profile')} `, select('sel-profile', profiles.map((p) => [p, valueLabel('profile', p)]), state.profile, (v) => { state.profile = v; changed(); })));
  }
  if (model.has('service_circles')) {
    const cb = el('input', { type: 'checkbox', id: 'chk-per-facility', checked: state.perFacility });
    cb.addEventListener('change', () => { state.perFacility = cb.checked; changed(); });
    box.appendChild(el('label', { htmlFor: 'chk-per-facility' }, cb, t('per_facility')));
  }
  return box;
}
