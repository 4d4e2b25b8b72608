"""What an expression is read against: the document date, the year an article is about, the years and
months the text names around it, and the word tables of patterns/dates.toml; and Resolving, one
expression on its way to a first and last day.

A year the text leaves out comes from the same sentence, else from the last year named earlier in the
paragraph, else from the document date. Words relative to the document (今年, 上周, 明天) resolve only
when the document date is known.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..segment import MAX_HEADING, line_kind
from .calendar import Date
from .exprs import Expr

Span = tuple[Date, Date]  # a first and a last day


@dataclass
class Context:
    doc_date: Date | None
    article_year: int | None
    text: str
    anchors: list[tuple[int, int]] = field(default_factory=list)  # (offset, year) named outright
    months: list[tuple[int, int, int]] = field(default_factory=list)  # (offset, year, month)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    words: dict = field(default_factory=dict)  # patterns/dates.toml
    sections: list[tuple[int, int | None]] = field(default_factory=list)  # (offset, year) set by headings

    def _bounds(self, spans, pos):
        for s, e in spans:
            if s <= pos < e:
                return s, e
        return pos, pos

    def year_at(self, pos: int, day: bool = False) -> int | None:
        """The year the text sets for a date at pos: same sentence, earlier in the paragraph, (not for a
        day, which dates an event: the gold's ruling) the section's heading or the article's, document."""
        ss, se = self._bounds(self.sentences, pos)
        best = None
        for off, y in self.anchors:
            if ss <= off < se and (best is None or abs(off - pos) < abs(best[0] - pos)):
                best = (off, y)
        if best:
            return best[1]
        y = self.year_in_force(pos, headed=not day)
        return y if y is not None else (self.doc_date.year if self.doc_date else None)

    def year_in_force(self, pos: int, headed: bool = True) -> int | None:
        """The year the text speaks of at pos, short of the document date: the last one named earlier in
        the paragraph, else the one of the section's heading (一、2025年工作回顾), else the article's."""
        ps, _ = self._bounds(self.paragraphs, pos)
        before = [y for off, y in self.anchors if ps <= off < pos]
        if before:
            return before[-1]
        if not headed:
            return None
        heading = [y for off, y in self.sections if off <= pos]
        if heading:
            return heading[-1]
        return self.article_year

    def from_document(self, pos: int, day: bool = False) -> bool:
        """Whether a year left out at pos comes from the document date alone (nothing in the text
        names one), in a clause that states no plan (plan_words)."""
        ss, se = self._bounds(self.sentences, pos)
        if any(ss <= off < se for off, _ in self.anchors) or self.year_in_force(pos, headed=not day) is not None:
            return False
        if not day and any(off <= pos for off, _ in self.sections):
            return False  # under a heading of several years (“十五五”时期): no year, and no review either
        lo = max([ss] + [m.end() for m in _CLAUSE_END.finditer(self.text, ss, pos)])
        end = _CLAUSE_END.search(self.text, pos, se)
        clause = self.text[lo:end.start() if end else se]
        return not any(w in clause for w in self.words["lists"]["plan_words"])

    def month_at(self, pos: int) -> tuple[int, int] | None:
        ps, _ = self._bounds(self.paragraphs, pos)
        before = [(y, m) for off, y, m in self.months if ps <= off < pos]
        if before:
            return before[-1]
        return None

    def ref(self) -> Date:
        """The document date, for words relative to it; Unresolved when it is not known."""
        if self.doc_date is None:
            raise Unresolved
        return self.doc_date

    def context_year(self, pos: int, reviewed: bool = True) -> int | None:
        """这一年 / 当年: the last year named before in the paragraph, else the article's, else the
        document's (reviewed: the year the document looks back on)."""
        ps, _ = self._bounds(self.paragraphs, pos)
        before = [y for off, y in self.anchors if ps <= off < pos]
        if before:
            return before[-1]
        if self.article_year:
            return self.article_year
        if self.doc_date is None:
            return None
        return reviewed_year(self.doc_date) if reviewed else self.doc_date.year


_CLAUSE_END = regex.compile(r"[，,；;。！？!?\n]")
_HEADING_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_RANGE_BEFORE = regex.compile(r"\d{4}\s*年?\s*[—–\-~～至到]\s*$")


def section_years(text: str, paragraphs, period_words) -> list[tuple[int, int | None]]:
    """(offset, year) where a heading sets the year the sections after it speak of: the first year it
    names (一、2025年工作回顾; not a range's start), None for a heading of several years (“十五五”时期
    主要目标); a heading naming neither keeps its parent's."""
    out: list[tuple[int, int | None]] = []
    for start, end in paragraphs:  # segment.paragraphs: the non-empty lines, trimmed
        t = text[start:end]
        if end - start > MAX_HEADING or line_kind(t) != "heading":
            continue
        m = next((m for m in _HEADING_YEAR.finditer(t) if not _RANGE_BEFORE.search(t, 0, m.start())), None)
        if m:
            out.append((start, int(m.group(1))))
        elif any(w in t for w in period_words):
            out.append((start, None))
    return out


class Unresolved(Exception):
    """The expression needs a date the context does not give."""


def reviewed_year(ref: Date) -> int:
    """The year a document looks back on: written in its first half, the year before (a report given
    in January reviews the last year), else its own."""
    return ref.year if ref.month >= 7 else ref.year - 1


class Resolving:
    """One expression being resolved: its atoms (lunar markers aside), whether it is lunar, the year
    it names or inherits, and the period [lo, hi] found so far."""

    def __init__(self, e: Expr, ctx: Context, inherit: dict):
        self.e, self.ctx, self.inherit, self.words = e, ctx, inherit, ctx.words
        self.atoms = [a for a in e.atoms if a.kind != "lunar"]
        self.lunar = any(a.kind == "lunar" for a in e.atoms) or any(
            (a.kind == "mon" and (a.groups.get("mon_n") in ("正", "腊", "臘", "冬") or a.groups.get("leap")))
            or a.kind == "lday" or (a.kind == "day" and a.groups.get("day_n", "")[:1] in ("廿", "卅"))
            for a in self.atoms)
        self.first = self.atoms[0]
        self.day = any(a.level == 3 for a in self.atoms)  # dates an event: no heading's year
        self.year: int | None = None
        self.needs_year = False  # no year named or inherited: the context's
        self.lo: Date | None = None
        self.hi: Date | None = None

    def the_year(self) -> int:
        y = self.ctx.year_at(self.e.start, self.day) if self.needs_year else self.year
        if y is None:
            raise Unresolved
        return y

    def whole_year(self) -> Span:
        y = self.the_year()
        return Date(y, 1, 1), Date(y, 12, 31)
