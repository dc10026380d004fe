#!/bin/sh
# CSV for Chinese Excel (issue 15 item 7), checked in a real spreadsheet: LibreOffice Calc
# converts `gridplan run`'s csv/coverage_stats.csv to xlsx, and the grid codes must come back as
# text (a formula cell with a string result, as in Excel), not as numbers; the header Chinese.
#   csv_spreadsheet.sh GRIDPLAN CONFIG SCRATCH_DIR        (exit 77 = skipped: no soffice)
set -eu
gp=$1
cfg=$2
out=$3
command -v soffice > /dev/null 2>&1 || { echo "soffice not installed: skipped"; exit 77; }
rm -rf "$out"
mkdir -p "$out"
"$gp" run "$cfg" -o "$out/run" --formats gpkg > "$out/run.log"
# UTF-8 (76), comma (44), double quote (34), from line 1: what Calc's import dialog detects
# from the byte-order mark.
soffice -env:UserInstallation="file://$out/profile" --headless --infilter="CSV:44,34,76,1" \
    --convert-to xlsx --outdir "$out" "$out/run/csv/coverage_stats.csv" > "$out/soffice.log" 2>&1
python3 - "$out/coverage_stats.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
strings = [re.sub(r"<[^>]+>", "", s)
           for s in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode())]
sheet = z.read("xl/worksheets/sheet1.xml").decode()
cells = {}
for ref, attrs, body in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', sheet):
    t = re.search(r't="(\w+)"', attrs)
    v = re.search(r"<v>(.*?)</v>", body or "")
    value = v.group(1) if v else ""
    kind = t.group(1) if t else "n"
    cells[ref] = (kind, strings[int(value)] if kind == "s" else value)
assert cells["A1"] == ("s", "统计层级"), cells["A1"]
grid_rows = [r for r in range(2, 10000) if cells.get(f"A{r}") == ("s", "grid")]
assert grid_rows, "no grid rows"
for r in grid_rows:
    kind, value = cells[f"B{r}"]
    assert kind == "str" and re.fullmatch(r"[0-9]{15}", value), (r, kind, value)
print(f"{len(grid_rows)} grid rows, every code text: {cells[f'B{grid_rows[0]}'][1]}")
PY
