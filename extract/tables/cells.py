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
        self.last: Grid | None = None  # the document's previous table: a table split over pages goes on

    def _continued(self, g: Grid) -> Grid:
        """A headless table first on its page with the column edges of the previous page's last table
        continues it: it takes that table's header and caption (unit, year)."""
        prev, self.last = self.last, g
        if prev is not None and prev.page == g.page and self.rules.unit_of(g.caption) is None:
            g.caption = g.caption + "\n" + prev.caption  # one `单位` line over the tables of a page
        if prev is None or any(g.header) or g.index != 0 or prev.page != g.page - 1:
            return g
        # the same column edges (a merged label cell over code columns ends where the label column ends)
        heads = []
        for a, b in g.columns:
            match = [k for k, (pa, pb) in enumerate(prev.columns) if abs(pb - b) <= 3 and pa >= a - 3]
            if not match:
                return g
            heads.append(list(prev.header[match[0]]))
        g.header = heads
        g.caption = g.caption + "\n" + prev.caption if g.caption else prev.caption
        return g

    def column_roles(self, g: Grid) -> list[str]:
        """'label', 'code' or 'value' for each column."""
        r = self.rules
        roles = []
        for j, _ in enumerate(g.columns):
            cells = [row.cells[j] for row in g.rows if not r.is_empty(row.cells[j])]
            text = sum(1 for c in cells if CJK.search(c) and not NUMBER.match(c.strip()))
            numeric = [c for c in cells if NUMBER.match(c.strip()) or r.is_code_cell(c)]
            # a column of words is a label column whatever its header (项目, 名稱及編號 with codes between)
            if text and text >= 0.3 * len(cells):
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

    def _column(self, cells: list[str], base_year: int | None) -> tuple:
        """(header words, own unit, year, is target, is change) of a column headed by these cells."""
        r = self.rules
        head = " ".join(squash_cjk(c) for c in cells)
        year, target = r.year_of(head, base_year)
        return head, r.header_unit(head), year, target, r.is_change(head)

    def figures(self, g: Grid, doc_year: int | None = None, siblings: list[Grid] = ()) -> list[dict]:
        """The figures of table g; siblings are the other tables of its page (a wide table printed in two
        parts side by side takes its row labels from the part on the left)."""
        r = self.rules
        g = self._continued(g)
        roles = self.column_roles(g)
        labels = [j for j, role in enumerate(roles) if role == "label"]
        beside = None if labels else self._beside(g, siblings)
        # each value column belongs to the block of the nearest label column on its left (side-by-side tables)
        block = [max((k for k in labels if k < j), default=None) for j in range(len(roles))]
        table_year, _ = r.year_of(g.caption, doc_year)
        base_year = table_year or doc_year
        texts = [g.caption] + [c for h in g.header for c in h]
        table_unit = r.unit_of(g.caption) or r.implied_unit(texts)
        block_unit = {k: r.unit_of(" ".join(g.header[k])) for k in labels}
        col = [self._column(cells, base_year) for cells in g.header]
        blocks: dict[int | None, list[int]] = {}
        for j, role in enumerate(roles):
            if role == "value":
                blocks.setdefault(block[j], []).append(j)
        out = []
        for i, row in enumerate(g.rows):
            cells = [None if roles[j] != "value" or r.is_empty(c) or r.is_code_cell(c) else self._cell(c, col[j])
                     for j, c in enumerate(row.cells)]
            for b, members in blocks.items():
                if not any(cells[j] for j in members):
                    self._subheader(row, b, members, col, block_unit, base_year)
            row_labels = [(j, r.clean_label(row.cells[j])) for j in labels
                          if not r.is_empty(row.cells[j]) and not NUMBER.match(row.cells[j].strip())]
            for j, rec in enumerate(cells):
                if rec is None:
                    continue
                left = [lab for k, lab in row_labels if k < j]
                label = left[-1] if left else (beside(row) if beside else "")
                head, head_unit, year, target, change = col[j]
                unit = rec.pop("own") or r.unit_of(label) or head_unit or block_unit.get(block[j]) or table_unit
                value, negative = rec.pop("number")
                if year is None and YEAR.match(squash(label)):
                    year, _ = r.year_of(label, base_year)
                rec.update({
                    "type": "figure", "value": plain(value * (unit.scale if unit else 1)),
                    "unit": unit.unit if unit else None, "kind": unit.kind if unit else "other",
                    "direction": ("down" if negative else "up") if change and value else None,
                    "region": None, "year": year if year is not None else base_year,
                    "metric": " ".join(x for x in (label, head) if x) or None,
                    "status": "target" if target else None,
                    "page": g.page, "table": g.index, "row": i, "column": j,
                    "row_label": label, "row_indent": _indent(row, roles, j),
                    "column_header": head, "context": f"{label} | {head}",
                })
                if negative and not change:
                    rec["value"] = -rec["value"]
                out.append(rec)
        return out

    def _beside(self, g: Grid, siblings):
        """row -> the label of the row at the same height in the labelled table left of g, if there is one."""
        left = [s for s in siblings if s is not g and s.bbox[2] <= g.bbox[0] + 1
                and s.bbox[1] < g.bbox[3] and s.bbox[3] > g.bbox[1]]
        if not left:
            return None
        other = max(left, key=lambda s: s.bbox[2])
        roles = self.column_roles(other)
        labels = [j for j, role in enumerate(roles) if role == "label"]

        def label(row) -> str:
            mid = (row.top + row.bottom) / 2
            for o in other.rows:
                if o.top - 1 <= mid <= o.bottom + 1:
                    found = [o.cells[j] for j in labels if CJK.search(o.cells[j])]
                    return self.rules.clean_label(found[-1]) if found else ""
            return ""
        return label

    def _subheader(self, row, label_col, members, col, block_unit, base_year) -> None:
        """A row of one block without figures: short words or years over its value columns head them from
        here on (stacked tables, `2021 2022E` rows); a section label (`每股指标(元)`) gives its unit, or
        none, to the rows below it in its block."""
        r = self.rules
        heads = [row.cells[j] for j in members if not r.is_empty(row.cells[j])]
        if heads and all(len(h) <= 16 and not r.is_prose(h) for h in heads):
            for j in members:
                c = row.cells[j]
                col[j] = self._column([] if r.is_empty(c) else [c], base_year)
        if label_col is not None and not r.is_empty(row.cells[label_col]) and CJK.search(row.cells[label_col]):
            block_unit[label_col] = r.unit_of(row.cells[label_col])

    def _cell(self, cell: str, column) -> dict | None:
        """The surface, number and own unit of a value cell, None for a cell that is no figure."""
        text = number = cell.strip()
        own = None
        if not NUMBER.match(text):  # a cell with its own unit: `35.3%`, `12,345千元`
            m = _OWN_UNIT.match(squash(text))
            if not m or (own := self.rules._unit(m.group(2))) is None:
                return None
            number = m.group(1)
        elif text.endswith(("%", "％")):
            own = Unit("%", "percent")
        if YEAR.match(text):
            return None
        parsed = _number(number)
        if parsed is None:
            return None
        # the keys of the pipeline's figure records (pipeline.to_jsonl_records reads them), filled for a cell
        return {"surface": text, "number": parsed, "own": own, "value_max": None, "approx": None, "per": None,
                "cumulative": False, "period": None, "optional": False, "region_code": None, "category": None,
                "article": None, "sentence": None, "sentence_text": None, "start": None, "end": None,
                "source": "table"}


def _indent(row, roles, j) -> float | None:
    """Indentation (pt) of the row's label nearest left of column j: sub-items sit further right."""
    for k in range(j - 1, -1, -1):
        if roles[k] == "label" and row.indent[k] is not None:
            return round(row.indent[k], 1)
    return None
