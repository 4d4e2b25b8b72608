"""Corrections a researcher makes to figures (`zhmine review`, the review page of `zhmine serve
--review`): confirm, reject, or correct a figure's value, region, year or metric; share them
(export_file, import_file). The table, its key and the overlay that applies it: extract/reviewed.py.
A correction whose figure a new extractor no longer finds stays in the table and is listed as
orphaned (`zhmine review --list`).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from ..reviewed import (ACTIONS, FIELDS, KEY, KEY_SOURCE, REGION_FIELDS, SHARED, ensure_table, key_match,  # noqa: F401
                        overlay_sql)


class CorrectionError(ValueError):
    """A correction that cannot be made (unknown figure, bad value): str() is one line."""


# ------------------------------------------------------------------ making corrections
def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def figure(db, figure_id) -> dict:
    """The stored figure (base columns) with its document's hash, or CorrectionError. An id typed on
    the command line is text: asked for as given and, all digits, as a number too, in one SELECT (an
    id column without integer affinity, such as a view's computed one, does not take '12' for 12)."""
    ids = [figure_id] + ([int(figure_id)] if str(figure_id).isdigit() else [])
    cur = db.execute("select f.*, d.sha256 as document_sha256 from figures f join documents d on d.id = f.document_id "
                     f"where f.id in ({', '.join('?' * len(ids))}) limit 1", ids)
    row = cur.fetchone()
    if row is None:
        raise CorrectionError(f"no figure with id {figure_id} in this database: find ids with "
                              "`zhmine query --format csv` (column id) or on the figure's page in `zhmine serve`")
    return dict(zip([d[0] for d in cur.description], row))


def _region(db, region: str) -> dict:
    """A region as typed (name, code or /-path) -> its path, code and levels; one region or an error."""
    from .query import QueryError, resolve_region

    try:
        paths = resolve_region(db, region)
    except QueryError as e:
        raise CorrectionError(str(e)) from None
    if len(paths) > 1:
        raise CorrectionError(f"{region} names {len(paths)} regions ({', '.join(paths[:4])}): give the /-path or the code")
    path = paths[0]
    out = {"region": path, "region_code": None}
    parts = (path.split("/") + [None] * 4)[:4]
    out.update(zip(REGION_FIELDS[1:], parts))
    if "regions" in db.table_names():
        row = db.execute("select code, province, prefecture, county, township from regions where path = ?",
                         [path]).fetchone()
        if row:
            out.update(zip(REGION_FIELDS, row))
    return out


def record(db, figure_id, action: str, value=None, region=None, year=None, metric=None, note=None,
           author=None) -> int:
    """Store one correction of the figure with this id; returns the correction's id. `correct`
    needs at least one of value, region, year, metric; confirm and reject take none."""
    from .. import records

    if action not in ACTIONS:
        raise CorrectionError(f"unknown action {action!r}: choose from {', '.join(ACTIONS)}")
    changes = {k: v for k, v in (("value", value), ("region", region), ("year", year), ("metric", metric))
               if v not in (None, "")}
    if action == "correct" and not changes:
        raise CorrectionError("a correction needs a new value, region, year or metric")
    if action != "correct" and changes:
        raise CorrectionError(f"{action} takes no new values: use correct")
    f = figure(db, figure_id)
    row = {"document_sha256": f["document_sha256"], **{k: f.get(src) for k, src in KEY_SOURCE.items()},
           "action": action, "note": note or None, "author": author or None, "created_at": _now(),
           "figure_id": str(f["id"]), "document": f.get("document"), "extractor_version": records.EXTRACTOR_VERSION}
    try:
        if "value" in changes:
            row["value"] = float(str(changes["value"]).replace(",", ""))
        if "year" in changes:
            row["year"] = int(changes["year"])
    except ValueError:
        raise CorrectionError(f"not a number: {changes.get('value', changes.get('year'))!r}") from None
    if "metric" in changes:
        row["metric"] = str(changes["metric"]).strip()
    if "region" in changes:
        row.update(_region(db, str(changes["region"])))
    with db.conn:
        return db["corrections"].insert(row).last_pk


def rows(db) -> list[dict]:
    """Every correction with `attached`: the id of the figure it applies to now, or None (orphaned:
    the current extraction no longer has a figure with its key)."""
    if "corrections" not in db.table_names():
        return []
    match = key_match("f", "c")
    sql = (f"select c.*, (select f.id from figures f join documents d on d.id = f.document_id "
           f"where d.sha256 = c.document_sha256 and {match} limit 1) as attached from corrections c order by c.id")
    cur = db.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur]


def orphans(db) -> list[dict]:
    return [r for r in rows(db) if r["attached"] is None]


# ------------------------------------------------------------------ sharing
def export(db, out) -> int:
    """Write every correction (with its key, not its row ids) as CSV or JSON Lines (by the suffix)."""
    items = [{k: r[k] for k in SHARED} for r in rows(db)]
    path = Path(out)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        if path.suffix.lower() in (".jsonl", ".json"):
            for item in items:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        else:
            w = csv.DictWriter(fh, fieldnames=list(SHARED), lineterminator="\n")
            w.writeheader()
            w.writerows(items)
    return len(items)


def import_file(db, path) -> tuple[int, int]:
    """Add the corrections of a shared file (export's CSV or JSON Lines); one already present (same
    key, action, values and time) is skipped. Returns (added, skipped)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise CorrectionError(f"cannot read {path} ({e.strerror or e})") from None
    if path.suffix.lower() in (".jsonl", ".json"):
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as e:
            raise CorrectionError(f"{path} line {e.lineno}: not JSON ({e.msg})") from None
    else:
        items = list(csv.DictReader(text.splitlines()))
    missing = [k for k in ("document_sha256", "surface", "action") if items and k not in items[0]]
    if missing:
        raise CorrectionError(f"{path} is not a corrections file (no column {', '.join(missing)}): "
                              "make one with `zhmine export --corrections FILE`")
    added = skipped = 0
    have = {_identity(r) for r in rows(db)}
    with db.conn:
        for item in items:
            row = {k: (None if item.get(k) in ("", None) else item[k]) for k in SHARED}
            for k in ("start", "end", "table_no", "row_no", "column_no", "year"):
                row[k] = None if row[k] is None else int(row[k])
            row["value"] = None if row["value"] is None else float(row["value"])
            if row["action"] not in ACTIONS:
                raise CorrectionError(f"{path}: unknown action {row['action']!r} (confirm, reject or correct)")
            if _identity(row) in have:
                skipped += 1
                continue
            db["corrections"].insert(row)
            have.add(_identity(row))
            added += 1
    return added, skipped


def _identity(r: dict) -> tuple:
    return tuple(str(r.get(k)) for k in KEY + ("action",) + FIELDS + ("created_at",))


def listing(db) -> str:
    """The corrections as an aligned table for `zhmine review --list`, orphans marked."""
    from .query import format_rows

    items = rows(db)
    if not items:
        return "no corrections yet: `zhmine review FIGURE_ID --region …` or the review page of `zhmine serve --review`"
    out = [{"id": r["id"], "action": r["action"], "figure": r["attached"] if r["attached"] is not None else "ORPHANED",
            "document": r["document"], "surface": r["surface"], "value": r["value"], "region": r["region"],
            "year": r["year"], "metric": r["metric"], "note": r["note"], "at": r["created_at"]} for r in items]
    lost = sum(1 for r in items if r["attached"] is None)
    tail = (f"\n{lost} orphaned: the current extraction has no figure at their place in their document "
            "(kept; they apply again if the figure comes back)") if lost else ""
    return format_rows(out) + tail
