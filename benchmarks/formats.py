"""Throughput of HTML and DOCX next to the same text as .txt (issue 17: within 1.2x).

    .venv/bin/python benchmarks/formats.py             # the government reports of ../shared (or corpus/ .txt)
    .venv/bin/python benchmarks/formats.py --docs 5 --repeat 3

Each document's text is written three ways: a .txt, an .html page (the paragraphs in a page with a
menu, a sidebar of other articles and a footer) and a .docx (python-docx); each file is read
(ingest.read) and extracted (pipeline.extract_source) in this process, the pipeline warmed first.
The three formats alternate within each repeat, so load on the machine weighs on all alike; the
median of the repeats is printed, per format: seconds, characters per second, and the ratio to .txt.
"""
from __future__ import annotations

import argparse
import html
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TARGET_RATIO = 1.2


def texts(limit: int) -> list[str]:
    folder = SHARED / "samples" / "gov-reports-2026"
    paths = sorted(folder.glob("*.txt")) if folder.is_dir() else sorted((ROOT / "corpus").glob("*.txt"))
    from zhmine.ingest import read

    return [read(p).text for p in paths[:limit]]


def page(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    body = "".join(f"<p>{html.escape(ln)}</p>\n" for ln in lines[1:])
    return (f"<html><head><meta charset='utf-8'><title>{html.escape(lines[0])}</title></head><body>"
            "<div class='nav'><a href='/'>首页</a> | <a href='/a'>政务公开</a> | <a href='/b'>政策解读</a></div>"
            f"<h1>{html.escape(lines[0])}</h1><div class='content'>{body}</div>"
            "<div class='side'><ul><li><a href='/1'>其他文章一</a></li><li><a href='/2'>其他文章二</a></li></ul></div>"
            "<div class='foot'>版权所有 网站标识码 备案号</div></body></html>")


def write_all(docs: list[str], folder: Path) -> dict[str, list[Path]]:
    import docx

    out = {"txt": [], "html": [], "docx": []}
    for i, text in enumerate(docs):
        t = folder / f"{i}.txt"
        t.write_text(text, encoding="utf-8")
        h = folder / f"{i}.html"
        h.write_text(page(text), encoding="utf-8")
        d = docx.Document()
        for ln in text.splitlines():
            if ln.strip():
                d.add_paragraph(ln)
        d.save(str(folder / f"{i}.docx"))
        out["txt"].append(t)
        out["html"].append(h)
        out["docx"].append(folder / f"{i}.docx")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from zhmine.ingest import read
    from zhmine.pipeline import extract_source, shared_nlp

    docs = texts(args.docs)
    chars = sum(len(t) for t in docs)
    with tempfile.TemporaryDirectory() as tmp:
        files = write_all(docs, Path(tmp))
        nlp = shared_nlp()
        for kind in files:  # warm-up: the pipeline, trafilatura and python-docx imported and built
            extract_source(read(files[kind][0]), nlp=nlp)
        times: dict[str, list[float]] = {k: [] for k in files}
        for _ in range(args.repeat):
            for kind, paths in files.items():
                t0 = time.perf_counter()
                for p in paths:
                    extract_source(read(p), nlp=nlp)
                times[kind].append(time.perf_counter() - t0)
    base = statistics.median(times["txt"])
    print(f"{len(docs)} documents, {chars} characters, median of {args.repeat} runs (read + extract, one process)")
    worst = 0.0
    for kind, ts in times.items():
        t = statistics.median(ts)
        ratio = t / base
        worst = max(worst, ratio)
        print(f"  {kind:5s} {t:7.2f} s  {chars / t / 1000:7.1f} k chars/s  {ratio:5.2f}x of .txt")
    print(f"target: within {TARGET_RATIO}x of .txt: {'met' if worst <= TARGET_RATIO else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
