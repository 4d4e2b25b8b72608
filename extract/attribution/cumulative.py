"""cumulative_of: whether a figure is a running total or a standing stock (see the package doc)."""
from __future__ import annotations

import bisect

from .clauses import CLAUSE_END_RE
from .context import Context


def _last_mark(ctx: Context, start: int, end: int):
    """The last cumulative mark inside [start, end): looked up among the article's marks, found
    once; a match across either bound (never at real sentence and figure bounds) rescans."""
    pattern = ctx.lx.cumulative
    if ctx.cumulative_marks is None:
        ctx.cumulative_marks = list(pattern.finditer(ctx.text))
        ctx.cumulative_starts = [m.start() for m in ctx.cumulative_marks]
    k = bisect.bisect_left(ctx.cumulative_starts, end) - 1
    if k < 0:
        return None
    m = ctx.cumulative_marks[k]
    if m.end() > end or (m.start() < start < m.end()):
        marks = list(pattern.finditer(ctx.text, start, end))
        return marks[-1] if marks else None
    return m if m.start() >= start else None


def _period_starts(ctx: Context, start: int, end: int) -> list[int]:
    """The starts of the time expressions in [start, end) (the period words, the dates), sorted.
    The period words are searched there only, not over the whole text: a match across start would
    have to start at the last character of a cumulative mark (今 or 前, ending at the 年 after it:
    nothing after them starts a match), and none reaches into a figure at end (a number, starting
    its token)."""
    ds = ctx.date_starts
    found = {m.start() for m in ctx.lx.time.finditer(ctx.text, start, end)}
    found.update(ds[bisect.bisect_left(ds, start):bisect.bisect_left(ds, end)])
    return sorted(found)


def cumulative_of(ctx: Context, fig_start: int, sent_start: int) -> bool:
    text, lx = ctx.text, ctx.lx
    last = _last_mark(ctx, sent_start, fig_start)
    if last is None:
        return False
    if lx.now.fullmatch(last.group()):
        # 目前 (a standing stock now) reaches over its clause, or the next one when it stands alone;
        # a running period (以来, 至今, 累计, 截至) reaches to the end of the sentence
        cut = CLAUSE_END_RE.search(text, last.end(), fig_start)
        if cut and (CLAUSE_END_RE.search(text, cut.end(), fig_start) or text[last.end():cut.start()].strip()):
            return False
    # a new period after the marker ends the running total; a date right after 截至 belongs to it
    for t in _period_starts(ctx, last.end(), fig_start):
        if lx.until.fullmatch(last.group()) and not text[last.end():t].strip():
            continue
        if lx.year_since.match(text, t, t + 12):
            # 2022年以来 after the marker: itself a start of a running period
            return True
        return False
    return True
