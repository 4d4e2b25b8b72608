"""Ask the database questions: figures filtered by region, year, category, metric, kind, unit and
document, optionally grouped with sums and counts; and read-only SQL.

The CLI (`zhmine query`, `zhmine sql`, `zhmine export`) is a thin layer over these functions, the
way sqlite-utils mirrors its CLI:

    from extract import query
    db = query.connect("output/zhmine.db")
    query.figures(db, region="南平市", category="insurance_premium", group_by=["prefecture", "year"])
    query.figures(db, region="350700", year=2021, as_dataframe=True)      # a pandas DataFrame
    query.sql(db, "select unit, count(*) n from figures group by unit")

Sums never add different units together: every grouping includes the unit, the `per` of rates
(6000 元 per 户 is not money that adds to a total of 元) and the measure (a level, a change, a share or
a rate: extract/meaning.py). Nor do they add what does not add up: percentages, per-mille, percentage
points, shares and rates (two growth rates of 5% are not 10%) have no total; a group of them is read
with AGGREGATES (`mean`, `max` or `latest`, the figure of the newest document), and `auto` takes
`latest` for them: a value a report actually states, and the newest statement of it (a later report
revises an earlier one), where a mean of different rates is a number no one wrote. `auto` takes
`latest` for the level of a standard indicator too (地区生产总值5.67万亿元, restated in a review of
five years, is one figure, not two to add); `--aggregate sum` adds them (provinces into a total).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .. import schema
from ..safe import shown

LEVELS = ("province", "prefecture", "county", "township")
# Columns a query may group by; a region level brings its parents so that 鼓楼区 of 福州 and of
# 徐州 stay apart.
GROUPS = {
    "province": ["province"],
    "prefecture": ["province", "prefecture"],
    "county": ["province", "prefecture", "county"],
    "township": ["province", "prefecture", "county", "township"],
    "region": ["region", "region_code"],
    "year": ["year"],
    "category": ["category"],
    "metric": ["metric"],
    "kind": ["kind"],
    "unit": ["unit"],
    "document": ["document"],
    # meaning (extract/meaning.py)
    "indicator": ["indicator"],
    "measure": ["measure"],
    "direction": ["direction"],
    "status": ["status"],
}
# What a group's `value` is: auto = the sum where values add up, else latest (see the docstring).
AGGREGATES = ("auto", "sum", "mean", "max", "min", "latest", "count")
# units whose values never add up: a percentage and its difference
NON_ADDITIVE_UNITS = ("%", "‰", "个百分点", "个千分点")
NON_ADDITIVE_MEASURES = ("rate", "share")
MEANING_FILTERS = ("direction", "status", "measure", "indicator")  # exact values; "none" for null
# Columns of a plain (ungrouped) answer, in the order a reader wants them.
ROW_COLUMNS = ["document", "page", "province", "prefecture", "county", "township", "year", "metric",
               "category", "value", "value_max", "unit", "kind", "approx", "per", "cumulative",
               "indicator", "measure", "direction", "status", "period", "surface", "sentence", "id",
               "region_code", "region_source", "optional", "doc_date", "article_title", "start", "end"]
# The aligned table shows fewer, so that a row fits a terminal; CSV and JSON carry every column.
TABLE_COLUMNS = ["document", "page", "region", "year", "metric", "value", "unit", "approx", "surface", "sentence"]


REVIEW_COLUMNS = ["value_original", "region_original", "year_original", "metric_original", "review", "review_note"]
REVIEWED = "figures_reviewed"  # the figures with researchers' corrections applied (extract/reviewed.py)


def relation(db) -> str:
    """What queries read: the figures with corrections applied where the database has the view
    (every database that store.open_db has opened since corrections exist), else `figures`."""
    return REVIEWED if REVIEWED in db.view_names() else "figures"


def reviewed(db) -> bool:
    """True when what queries read carries the review columns (value_original ... review): the
    figures_reviewed view, or a `figures` that has the overlay folded in."""
    return "review" in {r[1] for r in db.execute(f"pragma table_info([{relation(db)}])")}


class QueryError(ValueError):
    """A filter that cannot be answered (unknown region, bad group name)."""


class Reader:
    """A read-only connection with the few methods the research commands use (sqlite-utils'
    Database has them too, but importing it imports pandas and numpy where they are installed:
    half of a query's time)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, params=()):
        return self.conn.execute(sql, params)

    def query(self, sql: str, params=()):
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return (dict(zip(names, row)) for row in cursor)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("select name from sqlite_master where type = 'table' order by rowid")]

    def view_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("select name from sqlite_master where type = 'view' order by rowid")]

    def close(self) -> None:
        self.conn.close()


