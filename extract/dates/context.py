"""What an expression is read against: the document date, the year an article is about, the years and
months the text names around it, and the word tables of patterns/dates.toml; and Resolving, one
expression on its way to a first and last day.

A year the text leaves out comes from the same sentence, else from the last year named earlier in the
paragraph, else from the document date. Words relative to the document (今年, 上周, 明天) resolve only
when the document date is known.
"""
from __future__ import annotations

from dataclasses import dataclass, field

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

    def _bounds(self, spans, pos):
        for s, e in spans:
            if s <= pos < e:
                return s, e
        return pos, pos

    def year_at(self, pos: int) -> int | None:
        """The year the text sets for a date at pos: same sentence, earlier in the paragraph, document."""
        ss, se = self._bounds(self.sentences, pos)
        best = None
        for off, y in self.anchors:
            if ss <= off < se and (best is None or abs(off - pos) < abs(best[0] - pos)):
                best = (off, y)
        if best:
            return best[1]
        ps, _ = self._bounds(self.paragraphs, pos)
        before = [y for off, y in self.anchors if ps <= off < pos]
        if before:
            return before[-1]
        return self.doc_date.year if self.doc_date else None

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
        self.year: int | None = None
        self.needs_year = False  # no year named or inherited: the context's
        self.lo: Date | None = None
        self.hi: Date | None = None

    def the_year(self) -> int:
        y = self.ctx.year_at(self.e.start) if self.needs_year else self.year
        if y is None:
            raise Unresolved
        return y

    def whole_year(self) -> Span:
        y = self.the_year()
        return Date(y, 1, 1), Date(y, 12, 31)
