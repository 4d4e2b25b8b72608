"""The aligned table of `zhmine query` and `zhmine sql`: tabulate's "simple" format, byte for byte.

Importing tabulate costs more than many a query: its import asks importlib.metadata for its own
version (which imports email, zipfile, csv ...) and imports every module of wcwidth. The tables zhmine
prints hold numbers, empty cells and text of a few scripts (ASCII, Latin-1, Chinese, kana, bopomofo,
Greek letters, CJK and full-width punctuation, arrows, box drawing), whose widths are known without
wcwidth: those are laid out here as tabulate lays them out (headers="keys", floatfmt=".15g", strings
that read as numbers parsed, wide characters two columns). Anything else (bytes, a bool, a character
of another script, a control or zero-width character, a line break) goes to tabulate itself, so the
output is tabulate's for every table. tests/test_textable.py holds the two to the same output and
these widths to wcwidth's.
"""
from __future__ import annotations

import math
import re

FLOAT_FORMAT = ".15g"
MIN_PADDING = 2  # tabulate.MIN_PADDING: a column is at least its header and two spaces wide

# (first, last, width): assigned code points whose width wcwidth gives as 1 or 2 on every version
# zhmine allows; a character outside these sends the table to tabulate
_RANGES = (
    (0x4E00, 0x9FFF, 2), (0x3000, 0x3029, 2), (0x3030, 0x303E, 2),  # CJK ideographs; 、。「」 (not tone marks)
    (0xFF01, 0xFF60, 2), (0xFFE0, 0xFFE6, 2),                       # full-width forms
    (0xA0, 0xAC, 1), (0xAE, 0xFF, 1),                               # Latin-1 but the soft hyphen
    (0x2010, 0x2027, 1), (0x2030, 0x205E, 1),                       # dashes, quotes, …, ‰, ※
    (0x2100, 0x214F, 1), (0x2160, 0x217F, 1), (0x2190, 0x22FF, 1),  # ℃ №, Ⅻ, arrows, ≥ ×
    (0x2460, 0x24FF, 1), (0x2500, 0x259F, 1), (0x25A0, 0x25FC, 1),  # ①, box drawing, □ ▲
    (0x0391, 0x03A1, 1), (0x03A3, 0x03A9, 1), (0x03B1, 0x03C9, 1),  # Greek letters
    (0x3041, 0x3096, 2), (0x30A1, 0x30FF, 2), (0x3105, 0x312F, 2),  # kana (not the sound marks), bopomofo
    (0x3200, 0x321E, 2), (0x3220, 0x3247, 2), (0x3250, 0x32FE, 2),  # ㈠, ㊣
    (0x3400, 0x4DBF, 2), (0xF900, 0xFA6D, 2), (0x2F00, 0x2FD5, 2),  # more ideographs, Kangxi radicals
    (0xFE30, 0xFE4F, 2),                                            # vertical and small CJK punctuation
)
# tabulate reads a string like these as a number (its thousands-separator pattern)
_THOUSANDS = re.compile(r"^(([+-]?[0-9]{1,3})(?:,([0-9]{3}))*)?(?(1)\.[0-9]*|\.[0-9]+)?$")


def _char_width(ch: str) -> int:
    """1 or 2, or 0 for a character outside _RANGES (kept in _WIDTHS: a table repeats its characters)."""
    c = ord(ch)
    for first, last, width in _RANGES:
        if first <= c <= last:
            return width
    return 0


_WIDTHS: dict[str, int] = {chr(c): 1 for c in range(0x20, 0x7F)}


def _width(text: str) -> int | None:
    """Columns the text takes in a terminal, None when a character is outside _RANGES."""
    if text.isascii():
        return len(text) if text.isprintable() else None
    total = 0
    for ch in text:
        width = _WIDTHS.get(ch)
        if width is None:
            width = _WIDTHS[ch] = _char_width(ch)
        if not width:
            return None
        total += width
    return total


def _converts(kind, s: str) -> bool:
    try:
        kind(s)
        return True
    except ValueError:
        return False


