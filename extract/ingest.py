"""Stage 1, ingest: a file on disk -> Source (text, page map, encoding, metadata).

Plain text may come in any encoding Chinese archives use (UTF-8 with or without BOM, GB18030/GBK,
Big5, UTF-16 LE/BE with or without BOM); charset-normalizer detects it. PDF text comes from
pdfplumber's text layer, read in reading order: a two-column newspaper page is read column by column.
Every failure is an IngestError that names the file and says what to do, so a batch can record it
and go on.
"""
from __future__ import annotations

import gc
import hashlib
import re
import threading
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import formats
from .pdftext import page_text
from .formats import SUFFIXES as FORMAT_SUFFIXES

TEXT_SUFFIXES = {".txt", ".text", ".md"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | FORMAT_SUFFIXES  # issue 17: HTML, Word, spreadsheets, archives
MAX_BYTES = 200 * 1024 * 1024  # refuse files past this size (a clear error beats running out of memory)
MAX_PAGES = 2000

# The encodings Chinese archives use; restricting detection to them keeps charset-normalizer from
# answering cp932 or latin-1 for a short Big5 or GB text.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be", "utf_16", "utf_32"]
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "utf-32"),
    (b"\xff\xfe", "utf-16", "utf-16"),
    (b"\xfe\xff", "utf-16", "utf-16"),
)