def connect(path, read_only: bool = True):
    """Open a database; read-only unless asked (a query must never change the data): a Reader, or
    with read_only=False a sqlite-utils Database.

    Raises QueryError (one line: which file, what to do) for a folder or a file that is not SQLite.
    A database in WAL mode whose folder is read-only (SQLite cannot make its -shm file there) is
    opened as immutable when no change waits in its -wal file, else refused with the way out."""
    path = Path(path)
    where = shown(path)
    if not path.exists():
        raise QueryError(f"no database at {where}: build one with `zhmine run corpus/ --db {where}`")
    if path.is_dir():
        raise QueryError(f"{where} is a folder: give --db the database file (e.g. {shown(path / 'zhmine.db')})")
    if not read_only:
        import sqlite_utils

        return sqlite_utils.Database(path)
    import os
    from urllib.parse import quote

    url = "file:" + quote(os.fsencode(path.resolve()))  # any bytes of the name, % ? # included
    try:
        try:
            conn = _checked(sqlite3.connect(f"{url}?mode=ro", uri=True))
        except sqlite3.OperationalError:
            wal = Path(f"{path}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise QueryError(f"{where} cannot be read here: its folder is read-only and its latest changes "
                                 f"wait in {shown(wal.name)} (WAL mode), which SQLite reads only with a {shown(path.name)}-shm "
                                 "file beside it: copy the database with its -wal file to a writable folder, or "
                                 "ask its owner to run `sqlite3 DB 'pragma wal_checkpoint(truncate)'`") from None
            conn = _checked(sqlite3.connect(f"{url}?mode=ro&immutable=1", uri=True))  # nothing pending
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e) or "malformed" in str(e):
            raise QueryError(f"{where} is not a zhmine database (not SQLite, or damaged): "
                             f"give --db a database built by `zhmine run`") from None
        raise QueryError(f"cannot open {where} ({e})") from None
    return Reader(conn)


def _checked(conn: sqlite3.Connection) -> sqlite3.Connection:
    """conn once it has read the schema (the first read is where a bad file shows), read-only."""
    conn.execute("PRAGMA query_only = 1")
    conn.execute("select count(*) from sqlite_master").fetchone()
    return conn


def ensure_indexes(conn: sqlite3.Connection) -> int:
    """Make the indexes a run makes at its end (schema.INDEXES) where a killed run left them missing;
    conn must be writable. Returns how many were made (none after a finished run)."""
    conn.execute("begin immediate")
    try:
        made = schema.make_indexes(conn)
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")
    return made


# ------------------------------------------------------------------ regions
def _has_regions(db) -> bool:
    return "regions" in db.table_names()


def _code_prefix(code: str) -> str:
    """GB/T 2260 codes nest by prefix: 350000 province, 350700 prefecture, 350722 county,
    350722101 township. The significant prefix of a code covers everything below it."""
    code = code.strip()
    if len(code) > 6:  # townships: 9 digits, or 12 with a village part of zeros
        return code[:9]
    for width in (2, 4):
        if code[width:6].strip("0") == "":
            return code[:width]
    return code[:6]


