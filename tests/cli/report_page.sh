#!/bin/sh
# The planner's report (issue 18): `gridplan run` on the embedded sample writes report.html;
# the browser test (web/test/report.test.mjs: real Chromium through playwright-core, every
# network request blocked) checks the map, a grid's popup, the tables against the run's own
# GeoJSON and CSV, and the language switch, and saves screenshots under SCRATCH_DIR/shots.
# Then `gridplan report DIR` rebuilds the page from the GeoPackage: refused without --force
# (exit 3), rebuilt in English with --force --lang en, keeping the run's command line (the
# rebuilt page is the same front end with other data: the browser test is not repeated).
#   report_page.sh GRIDPLAN SOURCE_DIR SCRATCH_DIR
set -eu
gp=$1
src=$2
out=$3
rm -rf "$out"
"$gp" run "$src/data/monaco.json" -o "$out/run" --quiet > "$out.log"
test -s "$out/run/report.html"
grep -q '"format":"gridplan-report/1"' "$out/run/report.html"
(cd "$src/web" && node test/report.test.mjs "$out/run/report.html" "$out/run" "$out/shots")
test -s "$out/shots/report-zh-map.png"

cp "$out/run/report.html" "$out/run/report.html.orig"
rc=0
"$gp" report "$out/run" 2> "$out/refused.err" > /dev/null || rc=$?
test "$rc" -eq 3
grep -q 'exists (use --force' "$out/refused.err"
"$gp" report "$out/run" --force --lang en > "$out/rebuilt.log"
grep -q '"lang":"en"' "$out/run/report.html"
grep -q '"command":"run' "$out/run/report.html"
cmp -s "$out/run/report.html" "$out/run/report.html.orig" && exit 1  # it did change
echo "report_page: ok ($(wc -c < "$out/run/report.html") bytes)"
