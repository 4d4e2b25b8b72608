"""Dates and periods: find every time expression and resolve it against its context.

How it works (issue 4):
1. One compiled regex pass finds *atoms*: a year (`2020年`, `二〇二〇年`, `去年`), a month (`3月`, `正月`,
   `上个月`), a quarter, a day (`25日`, `初一`), a weekday, a holiday, a part (`上旬`, `底`), a numeric
   date (`2020.3.25`, `20240307`), a vague or counted period (`近年来`, `3年来`).
2. Adjacent atoms of increasing precision join into one expression (`去年` + `11月` + `21日`); two
   expressions joined by 至/到/— make a range; 以来/至今/起 open the end, 截至 opens the start.
3. Each expression resolves to a first and last day. A year the text leaves out comes from the same
   sentence, else from the last year named earlier in the paragraph, else from the document date.
   Words relative to the document (今年, 上周, 明天) resolve only when the document date is known;
   otherwise they keep value None and relative=True.

Values follow ../shared/eval/FORMAT.md: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `start/end` (either side
open). The lunar calendar (春节, 农历正月初一, solar terms) comes from lunar-python.
"""
from __future__ import annotations

import calendar
import heapq
import re
import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from .text import rules
from .text.spans import doc_text, set_span_extensions

Date = dt.date

# ------------------------------------------------------------------ numbers
_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}