def resolve_region(db, region: str) -> list[str]:
    """Region name, short name, /-path or code -> the /-paths it means (several when a name is
    ambiguous, e.g. 鼓楼区 in 福州 and 南京)."""
    region = region.strip()
    if "/" in region:
        return [region.strip("/")]
    if _has_regions(db):
        if region.isdigit():
            rows = db.execute("select path from regions where code = ?", [region]).fetchall()
        else:
            # a full name before a short one (南平 is 南平市, not a 南平镇), then the biggest areas
            rows = (db.execute("select path from regions where name = ?", [region]).fetchall()
                    or db.execute("select path from regions where short_name = ?", [region]).fetchall())
        if rows:
            return _shallowest(r[0] for r in rows)
    # no gazetteer (or a name it lacks): look in the region paths the figures carry
    if region.isdigit():
        codes = dict(db.execute("select distinct region_code, region from figures where region_code is not null").fetchall())
        if region in codes:
            return [codes[region]]
        # a code above the stored ones: cut a path below it back to the asked level
        prefix = _code_prefix(region)
        below = sorted((path for code, path in codes.items() if code.startswith(prefix)), key=len)
        if not below:
            raise QueryError(f"no region with code {region} in this database")
        depth = {2: 1, 4: 2}.get(len(prefix), len(below[0].split("/")))
        return ["/".join(below[0].split("/")[:depth])]
    paths = set()
    for (path,) in db.execute("select distinct region from figures where region is not null"):
        parts = path.split("/")
        for i, part in enumerate(parts):
            # 南平 names 南平市: a short name is the full name without its last character (市, 县, 区...)
            if part == region or (len(part) == len(region) + 1 and part.startswith(region)):
                paths.add("/".join(parts[: i + 1]))
    if not paths:
        raise QueryError(f"no region named {region!r} in this database")
    return _shallowest(paths)


def _shallowest(paths) -> list[str]:
    """Of the regions a name may mean, those at the highest level: 南平 names the prefecture 南平市
    rather than a township 南平镇; a name shared at one level (鼓楼区) keeps them all."""
    paths = set(paths)
    top = min(p.count("/") for p in paths)
    return sorted(p for p in paths if p.count("/") == top)


def _region_clause(paths: list[str]) -> tuple[str, list]:
    """Everything at or below each path. A range on the stored path rather than LIKE, so that the
    index on figures.region serves it ('0' is the character after '/')."""
    ors, params = [], []
    for path in paths:
        ors.append("(region = ? or (region >= ? and region < ?))")
        params += [path, path + "/", path + "0"]
    return "(" + " or ".join(ors) + ")", params


# ------------------------------------------------------------------ filters
@dataclass
class Filters:
    """The filters every command shares; empty ones are ignored."""

    region: str | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    category: str | None = None
    metric: str | None = None  # words; all must occur in the metric label
    kind: str | None = None
    unit: str | None = None
    doc: str | None = None  # part of the document file name
    search: str | None = None  # words in the sentence (full-text search)
    cumulative: bool | None = None  # True: only running totals (累计, 截至); False: leave them out
    rates: bool | None = None  # True: only rates (每户6000元, per is set); False: leave them out
    # meaning: up/down; target; level/change/share/rate; an indicator id (gdp): "none" asks for null
    direction: str | None = None
    status: str | None = None
    measure: str | None = None
    indicator: str | None = None
    exact: bool | None = None  # True: only figures stated exactly (no 约, 超过, 突破); False: only those
    rejected: bool = False  # True: keep the figures a researcher rejected (zhmine review --reject)

    def where(self, db) -> tuple[str, list]:
        clauses, params = [], []
        if not self.rejected and reviewed(db):
            clauses.append("coalesce(review, '') != 'rejected'")
        if self.region:
            c, p = _region_clause(resolve_region(db, self.region))
            clauses.append(c)
            params += p
        if self.year is not None:
            clauses.append("year = ?")
            params.append(int(self.year))
        if self.year_from is not None:
            clauses.append("year >= ?")
            params.append(int(self.year_from))
        if self.year_to is not None:
            clauses.append("year <= ?")
            params.append(int(self.year_to))
        for col in ("category", "kind", "unit"):
            value = getattr(self, col)
            if col == "category" and value:
                value = category_id(value)
            if value:
                clauses.append(f"{col} = ?")
                params.append(value)
        for word in (self.metric or "").split():
            clauses.append("instr(metric, ?) > 0")
            params.append(word)
        if self.cumulative is not None:
            clauses.append("coalesce(cumulative, 0) = ?")
            params.append(int(bool(self.cumulative)))
        if self.exact is not None:
            clauses.append("approx is null" if self.exact else "approx is not null")
        for col in MEANING_FILTERS:
            value = getattr(self, col)
            if value in ("none", "null", "-"):
                clauses.append(f"{col} is null")
            elif value:
                clauses.append(f"{col} = ?")
                params.append(value)
        if self.rates is not None:
            clauses.append("per is not null" if self.rates else "per is null")
        if self.doc:
            clauses.append("instr(document, ?) > 0")
            params.append(self.doc)
        if self.search:
            c, p = search_clause(db, self.search)
            clauses.append(c)
            params += p
        return (" where " + " and ".join(clauses)) if clauses else "", params


