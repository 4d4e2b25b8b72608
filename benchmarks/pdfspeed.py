"""PDF pages per second: zhmine end to end against pdfplumber alone on the same text-layer pages (issue 15:
within 1.5x).

    .venv/bin/python benchmarks/pdfspeed.py                 # ../shared/samples/pdf, median of 3 runs
    .venv/bin/python benchmarks/pdfspeed.py --repeat 5 --pdfs some/folder

The PDFs are those of --pdfs with a text layer: a PDF with no characters on any page (a scan) is left
out, since pdfplumber alone reads nothing there and zhmine, with --ocr never, nothing either.

Two comparisons, both printed:
  - start-up excluded: one process per side, timed from the first PDF opened to the last page read.
    pdfplumber alone opens each PDF and calls page.extract_text() on every page (then page.close());
    zhmine reads each PDF (zhmine.ingest.read: reading order, tables and their cells) and extracts it
    (pipeline.extract_source: cleaning, segmenting, dates, places, figures, attribution) with a pipeline
    built and warmed before the clock starts. Shown apart: pdfplumber's extract_text plus find_tables
    on every page (what its own table finder costs), and zhmine's read and extract times.
  - start-up included: a new process per side, timed from its start to its end: this script with
    --alone (the same pdfplumber loop, nothing of zhmine imported), against `zhmine run --workers 1 --ocr never` into a new database (building the
    pipeline, the reader and worker processes, storing every record).
Each side alternates with the other within a repeat, so load on the machine weighs on both alike; the
median of --repeat runs is printed, in wall-clock seconds (pages per second) and in CPU seconds (of the
whole process tree: zhmine run's reader, forkserver and worker processes included, reaped through a
subreaper on Linux). `zhmine run` overlaps reading and extracting in two processes, so its wall clock
can be below its CPU time on an idle machine; on a machine busy with other work the CPU ratio is the
steadier one. Say what else ran on the machine when you quote them.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TARGET_RATIO = 1.5

def text_layer_pdfs(folder: Path) -> tuple[list[Path], list[Path]]:
    """(the PDFs with characters on some page, those without: scans)."""
    import pdfplumber

    keep, scans = [], []
    for path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            has_text = False
            for page in pdf.pages:
                has_text = bool(page.chars)
                page.close()
                if has_text:
                    break
        (keep if has_text else scans).append(path)
    return keep, scans


def plumber_in_process(pdfs: list[Path], tables: bool = False) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, pages)."""
    import pdfplumber

    t0, c0 = time.perf_counter(), time.process_time()
    pages = 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                if tables:
                    page.find_tables()
                page.close()
                pages += 1
    return time.perf_counter() - t0, time.process_time() - c0, pages


def zhmine_in_process(pdfs: list[Path], nlp) -> dict:
    """Wall seconds reading and extracting, CPU seconds of both, figures."""
    from zhmine.ingest import read
    from zhmine.pipeline import extract_source

    out = {"read": 0.0, "extract": 0.0, "cpu": 0.0, "figures": 0}
    c0 = time.process_time()
    for path in pdfs:
        t0 = time.perf_counter()
        source = read(path)
        t1 = time.perf_counter()
        out["figures"] += len(extract_source(source, nlp=nlp).figures)
        out["extract"] += time.perf_counter() - t1
        out["read"] += t1 - t0
    out["cpu"] = time.process_time() - c0
    out["wall"] = out["read"] + out["extract"]
    return out


def _subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux prctl PR_SET_CHILD_SUBREAPER), so
    that the CPU time of a run's forkserver and its workers comes back in RUSAGE_CHILDREN."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def process_tree(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and all its descendants, stdout) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    while True:  # the orphans (a forkserver outlives the run by a moment): reaped, their time counted
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd[:4])} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, r.stdout.strip()


def verdict(ratio: float) -> str:
    return "PASS" if ratio <= TARGET_RATIO else "MISS"


def report(label: str, pages: int, wall: float, cpu: float) -> None:
    print(f"  {label:62s} {wall:6.2f} s  {pages / wall:5.1f} pages/s   CPU {cpu:6.2f} s")


