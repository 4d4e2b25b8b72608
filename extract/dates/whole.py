"""Expressions resolved whole by their first atom: a numeric date (2020.3.25, 20240307, 3-7-07), a
vague period, a day or a period counted from the document date (明天, 近三年, 3年来, 20天后, 今明两年),
a century or decade (20世纪初, 80年代末)."""
from __future__ import annotations

import datetime as dt

import regex

from ..text.numerals import parse_small
from .atoms import Atom, dur_parts
from .calendar import Date, add_months, apply_part, month_end, safe_date, two_digit_year, week_start
from .context import Context, Resolving, Span, Unresolved, reviewed_year
from .exprs import Expr, _HAN_CHAR as _HAN

_NUMERIC_SEP = regex.compile(r"[./\-· \t]")


# ------------------------------------------------------------------ expressions that stand alone
def _numbers(a: Atom) -> list[str]:
    return [p for p in _NUMERIC_SEP.split(a.text) if p]


def _one_day(y: int, m: int, d: int, e: Expr) -> Span:
    day = safe_date(y, m, d)
    if day is None:
        raise Unresolved
    e.explicit_year = y
    return day, day


def year_month_day(a: Atom, r: Resolving) -> Span:  # 2020.3.25, 2020-03-25, 2020 3 25
    y, m, d = map(int, _numbers(a))
    return _one_day(y, m, d, r.e)


def eight_digits(a: Atom, r: Resolving) -> Span:  # 20240307
    t = a.text
    return _one_day(int(t[:4]), int(t[4:6]), int(t[6:8]), r.e)


def day_month_year(a: Atom, r: Resolving) -> Span:  # 13.5.2015
    d, m, y = map(int, _numbers(a))
    return _one_day(y, m, d, r.e)


def two_digit_date(a: Atom, r: Resolving) -> Span:
    """3-7-07, 07/7/3: a side that cannot be a day, or a single digit at the other end, is the year."""
    p0, p1, p2 = _numbers(a)
    if int(p0) > 31 or len(p2) == 1:
        y, m, d = two_digit_year(int(p0)), int(p1), int(p2)
    elif int(p2) > 31 or len(p0) == 1:
        d, m, y = int(p0), int(p1), two_digit_year(int(p2))
    else:
        y, m, d = two_digit_year(int(p0)), int(p1), int(p2)
    return _one_day(y, m, d, r.e)


def year_month(a: Atom, r: Resolving) -> Span:  # 2008.03, 2019-04
    parts = _numbers(a)
    y, m = int(parts[0]), int(parts[1])
    r.e.explicit_year = y
    if not 1 <= m <= 12:
        raise Unresolved
    return Date(y, m, 1), month_end(y, m)


def month_day(a: Atom, r: Resolving) -> Span:  # 03-25, 5·29: in the year of the context
    parts = _numbers(a)
    m, d = int(parts[0]), int(parts[1])
    y = r.ctx.year_at(r.e.start)
    if y is None:
        raise Unresolved
    day = safe_date(y, m, d)
    if not day:
        raise Unresolved
    return day, day


def vague(a: Atom, r: Resolving) -> Span:  # 近年来: relative, never resolved
    r.e.relative = True
    raise Unresolved


def relative_day(a: Atom, r: Resolving) -> Span:  # 明天, 大前天
    r.e.relative = True
    d = r.ctx.ref() + dt.timedelta(days=r.words["relative_days"][a.text])
    return d, d


def counted_period(a: Atom, r: Resolving) -> Span:  # 近三年, 3年来, 20天后
    r.e.relative = True
    if _after_event(a, r):
        raise Unresolved
    return _counted(a, r.ctx)


def _after_event(a: Atom, r: Resolving) -> bool:
    """断流30年后, 此后五年: counted from an event the text names, not from the document date (a word
    right before it, not one of lists.counted_from_now: 再过三年后, 到10年后)."""
    g = a.groups
    if g.get("durp") in ("此后", "此後"):
        return True
    if g.get("durp") or (g.get("durs") or "") not in _FROM_EVENT:
        return False
    before = r.ctx.text[max(0, a.start - 1):a.start]
    return bool(_HAN.match(before)) and before not in r.words["lists"]["counted_from_now"]


def five_year_plan(a: Atom, r: Resolving) -> Span:  # “十四五”期间: 2021-2025 ([plans] of dates.toml)
    p = r.words["plans"]
    n = parse_small(a.groups["plann"])
    if n is None or n < p["first_plan"]:
        raise Unresolved
    start = p["first_year"] + p["years"] * (n - p["first_plan"])
    return Date(start, 1, 1), Date(start + p["years"] - 1, 12, 31)


