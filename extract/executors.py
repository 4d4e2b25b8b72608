"""Where a batch run's documents are extracted: worker processes on this machine (LocalExecutor, with
PDF readers of their own) or a Dask cluster (DaskExecutor). Both take (path, doc_date, max_bytes,
max_pages) jobs, keep a few in flight per worker, and give back each job's ("ok", DocumentResult) or
("error", reason), a document past the time limit included."""
from __future__ import annotations

import os
import time
from concurrent.futures import Future
from pathlib import Path

from .ingest import PDF_SUFFIXES
from .worker import extract_job, init_reader, init_worker, read_job, too_long, warm_up

TASKS_PER_WORKER = 500  # recycle worker processes now and then: spaCy's string store only grows
IN_FLIGHT_PER_WORKER = 2  # enough to keep every worker busy while the writer stores a result


def _worker_context():
    """forkserver where there is one: the server imports zhmine.worker_preload (a warm pipeline) once
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

        self.pool = ProcessPool(max_workers=self.workers, max_tasks=TASKS_PER_WORKER, initializer=init_worker,
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
                                       initializer=init_reader, context=multiprocessing.get_context("spawn"))
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
        self.pool = self.readers = None
        del pools
        stop_helpers()


def stop_helpers() -> None:
    """Stop the processes multiprocessing keeps for the life of this one, and wait for them: the
    forkserver the workers are forked from, and the resource tracker (which unlinks the pools'
    semaphores). Left alone, they end only once this process has exited, and outlive it for a moment.

    The tracker is stopped only when no semaphore of ours is left to report to it: reporting one
    later would start a new tracker. Both start again when needed (another run in this process)."""
    import gc
    from multiprocessing import forkserver, resource_tracker, util

    gc.collect()  # the pools' queues and locks: their finalizers unregister their semaphores now
    for helper in (getattr(forkserver, "_forkserver", None), getattr(resource_tracker, "_resource_tracker", None)):
        if helper is resource_tracker._resource_tracker and _semaphores_left(util):
            continue
        try:
            helper._stop()  # closes the pipe it waits on (it exits), then waits for it
        except Exception:  # (a private method: a Python without it keeps the old behaviour)
            pass


def _semaphores_left(util) -> bool:
    from multiprocessing.synchronize import SemLock

    registry = getattr(util, "_finalizer_registry", {})
    return any(getattr(f, "_callback", None) is SemLock._cleanup for f in list(registry.values()))


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