def cn_int(s: str) -> int | None:
    """'12', '十二', '二十三', '廿一', '卅', '两千零四', '元' (first year) -> int; None if not a number."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if s in ("元", "首"):
        return 1
    if s in ("正",):
        return 1
    if s in ("腊", "臘"):
        return 12
    if s == "冬":
        return 11
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGIT:
            cur = _CN_DIGIT[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "廿":
            total += 20
        elif ch == "卅":
            total += 30
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        elif ch == "千":
            total += (cur or 1) * 1000
            cur = 0
        elif ch.isdigit():
            cur = cur * 10 + int(ch)
        else:
            return None
    return total + cur


def cn_digits(s: str) -> int:
    """Digit by digit: '二〇二〇' -> 2020, '九七' -> 97."""
    return int("".join(str(_CN_DIGIT[c]) if c in _CN_DIGIT else c for c in s))


def two_digit_year(yy: int) -> int:
    """A pivot window: up to five years ahead of today is this century, anything later the last."""
    pivot = (dt.date.today().year + 5) % 100
    return 2000 + yy if yy <= pivot else 1900 + yy


# ------------------------------------------------------------------ calendar helpers
def month_end(y: int, m: int) -> Date:
    return Date(y, m, calendar.monthrange(y, m)[1])


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


_TERM_ALIASES = {"清明节": "清明", "清明節": "清明", "驚蟄": "惊蛰", "芒種": "芒种", "處暑": "处暑"}


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
    try:
        return _terms(y).get(_TERM_ALIASES.get(name, name))
    except Exception:
        return None


def season(y: int, ch: str) -> tuple[Date, Date] | None:
    """Seasons by the solar terms: 春 = 立春 .. the day before 立夏, 冬 runs into the next year."""
    starts = {"春": ("立春", "立夏"), "夏": ("立夏", "立秋"), "秋": ("立秋", "立冬"), "冬": ("立冬", None)}
    a_name, b_name = starts[ch]
    a = solar_term(y, a_name)
    b = solar_term(y, b_name) if b_name else solar_term(y + 1, "立春")
    return (a, b - dt.timedelta(days=1)) if a and b else None


# ------------------------------------------------------------------ words (patterns/dates.toml)
@lru_cache(maxsize=None)
def words() -> dict:
    return rules.load("dates")


def _alt(names) -> str:
    return "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))


# ------------------------------------------------------------------ the candidate regex
S = r"[ \t\u3000\xa0]*"
CNN = "〇零一二三四五六七八九十两"
MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]|正|腊|臘|冬)"
DAYN = r"(?:3[01]|[12]\d|0?[1-9]|[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九]|廿[一二三四五六七八九]?|卅一?)"
NUM = rf"(?<![\d.{CNN}])(?:[1-9]\d{{0,2}}|[{CNN}几]{{1,3}}|半)"
DUR_BODY = (rf"{NUM}{S}多?{S}(?:(?:个|個){S}[多半]?{S}(?:月|星期|礼拜|禮拜|周)"
            rf"|半?{S}(?:年|周|週|星期|礼拜|禮拜|天))[多半]?")
DUR_SUF = r"以来|以來|来|來|之前|之后|之後|以前|以后|以後|前|后|後|以内|之内|内|內"
# words that make a number after a month a count, not a day
_UNIT_AFTER = r"[\d年月个個万亿千百元人户戶名次件项項天周岁歲家所座条条篇期场台吨亩公斤米份%.％]"
# (patterns used per atom or per line are compiled once: regex.match(str, ...) looks each up again)
_UNIT_AFTER_RE = regex.compile(_UNIT_AFTER)
_HAN_CHAR = regex.compile(r"\p{Han}")
_NAME_BEFORE_DAY = regex.compile(r"(?![至到])[\p{Han}“\"「『《]")
_NUMERIC_SEP = regex.compile(r"[./\-· \t]")
_SECTION_NUMBER = regex.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]")
_TITLE_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年(?:度)?")


def _build() -> list[str]:
    w = words()
    hol = list(w["holidays"]["solar"]) + list(w["holidays"]["lunar"]) + list(w["holidays"]["floating"])
    rel_years = list(w["relative_years"])
    ctx_years = list(w["lists"]["context_years"])
    vague = list(w["lists"]["vague"])
    rel_days = list(w["relative_days"])
    eras = list(w["eras"])
    terms = list(w["lists"]["solar_terms"])
    p = [
        # numeric dates
        r"(?P<ymd>(?:(?<![\d.\-/])|(?<=\d[\-—~～]))(?:1\d|20)\d{2}[./\-](?:1[0-2]|0?[1-9])[./\-](?:3[01]|[12]\d|0?[1-9])(?![\d%]))",
        r"(?P<dmy>(?:(?<![\d.\-/])|(?<=\d[\-—~～]))(?:3[01]|[12]\d|0?[1-9])(?P<sep1>[./\-])(?:1[0-2]|0?[1-9])(?P=sep1)(?:1\d|20)\d{2}(?![\d%]))",
        r"(?P<dmy2>(?<![\d.\-/])\d{1,2}(?P<sep2>[\-/])\d{1,2}(?P=sep2)\d{1,2}(?![\d%.\-/]))",
        r"(?P<ymds>(?m:^)[ \t]*(?:1\d|20)\d{2} (?:1[0-2]|0?[1-9]) (?:3[01]|[12]\d|0?[1-9])(?=[ \t]*$))",
        r"(?P<ymd8>(?<![\d.])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?![\d.%])(?!\s*[万亿千百元人户名个次件项]))",
        # 2008.03 looks like an amount: a date only when a range or a word follows, or it ends a range
        r"(?P<ym>(?:(?<=\d[\-—~～至到])|(?<![\d.\-/])(?=\d{4}[./]\d{1,2}[ \t]*(?:[\-—~～至到]|(?![万亿千百元人户名个次件项])\p{Han})))"
        r"(?:19|20)\d{2}[./](?:1[0-2]|0?[1-9])(?![\d%])(?![ \t]*[万亿千百元人户名个次件项%])"
        r"|(?<![\d.\-/])(?:19|20)\d{2}-(?:0[1-9]|1[0-2])(?![\d%\-/.])(?![ \t]*[万亿千百元人户名个次件项%]))",
        r"(?P<md>(?<![\d.\-/·月])(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])|(?:1[0-2]|[1-9])·(?:3[01]|[12]\d|[1-9]))(?![\d.\-/%]))",
        r"(?P<jnln>今明两年|今明兩年)",
        rf"(?P<vague>{_alt(vague)})",
        rf"(?P<yrel>{_alt(rel_years)})",
        rf"(?P<yctx>{_alt(ctx_years)})",
        r"(?P<ynext>次年|翌年|第二年)",
        rf"(?P<mofy>(?P<mofyp>前|后|後|头|頭|最后){S}(?P<mofyn>\d{{1,2}}|[一二三四五六七八九十两]{{1,3}}){S}(?:个|個)?{S}月(?:份)?|首月|第{S}(?P<mofyk>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){S}(?:个|個){S}月)",
        rf"(?P<qtr>(?:(?P<qp>前|后|後){S}(?P<qn>[一二两三2-3]){S}(?:个|個)?{S}季度|(?P<qr>上个|上一个|上一|上|本|这个|这一|這個|当|下个|下一个|下一|下){S}季度|第{S}(?P<qk>[一二三四1-4]){S}季度?|(?P<qk2>[一二三四1-4]|首){S}季度|Q(?P<qk3>[1-4])(?:{S}季度)?))",
        r"(?P<half>上半年|下半年|前半年|后半年|後半年)",
        r"(?P<mrel>本月|当月|當月|这个月|這個月|这月|上个月|上個月|上一个月|上月|下个月|下個月|下一个月|下月|次月|同月)(?:份)?",
        rf"(?P<week>(?<![{CNN}每几\d])(?P<wp>上上|下下|上一个|下一个|上一|下一|这一|上个|下个|这个|這個|上|下|这|這|本)?{S}(?:星期|礼拜|禮拜|周|週)(?P<wd>[一二三四五六日天末1-7])?)",
        # periods counted from the document date: 近三年, 3年来, 两年前, 20天后, 过去十年
        rf"(?P<dur>(?:(?P<durp>近|过去|過去|最近|最后|最後|未来|未來|前|后|後|上|下){S}|(?={DUR_BODY}(?:{DUR_SUF})))"
        rf"(?P<durb>{DUR_BODY})(?P<durs>{DUR_SUF})?)",
        # years
        rf"(?P<era>(?P<eran>{_alt(eras)})(?P<eray>元|\d{{1,3}}|[一二三四五六七八九十]{{1,3}}){S}年)",
        rf"(?P<y4>(?<![\d.])(?:1\d|20)\d{{2}}){S}年(?:度)?",
        rf"(?P<y3>(?<=公元|在|于|於)[1-9]\d{{2}}){S}年(?![来來间間代前后後多内半历歷])",
        rf"(?P<y2>(?<![\d.])\d{{2}}){S}年(?![来來间間代])",
        r"(?P<yk>[两兩二一]千(?:零?[一二三四五六七八九]?十?[一二三四五六七八九]?)?)年",
        rf"(?P<ycn>(?<![{CNN}几]|[个個第])(?:[〇零○一二三四五六七八九]{{4}}(?=年)|[〇零○一二三四五六七八九]{{2,3}}(?=年(?![来來间間代前后後多内半]))))年",
        rf"(?P<cent>(?:(?:(?P<centp>上|本)|(?P<centn>\d{{1,2}}|[一二]?十?[一二三四五六七八九十]))世纪)?{S}(?P<dec>[1-9]0|[一二三四五六七八九]十){S}年代)",
        r"(?P<cent2>(?P<cent2n>\d{1,2}|[一二]?十[一二三四五六七八九]?|[一二三四五六七八九])世纪)",
        # holidays and solar terms (before months: 三八妇女节, 五一劳动节)
        rf"(?P<hol>{_alt(hol)})",
        rf"(?P<term>{_alt(terms)})",
        # parts of a year
        r"(?P<lunar>农历|農曆|阴历|陰曆|夏历|大年(?=初|三十))",
        rf"(?P<mon>(?<![\d.{CNN}几])(?P<leap>闰|閏)?{S}(?P<mon_n>{MON}){S}月(?:份)?(?!份额|度))",
        rf"(?P<weeknth>第{S}(?P<wnn>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){S}(?:个|個)?{S}(?:周|週|星期|礼拜|禮拜)(?P<wnd>[一二三四五六日天])?)",
        rf"(?P<drel>{_alt(rel_days)})",
        rf"(?P<lday>初{S}(?P<lday_n>十|[一二三四五六七八九]|\d{{1,2}}))",
        rf"(?P<day>(?<![\d.{CNN}廿卅第每近前后])(?P<day_n>{DAYN}){S}(?:日|号|號))",
        r"(?P<season>[春夏秋冬](?:季|天)|(?<=年)[春夏秋冬](?![\p{Han}]))",
        r"(?P<part>上旬|中旬|下旬|月初|月中|月底|月末|年初|年中|年底|年末|伊始|末期|前期|中期|后期|後期|中叶|初期|初(?![步级級衷心审選选赛稿创見见次具现現])|中(?![\p{Han}])|底|末)",
    ]
    return p


_CN_DIGITS = "〇零○一二三四五六七八九十两兩"
# the characters each kind of atom can start with (word lists add their own first characters)
_FIRST = {
    "ymd": r"\d", "dmy": r"\d", "dmy2": r"\d", "ymd8": r"\d", "ym": r"\d", "md": r"\d",
    "y4": r"\d", "y3": r"\d", "y2": r"\d", "yk": "两兩二一", "ycn": "〇零○一二三四五六七八九", "jnln": "今",
    "dur": r"近过過最未前后後上下\d几半" + _CN_DIGITS, "cent": r"上本\d" + _CN_DIGITS, "cent2": r"\d" + _CN_DIGITS,
    "mofy": "前后後头頭最首第", "qtr": "前后後上本这這当下第一二三四1-4首Q", "half": "上下前后後",
    "lunar": "农農阴陰夏大", "mrel": "本当當这這上下次同", "mon": r"闰閏\d正腊臘冬" + _CN_DIGITS,
    "weeknth": "第", "week": "上下这這本星礼禮周週", "lday": "初", "day": r"\d廿卅" + _CN_DIGITS,
    "season": "春夏秋冬", "part": "上中下月年伊末前后後初底", "ynext": "次翌第",
}


@lru_cache(maxsize=None)
def _lists() -> dict[str, list[str]]:
    """The word lists (patterns/dates.toml) of the kinds of atom made of them."""
    w = words()
    return {"vague": w["lists"]["vague"], "yrel": list(w["relative_years"]), "yctx": w["lists"]["context_years"],
            "drel": list(w["relative_days"]), "term": w["lists"]["solar_terms"], "era": list(w["eras"]),
            "hol": [*w["holidays"]["solar"], *w["holidays"]["lunar"], *w["holidays"]["floating"]]}


# the digit-led patterns the engine scans faster without a lookahead (measured: ymd, ymd8, y4 and y3
# find their first digit themselves; dmy, md and others are up to 20 times slower without one)
_NO_LOOKAHEAD = {"ymd", "ymd8", "y4", "y3"}


@lru_cache(maxsize=None)
def candidate_res() -> list[regex.Pattern]:
    """One pattern per kind of atom, in order of priority.

    Kept apart rather than joined in one alternation, and each led by a lookahead for the characters it
    can start with: that lets the regex engine skip ahead, about 20 times faster than one alternation.
    (Not those of _NO_LOOKAHEAD; find_atoms looks for the word-list kinds otherwise, see _searchers.)
    """
    lists = _lists()
    out = []
    for p in _build():
        rx = regex.compile(p)
        kind = _outer(rx)
        # (holiday names start with common characters: their literal alternation is faster alone)
        first = "" if kind in ("hol", *_NO_LOOKAHEAD) else \
            _FIRST.get(kind, "") + "".join(sorted({n[0] for n in lists.get(kind, ())}))
        out.append(regex.compile(f"(?=[{first}]){p}") if first else rx)
    return out


# kinds whose pattern starts with one of the words of its list (most are only that): one Aho-Corasick
# scan finds where all their words occur, and the pattern is tried there only. (The regex engine
# checks a set of first characters one by one, at every character of the text: these kinds took a
# quarter of the time of dates, the holidays alone a tenth.)
_LITERAL = ("vague", "yrel", "yctx", "era", "hol", "term", "drel")


@lru_cache(maxsize=None)
def _literal_automaton():
    import ahocorasick_rs

    lists = _lists()
    found = sorted({w for k in _LITERAL for w in lists[k]})
    kinds = [tuple(k for k in _LITERAL if w in lists[k]) for w in found]
    # a DFA: the same matches, its scan 2.5x faster than the default NFA's (a few hundred short words
    # make a small one)
    return ahocorasick_rs.AhoCorasick(found, implementation=ahocorasick_rs.Implementation.DFA), kinds


class _Literal:
    """rx.search(text, pos) for a pattern that starts with one of its words, over one text: the first
    place at or after pos where one of them starts and the pattern matches."""

    def __init__(self, rx: regex.Pattern, starts: list[int]):
        self.rx, self.starts = rx, starts

    def search(self, text: str, pos: int = 0):
        for i in range(bisect_left(self.starts, pos), len(self.starts)):
            m = self.rx.match(text, self.starts[i])
            if m:
                return m
        return None


# Every match of these kinds holds one of these characters (its unit, its separator), and no match
# of theirs runs across a _BOUNDARY character: each is searched for only in the stretches of text
# between boundaries that hold one of its anchors (a few per cent of a report's text for most kinds).
# Kinds not listed (ymd8, the word lists) are searched over the whole text.
_ANCHOR = {
    "ymd": "./-", "dmy": "./-", "dmy2": "/-", "ym": "./-", "md": "-·", "ymds": " ", "jnln": "明",
    "ynext": "年", "y4": "年", "y3": "年", "y2": "年", "yk": "年", "ycn": "年", "cent": "年", "half": "年",
    "cent2": "纪", "mofy": "月", "mrel": "月", "mon": "月", "qtr": "季Q", "lunar": "历曆年",
    "week": "星礼禮周週", "weeknth": "星礼禮周週", "dur": "月星礼禮周週年天", "lday": "初",
    "day": "日号號", "season": "春夏秋冬", "part": "旬初中底末始期叶",
}
_BOUNDARY = "\n。；！？，"
_BOUNDARY_RE = re.compile(f"[{re.escape(_BOUNDARY)}]")
# anchors closer than this share a window: the text between is scanned rather than paid for with
# another call
_WINDOW_GAP = 100


@lru_cache(maxsize=None)
def _window_re(anchor: str) -> re.Pattern:
    """From the anchor over every next one less than _WINDOW_GAP on, to the boundary after the last.
    (Standard re, one character: it skips ahead to each anchor as str.find does.)"""
    a, b = re.escape(anchor), re.escape(_BOUNDARY)
    return re.compile(f"{a}(?:[^{a}]{{0,{_WINDOW_GAP}}}{a})*[^{b}]*")


class _Windows(dict):
    """anchors -> [start, end) stretches of one text, from boundary to boundary, that hold every
    one of those anchors, and little else. Found one anchor character at a time and merged: a search
    for a single character skips ahead several times faster than one for a set of them."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        self.reverse = text[::-1]  # where the boundary before an anchor is the first one after it

    def __missing__(self, anchors: str) -> list[tuple[int, int]]:
        if len(anchors) > 1:
            out: list[tuple[int, int]] = []
            for s, e in sorted(w for a in anchors for w in self[a]):
                if out and s - out[-1][1] < _WINDOW_GAP:
                    out[-1] = (out[-1][0], max(e, out[-1][1]))
                else:
                    out.append((s, e))
        else:
            text, n = self.text, len(self.text)
            out = []
            for m in _window_re(anchors).finditer(text):
                b = _BOUNDARY_RE.search(self.reverse, n - m.start())
                out.append((n - 1 - b.start() if b else 0, m.end()))
        self[anchors] = out
        return out


