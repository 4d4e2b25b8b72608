"""Store: DocumentResults into SQLite through sqlite-utils.

Tables: documents, articles, sentences (with full-text search), figures, dates, places, regions,
errors, runs, meta. A document's rows are replaced in one transaction, keyed by its content hash, so
running twice over the same files stores nothing twice and an interrupted write (even `kill -9`)
leaves nothing half-done: SQLite rolls the open transaction back on the next open.

The full-text index of sentences (sentences_fts, FTS5 trigram) is filled in bulk rather than by a
trigger per row: per-document transactions would make FTS5 flush and merge a small segment each
time. Sentences up to the rowid in meta `sentences_fts_rowid` are indexed, the ones
after it not yet; index_sentences() catches up (save() every FTS_BATCH sentences, or a batch run's
indexing thread; finish_run() at the end of a run, so a killed run is caught up by the next one), and
query.py's search reads the rows not yet indexed directly. Triggers keep the indexed part exact when
rows are deleted or re-inserted.

Errors keep their history: each row carries the run that hit it, and `resolved` is set once the same
file is stored or fails again later, so `current_errors()` (and the `current_errors` view) is what is
still wrong now.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from . import records, reviewed
from .regionlevels import REGION_PARTS, _gazetteer, _split_region, fill_region_codes
from .records import DocumentResult
from .safe import path_text, shown

if TYPE_CHECKING:
    import sqlite_utils

CHILD_TABLES = ("figures", "dates", "places", "sentences", "articles")
REGION_COLUMNS = {"code": str, "name": str, "short_name": str, "level": str, "parent_code": str, "path": str,
                  **dict.fromkeys(REGION_PARTS, str), "lng": float, "lat": float}

FTS_ROWID = "sentences_fts_rowid"  # meta key: sentences with rowid <= this are in sentences_fts
FTS_BATCH = 80_000  # sentences (about 10 MB of text) indexed at a time: FTS5's cost falls with batch size
# FTS5 flushes its pending terms to a new segment when they pass this size (default 1 MB); a batch
# that fits in one flush writes one segment instead of dozens to merge later. Memory, not disk.
FTS_HASHSIZE = 32 * 1024 * 1024


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class StoreError(Exception):
    """A database that cannot be used (not SQLite, a folder, read-only, held by another run, the disk
    full): str() is one line naming the file and what to do."""


def describe_failure(path: Path, e: Exception) -> str:
    """One line for an exception met while opening or writing the database at path."""
    text = str(e)
    if is_disk_full(e):
        return f"the disk holding {shown(path)} is full: free some space and run the same command again (it resumes)"
    if "not a database" in text or "malformed" in text:
        return (f"{shown(path)} is not a zhmine database (not SQLite, or damaged): "
                f"give --db a new file name or a database built by `zhmine run`")
    if "readonly" in text or "read-only" in text or isinstance(e, PermissionError):
        return (f"{shown(path)} cannot be written (a read-only file or folder; SQLite also writes "
                f"{shown(path.name)}-wal beside it): make both writable or give --db another path")
    if "locked" in text or "busy" in text:
        return (f"{shown(path)} stayed locked by another program for too long ({text}): "
                f"wait for it to end (a `zhmine run`, a sqlite3 shell) and run again")
    return f"cannot use {shown(path)} as the database ({type(e).__name__}: {' '.join(text.split())})"


def is_disk_full(e: BaseException) -> bool:
    import errno

    return (isinstance(e, OSError) and e.errno == errno.ENOSPC) or (
        isinstance(e, sqlite3.Error) and ("disk is full" in str(e) or "disk I/O error" in str(e)))


def is_locked(e: BaseException) -> bool:
    return isinstance(e, sqlite3.OperationalError) and ("locked" in str(e) or "busy" in str(e))


def retry(fn, *args, tries: int = 4, **kwargs):
    """fn(*args) again after a pause when the database stays locked past the busy timeout (another
    writer's long transaction): a writer waits rather than dies."""
    import time

    for attempt in range(tries):
        try:
            return fn(*args, **kwargs)
        except sqlite3.OperationalError as e:
            if not is_locked(e) or attempt == tries - 1:
                raise
            time.sleep(0.5 * 2 ** attempt)


BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another's transaction before retry() steps in


def open_db(path) -> sqlite_utils.Database:
    """The database at path, made or migrated to the current schema. Raises StoreError (one line:
    which file, what to do) for a folder, a file that is not SQLite, or a read-only file or folder."""
    import sqlite_utils  # here, not on import: batch workers use fill_region_codes without a database

    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{shown(path)} is a folder: give --db a file, e.g. {shown(path / 'zhmine.db')}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"cannot create the folder {shown(path.parent)} ({e.strerror}): give --db another path") from None
    if path.exists() and not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise StoreError(describe_failure(path, PermissionError(13, "read-only")))
    try:
        db = sqlite_utils.Database(sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000))
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: the pragmas below may wait too
        # WAL: readers (Datasette, pandas) are not blocked by the single writer of a batch run
        retry(db.execute, "PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        tables = db.table_names()
        if tables and "documents" not in tables:  # never add our tables to another program's database
            raise StoreError(f"{shown(path)} is an SQLite database of another program (tables: "
                             f"{shown(', '.join(tables[:5]))}): give --db a new file or a zhmine database")
        retry(ensure_schema, db)
    except (sqlite3.Error, OSError) as e:
        raise StoreError(describe_failure(path, e)) from None
    return db


# meaning (extract/meaning.py): what a figure measures, its change, target and period
MEANING_TYPES = {"direction": str, "status": str, "period": str, "measure": str, "indicator": str}


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
    for table, cols in (("documents", ("region_source", "title", "source", "issuer")), ("figures", ("region_source",))):
        if table not in tables:
            continue
        have = db[table].columns_dict
        for col in cols:
            if col not in have:
                db[table].add_column(col, str)
    if "figures" in tables:
        figures = db["figures"]
        for col, typ in MEANING_TYPES.items():  # meaning (extract/meaning.py)
            if col not in figures.columns_dict:
                figures.add_column(col, typ)
        figures.create_index(["indicator"], if_not_exists=True)
    for col, typ in TABLE_COLUMNS.items():  # issue 15: where a table figure came from
        if "figures" in tables and col not in db["figures"].columns_dict:
            db["figures"].add_column(col, typ)
    errors = db["errors"]
    for col, typ in (("run_id", int), ("resolved", int)):
        if col not in errors.columns_dict:
            errors.add_column(col, typ)
    errors.create_index(["path"], if_not_exists=True)
    errors.create_index(["sha256"], if_not_exists=True)
    db.execute("create view if not exists current_errors as "
               "select * from errors where coalesce(resolved, 0) = 0 order by id")
    if "sentences_fts" in db.table_names() and indexed_upto(db) is None:
        _deferred_fts(db)
    reviewed.ensure_table(db)  # researchers' corrections and the figures_reviewed view (extract/reviewed.py)


def _deferred_fts(db: sqlite_utils.Database) -> None:
    """Triggers that keep sentences_fts exact for the rows already indexed (rowid <= meta FTS_ROWID)
    and leave new rows to index_sentences(); also turns a database made with sqlite-utils' per-row
    triggers (everything indexed) into this form.

    New rows must get rowids above FTS_ROWID, and SQLite gives max(rowid) + 1: that is below it only
    once the highest rows are deleted, so a delete lowers FTS_ROWID to the highest rowid left.
    (This keeps inserts free of any trigger.)"""
    upto = f"(select cast(value as integer) from meta where key = '{FTS_ROWID}')"
    top = "(select coalesce(max(rowid), 0) from [sentences])"
    with db.atomic():
        for name in ("sentences_ai", "sentences_ad", "sentences_au"):
            db.execute(f"drop trigger if exists [{name}]")
        db.execute(f"""create trigger [sentences_ad] after delete on [sentences] begin
            insert into [sentences_fts] ([sentences_fts], rowid, [text])
                select 'delete', old.rowid, old.[text] where old.rowid <= {upto};
            update meta set value = {top} where key = '{FTS_ROWID}' and cast(value as integer) > {top};
        end""")
        db.execute(f"""create trigger [sentences_au] after update on [sentences] begin
            insert into [sentences_fts] ([sentences_fts], rowid, [text])
                select 'delete', old.rowid, old.[text] where old.rowid <= {upto};
            insert into [sentences_fts] (rowid, [text]) select new.rowid, new.[text] where new.rowid <= {upto};
        end""")
        db.execute("insert into sentences_fts (sentences_fts, rank) values ('hashsize', ?)", [FTS_HASHSIZE])
        db.execute(f"insert or replace into meta (key, value) values ('{FTS_ROWID}', {top})")


def indexed_upto(db: sqlite_utils.Database) -> int | None:
    """The rowid up to which sentences are in sentences_fts (the rest are not yet); None when the
    database keeps the index by sqlite-utils' per-row triggers (made before deferred indexing)."""
    try:
        row = db.execute("select value from meta where key = ?", [FTS_ROWID]).fetchone()
    except sqlite3.OperationalError:  # no meta table: a database older than that
        return None
    return None if row is None else int(row[0])


def index_sentences(db: sqlite_utils.Database) -> int:
    """Add the sentences not yet in the full-text index, in one transaction; returns how many.

    The transaction is IMMEDIATE (it takes the write lock before it reads the mark): a batch run calls
    this from a thread with a connection of its own, and a deferred transaction that read the mark
    before another connection wrote would fail on its first write instead of waiting."""
    db.execute("begin immediate")
    try:
        upto = indexed_upto(db)
        top = db.execute("select coalesce(max(rowid), 0) from sentences").fetchone()[0]
        n = 0
        if upto is not None and top > upto:  # else per-row triggers, or nothing new (a delete lowers upto too)
            n = db.execute("insert into sentences_fts (rowid, [text]) select rowid, [text] from sentences "
                           "where rowid > ?", [upto]).rowcount
            db.execute("update meta set value = ? where key = ?", [str(top), FTS_ROWID])
    except BaseException:
        if db.conn.in_transaction:  # SQLite rolls back by itself on some errors (disk full)
            db.execute("rollback")
        raise
    db.execute("commit")
    return n


# issue 15: a table cell's figure records its table (on its page), row and column and the page's text source
TABLE_COLUMNS = {"table": int, "row": int, "column": int, "text_source": str}


def _create_core(db: sqlite_utils.Database) -> None:
    db["documents"].create({
        "id": str, "path": str, "name": str, "sha256": str, "encoding": str, "kind": str, "pages": int,
        "chars": int, "doc_date": str, "doc_date_source": str, "default_region": str, "region_source": str,
        "title": str, "source": str, "issuer": str, "extractor_version": str, "warnings": str, "extracted_at": str,
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
                          "category": str, "cumulative": int, "region_source": str, **MEANING_TYPES, **TABLE_COLUMNS}, pk="id",
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
    db["sentences"].enable_fts(["text"], create_triggers=False, tokenize="trigram")  # triggers: _deferred_fts


# ------------------------------------------------------------------ documents
def is_current(db: sqlite_utils.Database, sha256: str) -> bool:
    """Already stored from the same content by the same extractor version."""
    rows = list(db.query("select 1 from documents where id = ? and extractor_version = ?",
                         [sha256, records.EXTRACTOR_VERSION]))
    return bool(rows)


def _real(value):
    """Values are REAL in SQLite: a Python int past 64 bits (an absurd but possible reading) would not fit."""
    return None if value is None else float(value)


def _insert(db: sqlite_utils.Database, table: str, columns: tuple[str, ...], rows) -> None:
    """Plain executemany rather than sqlite-utils' insert_all on the hot path: insert_all builds and
    type-checks a dict per row (jsonify_if_needed on every value).
    The tables and their columns are still made by sqlite-utils (_create_core)."""
    cols = ", ".join(f"[{c}]" for c in columns)
    db.conn.executemany(f"insert into [{table}] ({cols}) values ({', '.join('?' * len(columns))})", rows)


DOCUMENT_COLUMNS = ("id", "path", "name", "sha256", "encoding", "kind", "pages", "chars", "doc_date",
                    "doc_date_source", "default_region", "region_source", "title", "source", "issuer",
                    "extractor_version", "warnings", "extracted_at")
BASE_COLUMNS = ("id", "document_id", "article_id", "sentence_id", "page", "start", "end", "surface")
FIGURE_COLUMNS = BASE_COLUMNS + ("document", "article_title", "sentence", "value", "value_max", "unit", "kind",
                                 "approx", "per", "optional", "region", "region_code", *REGION_PARTS, "year",
                                 "metric", "category", "cumulative", "region_source", *MEANING_TYPES, *TABLE_COLUMNS)


def save(db: sqlite_utils.Database, result: DocumentResult, run_id: int | None = None, fill_codes: bool = True,
         index: bool = True) -> None:
    """Replace everything stored for this document, in one transaction.

    fill_codes=False when fill_region_codes already ran (batch workers do it, so that the writer
    process never loads the gazetteer for it). index=False: leave the full-text index to the caller
    (a batch run fills it from a thread of its own while extraction goes on, see batch.Indexer);
    by default every FTS_BATCH new sentences are indexed here.
    """
    if fill_codes:
        fill_region_codes(result)
    doc_id = result.sha256
    prefix = doc_id[:16]
    art_id = lambda n: f"{prefix}:a{n}"
    sent_id = lambda n: None if n is None else f"{prefix}:s{n}"

    def base(kind, i, r):
        return (f"{prefix}:{kind}{i}", doc_id, art_id(r["article"]), sent_id(r["sentence"]), r["page"], r["start"],
                r["end"], r["surface"])

    def levels(f):
        parts = f.get("levels") or _split_region(f["region"])
        return tuple(parts[k] for k in REGION_PARTS)

    titles = {a["n"]: a["title"] for a in result.articles}
    path, name = path_text(result.path), path_text(result.name)  # lossless, whatever bytes the name holds
    with db.atomic():
        for table in CHILD_TABLES:
            db.execute(f"delete from [{table}] where document_id = ?", [doc_id])
        document = (doc_id, path, name, result.sha256, result.encoding, result.kind, result.pages,
                    len(result.text), result.doc_date, result.doc_date_source, result.default_region,
                    result.region_source, result.title, result.source, result.issuer,
                    records.EXTRACTOR_VERSION, "\n".join(result.warnings) or None, now())
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in DOCUMENT_COLUMNS[1:])
        db.execute(f"insert into documents ({', '.join(f'[{c}]' for c in DOCUMENT_COLUMNS)}) "
                   f"values ({', '.join('?' * len(DOCUMENT_COLUMNS))}) on conflict (id) do update set {updates}",
                   document)
        _insert(db, "articles", ("id", "document_id", "n", "title", "region", "page", "start", "end"),
                ((art_id(a["n"]), doc_id, a["n"], a["title"], a["region"], a["page"], a["start"], a["end"])
                 for a in result.articles))
        _insert(db, "sentences", ("id", "document_id", "article_id", "n", "page", "start", "end", "text"),
                ((sent_id(s["n"]), doc_id, art_id(s["article"]), s["n"], s["page"], s["start"], s["end"], s["text"])
                 for s in result.sentences))
        _insert(db, "figures", FIGURE_COLUMNS,
                ((*base("f", i, f), name, titles.get(f["article"]), f["sentence_text"], _real(f["value"]),
                  _real(f["value_max"]), f["unit"], f["kind"], f["approx"], f["per"], int(f["optional"]),
                  f["region"], f["region_code"], *levels(f), f["year"], f["metric"], f["category"],
                  int(f["cumulative"]), f.get("region_source"), *(f.get(c) for c in MEANING_TYPES), *(f.get(c) for c in TABLE_COLUMNS)) for i, f in enumerate(result.figures)))
        _insert(db, "dates", BASE_COLUMNS + ("value", "relative"),
                ((*base("d", i, d), d["value"], int(d["relative"])) for i, d in enumerate(result.dates)))
        _insert(db, "places", BASE_COLUMNS + ("path", "code", "level"),
                ((*base("p", i, p), p["path"], p["code"], p["level"]) for i, p in enumerate(result.places)))
        # the file is fine now: its earlier failures are history, not current errors
        db.execute("update errors set resolved = 1 where coalesce(resolved, 0) = 0 and (path = ? or sha256 = ?)",
                   [path, doc_id])
    if index and unindexed(db) >= FTS_BATCH:
        index_sentences(db)


def unindexed(db: sqlite_utils.Database) -> int:
    """How many sentences (by rowid) are not yet in the full-text index."""
    upto = indexed_upto(db)
    return 0 if upto is None else db.execute("select coalesce(max(rowid), 0) from sentences").fetchone()[0] - upto


# ------------------------------------------------------------------ errors and runs
def record_error(db: sqlite_utils.Database, path, reason: str, sha256: str | None = None,
                 run_id: int | None = None) -> None:
    """A failure of `path` in this run; it supersedes earlier failures of the same file."""
    path = path_text(path)  # lossless, whatever bytes the name holds
    with db.atomic():
        db.execute("update errors set resolved = 1 where coalesce(resolved, 0) = 0 and path = ?", [path])
        db["errors"].insert({"path": path, "sha256": sha256, "reason": reason, "at": now(),
                             "run_id": run_id, "resolved": 0}, pk="id")


def current_errors(db: sqlite_utils.Database) -> list[dict]:
    """Failures not yet followed by a successful store or a newer failure of the same file."""
    return list(db.query("select * from current_errors"))


def begin_run(db: sqlite_utils.Database, command: str = "") -> int:
    """A new run. Runs still marked `running` are dead (the caller holds the run lock): they become
    `interrupted`."""
    with db.atomic():
        db.execute("update runs set status = 'interrupted' where status = 'running'")
        return db["runs"].insert({"started_at": now(), "extractor_version": records.EXTRACTOR_VERSION,
                                  "command": command, "status": "running"}, pk="id").last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, documents: int, skipped: int, errors: int,
               interrupted: bool = False, failed: bool = False) -> None:
    """failed: the run was stopped (disk full): marked `failed` even with no file in error."""
    status = "interrupted" if interrupted else "failed" if errors or failed else "ok"
    if not failed:
        index_sentences(db)  # the run's last sentences; a killed run's are caught up by the next one
    with db.atomic():
        db["runs"].update(run_id, {"finished_at": now(), "documents": documents, "skipped": skipped,
                                   "errors": errors, "status": status})


