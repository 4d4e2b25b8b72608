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
    heading = ctx.heading_years.get(pi)
    if heading is not None:
        return heading
    return ctx.article_year
