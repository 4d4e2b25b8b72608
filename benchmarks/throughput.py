"""End-to-end throughput of `zhmine run` (files in, SQLite database out), in one run.

    .venv/bin/python benchmarks/throughput.py            # about 20 MB of text + the sample PDFs
    .venv/bin/python benchmarks/throughput.py --mb 5     # a quicker look

Prints:
  - MB of text per second end to end on ../shared/samples/gov-reports-2026 repeated to --mb MB
    (each copy differs by trailing blank lines, so none is skipped as already stored);
  - the start-up of a run (one small document, a new database): a fixed cost, paid once per run;
  - the speed-up of 2 workers over 1 on --speedup-mb MB (default: the main run's corpus, so that the
    fixed start-up weighs as little as it does in an archive run; it is printed on its own above);
  - peak memory of the whole run (main process + forkserver + workers) on --memory-mb MB, on half the
    large corpus and on all of it: it must not grow with corpus size. The pipeline's caches (all
    bounded) and the workers' copies of pages shared with the forkserver fill over the first ~10 MB,
    so growth is judged between the half and the whole; the small run shows that warm-up;
  - pages per second on the text-layer PDFs of ../shared/samples/pdf (a scan is left out) next to
    pdfplumber alone reading the same pages (the median of --repeat runs of each); benchmarks/pdfspeed.py
    compares the two with start-up excluded and included.

Each measurement is a real `zhmine run` subprocess (start-up included) on a fresh database. Timed
runs are not sampled; memory is measured in runs of its own, sampled every 0.2 s with psutil over
the process tree. Numbers depend on the load of the machine:
say what else was running when you quote them.
"""
from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MB = 1_000_000

TARGET_MB_S_PER_CORE = 1.0
TARGET_PDF_RATIO = 1.3
TARGET_SPEEDUP = 1.7
TARGET_PEAK_MB = 600


def build_text_corpus(src: Path, dest: Path, megabytes: float) -> int:
    """Copies of the reports in src until `megabytes` MB; returns the bytes written."""
    files = sorted(src.glob("*.txt"))
    if not files:
        sys.exit(f"no .txt files in {src}")
    dest.mkdir(parents=True)
    total, copy = 0, 0
    while total < megabytes * MB:
        copy += 1
        for f in files:
            data = f.read_bytes() + b"\n" * copy  # a different hash per copy, the same text
            (dest / f"{copy:03d}-{f.name}").write_bytes(data)
            total += len(data)
            if total >= megabytes * MB:
                break
    return total


class PeakMemory:
    """Peak memory of a process and its descendants, sampled in a thread.

    total: summed PSS (proportional set size: a page shared by n processes counts 1/n in each), the
    physical memory the whole run holds; workers forked from a warm forkserver share their pipeline.
    rss_total: summed RSS, which counts shared pages once per process (an upper bound).
    """

    def __init__(self, pid: int, every: float = 0.2):
        self.root = psutil.Process(pid)
        self.every = every
        self.peak_total = self.peak_rss_total = self.peak_main = self.peak_child = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            pss, rss = {}, {}
            for p in procs:
                try:
                    info = p.memory_full_info()
                    pss[p.pid], rss[p.pid] = info.pss, info.rss
                except psutil.Error:
                    pass
            self.peak_main = max(self.peak_main, rss.get(self.root.pid, 0))
            self.peak_child = max([self.peak_child, *(v for k, v in rss.items() if k != self.root.pid)])
            self.peak_total = max(self.peak_total, sum(pss.values()))
            self.peak_rss_total = max(self.peak_rss_total, sum(rss.values()))
            self._stop.wait(self.every)

    def stop(self):
        self._stop.set()
        self._thread.join()


class NoMemory:
    peak_total = peak_rss_total = peak_main = peak_child = 0

    def stop(self):
        pass


