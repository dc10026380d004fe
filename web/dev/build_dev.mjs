// The dev page: builds dist/report.html and fills it with data assembled from a run's output
// directory → dev/out/report.html (what gridplan will do in C++).
//   node dev/build_dev.mjs [RUN_DIR=/tmp/demo-out] [--lang en] [--out FILE]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, embed } from './sample_data.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const runDir = positional[0] ?? '/tmp/demo-out';
const out = opt('--out', path.join(here, 'out/report.html'));

execFileSync(process.execPath, [path.join(here, '../build.mjs')], { stdio: 'inherit' });
const template = readFileSync(path.join(here, '../dist/report.html'), 'utf8');
const placeholder = '__GRIDPLAN_REPORT_DATA__';
const i = template.indexOf(placeholder);
const json = embed(assemble(runDir, { lang: opt('--lang', 'zh') }));
const html = template.slice(0, i) + json + template.slice(i + placeholder.length);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, html);
console.log(`build_dev.mjs: ${out} ${Buffer.byteLength(html)} bytes (data ${Buffer.byteLength(json)})`);
