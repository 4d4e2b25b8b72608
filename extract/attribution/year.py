"""year_of: the year a figure belongs to (see the package doc)."""
from __future__ import annotations

import bisect

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