def zhmine_run(paths, db: Path, workers: int, memory: bool = True, extra: tuple = ()) -> dict:
    """One `zhmine run` subprocess. memory=False: no sampling (reading /proc/PID/smaps of every process
    five times a second costs CPU; the PDF comparison's other side, pdfplumber alone, has none)."""
    cmd = [sys.executable, "-m", "zhmine.cli", "run", "--quiet", "--workers", str(workers), "--db", str(db), *extra, *map(str, paths)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    mem = PeakMemory(proc.pid) if memory else NoMemory()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    mem.stop()
    if proc.returncode not in (0, 1):
        sys.exit(f"zhmine run failed ({proc.returncode}):\n{err[-2000:]}")
    return {"seconds": seconds, "summary": out.strip(), "errors": err.count("error:"),
            "peak_total": mem.peak_total / MB, "peak_rss_total": mem.peak_rss_total / MB, "peak_main": mem.peak_main / MB, "peak_worker": mem.peak_child / MB}


PDFPLUMBER_ALONE = """
import sys, pdfplumber
pages = 0
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
            pages += 1
print(pages)
"""


def pdfplumber_alone(pdfs) -> tuple[float, int]:
    """Seconds for a Python process with pdfplumber alone to read the text of every page (start-up
    included, like the zhmine run it is compared with), and the page count."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PDFPLUMBER_ALONE, *map(str, pdfs)], capture_output=True,
                         text=True, check=True).stdout
    return time.perf_counter() - t0, int(out.strip())


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=20, help="megabytes of text for the main run (default 20)")
    ap.add_argument("--speedup-mb", type=float, default=None, help="megabytes for the 1-vs-2-worker comparison "
                    "(default: --mb, reusing the main run when it has 2 workers)")
    ap.add_argument("--memory-mb", type=float, default=2, help="megabytes of the small run whose memory is shown (the caches' warm-up)")
    ap.add_argument("--workers", type=int, default=2, help="workers for the main run (default 2, this machine's cores)")
    ap.add_argument("--reports", type=Path, default=SHARED / "samples" / "gov-reports-2026")
    ap.add_argument("--pdfs", type=Path, default=SHARED / "samples" / "pdf")
    ap.add_argument("--skip-pdf", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side of the PDF comparison (median)")
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start")
    # the package's bytecode, as a regular (not editable) install writes it: where PYTHONDONTWRITEBYTECODE
    # is set, every process of every run would compile the modules changed since their last .pyc again
    compileall.compile_dir(ROOT / "extract", quiet=1)  # the zhmine package
    tmp = Path(tempfile.mkdtemp(prefix="zhmine-bench-"))
    try:
        speedup_mb = args.mb if args.speedup_mb is None else args.speedup_mb
        tiny, small, large = tmp / "tiny", tmp / "small", tmp / "large"
        tiny_bytes = build_text_corpus(args.reports, tiny, args.memory_mb)
        large_bytes = build_text_corpus(args.reports, large, args.mb)
        if speedup_mb == args.mb:
            small, small_bytes = large, large_bytes
        else:
            small_bytes = build_text_corpus(args.reports, small, speedup_mb)
        first = sorted(tiny.iterdir())[0]

        # timed runs without memory sampling (reading /proc/PID/smaps five times a second takes CPU from
        # a machine the workers keep busy), then the memory runs on their own
        start = zhmine_run([first], tmp / "start.db", args.workers, memory=False)
        big = zhmine_run([large], tmp / "big.db", args.workers, memory=False)
        two = big if small is large and args.workers == 2 else zhmine_run([small], tmp / "two.db", 2, memory=False)
        one = zhmine_run([small], tmp / "one.db", 1, memory=False)
        low = zhmine_run([tiny], tmp / "tiny-mem.db", args.workers)
        half_bytes = build_text_corpus(args.reports, tmp / "half", args.mb / 2)
        half = zhmine_run([tmp / "half"], tmp / "half-mem.db", args.workers)
        high = zhmine_run([large], tmp / "big-mem.db", args.workers)

        rate = large_bytes / MB / big["seconds"]
        per_core = rate / args.workers
        speedup = one["seconds"] / two["seconds"]
        print(f"text, end to end ({large_bytes / MB:.1f} MB, {args.workers} workers): {big['seconds']:.1f} s, "
              f"{rate:.3f} MB/s = {per_core:.3f} MB/s per core  [target >= {TARGET_MB_S_PER_CORE} per core: {mark(per_core >= TARGET_MB_S_PER_CORE)}]")
        print(f"   {big['summary']}")
        print(f"start-up: {start['seconds']:.2f} s for a run over one {first.stat().st_size / 1000:.0f} kB document "
              f"into a new database (included in every figure here)")
        print(f"2 workers over 1 ({small_bytes / MB:.1f} MB): {one['seconds']:.1f} s -> {two['seconds']:.1f} s, "
              f"{speedup:.2f}x  [target >= {TARGET_SPEEDUP}: {mark(speedup >= TARGET_SPEEDUP)}]")
        flat = high["peak_total"] <= half["peak_total"] * 1.05 + 10
        print(f"peak memory, main + {args.workers} workers: {low['peak_total']:.0f} MB on {tiny_bytes / MB:.1f} MB, "
              f"{half['peak_total']:.0f} MB on {half_bytes / MB:.1f} MB, "
              f"{high['peak_total']:.0f} MB on {large_bytes / MB:.1f} MB (PSS; summed RSS {high['peak_rss_total']:.0f} MB, "
              f"main {high['peak_main']:.0f} MB, largest worker {high['peak_worker']:.0f} MB)  [target < {TARGET_PEAK_MB} MB: "
              f"{mark(high['peak_total'] < TARGET_PEAK_MB)}; flat with corpus size: {mark(flat)}]")

        if not args.skip_pdf:
            # a few seconds each: the median of --repeat runs of each side, alternating, so that one
            # hiccup of the machine does not decide the ratio
            from pdfspeed import text_layer_pdfs  # (this script's folder is on the path)

            pdfs = text_layer_pdfs(args.pdfs)[0]
            plumber, ours = [], []
            for i in range(args.repeat):
                plumber.append(pdfplumber_alone(pdfs))
                # text-layer reading (tables included) against pdfplumber's: no OCR of the scanned sample
                ours.append(zhmine_run(pdfs, tmp / f"pdf1-{i}.db", 1, memory=False, extra=("--ocr", "never")))
            plumber_s, pages = sorted(plumber)[len(plumber) // 2]
            pdf1 = sorted(ours, key=lambda r: r["seconds"])[len(ours) // 2]
            pdf2 = zhmine_run(pdfs, tmp / "pdf2.db", 2, memory=False, extra=("--ocr", "never"))
            ratio = pdf1["seconds"] / plumber_s
            print(f"PDF ({len(pdfs)} files, {pages} pages, median of {args.repeat} runs each): "
                  f"pdfplumber alone {plumber_s:.1f} s ({pages / plumber_s:.1f} pages/s); "
                  f"zhmine run 1 worker {pdf1['seconds']:.1f} s ({pages / pdf1['seconds']:.1f} pages/s, {ratio:.2f}x pdfplumber)"
                  f"  [target <= {TARGET_PDF_RATIO}x: {mark(ratio <= TARGET_PDF_RATIO)}]; "
                  f"2 workers {pdf2['seconds']:.1f} s ({pages / pdf2['seconds']:.1f} pages/s)")
            print(f"   {pdf1['summary']}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