class _Windowed:
    """rx.search(text, pos) for a kind whose matches lie in the windows: each window searched alone.
    Each search ends one character past its window, so that a lookahead after a match still sees the
    boundary there (none of these lookaheads reads past a boundary); a match found starting past the
    window's end is left to the window it belongs to."""

    def __init__(self, rx: regex.Pattern, windows: list[tuple[int, int]], size: int):
        self.rx, self.windows, self.size = rx, windows, size
        self.ends = [e for _, e in windows]

    def search(self, text: str, pos: int = 0):
        for i in range(bisect_right(self.ends, pos), len(self.windows)):
            s, e = self.windows[i]
            m = self.rx.search(text, max(pos, s), min(e + 1, self.size))
            if m is not None and m.start() < e:
                return m
        return None


def _searchers(text: str) -> list:
    """candidate_res(), the word-list patterns answered from one automaton scan of text, the others
    with an anchor searched in their windows."""
    auto, kinds = _literal_automaton()
    starts: dict[str, set[int]] = {k: set() for k in _LITERAL}
    for i, s, _ in auto.find_matches_as_indexes(text, overlapping=True):
        for k in kinds[i]:
            starts[k].add(s)
    windows = _Windows(text)
    out = []
    for rx in candidate_res():
        kind = _outer(rx)
        if kind in starts:
            out.append(_Literal(rx, sorted(starts[kind])))
        elif kind in _ANCHOR:
            out.append(_Windowed(rx, windows[_ANCHOR[kind]], len(text)))
        else:
            out.append(rx)
    return out


_GAP_JOIN = regex.compile(r"[ \t\u3000\xa0的]*")
_CONNECT = regex.compile(rf"{S}(?:起)?{S}(?:至|到|—+|–|－|-|~|～|〜){S}")
_BARE_BEFORE = regex.compile(rf"(?<![\d.\p{{Han}}]|[年月])(?P<n>\d{{1,4}}|[{CNN}]{{1,3}}){S}(?:至|到|—+|–|－|-|~|～){S}$")
_BETWEEN_JOIN = regex.compile(rf"{S}(?:与|與|和){S}")
_BETWEEN_END = regex.compile(rf"{S}(?:之间|之間|间|間)")
_AFTER_JOIN = regex.compile(rf"{S}(?:之后|之後|以后|以後){S}")
_BEFORE_END = regex.compile(rf"{S}(?:之前|以前)")
_BARE_MID = regex.compile(rf"(?P<n>\d{{1,2}}|[{CNN}]{{1,3}}){S}(?:至|到|—+|–|－|-|~|～){S}")
_BARE_AFTER = regex.compile(rf"{S}(?:至|到|—+|–|－|-|~|～){S}(?P<n>(?:19|20)\d{{2}})(?![\d.年/\-])")
_BARE_DAY_AFTER_MONTH = regex.compile(
    rf"{S}(?P<n>3[01]|[12]\d|0?[1-9]|[一二]?十[一二三四五六七八九]?|三十|[一二三四五六七八九]|廿[一二三四五六七八九]?)"
    rf"(?=$|[\s，,。；;、：:！!？?）)\]」”\"起前后左]|[至到\-—－~～](?={S}[\d一二三四五六七八九十]+{S}月))")
_SUFFIX = regex.compile(rf"{S}(?P<s>以来|以來|至今|起(?![草诉訴步点點飞飛源])|以后|以後|之后|之後|以前|之前|期间|期間|前夕|内(?![容部外涵])|內(?![容部外涵]))")
_PREFIX = regex.compile(rf"(?P<p>截至|截止到|截止|截至到){S}$")
_DAY_OK_AFTER = regex.compile(r"$|[^\p{Han}”\"」』》]|[上下中晚早凌午前后起至到止以的在是召举开你我他她时，]")


# ------------------------------------------------------------------ atoms and expressions


@dataclass
class Atom:
    kind: str  # the named group that matched
    start: int
    end: int
    text: str
    groups: dict
    level: int = 9  # 9: stands alone


@dataclass
class Expr:
    start: int
    end: int
    atoms: list[Atom]
    # results
    first: Date | None = None
    last: Date | None = None
    open_start: bool = False
    open_end: bool = False
    relative: bool = False
    value: str | None = None
    year: int | None = None
    explicit_year: int | None = None  # the year the text names outright (context for others)
    end_expr: "Expr | None" = None
    exclusive: bool = False  # the range ends where end_expr starts
    bare: dict = field(default_factory=dict)


