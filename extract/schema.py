"""The database's schema: lean tables with integer keys, the `figures` view, the full-text index of
sentences, the secondary indexes, and the migration of databases made before them.

Keys: a document has an integer id (its sha256 is a unique column); a child row's id is
document_id * CHILD_SPAN + its number in the document (article n, sentence n, the figure's, date's or
place's index), so a document's rows are one range of each table's primary key: deleting or finding
them needs no secondary index, and re-storing the same content keeps every id.

Nothing is copied: `figure_rows` holds the figures; `figures` is a view that adds the document's name,
the article's title and the sentence from their own tables, under the column names and in the order
the table had (figures_view_sql()); what a query does not read is not looked up, so a count or a
facet over `figures` costs what it costs over figure_rows.

Full-text search: sentences_fts is a contentless FTS5 table (it keeps no copy of the text) holding
each sentence as one token per character (fts_text: its letters and digits spaced, for the ascii
tokenizer, which takes any other character as part of a token) without positions (detail=none): it answers which sentences hold all the characters of a
word of any length (fts_match: 养老 as well as 养老保险), and the caller keeps those that hold the
word (query.py: instr over the candidates). Measured against the trigram index it replaces
(docs/performance/database.md): a fifth of its size, a third of its CPU, and trigrams cannot find
two-character words at all. The index is filled in bulk (store.py).

Secondary indexes (INDEXES) are made once, at the end of a run (make_indexes): maintained row by row
they cost the writer more than the rows themselves. A killed run leaves them missing; the next
open_db of a database that holds documents, or the next reader that may write, makes them.
"""
from __future__ import annotations

import re
import sqlite3

from .regionlevels import REGION_PARTS

_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() and _
CHILD_SPAN = 1 << 24  # rows of one kind per document (16.7 M sentences, figures, ...) in its id range

# meaning (extract/meaning.py): what a figure measures, its change, target and period
MEANING_TYPES = {"direction": "text", "status": "text", "period": "text", "measure": "text", "indicator": "text"}
# issue 15: a table cell's figure records its table (on its page), row and column and the page's text source
TABLE_COLUMNS = {"table": "integer", "row": "integer", "column": "integer", "text_source": "text"}

DOCUMENT_COLUMNS = {
    "id": "integer primary key", "path": "text", "name": "text", "sha256": "text not null unique", "encoding": "text",
    "kind": "text", "pages": "integer", "chars": "integer", "doc_date": "text", "doc_date_source": "text",
    "default_region": "text", "region_source": "text", "title": "text", "source": "text", "issuer": "text",
    "extractor_version": "text", "warnings": "text", "extracted_at": "text"}
BASE = {"id": "integer primary key", "document_id": "integer", "article_id": "integer", "sentence_id": "integer",
        "page": "integer", "start": "integer", "end": "integer", "surface": "text"}
FIGURE_VALUES = {
    "value": "float", "value_max": "float", "unit": "text", "kind": "text", "approx": "text", "per": "text",
    "optional": "integer", "region": "text", "region_code": "text", **dict.fromkeys(REGION_PARTS, "text"),
    "year": "integer", "metric": "text", "category": "text", "cumulative": "integer", "region_source": "text",
    **MEANING_TYPES, **TABLE_COLUMNS}
TABLES = {
    "documents": DOCUMENT_COLUMNS,
    "articles": {"id": "integer primary key", "document_id": "integer", "n": "integer", "title": "text",
                 "region": "text", "page": "integer", "start": "integer", "end": "integer"},
    "sentences": {"id": "integer primary key", "document_id": "integer", "article_id": "integer", "n": "integer",
                  "page": "integer", "start": "integer", "end": "integer", "text": "text"},
    # context: the text a figure outside any sentence comes with (a table cell's row and header)
    "figure_rows": {**BASE, **FIGURE_VALUES, "context": "text"},
    "dates": {**BASE, "value": "text", "relative": "integer"},
    "places": {**BASE, "path": "text", "code": "text", "level": "text"},
}
CHILD_TABLES = ("figure_rows", "dates", "places", "sentences", "articles")
# the columns of `figures` as it was a table (and stays, as a view): names and order
FIGURE_COLUMNS = (*BASE, "document", "article_title", "sentence", *FIGURE_VALUES)
# made at the end of a run (make_indexes); figure_rows' serve query.py's filters and Datasette's facets
# (a document's rows need none: they are a range of ids). Each index costs about 0.06 MB per MB of
# text: only the filters that narrow a query (a region, a year, a category) have one.
INDEXES = {f"idx_figure_rows_{'_'.join(cols)}": ("figure_rows", cols) for cols in (
    ("region",), ("year",), ("category",))}
