"""Batch runs: files, folders and globs -> the database, with progress, skipping what is current,
and recording every bad file instead of stopping.
"""
from __future__ import annotations

import glob as globmod
from dataclasses import dataclass, field
from pathlib import Path

from .ingest import SUFFIXES, IngestError


@dataclass
class RunSummary:
    documents: int = 0  # extracted and stored in this run
    skipped: int = 0  # already current in the database
    figures: int = 0
    dates: int = 0
    places: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

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


def run(paths, db="output/zhmine.db", doc_date: str | None = None, progress: bool = True, on_error=None) -> RunSummary:
    from tqdm import tqdm

    from . import store
    from .ingest import read
    from .pipeline import extract_source

    database = store.open_db(db)
    files = find_files(paths)
    summary = RunSummary()
    for path in tqdm(files, desc="zhmine run", unit="doc", disable=not progress):
        try:
            source = read(path)
            if store.is_current(database, source.sha256):
                summary.skipped += 1
                continue
            result = extract_source(source, doc_date=doc_date)
            store.save(database, result)
        except IngestError as e:
            summary.errors.append((e.path, e.reason))
            store.record_error(database, e.path, e.reason)
            if on_error:
                on_error(str(e))
            continue
        except Exception as e:  # a bug must not stop the batch; it is recorded with its type
            reason = f"extraction failed ({type(e).__name__}: {e}); please report it with this file"
            summary.errors.append((str(path), reason))
            store.record_error(database, path, reason)
            if on_error:
                on_error(f"{path}: {reason}")
            continue
        summary.documents += 1
        summary.figures += len(result.figures)
        summary.dates += len(result.dates)
        summary.places += len(result.places)
    return summary
