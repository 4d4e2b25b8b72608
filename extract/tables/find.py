"""Find the tables of a pdfplumber page and read them into a grid: columns, header rows, body rows.

Two kinds of tables are read the same way once their region is known:
- ruled tables (most budgets): the region is a group of ruling lines (pdfplumber's line finder, widened
  to the full length of its horizontal rules, since many tables leave their outer sides open); columns
  are cut at the vertical rules; a band between two horizontal rules is one row, unless several of its
  text lines carry numbers (a body left unruled), then each text line is a row;
- unruled tables: a run of text lines laid out in columns with numbers standing alone; columns are the
  gaps that no body word crosses.
Header rows are the rows above the first row with a figure; a header word belongs to every column
between the rules that enclose it (a spanning header `预算数` over 合计/基本支出/项目支出).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .units import table_rules

NUMBER = re.compile(r"^[-−－–(（]?\d{1,3}(?:,\d{3})+(?:\.\d+)?[)）]?%?$|^[-−－–(（]?\d+(?:\.\d+)?[)）]?[%％]?$")
# a year standing alone in a header (2020, 2022E, 2024年): not a figure and not the start of the body
YEAR = re.compile(r"^(?:19|20)\d{2}(?:[A-Za-z]|年度?)?$")
CJK = re.compile(r"[\u3400-\u9fff]")
DIGIT = re.compile(r"\d")  # NUMBER's digits: a page without one has no value cell
SNAP = 2.0  # rules closer than this (pt) are one rule
DATE_WORDS = "年月日"


@dataclass
class Row:
    cells: list[str]
    top: float
    bottom: float
    indent: list[float | None] = field(default_factory=list)  # pt from the column's left edge


@dataclass
class Grid:
    page: int          # 1-based
    index: int         # order on the page
    bbox: tuple[float, float, float, float]
    columns: list[tuple[float, float]]
    header: list[list[str]]   # per column: its header cells, top level first
    rows: list[Row]
    caption: str       # the text lines just above the table (title, `单位：万元`)
    ruled: bool
    notes: list[tuple[float, float]] = field(default_factory=list)  # x-ranges of columns of prose (說明)


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words into text lines: a word joins a line its vertical middle falls in (rows of mixed fonts on one
    baseline stay one line whatever their sizes)."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"] + w["bottom"]) / 2):
        mid = (w["top"] + w["bottom"]) / 2
        if lines:
            last = lines[-1]
            top = min(x["top"] for x in last)
            bottom = max(x["bottom"] for x in last)
            if top <= mid <= bottom:
                last.append(w)
                continue
        lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _is_value_word(text: str) -> bool:
    return bool(NUMBER.match(text)) and not YEAR.match(text)


def _has_value(line: list[dict]) -> bool:
    """A number standing alone in the line, not one that a date word follows (`中華民國 113 年度`)."""
    return any(_is_value_word(w["text"]) and not (k + 1 < len(line) and line[k + 1]["text"][:1] in DATE_WORDS
                                                  and line[k + 1]["x0"] - w["x1"] < w["bottom"] - w["top"])
               for k, w in enumerate(line))


def _snap(xs: list[float]) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if out and x - out[-1] <= SNAP:
            continue
        out.append(x)
    return out


def _widen(bbox, hedges):
    """Stretch a ruled region to the ends of the horizontal rules inside it (open outer sides)."""
    x0, top, x1, bottom = bbox
    for e in hedges:
        if top - 1 <= e["top"] <= bottom + 1 and e["x0"] <= x1 + 1 and e["x1"] >= x0 - 1:
            x0, x1 = min(x0, e["x0"]), max(x1, e["x1"])
    return (x0, top, x1, bottom)


def _tabular(line: list[dict]) -> bool:
    """A line laid out in cells: a number standing alone, apart from the other words by a wide gap."""
    if len(line) < 2 or not _has_value(line):
        return False
    size = max(w["bottom"] - w["top"] for w in line)
    return any(b["x0"] - a["x1"] > 1.5 * size for a, b in zip(line, line[1:]))


def _text_regions(lines: list[list[dict]], taken: list[tuple]) -> list[tuple]:
    """Runs of at least three tabular lines (a single other line may sit between, a wrapped label)."""
    regions, run, gap = [], [], 0
    for line in lines + [[]]:
        mid = (line[0]["top"] + line[0]["bottom"]) / 2 if line else None
        inside = mid is not None and any(t[1] <= mid <= t[3] for t in taken)
        if line and not inside and _tabular(line):
            run.append(line)
            gap = 0
            continue
        if run and line and not inside and gap == 0:
            gap = 1
            continue
        if sum(1 for ln in run if _tabular(ln)) >= 3:
            ws = [w for ln in run for w in ln]
            regions.append((min(w["x0"] for w in ws), min(w["top"] for w in ws),
                            max(w["x1"] for w in ws), max(w["bottom"] for w in ws)))
        run, gap = [], 0
    return regions


def _header_above(lines, region, taken):
    """Grow an unruled region up over its header lines: short cells, no sentence punctuation, close above."""
    x0, top, x1, bottom = region
    for line in reversed([ln for ln in lines if ln[-1]["bottom"] <= top]):
        size = max(w["bottom"] - w["top"] for w in line)
        text = "".join(w["text"] for w in line)
        if top - line[0]["bottom"] > 2.5 * size or re.search(r"[。；;：:]", text) or len(line) < 2:
            break
        if any(t[1] <= line[0]["top"] <= t[3] for t in taken):
            break
        top = min(w["top"] for w in line)
        x0, x1 = min(x0, line[0]["x0"]), max(x1, line[-1]["x1"])
    return (x0, top, x1, bottom)


def _columns_from_text(lines) -> list[tuple[float, float]]:
    spans = sorted((w["x0"], w["x1"]) for ln in lines for w in ln)
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 1:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    return [(a, b) for a, b in cols]


def _span(word, columns, vedges, ruled):
    """The columns a header word belongs to: those between the rules enclosing it, else those it overlaps."""
    mid_y = (word["top"] + word["bottom"]) / 2
    mid_x = (word["x0"] + word["x1"]) / 2
    if ruled:
        left = [e["x0"] for e in vedges if e["top"] - 1 <= mid_y <= e["bottom"] + 1 and e["x0"] <= word["x0"] + 1]
        right = [e["x0"] for e in vedges if e["top"] - 1 <= mid_y <= e["bottom"] + 1 and e["x0"] >= word["x1"] - 1]
        lo = max(left) if left else columns[0][0]
        hi = min(right) if right else columns[-1][1]
        hit = [j for j, (a, b) in enumerate(columns) if a >= lo - SNAP and b <= hi + SNAP]
        if hit:
            return hit
    hit = [j for j, (a, b) in enumerate(columns) if word["x0"] < b - 1 and word["x1"] > a + 1]
    return hit or [min(range(len(columns)), key=lambda j: abs((columns[j][0] + columns[j][1]) / 2 - mid_x))]


def _column_of(word, columns) -> int:
    mid = (word["x0"] + word["x1"]) / 2
    for j, (a, b) in enumerate(columns):
        if a - 1 <= mid <= b + 1:
            return j
    return min(range(len(columns)), key=lambda j: min(abs(columns[j][0] - mid), abs(columns[j][1] - mid)))


def _join(words: list[dict]) -> str:
    """Words of one cell, line by line: wrapped lines join without a space (CJK and split numbers)."""
    out, prev = "", None
    for w in words:
        if prev is not None and (w["top"] + w["bottom"]) / 2 <= prev["bottom"] and w["x0"] > prev["x1"]:
            out += " "
        out += w["text"]
        prev = w
    return out


def _row_rules(hedges, x0, x1) -> list[float]:
    """Heights of the rules that cross the table: collinear pieces (one per cell, as many generators draw
    them) add up to more than half its width."""
    out, group = [], []
    for e in sorted(hedges, key=lambda e: e["top"]) + [None]:
        if e is not None and group and e["top"] - group[0]["top"] <= SNAP:
            group.append(e)
            continue
        if group:
            covered, end = 0.0, None
            for a, b in sorted((g["x0"], g["x1"]) for g in group):
                start = a if end is None else max(a, end)
                covered += max(0.0, b - start)
                end = b if end is None else max(end, b)
            if covered > 0.5 * (x1 - x0):
                out.append(group[0]["top"])
        group = [e] if e is not None else []
    return out


def _bands(lines, hrules):
    """Group the body's text lines by the horizontal rules between them."""
    bands: list[list[list[dict]]] = []
    last = None
    for line in lines:
        mid = (line[0]["top"] + line[0]["bottom"]) / 2
        cut = max((y for y in hrules if y <= mid), default=None)
        if bands and cut == last:
            bands[-1].append(line)
        else:
            bands.append([line])
        last = cut
    out = []
    for band in bands:
        numeric = sum(1 for ln in band if _has_value(ln))
        out += [[ln] for ln in band] if numeric >= 2 else [band]
    return out