def this_and_next_year(a: Atom, r: Resolving) -> Span:  # 今明两年
    r.e.relative = True
    y = r.ctx.ref().year
    return Date(y, 1, 1), Date(y + 1, 12, 31)


def century(a: Atom, r: Resolving) -> Span:  # 20世纪(初)
    c = parse_small(a.groups["cent2n"]) or 1
    return _with_part(Date((c - 1) * 100 or 1, 1, 1), Date((c - 1) * 100 + 99, 12, 31), r, "century")


def decade(a: Atom, r: Resolving) -> Span:  # 80年代(末), 上世纪90年代, 20世纪80年代
    g = a.groups
    dec = parse_small(g["dec"]) or 0
    this_year = r.ctx.doc_date.year if r.ctx.doc_date else dt.date.today().year
    if g.get("centp") == "上":
        base = (this_year // 100 - 1) * 100
    elif g.get("centp") == "本":
        base = this_year // 100 * 100
    elif g.get("centn"):
        base = ((parse_small(g["centn"]) or 20) - 1) * 100
    else:
        base = 1900  # 九十年代, 50年代: the last century, as the texts mean
    return _with_part(Date(base + dec, 1, 1), Date(base + dec + 9, 12, 31), r, "decade")


def _with_part(lo: Date, hi: Date, r: Resolving, unit: str) -> Span:
    part = next((x for x in r.atoms[1:] if x.kind == "part"), None)
    return apply_part(lo, hi, part.text, unit) if part else (lo, hi)


_FROM_EVENT = ("前", "后", "後", "之前", "之后", "之後", "以前", "以后", "以後")
_WEEK_UNITS = ("周", "週", "星期", "礼拜")
_SINCE = ("来", "來", "以来", "以來")


def _counted(a: Atom, ctx: Context) -> Span:
    """近三年, 过去十年, 3年来, 两年前, 20天后, 4周后, 一年半后."""
    g = a.groups
    parts = dur_parts(a)
    if parts is None or parts[0] is None:  # 几年来
        raise Unresolved
    n, unit, more = parts
    pre, suf = g.get("durp"), g.get("durs") or ""
    if g["durb"] in ("一年",) and (suf in _SINCE and not pre or pre in ("过去", "過去") and not suf):
        # 一年来: the year the article is about
        y = ctx.article_year or reviewed_year(ctx.ref())
        return Date(y, 1, 1), Date(y, 12, 31)
    ref = ctx.ref()

    def shift(k: float) -> Date:
        if unit == "年" or (unit == "月"):
            months = int(round(k * (12 if unit == "年" else 1)))
            y, m = add_months(ref.year, ref.month, months)
            return safe_date(y, m, ref.day) or month_end(y, m)
        days = k * (7 if unit in _WEEK_UNITS else 1)
        return ref + dt.timedelta(days=int(days))

    since = suf in _SINCE
    if suf in ("内", "內", "以内", "之内"):  # 17天内, 3年半以内: from the document date on
        d = shift(n)
        return ref, (d if unit in ("天", *_WEEK_UNITS) else month_end(d.year, d.month))
    if since and (more or n != int(n)):
        # 3年多以来 / 3个多月以来 / 3年半以来: from the start of that year or month
        d = shift(-n)
        return (Date(d.year, 1, 1) if more and unit == "年" else Date(d.year, d.month, 1)), ref
    if since or pre in ("近", "过去", "過去", "最近", "前", "上"):
        if unit == "年" and n == int(n) and suf and not pre:
            # N年来 counts whole years up to the last one
            y = reviewed_year(ref)
            return Date(y - int(n) + 1, 1, 1), Date(y, 12, 31)
        return shift(-n), ref
    if pre in ("未来", "未來") and unit == "月":  # 未来2个月: this month and the next
        y, m = add_months(ref.year, ref.month, int(n) - 1)
        return ref, month_end(y, m)
    if pre in ("未来", "未來", "今后", "今後", "后", "後", "下"):
        return ref + dt.timedelta(days=1), shift(n)
    d = shift(-n) if suf in ("前", "之前", "以前") else shift(n)
    if unit == "年" and n == int(n):
        return Date(d.year, 1, 1), Date(d.year, 12, 31)
    if unit == "年" or unit == "月":
        return Date(d.year, d.month, 1), month_end(d.year, d.month)
    if unit in _WEEK_UNITS:
        s = week_start(d)
        return s, s + dt.timedelta(days=6)
    return d, d
