"""Calendar arithmetic for the dates stage: months and weeks, the lunar calendar and the solar terms
(lunar-python), seasons, festivals, the parts of a period (上旬, 年底), and the values written out."""
from __future__ import annotations

import datetime as dt
from calendar import monthrange
from functools import lru_cache

Date = dt.date


def two_digit_year(yy: int) -> int:
    """A pivot window: up to five years ahead of today is this century, anything later the last."""
    pivot = (dt.date.today().year + 5) % 100
    return 2000 + yy if yy <= pivot else 1900 + yy


def month_end(y: int, m: int) -> Date:
    return Date(y, m, monthrange(y, m)[1])


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def safe_date(y: int, m: int, d: int) -> Date | None:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


def week_start(d: Date) -> Date:
    return d - dt.timedelta(days=d.weekday())


def first_monday(y: int, m: int) -> Date:
    d = Date(y, m, 1)
    return d + dt.timedelta(days=(7 - d.weekday()) % 7)


def nth_weekday(y: int, m: int, n: int, wd: int) -> Date | None:
    d = Date(y, m, 1)
    d += dt.timedelta(days=(wd - d.weekday()) % 7 + 7 * (n - 1))
    return d if d.month == m else None


# ------------------------------------------------------------------ the lunar calendar
@lru_cache(maxsize=4096)
def lunar_to_solar(y: int, m: int, d: int, leap: bool = False) -> Date | None:
    """Lunar y-m-d (m 12 + d 30 = the last day of the year) -> Gregorian date."""
    try:
        from lunar_python import LunarMonth, Lunar
    except ImportError:  # pragma: no cover - declared dependency
        return None
    try:
        lm = LunarMonth.fromYm(y, -m if leap else m)
        if lm is None:
            return None
        d = min(d, lm.getDayCount())
        s = Lunar.fromYmd(y, -m if leap else m, d).getSolar()
        return Date(s.getYear(), s.getMonth(), s.getDay())
    except Exception:
        return None


def lunar_month_range(y: int, m: int, leap: bool = False) -> tuple[Date, Date] | None:
    a = lunar_to_solar(y, m, 1, leap)
    b = lunar_to_solar(y, m, 30, leap)
    return (a, b) if a and b else None


def lunar_ym(solar_first: Date) -> tuple[int, int]:
    """The lunar year and month of a Gregorian day."""
    from lunar_python import Solar

    lun = Solar.fromYmd(solar_first.year, solar_first.month, solar_first.day).getLunar()
    return lun.getYear(), abs(lun.getMonth())


@lru_cache(maxsize=256)
def _terms(y: int) -> dict[str, Date]:
    """Solar terms of the cycle that starts at 立春 of year y (so 小寒, 大寒 fall in January of y+1)."""
    from lunar_python import Lunar

    found: list[tuple[str, Date]] = []
    for ly in (y, y + 1):
        for name, s in Lunar.fromYmd(ly, 6, 1).getJieQiTable().items():
            found.append((name, Date(s.getYear(), s.getMonth(), s.getDay())))
    # the library keys the neighbouring cycle's terms in pinyin; map them back by order of the day
    lichun = next(d for n, d in found if n == "立春" and d.year == y)
    out: dict[str, Date] = {}
    for name, d in sorted(found, key=lambda t: t[1]):
        if d >= lichun and not name.isascii() and name not in out:
            out[name] = d
    return out


def solar_term(y: int, name: str) -> Date | None:
    """The day of a solar term by the library's name (simplified: 清明, 惊蛰)."""
    try:
        return _terms(y).get(name)
    except Exception:
        return None


def season(y: int, ch: str) -> tuple[Date, Date] | None:
    """Seasons by the solar terms: 春 = 立春 .. the day before 立夏, 冬 runs into the next year."""
    starts = {"春": ("立春", "立夏"), "夏": ("立夏", "立秋"), "秋": ("立秋", "立冬"), "冬": ("立冬", None)}
    a_name, b_name = starts[ch]
    a = solar_term(y, a_name)
    b = solar_term(y, b_name) if b_name else solar_term(y + 1, "立春")
    return (a, b - dt.timedelta(days=1)) if a and b else None


def holiday(name: str, y: int, kind: str, words: dict) -> Date | None:
    """The day of a festival (words: patterns/dates.toml's tables) or, for kind "term", a solar term."""
    if kind == "term":
        return solar_term(y, words["term_aliases"].get(name, name))
    days = words["holidays"]
    if name in days["solar"]:
        m, d = map(int, days["solar"][name].split("-"))
        return Date(y, m, d)
    if name in days["lunar"]:
        m, d = map(int, days["lunar"][name].split("-"))
        return lunar_to_solar(y, m, d)
    if name in days["floating"]:
        m, n, wd = days["floating"][name]
        return nth_weekday(y, m, n, wd)
    return None


# ------------------------------------------------------------------ parts of a period
def apply_part(lo: Date, hi: Date, part: str, unit: str, parts: dict | None = None) -> tuple[Date, Date]:
    """The part (初, 中旬, 底, 末期) of a year, quarter, month, decade or century [lo, hi]. parts: the
    months of a part of a year and the days of a part of a month (dates.toml [parts])."""
    p = part.lstrip("年月")
    y = lo.year
    if unit == "year":
        months = (parts or {}).get("year", {}).get(p)
        if months:
            return Date(y, months[0], 1), month_end(y, months[1])
        return lo, hi
    if unit == "quarter":
        if p in ("初", "初期"):
            return lo, month_end(lo.year, lo.month)
        if p in ("底", "末"):
            return Date(hi.year, hi.month, 1), hi
        return lo, hi
    if unit in ("decade", "century"):
        span = hi.year - lo.year + 1
        k = max(1, span * 3 // 10) if unit == "decade" else span // 5
        if p in ("初", "初期", "前期"):
            return lo, Date(lo.year + k - 1, 12, 31)
        if p in ("末", "末期", "后期", "後期"):
            return Date(hi.year - k + 1, 1, 1), hi
        if p in ("中期", "中叶", "中"):
            return Date(lo.year + k, 1, 1), Date(hi.year - k, 12, 31)
        return lo, hi
    # month
    days = (parts or {}).get("month", {}).get(p)
    if days:
        last = month_end(y, lo.month)
        return safe_date(y, lo.month, days[0]) or last, safe_date(y, lo.month, days[1]) or last
    return lo, hi


# ------------------------------------------------------------------ values
def fmt_first(d: Date) -> str:
    if d.month == 1 and d.day == 1:
        return f"{d.year:04d}"
    if d.day == 1:
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def fmt_last(d: Date) -> str:
    if d.month == 12 and d.day == 31:
        return f"{d.year:04d}"
    if d == month_end(d.year, d.month):
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def fmt_period(a: Date | None, b: Date | None) -> str:
    """The shortest value with the same first and last day: '2021', '2021-03', '2021-03-25', 'a/b'."""
    if a is not None and b is not None:
        if a == b:
            return a.isoformat()
        if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
            return f"{a.year:04d}" if a.year == b.year else f"{a.year:04d}/{b.year:04d}"
        if a.day == 1 and b == month_end(b.year, b.month):
            if (a.year, a.month) == (b.year, b.month):
                return f"{a.year:04d}-{a.month:02d}"
            return f"{a.year:04d}-{a.month:02d}/{b.year:04d}-{b.month:02d}"
        return f"{a.isoformat()}/{b.isoformat()}"
    return f"{fmt_first(a) if a else ''}/{fmt_last(b) if b else ''}"
