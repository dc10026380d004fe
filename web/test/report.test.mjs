// End-to-end test of the planner's report in a real browser (Debian Chromium through
// playwright-core): the page opens from file:// with every network request blocked (and
// failing the test), draws the grids, shows a grid's figures on a click, shows totals equal to
// the run's own outputs, and switches to English.
//   node test/report.test.mjs REPORT_HTML RUN_OUTPUT_DIR SCREENSHOT_DIR
// Environment: CHROMIUM (default /usr/bin/chromium). Exit 0 only when every check passed.
import { chromium } from 'playwright-core';
import { check, results } from './check.mjs';
import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readGeojson, readCsvTable } from './run_outputs.mjs';

const [reportHtml, runDir, shotDir] = process.argv.slice(2);
if (!reportHtml || !runDir || !shotDir) {
  console.error('usage: node test/report.test.mjs REPORT_HTML RUN_OUTPUT_DIR SCREENSHOT_DIR');
  process.exit(2);
}

const { failures } = results;

/** A number shown on the page ("12,345", "67.8%") as a number; NaN when there is none. */
function shownNumber(text) {
  const s = (text ?? '').replace(/[,\s%]/g, '').replace('−', '-');
  return s === '' ? NaN : Number(s);
}

/**
 * A point inside a (Multi)Polygon: on the horizontal line through the middle of the largest
 * part's extent, the middle of the widest stretch inside (written here again, apart from the
 * page's, so the test does not trust the page to find the grid it clicks).
 */
