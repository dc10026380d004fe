// Builds dist/report.html: the report template (src/report.html) with the bundled script
// (src/report.js + maplibre-gl + chart.js, one minified IIFE) and the styles (MapLibre's CSS,
// src/report.css) inlined. The data slot stays a placeholder, filled in by gridplan (C++).
//   node build.mjs            → dist/report.html
//   node build.mjs --out FILE → FILE (gridplan's CMake build writes into its build directory)
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

async function main() {
  const result = await build({
    entryPoints: [path.join(here, 'src/report.js')],
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
  const ownCss = await readFile(path.join(here, 'src/report.css'), 'utf8');
  const css = `${mlCss}\n${ownCss}`;
  if (/<\/style/i.test(css)) fail('a stylesheet contains "</style"');
  if (/@import|url\(\s*['"]?(https?:)?\/\//i.test(css)) fail('a stylesheet refers to the network');
  let html = await readFile(path.join(here, 'src/report.html'), 'utf8');
  html = fill(html, '/*GRIDPLAN_CSS*/', css);
  html = fill(html, '/*GRIDPLAN_JS*/', js);
  const n = count(html, PLACEHOLDER);
  if (n !== 1) fail(`dist/report.html must hold the placeholder ${PLACEHOLDER} exactly once, found ${n}`);
  const slot = `<script id="gridplan-data" type="application/json">${PLACEHOLDER}</script>`;
  if (!html.includes(slot)) fail(`dist/report.html lacks the data slot ${slot}`);
  const at = process.argv.indexOf('--out');
  const out = at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1])
                                             : path.join(here, 'dist/report.html');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, html);
  console.log(`build.mjs: ${path.relative(process.cwd(), out)} ${Buffer.byteLength(html)} bytes (script ${Buffer.byteLength(js)}, css ${Buffer.byteLength(css)})`);
}

main().catch((e) => fail(e.stack ?? String(e)));