# the gazetteer's table (store.sync_regions makes its other indexes): query.py finds 南平 by short name
INDEXES["idx_regions_short_name"] = ("regions", ("short_name",))
# ascii: a token is a run of anything but ASCII separators (a spaced sentence: one character), ASCII
# folded to lower case as instr(lower()) does. Its tokens are those unicode61 made of the same spaced
# text (the index before), at 0.6 of the CPU (docs/performance/database.md): a database made before
# keeps its unicode61 table, which reads and takes the same text
FTS_TOKENIZE = "ascii"
FTS_ROWID = "sentences_fts_rowid"  # meta key: sentences with id <= this are in sentences_fts


def q(name: str) -> str:
    return f"[{name}]"


# the view's columns that figure_rows does not hold: scalar subqueries by primary key, which SQLite
# evaluates only for a query that reads them (a count or a facet over figures reads figure_rows
# alone; LEFT JOINs on the same keys were evaluated for every row: 80 ms for a count at 40 MB)
LOOKED_UP = {"document": "(select name from documents where id = f.document_id)",
             "article_title": "(select title from articles where id = f.article_id)",
             "sentence": "coalesce((select text from sentences where id = f.sentence_id), f.context)"}


def figures_view_sql(extra_columns: str = "", extra_joins: str = "") -> str:
    """CREATE VIEW figures: figure_rows with the document's name, the article's title and the sentence,
    every column of the figures table it replaces under its name and in its order.

    extra_columns (", c.x as [x]") and extra_joins (" left join corrections c on ...") let a later
    table (a researcher's corrections) join in; figure_rows is `f`."""
    cols = [f"{LOOKED_UP.get(c, f'f.{q(c)}')} as {q(c)}" for c in FIGURE_COLUMNS]
    return "create view figures as select " + ", ".join(cols) + extra_columns + " from figure_rows f" + extra_joins


def fts_text(text: str) -> str:
    """A sentence as sentences_fts indexes it: one token per letter or digit (what fts_match asks for)."""
    return " ".join(_NOT_ALNUM.sub("", text))


def fts_rows(pairs):
    """(id, text) pairs as sentences_fts takes them, to insert or to delete (the same tokens both
    ways): the text spaced (fts_text); none for a text with no character the index keeps."""
    return ((i, text) for i, t in pairs if t and (text := fts_text(t)))


def fts_match(words: str) -> str | None:
    """The FTS5 query of the sentences that may contain every word of `words` (space-separated): each
    holds all of a word's characters. The index keeps no positions (detail=none), so that is a
    superset; a caller wanting exact matches checks each candidate (query.py: instr). None when no
    word has a character the index keeps (punctuation only): then only a scan can answer."""
    chars = dict.fromkeys(_NOT_ALNUM.sub("", words))
    if not chars:
        return None
    return " AND ".join('"' + ch.replace('"', '""') + '"' for ch in chars)


def create(conn: sqlite3.Connection) -> None:
    """The tables of a new database (no secondary index: make_indexes, at the end of a run)."""
    for table, cols in TABLES.items():
        conn.execute(f"create table {q(table)} (" + ", ".join(f"{q(c)} {t}" for c, t in cols.items()) + ")")
    conn.execute(figures_view_sql())
    conn.execute(f"create virtual table sentences_fts using fts5(text, content='', tokenize='{FTS_TOKENIZE}', "
                 "detail=none, columnsize=0)")


def indexed_upto(conn: sqlite3.Connection) -> int | None:
    """The id up to which sentences are in sentences_fts (the rest are not yet); None before the
    index has a mark (a new or migrated database, until store.ensure_schema sets it)."""
    try:
        row = conn.execute("select value from meta where key = ?", [FTS_ROWID]).fetchone()
    except sqlite3.OperationalError:  # no meta table: a database older than that
        return None
    return None if row is None else int(row[0])


def ensure_view(conn: sqlite3.Connection, sql: str | None = None) -> bool:
    """(Re)make the figures view when its SQL is not `sql` (default figures_view_sql()): a database
    made by another version gets this one's. Returns True when it was made."""
    sql = sql or figures_view_sql()
    row = conn.execute("select sql from sqlite_master where name = 'figures' and type = 'view'").fetchone()
    if row is not None and row[0] == sql:
        return False
    if row is not None:
        conn.execute("drop view figures")
    conn.execute(sql)
    return True


