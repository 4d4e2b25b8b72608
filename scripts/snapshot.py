#!/usr/bin/env python3
"""Record what `zhmine extract` prints over every document set we measure, or compare with a record.

    python scripts/snapshot.py output/snap-before            # write one JSON Lines file per set
    python scripts/snapshot.py output/snap-after --compare output/snap-before

A change meant to keep the output (a restructuring, a speed-up) shows here that it did: the compare
prints each set's record count and IDENTICAL or the first differing lines, and exits 1 on any change.
Sets: corpus/, tests/heldout/docs, and where ../shared exists its corpus, realdev (each document's
date passed as ../shared/eval/extract_gold.py does), the government reports and the PDFs.
"""
from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def zhmine() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "zhmine"
    return [str(exe)] if exe.exists() else [shutil.which("zhmine") or "zhmine"]


def sets() -> dict[str, list[str]]:
    """name -> the command that prints the set's records."""
    extract = zhmine() + ["extract", "--format", "jsonl"]
    out = {"corpus": extract + [str(ROOT / "corpus")],
           "heldout": extract + [str(ROOT / "tests" / "heldout" / "docs")]}
    if SHARED.is_dir():
        out["shared-corpus"] = extract + [str(SHARED / "corpus")]
        out["realdev"] = [sys.executable, str(SHARED / "eval" / "extract_gold.py"),
                          "--gold", str(SHARED / "realdev" / "gold"), "--corpus", str(SHARED / "realdev" / "corpus"),
                          "--cmd", " ".join(extract)]
        out["gov-reports"] = extract + [str(SHARED / "samples" / "gov-reports-2026")]
        out["pdf"] = extract + [str(SHARED / "samples" / "pdf")]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="where to write one <set>.jsonl per set")
    ap.add_argument("--compare", type=Path, metavar="FOLDER", help="an earlier snapshot to compare with")
    args = ap.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    changed = 0
    for name, cmd in sets().items():
        # extract exits 1 when a file of the set fails (the scanned PDF): its records are still printed
        r = subprocess.run(cmd, capture_output=True, text=True)
        (args.folder / f"{name}.jsonl").write_text(r.stdout, encoding="utf-8")
        lines = r.stdout.splitlines()
        if not args.compare:
            print(f"{name}: {len(lines)} records (exit {r.returncode})")
            continue
        before = (args.compare / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        if before == lines:
            print(f"{name}: {len(lines)} records IDENTICAL")
            continue
        changed += 1
        print(f"{name}: CHANGED ({len(before)} -> {len(lines)} records)")
        for line in list(difflib.unified_diff(before, lines, lineterm="", n=0))[2:12]:
            print("   ", line[:300])
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
