"""The corrections table and the overlay that applies it (the figures_reviewed view): the schema
side of research/corrections.py, here so that store.ensure_schema can create them (nothing outside
research/ imports research/).

A correction is keyed by what stays the same when the extractor changes: the document's content hash
(documents.sha256), the figure's character offsets and surface, and for a table cell its table, row
and column. Row ids are renumbered by every run, so they are never the key; `figure_id` records the
id the figure had when it was corrected, for the reader only.

overlay_sql(db, base) reads a figures relation with the newest correction of each figure applied:
value, region (with its code and levels), year and metric corrected, the originals beside them
(value_original, region_original, year_original, metric_original), and `review` = confirmed |
rejected | corrected (null: not reviewed).
"""
from __future__ import annotations

from . import schema

ACTIONS = ("confirm", "reject", "correct")
REVIEW = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected"}
KEY = ("document_sha256", "start", "end", "surface", "table_no", "row_no", "column_no")
# the figure's column each key part is read from
KEY_SOURCE = {"start": "start", "end": "end", "surface": "surface", "table_no": "table", "row_no": "row",
              "column_no": "column"}
FIELDS = ("value", "region", "year", "metric")
REGION_FIELDS = ("region_code", "province", "prefecture", "county", "township")
COLUMNS = {"id": int, **dict.fromkeys(KEY, str), "start": int, "end": int, "table_no": int, "row_no": int,
           "column_no": int, "action": str, "value": float, "region": str, "region_code": str, "province": str,
           "prefecture": str, "county": str, "township": str, "year": int, "metric": str, "note": str,
           "author": str, "created_at": str, "figure_id": str, "document": str, "extractor_version": str}
# what a shared corrections file carries (export / import): the key, the change, and who and why
SHARED = tuple(c for c in COLUMNS if c != "id")
VIEW = "figures_reviewed"
TYPES = {"value": "real", "year": "integer"}


def ensure_table(db, view: bool = True) -> None:
    """The corrections table and the figures_reviewed view (store.ensure_schema calls this). view=False:
    the table alone (a `figures` view with the overlay folded in is made after it: overlay_sql)."""
    if "corrections" not in db.table_names():
        db["corrections"].create(COLUMNS, pk="id")
        db["corrections"].create_index(["document_sha256"], if_not_exists=True)
    if not view or ("figures" not in db.table_names() and "figures" not in db.view_names()):
        return
    if "review" not in base_columns(db, "figures"):
        ensure_view(db)
    elif VIEW in db.view_names():  # figures has the overlay folded in: a second one would apply it twice
        with db.conn:
            db.execute(f"drop view [{VIEW}]")


def ensure_view(db, name: str = VIEW, base: str = "figures") -> None:
    """(Re)create the view when it is missing or its columns no longer match the base relation's."""
    sql = overlay_sql(db, base)
    have = db.execute("select sql from sqlite_master where type = 'view' and name = ?", [name]).fetchone()
    wanted = f"create view [{name}] as {sql}"
    if have and have[0] == wanted:
        return
    with db.conn:
        db.execute(f"drop view if exists [{name}]")
        db.execute(wanted)


def base_columns(db, base: str = "figures") -> list[str]:
    return [r[1] for r in db.execute(f"pragma table_info([{base}])").fetchall()]


def key_match(fig: str, corr: str, plus: str = "") -> str:
    """SQL: the figure aliased `fig` is the one the correction aliased `corr` names (its key but the
    document's, which the caller matches)."""
    return " and ".join(f"{plus}{fig}.[{KEY_SOURCE[k]}] is {corr}.[{k}]" for k in KEY[1:])


def overlay_sql(db, base: str = "figures") -> str:
    """SELECT over `base` (a table or view with the figures' columns) with each figure's newest
    correction applied and the originals beside.

    The corrections are first matched to figures in one small step (m: corrections -> documents by
    sha256 -> the document's figures by position, in that order: CROSS JOIN fixes it, so that the
    planner never starts from the figures), materialized once per query; each figure then looks
    itself up in m by its row key only. A facet or a count therefore still reads the base's
    indexes alone (a covering index on unit, year ...): ~30-110 ms per facet over 150k figures, with
    or without corrections (benchmarks/research_pages.py). The join runs through documents.sha256,
    so that it holds whatever the figures' document_id is (the hash, or an integer id)."""
    cols = base_columns(db, base)
    is_table = db.execute("select type from sqlite_master where name = ?", [base]).fetchone() == ("table",)
    key = "rowid" if is_table else "id"  # a view has no rowid: its id (an integer primary key underneath)
    # cast: a view's expression column has no type, and Datasette's ?year=2023 compares text to it
    corrected = {c: f"cast(coalesce(c.[{c}], f.[{c}]) as {TYPES.get(c, 'text')})" for c in FIELDS + REGION_FIELDS
                 if c in cols}
    select = [f"{corrected[c]} as [{c}]" if c in corrected else f"f.[{c}]" for c in cols]
    select += [f"f.[{c}] as [{c}_original]" for c in FIELDS if c in cols]
    select += ["case c.action " + " ".join(f"when '{a}' then '{r}'" for a, r in REVIEW.items()) + " end as review",
               "c.note as review_note", "c.id as correction_id"]
    # unary + on g's side: these terms filter the rows the id range found, never drive the search (an
    # automatic index over every figure would cost more than the range)
    match = key_match("g", "k", plus="+")
    # a document's figures are one range of ids (schema.CHILD_SPAN): the primary key finds them
    span = schema.CHILD_SPAN
    m = (f"select g.[{key}] as fkey, max(k.id) as cid from corrections k cross join documents d cross join [{base}] g "
         f"where d.sha256 = k.document_sha256 and g.[{key}] >= d.id * {span} and g.[{key}] < (d.id + 1) * {span} "
         f"and +g.document_id = d.id and {match} group by g.[{key}]")
    return (f"with m as materialized ({m}) select {', '.join(select)} from [{base}] f "
            f"left join m on m.fkey = f.[{key}] left join corrections c on c.id = m.cid")
