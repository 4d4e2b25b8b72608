"""The years of the article: the document's, the article's (a dated title or its lead sentence), and
the time expressions that can fix a figure's year, in text order."""
from __future__ import annotations

import bisect

import regex
from spacy.tokens import Doc

from ..text.hanzi import simplified
from ..text.spans import span_extension
from .clauses import (FULL_STOP, SOURCE_LINE, clause_start, guarded, inside, is_heading, opener_only, opens_clause,
                      squash)
from .lexicon import Lexicon

YEAR = regex.compile(r"((?:19|20)\d\d)\s*年")
MONTH_AFTER = regex.compile(r"\s*\d{1,2}\s*月")
_FULL_DATE = regex.compile(r"(\d{4})-\d{2}-\d{2}$")
_DATELINE = regex.compile(r"((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
# a short quoted name (“慈善一日捐”): a date word inside it is part of the name
_NAME_QUOTE = regex.compile(r"“[^“”\n]{1,10}”")
# a year (2019年, 今年, 2011年底, 近年来), not a month or a day (3月26日 dates an event)
_YEAR_WORD = regex.compile(r"年(?!\s*\d{1,2}\s*月)")
_RANGE_BEFORE = regex.compile(r"\d{4}\s*年?\s*[—–\-~～至到]\s*$")  # 2021—2025年: a stretch of years
_LINE = regex.compile(r"[^\n]+")
_NAMED_YEAR = regex.compile(r"\d{4}|[〇零一二三四五六七八九]{4}|\d{2}\s*年")
_DAY_VALUE = regex.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_SENTENCE_END = regex.compile(r"[。！？!?；;][”’」』）)]*\s*$")
_NUMBERED = regex.compile(r"\s*(?:[一二三四五六七八九十]+\s*[、．.]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+\s*[、．.](?!\d))")
_TITLE_MAX = 100  # a first line without final punctuation up to this long is the article's title
_FINAL = regex.compile(r"[。！？!?；;]")


class _Unset:
    """No year in force yet (the article's year applies), as distinct from None (no year)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


def doc_year(doc: Doc, text: str, dates: list[tuple[int, int]]) -> int | None:
    """The year of the document date; without one, of a full date on a heading line at the top
    (`安吉县民政局办公室　2023年9月15日`), the article's own dateline."""
    d = doc._.doc_date
    if d:
        m = regex.match(r"(\d{4})", str(d))
        if m:
            return int(m.group(1))
    top = 0
    for m in regex.finditer(r"[^\n]+", text[:300]):
        if not is_heading(m.group()):
            break
        top = m.end()
    for s, e in dates:
        if s >= top:
            break
        dm = _FULL_DATE.match(str(span_extension(doc, s, e, "value") or ""))
        if dm:
            return int(dm.group(1))
    dm = _DATELINE.search(text, 0, top)
    return int(dm.group(1)) if dm else None


def article_year(doc: Doc, text: str) -> int | None:
    """The year of a dated title (`2021年…工作综述`), among the heading lines at the top."""
    lines = [doc._.title] if doc._.title else []
    for m in regex.finditer(r"[^\n]+", text[:400]):
        line = m.group().strip()
        if not line:
            continue
        if not is_heading(line):
            # a dated title of any length: the article's first line, without a sentence in it
            if not lines and len(line) <= _TITLE_MAX and not _FINAL.search(line):
                lines.append(line)
            break
        lines.append(line)
    for line in lines:
        line = simplified(line)
        m = YEAR.search(line)
        if m and not MONTH_AFTER.match(line, m.end()):
            return int(m.group(1))
    return None


def time_events(lx: Lexicon, doc: Doc, text: str, dates: list[tuple[int, int]]):
    """The time expressions that can fix a figure's year, in text order: (start, end, year or the
    year-mark kind whose year year_events fills in, opens a clause, is a mark, kind). kind is
    "part" for a part of a year without its year (年末: the year in force there, see in_force),
    "span" for a stretch of several years (2021—2025年, 五年来), else None. Apart from the years of
    the marks they do not depend on the article's year, so they are found once."""
    marks = [(m.start(), m.end(), m.lastgroup) for m in lx.year_marks.finditer(text)]
    events = []
    covered_starts = [s for s, _, _ in marks]
    names = [(m.start(), m.end()) for m in _NAME_QUOTE.finditer(text)]

    def overlaps(s: int, e: int) -> bool:
        # marks do not overlap each other: only the last one starting before e can reach past s
        k = bisect.bisect_left(covered_starts, e) - 1
        return k >= 0 and marks[k][1] > s

    for s, e in dates:
        if overlaps(s, e) or (names and inside(names, s)):
            continue
        if _compared(lx, text, s, e):
            continue  # 较上年增长18%, 与2020年相比, 是去年的1.5倍: a comparison, not the figure's year
        if lx.duration.fullmatch(squash(text[s:e])):
            continue  # 一年内就实现…: a length of time, not a year
        year = span_extension(doc, s, e, "year")
        if year is None and not span_extension(doc, s, e, "relative"):
            year = _partial_date_year(text[s:e], doc)
            if year is None:
                continue  # a partial date whose year is unknown leaves the year as it is
        events.append((s, e, year, opens_clause(lx, text, s), False, _kind(lx, doc, text, s, e)))
    if not dates:
        for m in YEAR.finditer(text):
            if not overlaps(m.start(), m.end()) and not _compared(lx, text, m.start(), m.end()):
                events.append((m.start(), m.end(), int(m.group(1)), opens_clause(lx, text, m.start()), False, None))
    date_ends = {d[1] for d in events}
    for s, e, kind in marks:
        if kind == "now" and lx.from_date.match(text[s:e]):
            # 2019年至今: the period starts with the date before it
            if s in date_ends or s - 1 in date_ends:
                continue
        if kind in ("this", "last") and _compared_with(lx, text, s, e):
            continue  # 与上年相比
        events.append((s, e, kind, opens_clause(lx, text, s), True, None))
    return events


def _compared_with(lx: Lexicon, text: str, s: int, e: int) -> bool:
    """与2020年相比, 和上年持平: the base of a comparison."""
    return text[max(0, s - 1):s] in lx.compared_with and bool(lx.compared_with_after.match(text, e))


def _compared(lx: Lexicon, text: str, s: int, e: int) -> bool:
    """A date that is the base of a comparison; `从2011年的1520亿元增加到2016年的…` names the years of
    a from-to pair, not a comparison."""
    if text[max(0, s - 1):s] in lx.compared_before or _compared_with(lx, text, s, e):
        return True
    return bool(lx.compared.match(text, e)) and not lx.from_to.search(text, max(0, s - 3), s)


def _kind(lx: Lexicon, doc: Doc, text: str, s: int, e: int) -> str | None:
    """"span" for several years (2021—2025年, 五年来); for a date without its year, "day" for a day
    (4月12日) and "part" for a longer part of a year (年末, 三季度, 11月), whose years in_force fills
    in; else None."""
    surface = squash(text[s:e])
    if surface in lx.part_of_year:
        return "part"
    value = str(span_extension(doc, s, e, "value") or "")
    ends = regex.findall(r"(?:^|/)(\d{4})(?:-(\d{1,2}))?", value)
    if len(ends) == 2 and ends[0][0] != ends[1][0]:
        first = int(ends[0][0]) * 12 + int(ends[0][1] or 1)
        last = int(ends[1][0]) * 12 + int(ends[1][1] or 12)
        if last - first >= 11:
            return "span"  # 2021—2025年, 五年来 (not 冬季: 2026-12/2027-02)
    if span_extension(doc, s, e, "relative") or _NAMED_YEAR.search(surface) or not value:
        return None
    return "day" if _DAY_VALUE.match(value) else "part"


def year_events(doc: Doc, found, doc_year: int | None, article_year: int | None):
    """The time_events with the years of the marks filled in: (start, end, year, opens a clause)."""
    years = {"this": doc_year, "last": doc_year - 1 if doc_year else None,
             "article": _review_year(doc, article_year, doc_year), "none": None,
             "now": article_year or doc_year}
    # 今年 without a document date leaves the year as it is (`2020年，全镇…今年共发放…`); 目前, 去年
    # without one fix no year
    events = [(s, e, years[y] if mark else y, opens, kind) for s, e, y, opens, mark, kind in found
              if not (mark and y == "this" and years[y] is None)]
    events.sort()
    return events


_DIGIT_YEAR = regex.compile(r"\d{4}")


def lead_year(lx: Lexicon, text: str, paragraphs, events, titled: bool) -> int | None:
    """The lead sentence frames the article: `今年以来，青秀区妇联…` opening it, or, under a title,
    the first year that opens a clause of the lead (`近年来，洛阳市残联…，2023年全市…`)."""
    for s, e in paragraphs:
        block = text[s:e]
        if is_heading(block) or SOURCE_LINE.match(block) or lx.byline.search(block[:12]):
            continue
        stop = FULL_STOP.search(text, s, e)
        lead_end = stop.end() if stop else e
        for es, ee, year, opens, kind in events[bisect.bisect_left(events, (s,)):]:
            if es >= lead_end:
                break
            if year is None or not opens:
                continue
            if kind in ("span", "part"):
                break  # 五年来, 年末: no year of the article
            # 今年以来 or 2022年 opening the lead (after a column tag: `【社会保障】2020年，…`)
            if (kind is None and opener_only(lx, text[s:es])) or titled:
                return year
            break
        return None
    return None


def in_force(lx: Lexicon, doc: Doc, text: str, paragraphs, events, article_year: int | None,
             doc_year: int | None):
    """The changes of the year in force, in text order: (position, year or None), applying from that
    position on (before the first, UNSET: the article's year); and the events with the years of the
    parts of a year filled in.

    A heading sets it when it names a year (`一、2025年工作回顾`, `2026年重点工作`), a stretch of years
    (`“十五五”时期主要目标`: no single year), a review (`工作回顾`: the reviewed year) or this year
    (`今年工作安排`); a heading naming none (`（一）…`) keeps its parent's. A year-level time
    expression opening a paragraph (`2019年，…`, `今年以来`, `过去一年`, `截止到2011年底`; not a day,
    which dates an event) holds for the paragraphs after it until another replaces it; a stretch of
    years there (`五年来`, `“十四五”时期`) or 近年来 gives no year. A paragraph's head is its start, or
    the start of a line in it after a line ending a sentence or a numbered line (a heading run on:
    `一、一年接着一年干，…` then `2025年是…`). A part of a year without its year (年末) takes the year
    stated before it in its paragraph, else the year in force, else the article's."""
    review = _review_year(doc, article_year, doc_year)
    quoted = guarded(text)  # a year inside a quotation (a life story told) does not date what follows
    changes: list[tuple[int, object]] = []
    out = list(events)
    current: object = UNSET

    def change(pos: int, year) -> None:
        nonlocal current
        if year != current:
            current = year
            changes.append((pos, year))

    k = 0
    for s, e in paragraphs:
        last = None  # the year stated last in this paragraph
        stated = UNSET  # the year of the last clause opened by one, after the paragraph's head
        headed = False  # the paragraph's head is a time expression
        prev = None
        for m in _LINE.finditer(text, s, e):
            ls, le = m.span()
            head = prev is None or _SENTENCE_END.search(text, *prev) or _NUMBERED.match(text, prev[0])
            prev = (ls, le)
            while k < len(out) and out[k][0] < ls:
                k += 1
            first = k
            while k < len(out) and out[k][0] < le:
                es, ee, y, opens, kind = out[k]
                if kind in ("part", "day"):
                    fill = last if last is not None else (
                        (current if isinstance(current, int) else article_year) if kind == "part"
                        else _partial_date_year(text[es:ee], doc))
                    if fill is not None:
                        y = fill
                        out[k] = (es, ee, y, opens, kind)
                if not inside(quoted, es):
                    if y is not None and kind != "span":
                        last = y
                    if k > first or not head:
                        if _states_year(lx, text, out[k]):
                            stated = stated if kind == "span" else y
                k += 1
            if not head:
                continue
            line = text[ls:le]
            if is_heading(line):
                change(ls, _heading_year(lx, line, review, doc_year, current))
            elif lx.period_head.match(squash(text[ls:min(le, ls + 40)])):
                continue  # 五年来，… / “十四五”时期，…: period totals (meaning's), the year in force stays
            elif first < k and opener_only(lx, text[ls:out[first][0]]) \
                    and _states_year(lx, text, out[first]):
                if out[first][4] != "span":
                    change(ls, out[first][2])
                headed = True
        if stated is not UNSET and headed and not (isinstance(stated, int) and doc_year and stated > doc_year):
            # `近年来，…，2023年全市新增…`: in a paragraph opened by a time expression, a later year
            # stated (not a future one: a target's) holds for the paragraphs after
            change(e, stated)
    return out, changes


def _states_year(lx: Lexicon, text: str, event) -> bool:
    """A year-level time expression opening its clause (2019年，…, 今年以来, 近年来), not a month or
    a day, nor a deadline (到2027年)."""
    es, ee, _, opens, kind = event
    return opens and kind in (None, "span") and bool(_YEAR_WORD.search(text, es, ee)) \
        and squash(text[clause_start(text, es):es]) not in lx.deadline_openers


def year_open(text: str, events) -> tuple[list[int], list[int]]:
    """events index -> the last event at or before it that governs the rest of its paragraph (one
    opening its clause: `2022年以来，…`), and -> the last four-digit year stated in passing, outside
    book titles and quotations (`开展2016年新春慰问活动…此次活动共…`: it dates the paragraph's later
    sentences only where no year is in force)."""
    quoted = guarded(text)
    opening, stated = [], []
    last_open = last_stated = -1
    for i, (s, e, _, opens, kind) in enumerate(events):
        if opens:
            last_open = i
        elif kind is None and _DIGIT_YEAR.search(text, s, e) and not inside(quoted, s):
            last_stated = i
        opening.append(last_open)
        stated.append(last_stated)
    return opening, stated


def _heading_year(lx: Lexicon, block: str, review: int | None, doc_year: int | None, current):
    """The year a heading sets (see in_force), else current."""
    block = simplified(block)
    for m in YEAR.finditer(block):
        if not MONTH_AFTER.match(block, m.end()) and not _RANGE_BEFORE.search(block, 0, m.start()):
            return int(m.group(1))
    if lx.period_word.search(block):
        return None
    if lx.review_heading.search(block):
        return review
    if lx.this_heading.search(block):
        return doc_year
    return current


_MONTH_DAY = regex.compile(r"\s*(\d{1,2})\s*月")


def _partial_date_year(surface: str, doc: Doc) -> int | None:
    """`1月5日` in a document dated 2024-01-10: the latest such day up to the document date."""
    m = _MONTH_DAY.match(surface)
    d = regex.match(r"(\d{4})-(\d{1,2})", str(doc._.doc_date or ""))
    if not m or not d:
        return None
    year, month = int(d.group(1)), int(d.group(2))
    return year if int(m.group(1)) <= month else year - 1


def _review_year(doc: Doc, article_year: int | None, doc_year: int | None) -> int | None:
    """The year 一年来/这一年/过去一年 look back on: the article's, else the document's; a review
    published in the first quarter looks back on the year before."""
    year = article_year or doc_year
    if year and year == doc_year:
        m = regex.match(r"\d{4}-(\d{1,2})", str(doc._.doc_date or ""))
        if m and int(m.group(1)) <= 3:
            return year - 1
    return year