def _grid(page_no, index, region, words, edges, caption, ruled, rules) -> Grid | None:
    x0, top, x1, bottom = region
    inside = [w for w in words if x0 - 1 <= (w["x0"] + w["x1"]) / 2 <= x1 + 1
              and top - 1 <= (w["top"] + w["bottom"]) / 2 <= bottom + 1]
    lines = _lines(inside)
    if not lines:
        return None
    vedges = [e for e in edges if e["orientation"] == "v" and x0 - 1 <= e["x0"] <= x1 + 1
              and e["bottom"] >= top - 1 and e["top"] <= bottom + 1 and e["bottom"] - e["top"] > 4]
    hedges = [e for e in edges if e["orientation"] == "h" and top - 1 <= e["top"] <= bottom + 1
              and e["x1"] - e["x0"] > 4 and e["x0"] <= x1 and e["x1"] >= x0]
    hrules = _row_rules(hedges, x0, x1) if ruled else []
    bands = _bands(lines, hrules) if hrules else [[ln] for ln in lines]
    first_body = next((i for i, band in enumerate(bands) if any(_has_value(ln) for ln in band)), None)
    if first_body is None:
        return None
    head_lines = [ln for band in bands[:first_body] for ln in band]
    body_lines = [ln for band in bands[first_body:] for ln in band]
    xs = _snap([x0, x1] + [e["x0"] for e in vedges])
    columns = [(a, b) for a, b in zip(xs, xs[1:]) if b - a > 3] if ruled and len(xs) > 2 else []
    if not columns:
        columns = _columns_from_text(body_lines)
    if len(columns) < 2:
        return None
    header: list[list[str]] = [[] for _ in columns]
    last_cell: dict[int, tuple] = {}
    for line in head_lines:
        for w in line:
            for j in _span(w, columns, vedges, ruled):
                prev = last_cell.get(j)
                a, b = columns[j]
                split = prev is None or any(prev[1] <= e["top"] <= w["top"] and e["x0"] <= (a + b) / 2 <= e["x1"]
                                            for e in hedges)
                if not ruled and prev is not None:
                    split = w["top"] - prev[1] > (w["bottom"] - w["top"]) or prev[2] != (w["x0"], w["x1"])
                if split:
                    header[j].append(w["text"])
                elif prev[0] < w["top"] - 1:  # a wrapped header cell: same cell, next line
                    header[j][-1] += w["text"]
                else:
                    header[j][-1] += " " + w["text"]
                last_cell[j] = (w["top"], w["bottom"], (w["x0"], w["x1"]))
    rows = []
    for band in bands[first_body:]:
        per: list[list[dict]] = [[] for _ in columns]
        for line in band:
            for w in line:
                per[_column_of(w, columns)].append(w)
        cells = [_join(sorted(ws, key=lambda w: (w["top"], w["x0"]))) for ws in per]
        indent = [min(w["x0"] for w in ws) - columns[j][0] if ws else None for j, ws in enumerate(per)]
        rows.append(Row(cells, min(w["top"] for ln in band for w in ln),
                        max(w["bottom"] for ln in band for w in ln), indent))
    filled = [c for row in rows for c in row.cells if c]
    if not filled or sum(1 for c in filled if rules.is_prose(c)) > rules.prose_share * len(filled):
        return None  # a page laid out with rules, or a note: prose, not a table
    if sum(1 for c in filled if _is_value_word(c.strip())) < 2:
        return None  # words in a frame (a rating scale): no figures in cells of their own
    return Grid(page_no, index, (x0, top, x1, bottom), columns, header, rows, caption, ruled,
                _notes(columns, rows, rules))


