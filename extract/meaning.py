"""What a figure means: a change or a level (direction, measure), achieved or planned (status), the
years it covers (period), and the standard indicator its label names.

Pure functions of the document text (cleaned, in either script: it is read in simplified characters,
offsets kept) and the figure's character span, for attribution to call on each figure. The word lists
are data in patterns/meaning.toml and patterns/indicators.toml, compiled once into a Meaning.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .text import rules
from .text.hanzi import simplified, simplified_doc
from .text.regextools import alt

# a clause ends at these (、 joins list items, so it does not); a sentence at the second set
CLAUSE_END = "，,。；;！!？?：:\n"
SENTENCE_END = "。！!？?"
_LOOK_BACK = 200  # the longest sentence read before a figure
_HEADING = 20  # the longest line read as a heading
_UNSET = object()  # an argument not given (None is a value: no direction, no period)
_CN_COUNT = {c: i for i, c in enumerate("零一二三四五六七八九十", 0)} | {"两": 2}


# the last sentence end or line break before a position: regex's reverse search runs back in C,
# where a loop back over a sentence (up to _LOOK_BACK characters) ran one Python step per character
_SENTENCE_OR_LINE_END = regex.compile(f"(?r)[{regex.escape(SENTENCE_END)}\n]")


def _clause_start(text: str, pos: int, ends: str = CLAUSE_END) -> int:
    # (a clause is short: stepping back in Python is quicker than starting a reverse search)
    lo = max(0, pos - _LOOK_BACK)
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in ends:
            return i + 1
    return lo


def _sentence_start(text: str, pos: int) -> int:
    """After the last 。！？ or paragraph break before pos. A line ending with ；： or ， runs on (a list
    of targets after 主要预期目标：, one per line)."""
    lo = max(0, pos - _LOOK_BACK)
    hi = pos
    while True:
        m = _SENTENCE_OR_LINE_END.search(text, lo, hi)
        if m is None:
            return lo
        i = m.start()
        if text[i] != "\n":
            return i + 1
        before = text[lo:i].rstrip(" \t\u3000")
        if not before or before[-1] not in "；;：:，,、":
            return i + 1
        hi = i


def _paragraph_start(text: str, pos: int) -> int:
    """The start of pos's line, or of the heading line above it (a short line with no final stop:
    今后五年的重点目标)."""
    lo = text.rfind("\n", 0, pos) + 1
    if lo > 1:
        above = text.rfind("\n", 0, lo - 1) + 1
        head = text[above:lo - 1].strip()
        if head and len(head) <= _HEADING and head[-1] not in SENTENCE_END + "；;，,":
            return above
    return lo


def _line_start(text: str, pos: int) -> int:
    i = text.rfind("\n", 0, pos)
    return i + 1


def _plan_start(name: str) -> int:
    """十四五 -> 2021: from the 3rd (1966) on, each plan follows the last."""
    return 1966 + 5 * (10 + _CN_COUNT[name[1]] - 3)


def _years(word: str) -> int | None:
    """五 / 两 / 十 / 5 -> a small count of years."""
    if word.isdigit():
        return int(word)
    if len(word) == 1:
        return _CN_COUNT.get(word)
    if len(word) == 2 and word[0] == "十":
        return 10 + _CN_COUNT.get(word[1], 0)
    return None


@dataclass
class Meaning:
    """The rules of patterns/meaning.toml and indicators.toml, compiled."""

    cue: regex.Pattern
    up: frozenset
    down: frozenset
    comparative: frozenset
    comparative_down: frozenset
    of_rates: frozenset
    rate_units: frozenset
    level_after: str
    by_after: regex.Pattern
    earlier: regex.Pattern
    gap: regex.Pattern
    relisted: regex.Pattern
    target: regex.Pattern
    heading: regex.Pattern
    not_target: regex.Pattern
    achieved: regex.Pattern
    future_year: regex.Pattern
    share: regex.Pattern
    points: tuple
    percent: tuple
    rate_suffix: tuple
    plan: regex.Pattern
    span: regex.Pattern
    from_to: regex.Pattern
    years_back: regex.Pattern
    base_year: regex.Pattern
    average: regex.Pattern
    total: regex.Pattern
    from_level: regex.Pattern
    from_before: regex.Pattern  # the first of a from-to pair: 从 just before it, with no year
    to_after: regex.Pattern  # ...and 到 a number just after it
    to_before: regex.Pattern  # the second: 从…到 just before it
    pair_own_year: regex.Pattern  # 从2020年的|到2025年的 just before a figure
    any_year: regex.Pattern  # a year named in a clause: 2023年
    reached: regex.Pattern  # a verb of a level reached just before a figure: 达到, 突破
    years_average: regex.Pattern
    indicators: list  # (id, compiled alternation of its names, units or None, measures or None)
    indicator_names: dict
    not_indicator: regex.Pattern
    any_indicator: regex.Pattern  # every indicator's names

    # ------------------------------------------------------------ direction
    def direction(self, text: str, start: int, end: int, unit: str | None = None) -> str | None:
        """'up' / 'down' for a figure stated as a change (比上年增长5.8%, 下降3.3%, 提高2个百分点),
        None for a level (降至3%, 提高到62.9%) or a stock."""
        text = simplified_doc(text)
        lo = _clause_start(text, start)
        clause = text[lo:start]
        hits = list(self.cue.finditer(clause))
        for m in reversed(hits):
            if not self.gap.fullmatch(clause, m.end()):
                continue
            if self.relisted.search(clause, m.end()):
                return None  # 增长5.5%、达到10.3万亿元: the second has a verb of its own, a level
            word = m.group()
            after = clause[m.end():m.end() + 2]
            noun = word[-1] in "速幅率"  # 增速达4.25%, 降幅为2%: the rate of change itself
            if not noun and after and after[0] in self.level_after and not self.by_after.match(after):
                return None  # 降至, 提高到, 增长为: the level reached
            if word in self.of_rates and (unit or "") not in self.rate_units:
                return None  # 提升了41处设施: an object, not a change
            if word in self.comparative:
                if not self.earlier.search(clause):
                    return None  # 新增就业1.2万人: a flow, not a change
                return "down" if word in self.comparative_down else "up"
            return "up" if word in self.up else "down"
        return None

    # ------------------------------------------------------------ status
    def status(self, text: str, start: int, end: int, doc_year: int | None = None,
               year: int | None = None, period=_UNSET) -> str | None:
        """'target' for a planned, expected or required figure (预期增长5%左右, 力争…达到, 到2027年…),
        None for what was achieved or reported. period: self.period() of the same figure, when the
        caller has it already."""
        text = simplified_doc(text)
        if doc_year and year and year > doc_year:
            return "target"  # a year after the document's
        if period is _UNSET:
            period = self.period(text, start, end, doc_year) if doc_year else None
        span = period if doc_year else None
        if span and int(span[-4:]) > doc_year:
            return "target"  # "十五五"期间年均增长5%: a span not over when the document was written
        lo = _sentence_start(text, start)
        para = _paragraph_start(text, lo)
        if self.heading.search(text, para, lo):
            lo = para  # 主要预期目标是：…。经济结构…
        sentence = text[lo:start]
        masked = self.not_target.sub(lambda m: "\0" * len(m.group()), sentence)
        last = None
        for m in self.target.finditer(masked):
            last = m
        if last is not None:
            between = sentence[last.end():]
            before = sentence[max(0, last.start() - 4):last.start()]
            if not (self.achieved.search(between) or self.achieved.search(before)):
                return "target"
        if doc_year:
            for m in self.future_year.finditer(sentence):
                if int(m.group(1)) > doc_year:
                    return "target"
        return None

    # ------------------------------------------------------------ measure
    def measure(self, text: str, start: int, end: int, unit: str | None = None, direction=_UNSET) -> str:
        """'change' (增长5%, 提高2个百分点: points), 'share' (占…比重), 'rate' (城镇化率54.5%) or 'level'.
        direction: self.direction() of the same figure, when the caller has it already."""
        unit = unit or ""
        if direction is _UNSET and unit not in self.points:
            direction = self.direction(text, start, end, unit)
        if unit in self.points or direction:
            return "change"
        text = simplified_doc(text)
        clause = text[_clause_start(text, start):start]
        if self.share.search(clause):
            return "share"
        if unit in self.percent:
            return "rate"
        head = clause.rstrip(" 为是达到约近超过了")
        if head.endswith(self.rate_suffix):
            return "rate"
        return "level"

    # ------------------------------------------------------------ period
    def period(self, text: str, start: int, end: int, doc_year: int | None = None) -> str | None:
        """'YYYY/YYYY' for a figure that covers a span of years the text fixes (a five-year plan's
        total, 2021—2025年 累计, 年均增长 between two years, 五年来 before a report's year), else None.
        Only flows and averages cover a period: a level reached (达38922元) does not."""
        text = simplified_doc(text)
        line_lo = _line_start(text, start)
        sentence = text[max(_sentence_start(text, start), line_lo):start]
        clause = text[_clause_start(text, start):start]
        average = self.average.search(clause)
        base = self.base_year.search(clause)
        if not (average or base or self.total.search(sentence)):
            return None
        if not average and self.from_level.search(clause):
            return None  # 从771家增加到1076家: a level at either end
        b = self.base_year.search(sentence)
        n = self.years_average.search(clause)
        if b and n and _years(n.group(1)):  # 与2020年相比，两年平均增长
            return f"{b.group(1)}/{int(b.group(1)) + _years(n.group(1))}"
        m = self.from_to.search(sentence)
        if m and not base:
            a, z = int(m.group(1)), int(m.group(2))
            return f"{a}/{z}" if a < z else None
        return self._line_period(text[line_lo:start], doc_year, years_back=not base)

    def _line_period(self, line: str, doc_year: int | None, years_back: bool = True) -> str | None:
        """The span of years the line before a figure names: 2021—2025年, "十四五", 五年来."""
        spans = list(self.span.finditer(line))
        if spans:
            a, z = int(spans[-1].group(1)), int(spans[-1].group(2))
            return f"{a}/{z}" if a < z else None
        plans = list(self.plan.finditer(line))
        if plans:
            first = _plan_start(plans[-1].group(1))
            return f"{first}/{first + 4}"
        if doc_year and years_back:
            back = list(self.years_back.finditer(line))
            k = _years(back[-1].group(1)) if back else None
            if k and 1 < k <= 10:
                return f"{doc_year - k}/{doc_year - 1}"  # 五年来 in a report of 2026: 2021-2025
        return None

    def pair_year(self, text: str, start: int, end: int, doc_year: int | None = None) -> tuple[bool, int | None]:
        """The year of either end of a from-to pair (地区生产总值从11.37万亿元提高到14.58万亿元), which is
        two levels of two years, never a sum: (True, year) for an end of one, else (False, None).
        A year written at the end (从2020年的3.68万亿元增长到2025年的4.93万亿元) is its year; else the
        first is the level of the year before the span its line covers (五年来 in a report of 2026:
        2020; None where the line fixes no span) and the second of the span's last year (where the line
        fixes none, attribution's year stands)."""
        text = simplified_doc(text)
        lo = _clause_start(text, start)
        own = self.pair_own_year.search(text, lo, start)
        if own:
            return True, int(own.group(1))
        first = self.from_before.search(text, lo, start) and self.to_after.match(text, end)
        second = not first and self.to_before.search(text, lo, start)
        if not (first or second):
            return False, None
        period = self._line_period(text[_line_start(text, start):start], doc_year)
        if first:  # of a year the text does not name where the line fixes no span (限额由120元提高到300元)
            return True, (int(period[:4]) - 1 if period else None)
        return (True, int(period[-4:])) if period else (False, None)

    def review_year(self, text: str, start: int, doc_year: int | None = None,
                    indicator: str | None = None) -> int | None:
        """The year of a level reached in a review of years past ("十四五"时期…的五年…地区生产总值达到
        1.5万亿元; 五年来…): the last year of the span its line covers, where that span ended before
        the document and the figure's clause names no year of its own; only a level reached (达到, 突破,
        提高到) or a standard indicator's level; else None."""
        if not doc_year:
            return None
        text = simplified_doc(text)
        lo = _clause_start(text, start)
        if self.any_year.search(text, lo, start):
            return None
        if not (indicator or self.reached.search(text, max(lo, start - 6), start)):
            return None  # 新建学校120所: a flow over the years, not a level at their end
        period = self._line_period(text[_line_start(text, start):start], doc_year)
        return int(period[-4:]) if period and int(period[-4:]) < doc_year else None

    # ------------------------------------------------------------ indicator
    def indicator(self, label: str | None, unit: str | None = None, measure: str | None = None) -> str | None:
        """The standard indicator a figure's label names (地区生产总值, GDP, 经济总量 -> 'gdp'), or None.
        The name ending furthest right wins (the head of a Chinese noun phrase is its last word); of a
        share (研发经费支出占地区生产总值比重) only the part before 占 is read."""
        if not label:
            return None
        label = simplified(label)
        if "占" in label:
            label = label.split("占", 1)[0]
        label = self.not_indicator.sub(lambda m: "\0" * len(m.group()), label)
        if not self.any_indicator.search(label):
            return None  # most labels (帮扶资金, 慰问困难家庭) name no indicator: one scan, not one per indicator
        best, best_key = None, None
        for ident, names, units, measures in self.indicators:
            if units is not None and unit is not None and unit not in units:
                continue
            if measures is not None and measure is not None and measure not in measures:
                continue
            for m in names.finditer(label, overlapped=True):
                key = (m.end(), len(m.group()))
                if best_key is None or key > best_key:
                    best, best_key = ident, key
        return best

    def indicator_name(self, ident: str) -> str | None:
        """The National Bureau of Statistics' name of an indicator id."""
        return self.indicator_names.get(ident)


def _words(words) -> regex.Pattern:
    return regex.compile(alt(words)) if words else regex.compile("(?!)")


@lru_cache(maxsize=1)
def compiled() -> Meaning:
    r = rules.load("meaning")
    d, s, ms, p = r["direction"], r["status"], r["measure"], r["period"]
    ind = rules.load("indicators")
    indicators, names, every_name = [], {}, []
    for ident, spec in ind["indicators"].items():
        every_name += spec["names"]
        indicators.append((ident, _words(spec["names"]), set(spec["units"]) if "units" in spec else None,
                           set(spec["measures"]) if "measures" in spec else None))
        names[ident] = spec["name"]
    return Meaning(
        cue=_words(d["up"] + d["down"] + d["comparative"] + d["of_rates"]),
        up=frozenset(d["up"] + d["of_rates"] + [w for w in d["comparative"] if w not in d["comparative_down"]]),
        of_rates=frozenset(d["of_rates"]), rate_units=frozenset(d["rate_units"]),
        down=frozenset(d["down"]), comparative=frozenset(d["comparative"]),
        comparative_down=frozenset(d["comparative_down"]),
        level_after="".join(d["level_after"]), by_after=_words(d["by_after"]),
        earlier=regex.compile(f"{alt(d['earlier'])}|{d['earlier_year']}"),
        gap=regex.compile(d["gap"]), relisted=regex.compile(d["relisted"]),
        target=regex.compile(f"{alt(s['target'] + s['heading'])}|{s['future']}"), heading=_words(s["heading"]), not_target=_words(s["not_target"]), achieved=_words(s["achieved"]),
        future_year=regex.compile(s["future_year"]),
        share=_words(ms["share"]), points=tuple(ms["points"]), percent=tuple(ms["percent"]),
        rate_suffix=tuple(ms["rate_suffix"]),
        plan=regex.compile(p["plan"]), span=regex.compile(p["span"]), from_to=regex.compile(p["from_to"]),
        years_back=regex.compile(p["years_back"]), base_year=regex.compile(p["base_year"]),
        average=regex.compile(p["average"]), total=_words(p["total"]), from_level=regex.compile(p["from_level"]),
        from_before=regex.compile(p["from_before"]), to_after=regex.compile(p["to_after"]),
        to_before=regex.compile(p["to_before"]), pair_own_year=regex.compile(p["pair_own_year"]),
        reached=regex.compile(p["reached"]),
        any_year=regex.compile(r"(?:19|20)\d\d\s*年|[今去前明]年|上年|当年|本年"), years_average=regex.compile(p["years_average"]),
        indicators=indicators, indicator_names=names, not_indicator=_words(ind.get("not_names", [])),
        any_indicator=_words(every_name),
    )


def direction(text: str, start: int, end: int, unit: str | None = None) -> str | None:
    return compiled().direction(text, start, end, unit)


def status(text: str, start: int, end: int, doc_year: int | None = None, year: int | None = None) -> str | None:
    return compiled().status(text, start, end, doc_year, year)


def measure(text: str, start: int, end: int, unit: str | None = None) -> str:
    return compiled().measure(text, start, end, unit)


def period(text: str, start: int, end: int, doc_year: int | None = None) -> str | None:
    return compiled().period(text, start, end, doc_year)


def indicator(label: str | None, unit: str | None = None, measure: str | None = None) -> str | None:
    return compiled().indicator(label, unit, measure)
