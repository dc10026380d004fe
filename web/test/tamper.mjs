// The browser test must fail when the page is wrong: runs report.test.mjs on spoilt copies of
// a good report and expects each to fail with the check that catches it.
//   node test/tamper.mjs REPORT_HTML RUN_OUTPUT_DIR SCRATCH_DIR
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [reportHtml, runDir, scratch] = process.argv.slice(2);
if (!reportHtml || !runDir || !scratch) {
  console.error('usage: node test/tamper.mjs REPORT_HTML RUN_OUTPUT_DIR SCRATCH_DIR');
  process.exit(2);
}
mkdirSync(scratch, { recursive: true });
const good = readFileSync(reportHtml, 'utf8');

/** The page's data block, changed by fn (the JSON is parsed and written back, "</" escaped). */
function withData(html, fn) {
  const open = '<script id="gridplan-data" type="application/json">';
  const i = html.indexOf(open) + open.length;
  const j = html.indexOf('</script>', i);
  const data = JSON.parse(html.slice(i, j));
  fn(data);
  return html.slice(0, i) + JSON.stringify(data).replace(/<\//g, '<\\/') + html.slice(j);
}

const cases = [
  {
    name: 'network',
    expect: 'no request left file://',
    html: good.replace('</body>', '<img src="http://192.0.2.1/tile.png" alt=""></body>'),
  },
  {
    name: 'console-error',
    expect: 'no console errors on the page',
    html: good.replace('</body>', '<script>console.error("tampered")</script></body>'),
  },
  {
    name: 'households',
    expect: 'communities table households total',
    html: withData(good, (d) => {
      const c = d.layers.find((l) => l.name === 'communities');
      c.features[0].properties.households += 1;
    }),
  },
  {
    name: 'coverage',
    expect: 'whole-area service-centre 15-min residents covered',
    html: withData(good, (d) => {
      const s = d.layers.find((l) => l.name === 'coverage_stats');
      for (const f of s.features) {
        const p = f.properties;
        if (p.level === 'all' && p.kind === 'service_centre' && Number(p.minutes) === 15) p.pop_pct = (p.pop_pct + 7) % 100;
      }
    }),
  },
];

let passed = 0;
let failed = 0;
for (const c of cases) {
  const file = path.join(scratch, `tampered-${c.name}.html`);
  writeFileSync(file, c.html);
  const r = spawnSync(process.execPath, [path.join(here, 'report.test.mjs'), file, runDir, path.join(scratch, c.name)], { encoding: 'utf8' });
  const failLines = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
  const ok = r.status === 1 && failLines.some((l) => l.includes(c.expect));
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} tampered page "${c.name}" fails the browser test (exit ${r.status}): ${failLines.join(' / ') || 'no FAIL line'}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
