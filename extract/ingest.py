"""Stage 1, ingest: a file on disk -> Source (text, page map, encoding, metadata).

Plain text may come in any encoding Chinese archives use (UTF-8 with or without BOM, GB18030/GBK,
Big5, UTF-16 LE/BE with or without BOM); charset-normalizer detects it. PDF text comes from
pdfplumber's text layer, read in reading order: a two-column newspaper page is read column by column.
Every failure is an IngestError that names the file and says what to do, so a batch can record it
and go on.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from . import formats
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
    if not _looks_like_text(text):
        raise IngestError(path, "binary data, not text: is it really a text file? Save it as UTF-8 text and retry")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(path, "no text in the file (only white space)")
    warnings = []
    if encoding == "utf-8" and "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        warnings.append(f"{text.count(chr(0xFFFD))} damaged byte sequence(s) replaced by U+FFFD")
    return Source(path=path, text=text, encoding=encoding, kind="txt", sha256=hashlib.sha256(data).hexdigest(),
                  warnings=warnings)


# ------------------------------------------------------------------ PDF
def read_pdf(path: Path, max_pages: int = MAX_PAGES) -> Source:
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
        n_pages = len(pdf.pages)
    except Exception as e:  # pdfminer raises many kinds
        raise IngestError(path, _pdf_failure(e)) from None
    parts, pages, warnings, pos = [], [], [], 0
    with pdf:
        if n_pages > max_pages:
            raise IngestError(path, f"{n_pages} pages, over the {max_pages}-page limit: split the PDF")
        reader, year, tables = _table_reader(pdf)  # issue 15: one reader per document (headers go on)
        ocr = _ocr_setting()
        for number, page in enumerate(pdf.pages, 1):
            try:
                view, source = _page_view(page, number, ocr, warnings)  # the page or its OCR (issue 15)
                text, figs = _page_with_tables(view, number, year, reader, warnings)
                tables += figs
            except Exception as e:
                raise IngestError(path, f"page {number}: {_pdf_failure(e)}") from None
            finally:
                page.close()  # drop the page's parsed layout: memory stays flat on long PDFs
            has_text = bool(text.strip()) or bool(figs)  # a page that is one table has its text in figs
            if not has_text and source == "layer":
                what = "an image only" if page.images else "nothing on it"
                warnings.append(f"page {number} has no text layer ({what}: {_ocr_hint(ocr)})")
            elif not has_text:
                warnings.append(f"page {number} has no text layer and OCR found no text on it")
            pages.append(Page(number, pos, pos + len(text), has_text, source))
            parts.append(text)
            parts.append("\n\f")  # page break: clean decides whether a sentence runs across it
            pos += len(text) + 2
        metadata = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
    if not any(p.has_text for p in pages):
        raise IngestError(path, f"no text layer on any page (a scanned PDF): {_ocr_hint(ocr)}")
    return Source(path=path, text="".join(parts), encoding="pdf", kind="pdf", sha256=sha256_of(path),
                  pages=pages, metadata=metadata, warnings=warnings, tables=tables)


def _ocr_setting() -> tuple[str, bool]:
    """(mode, engine installed): --ocr of the command line, carried in ZHMINE_OCR (zhmine.ocr)."""
    from . import ocr

    m = ocr.mode()
    return m, m != "never" and ocr.available()


def _ocr_hint(setting: tuple[str, bool]) -> str:
    from . import ocr

    m, installed = setting
    if m == "never":
        return "OCR is off (--ocr never): use --ocr auto, or run OCR first (e.g. ocrmypdf)"
    return "OCR found no text on it" if installed else ocr.INSTALL_HINT


def _page_view(page, number: int, setting: tuple[str, bool], warnings: list[str]):
    """The page to read and where its text comes from: the page itself ("layer"), or its OCR
    ("ocr": --ocr always, or --ocr auto on a page without a text layer) where the engine is installed."""
    m, installed = setting
    if not installed or (m == "auto" and page.chars):
        return page, "layer"
    from .ocr import ocr_page

    try:
        return ocr_page(page), "ocr"
    except Exception as e:
        warnings.append(f"page {number}: OCR failed ({type(e).__name__}: {' '.join(str(e).split())[:80]})")
        return page, "layer"


def _table_reader(pdf):
    """The document's table reader, its title year and the list its table figures go to (issue 15)."""
    from .tables import TableReader, document_year

    try:
        year = document_year(pdf)
    except Exception:
        year = None
    return TableReader(), year, []


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


