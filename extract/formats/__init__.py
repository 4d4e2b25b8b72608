"""Archives as they are (issue 17): HTML and MHTML pages, Word documents, spreadsheets and zip or
tar.gz archives. A layer under ingest: each reader returns the fields of an ingest.Source (text,
encoding, kind, sha256, metadata, pages as (number, start, end), tables) or raises FormatError, and
ingest.read makes the Source (and the IngestError naming the file).

    fields = read(Path("report.docx"), decode)   # decode: ingest.decode, for pages without a charset
    members = expand(Path("a.zip"))               # [Path("a.zip!/inner/b.docx"), ...] each its own document
    suffix, data = member_bytes(Path("a.zip!/inner/b.docx"), max_bytes)

The prose goes to the text (tables kept out of it, as for PDFs); every table goes through the PDF
table reader (zhmine.tables: a Grid built from the cells, TableReader reads its figures) into
Source.tables. A page's title and date go to Source.metadata (Title, date, CreationDate as
`D:YYYYMMDD`, which dates.infer_doc_date reads when the text itself names no date).
Heavy libraries (trafilatura, openpyxl, xlrd) are imported only when a file needs them.
"""
from __future__ import annotations

from pathlib import Path

from .base import MEMBER_SEP, FormatError, is_archive, is_member

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".mhtml", ".mht"}
WORD_SUFFIXES = {".docx", ".doc", ".wps"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
ARCHIVE_SUFFIXES = {".zip", ".tgz", ".gz"}  # .gz: only .tar.gz
SUFFIXES = HTML_SUFFIXES | WORD_SUFFIXES | SHEET_SUFFIXES | ARCHIVE_SUFFIXES

__all__ = ["read", "expand", "member_bytes", "FormatError", "is_member", "is_archive", "MEMBER_SEP", "SUFFIXES"]


def read(path: Path, decode) -> dict:
    """The Source fields of a file in one of the new formats (the caller checked it exists and its size)."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        from .html import read_html

        return read_html(path, decode)
    if suffix in WORD_SUFFIXES:
        from .office import read_word

        return read_word(path)
    if suffix in SHEET_SUFFIXES:
        from .sheets import read_sheets

        return read_sheets(path)
    if is_archive(path):
        from .archive import check

        check(path)  # a zip bomb is named here
        raise FormatError("an archive: its members are documents of their own (zhmine run walks it)")
    raise FormatError(f"unsupported file type {suffix}")


def expand(path: Path) -> list[Path]:
    """An archive's document members as member paths; any other file as itself. An archive that breaks
    a limit (or is damaged) stays whole, so reading it records the reason as an error."""
    if not is_archive(path) or is_member(path):
        return [path]
    from .archive import members

    try:
        return members(path, SUFFIXES)
    except FormatError:
        return [path]


def member_bytes(path: Path, max_bytes: int) -> tuple[str, bytes]:
    """(the member's suffix, its bytes) of archive.zip!/inner/file.docx, within the limits."""
    from .archive import member_bytes as _bytes

    return _bytes(path, max_bytes)
