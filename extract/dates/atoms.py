"""The atoms of time expressions: one candidate pattern per kind of atom, found in one pass.

An atom is a year (`2020年`, `二〇二〇年`, `去年`), a month (`3月`, `正月`, `上个月`), a quarter, a day
(`25日`, `初一`), a weekday, a holiday, a part (`上旬`, `底`), a numeric date (`2020.3.25`, `20240307`),
a vague or counted period (`近年来`, `3年来`). The word lists come from patterns/dates.toml.

Each pattern is searched where it can match, with the same matches as over the whole text
(docs/performance/dates.md has the measurements): the kinds made of a word list (LITERAL) only where
one of their words starts, found by one Aho-Corasick scan; the kinds of _ANCHOR only in the windows
between boundaries that hold one of their anchor characters; the others over the whole text.
"""
from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..text.numerals import parse_digits, parse_small
from ..text.regextools import alt

S = r"[ \t\u3000\xa0]*"
CNN = "〇零一二三四五六七八九十两"
MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]|正|腊|臘|冬)"
DAYN = r"(?:3[01]|[12]\d|0?[1-9]|[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九]|廿[一二三四五六七八九]?|卅一?)"
NUM = rf"(?<![\d.{CNN}])(?:[1-9]\d{{0,2}}|[{CNN}几]{{1,3}}|半)"
DUR_BODY = (rf"{NUM}{S}多?{S}(?:(?:个|個){S}[多半]?{S}(?:月|星期|礼拜|禮拜|周)"
            rf"|半?{S}(?:年|周|週|星期|礼拜|禮拜|天))[多半]?")
DUR_SUF = r"以来|以來|来|來|之前|之后|之後|以前|以后|以後|前|后|後|以内|之内|内|內"


