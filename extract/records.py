"""What extraction produces, importable without the NLP stack: DocumentResult (one document's
records) and EXTRACTOR_VERSION. The writer of a batch run needs only these, so it never loads spaCy
(its import is start-up time, on a core the workers' warm-up wants)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ._version import __version__


# What does not change what is extracted: the research side, the command line, the batch run (its
# executors and workers) and the store. Every other file of the package is extraction code.
_NOT_EXTRACTION = ("research", "legacy", "_version.py", "cli.py", "batch.py", "executors.py", "worker.py", "store.py",
                   "worker_preload.py")


def extraction_files() -> list[Path]:
    """Every file of the extraction code and the rules, in a fixed order."""
    from .text.rules import patterns_dir

    here = Path(__file__).resolve().parent
    code = [f for f in here.rglob("*.py")
            if f.relative_to(here).parts[0] not in _NOT_EXTRACTION]
    return sorted(code) + sorted(f for f in patterns_dir().rglob("*") if f.is_file() and "__pycache__" not in f.parts)


def _fingerprint() -> str:
    """A digest of the extraction code and the rules: any change to either, a new module included,
    changes it, so documents stored by an older extractor are re-extracted without anyone
    remembering to bump a number."""
    import hashlib

    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in extraction_files():
        name = f.relative_to(here) if f.is_relative_to(here) else f.name
        h.update(str(name).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


# Stored with every document; a document stored under another version is extracted again.
EXTRACTOR_VERSION = f"{__version__}+{_fingerprint()}"


@dataclass
class DocumentResult:
    """Everything extracted from one file, as plain records ready for storage or JSON Lines.

    Offsets (start/end) are into `text`, the cleaned document text; `surface` is the original text
    of the source (line breaks and spaces kept), `page` the 1-based PDF page or None.
    """

    path: str
    name: str
    sha256: str
    encoding: str
    kind: str
    pages: int
    text: str
    doc_date: str | None
    doc_date_source: str | None
    default_region: str | None
    region_source: str | None = None  # metadata (the user gave it) | inferred (from the text)
    title: str | None = None          # the document's title, source and issuer as the user gave them
    source: str | None = None
    issuer: str | None = None
    metadata: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
