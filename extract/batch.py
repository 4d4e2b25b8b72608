"""Batch runs: files, folders and globs -> the database, in parallel, resumable, recording every bad
file instead of stopping.

Shape of a run: the main process lists the files, hashes each one and skips what the database already
holds from the same content and extractor version; the rest go to worker processes (pebble's
ProcessPool: a per-task time limit that kills and replaces a stuck worker, and a crashed worker is
reported instead of breaking the pool) or to a Dask cluster. In a local run PDFs are first read by
reader processes (pdfplumber only), which start reading while the workers warm up. Workers build the
spaCy pipeline once and send back DocumentResults; the main process is the only writer and stores
each document in its own transaction; a thread of its (Indexer) fills the full-text index in batches
meanwhile. At most a few documents per worker are in flight, so memory does not grow with the size of
the archive, and a run killed at any point resumes where it stopped.

What a worker does is in worker.py, the two executors in executors.py.
"""
from __future__ import annotations

import glob as globmod
import os
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .executors import DaskExecutor, LocalExecutor
from .formats import expand as expand_archive
from .ingest import PDF_SUFFIXES, SUFFIXES
from .meta import meta_for
from .worker import warm_up  # noqa: F401 (batch.warm_up, as before the worker's code had a module)

DEFAULT_TIMEOUT = 300.0  # seconds per document
DEFAULT_MAX_MB = 200.0
DEFAULT_MAX_PAGES = 2000
# results held back while the full-text index is being filled (Indexer), in characters of text: at
# most ~30 MB in memory, more than two workers make in the second that one index batch takes
HELD_CHARS = 1_000_000


@dataclass
class RunSummary:
    documents: int = 0  # extracted and stored in this run
    skipped: int = 0  # already current in the database, or the same content as another file
    figures: int = 0
    dates: int = 0
    places: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    run_id: int | None = None

    def line(self) -> str:
        return (f"{self.documents} documents extracted, {self.skipped} already current, "
                f"{self.figures} figures, {self.dates} dates, {self.places} places, {len(self.errors)} errors")


def find_files(paths) -> list[Path]:
    """Expand files, folders (walked) and globs into document files, in a stable order."""
    out: list[Path] = []
    for p in paths:
        p = str(p)
        matches = [Path(m) for m in sorted(globmod.glob(p, recursive=True))] if any(c in p for c in "*?[") else [Path(p)]
        for m in matches:
            if m.is_dir():
                out.extend(f for f in sorted(m.rglob("*")) if f.is_file() and f.suffix.lower() in SUFFIXES)
            else:
                out.append(m)
    out = [member for f in out for member in expand_archive(f)]  # each document of a zip is its own
    seen, unique = set(), []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


# ------------------------------------------------------------------ the run
class Indexer:
    """Fills the full-text index (store.index_sentences) from a thread with a connection of its own.

    Done inline, an index batch would stop the writer from taking results and submitting work, and
    every worker would run dry once its few documents in flight were done.
    While the thread runs (SQLite works with the GIL released) the main thread keeps the workers fed
    and holds their results back, writing nothing, so the two connections never wait on each other."""

    def __init__(self, db_path):
        self.db_path = db_path
        self.thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def start(self) -> None:
        self.thread = threading.Thread(target=self._fill, name="zhmine-index", daemon=True)
        self.thread.start()

    def _fill(self) -> None:
        from . import store

        try:
            db = store.open_db(self.db_path)
            try:
                store.index_sentences(db)
            finally:
                db.close()
        except Exception:  # nothing is lost: what is not indexed now is indexed at the end of the run
            pass

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()


def _plan(files, database, max_bytes: int, fail, skip):
    """Yield (path, sha256) for each file to extract; skip what is current or a duplicate."""
    from . import store
    from .ingest import sha256_of

    seen: set[str] = set()  # content hashes met in this run: the first path with one is stored
    for path in files:
        try:
            size = path.stat().st_size if path.is_file() else None
            # unreadable sizes, folders and missing files go to a worker, which names the problem
            sha = sha256_of(path) if size and size <= max_bytes else None
        except OSError as e:
            fail(path, None, f"cannot read the file ({e.strerror or e})")
            continue
        if sha is not None:
            if sha in seen or store.is_current(database, sha):  # a copy of an earlier file, or stored
                skip()
                continue
            seen.add(sha)
        yield path, sha