def _build(w: dict) -> list[str]:
    """The pattern of each kind of atom, in order of priority (w: patterns/dates.toml)."""
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
        rf"(?P<vague>{alt(vague)})",
        rf"(?P<yrel>{alt(rel_years)})",
        rf"(?P<yctx>{alt(ctx_years)})",
        r"(?P<ynext>次年|翌年|第二年)",
        rf"(?P<mofy>(?P<mofyp>前|后|後|头|頭|最后){S}(?P<mofyn>\d{{1,2}}|[一二三四五六七八九十两]{{1,3}}){S}(?:个|個)?{S}月(?:份)?|首月|第{S}(?P<mofyk>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){S}(?:个|個){S}月)",
        rf"(?P<qtr>(?:(?P<qp>前|后|後){S}(?P<qn>[一二两三2-3]){S}(?:个|個)?{S}季度|(?P<qr>上个|上一个|上一|上|本|这个|这一|這個|当|下个|下一个|下一|下){S}季度|第{S}(?P<qk>[一二三四1-4]){S}季度?|(?P<qk2>[一二三四1-4]|首){S}季度|Q(?P<qk3>[1-4])(?:{S}季度)?))",
        r"(?P<half>上半年|下半年|前半年|后半年|後半年)",
        r"(?P<mrel>本月|当月|當月|这个月|這個月|这月|上个月|上個月|上一个月|上月|下个月|下個月|下一个月|下月|次月|同月)(?:份)?",
        rf"(?P<week>(?<![{CNN}每几\d])(?P<wp>上上|下下|上一个|下一个|上一|下一|这一|上个|下个|这个|這個|上|下|这|這|本)?{S}(?:星期|礼拜|禮拜|周|週)(?P<wd>[一二三四五六日天末1-7])?)",
        # periods counted from the document date: 近三年, 3年来, 两年前, 20天后, 过去十年
        rf"(?P<dur>(?:(?P<durp>近|过去|過去|最近|最后|最後|未来|未來|今后|今後|此后|此後|前|后|後|上|下){S}|(?={DUR_BODY}(?:{DUR_SUF})))"
        rf"(?P<durb>{DUR_BODY})(?P<durs>{DUR_SUF})?)",
        # years
        rf"(?P<era>(?P<eran>{alt(eras)})(?P<eray>元|\d{{1,3}}|[一二三四五六七八九十百]{{1,6}}){S}年)",
        rf"(?P<y4>(?<![\d.])(?:1\d|20)\d{{2}}){S}年(?:度)?",
        rf"(?P<y3>(?<=公元|在|于|於)[1-9]\d{{2}}){S}年(?![来來间間代前后後多内半历歷])",
        rf"(?P<y2>(?<![\d.])\d{{2}}){S}年(?![来來间間代])",
        r"(?P<yk>[两兩二一]千(?:零?[一二三四五六七八九]?十?[一二三四五六七八九]?)?)年",
        rf"(?P<ycn>(?<![{CNN}几]|[个個第])(?:[〇零○一二三四五六七八九]{{4}}(?=年)|[〇零○一二三四五六七八九]{{2,3}}(?=年(?![来來间間代前后後多内半]))))年",
        rf"(?P<cent>(?:(?:(?P<centp>上|本)|(?P<centn>\d{{1,2}}|[一二]?十?[一二三四五六七八九十]))世纪)?{S}(?P<dec>[1-9]0|[一二三四五六七八九]十){S}年代)",
        r"(?P<cent2>(?P<cent2n>\d{1,2}|[一二]?十[一二三四五六七八九]?|[一二三四五六七八九])世纪)",
        # five-year plans: “十四五”期间, 十三五时期, “十三五”以来 (quoted, or with its 期间 / 时期)
        rf"(?P<plan>(?<![{CNN}])(?P<planq>[“\"「])?(?P<plann>十[一二三四五六七八九]?|[三四五六七八九])五(?(planq)[”\"」])"
        rf"(?:{S}(?:规划|規劃)?{S}(?:时期|時期|期间|期間)|(?(planq)(?={S}(?:以来|以來))|(?!))))",
        # holidays and solar terms (before months: 三八妇女节, 五一劳动节)
        rf"(?P<hol>{alt(hol)})",
        rf"(?P<term>{alt(terms)})",
        # parts of a year
        r"(?P<lunar>农历|農曆|阴历|陰曆|夏历|大年(?=初|三十))",
        rf"(?P<mon>(?<![\d.{CNN}几])(?P<leap>闰|閏)?{S}(?P<mon_n>{MON}){S}月(?:份)?(?!份额|度))",
        rf"(?P<weeknth>第{S}(?P<wnn>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){S}(?:个|個)?{S}(?:周|週|星期|礼拜|禮拜)(?P<wnd>[一二三四五六日天])?)",
        rf"(?P<drel>{alt(rel_days)})",
        rf"(?P<lday>初{S}(?P<lday_n>十|[一二三四五六七八九]|\d{{1,2}}))",
        rf"(?P<day>(?<![\d.{CNN}廿卅第每近前后])(?P<day_n>{DAYN}){S}(?:日|号|號))",
        r"(?P<season>[春夏秋冬](?:季|天)|(?<=年)[春夏秋冬](?![\p{Han}]))",
        r"(?P<part>上旬|中旬|下旬|月初|月中|月底|月末|年初|年中|年底|年末|岁末|歲末|岁初|歲初|伊始|末期|前期|中期|后期|後期|中叶|初期|初(?![步级級衷心审選选赛稿创見见次具现現])|中(?![\p{Han}])|底|末)",
    ]
    return p


