"""A figure's region as its gazetteer code and its province/prefecture/county/township columns, filled
in the batch workers (where the gazetteer is loaded anyway) so that the single writer never loads it."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import DocumentResult

REGION_PARTS = ("province", "prefecture", "county", "township")


def _split_region(path: str | None) -> dict:
    parts = path.split("/") if path else []
    parts += [None] * (4 - len(parts))
    return dict(zip(REGION_PARTS, parts[:4]))


def _gazetteer():
    """The gazetteer once zhmine.places.gazetteer exists (written separately); None before that."""
    try:
        from .places import gazetteer
    except ImportError:
        return None
    try:
        return gazetteer.get()
    except Exception:  # a broken gazetteer must not stop storing documents
        return None


def _region_code(gaz, region: str | None, code: str | None) -> str | None:
    if code or not region or gaz is None:
        return code
    try:
        hit = gaz.by_path(region)
    except Exception:
        return None
    return getattr(hit, "code", None) if hit is not None else None


def _region_levels(gaz, region: str | None) -> dict:
    """province/prefecture/county/township of a region path, by the gazetteer's levels: a district of
    a municipality (北京市/东城区) is a county, not a prefecture. A tail the gazetteer lacks (a township
    found by its suffix) takes the levels below the deepest known part."""
    if not region or gaz is None:
        return _split_region(region)
    parts = region.split("/")
    for k in range(len(parts), 0, -1):
        try:
            hit = gaz.by_path("/".join(parts[:k]))
        except Exception:
            hit = None
        if hit is None:
            continue
        if getattr(hit, "level", None) not in REGION_PARTS:
            break
        levels = dict.fromkeys(REGION_PARTS)
        node = hit
        while node is not None:
            if node.level in levels:
                levels[node.level] = node.name
            node = gaz.parent_of(node)
        below = REGION_PARTS[REGION_PARTS.index(hit.level) + 1:]
        for level, name in zip(below, parts[k:]):
            levels[level] = name
        return levels
    return _split_region(region)


def fill_region_codes(result: DocumentResult) -> None:
    """Give each figure with a region its gazetteer code (where the span set none) and its
    province/prefecture/county/township columns. Batch workers run this, so that the single writer
    never loads the gazetteer."""
    if any(f["region"] for f in result.figures):
        gaz = _gazetteer()
        for f in result.figures:
            f["region_code"] = _region_code(gaz, f["region"], f["region_code"])
            f["levels"] = _region_levels(gaz, f["region"])
