// Entry of the planner's report: reads the run's data from the page, draws the map, the
// tables and the charts, and redraws the words on a language switch. Contract: docs/report.md.
import { readData, Model } from './data.js';
import { setLang, lang, t, pick } from './i18n.js';
import { ReportMap } from './map.js';
import { renderLegend } from './legend.js';
import { renderAreas, renderGaps, renderLedger, renderRun, sitesTable, note } from './tables.js';
import { histogram, curve, destroyCharts } from './charts.js';
import { setupSearch, relabelSearch } from './search.js';
import { renderChain } from './chain.js';

const $ = (id) => document.getElementById(id);

/** The first kind, 15 minutes (or the largest threshold) and the first profile. */
function initialState(model) {
  const minutes = model.minutes();
  return {
    kind: model.kinds()[0] ?? null,
    minutes: minutes.includes(15) ? 15 : minutes[minutes.length - 1] ?? null,
    profile: model.profiles()[0] ?? null,
    perFacility: false,
  };
}

function renderCharts(model, rmap) {
  destroyCharts();
  const hist = $('sec-histogram');
  hist.replaceChildren();
  const h2 = document.createElement('h2');
  h2.textContent = t('hist_title');
  hist.appendChild(h2);
  if (!model.has('grids')) hist.appendChild(note(t('no_grids')));
  else {
    const cap = document.createElement('p');
    cap.className = 'caption';
    const box = document.createElement('div');
    box.className = 'chart';
    const canvas = document.createElement('canvas');
    canvas.id = 'chart-histogram';
    box.appendChild(canvas);
    hist.append(cap, box);
    cap.textContent = histogram(canvas, model);
  }
  const sites = $('sec-sites');
  sites.replaceChildren();
  const h2s = document.createElement('h2');
  h2s.textContent = t('sites_title');
  sites.appendChild(h2s);
  if (!model.has('proposed_sites')) sites.appendChild(note(t('no_sites')));
  else {
    const h3 = document.createElement('h3');
    h3.textContent = t('curve_title');
    const cap = document.createElement('p');
    cap.className = 'caption';
    cap.id = 'curve-facts';
    const box = document.createElement('div');
    box.className = 'chart';
    const canvas = document.createElement('canvas');
    canvas.id = 'chart-curve';
    box.appendChild(canvas);
    sites.append(h3, cap, box);
    cap.textContent = curve(canvas, model);
    sites.appendChild(sitesTable(model, rmap));
  }
}

function renderWords(model, rmap, state) {
  document.title = `${model.data.title ?? 'gridplan'} · ${t('nav_map')}`;
  $('title').textContent = model.data.title ?? 'gridplan';
  $('lang-toggle').textContent = t('lang_toggle');
  $('lang-toggle').title = t('lang_toggle_title');
  for (const a of document.querySelectorAll('nav a[data-key]')) a.textContent = t(a.dataset.key);
  relabelSearch($('search'));
  renderLegend($('legend'), model, rmap, state, () => renderGaps($('sec-gaps'), model, rmap, state));
  renderAreas($('sec-areas'), model, rmap);
  renderChain($('sec-chain'), model, rmap);
  renderCharts(model, rmap);
  renderGaps($('sec-gaps'), model, rmap, state);
  renderLedger($('sec-ledger'), model);
  renderRun($('sec-run'), model);
  const notes = $('page-notes');
  notes.replaceChildren();
  for (const n of model.data.notes ?? []) {
    const p = document.createElement('p');
    p.textContent = pick(n);
    notes.appendChild(p);
  }
}

function main() {
  const data = readData(document);
  if (!data) {
    document.body.textContent = 'gridplan: this page holds no data (the report template was not filled in).';
    return;
  }
  setLang(data.lang);
  const model = new Model(data);
  const state = initialState(model);
  const rmap = new ReportMap($('map'), model, state);
  window.gridplanReport = { ready: false, map: rmap.map, rmap, model, layers: { grids: 'grids-fill' } };
  setupSearch($('search'), $('search-results'), model, rmap);
  rmap.loaded.then(() => {
    renderWords(model, rmap, state);
    rmap.map.once('idle', () => {
      window.gridplanReport.ready = true;
      document.body.dataset.ready = '1';
    });
  });
  $('lang-toggle').addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    renderWords(model, rmap, state);
    rmap.relabel();
  });
}

main();
