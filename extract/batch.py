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
"""
from __future__ import annotations

import glob as globmod
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from .ingest import PDF_SUFFIXES, SUFFIXES, IngestError

DEFAULT_TIMEOUT = 300.0  # seconds per document
DEFAULT_MAX_MB = 200.0
DEFAULT_MAX_PAGES = 2000
TASKS_PER_WORKER = 500  # recycle worker processes now and then: spaCy's string store only grows
IN_FLIGHT_PER_WORKER = 2  # enough to keep every worker busy while the writer stores a result
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
    seen, unique = set(), []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


# ------------------------------------------------------------------ what a worker does
def read_limited(path: Path, max_bytes: int, max_pages: int):
    """ingest.read with the run's size and page limits."""
    from . import ingest

    if path.suffix.lower() in PDF_SUFFIXES and path.is_file() and 0 < path.stat().st_size <= max_bytes:
        return ingest.read_pdf(path, max_pages=max_pages)
    return ingest.read(path, max_bytes=max_bytes)


def _outcome_of(fn, *args):
    """("ok", fn(*args)) or ("error", reason). Errors travel as text: exceptions with custom
    constructors (IngestError) do not survive pickling."""
    try:
        return "ok", fn(*args)
    except IngestError as e:
        return "error", e.reason
    except Exception as e:  # a bug must not stop the batch; it is recorded with its type
        # (spaCy's nlp(doc) turns a component's KeyError into a ValueError about initialize(): the
        # KeyError is the bug to report)
        e = e.__cause__ if isinstance(e.__cause__, KeyError) else e
        return "error", f"extraction failed ({type(e).__name__}: {e}); please report it with this file"


def _extract(path: str, doc_date: str | None, max_bytes: int, max_pages: int, source):
    from .pipeline import extract_source
    from .store import fill_region_codes

    if source is None:
        source = read_limited(Path(path), max_bytes, max_pages)
    result = extract_source(source, doc_date=doc_date)
    fill_region_codes(result)  # here, where the gazetteer is loaded anyway, not in the writer
    return result


def extract_job(path: str, doc_date: str | None, max_bytes: int, max_pages: int, source=None):
    """One document, in a worker: ("ok", DocumentResult) or ("error", reason). source: the document
    already read (a PDF read ahead by a reader process); None: read it here."""
    return _outcome_of(_extract, path, doc_date, max_bytes, max_pages, source)


def read_job(path: str, max_bytes: int, max_pages: int):
    """One PDF read, in a reader process: ("ok", Source) or ("error", reason)."""
    return _outcome_of(read_limited, Path(path), max_bytes, max_pages)


def too_long(timeout: float, action: str) -> tuple[str, str]:
    """The outcome of a document past the per-document time limit."""
    return "error", (f"took longer than the {timeout:g} s limit per document (--timeout): "
                     f"{action}; split the file or raise --timeout")


def _init_reader() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import pdfplumber  # noqa: F401


def warm_up() -> None:
    """Build the pipeline and let every stage load what it loads on first use (jieba's dictionary,
    the gazetteer, cleaning's copy of the dictionary), so that no document pays for it against its
    time limit: a small document of our own goes through every stage."""
    from .ingest import Source
    from .pipeline import extract_source
    from .store import fill_region_codes

    try:
        source = Source(path=Path("warm-up.txt"), text=WARM_UP, encoding="utf-8", kind="txt", sha256="0" * 64)
        fill_region_codes(extract_source(source))
    except Exception:  # a real document will report the problem with its own path
        pass


# jieba is loaded on first use, twice: by the place filter (with the gazetteer's names) and by
# cleaning (its own copy, for words across a line break). This text needs both: a city by its short
# name, which the place filter checks against jieba's words, and a line broken inside a word
# (家庭经|济), which cleaning tells from a heading by jieba's words.
WARM_UP = ("2023年，福建省南平市浦城县共投入帮扶资金185.41万元，全年免费健康体检10933人次。\n"
           "今年南平坚持民生优先，帮助家庭经\n济困难的群众增收。\n")


