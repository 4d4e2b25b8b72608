"""Rows: a DocumentResult as the tuples store.py inserts, made where the result is.

A batch worker makes them (pack) and sends them instead of the result's dicts: building a tuple per
figure from its dict was most of the single writer's cost, and a tuple is about half the bytes of a
dict to send and to unpickle. The tuples hold numbers within the document (the figure's index, the
sentence's and the article's n); the writer adds the document's id range in SQL (sql()).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import schema
from .regionlevels import REGION_PARTS, _split_region

if TYPE_CHECKING:
    from .records import DocumentResult

# table -> (columns given by a tuple, the ones among them that are numbers within the document)
COLUMNS = {
    "articles": (("n", "title", "region", "page", "start", "end"), ()),
    "sentences": (("n", "article_id", "page", "start", "end", "text"), ("article_id",)),
    **{t: (("n", "article_id", "sentence_id", *[c for c in schema.TABLES[t] if c not in schema.BASE or c in
            ("page", "start", "end", "surface")]), ("article_id", "sentence_id"))
       for t in ("figure_rows", "dates", "places")},
}


@dataclass
class Rows:
    tables: dict[str, list[tuple]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.tables.get(table, ()))


def sql(table: str) -> str:
    """INSERT of a relative tuple followed by (id range start, document id): ?1 is the row's number."""
    cols, relative = COLUMNS[table]
    n = len(cols)
    base, doc = f"?{n + 1}", f"?{n + 2}"
    names, values = ["id", "document_id"], [f"?1 + {base}", doc]
    for i, c in enumerate(cols, 1):
        if c == "n" and table not in ("articles", "sentences"):
            continue  # the figure's, date's or place's index: only its id
        names.append(c)
        values.append(f"?{i} + {base}" if c in relative else f"?{i}")
    return (f"insert into [{table}] ({', '.join(f'[{c}]' for c in names)}) values ({', '.join(values)})")


def _real(value):
    """Values are REAL in SQLite: a Python int past 64 bits (an absurd but possible reading) would not fit."""
    return None if value is None else float(value)


def _levels(f: dict) -> tuple:
    parts = f.get("levels") or _split_region(f["region"])
    return tuple(parts[k] for k in REGION_PARTS)


def make(result: DocumentResult) -> Rows:
    """The rows of every table but documents, numbered within the document."""
    meaning, table_cols = tuple(schema.MEANING_TYPES), tuple(schema.TABLE_COLUMNS)

    def common(i, r):
        return (i, r["article"], r["sentence"], r["page"], r["start"], r["end"], r["surface"])

    return Rows({
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
    })


def pack(result: DocumentResult) -> DocumentResult:
    """result with its rows made (result.rows) and its lists of dicts emptied: what a batch worker
    sends to the writer."""
    result.rows = make(result)
    result.articles, result.sentences, result.figures, result.dates, result.places = [], [], [], [], []
    return result


def of(result: DocumentResult) -> Rows:
    """The rows of result: made by a worker (pack), else now."""
    return getattr(result, "rows", None) or make(result)
