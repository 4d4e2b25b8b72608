"""A table's cells to figure records: every value cell is a figure whose metric is its row label and column
header, its unit and scale from the column header or the caption, its year from a year column, a year
row label, the caption or the document. Codes, serial numbers, year headers and empty markers are not
figures."""
from __future__ import annotations

import re
from decimal import Decimal

from ..text.numerals import parse_arabic, plain
from .find import CJK, NUMBER, YEAR, Grid
from .units import TableRules, Unit, squash, squash_cjk, table_rules

MONEY = Unit("元", "money", 1)
_OWN_UNIT = re.compile(r"^([-−－–]?[\d,]+(?:\.\d+)?)\s*([%％]|[\u4e00-\u9fff]{1,3})$")


def _number(cell: str) -> tuple[Decimal, bool] | None:
    """'1,234.50' -> (1234.50, False); '-4,000' and '(4,000)' -> (4000, True): the sign apart."""
    s = cell.strip().rstrip("%％")
    neg = s[:1] in "-−－–" or (s[:1] in "(（" and s[-1:] in ")）")
    s = s.strip("-−－–()（）")
    try:
        return parse_arabic(s), neg
    except Exception:
        return None


class TableReader:
    """Reads the figures of the tables found on a page; holds the compiled rules."""

    def __init__(self, rules: TableRules | None = None):
        self.rules = rules or table_rules()

    def column_roles(self, g: Grid) -> list[str]:
        """'label', 'code' or 'value' for each column."""
        r = self.rules
        roles = []
        for j, _ in enumerate(g.columns):
            cells = [row.cells[j] for row in g.rows if not r.is_empty(row.cells[j])]
            text = sum(1 for c in cells if CJK.search(c) and not NUMBER.match(c.strip()))
            numeric = [c for c in cells if NUMBER.match(c.strip()) or r.is_code_cell(c)]
            if text > len(numeric):  # a column of words is a label column whatever its header (项目)
                roles.append("label")
            elif r.is_code_header(g.header[j]) or (numeric and all(r.is_code_cell(c) for c in numeric)):
                roles.append("code")
            else:
                roles.append("value")
        # a column of plain integers just left of a label column, with no header of its own, is a code
        for j, role in enumerate(roles):
            if role == "value" and not g.header[j] and j + 1 < len(roles) and roles[j + 1] == "label":
                cells = [row.cells[j].strip() for row in g.rows if not r.is_empty(row.cells[j])]
                if cells and all(re.fullmatch(r"\d+", c) for c in cells):
                    roles[j] = "code"
        return roles

    def figures(self, g: Grid, doc_year: int | None = None) -> list[dict]:
        r = self.rules
        roles = self.column_roles(g)
        table_unit = r.unit_of(g.caption) or next(
            (u for j, h in enumerate(g.header) if roles[j] != "value" for u in [r.unit_of(" ".join(h))] if u), None)
        table_year, _ = r.year_of(g.caption, doc_year)
        base_year = table_year or doc_year
        col = []
        for j, cells in enumerate(g.header):
            head = " ".join(squash_cjk(c) for c in cells)
            year, target = r.year_of(head, base_year)
            col.append((head, r.header_unit(head), year, target, r.is_change(head)))
        out = []
        for i, row in enumerate(g.rows):
            row_labels = [(j, r.clean_label(row.cells[j])) for j in range(len(g.columns))
                          if roles[j] == "label" and not r.is_empty(row.cells[j])]
            for j, cell in enumerate(row.cells):
                if roles[j] != "value" or r.is_empty(cell) or r.is_code_cell(cell):
                    continue
                rec = self._cell(cell, col[j], table_unit)
                if rec is None:
                    continue
                left = [lab for k, lab in row_labels if k < j]
                label = left[-1] if left else ""
                year = col[j][2]
                if year is None and YEAR.match(squash(label)):
                    year, _ = r.year_of(label, base_year)
                head = col[j][0]
                rec.update({
                    "type": "figure", "region": None,
                    "year": year if year is not None else base_year,
                    "metric": " ".join(x for x in (label, head) if x) or None,
                    "status": "target" if col[j][3] else None,
                    "page": g.page, "table": g.index, "row": i, "column": j,
                    "row_label": label, "row_indent": _indent(row, roles, j),
                    "column_header": head, "context": f"{label} | {head}",
                })
                out.append(rec)
        return out

    def _cell(self, cell: str, column, table_unit: Unit | None) -> dict | None:
        head, head_unit, _, _, change = column
        text = cell.strip()
        own = None
        if not NUMBER.match(text):
            m = _OWN_UNIT.match(squash(text))
            if not m:
                return None
            own = self.rules._unit(m.group(2))
            if own is None:
                return None
        if YEAR.match(text) and own is None:
            return None
        parsed = _number(text)
        if parsed is None:
            return None
        value, negative = parsed
        unit = own or (Unit("%", "percent") if text.endswith(("%", "％")) else None) or head_unit or table_unit or MONEY
        direction = None
        if change and value:
            direction = "down" if negative else "up"
        elif negative:
            value = -value
        return {"surface": text, "value": plain(value * unit.scale), "value_max": None, "unit": unit.unit,
                "kind": unit.kind, "approx": None, "per": None, "cumulative": False,
                "direction": direction, "period": None}


def _indent(row, roles, j) -> float | None:
    """Indentation (pt) of the row's label nearest left of column j: sub-items sit further right."""
    for k in range(j - 1, -1, -1):
        if roles[k] == "label" and row.indent[k] is not None:
            return round(row.indent[k], 1)
    return None