def _init_worker() -> None:
    # Ctrl-C is the main process's to handle; a worker dying of it would be recorded as a failed file
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()  # already done when the worker was forked from a warm forkserver


def _worker_context():
    """forkserver where there is one: the server imports extract.worker_preload (a warm pipeline) once
    and every worker, replacements included, is forked from it, sharing those pages copy-on-write.
    Not plain fork: the main process holds an SQLite connection and threads (tqdm, pebble)."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["zhmine.worker_preload"])
        # start it now: the warm-up runs while this process opens the database and hashes files
        forkserver.ensure_running()
        return ctx
    return multiprocessing.get_context("spawn")


# ------------------------------------------------------------------ executors
class LocalExecutor:
    """Worker processes on this machine."""

    def __init__(self, workers: int, timeout: float | None):
        self.timeout = timeout
        self.workers = workers
        self.slots = workers * IN_FLIGHT_PER_WORKER
        self.pool = None
        self.readers = None

    def start(self) -> None:
        """Start the forkserver's warm-up (the workers themselves start on the first submission)."""
        from pebble import ProcessPool

        self.pool = ProcessPool(max_workers=self.workers, max_tasks=TASKS_PER_WORKER, initializer=_init_worker,
                                context=_worker_context())

    def read_ahead(self) -> None:
        """Read PDFs in reader processes of their own, started now (the run has PDFs).

        Reading a PDF (pdfminer) takes far longer than extracting its text, and the workers wait
        for the forkserver's warm-up: readers (plain spawned processes with pdfplumber only)
        read the first PDFs meanwhile, then keep reading ahead of the workers. A PDF gets the time
        limit for reading and again for extracting."""
        if self.readers is None:
            import multiprocessing

            from pebble import ProcessPool

            self.readers = ProcessPool(max_workers=self.workers, max_tasks=TASKS_PER_WORKER,
                                       initializer=_init_reader, context=multiprocessing.get_context("spawn"))
            # pebble starts a pool's processes on its first task: a trivial one starts the readers
            # (and their pdfplumber import) now, not once this process has opened the database
            self.readers.schedule(os.getpid)
            self.slots *= 2  # a document is now in a reader or a worker: keep both kinds busy

    def reads_ahead(self, path) -> bool:
        """True when submitting path goes to a reader first (it does not wait for the workers)."""
        return self.readers is not None and Path(path).suffix.lower() in PDF_SUFFIXES

    def submit(self, args):
        # pebble starts the workers on the first schedule, which waits for the forkserver's warm-up
        if not self.reads_ahead(args[0]):
            return self.pool.schedule(extract_job, args=args, timeout=self.timeout)
        done = _TwoStage()  # resolved with the outcome of reading, or of extracting what was read
        path, _, max_bytes, max_pages = args
        reading = self.readers.schedule(read_job, args=(path, max_bytes, max_pages), timeout=self.timeout)

        def extract(source):
            job = self.pool.schedule(extract_job, args=(*args, source), timeout=self.timeout)
            job.add_done_callback(lambda f: done.set_result(self._outcome(f)))

        def read(f):
            try:  # runs in pebble's result thread: whatever happens, `done` must be resolved
                status, payload = self._outcome(f, "reader")
                extract(payload) if status == "ok" else done.set_result((status, payload))
            except Exception as e:
                if not done.done():
                    done.set_result(("error", f"worker failed ({type(e).__name__}: {e})"))

        reading.add_done_callback(read)
        return done

    def wait(self, futures):
        import concurrent.futures as cf

        return cf.wait(futures, return_when=cf.FIRST_COMPLETED).done

    def outcome(self, future):
        return future.result() if isinstance(future, _TwoStage) else self._outcome(future)

    def _outcome(self, future, process: str = "worker"):
        import concurrent.futures as cf

        from pebble import ProcessExpired

        try:
            return future.result()
        except cf.TimeoutError:
            return too_long(self.timeout, "stopped")
        except ProcessExpired as e:
            return "error", (f"the {process} process died while extracting this file (exit code {e.exitcode}): "
                             f"out of memory or a crash in a library; the {process} was replaced")
        except Exception as e:
            return "error", f"worker failed ({type(e).__name__}: {e})"

    def close(self):
        # run() closes once every task is done, or to abort: either way stop both pools at once and
        # join them together; close() then join() would wait out pebble's 0.1 s polling tick per pool
        pools = [p for p in (self.readers, self.pool) if p is not None]
        for pool in pools:
            pool.stop()
        for pool in pools:
            pool.join()


