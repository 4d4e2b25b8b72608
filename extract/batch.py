"""Batch runs: files, folders and globs -> the database, in parallel, resumable, recording every bad
file instead of stopping.

Shape of a run: the main process lists the files, hashes each one and skips what the database already
holds from the same content and extractor version; the rest go to worker processes (pebble's
ProcessPool: a per-task time limit that kills and replaces a stuck worker, and a crashed worker is
reported instead of breaking the pool) or to a Dask cluster. In a local run PDFs are first read by
reader processes (pdfplumber only), which start reading while the workers warm up. Workers build the
spaCy pipeline once and send back DocumentResults with their rows ready to copy (rows.py); the main
process is the only writer and stores a few documents per transaction, each whole or not at all.
At most a few documents per worker are in flight, so memory does not grow with the size of
the archive, and a run killed at any point resumes where it stopped.

What a worker does is in worker.py, the two executors in executors.py.
"""
from __future__ import annotations

import glob as globmod
import os
import sqlite3
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .executors import DaskExecutor, LocalExecutor
from .formats import expand as expand_archive
from .ingest import PDF_SUFFIXES, SUFFIXES
from . import rows
from .meta import meta_for
from .safe import path_text, shown
from .worker import warm_up  # noqa: F401 (batch.warm_up, as before the worker's code had a module)

DEFAULT_TIMEOUT = 300.0  # seconds per document
DEFAULT_MAX_MB = 200.0
DEFAULT_MAX_PAGES = 2000
# results stored in one transaction, in characters of text (about 1 MB): a few commits per MB rather
# than one per document, and still short enough that the workers are fed meanwhile
GROUP_CHARS = 300_000


@dataclass
class RunSummary:
    documents: int = 0  # extracted and stored in this run
    skipped: int = 0  # already current in the database, or the same content as another file
    figures: int = 0
    dates: int = 0
    places: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    run_id: int | None = None
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (glob, reason): warned, not stored
    stopped: str | None = None  # why the run stopped before its end (disk full...): it is marked failed

    def line(self) -> str:
        return (f"{self.documents} documents extracted, {self.skipped} already current, "
                f"{self.figures} figures, {self.dates} dates, {self.places} places, {len(self.errors)} errors")


def find_files(paths, problems: list | None = None) -> list[Path]:
    """Expand files, folders (walked) and globs into document files, in a stable order.

    problems, when given, receives (path, reason) for what cannot be listed: a folder that cannot be
    read (it and everything below it are missing from the run) and a glob that matches nothing."""
    out: list[Path] = []
    for p in paths:
        p = str(p)
        if any(c in p for c in "*?["):
            matches = [Path(m) for m in sorted(globmod.glob(p, recursive=True))]
            if not matches and problems is not None:
                problems.append((p, "matches no file: check the pattern (and quote it, so that the shell "
                                    "leaves it to zhmine)"))
        else:
            matches = [Path(p)]
        for m in matches:
            if m.is_dir():
                out.extend(_walk(m, problems))
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


def _walk(folder: Path, problems: list | None) -> list[Path]:
    """The document files below folder, sorted as Path.rglob's were; an unreadable folder goes to
    problems instead of being skipped without a word."""
    def unreadable(e: OSError):
        if problems is not None:
            problems.append((e.filename or str(folder),
                             f"cannot read the folder ({e.strerror or e}): its files were not extracted; "
                             "fix its permissions and run again"))

    found, visited = [], set()
    # links to folders are followed (as rglob did), each real folder once: a link loop ends
    for root, dirs, files in os.walk(folder, onerror=unreadable, followlinks=True):
        real = os.path.realpath(root)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        dirs.sort()
        for name in files:
            f = Path(root) / name
            if f.suffix.lower() in SUFFIXES and f.is_file():
                found.append(f)
    return sorted(found)


