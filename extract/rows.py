"""Rows: a DocumentResult as the rows store.py stores, made where the result is.

A batch worker makes them (pack) and sends them instead of the result's dicts: the rows of every table
of one document in a small SQLite database of their own (a shard), serialized to bytes, with the
full-text index's input beside them (the sentences' characters spaced: fts_text). The single writer
copies a shard into the database with one INSERT ... SELECT per table (store.py), so no row of a
document passes through Python there: binding rows one by one was most of the writer's cost, and
the writer is what one run cannot spread over more processes (docs/performance/database.md). Bytes
also travel from any worker, a Dask cluster's included, and cost nothing to unpickle.

The rows hold numbers within the document (the figure's index, the sentence's and the article's n);
the writer adds the document's id range in SQL (copy_sql()).
"""
from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import schema
from .regionlevels import REGION_PARTS, _split_region

if TYPE_CHECKING:
    from .records import DocumentResult

SHARD = "shard"  # the name the writer attaches a shard under
# table -> (columns of its shard table, the ones among them that are numbers within the document)
COLUMNS = {
    "articles": (("n", "title", "region", "page", "start", "end"), ()),
    "sentences": (("n", "article_id", "page", "start", "end", "text"), ("article_id",)),
    **{t: (("n", "article_id", "sentence_id", *[c for c in schema.TABLES[t] if c not in schema.BASE or c in
            ("page", "start", "end", "surface")]), ("article_id", "sentence_id"))
       for t in ("figure_rows", "dates", "places")},
}
FTS = "fts"  # the shard's table of the full-text index's input: (sentence n, its characters spaced)


@dataclass
class Rows:
    shard: bytes  # the serialized SQLite database of the document's rows (COLUMNS, and FTS)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table

    def count(self, table: str) -> int:
        return self.counts.get(table, 0)


def copy_sql(table: str) -> str:
    """INSERT ... SELECT of a shard's table into the database: :base is the document's id range start
    (added to the row's number and to the numbers within the document), :doc the document's id."""
    if table == FTS:
        return f"insert into main.sentences_fts (rowid, text) select n + :base, text from {SHARD}.{FTS}"
    cols, relative = COLUMNS[table]
    names, values = ["id", "document_id"], ["n + :base", ":doc"]
    for c in cols:
        if c == "n" and table not in ("articles", "sentences"):
            continue  # the figure's, date's or place's index: only its id
        names.append(c)
        values.append(f"[{c}] + :base" if c in relative else f"[{c}]")
    return (f"insert into main.[{table}] ({', '.join(f'[{c}]' for c in names)}) "
            f"select {', '.join(values)} from {SHARD}.[{table}]")


def _real(value):
    """Values are REAL in SQLite: a Python int past 64 bits (an absurd but possible reading) would not fit."""
    return None if value is None else float(value)


def _levels(f: dict) -> tuple:
    parts = f.get("levels") or _split_region(f["region"])
    return tuple(parts[k] for k in REGION_PARTS)


def tuples(result: DocumentResult) -> dict[str, list[tuple]]:
    """The rows of every table but documents, numbered within the document."""
    meaning, table_cols = tuple(schema.MEANING_TYPES), tuple(schema.TABLE_COLUMNS)

    def common(i, r):
        return (i, r["article"], r["sentence"], r["page"], r["start"], r["end"], r["surface"])

    return {
        "articles": [(a["n"], a["title"], a["region"], a["page"], a["start"], a["end"]) for a in result.articles],
        "sentences": [(s["n"], s["article"], s["page"], s["start"], s["end"], s["text"]) for s in result.sentences],
        "figure_rows": [(*common(i, f), _real(f["value"]), _real(f["value_max"]), f["unit"], f["kind"], f["approx"],
                         f["per"], int(f["optional"]), f["region"], f["region_code"], *_levels(f), f["year"],
                         f["metric"], f["category"], int(f["cumulative"]), f.get("region_source"),
                         *[f.get(c) for c in meaning], *[f.get(c) for c in table_cols],
                         f.get("sentence_text") if f["sentence"] is None else None)
                        for i, f in enumerate(result.figures)],
        "dates": [(*common(i, d), d["value"], int(d["relative"])) for i, d in enumerate(result.dates)],
        "places": [(*common(i, p), p["path"], p["code"], p["level"]) for i, p in enumerate(result.places)],
    }


_SHARD_SCHEMA = [f"create table [{t}] ({', '.join(f'[{c}]' for c in cols)})" for t, (cols, _) in COLUMNS.items()]
_SHARD_SCHEMA.append(f"create table {FTS} (n, text)")
_SHARD_INSERTS = {t: f"insert into [{t}] values ({', '.join('?' * len(cols))})" for t, (cols, _) in COLUMNS.items()}
_SHARD_INSERTS[FTS] = f"insert into {FTS} values (?, ?)"
# a shard's user_version: the writer copies only shards of its own layout (a Dask worker running another
# zhmine version would otherwise stop the run with an error that names the database, not the document)
LAYOUT = zlib.crc32("\n".join(_SHARD_SCHEMA).encode()) & 0x7FFFFFFF


def make(result: DocumentResult) -> Rows:
    """The document's shard: its rows, and each sentence's characters spaced for the full-text index
    (sentences with no character it keeps have none)."""
    made = tuples(result)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute("pragma journal_mode = off")  # a scratch database: nothing to roll back
        conn.execute(f"pragma user_version = {LAYOUT}")
        for sql in _SHARD_SCHEMA:
            conn.execute(sql)
        conn.execute("begin")
        for table, rows in made.items():
            conn.executemany(_SHARD_INSERTS[table], rows)
        conn.executemany(_SHARD_INSERTS[FTS], schema.fts_rows((s[0], s[-1]) for s in made["sentences"]))
        conn.execute("commit")
        return Rows(conn.serialize(), {t: len(r) for t, r in made.items()})
    finally:
        conn.close()


def attach(conn: sqlite3.Connection, shard: bytes) -> None:
    """Make shard the connection's schema SHARD (attached by the caller), after checking it is a shard
    of this layout: ValueError if not (the document's rows, not the database, are at fault)."""
    try:
        conn.deserialize(shard, name=SHARD)
        layout = conn.execute(f"pragma {SHARD}.user_version").fetchone()[0]
    except (sqlite3.DatabaseError, MemoryError) as e:  # not a database (empty bytes: MemoryError)
        raise ValueError(f"its rows could not be read back ({type(e).__name__}: {e})") from None
    if layout != LAYOUT:
        raise ValueError("its rows were made by another version of zhmine: install the same version "
                         "on every worker")


def pack(result: DocumentResult) -> DocumentResult:
    """result with its rows made (result.rows) and its lists of dicts emptied: what a batch worker
    sends to the writer."""
    result.rows = make(result)
    result.articles, result.sentences, result.figures, result.dates, result.places = [], [], [], [], []
    return result


def of(result: DocumentResult) -> Rows:
    """The rows of result: made by a worker (pack), else now."""
    return getattr(result, "rows", None) or make(result)
