"""The years of the article: the document's, the article's (a dated title or its lead sentence), and
the time expressions that can fix a figure's year, in text order."""
from __future__ import annotations

import bisect

import regex
from spacy.tokens import Doc

from ..text.hanzi import simplified
from ..text.spans import span_extension
from .clauses import FULL_STOP, SOURCE_LINE, is_heading, opens_clause
from .lexicon import Lexicon

YEAR = regex.compile(r"((?:19|20)\d\d)\s*年")
MONTH_AFTER = regex.compile(r"\s*\d{1,2}\s*月")
_FULL_DATE = regex.compile(r"(\d{4})-\d{2}-\d{2}$")
_DATELINE = regex.compile(r"((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


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
    year-mark kind whose year year_events fills in, opens a clause, is a mark). Apart from the
    years of the marks they do not depend on the article's year, so they are found once."""
    marks = [(m.start(), m.end(), m.lastgroup) for m in lx.year_marks.finditer(text)]
    events = []
    covered_starts = [s for s, _, _ in marks]

    def overlaps(s: int, e: int) -> bool:
        # marks do not overlap each other: only the last one starting before e can reach past s
        k = bisect.bisect_left(covered_starts, e) - 1
        return k >= 0 and marks[k][1] > s

    for s, e in dates:
        if overlaps(s, e):
            continue
        if text[max(0, s - 1):s] in lx.compared_before or lx.compared.match(text, e):
            continue  # 较上年增长18%, 是去年的1.5倍: a comparison, not the figure's year
        year = span_extension(doc, s, e, "year")
        if year is None and not span_extension(doc, s, e, "relative"):
            year = _partial_date_year(text[s:e], doc)
            if year is None:
                continue  # a partial date whose year is unknown leaves the year as it is
        events.append((s, e, year, opens_clause(lx, text, s), False))
    if not dates:
        for m in YEAR.finditer(text):
            if not overlaps(m.start(), m.end()):
                events.append((m.start(), m.end(), int(m.group(1)), opens_clause(lx, text, m.start()), False))
    date_ends = {d[1] for d in events}
    for s, e, kind in marks:
        if kind == "now" and lx.from_date.match(text[s:e]):
            # 2019年至今: the period starts with the date before it
            if s in date_ends or s - 1 in date_ends:
                continue
        events.append((s, e, kind, opens_clause(lx, text, s), True))
    return events


def year_events(doc: Doc, found, doc_year: int | None, article_year: int | None):
    """The time_events with the years of the marks filled in: (start, end, year, opens a clause)."""
    years = {"this": doc_year, "last": doc_year - 1 if doc_year else None,
             "article": _review_year(doc, article_year, doc_year), "none": None,
             "now": article_year or doc_year}
    events = [(s, e, years[y] if mark else y, opens) for s, e, y, opens, mark in found]
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
        head = len(block) - len(block.lstrip())
        stop = FULL_STOP.search(text, s, e)
        lead_end = stop.end() if stop else e
        for es, ee, year, opens in events[bisect.bisect_left(events, (s,)):]:
            if es >= lead_end:
                break
            if year is None or not opens:
                continue
            relative = not _DIGIT_YEAR.search(text[es:ee])
            if (relative and es <= s + head + 1) or titled:
                return year
            break
        return None
    return None


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