class _TwoStage(Future):
    """A read-ahead PDF's outcome: its reading's when that failed, else its extraction's."""


def _DaskWarmUp():
    """A worker plugin that builds the pipeline when a Dask worker starts (and on those running now)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmUp(WorkerPlugin):
        def setup(self, worker):
            warm_up()

    return WarmUp()


class DaskExecutor:
    """Tasks on a Dask distributed cluster; this process stays the only writer of the database.

    The per-document time limit is counted from when the scheduler starts a task on a worker; an
    overdue task is cancelled and recorded, but Dask cannot stop a running thread, so that worker
    thread stays busy until the extraction returns.
    """


    def __init__(self, scheduler: str, timeout: float | None):
        from distributed import Client

        self.client = Client(scheduler)
        self.client.register_plugin(_DaskWarmUp(), name="zhmine-warm-up")
        self.timeout = timeout
        threads = sum(self.client.nthreads().values()) or 1
        self.slots = threads * IN_FLIGHT_PER_WORKER
        self.started: dict[str, float] = {}
        self.overdue: set[str] = set()

    def reads_ahead(self, path) -> bool:
        return False

    def submit(self, args):
        path, *rest = args
        # workers may have another working directory: give them an absolute path
        return self.client.submit(extract_job, os.path.abspath(path), *rest, pure=False)

    def wait(self, futures):
        from distributed import wait

        while True:
            try:
                # check for overdue tasks a few times per time limit
                return wait(list(futures), timeout=min(1.0, self.timeout / 4) if self.timeout else None,
                            return_when="FIRST_COMPLETED").done
            except TimeoutError:
                late = self._overdue(futures)
                if late:
                    return late

    def _overdue(self, futures) -> set:
        now = time.monotonic()
        running = {key for keys in self.client.processing().values() for key in keys}
        for f in futures:
            if f.key in running:
                self.started.setdefault(f.key, now)
        late = {f for f in futures if now - self.started.get(f.key, now) > self.timeout}
        for f in late:
            self.overdue.add(f.key)
            f.cancel()
        return late

    def outcome(self, future):
        key = future.key
        self.started.pop(key, None)
        if key in self.overdue:
            self.overdue.discard(key)
            return too_long(self.timeout, "cancelled")
        try:
            return future.result()
        except Exception as e:  # KilledWorker and the like
            return "error", f"the cluster could not run this file ({type(e).__name__}: {e})"

    def close(self):
        self.client.close()


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
    gaz = sys.modules.get("zhmine.gazetteer")
    clear = getattr(getattr(gaz, "get", None), "cache_clear", None)
    if clear:
        clear()
        import gc

        gc.collect()


def run(paths, db="output/zhmine.db", doc_date: str | None = None, progress: bool = True, on_error=None,
        workers: int | None = None, timeout: float | None = DEFAULT_TIMEOUT, max_mb: float = DEFAULT_MAX_MB,
        max_pages: int = DEFAULT_MAX_PAGES, executor: str = "local", scheduler: str | None = None) -> RunSummary:
    """Extract every document under `paths` into the SQLite database `db`.

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
            pending[ex.submit((str(item[0]), doc_date, max_bytes, max_pages))] = item

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