_CN_DIGITS = "〇零○一二三四五六七八九十两兩"
# the characters each kind of atom can start with (word lists add their own first characters)
_FIRST = {
    "ymd": r"\d", "dmy": r"\d", "dmy2": r"\d", "ymd8": r"\d", "ym": r"\d", "md": r"\d",
    "y4": r"\d", "y3": r"\d", "y2": r"\d", "yk": "两兩二一", "ycn": "〇零○一二三四五六七八九", "jnln": "今",
    "dur": r"近过過最未今此前后後上下\d几半" + _CN_DIGITS, "cent": r"上本\d" + _CN_DIGITS, "cent2": r"\d" + _CN_DIGITS,
    "mofy": "前后後头頭最首第", "qtr": "前后後上本这這当下第一二三四1-4首Q", "half": "上下前后後",
    "lunar": "农農阴陰夏大", "mrel": "本当當这這上下次同", "mon": r"闰閏\d正腊臘冬" + _CN_DIGITS,
    "weeknth": "第", "week": "上下这這本星礼禮周週", "lday": "初", "day": r"\d廿卅" + _CN_DIGITS,
    "season": "春夏秋冬", "plan": "“\"「十三四五六七八九", "part": "上中下月年岁歲伊末前后後初底", "ynext": "次翌第",
}
# digit-led kinds that find their first digit faster without a lookahead (docs/performance/dates.md)
_NO_LOOKAHEAD = {"ymd", "ymd8", "y4", "y3"}

_ATOM_LEVEL = {
    "era": 0, "y3": 0, "ynext": 0, "cent": 0, "cent2": 0, "y4": 0, "y2": 0, "yk": 0, "ycn": 0, "yrel": 0, "yctx": 0,
    "mofy": 1, "qtr": 1, "half": 1, "mrel": 1, "mon": 1, "hol": 1, "term": 1, "season": 1,
    "weeknth": 2, "week": 2,
    "lday": 3, "day": 3,
    "part": 4,
    "lunar": -1,
}


def word_lists(w: dict) -> dict[str, list[str]]:
    """The word lists (patterns/dates.toml) of the kinds of atom made of them."""
    return {"vague": w["lists"]["vague"], "yrel": list(w["relative_years"]), "yctx": w["lists"]["context_years"],
            "drel": list(w["relative_days"]), "term": w["lists"]["solar_terms"], "era": list(w["eras"]),
            "hol": [*w["holidays"]["solar"], *w["holidays"]["lunar"], *w["holidays"]["floating"]]}


def _outer(rx: regex.Pattern) -> str:
    """The kind of atom a pattern finds: its outermost named group."""
    return min(rx.groupindex, key=rx.groupindex.get)


def number(s: str, words: dict) -> int | None:
    """A number in a date: a word that stands for one (正月, 元年: [numbers] of dates.toml), else
    Arabic or Chinese numerals."""
    n = words["numbers"].get(s.strip())
    return n if n is not None else parse_small(s)


# ------------------------------------------------------------------ where to search
# kinds whose pattern starts with one of the words of its list (most are only that)
LITERAL = ("vague", "yrel", "yctx", "era", "hol", "term", "drel")