_ATOM_LEVEL = {
    "era": 0, "y3": 0, "ynext": 0, "cent": 0, "cent2": 0, "y4": 0, "y2": 0, "yk": 0, "ycn": 0, "yrel": 0, "yctx": 0,
    "mofy": 1, "qtr": 1, "half": 1, "mrel": 1, "mon": 1, "hol": 1, "term": 1, "season": 1,
    "weeknth": 2, "week": 2,
    "lday": 3, "day": 3,
    "part": 4,
    "lunar": -1,
}


def find_atoms(text: str) -> list[Atom]:
    # as one alternation would: leftmost match first, ties to the earlier pattern; a pattern whose
    # match overlaps one taken searches again after it
    heap = []
    for prio, rx in enumerate(_searchers(text)):
        m = rx.search(text)
        if m:
            heap.append((m.start(), prio, m, rx))
    heapq.heapify(heap)
    out = []
    taken = 0
    while heap:
        start, prio, m, rx = heapq.heappop(heap)
        if start < taken or m.end() == start:
            nxt = rx.search(text, max(taken, start + 1))
            if nxt:
                heapq.heappush(heap, (nxt.start(), prio, nxt, rx))
            continue
        nxt = rx.search(text, m.end())
        if nxt:
            heapq.heappush(heap, (nxt.start(), prio, nxt, rx))
        kind = _outer(m.re)
        gd = {k: v for k, v in m.groupdict().items() if v is not None}
        a = Atom(kind, m.start(), m.end(), m.group(), gd, _ATOM_LEVEL.get(kind, 9))
        if kind == "week" and not (gd.get("wp") or gd.get("wd")):
            continue  # a bare 周 / 星期
        if kind == "week" and gd.get("wd"):
            a.level = 3 if not gd.get("wp") else 2
        if kind == "mon" and not 1 <= (cn_int(gd["mon_n"]) or 0) <= 12:
            continue
        out.append(a)
        taken = m.end()
    return out


@lru_cache(maxsize=None)
def _outer(rx: regex.Pattern) -> str:
    """The kind of atom a pattern finds: its outermost named group."""
    return min(rx.groupindex, key=rx.groupindex.get)



_STANDALONE_PARTS = {"月初", "月底", "月末", "年初", "年底", "年末", "上旬", "中旬", "下旬"}


def build_exprs(text: str, atoms: list[Atom]) -> list[Expr]:
    """Join adjacent atoms into expressions, then expressions into ranges."""
    exprs: list[Expr] = []
    cur: Expr | None = None
    for a in atoms:
        if (a.kind == "dur" and cur is not None and a.start == cur.end and cur.atoms[-1].level == 1
                and a.groups.get("durp") in ("前", "最后", "最後", "后", "後") and a.text.endswith("天")):
            a.level = 3  # 4月前4天, 上月最后五天: days of the month just named
        if cur is not None and a.level < 9 and _GAP_JOIN.fullmatch(text, cur.end, a.start):
            last = cur.atoms[-1]
            lv = max((x.level for x in cur.atoms if x.level >= 0), default=-1)
            if lv < 9 and (a.level == -1 or last.level == -1 or a.level > lv) and not (a.level == 4 and a.start != cur.end):
                cur.atoms.append(a)
                cur.end = a.end
                continue
        if a.kind == "part" and a.text not in _STANDALONE_PARTS:
            cur = None
            continue
        cur = Expr(a.start, a.end, [a])
        exprs.append(cur)
    # a bare day right after a month: 1月3, 四月十三, 正月三十
    for e in exprs:
        if e.atoms[-1].kind == "mon":
            m = _BARE_DAY_AFTER_MONTH.match(text, e.end)
            if m and not _UNIT_AFTER_RE.match(text[m.end():m.end() + 1] or "x"):
                e.atoms.append(Atom("day", m.start("n"), m.end(), m.group("n"), {"day_n": m.group("n")}, 3))
                e.end = m.end()
    exprs = [e for e in exprs if _keep(text, e)]
    # ranges: A 至 B, and a bare number before or after the connector (2019年1-9月, 1985到89年)
    out: list[Expr] = []
    i = 0
    while i < len(exprs):
        e = exprs[i]
        if i + 1 < len(exprs):
            nxt = exprs[i + 1]
            between = (_BETWEEN_JOIN.fullmatch(text, e.end, nxt.start) and _BETWEEN_END.match(text, nxt.end)) or (
                _AFTER_JOIN.fullmatch(text, e.end, nxt.start) and _BEFORE_END.match(text, nxt.end))
            if between and _rangeable(e) and _rangeable(nxt):
                # 2007年与2009年之间, 2010年之后2018年之前: up to the start of the second
                e.end_expr = nxt
                e.exclusive = True
                e.end = between.end()
                out.append(e)
                i += 2
                continue
            m = _CONNECT.fullmatch(text, e.end, nxt.start)
            if m and _rangeable(e) and _rangeable(nxt):
                e.end_expr = nxt
                e.end = nxt.end
                out.append(e)
                i += 2
                continue
            b = _BARE_MID.fullmatch(text, e.end, nxt.start) if nxt.start - e.end <= 8 else None
            if b and _rangeable(nxt) and nxt.atoms[0].level in (0, 1, 3):
                # A + bare number + connector + B: 2019年4月12-19日 / 2018年1－9月
                e.bare = {"n": b.group("n"), "level": nxt.atoms[0].level}
                e.end_expr = nxt
                e.end = nxt.end
                out.append(e)
                i += 2
                continue
        b = _BARE_BEFORE.search(text, max(0, e.start - 10), e.start)
        if b and _rangeable(e) and e.atoms[0].level in (0, 1, 3) and (not out or out[-1].end <= b.start()):
            # bare number + connector + B: 1985到89年9月 / 3-5月 / 2020至2025年
            n = b.group("n")
            lv = e.atoms[0].level
            if lv != 0 or len(n) in (2, 4):
                start = Expr(b.start(), e.end, [], bare={"n": n, "level": lv, "alone": True})
                start.end_expr = e
                out.append(start)
                i += 1
                continue
        a = _BARE_AFTER.match(text, e.end)
        if a and e.atoms[0].kind in ("ym", "ymd", "y4"):
            e.end_expr = Expr(a.start("n"), a.end(), [Atom("y4", a.start("n"), a.end(), a.group("n"), {"y4": a.group("n")}, 0)])
            e.end = a.end()
        out.append(e)
        i += 1
    # prefixes and suffixes
    for e in out:
        p = _PREFIX.search(text, max(0, e.start - 6), e.start)
        if p and e.atoms and e.atoms[0].kind not in ("vague", "dur"):
            # 截至4月13日: open at the start; the surface is the date alone (截至目前 stays whole)
            e.open_start = True
        s = _SUFFIX.match(text, e.end)
        if s and e.atoms and e.atoms[-1].kind not in ("dur", "vague"):
            word = s.group("s")
            if word in ("以来", "以來", "至今", "起"):
                if not e.open_start and e.end_expr is None:
                    e.open_end = True
                e.end = s.end()
            elif word in ("期间", "期間", "前夕"):
                e.end = s.end()
            elif word in ("内", "內") and e.atoms[-1].level == 0:
                e.end = s.end()
    return out


def _rangeable(e: Expr) -> bool:
    return bool(e.atoms) and e.atoms[0].kind not in ("vague", "dur", "drel", "jnln")


def _in_name(text: str, e: Expr) -> bool:
    """“母亲节暨幸福工程活动日”, 第25届母亲节, “5·29会员活动日”: a day in the name of an event."""
    before = text[max(0, e.start - 1):e.start]
    after = text[e.end:e.end + 1]
    if before in ("届", "屆"):
        return True
    if before in ("“", "「", "《", '"') and after not in ("”", "」", "》", '"'):
        return True
    return "·" in text[e.start:e.end] and _HAN_CHAR.match(after or "x") is not None


