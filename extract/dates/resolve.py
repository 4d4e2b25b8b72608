"""Resolution: each expression -> its first and last day.

resolve() reads an expression's atoms from the coarsest. An expression that stands alone (a numeric
date, a counted period, a century) is resolved whole by its first atom (WHOLE). Otherwise the year
(YEARS), then the month or a period of the year (MONTHS), the week (WEEKS), the day (DAYS) and a part
(上旬, 年底) each narrow the period found so far. Each table maps a kind of atom to its resolver.
"""
from __future__ import annotations

import datetime as dt
from calendar import isleap

from ..text.numerals import parse_digits, parse_small
from .atoms import Atom, dur_parts, number
from .calendar import (Date, add_months, apply_part, first_monday, holiday, lunar_month_range, lunar_to_solar,
                       lunar_ym, month_end, nth_weekday, safe_date, season, two_digit_year, week_start)
from .context import Context, Resolving, Span, Unresolved
from .exprs import Expr
from .whole import (century, counted_period, five_year_plan, day_month_year, decade, eight_digits, month_day,
                    relative_day, this_and_next_year, two_digit_date, vague, year_month, year_month_day)


def resolve(e: Expr, ctx: Context, inherit: dict | None = None) -> Span:
    """(first day, last day) of one expression; sets e.relative / e.explicit_year on the way.
    inherit: the year and month a range's start gives its end ({"year": y, "month": (y, m)}).
    A period whose year only the document date gives, that would start after that date, is the year
    before's unless its clause states a plan (context.from_document): 三季度 in a January report."""
    r = Resolving(e, ctx, inherit or {})
    span = _resolve(r)
    if r.needs_year and ctx.doc_date is not None and span[0] > ctx.doc_date \
            and all(a.kind in _REVIEWED for a in r.atoms) and ctx.from_document(e.start, r.day):
        try:
            return _resolve(Resolving(e, ctx, {**(inherit or {}), "year": span[0].year - 1}))
        except Unresolved:  # 2月29日 of a year that has none
            pass
    return span


# the periods of a year a report looks back on (not a festival or a week, which a notice announces)
_REVIEWED = frozenset(("qtr", "half", "mon", "mofy", "day", "part"))


def _resolve(r: Resolving) -> Span:
    e = r.e
    first = r.first
    if first.kind in WHOLE:
        return WHOLE[first.kind](first, r)
    rest = r.atoms
    if first.level == 0:
        rest = rest[1:]
        r.year = YEARS[first.kind](first, r)
        if first.kind not in ("yrel", "yctx", "ynext"):
            e.explicit_year = r.year
    if r.year is None:
        r.year = r.inherit.get("year")
    r.needs_year = r.year is None
    if not rest:
        return Date(r.year, 1, 1), Date(r.year, 12, 31)
    i = 0
    if rest[0].level == 1:
        i = 1
        if rest[0].kind in MONTHS:
            r.lo, r.hi = MONTHS[rest[0].kind](rest[0], r)
    if i < len(rest) and rest[i].level == 2:
        r.lo, r.hi = WEEKS[rest[i].kind](rest[i], r)
        i += 1
    if i < len(rest) and rest[i].level == 3:
        if rest[i].kind in DAYS:
            r.lo, r.hi = DAYS[rest[i].kind](rest[i], r)
        i += 1
    if i < len(rest) and rest[i].kind == "part":
        r.lo, r.hi = part_of_period(rest[i], r)
    return (r.lo, r.hi) if r.lo is not None else r.whole_year()


# ------------------------------------------------------------------ years
def year_number(a: Atom, r: Resolving) -> int:  # 2020年, 公元618年
    return int(a.groups[a.kind])


def two_digit(a: Atom, r: Resolving) -> int:  # 07年
    return two_digit_year(int(a.groups["y2"]))


def year_in_digits(a: Atom, r: Resolving) -> int:  # 二〇二〇年, 九七年
    return cn_year(a.groups["ycn"])


def cn_year(digits: str) -> int:
    n = parse_digits(digits)
    return two_digit_year(n) if len(digits) == 2 else n


def year_in_thousands(a: Atom, r: Resolving) -> int:  # 两千零四年
    return parse_small(a.groups["yk"])


def era_year(a: Atom, r: Resolving) -> int:  # 康熙三年, 民国元年
    return r.words["eras"][a.groups["eran"]] + (number(a.groups["eray"], r.words) or 1) - 1


def relative_year(a: Atom, r: Resolving) -> int:  # 去年, 明年; 上年: before the year in force
    r.e.relative = True
    if a.text in r.words["lists"]["prior_years"]:
        year = r.ctx.year_in_force(a.start)
        if year is not None:
            return year - 1
    return r.ctx.ref().year + r.words["relative_years"][a.text]


def next_year(a: Atom, r: Resolving) -> int:  # 次年: after the one named before, else the document's
    r.e.relative = True
    year = r.ctx.context_year(a.start, reviewed=False)
    if year is None:
        raise Unresolved
    return year + 1