def _str_rank(s: str) -> int:
    """tabulate's type of a string, as its rank: empty 0, True/False 1, int 2, float 3, text 5."""
    if not s:
        return 0
    if s in ("True", "False"):
        return 1
    thousands = _THOUSANDS.match(s) is not None
    if _converts(int, s) or (thousands and "." not in s):
        return 2
    if thousands or (_converts(float, s) and (not (math.isinf(float(s)) or math.isnan(float(s)))
                                              or s.lower() in ("inf", "-inf", "nan"))):
        return 3
    return 5


def _rank(value) -> int | None:
    """tabulate's type order (None 0, bool 1, int 2, float 3, str 5) of a value this module can lay
    out, else None (bytes, bools, other types, a character _width does not know)."""
    if value is None:
        return 0
    kind = type(value)
    if kind is int:
        return 2
    if kind is float:
        return 3
    if kind is str and _width(value) is not None:
        return _str_rank(value)
    return None


def _afterpoint(s: str) -> int:
    """Characters after the decimal point (or the exponent's e) of a cell that reads as a number, -1
    for an integer or a cell that is not a number (tabulate's _afterpoint)."""
    if not s or _str_rank(s) not in (2, 3) or _converts(int, s):
        return -1
    pos = s.rfind(".")
    pos = s.lower().rfind("e") if pos < 0 else pos
    return len(s) - pos - 1 if pos >= 0 else -1


def _float_cell(value) -> str:
    """A cell of a column of floats, as tabulate writes it (a string's thousands separators dropped)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = value.replace(",", "")
    try:
        return format(float(value), FLOAT_FORMAT)
    except ValueError:  # True/False in a column of numbers
        return f"{value}"


def _layout(rows: list[dict]) -> str | None:
    """The table as tabulate would print it, or None where it holds something only tabulate lays out."""
    keys: list = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    if not keys:
        return None
    headers = [str(k) for k in keys]
    if any(_width(h) is None for h in headers):
        return None
    columns, numeric = [], []
    for key in keys:
        values = [row.get(key) for row in rows]
        ranks = [_rank(v) for v in values]
        if None in ranks:
            return None
        rank = max(ranks + [1])  # tabulate starts from bool: a column of empty cells is text
        if rank == 3:
            cells = [_float_cell(v) for v in values]
        else:  # a string as it is, even one that reads as a number (`350700` in a column of codes)
            cells = ["" if v is None else f"{v}" for v in values]
        if rank in (2, 3):  # numbers: right-aligned on their decimal points
            points = [_afterpoint(c) for c in cells]
            most = max(points)
            cells = [c + (most - p) * " " for c, p in zip(cells, points)]
        else:
            cells = [c.strip() for c in cells]
        columns.append(cells)
        numeric.append(rank in (2, 3))
    cell_widths = [[_width(c) for c in cells] for cells in columns]
    widths = [max([_width(h) + MIN_PADDING] + cw) for h, cw in zip(headers, cell_widths)]

    def pad(text: str, text_width: int, width: int, right: bool) -> str:
        fill = " " * (width - text_width)
        return fill + text if right else text + fill

    lines = ["  ".join(pad(h, _width(h), w, n) for h, w, n in zip(headers, widths, numeric)).rstrip(),
             "  ".join("-" * w for w in widths).rstrip()]
    for i in range(len(rows)):
        lines.append("  ".join(pad(cells[i], cw[i], w, n)
                               for cells, cw, w, n in zip(columns, cell_widths, widths, numeric)).rstrip())
    return "\n".join(lines)


def simple_table(rows: list[dict]) -> str:
    """tabulate.tabulate(rows, headers="keys", floatfmt=".15g") with wide characters two columns wide."""
    out = _layout(rows)
    if out is not None:
        return out
    import tabulate

    tabulate.WIDE_CHARS_MODE = True  # width 2 for Chinese characters (needs wcwidth)
    return tabulate.tabulate(rows, headers="keys", floatfmt=FLOAT_FORMAT, disable_numparse=False)