# ------------------------------------------------------------------ the run lock
class RunLock:
    """One `zhmine run` at a time per database: a lock file beside it (<db>.lock, holding the pid and
    start time of its run). A second run waits up to `wait` seconds for the first to end, then stops
    with a StoreError naming the run that holds it. Readers (query, sql, serve) take no lock.
    No lock where fcntl is missing (Windows): SQLite's own locking and retry() still apply."""

    def __init__(self, db_path, wait: float = 600.0, on_wait=None):
        self.path = Path(f"{db_path}.lock")
        self.wait, self.on_wait = wait, on_wait
        self.file = None

    def __enter__(self):
        import time

        try:
            import fcntl
        except ImportError:
            return self
        try:
            self.file = open(self.path, "a+")
        except OSError as e:
            raise StoreError(describe_failure(self.path, e)) from None
        deadline, told = time.monotonic() + self.wait, False
        while True:
            try:
                fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                holder = self._holder()
                if time.monotonic() >= deadline:
                    self.file.close()
                    raise StoreError(f"another zhmine run ({holder}) is writing {shown(self.path.with_suffix(''))}: "
                                     f"let it finish, rerun with a longer --wait, or give another --db") from None
                if not told and self.on_wait:
                    self.on_wait(f"waiting for another zhmine run ({holder}) to finish with this database "
                                 f"(up to {self.wait:g} s, --wait)")
                    told = True
                time.sleep(0.2)
        self.file.seek(0)
        self.file.truncate()
        self.file.write(f"pid {os.getpid()}, started {now()}\n")
        self.file.flush()
        return self

    @staticmethod
    def running(db_path) -> bool:
        """True while a `zhmine run` holds the database: readers then leave their optional writes
        (catching up the full-text index, adding indexes) to it rather than wait on its lock."""
        try:
            import fcntl

            if not os.path.exists(f"{db_path}.lock"):
                return False
            with open(f"{db_path}.lock", "a") as f:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    return True
                fcntl.flock(f, fcntl.LOCK_UN)
        except (ImportError, OSError):  # no fcntl, or no lock file can be made here: no run writes it
            pass
        return False

    def _holder(self) -> str:
        try:
            return self.path.read_text().strip() or "pid unknown"
        except OSError:
            return "pid unknown"

    def __exit__(self, *exc):
        if self.file is not None:
            self.file.close()  # closing the file releases the lock
            self.file = None


