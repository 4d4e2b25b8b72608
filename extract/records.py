"""What extraction produces, importable without the NLP stack: DocumentResult (one document's
records) and EXTRACTOR_VERSION. The writer of a batch run needs only these, so it never loads spaCy
(0.45 s of start-up, on a core the workers' warm-up wants)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import __version__


def _fingerprint() -> str:
    """A digest of the extraction code and the rules: any change to either changes it, so documents
    stored by an older extractor are re-extracted without anyone remembering to bump a number.
    (query/serve/chart code does not change what is extracted and is left out.)"""
    import hashlib

    from .rules import patterns_dir

    here = Path(__file__).resolve().parent
    stages = ("records", "ingest", "clean", "segment", "pipeline", "numerals", "dates", "places",
              "gazetteer", "figures", "attribute")
    files = [here / f"{name}.py" for name in stages] + sorted(patterns_dir().glob("*.*"))
    h = hashlib.sha256()
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
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
    metadata: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