def context_year(a: Atom, r: Resolving) -> int:  # 这一年, 当年
    r.e.relative = True
    year = r.ctx.context_year(a.start)
    if year is None:
        raise Unresolved
    return year


# ------------------------------------------------------------------ months and periods of a year
def month(a: Atom, r: Resolving) -> Span:  # 3月, 正月, 闰四月
    m = number(a.groups["mon_n"], r.words)
    y = r.the_year()
    if r.lunar:
        span = lunar_month_range(y, m, bool(a.groups.get("leap")))
        if not span:
            raise Unresolved
        return span
    return Date(y, m, 1), month_end(y, m)


def relative_month(a: Atom, r: Resolving) -> Span:  # 上个月, 本月; 同月: the month named before
    base = r.ctx.ref() if a.text[:1] not in ("同",) else None
    if base is None:
        ym = r.ctx.month_at(r.e.start)
        if not ym:
            raise Unresolved
        y, m = ym
    else:
        off = {"上": -1, "下": 1, "次": 1}.get(a.text[0], 0)
        y, m = add_months(r.year if r.first.level == 0 else base.year, base.month, off)
        r.e.relative = True
    return Date(y, m, 1), month_end(y, m)


def quarter(a: Atom, r: Resolving) -> Span:  # 二季度, Q3, 前两季度, 上季度
    g = a.groups
    if g.get("qr"):
        ref = r.ctx.ref()
        r.e.relative = True
        off = -1 if g["qr"].startswith("上") else 1 if g["qr"].startswith("下") else 0
        q = (ref.month - 1) // 3 + off
        y = ref.year + q // 4
        q = q % 4 + 1
        return Date(y, 3 * q - 2, 1), month_end(y, 3 * q)
    y = r.the_year()
    if g.get("qn"):
        n = parse_small(g["qn"]) or 1
        if g.get("qp") in ("后", "後"):
            return Date(y, 13 - 3 * n, 1), Date(y, 12, 31)
        return Date(y, 1, 1), month_end(y, 3 * n)
    q = number(g.get("qk") or g.get("qk2") or g.get("qk3") or "1", r.words) or 1
    return Date(y, 3 * q - 2, 1), month_end(y, 3 * q)


def half_year(a: Atom, r: Resolving) -> Span:  # 上半年, 后半年
    y = r.the_year()
    return (Date(y, 1, 1), Date(y, 6, 30)) if a.text[0] in "上前" else (Date(y, 7, 1), Date(y, 12, 31))


def months_of_year(a: Atom, r: Resolving) -> Span:  # 前三个月, 最后两个月, 第3个月, 首月
    g = a.groups
    y = r.the_year()
    n = parse_small(g.get("mofyn") or g.get("mofyk") or "1") or 1
    if g.get("mofyk") or a.text == "首月":
        return Date(y, n, 1), month_end(y, n)
    if g.get("mofyp") in ("后", "後", "最后"):
        return Date(y, 13 - n, 1), Date(y, 12, 31)
    return Date(y, 1, 1), month_end(y, n)


def season_of_year(a: Atom, r: Resolving) -> Span:  # 春季, 2020年秋
    span = season(r.the_year(), a.text[0])
    if not span:
        raise Unresolved
    return span


def festival(a: Atom, r: Resolving) -> Span:  # 国庆节, 中秋, 冬至
    d = holiday(a.text, r.the_year(), a.kind, r.words)
    if d is None:
        raise Unresolved
    return d, d


# ------------------------------------------------------------------ weeks
def nth_week(a: Atom, r: Resolving) -> Span:  # (3月)第二周, 第二个星期六
    n = parse_small(a.groups["wnn"]) or 1
    wd = a.groups.get("wnd")
    lo = r.lo if r.lo is not None else r.whole_year()[0]
    if wd:
        d = nth_weekday(lo.year, lo.month, n, r.words["weekdays"][wd])
        if d is None:
            raise Unresolved
        return d, d
    s = first_monday(lo.year, lo.month) + dt.timedelta(weeks=n - 1)
    return s, s + dt.timedelta(days=6)


def relative_week(a: Atom, r: Resolving) -> Span:  # 上周, 下下周, 下周六, 这周末
    ref = r.ctx.ref()
    r.e.relative = True
    wp = a.groups.get("wp") or ""
    off = {"上上": -2, "下下": 2}.get(wp, -1 if wp.startswith("上") else 1 if wp.startswith("下") else 0)
    s = week_start(ref) + dt.timedelta(weeks=off)
    wd = a.groups.get("wd")
    if wd == "末":
        return s + dt.timedelta(days=5), s + dt.timedelta(days=6)
    if wd:
        d = s + dt.timedelta(days=r.words["weekdays"][wd])
        return d, d
    return s, s + dt.timedelta(days=6)


