"""Archive scale (issue 19): what surrounds extraction, on --mb MB of distinct text.

    .venv/bin/python benchmarks/archive.py --mb 40 --workers 2   # the issue's figures
    .venv/bin/python benchmarks/archive.py --mb 5                # a quicker look
    .venv/bin/python benchmarks/archive.py --mb 40 --keep /tmp/a40.db
    .venv/bin/python benchmarks/archive.py --query /tmp/a40.db   # only zhmine query / sqlite3, on a kept database

Builds the corpus as benchmarks/throughput.py does (../shared/samples/gov-reports-2026 copied until
--mb MB, each copy with its own content hash), runs `zhmine run` over it in this process (batch.run,
so that the writer's CPU can be timed where it is spent), then prints, each against its target:
  - database size per MB of text, with the WAL checkpointed (the file a user keeps) and what each
    table and index takes (dbstat);
  - the writer's CPU seconds per MB: thread CPU time (time.thread_time) inside store.save,
    store.index_sentences and store.finish_run, wherever they run;
    the main process's whole CPU time (unpickling results, hashing files, the progress bar) beside it;
  - `zhmine query` against the sqlite3 CLI running the same SQL, alternated, median of 5 each, after
    one run of each (the page cache warm for both, and zhmine's bytecode written as an installed
    package has it: PYTHONDONTWRITEBYTECODE is unset for these runs);
  - the Datasette figures page with its default facets (`zhmine serve` on 127.0.0.1), median of 5
    after one warm-up;
  - `zhmine extract` on a 1 KB file against importing spaCy and jieba and segmenting the same text.
Timings depend on the machine's load: say what else ran when you quote them.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import SHARED, build_text_corpus  # noqa: E402

MB = 1_000_000
TARGETS = {"db": 3.0, "writer": 0.1, "query": 2.0, "page": 0.5, "extract": 1.2}
QUERY_ARGS = ("--category", "funding", "--group-by", "prefecture,year")


class WriterClock:
    """Thread CPU seconds spent inside the store's writing functions (patched for the run); a call
    made inside another (finish_run's index_sentences) counts once, in the outer one."""

    NAMES = ("save", "save_many", "index_sentences", "make_indexes", "finish_run")

    def __init__(self):
        import threading

        from zhmine import store

        self.store, self.cpu, self.saved = store, dict.fromkeys(self.NAMES, 0.0), {}
        self.local = threading.local()
        for name in self.NAMES:
            fn = getattr(store, name, None)
            if fn is not None:  # save_many and make_indexes are newer than some databases' code
                self.saved[name] = fn
                setattr(store, name, self._timed(name, fn))

    def _timed(self, name, fn):
        def timed(*args, **kwargs):
            if getattr(self.local, "inside", False):
                return fn(*args, **kwargs)
            self.local.inside, t = True, time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.cpu[name] += time.thread_time() - t
                self.local.inside = False
        return timed

    def restore(self):
        for name, fn in self.saved.items():
            setattr(self.store, name, fn)


def run_archive(corpus: Path, db: Path, workers: int) -> dict:
    from zhmine import batch

    clock = WriterClock()
    usage0, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    try:
        summary = batch.run([corpus], db=str(db), workers=workers, progress=False)
    finally:
        clock.restore()
    usage1, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - wall
    main_cpu = (usage1.ru_utime + usage1.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    return {"summary": summary.line(), "wall": wall, "writer": clock.cpu, "main_cpu": main_cpu}


def database_size(db: Path) -> tuple[int, list[tuple[str, int]]]:
    """Bytes of the file with its WAL checkpointed into it, and the biggest tables and indexes."""
    conn = sqlite3.connect(db)
    conn.execute("pragma wal_checkpoint(truncate)")
    try:
        parts = conn.execute("select name, sum(pgsize) from dbstat group by name order by 2 desc").fetchall()
    except sqlite3.OperationalError:  # a Python built without dbstat
        parts = []
    conn.close()
    return db.stat().st_size, parts


def median_time(cmd, **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    return time.perf_counter() - t


def with_bytecode() -> dict:
    """This environment without PYTHONDONTWRITEBYTECODE: a command timed here reads its modules'
    bytecode, as an installed package does, rather than compiling them on every start."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def literal_sql(text: str, params: list) -> str:
    """The statement with its ? parameters written in, for the sqlite3 CLI."""
    parts = text.split("?")
    assert len(parts) == len(params) + 1, (text, params)
    out = [parts[0]]
    for value, part in zip(params, parts[1:]):
        out.append(("'" + value.replace("'", "''") + "'" if isinstance(value, str) else repr(value)) + part)
    return "".join(out)


def compare_query(db: Path, repeat: int = 5) -> tuple[float, float]:
    zhmine = [sys.executable, "-m", "zhmine.cli", "query", "--db", str(db), *QUERY_ARGS]
    shown = subprocess.run([*zhmine, "--show-sql"], capture_output=True, text=True, check=True).stdout
    text, params = shown.rsplit("\n-- params: ", 1)
    import ast

    statement = literal_sql(text, ast.literal_eval(params.strip()))
    cli = ["sqlite3", "-readonly", str(db), statement]
    env = with_bytecode()
    median_time(zhmine, env=env), median_time(cli)  # warm-up, not counted
    ours, theirs = [], []
    for _ in range(repeat):  # alternated: both sides see the same moment of the machine
        ours.append(median_time(zhmine, env=env))
        theirs.append(median_time(cli))
    return statistics.median(ours), statistics.median(theirs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def figures_page(db: Path, repeat: int = 5) -> float | None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "zhmine.cli", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/{db.stem}/figures"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url, timeout=60).read()  # the warm-up
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    return None
                time.sleep(0.3)
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            urllib.request.urlopen(url, timeout=60).read()
            times.append(time.perf_counter() - t)
        return statistics.median(times)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


BASELINE = "import sys, spacy, jieba; nlp = spacy.blank('zh'); jieba.lcut(open(sys.argv[1], encoding='utf-8').read())"


def compare_extract(source: Path, tmp: Path, repeat: int = 3) -> tuple[float, float]:
    text = source.read_text(encoding="utf-8")
    small = tmp / "one-kb.txt"
    small.write_text(text[:1000 // 3], encoding="utf-8")  # about 1 KB of UTF-8
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(median_time([sys.executable, "-m", "zhmine.cli", "extract", str(small)]))
        theirs.append(median_time([sys.executable, "-c", BASELINE, str(small)]))
    return statistics.median(ours), statistics.median(theirs)


def verdict(value, target) -> str:
    return "PASS" if value is not None and value <= target else "MISS"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=40, help="megabytes of text (default 40)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reports", type=Path, default=SHARED / "samples" / "gov-reports-2026")
    ap.add_argument("--keep", type=Path, help="keep the database here (for a look at it afterwards)")
    ap.add_argument("--query", type=Path, metavar="DB", help="only compare zhmine query with sqlite3, on this database")
    args = ap.parse_args()
    if not shutil.which("sqlite3"):
        sys.exit("the sqlite3 CLI is missing: scripts/system-deps.sh installs it")

    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start")
    if args.query:
        if not args.query.is_file():
            sys.exit(f"no database at {args.query}: keep one with --keep, or build one with `zhmine run`")
        ours, cli = compare_query(args.query)
        print(f"zhmine query / sqlite3: {ours / cli:.3f} (target <= {TARGETS['query']:g}) "
              f"[{verdict(ours / cli, TARGETS['query'])}]: {ours:.3f} s vs {cli:.3f} s, median of 5, {args.query}")
        return
    tmp = Path(tempfile.mkdtemp(prefix="zhmine-archive-"))
    try:
        corpus = tmp / "corpus"
        size = build_text_corpus(args.reports, corpus, args.mb) / MB
        db = tmp / "archive.db"
        run = run_archive(corpus, db, args.workers)
        writer = sum(run["writer"].values())
        db_bytes, parts = database_size(db)
        print(f"run: {size:.1f} MB, {args.workers} workers, {run['wall']:.1f} s: {run['summary']}")
        print("writer CPU: " + ", ".join(f"{k} {v:.2f} s" for k, v in run["writer"].items() if v)
              + f"; main process in all {run['main_cpu']:.2f} CPU-s ({run['main_cpu'] / size:.3f} per MB)")
        print("database parts (MB): " + ", ".join(f"{n} {b / MB:.1f}" for n, b in parts[:12]))
        query_ours, query_cli = compare_query(db)
        page = figures_page(db)
        extract_ours, extract_base = compare_extract(sorted(args.reports.glob("*.txt"))[0], tmp)
        rows = [
            ("database per MB of text", db_bytes / MB / size, TARGETS["db"], f"{db_bytes / MB:.1f} MB"),
            ("writer CPU-s per MB", writer / size, TARGETS["writer"], f"{writer:.2f} CPU-s"),
            ("zhmine query / sqlite3", query_ours / query_cli, TARGETS["query"],
             f"{query_ours:.3f} s vs {query_cli:.3f} s"),
            ("figures page with facets (s)", page, TARGETS["page"], "server did not start" if page is None else ""),
            ("zhmine extract 1 KB / spaCy+jieba", extract_ours / extract_base, TARGETS["extract"],
             f"{extract_ours:.2f} s vs {extract_base:.2f} s"),
        ]
        print(f"\n{'measure':36} {'value':>8} {'target':>8}  verdict  detail")
        for name, value, target, detail in rows:
            shown = "-" if value is None else f"{value:.3f}"
            print(f"{name:36} {shown:>8} {'<= ' + format(target, 'g'):>8}  {verdict(value, target):7}  {detail}")
        if args.keep:
            shutil.copy(db, args.keep)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