def _pdf_failure(e: Exception) -> str:
    if e.args and isinstance(e.args[0], Exception):  # pdfplumber wraps pdfminer's error (PDFPasswordIncorrect)
        e = e.args[0]
    name = type(e).__name__
    if "Password" in name or "Encrypt" in name or "encrypt" in str(e).lower():
        return "encrypted PDF: remove the password first (e.g. qpdf --decrypt in.pdf out.pdf)"
    detail = " ".join(str(e).split())[:120]  # the reason stays on one line
    return f"not a readable PDF ({name}: {detail}): is it damaged? Try repairing it (e.g. qpdf in.pdf out.pdf)"


def page_text(page) -> str:
    """The text of one page in reading order, with one text extraction over the page's chars.

    Columns found by find_columns are read one after another; rows that cross a gutter (a title over
    both columns) are read in place, so a page reads: title, left column, right column, footer.
    Within a block, headline-font rows are read apart (a wrapped headline as one line) and paragraph
    indents are kept (see _read), the layout evidence clean needs and plain text cannot carry.
    """
    chars = dedupe(page.chars)
    if not chars:
        return ""
    sizes = sorted(c["size"] for c in chars)
    body = sizes[len(sizes) // 2]
    gutters = find_columns(chars)
    groups = reading_order(chars, gutters) if gutters else [chars]
    return "\n".join(t for t in (_read(group, body) for group in groups) if t.strip())


def _read(chars: list[dict], body: float) -> str:
    """Text of one block: runs of rows in a headline font (larger than the body's) are read apart,
    and a headline wrapped over full-width lines is read as one line (无偿献血…工作稳步|推进)."""
    from pdfplumber.utils import extract_text

    rows = _level(_rows(chars))
    runs: list[list] = []  # [headline?, size, rows]
    for row in rows:
        size = max(set(c["size"] for c in row), key=[c["size"] for c in row].count)
        headline = size >= 1.15 * body
        if runs and runs[-1][0] == headline and (not headline or abs(runs[-1][1] - size) < 0.5):
            runs[-1][2].append(row)
        else:
            runs.append([headline, size, [row]])
    left = min(c["x0"] for c in chars)
    full = 0.8 * (max(c["x1"] for c in chars) - left)
    parts = []
    for headline, size, run_rows in runs:
        text = extract_text([c for row in run_rows for c in row])
        if (headline and 1 < len(run_rows) <= 3
                and all(max(c["x1"] for c in row) - left >= full for row in run_rows[:-1])
                and all(min(c["x0"] for c in row) <= left + 2 * size for row in run_rows[1:])):
            text = text.replace("\n", "")
        elif not headline:
            text = _join_wrapped_numbers(_mark_indents(text, run_rows, left, size), run_rows, size)
        if text.strip():
            parts.append(text)
    return "\n".join(parts)


def _join_wrapped_numbers(text: str, rows: list[list[dict]], size: float) -> str:
    """A number wrapped in a narrow column (`業務費89,91` over `2千元`) is read whole: a line that ends
    in a digit (or a digit's comma), as long as the line before it (the column is full: the break
    is the wrap's, not the writer's), over a line starting with a digit at the usual line spacing."""
    lines = text.split("\n")
    if len(lines) != len(rows) or len(lines) < 2:
        return text
    right = [max(c["x1"] for c in row) for row in rows]
    out = [lines[0]]
    for i in range(1, len(lines)):
        prev, line = lines[i - 1].rstrip(), lines[i].lstrip("\u3000 ")
        ref = right[i - 2] if i >= 2 else right[i] if i + 1 < len(rows) else None
        gap = min(c["top"] for c in rows[i]) - max(c["bottom"] for c in rows[i - 1])
        if (prev[-1:].isdigit() or prev[-2:-1].isdigit() and prev[-1:] in ",，") and line[:1].isdigit() \
                and ref is not None and right[i - 1] >= ref - 0.6 * size and gap <= size:
            out[-1] = out[-1].rstrip() + line
        else:
            out.append(lines[i])
    return "\n".join(out)


def _mark_indents(text: str, rows: list[list[dict]], left: float, size: float) -> str:
    """A paragraph's first line is set in by two characters; the text layer loses that, so it is
    written back as two ideographic spaces, which clean reads as a paragraph start."""
    lines = text.split("\n")
    if len(lines) != len(rows):  # rows and text lines do not pair up: leave the text alone
        return text
    for i, row in enumerate(rows):
        indent = min(c["x0"] for c in row) - left
        if 1.5 * size <= indent <= 2.6 * size:
            lines[i] = "\u3000\u3000" + lines[i]
    return "\n".join(lines)


def dedupe(chars: list[dict]) -> list[dict]:
    """Drop glyphs drawn twice at (nearly) the same place: fake bold prints each character twice, a
    point or less apart, which pdfplumber would read as 南南平平市市. Cheaper than page.dedupe_chars()."""
    seen = set()
    out = []
    for c in chars:
        x, y = int(c["x0"]), int(c["top"])
        text = c["text"]
        if any((text, x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        seen.add((text, x, y))
        out.append(c)
    return out


def _baseline(c: dict) -> float:
    """A glyph's baseline, measured from the page's top: fonts of one line share it where their tops
    differ (Times New Roman digits sit 4.8 pt below FangSong's top in one line of a Word export)."""
    m = c.get("matrix")
    if m and m[1] == 0 and m[2] == 0 and m[3] > 0 and "y1" in c:
        return c["top"] + (c["y1"] - m[5])
    return c["bottom"]


def _rows(chars: list[dict], tolerance: float = 0.25) -> list[list[dict]]:
    """Chars grouped into rows of text by their baseline (a row may hold a line of each column): a
    glyph joins the row when its baseline is within `tolerance` of its font size of the last one's."""
    rows: list[list[dict]] = []
    last = None
    for y, c in sorted(((_baseline(c), c) for c in chars), key=lambda t: t[0]):
        if last is None or y - last[0] > tolerance * max(min(c["size"], last[1]), 4.0):
            rows.append([])
        rows[-1].append(c)
        last = (y, c["size"])
    return rows


def _level(rows: list[list[dict]]) -> list[list[dict]]:
    """Rows whose glyph tops differ (fonts of one baseline) with one top each, so that pdfplumber's
    extract_text, which clusters lines by top, reads each row as one line."""
    out = []
    for row in rows:
        top = min(c["top"] for c in row)
        if max(c["top"] for c in row) - top > 1.5:
            row = [c if c["top"] == top else {**c, "top": top, "bottom": top + c["size"]} for c in row]
        out.append(row)
    return out


def find_columns(chars: list[dict], min_rows: int = 6) -> list[tuple[float, float]]:
    """Gutters of a multi-column page as (x_left, x_right) bands, [] for a single column.

    A gutter is a vertical band, at least about a character wide, that no text crosses on most rows,
    with justified running text on both sides: left-column lines end at the band, right-column lines
    start at it. Tables also have empty vertical bands, but their cells are ragged, so they stay one
    column (reading a table column by column would separate labels from their numbers).
    """
    import numpy as np

    rows = _rows(chars)
    if len(rows) < min_rows:
        return []
    x0 = np.array([c["x0"] for c in chars])
    x1 = np.array([c["x1"] for c in chars])
    left, right = float(x0.min()), float(x1.max())
    char_w = float(np.median(x1 - x0)) or 1.0
    # coverage[i]: how many glyphs cover the 1-pt slice at left + i (glyphs of one line do not overlap,
    # so this counts rows crossing the slice)
    n = int(right - left) + 2
    delta = np.zeros(n + 1, dtype=np.int32)
    np.add.at(delta, np.clip(np.round(x0 - left).astype(int), 0, n), 1)
    np.add.at(delta, np.clip(np.round(x1 - left).astype(int), 0, n), -1)
    coverage = np.cumsum(delta)[:n]
    empty = coverage <= max(1, len(rows) // 8)
    lo, hi = int(0.15 * n), int(0.85 * n)  # a gutter is not at the page's edge
    bands = []
    i = lo
    while i < hi:
        if not empty[i]:
            i += 1
            continue
        j = i
        while j < hi and empty[j]:
            j += 1
        if j - i >= max(4.0, 0.8 * char_w):
            bands.append((left + i, left + j))
        i = j
    if not bands:
        return []
    if _all_running_text(rows, bands, left, right, min_rows):
        return bands
    for band in bands:  # e.g. a table's empty band beside a real gutter
        if _all_running_text(rows, [band], left, right, min_rows):
            return [band]
    for band in bands:
        if _sidebar(rows, band, left, right, min_rows):
            return [band]
    return []


def _sidebar(rows, band, left: float, right: float, min_rows: int) -> bool:
    """A sidebar beside running text (a research report's analyst, price and related-reports column):
    one side of the band holds running text, the other is narrower (under 45% of the page's text
    width) and holds words (a sidebar may also hold a chart's labels), so it is read apart rather than
    spliced into the sentences it sits beside."""
    g0, g1 = band
    sides = ((left, g0), (g1, right))
    for (w0, w1), (n0, n1) in (sides, sides[::-1]):
        if n1 - n0 > 0.45 * (right - left) or not _all_running_text(rows, [], w0, w1, min_rows):
            continue
        inside = [c for row in rows for c in row if c["x0"] >= n0 - 0.5 and c["x1"] <= n1 + 0.5]
        if len(inside) >= 4 * min_rows and sum(c["text"].isalpha() for c in inside) >= 0.4 * len(inside):
            return True
    return False


def _all_running_text(rows, bands, left: float, right: float, min_rows: int) -> bool:
    """Each column between the bands holds running text: at least min_rows lines, most of them
    filling the column's width (justified print). Table cells are short and ragged, so a table's
    empty bands fail here and the table stays one column (reading it column by column would
    separate labels from their numbers)."""
    edges = [left] + [x for band in bands for x in band] + [right]
    for x0, x1 in zip(edges[::2], edges[1::2]):
        width = x1 - x0
        lines = full = letters = glyphs = 0
        for row in rows:
            inside = [c for c in row if c["x0"] >= x0 - 0.5 and c["x1"] <= x1 + 0.5]
            if len(inside) < 4:
                continue
            lines += 1
            full += max(c["x1"] for c in inside) - min(c["x0"] for c in inside) >= 0.75 * width
            glyphs += len(inside)
            letters += sum(c["text"].isalpha() for c in inside)  # Han chars are alphabetic
        # mostly words, not figures: a column of numbers is a table's
        if lines < min_rows or full < 0.5 * lines or letters < 0.5 * glyphs:
            return False
    return True


def reading_order(chars: list[dict], gutters: list[tuple[float, float]]) -> list[list[dict]]:
    """Groups of chars in reading order: runs of rows that cross a gutter stay whole (titles,
    footers); each run of column rows is split at the gutters and read column by column."""
    cuts = [(g0 + g1) / 2 for g0, g1 in gutters]
    groups: list[list[dict]] = []
    spanning: list[dict] | None = None
    columns: list[list[dict]] | None = None
    for row in _rows(chars):
        if any(_spans(row, g) for g in gutters):
            if columns is not None:
                groups.extend(columns)
                columns = None
            if spanning is None:
                spanning = []
                groups.append(spanning)
            spanning.extend(row)
        else:
            spanning = None
            if columns is None:
                columns = [[] for _ in range(len(cuts) + 1)]
            for c in row:
                columns[bisect_right(cuts, (c["x0"] + c["x1"]) / 2)].append(c)
    if columns is not None:
        groups.extend(columns)
    return [g for g in groups if g]


def _spans(row: list[dict], gutter: tuple[float, float]) -> bool:
    """A row runs across the gutter (a title, a footer) rather than holding one line per column: a
    glyph sits in the middle half of the gutter band (the band's edges may hold hanging punctuation)."""
    g0, g1 = gutter
    quarter = (g1 - g0) / 4
    return any(g0 + quarter < (c["x0"] + c["x1"]) / 2 < g1 - quarter for c in row)
