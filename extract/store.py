"""Store: DocumentResults into SQLite through sqlite-utils.

Tables: documents, articles, sentences (with full-text search), figures, dates, places, regions,
errors, runs, meta. A document's rows are replaced in one transaction, keyed by its content hash, so
running twice over the same files stores nothing twice and an interrupted write (even `kill -9`)
leaves nothing half-done: SQLite rolls the open transaction back on the next open.

Errors keep their history: each row carries the run that hit it, and `resolved` is set once the same
file is stored or fails again later, so `current_errors()` (and the `current_errors` view) is what is
still wrong now.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from . import pipeline
from .pipeline import DocumentResult

if TYPE_CHECKING:
    import sqlite_utils

CHILD_TABLES = ("figures", "dates", "places", "sentences", "articles")
REGION_PARTS = ("province", "prefecture", "county", "township")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def open_db(path) -> sqlite_utils.Database:
    import sqlite_utils  # here, not on import: batch workers use fill_region_codes without a database

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    # WAL: readers (Datasette, pandas) are not blocked by the single writer of a batch run
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=30000")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    tables = set(db.table_names())
    if "documents" not in tables:
        _create_core(db)
    # added after the first version: created or migrated on databases made before them
    if "runs" not in tables:
        db["runs"].create({"id": int, "started_at": str, "finished_at": str, "extractor_version": str,
                           "command": str, "documents": int, "skipped": int, "errors": int, "status": str},
                          pk="id")
    if "meta" not in tables:
        db["meta"].create({"key": str, "value": str}, pk="key")
    errors = db["errors"]
    for col, typ in (("run_id", int), ("resolved", int)):
        if col not in errors.columns_dict:
            errors.add_column(col, typ)
    errors.create_index(["path"], if_not_exists=True)
    errors.create_index(["sha256"], if_not_exists=True)
    db.execute("create view if not exists current_errors as "
               "select * from errors where coalesce(resolved, 0) = 0 order by id")


def _create_core(db: sqlite_utils.Database) -> None:
    db["documents"].create({
        "id": str, "path": str, "name": str, "sha256": str, "encoding": str, "kind": str, "pages": int,
        "chars": int, "doc_date": str, "doc_date_source": str, "default_region": str,
        "extractor_version": str, "warnings": str, "extracted_at": str,
    }, pk="id")
    db["articles"].create({"id": str, "document_id": str, "n": int, "title": str, "region": str,
                           "page": int, "start": int, "end": int}, pk="id", foreign_keys=[("document_id", "documents", "id")])
    db["sentences"].create({"id": str, "document_id": str, "article_id": str, "n": int, "page": int,
                            "start": int, "end": int, "text": str}, pk="id",
                           foreign_keys=[("document_id", "documents", "id"), ("article_id", "articles", "id")])
    common = {"id": str, "document_id": str, "article_id": str, "sentence_id": str, "page": int,
              "start": int, "end": int, "surface": str}
    # figures is flat on purpose: one row per figure with what a researcher filters on (document name,
    # article title, sentence) so that it works as it is in Datasette, pandas and R.
    db["figures"].create({**common, "document": str, "article_title": str, "sentence": str, "value": float, "value_max": float, "unit": str, "kind": str, "approx": str,
                          "per": str, "optional": int, "region": str, "region_code": str, "province": str,
                          "prefecture": str, "county": str, "township": str, "year": int, "metric": str,
                          "category": str, "cumulative": int}, pk="id",
                         foreign_keys=[("document_id", "documents", "id"), ("sentence_id", "sentences", "id")])
    db["dates"].create({**common, "value": str, "relative": int}, pk="id",
                       foreign_keys=[("document_id", "documents", "id")])
    db["places"].create({**common, "path": str, "code": str, "level": str}, pk="id",
                        foreign_keys=[("document_id", "documents", "id")])
    db["errors"].create({"id": int, "path": str, "sha256": str, "reason": str, "at": str,
                         "run_id": int, "resolved": int}, pk="id")
    for table in CHILD_TABLES:
        db[table].create_index(["document_id"], if_not_exists=True)
    for cols in (["region_code"], ["year"], ["category"], ["unit"], ["province", "prefecture", "county"]):
        db["figures"].create_index(cols, if_not_exists=True)
    db["sentences"].enable_fts(["text"], create_triggers=True, tokenize="trigram")


# ------------------------------------------------------------------ documents
def is_current(db: sqlite_utils.Database, sha256: str) -> bool:
    """Already stored from the same content by the same extractor version."""
    rows = list(db.query("select 1 from documents where id = ? and extractor_version = ?",
                         [sha256, pipeline.EXTRACTOR_VERSION]))
    return bool(rows)


def _real(value):
    """Values are REAL in SQLite: a Python int past 64 bits (an absurd but possible reading) would not fit."""
    return None if value is None else float(value)


def _split_region(path: str | None) -> dict:
    parts = path.split("/") if path else []
    parts += [None] * (4 - len(parts))
    return dict(zip(REGION_PARTS, parts[:4]))


def _gazetteer():
    """The gazetteer once extract.gazetteer exists (written separately); None before that."""
    try:
        from . import gazetteer
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


def save(db: sqlite_utils.Database, result: DocumentResult, run_id: int | None = None, fill_codes: bool = True) -> None:
    """Replace everything stored for this document, in one transaction.

    fill_codes=False when fill_region_codes already ran (batch workers do it, so that the writer
    process never loads the gazetteer for it).
    """
    if fill_codes:
        fill_region_codes(result)
    doc_id = result.sha256
    with db.atomic():
        for table in CHILD_TABLES:
            db.execute(f"delete from [{table}] where document_id = ?", [doc_id])
        db["documents"].upsert({
            "id": doc_id, "path": result.path, "name": result.name, "sha256": result.sha256,
            "encoding": result.encoding, "kind": result.kind, "pages": result.pages, "chars": len(result.text),
            "doc_date": result.doc_date, "doc_date_source": result.doc_date_source,
            "default_region": result.default_region, "extractor_version": pipeline.EXTRACTOR_VERSION,
            "warnings": "\n".join(result.warnings) or None, "extracted_at": now(),
        }, pk="id")
        art_id = lambda n: f"{doc_id[:16]}:a{n}"
        sent_id = lambda n: None if n is None else f"{doc_id[:16]}:s{n}"
        db["articles"].insert_all(({"id": art_id(a["n"]), "document_id": doc_id, "n": a["n"], "title": a["title"],
                                    "region": a["region"], "page": a["page"], "start": a["start"], "end": a["end"]}
                                   for a in result.articles), pk="id")
        db["sentences"].insert_all(({"id": sent_id(s["n"]), "document_id": doc_id, "article_id": art_id(s["article"]),
                                     "n": s["n"], "page": s["page"], "start": s["start"], "end": s["end"], "text": s["text"]}
                                    for s in result.sentences), pk="id")

        def base(kind, i, r):
            return {"id": f"{doc_id[:16]}:{kind}{i}", "document_id": doc_id, "article_id": art_id(r["article"]),
                    "sentence_id": sent_id(r["sentence"]), "page": r["page"], "start": r["start"], "end": r["end"],
                    "surface": r["surface"]}

        titles = {a["n"]: a["title"] for a in result.articles}
        db["figures"].insert_all(({**base("f", i, f), "document": result.name, "article_title": titles.get(f["article"]),
                                   "sentence": f["sentence_text"], "value": _real(f["value"]), "value_max": _real(f["value_max"]), "unit": f["unit"],
                                   "kind": f["kind"], "approx": f["approx"], "per": f["per"], "optional": int(f["optional"]),
                                   "region": f["region"], "region_code": f["region_code"],
                                   **(f.get("levels") or _split_region(f["region"])),
                                   "year": f["year"], "metric": f["metric"], "category": f["category"],
                                   "cumulative": int(f["cumulative"])} for i, f in enumerate(result.figures)), pk="id")
        db["dates"].insert_all(({**base("d", i, d), "value": d["value"], "relative": int(d["relative"])}
                                for i, d in enumerate(result.dates)), pk="id")
        db["places"].insert_all(({**base("p", i, p), "path": p["path"], "code": p["code"], "level": p["level"]}
                                 for i, p in enumerate(result.places)), pk="id")
        # the file is fine now: its earlier failures are history, not current errors
        db.execute("update errors set resolved = 1 where coalesce(resolved, 0) = 0 and (path = ? or sha256 = ?)",
                   [result.path, doc_id])


# ------------------------------------------------------------------ errors and runs
def record_error(db: sqlite_utils.Database, path, reason: str, sha256: str | None = None,
                 run_id: int | None = None) -> None:
    """A failure of `path` in this run; it supersedes earlier failures of the same file."""
    with db.atomic():
        db.execute("update errors set resolved = 1 where coalesce(resolved, 0) = 0 and path = ?", [str(path)])
        db["errors"].insert({"path": str(path), "sha256": sha256, "reason": reason, "at": now(),
                             "run_id": run_id, "resolved": 0}, pk="id")


def current_errors(db: sqlite_utils.Database) -> list[dict]:
    """Failures not yet followed by a successful store or a newer failure of the same file."""
    return list(db.query("select * from current_errors"))


def begin_run(db: sqlite_utils.Database, command: str = "") -> int:
    with db.atomic():
        return db["runs"].insert({"started_at": now(), "extractor_version": pipeline.EXTRACTOR_VERSION,
                                  "command": command, "status": "running"}, pk="id").last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, documents: int, skipped: int, errors: int,
               interrupted: bool = False) -> None:
    status = "interrupted" if interrupted else "failed" if errors else "ok"
    with db.atomic():
        db["runs"].update(run_id, {"finished_at": now(), "documents": documents, "skipped": skipped,
                                   "errors": errors, "status": status})


# ------------------------------------------------------------------ regions
def sync_regions(db: sqlite_utils.Database) -> bool:
    """Store the gazetteer as the `regions` table, once per database and again when its data changes.

    Returns True when the table was (re)written. Does nothing before extract.gazetteer exists.
    Rows are streamed (digest, then insert) rather than held: a batch run's writer stays small.
    """
    stored = db["meta"].get("regions_sha256")["value"] if _has_meta(db, "regions_sha256") else None
    current = "regions" in db.table_names()
    digest = _regions_digest()
    if digest and stored == digest and current:
        return False  # the common case: no need to load the gazetteer at all
    gaz = _gazetteer()
    if gaz is None:
        return False
    if digest is None:  # a gazetteer without a data digest: hash its rows
        h = hashlib.sha256()
        for row in gaz.rows():
            h.update(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str).encode())
        digest = h.hexdigest()
    if stored == digest and current:
        return False
    with db.atomic():
        if "regions" in db.table_names():
            db["regions"].drop()
        db["regions"].insert_all(gaz.rows(), pk="code", alter=True, replace=True)
        db["meta"].upsert({"key": "regions_sha256", "value": digest}, pk="key")
    columns = db["regions"].columns_dict if "regions" in db.table_names() else {}
    for col in ("name", "path", "parent_code"):
        if col in columns:
            db["regions"].create_index([col], if_not_exists=True)
    return True


def _regions_digest() -> str | None:
    try:
        from . import gazetteer
    except ImportError:
        return None
    digest = getattr(gazetteer, "data_digest", None)
    return digest() if digest else None


def _has_meta(db: sqlite_utils.Database, key: str) -> bool:
    return bool(list(db.query("select 1 from meta where key = ?", [key])))
