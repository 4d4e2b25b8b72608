"""How fast `zhmine serve` answers a researcher's pages at ~145k figures: the figures page with its
facets, a search, a figure's page, the map's data. Prints seconds per page (best of --repeat), and
whether each is within --budget.

The database: the 31 government reports of ../shared/samples/gov-reports-2026 copied (each copy its
own content hash, as benchmarks/throughput.py builds its input) until they hold about --figures
figures, mined by `zhmine run`.

    .venv/bin/python benchmarks/research_pages.py [--figures 145000] [--db /tmp/zhmine-pages.db]
"""
from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "samples" / "gov-reports-2026"


def build(db_path: Path, figures: int, reports: Path) -> None:
    """The reports copied (throughput.build_text_corpus: each copy its own content hash) until they
    hold about `figures` figures, mined by `zhmine run`."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from throughput import build_text_corpus

    per_mb = 6549 / 1.8  # figures per MB of the 31 reports (1.8 MB, 6,549 figures)
    with tempfile.TemporaryDirectory(prefix="zhmine-pages-") as tmp:
        build_text_corpus(reports, Path(tmp) / "docs", figures / per_mb)
        db_path.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "zhmine.cli", "run", str(Path(tmp) / "docs"), "--db", str(db_path),
                        "--quiet"], check=True)


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