def cores() -> int:
    """The cores this process may run on (fewer than os.cpu_count() under taskset or a CPU set)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _drop_gazetteer() -> None:
    """Free the gazetteer (about 40 MB) if storing the regions table had to build it (its data file
    unreadable by gazetteer.table_rows); the writer never needs it otherwise."""
    gaz = sys.modules.get("zhmine.places.gazetteer")
    clear = getattr(getattr(gaz, "get", None), "cache_clear", None)
    if clear:
        clear()
        import gc

        gc.collect()


def run(paths, db="output/zhmine.db", doc_date: str | None = None, meta: dict | None = None, progress: bool = True,
        on_error=None,
        workers: int | None = None, timeout: float | None = DEFAULT_TIMEOUT, max_mb: float = DEFAULT_MAX_MB,
        max_pages: int = DEFAULT_MAX_PAGES, executor: str = "local", scheduler: str | None = None) -> RunSummary:
    """Extract every document under `paths` into the SQLite database `db`.

    meta: {"table": file -> fields, "region": path} (cli._meta): each document's metadata.
    workers: processes for the local executor (default: every core). executor "dask" sends the work to
    the Dask scheduler at `scheduler` instead. timeout is per document, in seconds (None: no limit).
    """
    files = find_files(paths)
    if executor == "dask":
        if not scheduler:
            raise ValueError("the dask executor needs a scheduler address, e.g. tcp://10.0.0.5:8786")
        ex = DaskExecutor(scheduler, timeout)
    else:
        ex = LocalExecutor(workers or cores(), timeout)
    try:
        if isinstance(ex, LocalExecutor):
            if any(f.suffix.lower() in PDF_SUFFIXES for f in files):
                ex.read_ahead()  # first: reading PDFs is the longest chain of such a run
            ex.start()  # workers warm up while we get ready
        # imported once the forkserver is on its way: its warm-up is what the first document waits for
        from tqdm import tqdm

        from . import store

        database = store.open_db(db)
        summary = RunSummary()
        summary.run_id = run_id = store.begin_run(database, " ".join(sys.argv))
    except BaseException:
        ex.close()
        raise
    max_bytes = int(max_mb * 1_000_000)
    bar = tqdm(total=len(files), desc="zhmine run", unit="doc", disable=not progress, file=sys.stderr)

    def fail(path, sha, reason):
        summary.errors.append((str(path), reason))
        store.record_error(database, path, reason, sha256=sha, run_id=run_id)
        if on_error:
            on_error(f"{path}: {reason}")
        bar.update()

    def skip():
        summary.skipped += 1
        bar.update()

    def stored(path, result):
        result.path = str(path)  # as the user named it, whichever executor read it
        try:
            store.save(database, result, run_id=run_id, fill_codes=False, index=False)  # indexer's job
        except Exception as e:
            fail(path, result.sha256, f"could not be stored ({type(e).__name__}: {e})")
            return
        summary.documents += 1
        summary.figures += len(result.figures)
        summary.dates += len(result.dates)
        summary.places += len(result.places)
        bar.update()

    def deliver(path, sha, status, payload):
        stored(path, payload) if status == "ok" else fail(path, sha, payload)

    todo = _plan(files, database, max_bytes, fail, skip)
    pending: dict = {}
    # results wait here to be stored: for as long as the indexer writes, and then one by one between
    # feeding the workers (a backlog stored in one go would leave them idle meanwhile)
    held: deque = deque()  # (path, sha256, status, payload, characters of text)
    held_chars = 0
    indexer = Indexer(db)
    aborted = True
    regions = False

    def store_regions():
        # when a core is free (it takes a while on a new database): in a run with text files, while
        # the workers warm up (before the first submission, which waits for them); in a run of PDFs
        # only, once the first document is back (until then the cores belong to the readers of the
        # first PDFs and the workers' warm-up: the reading is what such a run waits for)
        nonlocal regions
        if not regions:
            store.sync_regions(database)
            _drop_gazetteer()
            regions = True

    def feed():
        while len(pending) < ex.slots and held_chars < HELD_CHARS:
            item = next(todo, None)
            if item is None:
                return
            if not ex.reads_ahead(item[0]):
                store_regions()
            # each job carries its document's metadata (zhmine.meta), --doc-date and --region included
            known = meta_for(meta.get("table"), item[0], meta.get("region"), doc_date) if meta else None
            pending[ex.submit((str(item[0]), known or doc_date, max_bytes, max_pages))] = item

    def collect(done):
        nonlocal held_chars
        for fut in done:
            path, sha = pending.pop(fut)
            status, payload = ex.outcome(fut)
            chars = len(payload.text) if status == "ok" else 0
            held.append((path, sha, status, payload, chars))
            held_chars += chars

    def store_one():
        nonlocal held_chars
        path, sha, status, payload, chars = held.popleft()
        held_chars -= chars
        deliver(path, sha, status, payload)

    try:
        while True:
            feed()
            if not pending and not held:
                store_regions()
                break
            writable = bool(held) and not indexer.busy
            if pending:  # wait for a result only when there is nothing to store meanwhile
                collect([f for f in pending if f.done()] if writable else ex.wait(pending))
            elif not writable:
                indexer.join()  # nothing in flight, only results held for the indexer
                continue
            store_regions()
            if writable:
                store_one()
            # a batch of sentences (store.FTS_BATCH) waits: index it beside the workers; the rest
            # at the end, in finish_run (FTS5's cost per sentence falls with the batch's size)
            if not indexer.busy and store.unindexed(database) >= store.FTS_BATCH:
                indexer.start()
        aborted = False
    finally:
        ex.close()
        indexer.join()
        while held:  # done before an interruption: stored, not extracted again next time
            store_one()
        bar.close()
        store.finish_run(database, run_id, summary.documents, summary.skipped, len(summary.errors),
                         interrupted=aborted)
    return summary