class IngestError(Exception):
    """A file that cannot be read as a document. str() is one line: '<path>: <reason>'."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass
class Page:
    number: int  # 1-based
    start: int  # character range of this page in Source.text
    end: int
    has_text: bool = True
    source: str = "layer"  # where the page's text came from: "layer" (the PDF's text) or "ocr"


@dataclass
class Source:
    path: Path
    text: str
    encoding: str  # "utf-8", "gb18030", "big5", "utf-16", "utf-32" or "pdf"
    kind: str  # "txt" | "pdf"
    sha256: str
    pages: list[Page] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)  # PDF metadata (CreationDate, Title, ...)
    warnings: list[str] = field(default_factory=list)  # e.g. "page 3 has no text layer (scanned?)"
    # issue 15: figure records of the PDF's table cells (zhmine.tables), with page, table, row, column
    tables: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    def page_at(self, offset: int) -> int | None:
        """1-based page number holding character `offset` of text (None for plain text)."""
        if not self.pages:
            return None
        i = max(0, bisect_right(self._page_starts(), offset) - 1)
        return self.pages[i].number

    def _page_starts(self) -> list[int]:
        starts = getattr(self, "_starts", None)
        if starts is None or len(starts) != len(self.pages):
            starts = [p.start for p in self.pages]
            self._starts = starts
        return starts


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read(path, max_bytes: int = MAX_BYTES) -> Source:
    path = Path(path)
    if formats.is_member(path):  # archive.zip!/inner/file.docx
        return read_member(path, max_bytes)
    if not path.exists():
        raise IngestError(path, "no such file")
    if path.is_dir():
        raise IngestError(path, "is a folder, not a file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path, "empty file (0 bytes): nothing to extract")
    if size > max_bytes:
        raise IngestError(path, f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit: split it or raise --max-mb")
    with path.open("rb") as f:
        magic = f.read(5)
    # the content decides, not the name: a PDF saved as .txt is still a PDF
    if path.suffix.lower() in PDF_SUFFIXES or magic == b"%PDF-":
        return read_pdf(path)
    if path.suffix.lower() in FORMAT_SUFFIXES:
        return read_format(path)
    return read_text(path)


# ------------------------------------------------------------------ HTML, Word, spreadsheets, archives
def read_format(path: Path) -> Source:
    """A file of zhmine.formats (issue 17) as a Source."""
    try:
        parts = formats.read(path, decode)
    except formats.FormatError as e:
        raise IngestError(path, e.reason) from None
    pages = [Page(*p) for p in parts.pop("pages", [])]
    return Source(path=path, pages=pages, **parts)


def read_member(path: Path, max_bytes: int) -> Source:
    """One document of an archive (archive.zip!/inner/file.docx), read as a file of its own."""
    import tempfile

    try:
        suffix, data = formats.member_bytes(path, max_bytes)
    except formats.FormatError as e:
        raise IngestError(path, e.reason) from None
    with tempfile.TemporaryDirectory(prefix="zhmine-") as tmp:
        local = Path(tmp) / ("member" + suffix)
        local.write_bytes(data)
        try:
            source = read(local, max_bytes=max_bytes)
        except IngestError as e:
            raise IngestError(path, e.reason) from None
    source.path, source.sha256 = path, hashlib.sha256(data).hexdigest()
    return source


# ------------------------------------------------------------------ plain text
def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises ValueError for binary or undecodable data.

    A BOM settles it; strict UTF-8 is the fast common case; everything else is charset-normalizer's
    call among CANDIDATE_ENCODINGS (it also finds UTF-16 without a BOM).
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                break  # a BOM-like start of something else: let detection decide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        if data.count(b"\x00") > len(data) // 20:
            raise ValueError("binary data, not text")
        # UTF-8 with a few damaged bytes (a cut-off last character, a stray byte): keep the text,
        # read_text reports the replaced bytes
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") <= max(4, len(text) // 500):
            return text, "utf-8"
        raise ValueError("undecodable: not UTF-8, GB18030, Big5 or UTF-16 text")
    enc = best.encoding.replace("_", "-")
    name = {"gb2312": "gb18030", "gbk": "gb18030", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
            "big5hkscs": "big5"}.get(enc, enc)
    return str(best), name


def _looks_like_text(text: str) -> bool:
    """Few control characters: decoded binary (an image renamed .txt) is full of them."""
    if not text:
        return False
    sample = text[:4000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t\f") or 0xD800 <= ord(ch) <= 0xDFFF)
    return bad / len(sample) < 0.01


def read_text(path: Path) -> Source:
    data = path.read_bytes()
    try:
        text, encoding = decode(data)
    except ValueError as e:
        raise IngestError(path, f"{e}: is it really a text file? Save it as UTF-8 text and retry") from None
    warnings = []
    nuls = text.count("\x00")
    if nuls and encoding == "utf-8" and nuls <= max(8, len(text) // 100):
        # a few NUL bytes in UTF-8 text (a damaged copy, a bad export): dropped, not the whole file
        text = text.replace("\x00", "")
        warnings.append(f"{nuls} NUL byte(s) dropped")
    if not _looks_like_text(text):
        raise IngestError(path, "binary data, not text: is it really a text file? Save it as UTF-8 text and retry")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(path, "no text in the file (only white space)")
    if encoding == "utf-8" and "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        warnings.append(f"{text.count(chr(0xFFFD))} damaged byte sequence(s) replaced by U+FFFD")
    return Source(path=path, text=text, encoding=encoding, kind="txt", sha256=hashlib.sha256(data).hexdigest(),
                  warnings=warnings)


# ------------------------------------------------------------------ PDF
def read_pdf(path: Path, max_pages: int = MAX_PAGES) -> Source:
    import pdfplumber

    try:
        pdf = pdfplumber.open(path, password="")  # encrypted with an empty user password: readable
        n_pages = len(pdf.pages)
    except Exception as e:  # pdfminer raises many kinds
        raise IngestError(path, _pdf_failure(e)) from None
    parts, pages, warnings, pos = [], [], [], 0
    with pdf, _few_collections():
        if n_pages > max_pages:
            raise IngestError(path, f"{n_pages} pages, over the {max_pages}-page limit: split the PDF")
        reader, year, tables = _table_reader(pdf)  # issue 15: one reader per document (headers go on)
        ocr, cid_pages = _OcrSetting(), 0
        for number, page in enumerate(pdf.pages, 1):
            try:
                view, source = _page_view(page, number, ocr, warnings)  # the page or its OCR (issue 15)
                text, figs = _page_with_tables(view, number, year, reader, warnings)
                tables += figs
                has_text = bool(text.strip()) or bool(figs)  # a page that is one table has its text in figs
                # asked before close: after it, page.images would parse the page again
                imaged = not has_text and source == "layer" and bool(page.images)
            except Exception as e:
                raise IngestError(path, f"page {number}: {_pdf_failure(e)}") from None
            finally:
                year.close(page, number)  # page.close(), but the first pages wait for the title year (tables)
            if text.strip() and mostly_cid(text):
                warnings.append(f"page {number}: {_cid_unreadable(pdf)}")
                text, has_text = "", bool(figs)
                cid_pages += 1
            elif not has_text and source == "layer":
                what = "an image only" if imaged else "nothing on it"
                warnings.append(f"page {number} has no text layer ({what}: {_ocr_hint(ocr)})")
            elif not has_text:
                warnings.append(f"page {number} has no text layer and OCR found no text on it")
            pages.append(Page(number, pos, pos + len(text), has_text, source))
            parts.append(text)
            parts.append("\n\f")  # page break: clean decides whether a sentence runs across it
            pos += len(text) + 2
        metadata = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
    if not any(p.has_text for p in pages):
        if cid_pages:
            raise IngestError(path, f"no readable text on any page: {_cid_unreadable(pdf)}")
        raise IngestError(path, f"no text layer on any page (a scanned PDF): {_ocr_hint(ocr)}")
    return Source(path=path, text="".join(parts), encoding="pdf", kind="pdf", sha256=sha256_of(path),
                  pages=pages, metadata=metadata, warnings=warnings, tables=tables)


_READING = {"pdfs": 0, "threshold": None}  # PDFs being read in this process (threads of a Dask worker)
_READING_LOCK = threading.Lock()


@contextmanager
def _few_collections():
    """pdfminer makes millions of short-lived objects while it parses a page, next to none of them in
    reference cycles: a gen-0 collection every 700 allocations (Python's default) walks them for
    nothing. The threshold is raised while a PDF is read and restored once no PDF is being read (threads
    reading at once restore the threshold that was there before the first); the collector stays on."""
    with _READING_LOCK:
        if _READING["pdfs"] == 0:
            _READING["threshold"] = gc.get_threshold()
            before = _READING["threshold"]
            gc.set_threshold(max(before[0], 20_000), *before[1:])
        _READING["pdfs"] += 1
    try:
        yield
    finally:
        with _READING_LOCK:
            _READING["pdfs"] -= 1
            if _READING["pdfs"] == 0:
                gc.set_threshold(*_READING["threshold"])


class _OcrSetting:
    """--ocr of the command line, carried in ZHMINE_OCR (zhmine.ocr), and whether the engine is
    installed, asked only when a page needs OCR: importing the engine (onnxruntime) would cost every
    text-layer PDF its start-up for nothing."""

    def __init__(self):
        from . import ocr

        self.mode = ocr.mode()
        self._installed: bool | None = None

    @property
    def installed(self) -> bool:
        if self._installed is None:
            from . import ocr

            self._installed = self.mode != "never" and ocr.available()
        return self._installed


def _ocr_hint(setting: _OcrSetting) -> str:
    from . import ocr

    if setting.mode == "never":
        return "OCR is off (--ocr never): use --ocr auto, or run OCR first (e.g. ocrmypdf)"
    return "OCR found no text on it" if setting.installed else ocr.INSTALL_HINT


def _page_view(page, number: int, setting: _OcrSetting, warnings: list[str]):
    """The page to read and where its text comes from: the page itself ("layer"), or its OCR
    ("ocr": --ocr always, or --ocr auto on a page without a text layer) where the engine is installed."""
    m = setting.mode
    if m == "never" or (m == "auto" and page.chars) or not setting.installed:
        return page, "layer"
    from .ocr import ocr_page

    try:
        return ocr_page(page), "ocr"
    except Exception as e:
        warnings.append(f"page {number}: OCR failed ({type(e).__name__}: {' '.join(str(e).split())[:80]})")
        return page, "layer"


def _table_reader(pdf):
    """The document's table reader, its title year (read only if a page has a table) and the list its
    table figures go to (issue 15)."""
    from .tables import TableReader, TitleYear

    return TableReader(), TitleYear(pdf), []


def _page_with_tables(page, number: int, year, reader, warnings: list[str]) -> tuple[str, list[dict]]:
    """A page's prose (without its table cells) and the figures of its tables. A page whose tables
    cannot be read is a warning on the document and its prose is read whole."""
    from .tables import page_tables, without_tables

    try:
        grids, figs = page_tables(page, number, year, reader)
    except Exception as e:
        warnings.append(f"page {number}: tables not read ({type(e).__name__}: {' '.join(str(e).split())[:80]})")
        return page_text(page), []
    return page_text(without_tables(page, grids)), figs


CID_UNREADABLE = ("its text is glyph codes without a Unicode map ((cid:…)), not characters: an OCR "
                  "candidate (e.g. ocrmypdf --force-ocr)")
_CID = re.compile(r"\(cid:\d+\)")


def _cid_unreadable(pdf) -> str:
    """Why a page of (cid:N) is unreadable. In an encrypted PDF it is most often the encryption:
    pdfminer leaves the strings naming a font's character collection encrypted."""
    if getattr(pdf.doc, "encryption", None):
        return ("its text is glyph codes ((cid:…)) because the PDF is encrypted: decrypt it first "
                "(qpdf --decrypt in.pdf out.pdf) and run again")
    return CID_UNREADABLE


def mostly_cid(text: str) -> bool:
    """True when most of a page's text is pdfminer's (cid:N) placeholders: a font without a Unicode
    map, whose text would be stored as garbage."""
    if "(cid:" not in text:
        return False
    visible = len("".join(text.split()))
    cid = sum(len(m) for m in _CID.findall(text))
    return cid * 2 >= visible


def _pdf_failure(e: Exception) -> str:
    if e.args and isinstance(e.args[0], Exception):  # pdfplumber wraps pdfminer's error (PDFPasswordIncorrect)
        e = e.args[0]
    name = type(e).__name__
    if "Password" in name or "Encrypt" in name or "encrypt" in str(e).lower():
        return "encrypted PDF: remove the password first (e.g. qpdf --decrypt in.pdf out.pdf)"
    detail = " ".join(str(e).split())[:120]  # the reason stays on one line
    return f"not a readable PDF ({name}: {detail}): is it damaged? Try repairing it (e.g. qpdf in.pdf out.pdf)"
