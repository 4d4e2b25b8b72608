"""The text of a PDF page in reading order (the part of ingest that reads a pdfplumber page):
characters grouped into rows by baseline, columns and sidebars found by their gutters, wrapped numbers
joined, indentation kept as a mark for the segmenter."""
from __future__ import annotations

from bisect import bisect_right


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
    rows = _rows(chars)  # once per page: the column finder, the reading order and a one-column page's read
    gutters = find_columns(chars, rows=rows)
    if not gutters:
        text = _read(chars, body, rows)
        return text if text.strip() else ""
    return "\n".join(t for t in (_read(group, body) for group in reading_order(chars, gutters, rows)) if t.strip())


def _read(chars: list[dict], body: float, rows: list[list[dict]] | None = None) -> str:
    """Text of one block: runs of rows in a headline font (larger than the body's) are read apart,
    and a headline wrapped over full-width lines is read as one line (无偿献血…工作稳步|推进).
    rows: _rows(chars), where the caller has them."""
    from pdfplumber.utils import extract_text

    rows = _level(rows if rows is not None else _rows(chars))
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
    point or less apart, which pdfplumber would read as 南南平平市市. Cheaper than page.dedupe_chars().

    A glyph is dropped when one kept before it has its text within a point (rounded down) each way;
    the kept glyphs' positions are held per text, so a glyph whose text is new on the page (most of
    a Chinese page's) is kept after one lookup instead of nine."""
    seen: dict[str, set] = {}
    out = []
    for c in chars:
        x, y = int(c["x0"]), int(c["top"])
        near = seen.get(c["text"])
        if near is None:
            seen[c["text"]] = {(x, y)}
        elif ((x, y) in near or (x - 1, y) in near or (x + 1, y) in near or (x, y - 1) in near or (x, y + 1) in near
              or (x - 1, y - 1) in near or (x - 1, y + 1) in near or (x + 1, y - 1) in near or (x + 1, y + 1) in near):
            continue
        else:
            near.add((x, y))
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


def find_columns(chars: list[dict], min_rows: int = 6, rows: list[list[dict]] | None = None) -> list[tuple[float, float]]:
    """Gutters of a multi-column page as (x_left, x_right) bands, [] for a single column.

    A gutter is a vertical band, at least about a character wide, that no text crosses on most rows,
    with justified running text on both sides: left-column lines end at the band, right-column lines
    start at it. Tables also have empty vertical bands, but their cells are ragged, so they stay one
    column (reading a table column by column would separate labels from their numbers).
    """
    import numpy as np

    rows = rows if rows is not None else _rows(chars)
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


def reading_order(chars: list[dict], gutters: list[tuple[float, float]],
                  rows: list[list[dict]] | None = None) -> list[list[dict]]:
    """Groups of chars in reading order: runs of rows that cross a gutter stay whole (titles,
    footers); each run of column rows is split at the gutters and read column by column.
    rows: _rows(chars), where the caller has them."""
    cuts = [(g0 + g1) / 2 for g0, g1 in gutters]
    groups: list[list[dict]] = []
    spanning: list[dict] | None = None
    columns: list[list[dict]] | None = None
    for row in rows if rows is not None else _rows(chars):
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
