#!/usr/bin/python3
"""Cut the Taipei fixtures out of the shared Taipei files (run with Debian's /usr/bin/python3).

Keeps, byte-for-byte in value (features are copied as parsed JSON; floats round-trip exactly):
  * the villages (里) and towns (區) whose TNAME is one of DISTRICTS,
  * the welfare points that fall inside those towns (shapely `covers`, in lon/lat).
Usage: make_taipei_cut.py SHARED_TAIPEI_DIR OUT_DIR
"""
import json
import sys
from shapely.geometry import shape
from shapely.ops import unary_union

DISTRICTS = ["內湖區", "南港區"]  # Neihu (holds both self-intersecting villages) and Nangang


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def dump(fc, features, path):
    out = {k: v for k, v in fc.items() if k != "features"}
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n")
        for k, v in out.items():
            f.write(f'"{k}": {json.dumps(v, ensure_ascii=False)},\n')
        f.write('"features": [\n')
        f.write(",\n".join(json.dumps(ft, ensure_ascii=False) for ft in features))
        f.write("\n]\n}\n")


def main():
    src, dst = sys.argv[1], sys.argv[2]
    towns = load(f"{src}/taipei_town.geojson")
    villages = load(f"{src}/taipei_village.geojson")
    welfare = load(f"{src}/socl_welfare_organization_plc.geojson")
    t_keep = [f for f in towns["features"] if f["properties"]["TNAME"] in DISTRICTS]
    v_keep = [f for f in villages["features"] if f["properties"]["TNAME"] in DISTRICTS]
    area = unary_union([shape(f["geometry"]) for f in t_keep])
    w_keep = [f for f in welfare["features"] if area.covers(shape(f["geometry"]))]
    dump(towns, t_keep, f"{dst}/neihu_nangang_towns.geojson")
    dump(villages, v_keep, f"{dst}/neihu_nangang_villages.geojson")
    dump(welfare, w_keep, f"{dst}/neihu_nangang_welfare.geojson")
    print(f"towns {len(t_keep)}, villages {len(v_keep)}, welfare points {len(w_keep)}")


if __name__ == "__main__":
    main()
