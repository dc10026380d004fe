// The search box: a grid code (prefix) or a community or street name (substring) → the map
// flies there and opens the feature's popup.
import { t } from './i18n.js';

/** Up to `limit` matches {layer, index, label} for the query. */
export function findMatches(model, query, limit = 10) {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const out = [];
  const scan = (layer, test, label) => {
    model.features(layer).forEach((f, i) => {
      if (out.length < limit * 3 && f.geometry && test(f.properties)) out.push({ layer, index: i, label: label(f.properties), rank: 0 });
    });
  };
  const has = (v) => v != null && String(v).toLowerCase().includes(q);
  scan('grids', (p) => has(p.code), (p) => `${p.code} · ${p.comm_name ?? ''}`);
  scan('communities', (p) => has(p.name) || has(p.code), (p) => `${p.name ?? p.code}${p.st_name ? ` · ${p.st_name}` : ''}`);
  scan('streets', (p) => has(p.name) || has(p.code), (p) => p.name ?? p.code);
  // A prefix match first, then the rest in layer order.
  for (const m of out) {
    const p = model.features(m.layer)[m.index].properties;
    const key = String(m.layer === 'grids' ? p.code : (p.name ?? p.code)).toLowerCase();
    m.rank = key.startsWith(q) ? 0 : 1;
  }
  return out.sort((a, b) => a.rank - b.rank).slice(0, limit);
}

/** Wires the search input and its result list; rmap.showFeature does the rest. */
export function setupSearch(input, list, model, rmap) {
  let matches = [];
  let active = 0;
  const close = () => {
    list.hidden = true;
    list.replaceChildren();
  };
  const go = (m) => {
    close();
    input.blur();
    rmap.showFeature(m.layer, m.index);
  };
  const render = () => {
    list.replaceChildren();
    if (!input.value.trim()) {
      close();
      return;
    }
    if (!matches.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = t('search_none');
      list.appendChild(li);
    }
    matches.forEach((m, i) => {
      const li = document.createElement('li');
      li.textContent = m.label;
      if (i === active) li.className = 'active';
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        go(m);
      });
      list.appendChild(li);
    });
    list.hidden = false;
  };
  input.addEventListener('input', () => {
    matches = findMatches(model, input.value);
    active = 0;
    render();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (matches.length) active = (active + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      render();
    } else if (e.key === 'Enter' && matches[active]) {
      go(matches[active]);
    } else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

/** Sets the input's placeholder in the current language. */
export function relabelSearch(input) {
  input.placeholder = t('search_placeholder');
}