def search_clause(db, words: str) -> tuple[str, list]:
    """SQL over a figures relation (its sentence and sentence_id columns): the one place search is decided
    (`zhmine query --search` and the `_search` of Datasette's figures pages, research/plugin.py).
    Sentences containing every word, of any length (养老 as well as 养老保险). The full-text index
    (one token per character, no positions: schema.fts_match) finds the sentences holding all their
    characters, and instr on the sentence keeps those that hold the words (lower(): the trigram index
    this replaced ignored ASCII case, as the index does)."""
    clauses, params = [], []
    match = schema.fts_match(words)
    if match and "sentences_fts" in db.table_names() and not schema.is_old(db.conn):  # old: a trigram index
        sub = "select rowid from sentences_fts where sentences_fts match ?"
        params.append(match)
        upto = schema.indexed_upto(db.conn)
        if upto is not None:
            # sentences stored after the last indexing (a run still going, or one killed before its
            # end) are read directly: the instr below picks them out
            sub += " union all select id from sentences where id > ?"
            params.append(upto)
        clauses.append(f"sentence_id in ({sub})")
    for w in words.split():
        clauses.append("instr(lower(sentence), lower(?)) > 0")
        params.append(w)
    return "(" + " and ".join(clauses) + ")", params


def _group_columns(group_by) -> list[str]:
    if isinstance(group_by, str):
        group_by = [g for g in group_by.replace(",", " ").split() if g]
    cols: list[str] = []
    for g in group_by or []:
        if g not in GROUPS:
            raise QueryError(f"cannot group by {g!r}: choose from {', '.join(GROUPS)}")
        cols += [c for c in GROUPS[g] if c not in cols]
    for col in ("unit", "per", "measure"):
        if cols and col not in cols:
            cols.append(col)  # never add different units (or a rate to a total, a change to a level) together
    return cols


def _additive() -> str:
    """SQL: true where a group's values add up (not percentages, points, shares, rates or per-unit rates)."""
    units = ", ".join(f"'{u}'" for u in NON_ADDITIVE_UNITS)
    measures = ", ".join(f"'{m}'" for m in NON_ADDITIVE_MEASURES)
    return (f"(coalesce(unit, '') not in ({units}) and coalesce(measure, '') not in ({measures}) "
            "and per is null)")


def doc_date_sql(alias: str) -> str:
    """SQL: the date of the document of the figure row `alias` (figures carry its id, documents its date)."""
    return f"(select doc_date from documents d where d.id = {alias}.document_id)"


def newest_first(alias: str) -> str:
    """SQL ORDER BY terms for the rule that a later report revises an earlier one: the newest document
    first (its date, then its name), then its first statement. `latest` of a group (build_sql) and a
    panel cell (export.panel_sql) take the first row in this order."""
    return f"{doc_date_sql(alias)} desc, document desc, start"


def aggregate_sql(aggregate: str = "auto") -> str:
    """The SQL of a group's `value` (over rows that carry `latest`, see build_sql)."""
    if aggregate not in AGGREGATES:
        raise QueryError(f"unknown aggregate {aggregate!r}: choose from {', '.join(AGGREGATES)}")
    plain = {"sum": "case when max(additive) = 1 and min(additive) = 1 then sum(value) end", "mean": "avg(value)",
             "max": "max(value)", "min": "min(value)", "latest": "max(latest)", "count": "count(*)"}
    if aggregate == "auto":  # a standard statistic's level is restated, not added (5.67万亿元 twice)
        return "case when min(additive) = 1 and max(indicator is not null) = 0 then sum(value) else max(latest) end"
    return plain[aggregate]


