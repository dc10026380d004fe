// The organisational chain (docs/report.md "Organisational chain"): street → community → grid →
// building group → buildings, as a tree whose branches are drawn when opened (a city has
// thousands of grids and groups; a closed branch costs one line).
import { t, valueLabel } from './i18n.js';
import * as fmt from './format.js';

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

/** A node of the chain: its level, feature (layer + index, for the map), figures, children. */
function node(level, key, props, layer, index) {
  return {
    level, key, props, layer, index, children: [],
    households: 0, population: 0, buildings: 0, grids: 0, groups: 0, communities: 0,
  };
}

function add(into, from) {
  for (const k of ['households', 'population', 'buildings', 'grids', 'groups', 'communities']) into[k] += from[k];
}

/** Children sorted by code (codes are fixed-width digits; rows without one last). */
function byCode(a, b) {
  const x = a.key ?? '';
  const y = b.key ?? '';
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The chain as a tree from the page's layers: streets, communities, grids and building_groups,
 * joined by their codes (st_code, comm_code, grid_code). A community whose street is not in the
 * page hangs under an unnamed street; figures add up from the grids (or the groups' grids).
 */
export function chainTree(model) {
  const root = node('root', '', {}, null, -1);
  const streets = new Map();
  const communities = new Map();
  const grids = new Map();
  const street = (code, name) => {
    const key = code ?? '';
    if (!streets.has(key)) {
      const s = node('street', key, { code, name }, null, -1);
      streets.set(key, s);
      root.children.push(s);
    }
    return streets.get(key);
  };
  model.features('streets').forEach((f, i) => {
    const s = street(f.properties.code, f.properties.name);
    Object.assign(s, { props: f.properties, layer: 'streets', index: i });
  });
  const community = (code, name, stCode, stName) => {
    const key = code ?? '';
    if (!communities.has(key)) {
      const c = node('community', key, { code, name }, null, -1);
      communities.set(key, c);
      street(stCode, stName).children.push(c);
    }
    return communities.get(key);
  };
  model.features('communities').forEach((f, i) => {
    const p = f.properties;
    const c = community(p.code, p.name, p.st_code, p.st_name);
    Object.assign(c, { props: p, layer: 'communities', index: i });
  });
  model.features('grids').forEach((f, i) => {
    const p = f.properties;
    const g = node('grid', p.code, p, 'grids', i);
    g.households = p.households ?? 0;
    g.population = p.population ?? 0;
    g.buildings = p.buildings ?? 0;
    g.grids = 1;
    grids.set(p.code, g);
    community(p.comm_code, p.comm_name, p.st_code, p.st_name).children.push(g);
  });
  model.features('building_groups').forEach((f, i) => {
    const p = f.properties;
    const grp = node('group', p.code, p, 'building_groups', i);
    grp.groups = 1;
    grids.get(p.grid_code)?.children.push(grp);
  });
  const total = (n) => {
    n.children.sort(byCode);
    for (const c of n.children) {
      total(c);
      if (n.level !== 'grid') add(n, c);
      else n.groups += c.groups;
    }
    if (n.level === 'community') n.communities = 1;
  };
  total(root);
  root.children = root.children.filter((s) => s.children.length || s.layer);
  return root;
}

/** "12 个社区 · 48 个网格 · 180 个楼栋党小组 · 12,345 户 · 30,000 人 · 900 栋". */
function figures(n, withGroups) {
  const parts = [];
  if (n.level === 'street') parts.push(t('chain_n_communities', { n: fmt.int(n.communities) }));
  if (n.level === 'street' || n.level === 'community') parts.push(t('chain_n_grids', { n: fmt.int(n.grids) }));
  if (withGroups && n.level !== 'group') parts.push(t('chain_n_groups', { n: fmt.int(n.groups) }));
  parts.push(t('chain_households', { n: fmt.int(n.level === 'group' ? n.props.households : n.households) }));
  parts.push(t('chain_population', { n: fmt.int(n.level === 'group' ? n.props.population : n.population) }));
  parts.push(t('chain_buildings', { n: fmt.int(n.level === 'group' ? n.props.buildings : n.buildings) }));
  return parts.join(' · ');
}

/** The words after a grid's or group's figures: band status, standalone, the building head slot. */
function remarks(n) {
  const p = n.props;
  if (n.level === 'grid') return p.status ? valueLabel('status', p.status) : '';
  if (n.level !== 'group') return '';
  const said = [];
  if (p.standalone === 1) said.push(t('chain_standalone'));
  else if (p.in_band !== 1) said.push(t('chain_out_of_band'));
  said.push(t('chain_head', { name: p.bldg_head || t('chain_to_fill') }));
  return said.join(' · ');
}

function line(n, rmap, withGroups) {
  const title = `${t(`chain_${n.level}`)} ${n.props.name ?? ''} ${n.key || t('chain_no_code')}`.replace(/\s+/g, ' ').trim();
  const head = el('span', { className: 'chain-name', textContent: title });
  // spaces between the parts, so copied text and screen readers keep them apart
  const out = el('span', { className: 'chain-line' }, head, ' ',
    el('span', { className: 'chain-figs', textContent: figures(n, withGroups) }));
  const rem = remarks(n);
  if (rem) out.append(' ', el('span', { className: 'chain-rem', textContent: rem }));
  if (n.layer && n.index >= 0) {
    const go = el('button', { type: 'button', className: 'chain-go', textContent: t('chain_map'), title: t('chain_show_on_map') });
    go.addEventListener('click', (e) => {
      e.preventDefault();
      e.stopPropagation();
      rmap.showFeature(n.layer, n.index);
    });
    out.append(' ', go);
  }
  return out;
}

/** One branch: a <details> whose children are drawn the first time it opens. */
function branch(n, rmap, withGroups) {
  if (!n.children.length) {
    return el('div', { className: `chain-leaf chain-${n.level}`, 'data-code': n.key }, line(n, rmap, withGroups));
  }
  const d = el('details', { className: `chain-${n.level}`, 'data-code': n.key });
  d.append(el('summary', {}, line(n, rmap, withGroups)));
  d.addEventListener('toggle', () => {
    if (!d.open || d.dataset.drawn) return;
    d.dataset.drawn = '1';
    const box = el('div', { className: 'chain-children' });
    for (const c of n.children) box.append(branch(c, rmap, withGroups));
    d.append(box);
  });
  return d;
}

/** Draws the chain section; a street is open when the page has only one. */
export function renderChain(root, model, rmap) {
  root.replaceChildren(el('h2', { textContent: t('chain_title') }));
  if (!model.has('grids')) {
    root.append(el('p', { className: 'absent', textContent: t('no_grids') }));
    return;
  }
  const withGroups = model.has('building_groups');
  const tree = chainTree(model);
  root.append(el('p', { className: 'caption', textContent: t(withGroups ? 'chain_caption' : 'chain_caption_no_groups') }));
  root.append(el('p', { className: 'chain-total', 'data-total': 'chain', textContent: t('chain_all', { figs: figures({ ...tree, level: 'street', communities: tree.communities }, withGroups) }) }));
  const box = el('div', { className: 'chain' });
  for (const s of tree.children) box.append(branch(s, rmap, withGroups));
  root.append(box);
  const first = box.querySelector('details');
  if (tree.children.length === 1 && first) first.open = true;
}