def literal_automaton(lists: dict[str, list[str]]):
    """(automaton over the words of the LITERAL kinds, the kinds of each word) for searchers()."""
    import ahocorasick_rs

    found = sorted({w for k in LITERAL for w in lists[k]})
    kinds = [tuple(k for k in LITERAL if w in lists[k]) for w in found]
    # a DFA: the same matches as the default NFA, a faster scan
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
    "day": "日号號", "season": "春夏秋冬", "plan": "五", "part": "旬初中底末始期叶",
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
    one of those anchors, and little else. Found one anchor character at a time and merged."""

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


def searchers(text: str, patterns: list[regex.Pattern], kinds: list[str], automaton) -> list:
    """For each pattern (of the kind at the same place in kinds), what searches it over text: the
    word-list kinds answered from one automaton scan, the others with an anchor in their windows."""
    auto, word_kinds = automaton
    starts: dict[str, set[int]] = {k: set() for k in LITERAL}
    for i, s, _ in auto.find_matches_as_indexes(text, overlapping=True):
        for k in word_kinds[i]:
            starts[k].add(s)
    windows = _Windows(text)
    out = []
    for rx, kind in zip(patterns, kinds):
        if kind in starts:
            out.append(_Literal(rx, sorted(starts[kind])))
        elif kind in _ANCHOR:
            out.append(_Windowed(rx, windows[_ANCHOR[kind]], len(text)))
        else:
            out.append(rx)
    return out


# ------------------------------------------------------------------ atoms
@dataclass
class Atom:
    kind: str  # the named group that matched
    start: int
    end: int
    text: str
    groups: dict
    level: int = 9  # 9: stands alone


class Candidates:
    """The candidate patterns built from one table of words (patterns/dates.toml), compiled once.

    One pattern per kind of atom, in order of priority, kept apart rather than joined in one
    alternation so that the engine can skip ahead to where each can match: each is led by a lookahead
    for the characters it can start with (not those of _NO_LOOKAHEAD, nor the holidays, whose names
    start with common characters; searchers() finds where the word lists' words start)."""

    def __init__(self, words: dict):
        self.words = words
        lists = word_lists(words)
        self.patterns: list[regex.Pattern] = []
        for p in _build(words):
            rx = regex.compile(p)
            kind = _outer(rx)
            first = "" if kind in ("hol", *_NO_LOOKAHEAD) else \
                _FIRST.get(kind, "") + "".join(sorted({n[0] for n in lists.get(kind, ())}))
            self.patterns.append(regex.compile(f"(?=[{first}]){p}") if first else rx)
        self.kinds = [_outer(rx) for rx in self.patterns]
        self.automaton = literal_automaton({k: lists[k] for k in LITERAL})

    def _plausible(self, digits: str) -> bool:
        lo, hi = self.words["years"]["chinese_digits"]
        return lo <= (parse_digits(digits) or 0) <= hi

    def find(self, text: str) -> list[Atom]:
        """The atoms of text, left to right, none overlapping."""
        # as one alternation would: leftmost match first, ties to the earlier pattern; a pattern whose
        # match overlaps one taken searches again after it
        heap = []
        for prio, rx in enumerate(searchers(text, self.patterns, self.kinds, self.automaton)):
            m = rx.search(text)
            if m:
                heap.append((m.start(), prio, m, rx))
        heapq.heapify(heap)
        out = []
        taken = 0
        kinds = self.kinds
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
            kind = kinds[prio]
            gd = {k: v for k, v in m.groupdict().items() if v is not None}
            a = Atom(kind, m.start(), m.end(), m.group(), gd, _ATOM_LEVEL.get(kind, 9))
            if kind == "week" and not (gd.get("wp") or gd.get("wd")):
                continue  # a bare 周 / 星期
            if kind == "week" and gd.get("wd"):
                a.level = 3 if not gd.get("wp") else 2
            if kind == "ycn" and len(gd["ycn"]) > 2 and not self._plausible(gd["ycn"]):
                continue  # 二三五年: 二〇三五年 with its 〇 dropped, no year 235
            if kind == "mon" and not 1 <= (number(gd["mon_n"], self.words) or 0) <= 12:
                continue
            out.append(a)
            taken = m.end()
        return out


_DUR_PARTS = regex.compile(rf"(?P<n>\d{{1,3}}|[{CNN}几]{{1,3}}|半){S}(?P<more>多)?.*?(?P<u>年|月|周|週|星期|礼拜|禮拜|天)")


def dur_parts(a: Atom) -> tuple[float, str, bool] | None:
    """(count, unit, 'more than') of 3年半 / 两个半月 / 十个多月; count None for 几年."""
    m = _DUR_PARTS.match(a.groups["durb"])
    if not m:
        return None
    n = 0.5 if m.group("n") == "半" else parse_small(m.group("n"))
    if n is not None and m.group("n") != "半" and "半" in a.groups["durb"][m.end("n"):]:
        n += 0.5
    return n, m.group("u"), "多" in a.groups["durb"]
