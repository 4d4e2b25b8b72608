"""Dates and periods: find every time expression and resolve it against its context.

How it works (issue 4):
1. atoms: one pattern per kind of atom finds the years (`2020年`, `二〇二〇年`, `去年`), months
   (`3月`, `正月`, `上个月`), quarters, days (`25日`, `初一`), weekdays, holidays, parts (`上旬`, `底`),
   numeric dates (`2020.3.25`, `20240307`), vague or counted periods (`近年来`, `3年来`).
2. exprs: adjacent atoms of increasing precision join into one expression (`去年` + `11月` + `21日`);
   two expressions joined by 至/到/— make a range; 以来/至今/起 open the end, 截至 opens the start.
3. resolve (with whole, context, calendar): each expression resolves to a first and last day. A
   year the text leaves out comes from the same sentence, else from the last year named earlier in
   the paragraph, else from the document date. Words relative to the document (今年, 上周, 明天)
   resolve only when the document date is known; otherwise they keep value None and relative=True.
docdate infers the document date itself (infer_doc_date).

Values follow ../shared/eval/FORMAT.md: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `start/end` (either side
open). The lunar calendar (春节, 农历正月初一, solar terms) comes from lunar-python.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..segment import paragraphs, sentences
from ..text import rules
from ..text.numerals import parse_small
from ..text.spans import doc_text, set_span_extensions
from .atoms import Atom, Candidates
from .calendar import Date, fmt_period, month_end, safe_date, two_digit_year
from .context import Context, Unresolved, section_years
from .docdate import infer_doc_date, parse_doc_date, title_year
from .exprs import Expr, build_exprs
from .resolve import cn_year, resolve

__all__ = ["Atom", "Context", "Dates", "Expr", "Unresolved", "build_exprs", "find_atoms", "find_dates",
           "fmt_period", "infer_doc_date", "make_dates", "month_end", "resolve", "resolve_all"]


@Language.factory("zh_dates", assigns=["doc.spans"], default_config={"patterns": "dates"})
def make_dates(nlp: Language, name: str, patterns: str) -> Dates:
    return Dates(nlp, name, patterns)


class Dates:
    """doc.spans["dates"]: every time expression of the doc, with span._.value, ._.year and ._.relative,
    read against doc._.doc_date and doc._.title. Holds the word tables of patterns/<patterns>.toml
    and the candidate patterns compiled from them."""

    def __init__(self, nlp: Language | None = None, name: str = "zh_dates", patterns: str = "dates"):
        self.name = name
        self.words = _tables(rules.load(patterns))
        self.candidates = Candidates(self.words)
        self.standalone_parts = frozenset(self.words["lists"]["standalone_parts"])

    def find(self, text: str, doc_date: str | None = None, title: str | None = None) -> list[Expr]:
        """Every date expression of one article, resolved: Expr.start/end/value/relative/year."""
        ref = parse_doc_date(doc_date)
        # the year a summary is about: from the article's title, else a dated title line in its text
        art_year = (title_year(title) if title else None) or title_year(text)
        paras = paragraphs(text)
        ctx = Context(ref, art_year, text, sentences=sentences(text), paragraphs=paras, words=self.words,
                      sections=section_years(text, paras, self.words["lists"]["period_headings"]))
        exprs = build_exprs(text, self.candidates.find(text), self.standalone_parts, self.words)
        resolve_all(exprs, ctx)
        return exprs

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for e in self.find(doc_text(doc), doc._.doc_date, doc._.title):
            sp = doc.char_span(e.start, e.end, label="DATE", alignment_mode="expand")
            if sp is None:
                continue
            # (straight into doc.user_data, as sp._ would store them, without building its accessor)
            set_span_extensions(doc, sp.start_char, sp.end_char,
                                {"value": e.value, "year": e.year, "relative": bool(e.relative)})
            spans.append(sp)
        doc.spans["dates"] = spans
        return doc


def _tables(w: rules.Table) -> dict:
    """The tables of patterns/dates.toml the stage uses, as plain dicts and lists: it looks words up
    per atom, and a table of words is read as a whole (as rules.Table.lookup counts it)."""
    return {"lists": {k: list(w["lists"][k]) for k in ("solar_terms", "context_years", "vague", "standalone_parts",
                                                        "prior_years", "duration_words", "plan_words",
                                                        "period_headings", "compared_before", "compared_after",
                                                        "counted_from_now")},
            "glued": {k: {x: tuple(v) for x, v in w["glued"][k].items()} for k in ("before", "after", "within")},
            "years": {"chinese_digits": tuple(w["years"]["chinese_digits"])},
            "plans": {k: int(w["plans"][k]) for k in ("first_plan", "first_year", "years")},
            "parts": {k: {x: tuple(v) for x, v in w["parts"][k].items()} for k in ("year", "month")},
            "holidays": {k: dict(w["holidays"][k]) for k in ("solar", "lunar", "floating")},
            **{k: dict(w[k]) for k in ("eras", "relative_years", "relative_days", "term_aliases", "numbers",
                                       "weekdays")}}


@lru_cache(maxsize=1)
def _default() -> Dates:
    """The component as the pipeline builds it, for the functions below (outside a pipeline)."""
    return Dates()


def find_dates(text: str, doc_date: str | None = None, title: str | None = None) -> list[Expr]:
    """Every date expression of one article, resolved (Dates.find with patterns/dates.toml)."""
    return _default().find(text, doc_date, title)


def find_atoms(text: str) -> list[Atom]:
    """The atoms of a text (Candidates.find with patterns/dates.toml)."""
    return _default().candidates.find(text)


# ------------------------------------------------------------------ an article's expressions
def resolve_all(exprs: list[Expr], ctx: Context) -> None:
    """Resolve every expression in place (e.first, e.last, e.value, e.year; value None where the
    context does not tell), the years named outright first: they are the context of everything else."""
    prior = ctx.words["lists"]["prior_years"]
    for e in exprs:
        for p in [e] + ([e.end_expr] if e.end_expr else []):
            y = _named_year(p)
            if y is None and ctx.doc_date is not None and p.atoms and p.atoms[0].kind == "yrel" \
                    and p.atoms[0].text not in prior and not _compared(ctx, p):
                # 今年, 去年 name the year in force as well as 2017年 does (上年 is a comparison's base)
                y = ctx.doc_date.year + ctx.words["relative_years"][p.atoms[0].text]
            if y is not None:
                ctx.anchors.append((p.start, y))
    ctx.anchors.sort()
    for e in exprs:
        try:
            first, last = _period(e, ctx)
            if e.open_end:
                last = None
            e.first, e.last = first, last
            e.value = fmt_period(first, last)
            # a plan's five years fix no single year (GUIDELINES: a period total has year null)
            e.year = None if e.atoms and e.atoms[0].kind == "plan" else (first or last).year
            if first is not None and last is not None and (last - first).days < 32:
                ctx.months.append((e.start, last.year, last.month))
                ctx.months.sort()
        except (Unresolved, ValueError, OverflowError, KeyError, TypeError):
            e.value = None
            e.year = None


def _compared(ctx: Context, p: Expr) -> bool:
    """去年 as the base of a comparison (较去年, 去年同期): not the year the text goes on about."""
    lists = ctx.words["lists"]
    before = ctx.text[max(0, p.start - 2):p.start]
    return any(before.endswith(w) for w in lists["compared_before"]) \
        or any(ctx.text.startswith(w, p.end) for w in lists["compared_after"])


def _named_year(p: Expr) -> int | None:
    """The year an expression's first atom names outright (2020年, 2020.3.25, 07年3月, 二〇二〇年)."""
    if not p.atoms:
        return None
    a = p.atoms[0]
    if a.kind == "y4":
        return int(a.groups["y4"])
    if a.kind in ("ymd", "ymd8", "ym", "dmy"):
        return int(a.text[:4]) if a.kind != "dmy" else int(a.text[-4:])
    if a.kind == "y2" and len(p.atoms) > 1:
        return two_digit_year(int(a.groups["y2"]))
    if a.kind == "ycn":
        return cn_year(a.groups["ycn"])
    return None


