"""Soak test (issue 16): two writers and a Datasette reader on one database for a few minutes.

    .venv/bin/python benchmarks/soak.py                 # 180 s
    .venv/bin/python benchmarks/soak.py --seconds 600 --docs 20

Not in the unit suite (it takes minutes). Two writer loops start `zhmine run` over and over, each
round over new generated reports plus some of the other writer's (overlapping inputs, started at
random moments, so they meet on the run lock and on SQLite's write lock); `zhmine serve` (Datasette)
answers a reader loop meanwhile (a table page, a facet, a SQL count, a full-text search). At the end
the database is checked (integrity_check, every run `ok`, every document stored once).
Prints its figures: runs and exit codes per writer, documents, reader requests and failures,
slowest answer. Exit status 0 when no run and no request failed.
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZHMINE = [sys.executable, "-m", "zhmine.cli"]
FORMS = ["{y}年，全县共投入帮扶资金{a}.{b}万元，慰问困难家庭{c}户。",
         "全市累计开展免费健康体检{c}人次，受益群众达到{d}人。",
         "截至{y}年底，全镇参保人数达{d}人，参保率为{p}%。",
         "{y}年福建省南平市共落实奖励扶助资金{a}万元，惠及独生子女家庭{e}户。"]


def report(seed: int, sentences: int = 40) -> str:
    rnd = random.Random(seed)
    lines = [f"第{seed}期工作简报"] + [
        rnd.choice(FORMS).format(y=rnd.randint(2015, 2024), a=rnd.randint(10, 999), b=rnd.randint(10, 99),
                                 c=rnd.randint(100, 20000), d=rnd.randint(1000, 90000), e=rnd.randint(2, 80),
                                 p=rnd.randint(60, 99)) for _ in range(sentences)]
    return "\n".join(lines) + "\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.runs: dict[str, list[int]] = {}
        self.failures: list[str] = []
        self.requests = 0
        self.slowest = 0.0
        self.seeds: set[int] = set()


def writer(name: str, work: Path, db: Path, stats: Stats, until: float, docs: int, seeds, rnd) -> None:
    round_ = 0
    while time.monotonic() < until:
        folder = work / f"{name}-{round_}"
        folder.mkdir()
        with stats.lock:
            mine = [next(seeds) for _ in range(docs)]
            shared = rnd.sample(sorted(stats.seeds), min(len(stats.seeds), docs // 2))
            stats.seeds.update(mine)
        for seed in mine + shared:  # the other writer's reports too: overlapping inputs
            (folder / f"r{seed}.txt").write_text(report(seed), encoding="utf-8")
        time.sleep(rnd.uniform(0, 4))  # started 0-4 s apart, as in the issue
        proc = subprocess.run([*ZHMINE, "run", "--quiet", "--workers", "1", str(folder), "--db", str(db)],
                              capture_output=True, text=True)
        with stats.lock:
            stats.runs.setdefault(name, []).append(proc.returncode)
            if proc.returncode != 0 or "Traceback" in proc.stderr:
                stats.failures.append(f"{name} round {round_}: exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
        round_ += 1


def reader(base: str, stats: Stats, until: float) -> None:
    sqls = ["select count(*) as n from figures", "select unit, count(*) n from figures group by unit",
            "select count(*) n from current_errors"]
    paths = ["/z/figures.json?_size=20", "/z/figures.json?_facet=unit&_size=0",
             "/z/sentences.json?_search=" + urllib.parse.quote("帮扶资金"),
             *(f"/z.json?sql={urllib.parse.quote(q)}" for q in sqls)]
    i = 0
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        i += 1
        start = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=60) as r:
                json.load(r)
                ok = r.status == 200
        except Exception as e:  # noqa: BLE001 (every failure is a figure)
            ok, why = False, f"{type(e).__name__}: {e}"
        else:
            why = "" if ok else "status"
        took = time.monotonic() - start
        with stats.lock:
            stats.requests += 1
            stats.slowest = max(stats.slowest, took)
            if not ok:
                stats.failures.append(f"reader {path}: {why}")
        time.sleep(0.2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=180)
    ap.add_argument("--docs", type=int, default=12, help="new reports per writer round")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zhmine-soak-"))
    db = work / "z.db"
    first = work / "seed"
    first.mkdir()
    (first / "r0.txt").write_text(report(0), encoding="utf-8")
    subprocess.run([*ZHMINE, "run", "--quiet", "--workers", "1", str(first), "--db", str(db)], check=True,
                   capture_output=True)
    stats = Stats()
    stats.seeds.add(0)
    port = free_port()
    serve = subprocess.Popen([*ZHMINE, "serve", "--db", str(db), "--port", str(port)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/z.json", timeout=2).close()
            break
        except Exception:  # noqa: BLE001 (not up yet)
            time.sleep(0.3)
    start = time.monotonic()
    until = start + args.seconds
    counter = iter(range(1, 10**9))
    threads = [threading.Thread(target=writer, args=(n, work, db, stats, until, args.docs, counter, random.Random(k)))
               for k, n in enumerate(("writer-a", "writer-b"))]
    threads.append(threading.Thread(target=reader, args=(base, stats, until)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    serve.terminate()
    _, serve_err = serve.communicate(timeout=30)
    if "Traceback" in serve_err:
        stats.failures.append(f"serve: {serve_err.strip()[-300:]}")
    con = sqlite3.connect(db)
    integrity = con.execute("pragma integrity_check").fetchone()[0]
    documents = con.execute("select count(*) from documents").fetchone()[0]
    figures = con.execute("select count(*) from figures").fetchone()[0]
    statuses = dict(con.execute("select status, count(*) from runs group by status").fetchall())
    con.close()
    print(f"soak: {elapsed:.0f} s, two writers and a Datasette reader on {db}")
    for name, codes in sorted(stats.runs.items()):
        print(f"  {name}: {len(codes)} runs, exit codes {sorted(set(codes))}")
    print(f"  runs table: {statuses}")
    print(f"  documents {documents} (reports generated {len(stats.seeds)}), figures {figures}, integrity {integrity}")
    print(f"  reader: {stats.requests} requests, slowest {stats.slowest:.2f} s")
    print(f"  failures: {len(stats.failures)}")
    for f in stats.failures[:10]:
        print(f"    {f}")
    bad = (stats.failures or integrity != "ok" or set(statuses) != {"ok"} or documents != len(stats.seeds))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
