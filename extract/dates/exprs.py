"""Expressions: adjacent atoms of increasing precision join into one (`去年` + `11月` + `21日`); two
expressions joined by 至/到/— make a range, and so do 与…之间 and 之后…之前; a bare number takes the
unit of the expression beside it (2019年1-9月, 1985到89年); 以来/至今/起 open the end. 截至4月13日 is
the point 4月13日 (GUIDELINES: the "as of" lives in the figures' cumulative flag), so 截至 opens nothing.
What only looks like a date (3号楼, “5·29会员活动日”, 15年 as a count) is dropped here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .atoms import CNN, S, Atom, dur_parts
from .calendar import Date


@dataclass
class Expr:
    start: int
    end: int
    atoms: list[Atom]
    # results
    first: Date | None = None
    last: Date | None = None
    open_end: bool = False
    relative: bool = False
    value: str | None = None
    year: int | None = None
    explicit_year: int | None = None  # the year the text names outright (context for others)
    end_expr: "Expr | None" = None
    exclusive: bool = False  # the range ends where end_expr starts
    bare: dict = field(default_factory=dict)


# words that make a number after a month a count, not a day
_UNIT_AFTER = r"[\d年月个個万亿千百元人户戶名次件项項天周岁歲家所座条条篇期场台吨亩公斤米份%.％]"
# (patterns used per atom or per line are compiled once: regex.match(str, ...) looks each up again)
_UNIT_AFTER_RE = regex.compile(_UNIT_AFTER)
_HAN_CHAR = regex.compile(r"\p{Han}")
_NAME_BEFORE_DAY = regex.compile(r"(?![至到])[\p{Han}“\"「『《]")
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
_SUFFIX = regex.compile(rf"{S}(?P<s>以来|以來|至今|起(?![草诉訴步点點飞飛源])|以后|以後|之后|之後|以前|之前|期间|期間|前夕|间(?![隔断]|接)|間|内(?![容部外涵蒙江])|內(?![容部外涵蒙江]))")
# how many characters a name begun by a date word ([glued.within]: 今日宁乡讯) holds before its end
_NAME_GAP = 4
_DAY_OK_AFTER = regex.compile(r"$|[^\p{Han}”\"」』》]|[上下中晚早凌午前后起至到止以的在是召举开你我他她时，]")


def build_exprs(text: str, atoms: list[Atom], standalone_parts, words: dict) -> list[Expr]:
    """Join adjacent atoms into expressions, then expressions into ranges. standalone_parts: the parts
    of a period that are a date alone (月底, 上旬; dates.toml); words: dates.toml's tables, for the
    words a date word is glued to ([glued], duration_words)."""
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
        if a.kind == "part" and a.text not in standalone_parts:
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
    exprs = [e for e in exprs if _keep(text, e) and not _glued(text, e, words)]
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
        s = _SUFFIX.match(text, e.end)
        if s and e.atoms and e.atoms[-1].kind not in ("dur", "vague"):
            word = s.group("s")
            if word in ("以来", "以來", "至今", "起"):
                if e.end_expr is None:
                    e.open_end = True
                e.end = s.end()
            elif word in ("期间", "期間", "前夕") or (word in ("间", "間") and e.end_expr is not None):
                e.end = s.end()  # 2020年至2024年间: 间 after a range of years
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


def _glued(text: str, e: Expr, words: dict) -> bool:
    """A date word that a neighbour makes part of another word: 人次年均 (人次), 不同年龄, 三年初见成效,
    明日之星, 今日宁乡讯 ([glued] of dates.toml); a count after a word ending in 前/后 (学前一年, 提前两年: duration_words)."""
    first, last = e.atoms[0], e.atoms[-1]
    before = words["glued"]["before"].get(first.text)
    if before and text[first.start - 1:first.start] in before:
        return True
    after = words["glued"]["after"].get(last.text)
    if after and any(text.startswith(w, last.end) for w in after):
        return True
    within = words["glued"]["within"].get(last.text)
    if within and _within_re(within).match(text, last.end):
        return True
    return first.text[:1] in "前后後" and text[first.start - 1:first.start + 1] in words["lists"]["duration_words"]


@lru_cache(maxsize=None)
def _within_re(within: tuple):
    """今日宁乡讯: up to _NAME_GAP characters, then a word of `within` ([glued.within] of dates.toml)."""
    return regex.compile(rf"\p{{Han}}{{0,{_NAME_GAP}}}?(?:{'|'.join(map(regex.escape, within))})")


def _in_quoted_name(text: str, e: Expr) -> bool:
    """“慈善一日捐”, “一日捐”: a day inside a short quoted name that goes on after it."""
    q = text.rfind("“", max(0, e.start - 16), e.start)
    if q < 0 or "”" in text[q:e.start] or not _HAN_CHAR.match(text, e.end):
        return False
    close = text.find("”", e.end, e.end + 8)
    return close > 0 and "“" not in text[e.end:close]


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
        d = dur_parts(a[0])
        return d is not None and not (d[0] == 0.5 and d[1] != "年")
    if kinds[0] in ("hol", "md") and _in_name(text, e):
        return False
    if kinds == ["day"]:
        # a day on its own: 29日 / 12号; not 3号楼, 十日内
        t = text[a[0].end:a[0].end + 2]
        if t[:1] in ("内", "內", "来", "來") or t in ("以内", "之内"):
            return False
        if _in_quoted_name(text, e):
            return False
        if a[0].text[-1] in "号號":
            # 12号 alone is a day; 吉林一号, “齐鲁1号”, 3号线 are names
            before = text[a[0].start - 1:a[0].start]
            if _NAME_BEFORE_DAY.match(before or " ") or not _DAY_OK_AFTER.match(t[:1] or ""):
                return False
        return True
    return True

