"""Store: DocumentResults into SQLite (the schema: extract/schema.py).

Tables: documents, articles, sentences (with full-text search), figure_rows (and the view figures),
dates, places, regions, errors, runs, meta. A document's rows are replaced in one transaction, found
by its content hash, so running twice over the same files stores nothing twice and an interrupted
write (even `kill -9`) leaves nothing half-done: SQLite rolls the open transaction back on the next
open. A batch run stores several documents per transaction (save_many), each under a savepoint of
its own: a document is still stored whole or not at all.

A document's rows come as a shard (rows.py: a small SQLite database a batch worker made), copied in
by one INSERT ... SELECT per table, its sentences' full-text index entries (sentences_fts) included:
a document is indexed in the transaction that stores it. Sentences up to the id in meta
`sentences_fts_rowid` are indexed; a database an older zhmine left with sentences after that mark
(it indexed in batches) is caught up by the next save or index_sentences(), and query.py's search
reads rows past the mark directly. A document stored again (a newer extractor) keeps its ids, so its
sentences are taken out of and put back into the index in its own transaction.

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

from . import records, reviewed, rows, schema
from .regionlevels import REGION_PARTS, _gazetteer, fill_region_codes
from .records import DocumentResult
from .safe import path_text, shown

if TYPE_CHECKING:
    import sqlite_utils

REGION_COLUMNS = {"code": str, "name": str, "short_name": str, "level": str, "parent_code": str, "path": str,
                  **dict.fromkeys(REGION_PARTS, str), "lng": float, "lat": float}

FTS_ROWID = schema.FTS_ROWID
# FTS5 flushes its pending terms to a new segment when they pass this size (default 1 MB); a catch-up
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


def open_db(path, indexes: bool = True) -> sqlite_utils.Database:
    """The database at path, made or migrated to the current schema. Raises StoreError (one line:
    which file, what to do) for a folder, a file that is not SQLite, or a read-only file or folder.
    indexes=False: leave missing secondary indexes alone (a connection opened while a run goes on)."""
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
        db.execute(f"attach ':memory:' as {rows.SHARD}")  # save_many reads each document's shard from it
        tables = db.table_names()
        if tables and "documents" not in tables:  # never add our tables to another program's database
            raise StoreError(f"{shown(path)} is an SQLite database of another program (tables: "
                             f"{shown(', '.join(tables[:5]))}): give --db a new file or a zhmine database")
        retry(ensure_schema, db, indexes)
    except (sqlite3.Error, OSError) as e:
        raise StoreError(describe_failure(path, e)) from None
    return db


def ensure_schema(db: sqlite_utils.Database, indexes: bool = True) -> None:
    """Tables, view and full-text index of the current schema (extract/schema.py), made on a new
    database or migrated from an older one; indexes=True also makes the secondary indexes a database
    holding documents lacks (a killed run's: a run in progress passes False)."""
    conn = db.conn
    tables = set(db.table_names())
    if "documents" not in tables:
        with _transaction(conn):
            schema.create(conn)
    if "runs" not in tables:
        db["runs"].create({"id": int, "started_at": str, "finished_at": str, "extractor_version": str,
                           "command": str, "documents": int, "skipped": int, "errors": int, "status": str},
                          pk="id")
    if "meta" not in tables:
        db["meta"].create({"key": str, "value": str}, pk="key")
    if "errors" not in tables:
        db["errors"].create({"id": int, "path": str, "sha256": str, "reason": str, "at": str,
                             "run_id": int, "resolved": int}, pk="id")
    migrated = "documents" in tables and schema.is_old(conn)
    if migrated:
        with _transaction(conn):  # one transaction: a migration stopped half-way leaves the old database
            schema.migrate(conn)
            conn.execute("delete from meta where key = ?", [FTS_ROWID])
    errors = db["errors"]
    for col, typ in (("run_id", int), ("resolved", int)):
        if col not in errors.columns_dict:
            errors.add_column(col, typ)
    errors.create_index(["path"], if_not_exists=True)
    errors.create_index(["sha256"], if_not_exists=True)
    db.execute("create view if not exists current_errors as "
               "select * from errors where coalesce(resolved, 0) = 0 order by id")
    if schema.ensure_view(conn):  # a database of another version of the view (never an old table: migrated above)
        conn.commit()
    if schema.indexed_upto(conn) is None:  # a new or migrated database: nothing indexed yet
        db.execute("insert into sentences_fts (sentences_fts, rank) values ('hashsize', ?)", [FTS_HASHSIZE])
        db.execute("insert or replace into meta (key, value) values (?, '0')", [FTS_ROWID])
        db.conn.commit()
    if migrated:
        index_sentences(db)
    if indexes and schema.missing_indexes(conn) and conn.execute("select 1 from documents limit 1").fetchone():
        make_indexes(db)
    reviewed.ensure_table(db)  # researchers' corrections and the figures_reviewed view (extract/reviewed.py)


def make_indexes(db: sqlite_utils.Database) -> int:
    """The secondary indexes a run leaves to its end (schema.INDEXES), in one transaction."""
    with _transaction(db.conn):
        return schema.make_indexes(db.conn)


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception. Explicit, because Python's sqlite3
    opens a transaction only before INSERT, UPDATE and DELETE: the CREATE and ALTER statements of a
    migration would otherwise each commit on their own."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        if self.conn.in_transaction:
            self.conn.commit()
        self.conn.execute("begin immediate")

    def __exit__(self, kind, *rest):
        if kind is None:
            self.conn.execute("commit")
        elif self.conn.in_transaction:
            self.conn.execute("rollback")


def _index_rows(conn: sqlite3.Connection, pairs) -> int:
    """(id, text) rows into sentences_fts."""
    cur = conn.executemany("insert into sentences_fts (rowid, text) values (?, ?)",
                           schema.fts_rows(pairs))
    return cur.rowcount


def index_sentences(db: sqlite_utils.Database) -> int:
    """Add the sentences not yet in the full-text index (left by an older zhmine, or a migration), in
    one transaction; returns how many."""
    with _transaction(db.conn):
        return _catch_up(db.conn)


def _catch_up(conn: sqlite3.Connection) -> int:
    """Index the sentences past the mark and move it to the last one (inside a transaction)."""
    upto = schema.indexed_upto(conn) or 0
    top = conn.execute("select coalesce(max(id), 0) from sentences").fetchone()[0]
    if top <= upto:
        return 0
    n = _index_rows(conn, conn.execute("select id, text from sentences where id > ?", [upto]))
    conn.execute("update meta set value = ? where key = ?", [str(top), FTS_ROWID])
    return n


# ------------------------------------------------------------------ documents
def is_current(db: sqlite_utils.Database, sha256: str) -> bool:
    """Already stored from the same content by the same extractor version."""
    return db.execute("select 1 from documents where sha256 = ? and extractor_version = ?",
                      [sha256, records.EXTRACTOR_VERSION]).fetchone() is not None


def _sql_insert(table: str, columns) -> str:
    return (f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
            f"values ({', '.join('?' * len(columns))})")


DOCUMENT_COLUMNS = tuple(c for c in schema.DOCUMENT_COLUMNS if c != "id")
_UPSERT_DOCUMENT = (_sql_insert("documents", DOCUMENT_COLUMNS) + " on conflict (sha256) do update set "
                    + ", ".join(f"[{c}] = excluded.[{c}]" for c in DOCUMENT_COLUMNS) + " returning id")
_COPIES = [rows.copy_sql(t) for t in (*rows.COLUMNS, rows.FTS)]


def save(db: sqlite_utils.Database, result: DocumentResult, run_id: int | None = None,
         fill_codes: bool = True) -> None:
    """Replace everything stored for this document, in one transaction (save_many of one)."""
    failed = save_many(db, [result], run_id=run_id, fill_codes=fill_codes)
    if failed:
        raise failed[0][1]


def save_many(db: sqlite_utils.Database, results, run_id: int | None = None,
              fill_codes: bool = True) -> list[tuple[DocumentResult, Exception]]:
    """Store each result, replacing what was stored for its content, all in one transaction.

    Each document is stored whole or not at all: within the transaction each has a savepoint, and one
    whose data SQLite refuses (a ValueError, an IntegrityError) is rolled back to it and returned
    with its exception while the others are kept. An error of the database itself (locked, disk
    full) rolls everything back and is raised. fill_codes=False when fill_region_codes already ran
    (batch workers do it, so that the writer never loads the gazetteer for it).
    """
    failed = []
    conn = db.conn
    with _transaction(conn):
        _catch_up(conn)  # every sentence is indexed from here on: a document's own are, as it is stored
        for result in results:
            if fill_codes:
                fill_region_codes(result)
            conn.execute("savepoint doc")
            try:
                _save_one(conn, result)
            except Exception as e:
                if isinstance(e, sqlite3.OperationalError) or type(e) is sqlite3.DatabaseError:
                    raise  # the database itself (locked, disk full, damaged): every next one would fail too
                conn.execute("rollback to doc")  # this document's data: the others are kept
                failed.append((result, e))
            conn.execute("release doc")
        conn.execute("update meta set value = (select coalesce(max(id), 0) from sentences) where key = ?",
                     [FTS_ROWID])
    return failed


def _save_one(conn: sqlite3.Connection, result: DocumentResult) -> None:
    path, name = path_text(result.path), path_text(result.name)  # lossless, whatever bytes the name holds
    sha = result.sha256
    row = conn.execute("select id from documents where sha256 = ?", [sha]).fetchone()
    if row is not None:  # stored before (an older extractor): its rows go, its ids stay
        _delete_rows(conn, row[0])
    doc_id = conn.execute(_UPSERT_DOCUMENT, (
        path, name, sha, result.encoding, result.kind, result.pages, len(result.text), result.doc_date,
        result.doc_date_source, result.default_region, result.region_source, result.title, result.source,
        result.issuer, records.EXTRACTOR_VERSION, "\n".join(result.warnings) or None, now())).fetchone()[0]
    base = doc_id * schema.CHILD_SPAN
    prepared = rows.of(result)
    if max(prepared.counts.values(), default=0) >= schema.CHILD_SPAN:
        raise ValueError(f"more than {schema.CHILD_SPAN - 1} rows of one kind in one document")
    rows.attach(conn, prepared.shard)  # a ValueError if it is not a shard: this document alone fails
    params = {"base": base, "doc": doc_id}
    for sql in _COPIES:
        conn.execute(sql, params)
    # the file is fine now: its earlier failures are history, not current errors
    conn.execute("update errors set resolved = 1 where coalesce(resolved, 0) = 0 and (path = ? or sha256 = ?)",
                 [path, sha])


def _delete_rows(conn: sqlite3.Connection, doc_id: int) -> None:
    """Every row of a document (its id range in each table), its sentences out of sentences_fts."""
    lo, hi = doc_id * schema.CHILD_SPAN, (doc_id + 1) * schema.CHILD_SPAN
    old = conn.execute("select id, text from sentences where id >= ? and id < ?", [lo, hi])
    conn.executemany("insert into sentences_fts (sentences_fts, rowid, text) values ('delete', ?, ?)",
                     list(schema.fts_rows(old)))
    for table in schema.CHILD_TABLES:
        conn.execute(f"delete from [{table}] where id >= ? and id < ?", [lo, hi])


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
        index_sentences(db)  # sentences an older zhmine left unindexed (each save indexes its own)
        make_indexes(db)  # once, over every row: cheaper than keeping them up row by row
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