# ------------------------------------------------------------------ regions
def sync_regions(db: sqlite_utils.Database) -> bool:
    """Store the gazetteer as the `regions` table, once per database and again when its data changes.

    Returns True when the table was (re)written. Does nothing before zhmine.places.gazetteer exists.
    The rows come straight from the gazetteer's data file (_region_rows): building the Gazetteer
    itself (its name index) would cost the writer more than the table does.
    """
    stored = db["meta"].get("regions_sha256")["value"] if _has_meta(db, "regions_sha256") else None
    current = "regions" in db.table_names()
    digest = _regions_digest()
    if digest and stored == digest and current:
        return False  # the common case: no need to load the gazetteer at all
    rows = _region_rows() if digest else None
    if rows is None:
        gaz = _gazetteer()
        if gaz is None:
            return False
        rows = [{c: row.get(c) for c in REGION_COLUMNS} for row in gaz.rows()]
        if digest is None:  # a gazetteer without a data digest: hash its rows
            h = hashlib.sha256()
            for row in rows:
                h.update(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str).encode())
            digest = h.hexdigest()
    if stored == digest and current:
        return False
    with db.atomic():
        if "regions" in db.table_names():
            db["regions"].drop()
        db["regions"].create(REGION_COLUMNS, pk="code")
        # named parameters: the rows are dicts with these keys, as the gazetteer gives them
        db.conn.executemany(f"insert into regions ({', '.join(f'[{c}]' for c in REGION_COLUMNS)}) "
                            f"values ({', '.join(':' + c for c in REGION_COLUMNS)})", rows)
        db["meta"].upsert({"key": "regions_sha256", "value": digest}, pk="key")
        for col in ("name", "path", "parent_code"):
            db["regions"].create_index([col], if_not_exists=True)
    return True


def _region_rows() -> list[dict] | None:
    """The regions table's rows from gazetteer.table_rows() (the data file, without building the
    Gazetteer); None when that cannot be read: sync_regions then asks the gazetteer itself."""
    try:
        from .places import gazetteer

        return gazetteer.table_rows()
    except Exception:
        return None


def _regions_digest() -> str | None:
    try:
        from .places import gazetteer
    except ImportError:
        return None
    digest = getattr(gazetteer, "data_digest", None)
    return digest() if digest else None


def _has_meta(db: sqlite_utils.Database, key: str) -> bool:
    return bool(list(db.query("select 1 from meta where key = ?", [key])))
