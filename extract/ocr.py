"""OCR for PDF pages without a text layer (issue 15), with the optional extra `zhmine[ocr]`
(rapidocr-onnxruntime: its wheel carries the Chinese PP-OCR models, so it runs offline).

An OCR'd page keeps its layout: each recognized line box becomes glyphs (char dicts as pdfplumber
gives them, spread over the box by their width: a Han character is one em, a digit or Latin letter
half of one) on an OcrPage, which the prose reader (ingest.page_text) and the table finder
(zhmine.tables) read like any pdfplumber page.

The mode (`--ocr` of zhmine run/extract, or the ZHMINE_OCR environment variable that carries it to
batch workers): "auto" reads the pages without text with OCR where the extra is installed, "never"
leaves them empty, "always" reads every page with OCR (a text layer of garbage).
"""
from __future__ import annotations

import os
import unicodedata
from functools import lru_cache

MODES = ("auto", "never", "always")
DPI = 200  # page images for OCR: PP-OCR reads 10-pt print at this resolution
INSTALL_HINT = "install the OCR extra (pip install 'zhmine[ocr]') to read scanned pages, or run OCR first (e.g. ocrmypdf)"


def mode(value: str | None = None) -> str:
    m = (value or os.environ.get("ZHMINE_OCR") or "auto").lower()
    if m not in MODES:
        raise ValueError(f"--ocr must be one of {', '.join(MODES)}, not {m!r}")
    return m


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # not installed, or its native parts fail to load
        return False
    return True


@lru_cache(maxsize=1)
def engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _em(ch: str) -> float:
    """A glyph's width in ems: full-width (Han, full-width punctuation) 1, the rest half."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5


def line_chars(text: str, x0: float, top: float, x1: float, bottom: float) -> list[dict]:
    """The glyphs of one recognized line spread over its box (in points)."""
    ems = sum(_em(ch) for ch in text) or 1.0
    em = (x1 - x0) / ems
    size = max(4.0, min(em, bottom - top)) if any(_em(ch) == 1.0 for ch in text) else max(4.0, 0.8 * (bottom - top))
    mid = (top + bottom) / 2
    g_top, g_bottom = mid - size / 2, mid + size / 2
    out, x = [], x0
    for ch in text:
        w = _em(ch) * em
        if not ch.isspace():
            out.append({"text": ch, "x0": x, "x1": x + w, "top": g_top, "bottom": g_bottom, "size": size,
                        "fontname": "OCR", "upright": True, "object_type": "char", "width": w,
                        "height": size, "doctop": g_top})
        x += w
    return out


class OcrPage:
    """What ingest and the table finder read of a pdfplumber page, made from OCR line boxes."""

    def __init__(self, page_number: int, width: float, height: float, chars: list[dict]):
        self.page_number, self.width, self.height = page_number, width, height
        self.bbox = (0, 0, width, height)
        self.chars = chars
        self.edges: list = []
        self.lines: list = []
        self.rects: list = []
        self.images: list = []

    def extract_words(self, x_tolerance: float = 3, y_tolerance: float = 3, **kw) -> list[dict]:
        from pdfplumber.utils import extract_words

        return extract_words(self.chars, x_tolerance=x_tolerance, y_tolerance=y_tolerance, **kw)

    def extract_text(self, **kw) -> str:
        from pdfplumber.utils import extract_text

        return extract_text(self.chars, **kw)

    def find_tables(self, *a, **kw) -> list:
        return []  # no ruling lines: tables are found by the alignment of their text

    def filter(self, keep) -> "OcrPage":
        return OcrPage(self.page_number, self.width, self.height, [c for c in self.chars if keep(c)])

    def close(self) -> None:
        pass


def ocr_page(page, dpi: int = DPI) -> OcrPage:
    """A pdfplumber page read by OCR: its image at `dpi`, the recognized lines as glyphs in points."""
    import numpy as np

    image = page.to_image(resolution=dpi).original.convert("RGB")
    result, _ = engine()(np.asarray(image)[:, :, ::-1])  # RapidOCR takes OpenCV's BGR
    scale = 72.0 / dpi
    chars: list[dict] = []
    for box, text, score in result or []:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        chars += line_chars(str(text).strip(), min(xs) * scale, min(ys) * scale, max(xs) * scale, max(ys) * scale)
    return OcrPage(page.page_number, float(page.width), float(page.height), chars)