# ------------------------------------------------------------------ the run
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
        max_pages: int = DEFAULT_MAX_PAGES, executor: str = "local", scheduler: str | None = None,
        wait: float = 600.0, on_warning=None) -> RunSummary:
    """Extract every document under `paths` into the SQLite database `db`.

    meta: {"table": file -> fields, "region": path} (cli._meta): each document's metadata.
    workers: processes for the local executor (default: every core). executor "dask" sends the work to
    the Dask scheduler at `scheduler` instead. timeout is per document, in seconds (None: no limit).
    wait: seconds to wait for another run that holds the database (store.RunLock). A database that
    cannot be used raises store.StoreError; a run that cannot go on (disk full) stops with
    summary.stopped set and the run marked failed.
    """
    problems: list[tuple[str, str]] = []
    files = find_files(paths, problems)
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

        database = store.open_db(db, indexes=False)  # finish_run makes them, once, after the last row
        lock = store.RunLock(db, wait, on_warning).__enter__()
        try:
            summary = RunSummary()
            command = " ".join(path_text(a) for a in sys.argv)
            summary.run_id = run_id = store.retry(store.begin_run, database, command)
        except BaseException:
            lock.__exit__()
            raise
    except BaseException as e:
        ex.close()
        if isinstance(e, (sqlite3.Error, OSError)):
            raise store.StoreError(store.describe_failure(Path(db), e)) from None
        raise
    max_bytes = int(max_mb * 1_000_000)
    bar = tqdm(total=len(files), desc="zhmine run", unit="doc", disable=not progress, file=sys.stderr)

    def stop(e: BaseException):
        """The database cannot take more (disk full, I/O error, locked past every retry): stop here."""
        summary.stopped = store.describe_failure(Path(db), e)
        raise _Stopped from None

    def fail(path, sha, reason):
        summary.errors.append((path_text(path), reason))
        bar.update()
        if on_error:
            on_error(f"{shown(path)}: {reason}")
        try:
            store.retry(store.record_error, database, path, reason, sha256=sha, run_id=run_id)
        except Exception as e:
            stop(e)

    def skip():
        summary.skipped += 1
        bar.update()

    def stored(group):
        """group: (path, result) pairs, stored in one transaction, each document whole or not at all."""
        for path, result in group:
            result.path = str(path)  # as the user named it, whichever executor read it
        try:
            failed = store.retry(store.save_many, database, [r for _, r in group], run_id=run_id,
                                 fill_codes=False)
        except (sqlite3.OperationalError, OSError) as e:  # the database, not this file: every next one would fail
            stop(e)
        refused = {id(r): e for r, e in failed}
        for path, result in group:
            e = refused.get(id(result))
            if e is not None:  # this file's data (a value SQLite refuses): recorded, the batch goes on
                fail(path, result.sha256, f"could not be stored ({type(e).__name__}: {' '.join(str(e).split())}); "
                                          "please report it with this file")
                continue
            made = rows.of(result)
            summary.documents += 1
            summary.figures += made.count("figure_rows")
            summary.dates += made.count("dates")
            summary.places += made.count("places")
            bar.update()

    todo = _plan(files, database, max_bytes, fail, skip)
    pending: dict = {}
    # results wait here to be stored in groups of GROUP_CHARS, between feeding the workers
    held: deque = deque()  # (path, sha256, status, payload, characters of text)
    held_chars = 0
    aborted = True
    regions = False

    def store_regions():
        # when a core is free (it takes a while on a new database): in a run with text files, while
        # the workers warm up (before the first submission, which waits for them); in a run of PDFs
        # only, once the first document is back (until then the cores belong to the readers of the
        # first PDFs and the workers' warm-up: the reading is what such a run waits for)
        nonlocal regions
        if not regions:
            try:
                store.retry(store.sync_regions, database)
            except (sqlite3.OperationalError, OSError) as e:
                stop(e)
            _drop_gazetteer()
            regions = True

    def feed():
        while len(pending) < ex.slots:
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

    def store_held():
        """The results held, up to GROUP_CHARS characters of text, in one transaction (a commit per
        document cost the writer more than its rows); a failed extraction is recorded as it comes."""
        nonlocal held_chars
        group, chars = [], 0
        while held and (not group or chars + held[0][4] <= GROUP_CHARS):
            path, sha, status, payload, size = held.popleft()
            held_chars -= size
            if status == "ok":
                group.append((path, payload))
                chars += size
            else:
                fail(path, sha, payload)
        if group:
            stored(group)

    try:
        for path, reason in problems:  # an unreadable folder is an error; a glob matching nothing a warning
            if "matches no file" in reason:
                summary.unmatched.append((path, reason))
                if on_warning:
                    on_warning(f"{shown(path)}: {reason}")
            else:
                bar.total += 1
                fail(path, None, reason)
        while True:
            feed()
            if not pending and not held:
                store_regions()
                break
            # a group of results fills while the workers go on; the last ones go as they are
            writable = bool(held) and (held_chars >= GROUP_CHARS or not pending)
            if pending:  # wait for a result only when there is nothing to store meanwhile
                collect([f for f in pending if f.done()] if writable else ex.wait(pending))
            store_regions()
            if writable:
                store_held()
        aborted = False
    except _Stopped:
        aborted = False  # not interrupted: failed, with summary.stopped saying why
    finally:
        ex.close()
        try:
            while held and not summary.stopped:  # done before an interruption: stored, not extracted again
                store_held()
        except _Stopped:
            pass
        bar.close()
        _finish(database, Path(db), summary, aborted)
        lock.__exit__()
    return summary


class _Stopped(Exception):
    """The run cannot go on (summary.stopped says why)."""


def _finish(database, db: Path, summary: RunSummary, aborted: bool) -> None:
    """Mark the run finished; a database that refuses even that (disk full) stops the run, which
    then stays `failed` (or `running`, marked `interrupted` by the next run) with nothing else lost."""
    from . import store

    counts = (summary.documents, summary.skipped, len(summary.errors))
    try:
        store.retry(store.finish_run, database, summary.run_id, *counts, interrupted=aborted,
                    failed=bool(summary.stopped))
        return
    except (sqlite3.Error, OSError) as e:
        summary.stopped = summary.stopped or store.describe_failure(db, e)
    try:  # without the final indexing: a one-row update may still fit
        store.finish_run(database, summary.run_id, *counts, failed=True)
    except (sqlite3.Error, OSError):
        pass
