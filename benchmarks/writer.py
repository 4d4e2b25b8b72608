"""CPU cost of the single writer of `zhmine run` (the main process that stores every document).

    .venv/bin/python benchmarks/writer.py              # about 10 MB of input text
    .venv/bin/python benchmarks/writer.py --mb 3 --cache /tmp/writer-results.pickle

Extracts ../shared/samples/gov-reports-2026 once (as a batch worker would: extract_source, then
fill_region_codes), then stores copies of those results (each with its own sha256 and path, so that
none replaces another) into a fresh database until --mb MB of input text, as batch.run does:
begin_run, save per document, finish_run. Only the storing is timed, in CPU seconds of this process
(time.process_time), so other load on the machine matters little. Prints CPU-s per MB of input text
and per document, and the time sync_regions takes on a new database. --cache keeps the extraction
results in a pickle between runs (delete it when the extractor changes).
"""
from __future__ import annotations

import argparse
import copy
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhmine import batch as batchrun, ingest, pipeline, rows, store  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples" / "gov-reports-2026"
MB = 1_000_000


def extracted(samples: Path, cache: Path | None) -> list[tuple[int, pipeline.DocumentResult]]:
    """(bytes of input text, result) for each sample report, with its region codes filled."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    out = []
    for path in sorted(samples.glob("*.txt")):
        result = pipeline.extract_source(ingest.read(path))
        store.fill_region_codes(result)
        out.append((path.stat().st_size, result))
    if not out:
        sys.exit(f"no .txt files in {samples}")
    if cache:
        cache.write_bytes(pickle.dumps(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=10.0, help="MB of input text to store (default 10)")
    ap.add_argument("--samples", type=Path, default=SAMPLES, help=f"folder of .txt reports (default {SAMPLES})")
    ap.add_argument("--cache", type=Path, help="pickle of the extraction results, reused when present")
    args = ap.parse_args()

    results = extracted(args.samples, args.cache)
    with tempfile.TemporaryDirectory(prefix="zhmine-writer-") as tmp:
        # sync_regions on a new database: what a first `zhmine run` pays before its first document
        db = store.open_db(Path(tmp) / "regions.db")
        wall, cpu = time.perf_counter(), time.process_time()
        store.sync_regions(db)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"sync_regions on a new database: {cpu:.2f} CPU-s ({wall:.2f} s wall)")
        db.conn.close()

        # the copies are made before timing: only storing counts
        batch, size, n = [], 0, 0
        while size < args.mb * MB:
            n += 1
            for nbytes, result in results:
                r = copy.copy(result)
                r.sha256 = f"{n:08x}{result.sha256[8:]}"
                r.path = f"copy{n}/{result.path}"
                batch.append(rows.pack(r))  # as a batch worker sends it
                size += nbytes
        db = store.open_db(Path(tmp) / "writer.db")
        cpu = time.process_time()
        run_id = store.begin_run(db, "benchmarks/writer.py")
        group, chars = [], 0
        for r in batch:  # in groups of batch.GROUP_CHARS characters, as batch.run stores them
            group.append(r)
            chars += len(r.text)
            if chars >= batchrun.GROUP_CHARS:
                store.save_many(db, group, run_id=run_id, fill_codes=False)
                group, chars = [], 0
        store.save_many(db, group, run_id=run_id, fill_codes=False)
        store.finish_run(db, run_id, len(batch), 0, 0)
        cpu = time.process_time() - cpu
        sentences = db.execute("select count(*) from sentences").fetchone()[0]
        print(f"stored {len(batch)} documents, {size / MB:.1f} MB of input text, {sentences} sentences: "
              f"{cpu:.2f} CPU-s, {cpu / (size / MB):.3f} CPU-s per MB, "
              f"{cpu / len(batch) * 1000:.1f} CPU-ms per document")


if __name__ == "__main__":
    main()
