"""What every reader of zhmine.formats shares: its error and the archive member path."""
from __future__ import annotations

from pathlib import Path

MEMBER_SEP = "!/"  # archive.zip!/inner/file.docx


class FormatError(Exception):
    """A file of a new format that cannot be read; ingest turns it into an IngestError naming the file."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def is_member(path) -> bool:
    return MEMBER_SEP in str(path)


def is_archive(path) -> bool:
    return Path(str(path)).name.lower().endswith((".zip", ".tgz", ".tar.gz"))


def fields(text: str, encoding: str, kind: str, data: bytes, **more) -> dict:
    """The keyword arguments of ingest.Source (without path) for a reader's result. pages are
    (number, start, end) triples; tables are figure records."""
    import hashlib

    return {"text": text, "encoding": encoding, "kind": kind, "sha256": hashlib.sha256(data).hexdigest(), **more}
