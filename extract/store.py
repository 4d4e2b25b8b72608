"""Store: DocumentResults into SQLite through sqlite-utils.

Tables: documents, articles, sentences (with full-text search), figures, dates, places, regions,
errors. A document's rows are replaced in one transaction, keyed by its content hash, so running
twice over the same files stores nothing twice and an interrupted write leaves nothing half-done.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from .pipeline import EXTRACTOR_VERSION, DocumentResult

CHILD_TABLES = ("figures", "dates", "places", "sentences", "articles")


def open_db(path) -> sqlite_utils.Database:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    if "documents" in db.table_names():
        return
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
    db["errors"].create({"id": int, "path": str, "sha256": str, "reason": str, "at": str}, pk="id")
    for table in CHILD_TABLES:
        db[table].create_index(["document_id"], if_not_exists=True)
    for cols in (["region_code"], ["year"], ["category"], ["unit"], ["province", "prefecture", "county"]):
        db["figures"].create_index(cols, if_not_exists=True)
    db["sentences"].enable_fts(["text"], create_triggers=True, tokenize="trigram")


def is_current(db: sqlite_utils.Database, sha256: str) -> bool:
    """Already stored from the same content by the same extractor version."""
    rows = list(db.query("select 1 from documents where id = ? and extractor_version = ?", [sha256, EXTRACTOR_VERSION]))
    return bool(rows)


def _split_region(path: str | None) -> dict:
    parts = (path or "").split("/") if path else []
    parts += [None] * (4 - len(parts))
    return dict(zip(("province", "prefecture", "county", "township"), parts[:4]))


def save(db: sqlite_utils.Database, result: DocumentResult) -> None:
    """Replace everything stored for this document, in one transaction."""
    doc_id = result.sha256
    with db.conn:
        for table in CHILD_TABLES:
            db.execute(f"delete from [{table}] where document_id = ?", [doc_id])
        db["documents"].upsert({
            "id": doc_id, "path": result.path, "name": result.name, "sha256": result.sha256,
            "encoding": result.encoding, "kind": result.kind, "pages": result.pages, "chars": len(result.text),
            "doc_date": result.doc_date, "doc_date_source": result.doc_date_source,
            "default_region": result.default_region, "extractor_version": EXTRACTOR_VERSION,
            "warnings": "\n".join(result.warnings) or None,
            "extracted_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
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
                                   "sentence": f["sentence_text"], "value": f["value"], "value_max": f["value_max"], "unit": f["unit"],
                                   "kind": f["kind"], "approx": f["approx"], "per": f["per"], "optional": int(f["optional"]),
                                   "region": f["region"], "region_code": f["region_code"], **_split_region(f["region"]),
                                   "year": f["year"], "metric": f["metric"], "category": f["category"],
                                   "cumulative": int(f["cumulative"])} for i, f in enumerate(result.figures)), pk="id")
        db["dates"].insert_all(({**base("d", i, d), "value": d["value"], "relative": int(d["relative"])}
                                for i, d in enumerate(result.dates)), pk="id")
        db["places"].insert_all(({**base("p", i, p), "path": p["path"], "code": p["code"], "level": p["level"]}
                                 for i, p in enumerate(result.places)), pk="id")


def record_error(db: sqlite_utils.Database, path, reason: str, sha256: str | None = None) -> None:
    with db.conn:
        db["errors"].insert({"path": str(path), "sha256": sha256, "reason": reason,
                             "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}, pk="id")