function insidePoint(geom) {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const area = (r) => Math.abs(r.reduce((a, p, i) => {
    const q = r[(i + 1) % r.length];
    return a + p[0] * q[1] - q[0] * p[1];
  }, 0)) / 2;
  const poly = polys.reduce((b, p) => (area(p[0]) > area(b[0]) ? p : b));
  const ys = poly[0].map((p) => p[1]);
  const y = (Math.min(...ys) + Math.max(...ys)) / 2;
  const xs = [];
  for (const ring of poly) {
    for (let i = 0; i < ring.length - 1; i++) {
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[i + 1];
      if ((y1 > y) !== (y2 > y)) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  xs.sort((a, b) => a - b);
  let best = null;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (!best || xs[i + 1] - xs[i] > best[1] - best[0]) best = [xs[i], xs[i + 1]];
  }
  return best ? [(best[0] + best[1]) / 2, y] : poly[0][0];
}

async function main() {
  mkdirSync(shotDir, { recursive: true });
  const grids = readGeojson(runDir, 'grids');
  if (!grids) throw new Error(`${runDir}/geojson/grids.geojson not found: the test needs a run with grids`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
    headless: true,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
    const blocked = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => { if (!r.url().startsWith('file://') && !blocked.includes(r.url())) blocked.push(r.url()); });

    await page.goto(pathToFileURL(path.resolve(reportHtml)).href);
    try {
      await page.waitForFunction(() => window.gridplanReport?.ready === true, null, { timeout: 60000 });
      check(true, 'page ready (map idle)');
    } catch {
      check(false, 'page ready (map idle)', `window.gridplanReport.ready not set within 60 s; page errors: ${errors.join(' | ')}`);
      return;
    }

    // 1. The grids are drawn.
    const rendered = await page.evaluate(() => {
      const r = window.gridplanReport;
      return r.map.queryRenderedFeatures({ layers: [r.layers.grids] }).length;
    });
    check(rendered > 0, 'grid layer rendered features > 0', `got ${rendered}`);
    await page.screenshot({ path: path.join(shotDir, 'report-zh-map.png') });

    // 2. A click inside a grid shows its code and households. The grid is one whose inside
    //    point is on the visible map, answers the grid layer and no point symbol.
    const nf = new Intl.NumberFormat('zh-CN');
    let clicked = null;
    for (const g of grids.features) {
      const lngLat = insidePoint(g.geometry);
      const at = await page.evaluate(([lng, lat, code]) => {
        const r = window.gridplanReport;
        const p = r.map.project([lng, lat]);
        const box = r.map.getCanvas().getBoundingClientRect();
        const x = box.left + p.x;
        const y = box.top + p.y;
        if (p.x < 5 || p.y < 5 || p.x > box.width - 5 || p.y > box.height - 5) return null;
        if (document.elementFromPoint(x, y) !== r.map.getCanvas()) return null;
        const hits = r.map.queryRenderedFeatures([p.x, p.y]);
        if (hits.some((h) => h.layer.type === 'symbol' && h.layer.id !== 'grid-labels')) return null;
        if (!hits.some((h) => h.layer.id === r.layers.grids && h.properties.code === code)) return null;
        return { x, y };
      }, [lngLat[0], lngLat[1], g.properties.code]);
      if (at) {
        clicked = { ...at, p: g.properties };
        break;
      }
    }
    if (check(clicked != null, 'a grid can be clicked inside (inside point on the map, not under a symbol)')) {
      await page.mouse.click(clicked.x, clicked.y);
      const sec = page.locator('.maplibregl-popup .gp-popup section[data-layer="grids"]');
      await sec.first().waitFor({ timeout: 5000 }).catch(() => {});
      const text = (await sec.count()) ? await sec.first().innerText() : '';
      const hh = nf.format(clicked.p.households);
      check(text.includes(clicked.p.code), `popup shows the grid code ${clicked.p.code}`, `popup text: ${JSON.stringify(text.slice(0, 200))}`);
      check(new RegExp(`户数\\s+${hh.replace(/[,.]/g, '\\$&')}(\\s|$)`).test(text), `popup shows households 户数 ${hh}`, `popup text: ${JSON.stringify(text.slice(0, 300))}`);
    }

    // A closer look (labels, buildings, the popup) for the screenshot; then back.
    if (clicked) {
      const at = insidePoint(grids.features.find((f) => f.properties.code === clicked.p.code).geometry);
      await page.evaluate(([lng, lat]) => new Promise((res) => {
        const m = window.gridplanReport.map;
        window.__camera = { center: m.getCenter(), zoom: m.getZoom() };
        m.once('idle', res);
        m.jumpTo({ center: [lng, lat], zoom: 16 });
      }), at);
      await page.screenshot({ path: path.join(shotDir, 'report-zh-zoom.png') });
      await page.evaluate(() => new Promise((res) => {
        const m = window.gridplanReport.map;
        m.once('idle', res);
        m.jumpTo(window.__camera);
      }));
    }

    // 3. Totals equal the run's outputs, read from the files independently.
    const total = async (table, field) => page.locator(`[data-table="${table}"] [data-total="${field}"]`).first().innerText().catch(() => null);
    const hhSum = grids.features.reduce((s, f) => s + (f.properties.households ?? 0), 0);
    const popSum = grids.features.reduce((s, f) => s + (f.properties.population ?? 0), 0);
    for (const table of ['communities', 'streets']) {
      if (!readGeojson(runDir, table)) continue;
      const shown = await total(table, 'households');
      check(shownNumber(shown) === hhSum, `${table} table households total == sum of grids.geojson households (${nf.format(hhSum)})`, `page shows ${JSON.stringify(shown)}`);
      const shownPop = await total(table, 'population');
      check(shownNumber(shownPop) === popSum, `${table} table population total == sum of grids.geojson population (${nf.format(popSum)})`, `page shows ${JSON.stringify(shownPop)}`);
      const shownN = await total(table, 'n_grids');
      check(shownNumber(shownN) === grids.features.length, `${table} table grids total == grids.geojson features (${grids.features.length})`, `page shows ${JSON.stringify(shownN)}`);
    }
    const csvFile = path.join(runDir, 'csv', 'coverage_stats.csv');
    if (existsSync(csvFile)) {
      const rows = readCsvTable(runDir, 'coverage_stats')
        .filter((r) => r.level === 'all' && r.kind === 'service_centre' && Number(r.minutes) === 15 && (r.scenario ?? 'today') === 'today');
      check(rows.length > 0, 'coverage_stats.csv has the whole-area service-centre 15-minute row(s)');
      for (const r of rows) {
        const shown = await total('communities', `pop_pct|service_centre|${r.profile}|15`);
        // Both sides are one-decimal roundings of the same share (the CSV's of the exact value,
        // the page's of the value it holds): they can differ by one unit only on a tie.
        const d = Math.abs(shownNumber(shown) - r.pop_pct);
        check(d < 0.1 + 1e-9, `whole-area service-centre 15-min residents covered (${r.profile}) == coverage_stats.csv all row (${r.pop_pct}%)`, `page shows ${JSON.stringify(shown)}`);
      }
    } else {
      console.log(`note: ${csvFile} absent (a run without coverage): coverage totals not compared`);
    }
    await page.locator('#sec-areas').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shotDir, 'report-zh-tables.png'), fullPage: true });

    // 3b. The organisational chain: street → community → grid → building group, from the run's
    // own layers; the grid with the most groups lists exactly its groups, their households
    // adding up to the grid's, and its "map" button opens its popup.
    const groups = readGeojson(runDir, 'building_groups');
    if (groups?.features.length) {
      const perGrid = new Map();
      for (const f of groups.features) perGrid.set(f.properties.grid_code, [...(perGrid.get(f.properties.grid_code) ?? []), f.properties]);
      const [gridCode, its] = [...perGrid.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))[0];
      const g = grids.features.find((f) => f.properties.code === gridCode).properties;
      const open = async (sel) => {
        const d = page.locator(sel).first();
        if (!(await d.evaluate((e) => e.open))) await d.locator(':scope > summary').click();
      };
      await open(`details.chain-street[data-code="${g.st_code ?? ''}"]`);
      await open(`details.chain-community[data-code="${g.comm_code ?? ''}"]`);
      await open(`details.chain-grid[data-code="${gridCode}"]`);
      const leaves = page.locator(`details.chain-grid[data-code="${gridCode}"] .chain-group`);
      // a branch draws its children on the 'toggle' event, which the browser fires after the click
      await leaves.first().waitFor({ timeout: 10000 });
      const codes = await leaves.evaluateAll((ls) => ls.map((l) => l.dataset.code));
      check(JSON.stringify(codes) === JSON.stringify(its.map((p) => p.code).sort()), `chain: grid ${gridCode} lists its ${its.length} building groups`, JSON.stringify(codes));
      const hh = its.reduce((s, p) => s + p.households, 0);
      check(hh === g.households, `chain: the groups of ${gridCode} add up to its ${g.households} households`, `groups ${hh}`);
      const line = await leaves.first().innerText();
      check(line.includes('楼栋长') && line.includes(codes[0]), 'chain: a group line shows its code and the building head slot', JSON.stringify(line));
      const total = await page.locator('#sec-chain [data-total="chain"]').innerText();
      check(total.includes(`${nf.format(groups.features.length)} 个楼栋党小组`) && total.includes(`${nf.format(hhSum)} 户`), 'chain: the total line counts every group and household', JSON.stringify(total));
      await page.locator('#sec-chain').screenshot({ path: path.join(shotDir, 'report-zh-chain.png') });
      await page.evaluate(() => window.gridplanReport.rmap.closePopup());
      const camera = await page.evaluate(() => ({ center: window.gridplanReport.map.getCenter().toArray(), zoom: window.gridplanReport.map.getZoom() }));
      await leaves.first().locator('.chain-go').click();
      await page.waitForSelector('.maplibregl-popup .gp-popup', { timeout: 10000 }).catch(() => null);
      const pop = await page.locator('.maplibregl-popup .gp-popup').first().innerText().catch(() => '');
      check(pop.startsWith('楼栋党小组') && pop.includes(codes[0]), 'chain: the map button of a group opens its popup on the map', JSON.stringify(pop.slice(0, 200)));
      await page.evaluate((cam) => {  // back where the grid was clicked, for step 4
        window.gridplanReport.rmap.closePopup();
        const map = window.gridplanReport.map;
        map.jumpTo(cam);
        return new Promise((res) => map.once('idle', res));
      }, camera);
      await page.evaluate(() => window.scrollTo(0, 0));
    } else {
      console.log('note: building_groups.geojson absent: the chain is not compared');
    }

    // 4. English: the words change, the numbers stay.
    const before = await page.locator('#sec-areas h2').innerText();
    const legendBefore = await page.locator('#legend h2').innerText();
    await page.click('#lang-toggle');
    const after = await page.locator('#sec-areas h2').innerText();
    check(before === '街道与社区统计' && after === 'Streets and communities', 'language switch: the areas heading turns English', `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    check(legendBefore === '图层' && (await page.locator('#legend h2').innerText()) === 'Layers', 'language switch: the legend turns English');
    const headEn = await page.locator('[data-table="communities"] thead').innerText().catch(() => '');
    check(/Households/.test(headEn) && !/户数/.test(headEn), 'language switch: the community table header is English', JSON.stringify(headEn.slice(0, 120)));
    const hhEn = await total('communities', 'households');
    check(shownNumber(hhEn) === hhSum, 'English page: the households total is unchanged', JSON.stringify(hhEn));
    if (clicked) {
      await page.mouse.click(clicked.x, clicked.y);
      const text = await page.locator('.maplibregl-popup .gp-popup').first().innerText().catch(() => '');
      check(text.includes('households') && text.includes(clicked.p.code), 'English popup shows "households" and the code', JSON.stringify(text.slice(0, 200)));
    }
    await page.evaluate(() => new Promise((res) => window.gridplanReport.map.once('idle', res)).then(() => window.scrollTo(0, 0)));
    await page.screenshot({ path: path.join(shotDir, 'report-en.png') });
    await page.screenshot({ path: path.join(shotDir, 'report-en-full.png'), fullPage: true });

    // 5. No network, no errors.
    check(blocked.length === 0, 'no request left file:// (all blocked and counted)', blocked.slice(0, 5).join(', '));
    check(errors.length === 0, 'no console errors on the page', errors.slice(0, 5).join(' | '));
  } finally {
    await browser.close();
  }
}

main()
  .catch((e) => {
    failures.push(`test error: ${e.message}`);
    console.log(`FAIL ${e.stack ?? e}`);
  })
  .finally(() => {
    console.log(`screenshots: ${path.resolve(shotDir)}`);
    console.log(`${results.passed} passed, ${failures.length} failed`);
    process.exit(failures.length ? 1 : 0);
  });
