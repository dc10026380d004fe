// Builds a page of the front end: its template (src/<page>.html) with the bundled script
// (src/<page>.js + maplibre-gl (+ chart.js), one minified IIFE) and the styles (MapLibre's CSS,
// src/report.css, src/<page>.css) inlined.
//   report:    the planner's report; its data slot stays a placeholder, filled in by gridplan (C++)
//   workspace: the page `gridplan serve` serves; it asks the server for its data
//   node build.mjs [--page report|workspace]  → dist/<page>.html
//   node build.mjs ... --out FILE              → FILE (gridplan's CMake build writes into its build directory)
import { build } from 'esbuild';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const PLACEHOLDER = '__GRIDPLAN_REPORT_DATA__';

function fail(msg) {
  console.error(`build.mjs: ${msg}`);
  process.exit(1);
}

function count(haystack, needle) {
  return haystack.split(needle).length - 1;
}

/** Puts text in place of a marker, literally (no $-patterns as String.replace would apply). */
function fill(template, marker, text) {
  if (count(template, marker) !== 1) fail(`the template must hold ${marker} exactly once`);
  const i = template.indexOf(marker);
  return template.slice(0, i) + text + template.slice(i + marker.length);
}

const PAGES = {
  report: { css: ['report.css'], dataSlot: true },
  workspace: { css: ['report.css', 'workspace.css'], dataSlot: false },
};

function arg(name) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

async function main() {
  const page = arg('--page') ?? 'report';
  const spec = PAGES[page];
  if (!spec) fail(`unknown page ${page} (report or workspace)`);
  const result = await build({
    entryPoints: [path.join(here, `src/${page}.js`)],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  let js = result.outputFiles[0].text;
  // Inside <script>, "</script" would end the element and "<!--" changes how it is parsed.
  js = js.replace(/<\/(script)/gi, '<\\/$1');
  if (/<!--/.test(js)) fail('the bundle contains "<!--", which an inline script cannot hold');
  if (js.includes(PLACEHOLDER)) fail(`the bundle contains the data placeholder ${PLACEHOLDER}`);
  const mlCss = await readFile(require.resolve('maplibre-gl/dist/maplibre-gl.css'), 'utf8');
  const own = await Promise.all(spec.css.map((f) => readFile(path.join(here, 'src', f), 'utf8')));
  const css = [mlCss, ...own].join('\n');
  if (/<\/style/i.test(css)) fail('a stylesheet contains "</style"');
  if (/@import|url\(\s*['"]?(https?:)?\/\//i.test(css)) fail('a stylesheet refers to the network');
  let html = await readFile(path.join(here, `src/${page}.html`), 'utf8');
  html = fill(html, '/*GRIDPLAN_CSS*/', css);
  html = fill(html, '/*GRIDPLAN_JS*/', js);
  const n = count(html, PLACEHOLDER);
  if (spec.dataSlot) {
    if (n !== 1) fail(`dist/${page}.html must hold the placeholder ${PLACEHOLDER} exactly once, found ${n}`);
    const slot = `<script id="gridplan-data" type="application/json">${PLACEHOLDER}</script>`;
    if (!html.includes(slot)) fail(`dist/${page}.html lacks the data slot ${slot}`);
  } else if (n !== 0) fail(`dist/${page}.html must not hold the data placeholder`);
  const out = arg('--out') ? path.resolve(arg('--out')) : path.join(here, `dist/${page}.html`);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, html);
  console.log(`build.mjs: ${path.relative(process.cwd(), out)} ${Buffer.byteLength(html)} bytes (script ${Buffer.byteLength(js)}, css ${Buffer.byteLength(css)})`);
}

main().catch((e) => fail(e.stack ?? String(e)));