def _keep(text: str, e: Expr) -> bool:
    a = e.atoms
    kinds = [x.kind for x in a if x.kind != "lunar"]
    if not kinds:
        return False
    if kinds == ["y2"]:
        # a lone two-digit year (15年) is too often a count of years: keep only 07年 style
        return a[-1].groups["y2"].startswith("0")
    if kinds[0] == "mofy" or kinds[0] == "weeknth":
        return False  # 前三个月 / 第3周 without a year or month
    if kinds == ["dur"]:
        d = _dur_parts(a[0])
        return d is not None and not (d[0] == 0.5 and d[1] != "年")
    if kinds[0] in ("hol", "md") and _in_name(text, e):
        return False
    if kinds == ["day"]:
        # a day on its own: 29日 / 12号; not 3号楼, 十日内
        t = text[a[0].end:a[0].end + 2]
        if t[:1] in ("内", "內", "来", "來") or t in ("以内", "之内"):
            return False
        if a[0].text[-1] in "号號":
            # 12号 alone is a day; 吉林一号, “齐鲁1号”, 3号线 are names
            before = text[a[0].start - 1:a[0].start]
            if _NAME_BEFORE_DAY.match(before or " ") or not _DAY_OK_AFTER.match(t[:1] or ""):
                return False
        return True
    return True


# ------------------------------------------------------------------ resolution
@dataclass
class Context:
    doc_date: Date | None
    article_year: int | None
    text: str
    anchors: list[tuple[int, int]] = field(default_factory=list)  # (offset, year) named outright
    months: list[tuple[int, int, int]] = field(default_factory=list)  # (offset, year, month)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)

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


class Unresolved(Exception):
    """The expression needs a date the context does not give."""


def _ref(ctx: Context) -> Date:
    if ctx.doc_date is None:
        raise Unresolved
    return ctx.doc_date


def resolve(e: Expr, ctx: Context, inherit: dict | None = None) -> tuple[Date, Date]:
    """(first day, last day) of one expression; sets e.relative / e.explicit_year on the way."""
    inherit = inherit or {}
    atoms = [a for a in e.atoms if a.kind != "lunar"]
    lunar = any(a.kind == "lunar" for a in e.atoms) or any(
        (a.kind == "mon" and (a.groups.get("mon_n") in ("正", "腊", "臘", "冬") or a.groups.get("leap")))
        or a.kind == "lday" or (a.kind == "day" and a.groups.get("day_n", "")[:1] in ("廿", "卅"))
        for a in atoms)
    first = atoms[0]
    k = first.kind
    g = first.groups

    # ---- expressions that stand alone
    if k in ("ymd", "ymds", "ymd8", "dmy", "dmy2", "ym", "md"):
        return _numeric(first, ctx, e)
    if k == "vague":
        e.relative = True
        raise Unresolved
    if k == "drel":
        e.relative = True
        d = _ref(ctx) + dt.timedelta(days=words()["relative_days"][first.text])
        return d, d
    if k == "dur":
        e.relative = True
        return _duration(first, ctx)
    if k == "jnln":
        e.relative = True
        y = _ref(ctx).year
        return Date(y, 1, 1), Date(y + 1, 12, 31)
    if k in ("cent", "cent2"):
        a, b = _century(first, ctx)
        part = next((x for x in atoms[1:] if x.kind == "part"), None)
        return _apply_part(a, b, part.text, "decade" if k == "cent" and g.get("dec") else "century") if part else (a, b)

    # ---- year level
    year = None
    rest = atoms
    if first.level == 0:
        rest = atoms[1:]
        if k in ("y4", "y3"):
            year = int(g[k])
        elif k == "y2":
            year = two_digit_year(int(g["y2"]))
        elif k == "ycn":
            n = cn_digits(g["ycn"])
            year = two_digit_year(n) if len(g["ycn"]) == 2 else n
        elif k == "yk":
            year = cn_int(g["yk"])
        elif k == "era":
            year = words()["eras"][g["eran"]] + (cn_int(g["eray"]) or 1) - 1
        elif k == "yrel":
            e.relative = True
            year = _ref(ctx).year + words()["relative_years"][first.text]
        elif k == "ynext":  # 次年: the year after the one named before, else after the document's
            e.relative = True
            year = _context_year(first.start, ctx, reviewed=False)
            if year is None:
                raise Unresolved
            year += 1
        elif k == "yctx":
            e.relative = True
            year = _context_year(first.start, ctx)
            if year is None:
                raise Unresolved
        if k not in ("yrel", "yctx", "ynext"):
            e.explicit_year = year
    if year is None:
        year = inherit.get("year")
    needs_year = year is None

    def the_year():
        y = ctx.year_at(e.start) if needs_year else year
        if y is None:
            raise Unresolved
        return y

    if not rest:
        return Date(year, 1, 1), Date(year, 12, 31)

    # ---- month level
    a0 = rest[0]
    lo = hi = None  # current period
    month = None
    i = 0
    if a0.level == 1:
        i = 1
        gk, gg = a0.kind, a0.groups
        if gk == "mon":
            month = cn_int(gg["mon_n"])
            y = the_year()
            if lunar:
                r = lunar_month_range(y, month, bool(gg.get("leap")))
                if not r:
                    raise Unresolved
                lo, hi = r
            else:
                lo, hi = Date(y, month, 1), month_end(y, month)
        elif gk == "mrel":
            base = _ref(ctx) if a0.text[:1] not in ("同",) else None
            if base is None:
                ym = ctx.month_at(e.start)
                if not ym:
                    raise Unresolved
                y, month = ym
            else:
                off = {"上": -1, "下": 1, "次": 1}.get(a0.text[0], 0)
                y, month = add_months(year if first.level == 0 else base.year, base.month, off)
                e.relative = True
            lo, hi = Date(y, month, 1), month_end(y, month)
        elif gk == "qtr":
            lo, hi = _quarter(a0, ctx, the_year, e, needs_year)
        elif gk == "half":
            y = the_year()
            lo, hi = (Date(y, 1, 1), Date(y, 6, 30)) if a0.text[0] in "上前" else (Date(y, 7, 1), Date(y, 12, 31))
        elif gk == "mofy":
            y = the_year()
            n = cn_int(gg.get("mofyn") or gg.get("mofyk") or "1") or 1
            if gg.get("mofyk") or a0.text == "首月":
                lo, hi = Date(y, n, 1), month_end(y, n)
            elif gg.get("mofyp") in ("后", "後", "最后"):
                lo, hi = Date(y, 13 - n, 1), Date(y, 12, 31)
            else:
                lo, hi = Date(y, 1, 1), month_end(y, n)
        elif gk == "season":
            y = the_year() if not needs_year or ctx.doc_date or ctx.year_at(e.start) else None
            if y is None:
                raise Unresolved
            r = season(y, a0.text[0])
            if not r:
                raise Unresolved
            lo, hi = r
        elif gk in ("hol", "term"):
            y = the_year()
            d = _holiday(a0.text, y, gk)
            if d is None:
                raise Unresolved
            lo = hi = d
    # ---- week level
    if i < len(rest) and rest[i].level == 2:
        a = rest[i]
        i += 1
        if a.kind == "weeknth":
            n = cn_int(a.groups["wnn"]) or 1
            wd = a.groups.get("wnd")
            if lo is None:
                y = the_year()
                lo, hi = Date(y, 1, 1), Date(y, 12, 31)
            if wd:
                d = nth_weekday(lo.year, lo.month, n, _WEEKDAY[wd])
                if d is None:
                    raise Unresolved
                lo = hi = d
            else:
                s = first_monday(lo.year, lo.month) + dt.timedelta(weeks=n - 1)
                lo, hi = s, s + dt.timedelta(days=6)
        else:  # 上周 / 下周六
            lo, hi = _week(a, ctx)
            e.relative = True
    # ---- day level
    if i < len(rest) and rest[i].level == 3:
        a = rest[i]
        i += 1
        if a.kind in ("day", "lday"):
            d = cn_int(a.groups.get("day_n") or a.groups.get("lday_n"))
            if lo is None:
                if lunar:  # 大年初一
                    y = the_year()
                    dd = lunar_to_solar(y, 1, d)
                    if not dd:
                        raise Unresolved
                    lo = hi = dd
                else:
                    lo = hi = _lone_day(d, e, ctx, inherit)
            elif lunar:
                ly, lm = _lunar_ym(lo)
                leap = any(x.groups.get("leap") for x in atoms)
                dd = lunar_to_solar(ly, lm, d, leap)
                if not dd:
                    raise Unresolved
                lo = hi = dd
            else:
                dd = safe_date(lo.year, lo.month, d) if d else None
                if dd is None and needs_year and (lo.month, d) == (2, 29):
                    y = min((lo.year + k for k in range(-3, 4) if calendar.isleap(lo.year + k)), key=lambda v: abs(v - lo.year))
                    dd = Date(y, 2, 29)
                if dd is None:
                    raise Unresolved
                lo = hi = dd
        elif a.kind == "dur":  # 4月前4天 / 上月最后五天
            parts = _dur_parts(a)
            if lo is None or parts is None or parts[0] is None or parts[1] != "天":
                raise Unresolved
            n = int(parts[0])
            if a.groups.get("durp") in ("前",):
                lo, hi = lo, min(hi, lo + dt.timedelta(days=n - 1))
            else:
                lo, hi = max(lo, hi - dt.timedelta(days=n - 1)), hi
        elif a.kind == "week":  # a weekday: in the week named before, or the next one
            wd = _WEEKDAY.get(a.groups.get("wd"))
            if lo is not None and wd is not None:
                d = week_start(lo) + dt.timedelta(days=wd)
                lo = hi = d
            elif a.groups.get("wd") == "末" and lo is not None:
                lo, hi = week_start(lo) + dt.timedelta(days=5), week_start(lo) + dt.timedelta(days=6)
            else:
                e.relative = True
                ref = _ref(ctx)
                if a.groups.get("wd") == "末":
                    s = week_start(ref)
                    lo, hi = s + dt.timedelta(days=5), s + dt.timedelta(days=6)
                else:
                    d = ref + dt.timedelta(days=(wd - ref.weekday()) % 7)
                    lo = hi = d
    # ---- parts
    if i < len(rest) and rest[i].kind == "part":
        if lo is None:
            if rest[i].text.startswith("年") or not needs_year:  # 年底, 2022年初
                y = the_year()
                lo, hi = Date(y, 1, 1), Date(y, 12, 31)
            else:  # 月底 alone: the month named before in the paragraph, else the document's
                ym = ctx.month_at(e.start)
                if ym is None:
                    ref = _ref(ctx)
                    e.relative = True
                    ym = ref.year, ref.month
                lo, hi = Date(ym[0], ym[1], 1), month_end(*ym)
        days = (hi - lo).days + 1
        unit = "year" if days > 300 else "quarter" if 85 <= days <= 95 else "month"
        lo, hi = _apply_part(lo, hi, rest[i].text, unit)
    if lo is None:
        y = the_year()
        lo, hi = Date(y, 1, 1), Date(y, 12, 31)
    return lo, hi


