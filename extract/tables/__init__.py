"""Tables in PDFs as first-class input (issue 15): find them on each page, read each value cell as a
figure with its provenance (page, table, row, column).

    from zhmine.tables import table_figures, table_bboxes
    figures = table_figures("budget.pdf")          # or an open pdfplumber.PDF
    boxes = table_bboxes(pdf)                      # {page number: [bbox, ...]} to keep out of the prose

Region is left None: the caller gives each figure the document's region.

HOOK (for ingest and the pipeline): while reading the pages of a PDF, per document
    reader, year = TableReader(), TitleYear(pdf)
and per page, before the prose is read,
    grids, figs = page_tables(page, number, year, reader)
    text = page_text(without_tables(page, grids))
    year.close(page, number)                       # instead of page.close()
then give each figure of figs the document's region (and a year where it has none).
"""
from __future__ import annotations

from typing import Callable

import regex

from .cells import TableReader
from .find import Grid, find_tables
from .units import table_rules

__all__ = ["table_figures", "table_bboxes", "page_tables", "without_tables", "document_year", "TitleYear", "find_tables", "Grid",
           "TableReader"]

# `2024年度`, `中華民國114年度`, `114 年度`, or a year on a title line of its own (`年度部门决算` over `2024`)
_TITLE_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年|^\s*((?:19|20)\d{2})\s*$"
                            r"|(?:民國|民国)\s*(\d{2,3})\s*年|(?<!\d)(\d{3})\s*年度", regex.M)


def _open(pdf_or_path):
    import pdfplumber

    if hasattr(pdf_or_path, "pages"):
        return pdf_or_path, False
    return pdfplumber.open(pdf_or_path), True


def document_year(pdf, pages: int = 3) -> int | None:
    """The year a document's title gives (`2024年度部门决算`, `中華民國114年度`), from its first pages."""
    for page in pdf.pages[:pages]:
        m = _TITLE_YEAR.search(page.extract_text() or "")
        if m:
            if m.group(1) or m.group(2):
                return int(m.group(1) or m.group(2))
            return int(m.group(3) or m.group(4)) + table_rules().roc_offset
    return None


class TitleYear:
    """A document's title year (document_year), worked out the first time it is asked for: when a page
    yields a table. A PDF without tables never pays extract_text() on its first pages. Until then the
    walker hands its pages to close() rather than closing them: the first pages stay parsed, so a table
    on page 9 does not parse pages 1-3 a second time (pdf.close() closes the pages still held). A title
    that cannot be read gives no year, as before: the tables are still read."""

    def __init__(self, pdf, pages: int = 3):
        self.pdf, self.pages = pdf, pages
        self._held: list = []
        self._done, self._year = False, None

    def __call__(self) -> int | None:
        if not self._done:
            self._done = True
            try:
                self._year = document_year(self.pdf, self.pages)
            except Exception:
                self._year = None
            for page in self._held:
                page.close()
            self._held = []
        return self._year

    def close(self, page, number: int) -> None:
        """Close a page the walker is done with, unless the title year may still need its text."""
        if not self._done and number <= self.pages:
            self._held.append(page)
        else:
            page.close()


def page_tables(page, page_no: int, doc_year: int | None | Callable[[], int | None] = None,
                reader: TableReader | None = None) -> tuple[list[Grid], list[dict]]:
    """The tables of one pdfplumber page and the figures of their cells (for a caller that walks the pages
    itself, as ingest does). doc_year may be a TitleYear: it is asked only when the page has a table."""
    reader = reader or TableReader()
    grids = find_tables(page, page_no)
    if grids and callable(doc_year):
        doc_year = doc_year()
    return grids, [f for g in grids for f in reader.figures(g, doc_year, grids)]


def without_tables(page, grids: list[Grid]):
    """The page without the objects inside its tables, for the prose reader (ingest.page_text reads it
    like a page): table cells are read as figures here, not as lines of running text. Columns of notes
    (`說明`, sentences with their own figures) stay for the prose reader."""
    if not grids:
        return page

    def outside(obj) -> bool:
        if "x0" not in obj or "top" not in obj:
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        for g in grids:
            x0, top, x1, bottom = g.bbox
            if x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1:
                return any(a <= x <= b for a, b in g.notes)  # a column of notes is prose
        return True
    return page.filter(outside)


def table_figures(pdf_or_path, doc_year: int | None = None) -> list[dict]:
    """Every value cell of every table of a PDF as a figure record (FORMAT.md keys plus table, row,
    column, row_label, column_header); doc_year defaults to the year of the document's title."""
    pdf, close = _open(pdf_or_path)
    try:
        year = doc_year if doc_year is not None else TitleYear(pdf)
        reader = TableReader()
        out: list[dict] = []
        for n, page in enumerate(pdf.pages, 1):
            out += page_tables(page, n, year, reader)[1]
        return out
    finally:
        if close:
            pdf.close()


def table_bboxes(pdf_or_path) -> dict[int, list[tuple[float, float, float, float]]]:
    """{page number (1-based): [table bbox (x0, top, x1, bottom), ...]} for the pages that have tables."""
    pdf, close = _open(pdf_or_path)
    try:
        out = {}
        for n, page in enumerate(pdf.pages, 1):
            boxes = [g.bbox for g in find_tables(page, n)]
            if boxes:
                out[n] = boxes
        return out
    finally:
        if close:
            pdf.close()
