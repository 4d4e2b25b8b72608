"""What a worker process does in a batch run: read one document within the run's limits, extract it
and send back plain records (a DocumentResult) or the reason it failed; and the warm-up that builds
the pipeline once per process, before any document is timed."""
from __future__ import annotations

import signal
from pathlib import Path

from .ingest import PDF_SUFFIXES, IngestError


def read_limited(path: Path, max_bytes: int, max_pages: int):
    """ingest.read with the run's size and page limits."""
    from . import ingest

    if path.suffix.lower() in PDF_SUFFIXES and path.is_file() and 0 < path.stat().st_size <= max_bytes:
        return ingest.read_pdf(path, max_pages=max_pages)
    return ingest.read(path, max_bytes=max_bytes)


def _outcome_of(fn, *args):
    """("ok", fn(*args)) or ("error", reason). Errors travel as text: exceptions with custom
    constructors (IngestError) do not survive pickling."""
    try:
        return "ok", fn(*args)
    except IngestError as e:
        return "error", e.reason
    except Exception as e:  # a bug must not stop the batch; it is recorded with its type
        # (spaCy's nlp(doc) turns a component's KeyError into a ValueError about initialize(): the
        # KeyError is the bug to report)
        e = e.__cause__ if isinstance(e.__cause__, KeyError) else e
        return "error", f"extraction failed ({type(e).__name__}: {e}); please report it with this file"


def _extract(path: str, doc_date: str | None, max_bytes: int, max_pages: int, source):
    from . import rows
    from .pipeline import extract_source
    from .regionlevels import fill_region_codes

    if source is None:
        source = read_limited(Path(path), max_bytes, max_pages)
    # doc_date: the run's date, or the document's metadata (a dict: zhmine.meta)
    meta = doc_date if isinstance(doc_date, dict) else None
    result = extract_source(source, doc_date=None if meta else doc_date, meta=meta)
    fill_region_codes(result)  # here, where the gazetteer is loaded anyway, not in the writer
    return rows.pack(result)  # the rows as the writer copies them in, made here: the writer is one process


def extract_job(path: str, doc_date: str | None, max_bytes: int, max_pages: int, source=None):
    """One document, in a worker: ("ok", DocumentResult) or ("error", reason). source: the document
    already read (a PDF read ahead by a reader process); None: read it here."""
    return _outcome_of(_extract, path, doc_date, max_bytes, max_pages, source)


def read_job(path: str, max_bytes: int, max_pages: int):
    """One PDF read, in a reader process: ("ok", Source) or ("error", reason)."""
    return _outcome_of(read_limited, Path(path), max_bytes, max_pages)


def too_long(timeout: float, action: str) -> tuple[str, str]:
    """The outcome of a document past the per-document time limit."""
    return "error", (f"took longer than the {timeout:g} s limit per document (--timeout): "
                     f"{action}; split the file or raise --timeout")


def init_reader() -> None:
    """A PDF reader process: Ctrl-C is the main process's to handle; pdfplumber imported at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import pdfplumber  # noqa: F401


def warm_up() -> None:
    """Build the pipeline and let every stage load what it loads on first use (jieba's dictionary,
    the gazetteer, cleaning's copy of the dictionary), so that no document pays for it against its
    time limit: a small document of our own goes through every stage."""
    from .ingest import Source
    from .pipeline import extract_source
    from .regionlevels import fill_region_codes

    try:
        source = Source(path=Path("warm-up.txt"), text=WARM_UP, encoding="utf-8", kind="txt", sha256="0" * 64)
        fill_region_codes(extract_source(source))
        import cn2an  # noqa: F401 (numerals imports it on the first Chinese numeral it cannot read alone)
    except Exception:  # a real document will report the problem with its own path
        pass


# jieba is loaded on first use, twice: by the place filter (with the gazetteer's names) and by
# cleaning (its own copy, for words across a line break). This text needs both: a city by its short
# name, which the place filter checks against jieba's words, and a line broken inside a word
# (家庭经|济), which cleaning tells from a heading by jieba's words.
WARM_UP = ("2023年，福建省南平市浦城县共投入帮扶资金185.41万元，全年免费健康体检10933人次。\n"
           "今年南平坚持民生优先，帮助家庭经\n济困难的群众增收。\n")


def init_worker() -> None:
    """A worker process. Ctrl-C is the main process's to handle: a worker dying of it would be
    recorded as a failed file. SIGTERM ends it (the pool stops its workers so; the forkserver it was
    forked from ignores it, worker_preload)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    warm_up()  # already done when the worker was forked from a warm forkserver