def build_sql(db, filters: Filters, group_by=None, limit: int | None = None,
              aggregate: str = "auto") -> tuple[str, list]:
    """The SQL and parameters of a figures query (shown by `zhmine query --show-sql`). Grouped, a row
    holds `value` (by `aggregate`, see AGGREGATES), `total` (the sum, null where values do not add
    up), the mean, min, max and count."""
    where, params = filters.where(db)
    rel = relation(db)
    cols = _group_columns(group_by)
    if cols:
        sel = ", ".join(cols)
        value = aggregate_sql(aggregate)
        rows = (f"select *, {_additive()} as additive, first_value(value) over (partition by {sel} order by "
                f"{newest_first(rel)}) as latest from {rel}{where}")
        sql = (f"select {sel}, count(*) as figures, {value} as value, "
               f"case when min(additive) = 1 then sum(value) end as total, avg(value) as mean, "
               f"min(value) as min, max(value) as max from ({rows}) group by {sel} order by {sel}")
    else:
        cols = ROW_COLUMNS[:6] + ["region"] + ROW_COLUMNS[6:] + (REVIEW_COLUMNS if reviewed(db) else [])
        # the document's date (how the year was decided when the text gives none) from documents
        cols = [f"{doc_date_sql(rel)} as doc_date" if c == "doc_date" else f"[{c}]" for c in cols]
        sql = f"select {', '.join(cols)} from {rel}{where} order by document, start"
    if limit:
        sql += f" limit {int(limit)}"
    return sql, params


def category_id(name: str) -> str:
    """A category as researchers may write it: its id (funding) or its Chinese name in
    patterns/metrics.toml (资金投入)."""
    from ..text import rules

    names = {cat["name"]: cid for cid, cat in rules.load("metrics")["categories"].items()}
    return names.get(name.strip(), name)


def figures(db, region=None, year=None, year_from=None, year_to=None, category=None, metric=None,
            kind=None, unit=None, doc=None, search=None, cumulative=None, rates=None, group_by=None,
            limit=None, as_dataframe=False, direction=None, status=None, measure=None, indicator=None,
            exact=None, aggregate="auto", rejected=False):
    """Figures matching every filter given, as a list of dicts or a pandas DataFrame.

    region: a name (南平市, 南平), a code (350700) or a /-path; includes everything below it.
    cumulative: True for running totals only, False to leave them out (a year's amounts).
    rates: True for rates only (每户6000元), False to leave them out (amounts that add up).
    group_by: names from GROUPS (list or "prefecture,year"); rows then hold the group columns,
    unit, per, measure, figures (count), value (by `aggregate`: auto, sum, mean, max, min, latest,
    count), total (null where values do not add up: percentages, rates), mean, min and max.
    direction, status, measure, indicator: exact values of extract/meaning.py ("none" for null).
    exact: True for figures stated exactly (no 约, 超过, 突破3万亿元), False for bounds and estimates.
    """
    if isinstance(db, (str, Path)):
        db = connect(db)
    filters = Filters(region=region, year=year, year_from=year_from, year_to=year_to, category=category,
                      metric=metric, kind=kind, unit=unit, doc=doc, search=search, cumulative=cumulative,
                      rates=rates, direction=direction, status=status, measure=measure, indicator=indicator,
                      exact=exact, rejected=rejected)
    sql_text, params = build_sql(db, filters, group_by=group_by, limit=limit, aggregate=aggregate)
    return sql(db, sql_text, params, as_dataframe=as_dataframe, guard=False)  # our own SQL




SQL_TIME_LIMIT = 60.0  # seconds per statement (zhmine sql --time-limit)
SQL_MAX_VALUE = 100_000_000  # bytes in one string or blob (SQLITE_LIMIT_LENGTH)
SQL_MAX_ANSWER = 500_000_000  # bytes of text and blobs in one answer
_READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
_READ_PRAGMAS = {"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
                 "foreign_key_list", "collation_list", "function_list", "module_list", "pragma_list",
                 "compile_options", "database_list", "data_version"}  # FTS5 reads data_version
_ACTION_NAMES = {v: k[len("SQLITE_"):].replace("_", " ").lower() for k, v in vars(sqlite3).items()
                 if k.startswith("SQLITE_") and isinstance(v, int) and k not in
                 ("SQLITE_OK", "SQLITE_DENY", "SQLITE_IGNORE") and not k.startswith("SQLITE_LIMIT")}


