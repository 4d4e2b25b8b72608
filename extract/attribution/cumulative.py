"""cumulative_of: whether a figure is a running total or a standing stock (see the package doc)."""
from __future__ import annotations

import bisect

import regex

from .clauses import CLAUSE_END_RE, clause_start, squash
from .context import Context
from .wordcut import words

# a short quoted name (“慈善一日捐”): a date word inside it is part of the name, no new period
_NAME_QUOTE = regex.compile(r"“[^“”\n]{1,10}”")
_QUOTED = regex.compile(r"“[^“”\n]{0,40}”|《[^《》\n]{0,60}》")


def _marks(ctx: Context, start: int, end: int):
    """The cumulative marks in [start, end), without `一年来` (the year under review)."""
    for m in ctx.lx.cumulative.finditer(ctx.text, start, end):
        if squash(m.group()) == "年来" and ctx.lx.single_year.search(ctx.text, max(0, m.start() - 4), m.start()):
            continue
        if ctx.lx.not_after_mark.match(ctx.text, m.end()):
            continue  # 30年来首次: a record, not a running total
        yield m


def _last_mark(ctx: Context, start: int, end: int):
    """The last cumulative mark inside [start, end): looked up among the article's marks, found
    once; a match across either bound (never at real sentence and figure bounds) rescans."""
    if ctx.cumulative_marks is None:
        ctx.cumulative_marks = list(_marks(ctx, 0, len(ctx.text)))
        ctx.cumulative_starts = [m.start() for m in ctx.cumulative_marks]
    k = bisect.bisect_left(ctx.cumulative_starts, end) - 1
    if k < 0:
        return None
    m = ctx.cumulative_marks[k]
    if m.end() > end or (m.start() < start < m.end()):
        marks = list(_marks(ctx, start, end))
        return marks[-1] if marks else None
    return m if m.start() >= start else None


def _period_starts(ctx: Context, start: int, end: int) -> list[int]:
    """The starts of the time expressions in [start, end) (the period words, the dates), sorted.
    The period words are searched there only, not over the whole text: a match across start would
    have to start at the last character of a cumulative mark (今 or 前, ending at the 年 after it:
    nothing after them starts a match), and none reaches into a figure at end (a number, starting
    its token). A length of time (连续多年) and a date word inside a short quoted name are none."""
    text, lx = ctx.text, ctx.lx
    ds = ctx.date_starts
    found = {m.start() for m in lx.time.finditer(text, start, end)
             if not lx.duration_before.search(text, max(0, m.start() - 4), m.start())}
    found.update(ds[bisect.bisect_left(ds, start):bisect.bisect_left(ds, end)])
    names = [(m.start(), m.end()) for m in _NAME_QUOTE.finditer(text, max(0, start - 12), min(len(text), end + 12))]
    return sorted(t for t in found if not any(a < t < b for a, b in names))


def cumulative_of(ctx: Context, fig_start: int, sent_start: int, unit: str | None = None) -> bool:
    text, lx = ctx.text, ctx.lx
    cs = clause_start(text, fig_start, sent_start)
    if unit in lx.rate_units and lx.rate_change.search(text, cs, fig_start):
        return False  # 累计下降17%, 分别下降49.9%、45%: a rate of change is no running total
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text, cs, fig_start)]
    for m in lx.targets.finditer(text, cs, fig_start):
        if not any(a < m.start() < b for a, b in quoted) and not any(
                n.start() <= m.start() < n.end() for n in lx.not_targets.finditer(text, cs, fig_start)):
            return False  # 力争每个点不少于10人: a target is no running total
    # a breakdown (`，其中…`, `（含…）`) takes its total's flag, unless it names a time of its own (其中今年…)
    if cs > sent_start and lx.breakdown.match(text, cs) and not _period_starts(ctx, cs, fig_start):
        return cumulative_of(ctx, cs - 1, sent_start)
    last = _last_mark(ctx, sent_start, fig_start)
    if last is None:
        return _continues(ctx, fig_start, sent_start)
    if unit in lx.rate_units and not lx.ratio_marks.fullmatch(last.group()):
        return False  # a percentage is a level, not a running total (累计赔付…，赔付率209.66%: a ratio of two)
    if lx.now.fullmatch(last.group()):
        # 目前 (a standing stock now) reaches over its clause, or the next one when it stands alone;
        # a running period (以来, 至今, 累计, 截至) reaches to the end of the sentence
        cut = CLAUSE_END_RE.search(text, last.end(), fig_start)
        if cut and (CLAUSE_END_RE.search(text, cut.end(), fig_start) or text[last.end():cut.start()].strip()):
            return False
    # a new period after the marker ends the running total; a date right after 截至 belongs to it
    for t in _period_starts(ctx, last.end(), fig_start):
        if lx.until.fullmatch(last.group()):
            if not text[last.end():t].strip() or lx.this_year.match(text, t):
                continue  # 截至2024年6月底; 截至7月31日，今年已收到…: the year-to-date total
        if lx.year_since.match(text, t, t + 12):
            # 2022年以来 after the marker: itself a start of a running period
            return True
        return False
    return True


def _continues(ctx: Context, fig_start: int, sent_start: int) -> bool:
    """截止到2011年底，已累计募集…；帮助165名…: a clause after ； that opens with a verb (it goes on
    with the subject before) and names no time of its own takes the flag of the clause before."""
    text, lx = ctx.text, ctx.lx
    j = sent_start - 1
    while j > 0 and text[j].isspace():
        j -= 1
    if j <= 0 or text[j] not in "；;" or _period_starts(ctx, sent_start, fig_start):
        return False
    ws = words(squash(text[sent_start:sent_start + 8]))
    if not ws or not ws[0][1].startswith(lx.verb_tags):
        return False
    k = bisect.bisect_right(ctx.sent_starts, j) - 1
    return k >= 0 and ctx.sentences[k][0] < sent_start and cumulative_of(ctx, j, ctx.sentences[k][0])
