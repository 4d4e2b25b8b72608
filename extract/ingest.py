"""Stage 1, ingest: a file on disk -> Source (text, page map, encoding, metadata).

Plain text may come in any encoding Chinese archives use; PDF text comes from pdfplumber's text layer.
Every failure is an IngestError that names the file and says what to do, so a batch can record it
and go on.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".text", ".md"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES
MAX_BYTES = 200 * 1024 * 1024  # refuse files past this size (a clear error beats running out of memory)
MAX_PAGES = 2000


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


@dataclass
class Source:
    path: Path
    text: str
    encoding: str  # "utf-8", "gb18030", "big5", "utf-16", or "pdf"
    kind: str  # "txt" | "pdf"
    sha256: str
    pages: list[Page] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)  # PDF metadata (CreationDate, Title, ...)
    warnings: list[str] = field(default_factory=list)  # e.g. "page 3 has no text layer (scanned?)"

    @property
    def name(self) -> str:
        return self.path.name

    def page_at(self, offset: int) -> int | None:
        """1-based page number holding character `offset` of text (None for plain text)."""
        if not self.pages:
            return None
        starts = [p.start for p in self.pages]
        i = max(0, bisect_right(starts, offset) - 1)
        return self.pages[i].number


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read(path, max_bytes: int = MAX_BYTES) -> Source:
    path = Path(path)
    if not path.exists():
        raise IngestError(path, "no such file")
    if path.is_dir():
        raise IngestError(path, "is a folder, not a file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path, "empty file (0 bytes): nothing to extract")
    if size > max_bytes:
        raise IngestError(path, f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit: split it or raise --max-mb")
    if path.suffix.lower() in PDF_SUFFIXES:
        return read_pdf(path)
    return read_text(path)


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name). BOMs first, then charset-normalizer's detection."""
    from charset_normalizer import from_bytes

    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc.replace("-sig", "")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 4:
        # UTF-16 without BOM, or binary
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, "utf-16"
        raise ValueError("binary data (NUL bytes), not text")
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
    if best is None:
        raise ValueError("undecodable: not UTF-8, GB18030, Big5 or UTF-16 text")
    enc = best.encoding.replace("_", "-")
    return str(best), {"gb2312": "gb18030", "gbk": "gb18030"}.get(enc, enc)


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text[:4000] if (ord(ch) < 32 and ch not in "\r\n\t\f") or 0xD800 <= ord(ch) <= 0xDFFF)
    return bad / min(len(text), 4000) < 0.01


def read_text(path: Path) -> Source:
    data = path.read_bytes()
    try:
        text, encoding = decode(data)
    except ValueError as e:
        raise IngestError(path, f"{e}: is it really a text file?") from None
    if not _looks_like_text(text):
        raise IngestError(path, "binary data, not text: is it really a text file?")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(path, "no text in the file (only white space)")
    return Source(path=path, text=text, encoding=encoding, kind="txt", sha256=hashlib.sha256(data).hexdigest())


def read_pdf(path: Path, max_pages: int = MAX_PAGES) -> Source:
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfminer raises many kinds
        raise IngestError(path, f"not a readable PDF ({type(e).__name__}: {e}); is it damaged or encrypted?") from None
    parts, pages, warnings, pos = [], [], [], 0
    with pdf:
        if len(pdf.pages) > max_pages:
            raise IngestError(path, f"{len(pdf.pages)} pages, over the {max_pages}-page limit")
        for number, page in enumerate(pdf.pages, 1):
            try:
                text = page.extract_text() or ""
            except Exception as e:
                raise IngestError(path, f"page {number} cannot be read ({type(e).__name__}: {e})") from None
            has_text = bool(text.strip())
            if not has_text:
                warnings.append(f"page {number} has no text layer (scanned page?)")
            pages.append(Page(number, pos, pos + len(text), has_text))
            parts.append(text)
            pos += len(text)
            parts.append("\n\f")
            pos += 2
        metadata = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
    if not any(p.has_text for p in pages):
        raise IngestError(path, "no text layer on any page (a scanned PDF): run OCR first, e.g. ocrmypdf")
    return Source(path=path, text="".join(parts), encoding="pdf", kind="pdf", sha256=sha256_of(path),
                  pages=pages, metadata=metadata, warnings=warnings)