def _period(e: Expr, ctx: Context) -> tuple[Date, Date]:
    """The first and last day of an expression with its range's end, before 以来 or 截至 open a side."""
    if e.bare.get("alone"):  # 3-5月, 1985到89年: the bare start takes the unit of the end
        end = e.end_expr
        b1, b2 = resolve(end, ctx)
        a1, _ = resolve(_bare_expr(e), ctx, {"year": b1.year, "month": (b1.year, b1.month)})
        e.relative = end.relative
        return a1, b2
    first, last = resolve(e, ctx)
    if e.bare:  # A + bare + connector + B: 2019年4月12-19日
        lvl = e.bare["level"]
        n = parse_small(e.bare["n"])
        if lvl == 3 and n:
            first = safe_date(first.year, first.month, n) or first
        elif lvl == 1 and n and 1 <= n <= 12:
            first = Date(first.year, n, 1)
    if e.end_expr is not None:
        inherit = {}
        if not any(x.level == 0 for x in e.end_expr.atoms):
            inherit["year"] = first.year
            if not any(x.level in (1, 2) for x in e.end_expr.atoms):
                inherit["month"] = (first.year, first.month)
        b1, b2 = resolve(e.end_expr, ctx, inherit)
        e.relative = e.relative or e.end_expr.relative
        if e.exclusive:
            b2 = b1 - dt.timedelta(days=1)
        last = b2 if b2 >= first else last
    return first, last


def _bare_expr(e: Expr) -> Expr:
    """The start of '3-5月' / '1985到89年': the bare number takes the unit of the expression after it."""
    n = e.bare["n"]
    lv = e.bare["level"]
    if lv == 0:
        kind = "y4" if len(n) == 4 and n.isdigit() else "y2" if n.isdigit() else "ycn"
        atoms = [Atom(kind, e.start, e.start + len(n), n, {kind: n}, 0)]
    elif lv == 1:
        atoms = [Atom("mon", e.start, e.start + len(n), n, {"mon_n": n}, 1)]
    else:
        atoms = [Atom("day", e.start, e.start + len(n), n, {"day_n": n}, 3)]
    return Expr(e.start, e.start + len(n), atoms)