_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "7": 6,
            "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5}


def _context_year(pos: int, ctx: Context, reviewed: bool = True) -> int | None:
    """这一年 / 当年: the last year named before in the paragraph, else the article's, else the document's."""
    ps, _ = ctx._bounds(ctx.paragraphs, pos)
    before = [y for off, y in ctx.anchors if ps <= off < pos]
    if before:
        return before[-1]
    if ctx.article_year:
        return ctx.article_year
    if ctx.doc_date is None:
        return None
    return _reviewed_year(ctx.doc_date) if reviewed else ctx.doc_date.year


def _reviewed_year(ref: Date) -> int:
    """The year a document looks back on: written in its first half, the year before (a report given
    in January reviews the last year), else its own."""
    return ref.year if ref.month >= 7 else ref.year - 1


def _lunar_ym(solar_first: Date) -> tuple[int, int]:
    from lunar_python import Solar

    lun = Solar.fromYmd(solar_first.year, solar_first.month, solar_first.day).getLunar()
    return lun.getYear(), abs(lun.getMonth())


def _holiday(name: str, y: int, kind: str) -> Date | None:
    w = words()
    if kind == "term":
        return solar_term(y, name)
    if name in w["holidays"]["solar"]:
        m, d = map(int, w["holidays"]["solar"][name].split("-"))
        return Date(y, m, d)
    if name in w["holidays"]["lunar"]:
        m, d = map(int, w["holidays"]["lunar"][name].split("-"))
        return lunar_to_solar(y, m, d)
    if name in w["holidays"]["floating"]:
        m, n, wd = w["holidays"]["floating"][name]
        return nth_weekday(y, m, n, wd)
    return None


def _lone_day(d: int | None, e: Expr, ctx: Context, inherit: dict) -> Date:
    """25日 alone: the month named before (in the range or paragraph), else the document's month."""
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
    ref = _ref(ctx)
    e.relative = True
    r = safe_date(ref.year, ref.month, d)
    if r:
        return r
    y, m = add_months(ref.year, ref.month, -1)
    r = safe_date(y, m, d)
    if r:
        return r
    raise Unresolved


def _quarter(a: Atom, ctx: Context, the_year, e: Expr, needs_year: bool) -> tuple[Date, Date]:
    g = a.groups
    if g.get("qr"):
        ref = _ref(ctx)
        e.relative = True
        off = -1 if g["qr"].startswith("上") else 1 if g["qr"].startswith("下") else 0
        q = (ref.month - 1) // 3 + off
        y = ref.year + q // 4
        q = q % 4 + 1
        return Date(y, 3 * q - 2, 1), month_end(y, 3 * q)
    y = the_year()
    if g.get("qn"):
        n = cn_int(g["qn"]) or 1
        if g.get("qp") in ("后", "後"):
            return Date(y, 13 - 3 * n, 1), Date(y, 12, 31)
        return Date(y, 1, 1), month_end(y, 3 * n)
    q = cn_int(g.get("qk") or g.get("qk2") or g.get("qk3") or "1") or 1
    return Date(y, 3 * q - 2, 1), month_end(y, 3 * q)


def _week(a: Atom, ctx: Context) -> tuple[Date, Date]:
    ref = _ref(ctx)
    wp = a.groups.get("wp") or ""
    off = {"上上": -2, "下下": 2}.get(wp, -1 if wp.startswith("上") else 1 if wp.startswith("下") else 0)
    s = week_start(ref) + dt.timedelta(weeks=off)
    wd = a.groups.get("wd")
    if wd == "末":
        return s + dt.timedelta(days=5), s + dt.timedelta(days=6)
    if wd:
        d = s + dt.timedelta(days=_WEEKDAY[wd])
        return d, d
    return s, s + dt.timedelta(days=6)


def _apply_part(lo: Date, hi: Date, part: str, unit: str) -> tuple[Date, Date]:
    p = part.lstrip("年月")
    y = lo.year
    if unit == "year":
        if p in ("初", "伊始", "初期"):
            return (Date(y, 1, 1), Date(y, 1, 31)) if p == "伊始" else (Date(y, 1, 1), Date(y, 2, month_end(y, 2).day))
        if p in ("中",):
            return Date(y, 6, 1), Date(y, 7, 31)
        if p in ("底", "末"):
            return Date(y, 11, 1), Date(y, 12, 31)
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
    m, last = lo.month, month_end(lo.year, lo.month)
    if p == "上旬":
        return Date(y, m, 1), Date(y, m, 10)
    if p in ("中旬", "中"):
        return Date(y, m, 11), Date(y, m, 20)
    if p == "下旬":
        return Date(y, m, 21), last
    if p in ("初", "伊始", "初期"):
        return Date(y, m, 1), Date(y, m, 5)
    if p in ("底", "末"):
        return last - dt.timedelta(days=6), last
    return lo, hi