# ------------------------------------------------------------------ days
def day_of_month(a: Atom, r: Resolving) -> Span:  # 25日, 初一, 廿三
    d = parse_small(a.groups.get("day_n") or a.groups.get("lday_n"))
    lo = r.lo
    if lo is None:
        if r.lunar:  # 大年初一
            day = lunar_to_solar(r.the_year(), 1, d)
            if not day:
                raise Unresolved
            return day, day
        day = _lone_day(d, r.e, r.ctx, r.inherit)
        return day, day
    if r.lunar:
        ly, lm = lunar_ym(lo)
        day = lunar_to_solar(ly, lm, d, any(x.groups.get("leap") for x in r.atoms))
    else:
        day = safe_date(lo.year, lo.month, d) if d else None
        if day is None and r.needs_year and (lo.month, d) == (2, 29):  # no year: the nearest leap year
            y = min((lo.year + k for k in range(-3, 4) if isleap(lo.year + k)), key=lambda v: abs(v - lo.year))
            day = Date(y, 2, 29)
    if not day:
        raise Unresolved
    return day, day


def _lone_day(d: int | None, e: Expr, ctx: Context, inherit: dict) -> Date:
    """25日 alone: the month named before (in the range or paragraph), else the document's month (or
    the one before, where the document's has no such day)."""
    if not d:
        raise Unresolved
    if inherit.get("month"):
        y, m = inherit["month"]
        r = safe_date(y, m, d)
        if r:
            return r
        raise Unresolved
    ym = ctx.month_at(e.start)
    if ym:
        r = safe_date(ym[0], ym[1], d)
        if r:
            return r
    ref = ctx.ref()
    e.relative = True
    r = safe_date(ref.year, ref.month, d)
    if r:
        return r
    y, m = add_months(ref.year, ref.month, -1)
    r = safe_date(y, m, d)
    if r:
        return r
    raise Unresolved


def days_of_month(a: Atom, r: Resolving) -> Span:  # 4月前4天, 上月最后五天
    parts = dur_parts(a)
    lo, hi = r.lo, r.hi
    if lo is None or parts is None or parts[0] is None or parts[1] != "天":
        raise Unresolved
    n = int(parts[0])
    if a.groups.get("durp") in ("前",):
        return lo, min(hi, lo + dt.timedelta(days=n - 1))
    return max(lo, hi - dt.timedelta(days=n - 1)), hi


def weekday(a: Atom, r: Resolving) -> Span:  # 周三: in the week named before, else the next one
    wd = r.words["weekdays"].get(a.groups.get("wd"))
    lo = r.lo
    if lo is not None and wd is not None:
        d = week_start(lo) + dt.timedelta(days=wd)
        return d, d
    if a.groups.get("wd") == "末" and lo is not None:
        return week_start(lo) + dt.timedelta(days=5), week_start(lo) + dt.timedelta(days=6)
    r.e.relative = True
    ref = r.ctx.ref()
    if a.groups.get("wd") == "末":
        s = week_start(ref)
        return s + dt.timedelta(days=5), s + dt.timedelta(days=6)
    d = ref + dt.timedelta(days=(wd - ref.weekday()) % 7)
    return d, d


# ------------------------------------------------------------------ parts
def part_of_period(a: Atom, r: Resolving) -> Span:  # 上旬, 年底, 月初: of the period so far, or alone
    lo, hi = r.lo, r.hi
    if lo is None:
        if a.text[:1] in "年岁歲" or not r.needs_year:  # 年底, 岁末, 2022年初
            lo, hi = r.whole_year()
        else:  # 月底 alone: the month named before in the paragraph, else the document's
            ym = r.ctx.month_at(r.e.start)
            if ym is None:
                ref = r.ctx.ref()
                r.e.relative = True
                ym = ref.year, ref.month
            lo, hi = Date(ym[0], ym[1], 1), month_end(*ym)
    days = (hi - lo).days + 1
    unit = "year" if days > 300 else "quarter" if 85 <= days <= 95 else "month"
    return apply_part(lo, hi, a.text, unit, r.words["parts"])


WHOLE = {"ymd": year_month_day, "ymds": year_month_day, "ymd8": eight_digits, "dmy": day_month_year,
         "dmy2": two_digit_date, "ym": year_month, "md": month_day, "vague": vague, "drel": relative_day,
         "dur": counted_period, "plan": five_year_plan, "jnln": this_and_next_year, "cent": decade, "cent2": century}
YEARS = {"y4": year_number, "y3": year_number, "y2": two_digit, "ycn": year_in_digits, "yk": year_in_thousands,
         "era": era_year, "yrel": relative_year, "ynext": next_year, "yctx": context_year}
MONTHS = {"mon": month, "mrel": relative_month, "qtr": quarter, "half": half_year, "mofy": months_of_year,
          "season": season_of_year, "hol": festival, "term": festival}
WEEKS = {"weeknth": nth_week, "week": relative_week}
DAYS = {"day": day_of_month, "lday": day_of_month, "dur": days_of_month, "week": weekday}