def sql(db, text: str, params=None, as_dataframe=False, time_limit: float | None = SQL_TIME_LIMIT,
        guard: bool = True):
    """Run one read-only SQL statement; rows as dicts or a pandas DataFrame.

    Read-only in the engine, not by inspecting the text: the connection is opened read-only
    (connect), and an authorizer allows only reading (SELECT, reading tables, functions, WITH
    RECURSIVE and a few schema pragmas): ATTACH, VACUUM INTO and every write are refused before they
    run. One statement; named or numbered parameters must all be given. The statement is stopped
    after time_limit seconds (a progress handler), a value past SQL_MAX_VALUE bytes (randomblob(1e9))
    is refused by SQLite itself, and an answer past SQL_MAX_ANSWER bytes is cut with an error.
    Every failure is a QueryError of one line. guard=False (figures(), our own SQL): no authorizer,
    which would also see the statements FTS5 runs inside on a writable connection."""
    if isinstance(db, (str, Path)):
        db = connect(db)
    conn = db.conn
    refused: list[str] = []

    def authorize(action, arg1, arg2, dbname, source):
        if action in _READ_ACTIONS or (action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS):
            return sqlite3.SQLITE_OK
        refused.append(_ACTION_NAMES.get(action, f"action {action}") + (f" {arg1}" if arg1 else ""))
        return sqlite3.SQLITE_DENY

    deadline = None if time_limit is None else _now() + time_limit
    conn.set_authorizer(authorize if guard else None)
    conn.set_progress_handler((lambda: int(_now() > deadline)) if deadline else None, 10_000)
    old_limit = conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, SQL_MAX_VALUE)
    try:
        if as_dataframe:
            import pandas as pd

            return pd.read_sql_query(text, conn, params=params or [])
        cursor = conn.execute(text, params or [])
        if cursor.description is None:
            return []
        names = [d[0] for d in cursor.description]
        rows, size = [], 0
        for row in cursor:
            size += sum(len(v) if isinstance(v, (str, bytes)) else 8 for v in row)
            if size > SQL_MAX_ANSWER:
                raise QueryError(f"the answer passed {SQL_MAX_ANSWER // 1_000_000} MB: add a limit, or select "
                                 "fewer or shorter columns (export writes big answers to a file)")
            rows.append(dict(zip(names, row)))
        return rows
    except (sqlite3.Error, OverflowError, ValueError) as e:
        if isinstance(e, QueryError):
            raise
        raise QueryError(_sql_problem(e, refused, time_limit)) from None
    finally:
        conn.set_authorizer(None)
        conn.set_progress_handler(None, 0)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, old_limit)


def _now() -> float:
    import time

    return time.monotonic()


def _sql_problem(e: Exception, refused: list[str], time_limit) -> str:
    text = " ".join(str(e).split())
    if (refused or "not authorized" in text or "readonly" in text or "attempt to write" in text
            or "because it is a view" in text):  # figures is a view (store.schema): changed, it says so first
        what = f" ({shown(refused[0])})" if refused else ""
        return (f"zhmine sql is read-only: the statement was refused{what}; ATTACH, VACUUM INTO, most PRAGMAs and "
                "every change are not allowed: use sqlite-utils or sqlite3 on a copy to change data")
    if "interrupted" in text:
        return (f"the statement ran past the {time_limit:g} s limit and was stopped: narrow it (a where "
                "clause, a limit) or raise --time-limit")
    if "too big" in text or isinstance(e, (OverflowError, MemoryError)):
        return (f"a value passed the {SQL_MAX_VALUE // 1_000_000} MB limit (string or blob too big): "
                "the statement was stopped")
    if "one statement at a time" in text:
        return "zhmine sql runs one statement at a time: remove the ';' and what follows it"
    if "binding" in text:
        return (f"the statement's parameters do not match the values given ({text}): write the values into "
                "the statement, or give each with --param NAME VALUE")
    return f"SQLite cannot run this statement: {text}"


# ------------------------------------------------------------------ formatting (the CLI's edge)
def format_rows(rows: list[dict], fmt: str = "table") -> str:
    """rows -> an aligned table (CJK-width aware; figure rows cut to TABLE_COLUMNS), CSV or JSON. Each
    format imports only what it writes with (a command's start-up is part of its time)."""
    if fmt == "json":
        import json

        return json.dumps(rows, ensure_ascii=False, indent=1)
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        if rows:
            w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        return buf.getvalue()
    if not rows:
        return "(no rows)"
    from .textable import simple_table

    keys = [k for k in TABLE_COLUMNS if k in rows[0]] if "sentence" in rows[0] else list(rows[0])
    return simple_table([{k: _short(r[k]) for k in keys} for r in rows])


def _short(v, width: int = 40):
    if isinstance(v, str):
        v = shown(" ".join(v.split()))  # one table row, and no terminal escape codes from a file name
    if isinstance(v, str) and len(v) > width:
        return v[: width - 1] + "…"
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v