def _notes(columns, rows, rules) -> list[tuple[float, float]]:
    """Columns of running text (`說明`): the prose reader keeps them, they are sentences, not cells."""
    out = []
    for j, span in enumerate(columns):
        cells = [row.cells[j] for row in rows if row.cells[j]]
        marked = sum(1 for c in cells if any(m in c for m in rules.prose_marks))
        if cells and marked >= rules.prose_share * len(cells) and sum(map(len, cells)) >= 6 * len(cells):
            out.append(span)
    return out


def _caption(lines, top, floor) -> str:
    """Up to four text lines above the table and below the previous one (title, unit, issuer)."""
    above = [ln for ln in lines if ln[-1]["bottom"] <= top + 1 and ln[0]["top"] >= floor]
    return "\n".join(" ".join(w["text"] for w in ln) for ln in above[-4:])


def find_tables(page, page_no: int, rules=None) -> list[Grid]:
    """The tables of one pdfplumber page, top to bottom. A page without a digit is not searched: a
    table here is one with figures in cells of their own (_grid), and a word holds no digit that its
    glyphs do not."""
    if not has_digit(page.chars):
        return []
    rules = rules or table_rules()
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2)
    if not words:
        return []
    edges = page.edges
    regions: list[tuple[tuple, bool]] = []
    if edges:
        hedges = [e for e in edges if e["orientation"] == "h"]
        for t in page.find_tables():
            regions.append((_widen(t.bbox, hedges), True))
    lines = _lines(words)
    taken = [r for r, _ in regions]
    for r in _text_regions(lines, taken):
        regions.append((_header_above(lines, r, taken), False))
    regions.sort(key=lambda r: r[0][1])
    grids, floor = [], 0.0
    for region, ruled in regions:
        g = _grid(page_no, len(grids), region, words, edges, _caption(lines, region[1], floor), ruled, rules)
        floor = region[3]
        if g is not None:
            grids.append(g)
    return grids


def has_digit(chars: list[dict]) -> bool:
    """A table cue that costs one join over the page's glyphs: some glyph is a digit."""
    return DIGIT.search("".join(c["text"] for c in chars)) is not None