def _century(a: Atom, ctx: Context) -> tuple[Date, Date]:
    g = a.groups
    if a.kind == "cent2":
        c = cn_int(g["cent2n"]) or 1
        return Date((c - 1) * 100 or 1, 1, 1), Date((c - 1) * 100 + 99, 12, 31)
    dec = cn_int(g["dec"]) or 0
    if g.get("centp") == "上":
        base = ((ctx.doc_date.year if ctx.doc_date else dt.date.today().year) // 100 - 1) * 100
    elif g.get("centp") == "本":
        base = (ctx.doc_date.year if ctx.doc_date else dt.date.today().year) // 100 * 100
    elif g.get("centn"):
        base = ((cn_int(g["centn"]) or 20) - 1) * 100
    else:
        base = 1900  # 九十年代, 50年代: the last century, as the texts mean
    return Date(base + dec, 1, 1), Date(base + dec + 9, 12, 31)


_DUR_PARTS = regex.compile(rf"(?P<n>\d{{1,3}}|[{CNN}几]{{1,3}}|半){S}(?P<more>多)?.*?(?P<u>年|月|周|週|星期|礼拜|禮拜|天)")


def _dur_parts(a: Atom) -> tuple[float, str, bool] | None:
    """(count, unit, 'more than') of 3年半 / 两个半月 / 十个多月; count None for 几年."""
    m = _DUR_PARTS.match(a.groups["durb"])
    if not m:
        return None
    n = 0.5 if m.group("n") == "半" else cn_int(m.group("n"))
    if n is not None and m.group("n") != "半" and "半" in a.groups["durb"][m.end("n"):]:
        n += 0.5
    return n, m.group("u"), "多" in a.groups["durb"]


def _duration(a: Atom, ctx: Context) -> tuple[Date, Date]:
    """近三年, 过去十年, 3年来, 两年前, 20天后, 4周后, 一年半后."""
    g = a.groups
    parts = _dur_parts(a)
    if parts is None or parts[0] is None:  # 几年来
        raise Unresolved
    n, unit, more = parts
    pre, suf = g.get("durp"), g.get("durs") or ""
    if g["durb"] in ("一年",) and (suf in ("来", "來", "以来", "以來") and not pre or pre in ("过去", "過去") and not suf):
        # 一年来: the year the article is about
        y = ctx.article_year or _reviewed_year(_ref(ctx))
        return Date(y, 1, 1), Date(y, 12, 31)
    ref = _ref(ctx)

    def shift(k: float) -> Date:
        if unit == "年" or (unit == "月"):
            months = int(round(k * (12 if unit == "年" else 1)))
            y, m = add_months(ref.year, ref.month, months)
            return safe_date(y, m, ref.day) or month_end(y, m)
        days = k * (7 if unit in ("周", "週", "星期", "礼拜") else 1)
        return ref + dt.timedelta(days=int(days))

    since = suf in ("来", "來", "以来", "以來")
    if suf in ("内", "內", "以内", "之内"):  # 17天内, 3年半以内: from the document date on
        d = shift(n)
        return ref, (d if unit in ("天", "周", "週", "星期", "礼拜") else month_end(d.year, d.month))
    if since and (more or n != int(n)):
        # 3年多以来 / 3个多月以来 / 3年半以来: from the start of that year or month
        d = shift(-n)
        return (Date(d.year, 1, 1) if more and unit == "年" else Date(d.year, d.month, 1)), ref
    if since or pre in ("近", "过去", "過去", "最近", "前", "上"):
        if unit == "年" and n == int(n) and suf and not pre:
            # N年来 counts whole years up to the last one
            y = _reviewed_year(ref)
            return Date(y - int(n) + 1, 1, 1), Date(y, 12, 31)
        return shift(-n), ref
    if pre in ("未来", "未來") and unit == "月":  # 未来2个月: this month and the next
        y, m = add_months(ref.year, ref.month, int(n) - 1)
        return ref, month_end(y, m)
    if pre in ("未来", "未來", "后", "後", "下"):
        return ref + dt.timedelta(days=1), shift(n)
    if suf in ("前", "之前", "以前"):
        d = shift(-n)
    else:
        d = shift(n)
    if unit == "年" and n == int(n):
        return Date(d.year, 1, 1), Date(d.year, 12, 31)
    if unit == "年" or unit == "月":
        return Date(d.year, d.month, 1), month_end(d.year, d.month)
    if unit in ("周", "週", "星期", "礼拜"):
        s = week_start(d)
        return s, s + dt.timedelta(days=6)
    return d, d


def _numeric(a: Atom, ctx: Context, e: Expr) -> tuple[Date, Date]:
    t = a.text
    k = a.kind
    parts = [p for p in _NUMERIC_SEP.split(t) if p]
    if k == "ymd8":
        y, m, d = int(t[:4]), int(t[4:6]), int(t[6:8])
    elif k in ("ymd", "ymds"):
        y, m, d = map(int, parts)
    elif k == "dmy":
        d, m, y = map(int, parts)
    elif k == "dmy2":
        p0, p1, p2 = parts
        if int(p0) > 31 or len(p2) == 1:
            y, m, d = two_digit_year(int(p0)), int(p1), int(p2)
        elif int(p2) > 31 or len(p0) == 1:
            d, m, y = int(p0), int(p1), two_digit_year(int(p2))
        else:
            y, m, d = two_digit_year(int(p0)), int(p1), int(p2)
    elif k == "ym":
        y, m = int(parts[0]), int(parts[1])
        e.explicit_year = y
        if not 1 <= m <= 12:
            raise Unresolved
        return Date(y, m, 1), month_end(y, m)
    else:  # md
        m, d = int(parts[0]), int(parts[1])
        y = ctx.year_at(e.start)
        if y is None:
            raise Unresolved
        r = safe_date(y, m, d)
        if not r:
            raise Unresolved
        return r, r
    r = safe_date(y, m, d)
    if r is None:
        raise Unresolved
    e.explicit_year = y
    return r, r


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


def _bare_expr(e: Expr) -> Expr:
    """The start of '3-5月' / '1985到89年': the bare number takes the unit of the expression after it."""
    n = e.bare["n"]
    lv = e.bare["level"]
    if lv == 0:
        kind = "y4" if len(n) == 4 and n.isdigit() else "y2" if n.isdigit() else "ycn"
        g = {kind: n}
        atoms = [Atom(kind, e.start, e.start + len(n), n, g, 0)]
    elif lv == 1:
        atoms = [Atom("mon", e.start, e.start + len(n), n, {"mon_n": n}, 1)]
    else:
        atoms = [Atom("day", e.start, e.start + len(n), n, {"day_n": n}, 3)]
    return Expr(e.start, e.start + len(n), atoms)


def resolve_all(exprs: list[Expr], ctx: Context) -> None:
    # explicit years and months first: they are the context of everything else
    for e in exprs:
        parts = [e] + ([e.end_expr] if e.end_expr else [])
        for p in parts:
            if not p.atoms:
                continue
            a = p.atoms[0]
            y = None
            if a.kind == "y4":
                y = int(a.groups["y4"])
            elif a.kind in ("ymd", "ymd8", "ym", "dmy"):
                y = int(a.text[:4]) if a.kind != "dmy" else int(a.text[-4:])
            elif a.kind == "y2" and len(p.atoms) > 1:
                y = two_digit_year(int(a.groups["y2"]))
            elif a.kind == "ycn":
                n = cn_digits(a.groups["ycn"])
                y = two_digit_year(n) if len(a.groups["ycn"]) == 2 else n
            if y is not None:
                ctx.anchors.append((p.start, y))
    ctx.anchors.sort()
    for e in exprs:
        try:
            if e.bare.get("alone"):
                end = e.end_expr
                b1, b2 = resolve(end, ctx)
                start = _bare_expr(e)
                inherit = {"year": b1.year, "month": (b1.year, b1.month)}
                a1, _ = resolve(start, ctx, inherit)
                e.relative = end.relative
                first, last = a1, b2
            else:
                a1, a2 = resolve(e, ctx)
                first, last = a1, a2
                if e.bare:  # A + bare + connector + B: 2019年4月12-19日
                    lvl = e.bare["level"]
                    n = cn_int(e.bare["n"])
                    if lvl == 3 and n:
                        first = safe_date(a1.year, a1.month, n) or a1
                    elif lvl == 1 and n and 1 <= n <= 12:
                        first = Date(a1.year, n, 1)
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
            if e.open_end:
                last = None
            if e.open_start:
                first = None
            e.first, e.last = first, last
            e.value = fmt_period(first, last)
            e.year = (first or last).year
            if first is not None and last is not None and (last - first).days < 32:
                ctx.months.append((e.start, last.year, last.month))
                ctx.months.sort()
        except Unresolved:
            e.value = None
            e.year = None
        except (ValueError, OverflowError, KeyError, TypeError):
            e.value = None
            e.year = None


# ------------------------------------------------------------------ public API
def _parse_doc_date(s) -> Date | None:
    if not s:
        return None
    try:
        return Date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def find_dates(text: str, doc_date: str | None = None, title: str | None = None) -> list[Expr]:
    """Every date expression of one article, resolved: Expr.start/end/value/relative/year."""
    from .segment import paragraphs, sentences

    ref = _parse_doc_date(doc_date)
    # the year a summary is about: from the article's title, else a dated title line in its text
    art_year = (_title_year(title) if title else None) or _title_year(text)
    ctx = Context(ref, art_year, text, sentences=sentences(text), paragraphs=paragraphs(text))
    exprs = build_exprs(text, find_atoms(text))
    resolve_all(exprs, ctx)
    return exprs


@Language.component("zh_dates")
def zh_dates(doc: Doc) -> Doc:
    spans = []
    for e in find_dates(doc_text(doc), doc._.doc_date, doc._.title):
        sp = doc.char_span(e.start, e.end, label="DATE", alignment_mode="expand")
        if sp is None:
            continue
        # (straight into doc.user_data, as sp._ would store them, without building its accessor)
        set_span_extensions(doc, sp.start_char, sp.end_char,
                            {"value": e.value, "year": e.year, "relative": bool(e.relative)})
        spans.append(sp)
    doc.spans["dates"] = spans
    return doc


# ------------------------------------------------------------------ the document date
_ISSUE_LINE = regex.compile(
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发|印發|出版|编印|編印|发布|發布|签发|簽發)")
# a masthead line: 第5期 … 某某办公室编 … 2023年6月20日
_MASTHEAD = regex.compile(
    r"(?m)^[^\n]*(?:第\s*[\d一二三四五六七八九十百〇零]+\s*期|[编編]印|[编編]发|[编編]發|主办|主辦|[编編]\s*$|[编編][ \t\u3000])"
    r"[^\n]*?((?:19|20)\d{2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})")
_CN_NUM = "〇零○一二三四五六七八九十"
# a speech: ——2026年1月27日在…会议上 (also in Chinese numerals, in brackets, after a 分享： prefix)
_SPEECH_LINE = regex.compile(
    rf"(?m)^[^\n]{{0,8}}?((?:19|20)\d{{2}}|[{_CN_NUM}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*月"
    rf"\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日\s*在[^。]{{0,60}}?(?:会议|大会|會議|大會)上")
# a line that is only a date (a timestamp may follow)
_DATELINE = regex.compile(
    r"(?m)^[ \t\u3000]*(?:——|—|―+|-{1,2})?[ \t\u3000（(]*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"[）)]?(?:\s*\d{1,2}[时時:：]\d{2}(?:分)?)?[ \t\u3000]*$")
_TIME_LINE = regex.compile(r"(?m)^[ \t\u3000]*(?:时间|時間|日期|发布时间|發布時間)[：:][ \t\u3000]*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_PDF_DATE = regex.compile(r"D?:?((?:19|20)\d{2})(\d{2})(\d{2})")
# A briefing's masthead: the issuer, a wide gap, the full date ending the line
# (安吉县民政局办公室　　　2023年9月15日, 自治区老龄办　　二〇二三年十二月二十日), Arabic or Chinese numerals.
_FULL_DATE = (rf"((?:19|20)\d{{2}}|[{_CN_NUM}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*月"
              rf"\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日")
_MASTHEAD_GAP = regex.compile(rf"(?m)^[^\n。，；]{{0,40}}?(?:[ \t]{{2,}}|\u3000+){_FULL_DATE}[ \t\u3000]*$")
# A closing sign-off: （寿光市慈善总会　2024年2月20日） on a line of its own.
_SIGNOFF = regex.compile(rf"(?m)^[ \t\u3000]*[（(][^\n（）()。，]{{2,30}}?[ \t\u3000]*{_FULL_DATE}[）)][ \t\u3000]*$")


def _ymd_cn(y: str, mo: str, d: str) -> str | None:
    """_ymd for numbers written in Arabic or Chinese numerals (二〇二三, 十二, 二十)."""
    yy = int(y) if y.isdigit() else cn_digits(y)
    mm, dd = cn_int(mo), cn_int(d)
    return _ymd(yy, mm, dd) if mm and dd else None


def _title_line_year(text: str) -> tuple[int, str] | None:
    """A dated title near the top: '2021年…工作综述' -> (2021, 'end'), '2026年政府工作报告' -> (2026, 'start').

    A title broken over two or three short lines (PDF covers) is read joined.
    """
    return _head_title_year(text[:1500])


@lru_cache(maxsize=8)  # the document date and each article's dates ask about the same first lines
def _head_title_year(head: str) -> tuple[int, str] | None:
    w = words()["title"]
    lines = [ln.strip().lstrip("—-－ ") for ln in head.splitlines()[:40]]
    lines = [ln for ln in lines if ln]
    for i in range(len(lines)):
        if _SECTION_NUMBER.match(lines[i]):
            continue  # a numbered section heading, not the title
        for k in (1, 2, 3):
            cand = "".join(lines[i:i + k])
            if len(cand) > 60 or i + k > len(lines):
                break
            m = _TITLE_YEAR.search(cand)
            if not m:
                continue
            tail = cand[m.end():].rstrip("）)")
            if any(tail.endswith(x) for x in w["year_end"]):
                return int(m.group(1)), "end"
            if any(tail.endswith(x) for x in w["year_start"]):
                return int(m.group(1)), "start"
    return None


def _title_year(text: str) -> int | None:
    """The year a summary's title names (2021年…工作综述); a report or plan looks ahead, so none."""
    r = _title_line_year(text)
    return r[0] if r and r[1] == "end" else None


def _ymd(y, m, d) -> str | None:
    r = safe_date(int(y), int(m), int(d))
    return r.isoformat() if r else None


# Lines that state the document's date, tried in order: (pattern, where to look, source label).
_DOC_DATE_LINES = (
    (_ISSUE_LINE, "head_tail", "text:issue-line"),
    (_MASTHEAD, "head", "text:issue-line"),
    (_SPEECH_LINE, "head_tail", "text:dateline"),
    (_DATELINE, "head_tail", "text:dateline"),
    (_TIME_LINE, "head_tail", "text:dateline"),
    (_MASTHEAD_GAP, "head", "text:masthead"),
    (_SIGNOFF, "tail", "text:signoff"),
)


def infer_doc_date(text: str, metadata: dict | None = None) -> tuple[str | None, str | None]:
    """(date, where it came from) for the document; (None, None) when nothing says.

    In order: an issue line (`2020年4月18日印发`), a dateline (a line that is only a date, or
    `——2026年2月3日在…会议上`, or `时间：2026-02-09`), a masthead ending in a date after a wide gap,
    a closing sign-off `（某某会　2024年2月20日）`, a dated title (`2021年…工作综述`: the year's end;
    `2026年政府工作报告`: its start), then the PDF's creation date.
    """
    parts = {"head": text[:800], "head_tail": text[:3000] + "\n" + text[-1500:], "tail": text[-600:]}
    for rx, part, source in _DOC_DATE_LINES:
        m = rx.search(parts[part])
        if m and _ymd_cn(*m.groups()):
            return _ymd_cn(*m.groups()), source
    t = _title_line_year(text)
    if t:
        y, where = t
        return (f"{y}-12-31" if where == "end" else f"{y}-01-01"), "text:title"
    for key in ("CreationDate", "ModDate", "creationdate", "moddate"):
        v = (metadata or {}).get(key)
        m = _PDF_DATE.match(str(v)) if v else None
        if m and _ymd(*m.groups()):
            return _ymd(*m.groups()), "pdf:metadata"
    return None, None