def ratios(ours: tuple[float, float], alone: tuple[float, float]) -> None:
    wall, cpu = ours[0] / alone[0], ours[1] / alone[1]
    print(f"  ratio zhmine / pdfplumber alone: wall {wall:.2f}x [{verdict(wall)}], CPU {cpu:.2f}x [{verdict(cpu)}]"
          f"  (target <= {TARGET_RATIO}x)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdfs", type=Path, default=SHARED / "samples" / "pdf")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side (median)")
    ap.add_argument("--no-startup", action="store_true", help="only the in-process comparison")
    ap.add_argument("--alone", nargs="+", type=Path, metavar="PDF", help=argparse.SUPPRESS)  # the timed child
    args = ap.parse_args()
    if args.alone:
        plumber_in_process(args.alone)
        return 0
    os.environ["ZHMINE_OCR"] = "never"  # in this process as in `zhmine run --ocr never`
    pdfs, scans = text_layer_pdfs(args.pdfs)
    if not pdfs:
        sys.exit(f"no PDF with a text layer in {args.pdfs}")
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start")
    print(f"{len(pdfs)} text-layer PDFs of {args.pdfs}" + (f" (left out, no text layer: {', '.join(p.name for p in scans)})" if scans else ""))

    from zhmine.ingest import read
    from zhmine.pipeline import extract_source, shared_nlp

    nlp = shared_nlp()
    extract_source(read(pdfs[0]), nlp=nlp)  # warm: pipeline built, every stage's first-use loading done
    plumber_in_process(pdfs[:1])
    alone, with_tables, ours = [], [], []
    pages = 0
    for _ in range(args.repeat):
        wall, cpu, pages = plumber_in_process(pdfs)
        alone.append((wall, cpu))
        with_tables.append(plumber_in_process(pdfs, tables=True)[:2])
        ours.append(zhmine_in_process(pdfs, nlp))
    med = statistics.median
    p = (med(w for w, _ in alone), med(c for _, c in alone))
    pt = (med(w for w, _ in with_tables), med(c for _, c in with_tables))
    z = (med(o["wall"] for o in ours), med(o["cpu"] for o in ours))
    print(f"\nstart-up excluded (one warm process per side, median of {args.repeat}), {pages} pages:")
    report("pdfplumber alone (open, page.extract_text(), page.close())", pages, *p)
    report("pdfplumber, the same with page.find_tables() on every page", pages, *pt)
    report(f"zhmine read + extract ({ours[0]['figures']} figures)", pages, *z)
    print(f"     of which read (text, tables) {med(o['read'] for o in ours):.2f} s, "
          f"extract (NLP) {med(o['extract'] for o in ours):.2f} s")
    ratios(z, p)
    if args.no_startup:
        return 0

    reaped = _subreaper()
    procs_alone, procs_ours = [], []
    summary = ""
    with tempfile.TemporaryDirectory(prefix="zhmine-pdfspeed-") as tmp:
        for i in range(args.repeat):
            procs_alone.append(process_tree([sys.executable, __file__, "--alone", *map(str, pdfs)])[:2])
            wall, cpu, summary = process_tree([sys.executable, "-m", "zhmine.cli", "run", "--quiet", "--workers", "1",
                                               "--ocr", "never", "--db", str(Path(tmp) / f"run{i}.db"), *map(str, pdfs)])
            procs_ours.append((wall, cpu))
    pa = (med(w for w, _ in procs_alone), med(c for _, c in procs_alone))
    po = (med(w for w, _ in procs_ours), med(c for _, c in procs_ours))
    print(f"\nstart-up included (a new process per side, median of {args.repeat}), {pages} pages:")
    report("pdfplumber alone (a process of the same loop)", pages, *pa)
    report("zhmine run --workers 1 --ocr never (a new database)", pages, *po)
    print(f"     {summary}")
    if not reaped:
        print("     (no subreaper here: the CPU of the run's forkserver and worker is not counted)")
    ratios(po, pa)
    print(f"  zhmine's start-up and storing (what the run costs beyond the warm read + extract, less "
          f"pdfplumber's own start-up): wall {(po[0] - pa[0]) - (z[0] - p[0]):.2f} s, CPU {(po[1] - pa[1]) - (z[1] - p[1]):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
