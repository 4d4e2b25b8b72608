"""Archives as they are (issue 17): HTML and MHTML pages, Word documents, spreadsheets and zip or
tar.gz archives, each read into the same ingest.Source as plain text and PDFs.

    from zhmine.formats import read, SUFFIXES, expand
    source = read(Path("report.docx"))     # Source(text=..., kind="docx", tables=[figure records])
    members = expand(Path("a.zip"))         # [Path("a.zip!/inner/b.docx"), ...] (each its own document)

The prose goes to Source.text (tables kept out of it, as for PDFs); every table goes through the PDF
table reader (zhmine.tables: a Grid built from the cells, TableReader reads its figures) into
Source.tables. A page's title and date go to Source.metadata (Title, CreationDate as `D:YYYYMMDD`,
which dates.infer_doc_date reads when the text itself names no date).
Heavy libraries (trafilatura, python-docx, openpyxl, xlrd) are imported only when a file needs them.
"""
from __future__ import annotations

from pathlib import Path

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".mhtml", ".mht"}
WORD_SUFFIXES = {".docx", ".doc", ".wps"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
ARCHIVE_SUFFIXES = {".zip", ".tgz", ".gz"}  # .gz: only .tar.gz
SUFFIXES = HTML_SUFFIXES | WORD_SUFFIXES | SHEET_SUFFIXES | ARCHIVE_SUFFIXES
MEMBER_SEP = "!/"  # archive.zip!/inner/file.docx


def is_member(path) -> bool:
    return MEMBER_SEP in str(path)


def is_archive(path) -> bool:
    name = Path(path).name.lower()
    return name.endswith((".zip", ".tgz", ".tar.gz"))


def read(path: Path):
    """The Source of a file in one of the new formats (the caller checked it exists and its size)."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        from .html import read_html

        return read_html(path)
    if suffix in WORD_SUFFIXES:
        from .office import read_word

        return read_word(path)
    if suffix in SHEET_SUFFIXES:
        from .sheets import read_sheets

        return read_sheets(path)
    from ..ingest import IngestError

    if is_archive(path):
        from .archive import check

        check(path)  # a zip bomb is named here
        raise IngestError(path, "an archive: its members are documents of their own (zhmine run walks it)")
    raise IngestError(path, f"unsupported file type {suffix}")


def expand(path: Path) -> list[Path]:
    """An archive's document members as member paths; any other file as itself. An archive that breaks
    a limit (or is damaged) stays whole, so reading it records the reason as an error."""
    if not is_archive(path) or is_member(path):
        return [path]
    from ..ingest import IngestError
    from .archive import members

    try:
        return members(path)
    except IngestError:
        return [path]


def read_member(path, max_bytes: int):
    from .archive import read_member as _read

    return _read(Path(path), max_bytes)
