"""year_of: the year a figure belongs to (see the package doc)."""
from __future__ import annotations

import bisect

from .clauses import CLAUSE_END_RE, squash
from .context import Context, para_index, sentence_end


def year_of(ctx: Context, fig_start: int, sent_start: int, clause_start: int) -> int | None:
    lx = ctx.lx
    if lx.per_year.search(ctx.text, clause_start, fig_start):
        if lx.multi_year.search(ctx.text, fig_start, sentence_end(ctx, fig_start)):
            return None  # 每年1万个家庭，连续资助3年: a quantity for every year of a plan
    events = ctx.year_events
    i = bisect.bisect_left(events, (fig_start,)) - 1
    pi = para_index(ctx, fig_start)
    p_start = ctx.paragraphs[pi][0] if ctx.paragraphs else 0
    while i >= 0 and events[i][0] >= sent_start and _out_of_reach(ctx, events[i], fig_start, sent_start):
        i -= 1
    if i >= 0:
        if events[i][0] >= sent_start:
            return events[i][2]  # a time expression earlier in the same sentence
        j = ctx.year_open[i]
        if j >= 0 and events[j][0] >= p_start:
            return events[j][2]  # 2022年以来，… governs the rest of its paragraph
    k = bisect.bisect_right(ctx.in_force_starts, fig_start) - 1  # set by a heading or a paragraph's head
    if k >= 0:
        return ctx.in_force[k][1]
    if ctx.article_year is None and i >= 0:
        j = ctx.year_stated[i]
        if j >= 0 and events[j][0] >= p_start:
            return events[j][2]  # 开展2016年新春慰问活动…。据统计，此次活动共…
    return ctx.article_year


def _out_of_reach(ctx: Context, event, fig_start: int, sent_start: int) -> bool:
    """A time expression earlier in the sentence that does not reach the figure: inside an aside
    closed before it (`3050件（含上年度结转34件），均…`), or, inside the aside still open, this/last
    year in passing (not opening its clause) with a clause end between (`（含上年度结转申请34件，另有
    103件顺延…）`: the aside lists items of their own). Outside an aside such a mark goes on with its
    subject (`某基金会去年组织15名学生…，培训教师265名`)."""
    es, ee, _, opens, _ = event
    lx, text = ctx.lx, ctx.text
    if _depth(lx, text, ee, fig_start) < 0:
        return True
    return not opens and _depth(lx, text, sent_start, es) > 0 and bool(CLAUSE_END_RE.search(text, ee, fig_start)) \
        and bool(lx.clause_bound.fullmatch(squash(text[es:ee])))


def _depth(lx, text: str, start: int, end: int) -> int:
    """How many asides open between start and end (-1 as soon as one closes that opened before start)."""
    depth = 0
    for ch in text[start:end]:
        if ch in lx.aside_open:
            depth += 1
        elif ch in lx.aside_close:
            depth -= 1
            if depth < 0:
                return -1
    return depth
