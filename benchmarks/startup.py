"""Start-up of `zhmine extract` on a 1 KB file next to Python importing spaCy and jieba and
segmenting the same text, each in fresh processes (issue 19: within 1.2x).

    .venv/bin/python benchmarks/startup.py            # median of 5 runs of each, alternating
    .venv/bin/python benchmarks/startup.py --runs 9

Prints the median wall time, user+system CPU time and peak memory (the process's maximum RSS) of
each side, the ratio of the medians with PASS/MISS against 1.2x, and the first run on an empty
cache (zhmine's cached dictionaries and tables built, extract/cache.py) on its own: it is paid once
per installed version. The runs alternate, so that a change in the machine's load falls on both
sides; say what else was running when you quote the figures.

measure_extract_start() is the measurement, for other benchmarks to print (benchmarks/archive.py).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TARGET_RATIO = 1.2
KB = 1000

BASELINE = "import sys, spacy, jieba; jieba.lcut(open(sys.argv[1], encoding='utf-8').read())"
# the sentence worker.warm_up uses: our own text, for a checkout without ../shared
OWN_TEXT = ("2023年，福建省南平市浦城县共投入帮扶资金185.41万元，全年免费健康体检10933人次。\n"
            "今年南平坚持民生优先，帮助家庭经济困难的群众增收。\n")


def one_kb_text() -> str:
    """The first 1 KB (UTF-8, whole characters) of a government report (the first of
    ../shared/samples/gov-reports-2026); of our own sentences repeated where ../shared is absent."""
    reports = sorted((SHARED / "samples" / "gov-reports-2026").glob("*.txt"))
    text = reports[0].read_text(encoding="utf-8") if reports else OWN_TEXT * 20
    return text.encode()[:KB].decode("utf-8", "ignore")


def _run(cmd: list[str], env: dict) -> dict:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def measure_extract_start(runs: int = 5, cache_dir: Path | None = None) -> dict:
    """`zhmine extract` on a 1 KB file and `python -c "import spacy, jieba; jieba.lcut(text)"` on the
    same text, `runs` fresh processes of each, alternating, after one first run of zhmine on an empty
    cache (cache_dir: where zhmine's cache goes, default a new temporary directory).

    Returns {"extract": {wall, cpu, rss_mb} medians, "baseline": the same, "first": the first run,
    "ratio": extract wall / baseline wall, "ok": ratio <= 1.2, "bytes": the text's size}."""
    with tempfile.TemporaryDirectory(prefix="zhmine-startup-") as tmp:
        text_file = Path(tmp) / "one-kb.txt"
        text_file.write_text(one_kb_text(), encoding="utf-8")
        env = {**os.environ, "ZHMINE_CACHE_DIR": str(cache_dir or Path(tmp) / "cache")}
        extract = [sys.executable, "-m", "zhmine.cli", "extract", str(text_file)]
        baseline = [sys.executable, "-c", BASELINE, str(text_file)]
        _run(baseline, env)  # jieba writes its own cache on its first run: not part of the comparison
        first = _run(extract, env)
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(_run(extract, env))
            theirs.append(_run(baseline, env))
        size = text_file.stat().st_size
    med = {side: {k: _median(r, k) for k in ("wall", "cpu", "rss_mb")} for side, r in (("extract", ours), ("baseline", theirs))}
    ratio = med["extract"]["wall"] / med["baseline"]["wall"]
    return {**med, "first": first, "ratio": ratio, "ok": ratio <= TARGET_RATIO, "bytes": size, "runs": runs}


def report(m: dict) -> str:
    e, b, f = m["extract"], m["baseline"], m["first"]
    return (f"zhmine extract on {m['bytes']} bytes (median of {m['runs']}): {e['wall']:.2f} s, {e['cpu']:.2f} CPU-s, "
            f"{e['rss_mb']:.0f} MB; import spacy, jieba + jieba.lcut: {b['wall']:.2f} s, {b['cpu']:.2f} CPU-s, "
            f"{b['rss_mb']:.0f} MB; ratio {m['ratio']:.2f}x  [target <= {TARGET_RATIO}x: {'PASS' if m['ok'] else 'MISS'}]\n"
            f"   first run, empty cache (built once per installed version): {f['wall']:.2f} s, {f['rss_mb']:.0f} MB")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="fresh processes of each side (median; default 5)")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start")
    print(report(measure_extract_start(args.runs)))


if __name__ == "__main__":
    main()
