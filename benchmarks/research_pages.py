"""How fast `zhmine serve` answers a researcher's pages at ~145k figures: the figures page with its
facets, a search, a figure's page, the map's data. Prints seconds per page (best of --repeat), and
whether each is within --budget.

The database: the 31 government reports of ../shared/samples/gov-reports-2026 mined once by
`zhmine run`, then copied in SQL (new document hashes, new row ids) until it holds --figures figures.

    .venv/bin/python benchmarks/research_pages.py [--figures 145000] [--db /tmp/zhmine-pages.db]
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "samples" / "gov-reports-2026"


def build(db_path: Path, figures: int, reports: Path) -> None:
    import sqlite_utils

    from zhmine import store

    seed = db_path.with_suffix(".seed.db")
    if not seed.exists():
        subprocess.run([sys.executable, "-m", "zhmine.cli", "run", str(reports), "--db", str(seed), "--quiet"],
                       check=True)
    db_path.unlink(missing_ok=True)
    db_path.write_bytes(seed.read_bytes())
    db = sqlite_utils.Database(db_path)
    have = db.execute("select count(*) from figures").fetchone()[0]
    copies = max(0, -(-figures // have) - 1)
    docs = [r[0] for r in db.execute("select id from documents")]
    tables = {t: [c for c in db[t].columns_dict] for t in ("documents", "articles", "sentences", "figures")}
    with db.conn:
        for k in range(1, copies + 1):
            for doc in docs:
                new = hashlib.sha256(f"{doc}:{k}".encode()).hexdigest()
                for t, cols in tables.items():
                    sel = []
                    for c in cols:
                        if c in ("id", "document_id", "sha256") and t == "documents":
                            sel.append("?")
                        elif c == "document_id":
                            sel.append("?")
                        elif c in ("id", "article_id", "sentence_id"):
                            sel.append(f"replace([{c}], '{doc[:16]}', '{new[:16]}')")
                        elif c == "name" and t == "documents" or c == "document" and t == "figures":
                            sel.append(f"[{c}] || ' #{k}'")
                        else:
                            sel.append(f"[{c}]")
                    where = "id = ?" if t == "documents" else "document_id = ?"
                    n = sel.count("?")
                    db.execute(f"insert into [{t}] ({', '.join(f'[{c}]' for c in cols)}) select {', '.join(sel)} "
                               f"from [{t}] where {where}", [new] * n + [doc])
    store.index_sentences(store.open_db(db_path))
    print(f"{db_path}: {db.execute('select count(*) from figures').fetchone()[0]} figures", file=sys.stderr)


async def timings(db_path: Path, repeat: int) -> dict[str, float]:
    import sqlite_utils

    from zhmine.research import pages, query, serve

    query.ensure_indexes(sqlite_utils.Database(db_path).conn)  # as `zhmine serve` does (cli._open)
    ds = serve.app(db_path)
    await ds.invoke_startup()
    name = serve.db_name(db_path)
    rel = pages.FIGURES
    one = (await ds.client.get(f"/{name}/{rel}.json?_size=1&_shape=array")).json()[0]["id"]
    paths = {
        "figures page with facets": f"/{name}/{rel}",
        "figures faceted by province and year": f"/{name}/{rel}?province=广东省&year=2026",
        "search 养老 (2 characters)": f"/{name}/{rel}?_search=养老",
        "search 高质量发展 (FTS)": f"/{name}/{rel}?_search=高质量发展",
        "a figure's page": f"/-/figure/{name}/{one}",
        "map data (provinces)": f"/-/map-data/{name}.json?level=province&unit=元",
    }
    out = {}
    for label, path in paths.items():
        best = None
        for _ in range(repeat):
            t = time.perf_counter()
            resp = await ds.client.get(path)
            took = time.perf_counter() - t
            if resp.status_code != 200:
                raise SystemExit(f"{path}: HTTP {resp.status_code}\n{resp.text[:500]}")
            best = took if best is None else min(best, took)
        out[label] = best
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--figures", type=int, default=145_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/zhmine-pages.db"))
    ap.add_argument("--reports", type=Path, default=REPORTS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--budget", type=float, default=0.5, help="seconds a page may take")
    ap.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    args = ap.parse_args()
    if not (args.reuse and args.db.exists()):
        if not args.reports.is_dir():
            raise SystemExit(f"no reports at {args.reports}: give --reports a folder of documents")
        build(args.db, args.figures, args.reports)
    for label, took in asyncio.run(timings(args.db, args.repeat)).items():
        print(f"{label:40s} {took:6.3f} s  {'ok' if took <= args.budget else 'OVER ' + str(args.budget)}")


if __name__ == "__main__":
    main()
