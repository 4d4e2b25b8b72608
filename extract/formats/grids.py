"""Tables of HTML, Word and spreadsheet files read by the PDF table reader (zhmine.tables).

A table arrives as rows of cell texts; it becomes a tables.Grid (title rows above it as the caption,
where `单位：万元` and the table's year are read; leading rows without values as the header) and
TableReader.figures reads each value cell as a figure record with its provenance (page or sheet,
table, row, column).
"""
from __future__ import annotations

import regex

_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_VALUE = regex.compile(r"^[-−－–(（]?[\d,]+(?:\.\d+)?[)）]?\s*[%％]?$")
_YEAR_CELL = regex.compile(r"^(?:19|20)\d{2}(?:年度?)?$")


def _clean(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def _is_value(cell: str) -> bool:
    return bool(_VALUE.match(cell)) and not _YEAR_CELL.match(cell)


def to_grid(rows: list[list], page: int, index: int, caption: str = ""):
    """A Grid of rows of cells, or None for a table with no value cell (a layout table)."""
    from ..tables.find import Grid, Row

    rows = [[_clean(c) for c in row] for row in rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = [caption] if caption else []
    # title rows: one filled cell in a row of a wider table (`2023年救助情况表`, `单位：万元`)
    while rows and width > 1 and sum(1 for c in rows[0] if c) == 1 and not any(_is_value(c) for c in rows[0]):
        lines.append(next(c for c in rows[0] if c))
        rows.pop(0)
    header_rows = []
    while rows and not any(_is_value(c) for c in rows[0][1:]) and len(header_rows) < 3:
        header_rows.append(rows.pop(0))
    if not rows or not any(_is_value(c) for r in rows for c in r):
        return None
    # a header cell merged over several columns is repeated in each (forward fill on the upper rows)
    for h in header_rows[:-1]:
        for j in range(1, width):
            if not h[j]:
                h[j] = h[j - 1]
    header = [[h[j] for h in header_rows if h[j]] for j in range(width)]
    # no indentation is measured in these formats (a PDF's is in points)
    body = [Row(cells=r, top=float(i), bottom=float(i + 1), indent=[None] * width) for i, r in enumerate(rows)]
    return Grid(page=page, index=index, bbox=(0.0, 0.0, float(width), float(len(rows))),
                columns=[(float(j), float(j + 1)) for j in range(width)], header=header, rows=body,
                caption="\n".join(lines), ruled=True)


def year_of(text: str) -> int | None:
    m = _YEAR.search(text or "")
    return int(m.group(1)) if m else None


class Tables:
    """Collects the figures of a document's tables, one reader per document."""

    def __init__(self, doc_year: int | None = None):
        from ..tables import TableReader

        self.reader = TableReader()
        self.doc_year = doc_year
        self.figures: list[dict] = []
        self.count = 0

    def add(self, rows: list[list], page: int = 1, caption: str = "", **provenance) -> bool:
        grid = to_grid(rows, page, self.count, caption)
        if grid is None:
            return False
        self.count += 1
        self.reader.last = None  # tables of these formats are whole: none continues another
        for f in self.reader.figures(grid, self.doc_year):
            f.update(provenance)
            self.figures.append(f)
        return True