def missing_indexes(conn: sqlite3.Connection) -> list[str]:
    """The secondary indexes (INDEXES) not made yet, of the tables that exist."""
    have = {name: kind for name, kind in conn.execute("select name, type from sqlite_master")}
    return [name for name, (table, _) in INDEXES.items() if name not in have and have.get(table) == "table"]


def make_indexes(conn: sqlite3.Connection) -> int:
    """Create the secondary indexes that are missing, then the planner's statistics; returns how many."""
    missing = missing_indexes(conn)
    for name in missing:
        table, cols = INDEXES[name]
        conn.execute(f"create index if not exists {q(name)} on {q(table)} ({', '.join(q(c) for c in cols)})")
    if missing:
        conn.execute("analyze figure_rows")  # statistics, so the planner picks the region index over year's
    return len(missing)


def is_old(conn: sqlite3.Connection) -> bool:
    """A database of the schema before integer keys (figures a table, documents keyed by sha256)."""
    return bool(conn.execute("select 1 from sqlite_master where name = 'figures' and type = 'table'").fetchone())


def _child_id(doc: str, col: str = "id") -> str:
    """SQL: an old text id ('<16 hex>:f12') as the new integer id, given the new document id `doc`."""
    return f"({doc} * {CHILD_SPAN} + cast(substr({col}, instr({col}, ':') + 2) as integer))"


def migrate(conn: sqlite3.Connection) -> None:
    """Turn a database of the old schema into this one, in one transaction (the caller's). Every row is
    kept; ids become integers (a figure's, a sentence's and an article's number in its document
    stays the same), and the full-text index is rebuilt."""
    old = {t: f"old_{t}" for t in ("documents", "articles", "sentences", "figures", "dates", "places")}
    for name in [r[0] for r in conn.execute("select name from sqlite_master where type = 'trigger'")]:
        conn.execute(f"drop trigger {q(name)}")
    for name in [r[0] for r in conn.execute("select name from sqlite_master where name like 'sentences_fts%' "
                                            "and type = 'table' and sql like 'create virtual%'")]:
        conn.execute(f"drop table {q(name)}")
    present = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    old = {t: renamed for t, renamed in old.items() if t in present}
    for table, renamed in old.items():
        conn.execute(f"alter table {q(table)} rename to {q(renamed)}")
    create(conn)
    have = {r[1] for r in conn.execute("pragma table_info(old_documents)")}
    cols = [c for c in DOCUMENT_COLUMNS if c != "id"]
    exprs = ["id" if c == "sha256" else q(c) if c in have else "null" for c in cols]  # the old key is the hash
    conn.execute(f"insert into documents ({', '.join(map(q, cols))}) "
                 f"select {', '.join(exprs)} from old_documents order by rowid")
    conn.execute("create temp table docmap as select o.id as old, d.id as new from old_documents o "
                 "join documents d on d.sha256 = o.id")
    conn.execute("create unique index temp.docmap_old on docmap (old)")
    doc = "(select new from docmap where old = o.document_id)"
    for table, was in (("articles", "articles"), ("sentences", "sentences"), ("figure_rows", "figures"),
                       ("dates", "dates"), ("places", "places")):
        if was not in old:  # a database older than that table
            continue
        renamed = old[was]
        cols = list(TABLES[table])
        have = {r[1] for r in conn.execute(f"pragma table_info({q(renamed)})")}
        if "document_id" not in have:  # the first drafts' tables: no row of them can name its document
            continue
        exprs = []
        for c in cols:
            if c == "id":
                exprs.append(_child_id(doc, "o.id"))
            elif c == "document_id":
                exprs.append(doc)
            elif c in ("article_id", "sentence_id"):  # a figure of a table cell had 'x:aNone'
                exprs.append(f"case when substr(o.{c}, instr(o.{c}, ':') + 2) glob '[0-9]*' "
                             f"then {_child_id(doc, 'o.' + c)} end")
            elif c == "context":
                exprs.append("case when o.sentence_id is null then o.sentence end" if "sentence" in have else "null")
            else:
                exprs.append(f"o.{q(c)}" if c in have else "null")
        conn.execute(f"insert into {q(table)} ({', '.join(map(q, cols))}) select {', '.join(exprs)} "
                     f"from {q(renamed)} o where {doc} is not null")
    for renamed in old.values():
        conn.execute(f"drop table {q(renamed)}")
    conn.execute("drop table temp.docmap")
