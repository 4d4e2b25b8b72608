"""Figures: every quantity in the text, with its value in base units, unit, kind and qualifiers.

How it works: one compiled regex over doc.text finds a number (Arabic, Chinese or mixed, see
numerals.py) with its magnitude, range end, unit and the approximation/rate words written around it.
Each hit is then checked against what is never a figure (dates, ordinals, phone numbers, names in
《》 and short quotes, slogans: patterns/figures.toml) and qualified from the words before it in its
clause (约, 超过, 最高, 每户, 一天...). All word lists are data in patterns/units.toml and figures.toml.
"""
from __future__ import annotations

import re
try:  # a private module, only to read which characters a pattern can start with (_first_chars)
    import re._parser as sre_parse
except ImportError:  # a Python without it: Alternation falls back to a plain search
    sre_parse = None
import string
import warnings
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from .text import numerals as nm
from .text import rules
from .text.hanzi import simplified_doc
from .text.regextools import alt as _alt
from .text.spans import doc_text, set_span_extensions

NUM = rf"(?:{nm.ARABIC}|{nm.CHINESE})"
POWERS = "十百千万亿萬億兆"
_DIGITS = "0123456789０１２３４５６７８９"  # numerals.ARABIC's [0-9０-９]
# where a clause starts: the words before a number in its clause qualify it (、 joins list items).
# Not a line break: PDF text breaks lines and pages inside clauses (每户\n\n6000元).
CLAUSE_END = "，,。；;！!？?：:（(）)"


# Group numbers of Rules.pattern and Rules.single (the same groups in the same order; compiled()
# checks them): the regex module looks a group's name up on every call, so m.group(G.NUM) is about 6x
# faster than m.group("num"), and these calls were a tenth of find_figures' time.
class G:
    NAMES = ("pct", "num", "in1", "ge", "mag", "in2", "unit1", "conn", "num2", "mag2", "in3", "kw", "unit",
             "cur_after", "half", "slash", "after")
    PCT, NUM, IN1, GE, MAG, IN2, UNIT1, CONN, NUM2, MAG2, IN3, KW, UNIT, CUR_AFTER, HALF, SLASH, AFTER = range(1, 18)


_POSIX_OR_PROPERTY = re.compile(r"\[:\^?\w+:\]|\\[pPN]")


@lru_cache(maxsize=None)
def _bmp_chars(name: str) -> str:
    """The characters of the BMP that the regex module's \\d or \\s matches (its \\s has none above
    the BMP: Unicode's white space is all in it)."""
    bmp = "".join(map(chr, (*range(0xD800), *range(0xE000, 0x10000))))
    return "".join(regex.findall(name, bmp))


def _category(name: str) -> str:
    """The characters the regex module's \\d or \\s matches, for a standard-re class: those of the BMP
    one by one (a class of single characters is one table lookup; with the category test in it, its
    scan took twice as long), and all above the BMP (regex's \\d knows digits newer than the standard
    module's tables, all up there)."""
    return re.escape(_bmp_chars(name)) + "\U00010000-\U0010ffff"


@lru_cache(maxsize=None)
def _ranges(chars: str) -> str:
    """chars as the items of a standard-re class, runs of consecutive characters as ranges (Unicode's
    digits come in runs of ten: the class is parsed ten times faster, a cost paid before the workers
    fork)."""
    out, codes, i = [], sorted(map(ord, chars)), 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        a, b = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        out.append(a if i == j else a + b if j == i + 1 else f"{a}-{b}")
        i = j + 1
    return "".join(out)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _standard(pattern: str) -> re.Pattern | None:
    """pattern compiled by the standard re module to match as the regex module does on text with no
    character above the BMP, or None where that is not sure. For the few constructs the exclusions
    use: literals, classes, groups, lookarounds, quantifiers, \\d and \\s (whose character sets the two
    modules draw from different Unicode tables: they are listed as regex's). Any other escaped letter
    or digit (\\w, \\b, \\p, a backreference) and any warning or error of the standard parser: None.
    (The standard engine matches these simple patterns about twice as fast.)"""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1:i + 2]
            if nxt in ("d", "s"):
                chars = _ranges(_bmp_chars("\\" + nxt))
                out.append(chars if in_class else f"[{chars}]")
            elif not nxt or (nxt.isascii() and nxt.isalnum()):
                return None
            else:
                out.append(c + nxt)  # an escaped sign or character
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            j = i + 1 + (pattern[i + 1:i + 2] == "^")
            if pattern[j:j + 1] == "]":  # a ] right after [ or [^ is a literal
                j += 1
            out.append(pattern[i:j])
            i = j
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # FutureWarning: a set the regex module may read otherwise
            return re.compile("".join(out))
    except (re.error, Warning, OverflowError, RecursionError):
        return None


def _first_chars(pattern: str) -> str | None:
    """A standard-re character class holding every character a match of pattern can start with, or
    None where that is not worked out. Read from the standard parser's tree: lookarounds are skipped
    (which only makes the class larger), an optional item adds what may follow it."""
    if sre_parse is None or _POSIX_OR_PROPERTY.search(pattern.replace("\\\\", "")):
        return None  # [[:digit:]], \\p{Han}: the standard parser reads them otherwise or not at all
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return None
    if tree.state.flags & re.IGNORECASE:
        return None
    chars, nullable = _firsts(list(tree))
    return None if chars is None or nullable else "[" + "".join(chars) + "]"


def _firsts(items: list) -> tuple[list[str] | None, bool]:
    """(the class items a match of the parsed sequence can start with, or None for any character;
    whether it can match empty)."""
    C = sre_parse  # (the opcodes are in the parser's namespace)
    out: list[str] = []
    for op, av in items:
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # zero width
        if op is C.LITERAL:
            return out + [re.escape(chr(av))], False
        if op is C.IN:
            for o, a in av:
                if o is C.LITERAL:
                    out.append(re.escape(chr(a)))
                elif o is C.RANGE:
                    out.append(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
                elif o is C.CATEGORY and a is C.CATEGORY_DIGIT:
                    out.append(_category(r"\d"))
                elif o is C.CATEGORY and a is C.CATEGORY_SPACE:
                    out.append(_category(r"\s"))
                else:
                    return None, False  # a negated set, \\w ...
            return out, False
        if op is C.SUBPATTERN and not av[1] & re.IGNORECASE:
            first, nullable = _firsts(list(av[3]))
        elif op is C.BRANCH:
            first, nullable = [], False
            for branch in av[1]:
                f, n = _firsts(list(branch))
                if f is None:
                    return None, False
                first += f
                nullable = nullable or n
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            first, nullable = _firsts(list(av[2]))
            nullable = nullable or av[0] == 0
        else:
            return None, False  # any character, a backreference ...
        if first is None:
            return None, False
        out += first
        if not nullable:
            return out, False
    return out, True


class Alternation:
    """finditer of an alternation of patterns (the exclusions: words and patterns/figures.toml) that
    tries it only where one of its branches can start, and there only the branches that can start
    with that character, in their order: the same matches (leftmost, the first branch that matches,
    each search after the last match). The regex engine tries every branch at every character, and
    its lookbehind-led branches (每10万人, 前10位) cannot skip ahead at all: that scan was 60 ms over
    the 1.77 MB of reports, and a third of find_figures."""

    def __init__(self, branches: list[str]):
        self.branches = branches
        self.pattern = regex.compile("|".join(branches))
        firsts = [_first_chars(b) for b in branches]
        # (a backreference by number would count the groups of the branches left out)
        if None in firsts or regex.search(r"\\[1-9]|\(\?P=", "".join(branches)):  # plain search
            self.starts = None
            return
        self.firsts = [re.compile(f) for f in firsts]
        self.starts = re.compile("[" + "".join(f[1:-1] for f in firsts) + "]")
        # a first character -> its branches, compiled by the standard re module where _standard can
        self.by_char: dict[str, re.Pattern | regex.Pattern] = {}
        self.by_branches: dict[tuple, re.Pattern | regex.Pattern] = {}
        # compiled now (in the warm-up, before workers fork), not on a document's time: the branches of
        # the characters the patterns name and of ASCII (any other character is looked up when met)
        for c in sorted(set("".join(branches) + string.printable)):
            if self.starts.match(c):
                self._branches_for(c)

    def _branches_for(self, c: str) -> re.Pattern | regex.Pattern:
        which = tuple(i for i, f in enumerate(self.firsts) if f.match(c))
        if which not in self.by_branches:
            source = "|".join(self.branches[i] for i in which)
            self.by_branches[which] = _standard(source) or regex.compile(source)
        self.by_char[c] = self.by_branches[which]  # (finditer meets no character above the BMP)
        return self.by_branches[which]

    def finditer(self, text: str):
        # _standard's patterns hold for the BMP only; a text with a character above it (rare: an
        # emoji, a rare Han character) takes the plain search
        if self.starts is None or _ASTRAL.search(text):
            yield from self.pattern.finditer(text)
            return
        pos = 0
        by_char = self.by_char
        for c in self.starts.finditer(text):
            if c.start() < pos:
                continue  # inside the last match
            first = c.group()
            m = (by_char.get(first) or self._branches_for(first)).match(text, c.start())
            if m is not None:
                yield m
                pos = m.end()


@dataclass
class Rules:
    pattern: re.Pattern  # standard re: no class in it that the two modules read differently
    starts: re.Pattern  # where pattern can match (a superset, see compiled)
    single: re.Pattern
    bare: regex.Pattern
    bare_starts: re.Pattern  # where bare can match (a superset)
    exclude: Alternation
    unit_of: dict  # spelling -> canonical unit
    kind_of: dict  # canonical unit -> kind
    subunits: dict  # canonical unit -> (compiled tail regex, {spelling: factor})
    prefix_currency: regex.Pattern  # a currency written just before the number
    prefix_last: str  # the characters prefix_currency can end on (see _may_end)
    currency_of: dict
    approx_before: dict
    approx_before_re: regex.Pattern
    approx_before_last: str
    approx_inside: dict
    approx_round: dict
    approx_after: dict
    approx_clause: regex.Pattern
    approx_clause_value: dict
    per_re: regex.Pattern
    per_time_re: regex.Pattern
    per_marks: str  # a hit of per_re or per_time_re holds one of these (see _per)
    per_average: dict
    informal: dict
    informal_context: regex.Pattern
    brackets: list  # compiled: a title in 《》 and the like
    quotes: list  # compiled: a quotation, with its content as group 1
    quote_max: int
    name_after: regex.Pattern
    money_name_max: int
    money_name_next_ok: str


@lru_cache(maxsize=1)
def compiled() -> Rules:
    units = rules.load("units")
    figs = rules.load("figures")

    unit_of, kind_of = {}, {}
    for kind in ("money", "percent", "weight", "duration", "age", "other", "count"):
        for canon, spellings in units[kind].items():
            if canon == "words":  # count words that are their own canonical form
                for w in spellings:
                    unit_of[w] = w
                    kind_of[w] = kind
                continue
            kind_of[canon] = kind
            for s in spellings:
                unit_of[s] = canon
    money_spellings = [s for s, c in unit_of.items() if kind_of[c] == "money"]
    foreign = [s for s, c in unit_of.items() if kind_of[c] == "money" and c != "元"]

    subunits = {}
    for canon, table in units["subunits"].items():
        tail = regex.compile(rf"\s*(?:又|零)?\s*({NUM})\s*({_alt(table)})")
        subunits[canon] = (tail, {k: Decimal(str(v)) for k, v in table.items()})

    currency_of = {}
    for canon, spellings in units["prefix_currency"].items():
        for s in spellings:
            currency_of[s] = canon or None

    approx = figs["approx"]
    conn = _alt(figs["range"]["connectors"])
    unit = _alt(unit_of)
    after = _alt(approx["after"])
    informal = figs["informal_money_magnitude"]
    denoms = _alt(figs["rate"]["denominators"])
    # A number, its magnitude, approximation, optional range end, unit, rate and trailing qualifier.
    # Spaces may stand inside a figure (185.41 万 元), line breaks not: clean.py has joined the lines
    # that belong together, so a break left between a number and a word is a table or a layout edge.
    # (Written as regex's white space but the line break, one by one: the pattern then reads the same
    # to the standard re module, which matches it about twice as fast as regex does.)
    S = "[" + re.escape(_bmp_chars(r"\s").replace("\n", "")) + "]*"
    # units spelled with a magnitude word (千米, 千克, 千瓦): 12千米 is 12 公里, not 12000 米
    power_units = _alt([s for s in unit_of if s[0] in POWERS]) or "(?!)"
    source = (
        rf"""
        (?P<pct>[百千]分之{S})?
        (?P<num>{NUM})
        (?P<in1>{S}[多余])?
        (?:{S}(?P<ge>个)?(?P<mag>(?:(?!{power_units})[{POWERS}])+)(?![{POWERS}]*元?级))?  # 两个亿; not 4个万亿级产业, 12千米
        (?P<in2>{S}[多余])?
        RANGE
        (?:
            (?(pct)|(?!))  # 百分之十五 needs no unit
          | (?P<kw>{S}[{''.join(informal)}])(?![A-Za-z])
          | {S}(?P<unit>{unit})(?:{S}(?P<cur_after>{_alt(foreign)}))?
        )
        (?P<half>半)?
        (?:{S}[/／]{S}(?P<slash>{denoms}))?
        (?P<after>{S}(?:{after}))?
        """
    )
    range_ = rf"(?:{S}(?P<unit1>{unit})?{S}(?P<conn>{conn}){S}(?P<num2>{NUM})(?P<mag2>[{POWERS}]*)(?P<in3>{S}[多余])?)?"
    pattern = re.compile(source.replace("RANGE", range_), re.X)
    # the same without ranges, for a number whose "range end" is a date or another quantity
    # (投入10万元至2022年底): same group names, never matching
    # Where pattern can start, for find_figures: a numeral whose unit, range connector or k/w
    # follows after nothing but numerals, spaces and the words allowed between (多, 余, 个,
    # magnitudes), or the 百/千 of 百分之. A superset of pattern's starts, found by stdlib re, which
    # skips the other characters many times faster than regex (each branch after the first
    # character is a lookaround: a pattern opening on one character class is scanned fastest).
    # Keep it in step with `source`: what may stand between a number and its unit is listed here.
    numeral = f"{_DIGITS}{nm.CN_DIGIT}{nm.CN_POWER}"
    between = rf"[{numeral},，.．点多余个]|[^\S\n]"  # stdlib's \s holds regex's
    firsts = {w[0] for w in unit_of} | {w[0] for w in figs["range"]["connectors"]} | set(informal)
    starts = re.compile(rf"[{numeral}](?:(?=(?:{between})*?[{re.escape(''.join(sorted(firsts)))}])|(?<=[百千])(?=分之))")
    single = re.compile(source.replace("RANGE", "(?:(?!)(?P<unit1>)(?P<conn>)(?P<num2>)(?P<mag2>)(?P<in3>))?"), re.X)
    if not pattern.groupindex == single.groupindex == {g: i for i, g in enumerate(G.NAMES, 1)}:
        raise ValueError("figures: the pattern's groups are not those of G")
    # Numbers with no unit that are still amounts: written in financial capitals, or after a
    # currency sign/name (￥300, $20, 港币 2960).
    prefix_alt = _alt(currency_of)
    bare = regex.compile(
        rf"(?P<prefix>{prefix_alt})\s*(?P<num>{nm.ARABIC}|{nm.CHINESE})(?P<mag>[{POWERS}]*)(?!\s*(?:{_alt(money_spellings)}))"
        # a financial digit and a power (肆佰, 叁拾萬): a lone 伍 or 陆 is a surname
        rf"|(?P<fin>(?=[{nm.CN_DIGIT}{nm.CN_POWER}]*[{nm.FIN_DIGIT}])(?=[{nm.CN_DIGIT}{nm.CN_POWER}]*[{nm.CN_POWER}])"
        rf"[{nm.CN_DIGIT}{nm.CN_POWER}]{{2,}})(?P<zheng>整)?"
    )
    # where bare can start (see starts): a currency before a numeral, or a run of Chinese numerals
    # holding a financial digit
    cn = nm.CN_DIGIT + nm.CN_POWER
    currency = "".join(sorted({w[0] for w in currency_of}))
    bare_starts = re.compile(
        rf"[{re.escape(currency)}{cn}](?:(?<=[{cn}])(?=[{cn}]*[{nm.FIN_DIGIT}])|(?<=[{nm.FIN_DIGIT}])|"
        + "|".join(rf"(?<={re.escape(w[0])})(?={re.escape(w[1:])}\s*[{_DIGITS}{cn}])" for w in currency_of) + ")")
    ex = figs["exclude"]
    # a word is excluded only where it starts (三万一千 holds 万一, 3千万亿 holds 千万)
    words = rf"(?<![\d{nm.CN_DIGIT}{nm.CN_POWER}])(?:{_alt(ex['words'])})"
    exclude = Alternation([words] + [f"(?:{r})" for r in ex["regex"]])
    rate = figs["rate"]
    # 每户 / 每个社区 (group 1), or an average 人均 / 日均 (group 2)
    # ...and 每个城市社区 (a modifier of up to 2 characters before a word of 2 or more)
    long_denoms = _alt(d for d in rate["denominators"] if len(d) > 1)
    per_re = regex.compile(rf"每\s*(?:一\s*)?(?:个\s*)?(?:({denoms})|\p{{Han}}{{1,2}}?({long_denoms}))"
                           rf"|({_alt(rate['average'])})")
    not_before = "".join(rate["per_time_not_before"]) + "一"
    per_time_re = regex.compile(
        rf"(?<![第每这那同前后上下隔头最当整近\d〇零一二三四五六七八九十两])一\s*({_alt(rate['per_time'])})(?![{not_before}])"
    )
    return Rules(
        pattern=pattern, starts=starts, single=single, bare=bare, bare_starts=bare_starts, exclude=exclude, unit_of=unit_of, kind_of=kind_of, subunits=subunits,
        prefix_currency=regex.compile(rf"(?:{prefix_alt})\s*$"), currency_of=currency_of,
        prefix_last="".join({w[-1] for w in currency_of}),
        approx_before=approx["before"],
        approx_before_re=regex.compile(rf"({_alt(approx['before'])})\s*(?:{_alt(approx['gap'])})?\s*$"),
        approx_before_last="".join({w[-1] for w in [*approx["before"], *approx["gap"]]}),
        approx_inside=approx["inside"], approx_round=approx["round"], approx_after=approx["after"],
        approx_clause=regex.compile(
            rf"({_alt(approx['ceiling']['words'])})(?=\s*(?:{_alt(approx['ceiling']['verbs'])}))"
            rf"|({_alt(w for w in approx['clause'] if w not in approx['ceiling']['words'])})"),
        approx_clause_value=approx["clause"],
        per_re=per_re, per_time_re=per_time_re, per_average=rate["average"],
        per_marks="每一" + "".join(sorted({w[-1] for w in rate["average"]})), informal={k: Decimal(v) for k, v in informal.items()},
        informal_context=regex.compile(_alt(figs["informal_money_context"]["words"])),
        brackets=[regex.compile(rf"{regex.escape(a)}[^{regex.escape(b)}\n]*{regex.escape(b)}") for a, b in ex["brackets"]],
        quotes=[regex.compile(rf"{regex.escape(a)}([^{regex.escape(b)}\n]*){regex.escape(b)}") for a, b in ex["quotes"]],
        quote_max=ex["quote_max"],
        money_name_max=figs["money_name"]["max"], money_name_next_ok=figs["money_name"]["next_ok"],
        name_after=regex.compile(rf"\s*元?(?:{_alt(ex['name_after'])})"),
    )


# ------------------------------------------------------------------ what is never a figure
def _blocked(text: str, dates: list[tuple[int, int]], r: Rules) -> bytearray:
    """1 for every character that no figure may touch: dates, exclusions, titles, short quotes."""
    mask = bytearray(len(text))

    def block(s, e):
        mask[s:e] = b"\x01" * (e - s)

    for s, e in dates:
        if text[e - 1:e + 1] in ("日元", "日圆", "日币"):
            continue  # 10日元 is yen, not the 10th
        block(s, e)
    for m in r.exclude.finditer(text):
        block(m.start(), m.end())
    for title in r.brackets:
        for m in title.finditer(text):
            block(m.start(), m.end())
    for quote in r.quotes:
        for m in quote.finditer(text):
            if len(m.group(1)) <= r.quote_max:
                block(m.start(), m.end())
    return mask


_CLAUSE_END_BACK = regex.compile(f"[{regex.escape(CLAUSE_END)}]", flags=regex.REVERSE)


def _clause_start(text: str, pos: int, longest: int = 120) -> int:
    """Just after the last clause end in the `longest` characters before pos (else their start)."""
    lo = max(0, pos - longest)
    m = _CLAUSE_END_BACK.search(text, lo, pos)
    return m.end() if m else lo


# ------------------------------------------------------------------ qualifiers
def _approx(text: str, m, clause: str, r: Rules) -> str | None:
    window = text[max(0, m.start() - 10):m.start()]
    if window[-1:] in r.approx_round and all(c in nm.CN_POWER for c in m.group(G.NUM)):
        return r.approx_round[window[-1]]  # 上万人次
    before = _approx_before(text, m.start(), r)
    if before and not (before.group(1) == "近" and window[:before.start()].endswith("最")):  # 最近3年
        return r.approx_before[before.group(1)]
    for g in (G.IN1, G.IN2, G.IN3):
        if m.group(g):
            return r.approx_inside[m.group(g).strip()]
    unit = m.group(G.UNIT) or ""
    for word, value in r.approx_inside.items():
        if word in unit and word not in r.unit_of[unit]:  # 3个多月
            return value
    if m.group(G.AFTER):
        return r.approx_after[m.group(G.AFTER).strip()]
    hit = r.approx_clause.search(clause)
    return r.approx_clause_value[hit.group(1) or hit.group(2)] if hit else None


def _may_end(window: str, last_chars: str) -> bool:
    """Whether a `(words)\\s*$` search can match window: its last non-space character must end one
    of the words (regex's \\s is within str.isspace). Saves the search, which tries every start."""
    window = window.rstrip()
    return bool(window) and window[-1] in last_chars


_CELL_BEFORE = regex.compile(r"[\d%][^\S\n]+$")


def _table_cell(text: str, start: int, m, cleaned: bool) -> bool:
    """208 05 06 支出: a number in a row of space-separated cells, its "unit" the next cell's word."""
    if not m.group(G.UNIT):
        return False
    gap = text[m.end(G.NUM):m.start(G.UNIT)]
    if gap.strip() == gap:
        return False
    return cleaned or bool(_CELL_BEFORE.search(text, max(0, start - 4), start))


def _same_units(m, r: Rules) -> bool:
    """3周岁至6周岁 is a range; 10万元至2022年 is not."""
    u1, u2 = m.group(G.UNIT1, G.UNIT)
    return not u1 or not u2 or r.unit_of[u1] == r.unit_of[u2]


_HAN = regex.compile(r"\p{Han}")
_SINCE = regex.compile(r"\s*(?:以来|来)")  # 五年来 (see _figure)


def _name_follows(text: str, end: int, r: Rules) -> bool:
    nxt = text[end:end + 1]
    return bool(nxt) and _HAN.match(nxt) is not None and nxt not in r.money_name_next_ok


def _approx_before(text: str, start: int, r: Rules):
    """An approximation word in the 10 characters before start (超过, 不少于, 最高可达), or None."""
    window = text[max(0, start - 10):start]
    return r.approx_before_re.search(window) if _may_end(window, r.approx_before_last) else None


def _marked(text: str, m, r: Rules) -> bool:
    """An approximation written right at the number (约, 多, 余, 以上): the writer is counting."""
    return bool(m.group(G.IN1) or m.group(G.IN2) or m.group(G.IN3) or m.group(G.AFTER)
                or any(w in (m.group(G.UNIT) or "") for w in r.approx_inside)
                or _approx_before(text, m.start(), r))


# names in quotes or titles: “慈善一日捐” holds no rate
_NAMED = regex.compile(r"“[^”]*”|《[^》]*》|「[^」]*」")


def _per(clause: str, r: Rules) -> str | None:
    """The denominator of a rate from the clause before the number: 每户, 每人每年 (the first), 人均, 一天."""
    if not any(c in clause for c in r.per_marks):
        return None  # no 每, 一 or average word (人均): most clauses, and the patterns need not look
    clause = _NAMED.sub("", clause)
    hits = list(r.per_re.finditer(clause))
    if hits:
        k = len(hits) - 1
        while k > 0 and hits[k - 1].end() == hits[k].start():  # 每人每年: the chain's first
            k -= 1
        h = hits[k]
        return h.group(1) or h.group(2) or r.per_average[h.group(3)]
    m = r.per_time_re.search(clause)
    return m.group(1) if m else None


# ------------------------------------------------------------------ values
def _number(num: str, mag: str) -> Decimal | None:
    value = nm.parse_number(num)
    if value is None:
        return None
    return value * nm.magnitude(mag or "")


def _is_chinese(s: str) -> bool:
    return not any(c.isdigit() for c in s)


def _figure(text: str, m, r: Rules) -> dict | None:
    """A regex hit -> the figure's fields, or None when it is not a figure."""
    # the groups read in one call (a call per group was a fifth of this function's time)
    num, mag, num2, mag2, kw, pct, unit_word, cur_after, half, after = m.group(
        G.NUM, G.MAG, G.NUM2, G.MAG2, G.KW, G.PCT, G.UNIT, G.CUR_AFTER, G.HALF, G.AFTER)
    mag = mag or ""
    chinese = _is_chinese(num)
    if chinese and num[0] != "十" and all(c in nm.CN_POWER for c in num) and not mag:
        if not (_marked(text, m, r) or text[max(0, m.start() - 1):m.start()] in r.approx_round):
            return None  # 百户, 千名, 万家: a bare magnitude is a slogan's round number
    if chinese and len(num) > 1 and not any(c in nm.CN_POWER for c in num) and "点" not in num:
        if not nm.neighbour_range(num):
            return None  # 二三五年, 一二三次产业: digit strings are years and names, not amounts
    value_max = None
    rng = nm.neighbour_range(num) if chinese else None
    if rng:
        value, value_max = rng
        value, value_max = value * nm.magnitude(mag), value_max * nm.magnitude(mag)
    else:
        value = _number(num, mag)
    if value is None:
        return None
    if num2:
        mag2 = mag2 or ""
        value_max = _number(num2, mag2)
        if value_max is None:
            return None
        if mag2 and not mag:  # 3~5万元: the magnitude of the end applies to both
            value *= nm.magnitude(mag2)
        if value_max < value:
            return None  # 2-1 is not a range: a code or a score
    if kw:
        factor = r.informal[kw.strip()]
        if not num.isascii() or mag:
            return None
        if not (after or r.informal_context.search(text, _clause_start(text, m.start()), m.start())):
            return None
        value *= factor
        value_max = value_max * factor if value_max is not None else None
        unit = "元"
    elif pct or (unit_word is None):
        if not pct:
            return None
        unit = "%" if pct.startswith("百") else "‰"
    else:
        unit = r.unit_of[unit_word]
        if pct:
            return None
        if cur_after and unit == "元":  # 三万元欧元, 9000元日币
            unit = r.unit_of[cur_after]
    kind = r.kind_of.get(unit, "money")
    if unit == "元":
        window = text[max(0, m.start() - 6):m.start()]
        prefix = r.prefix_currency.search(window) if _may_end(window, r.prefix_last) else None
        if prefix:
            unit = r.currency_of[prefix.group().strip()] or unit
    if half and kind not in ("money", "count", "percent"):
        value += Decimal("0.5")  # 一吨半, 三斤半, 两年半
    single_one = chinese and num in ("一", "壹") and not mag and not half
    if single_one and kind != "money":
        return None  # 一个, 一名, 一天: an article, not a count
    if kind == "duration" and _SINCE.match(text[m.end():m.end() + 3]):
        return None  # 五年来: a period, not a quantity
    num_end = max(m.end(G.NUM), m.end(G.MAG))
    if chinese and (r.name_after.match(text, m.end()) or r.name_after.match(text, num_end)):
        return None  # 两个万亿元大关, 三千亿元城市
    return {"value": value, "value_max": value_max, "unit": unit, "kind": kind, "chinese": chinese, "mag": mag}


def _money_tail(text: str, end: int, unit: str, value: Decimal, r: Rules) -> tuple[Decimal, int]:
    """5元3角2分, 两美元又三美分: smaller coins after the amount add to it."""
    if unit not in r.subunits:
        return value, end
    tail, factors = r.subunits[unit]
    while True:
        t = tail.match(text, end)
        if not t:
            return value, end
        sub = nm.parse_number(t.group(1))
        if sub is None:
            return value, end
        value += sub * factors[t.group(2)]
        end = t.end()


def find_figures(text: str, dates: list[tuple[int, int]] = (), cleaned: bool = False) -> list[dict]:
    """Every figure in text as a dict with start, end and the span attributes (value in base units).

    dates: character ranges of the date expressions found before; no figure overlaps one.
    cleaned: text comes from clean.py, which removes the spaces inside running-text figures
    (185.41 万 元); a space it kept between a number and a word is a table-cell boundary.
    """
    r = compiled()
    text = simplified_doc(text)  # 萬元, 戶, 個百分點 matched as simplified; same length, so offsets hold
    mask = _blocked(text, dates, r)
    found = []
    pos = 0
    # r.pattern matched only where it can start (r.starts): the same hits as searching the text
    for c in r.starts.finditer(text):
        if c.start() < pos:
            continue  # inside the last hit
        m = r.pattern.match(text, c.start())
        if m is None:
            continue
        pos = m.end()
        s = m.start(G.NUM) if not m.group(G.PCT) else m.start()
        if m.group(G.NUM2) and (any(mask[s:m.end()]) or not _same_units(m, r)):
            m = r.single.match(text, m.start())
            if m is None:
                continue
            pos = m.end()
        e = m.end()
        if any(mask[s:e]) or _table_cell(text, s, m, cleaned):
            continue
        f = _figure(text, m, r)
        if f is None:
            continue
        if f["kind"] == "money" and f["value_max"] is None:
            f["value"], e = _money_tail(text, e, f["unit"], f["value"], r)
        if f["chinese"] and f["kind"] == "money" and f["value"] < r.money_name_max and _name_follows(text, e, r):
            continue  # 三元区, 二元结构
        clause = text[_clause_start(text, s):s]
        f["approx"] = _approx(text, m, clause, r)
        if f.pop("chinese") and f["kind"] in ("count", "duration") and f["value"] < 100 and not _marked(text, m, r):
            continue  # 两个大局, 八项规定, 五年: small Chinese counts are names and rhetoric unless hedged (二十多项)
        # a percentage is already a ratio: 人均收入9.2万元、增长4.1% is no rate per person
        f["per"] = m.group(G.SLASH) or (_per(clause, r) if f["kind"] != "percent" else None)
        # ages and policy terms (49周岁以上, 最高给付180天, 每年365天) describe who or how, not what was done
        f["optional"] = f["kind"] == "age" or (f["kind"] == "duration" and bool(f["per"] or f["approx"] == "at_most"))
        f.update(start=s, end=e)
        found.append(f)
    found.extend(_list_items(text, mask, found, r))
    found.extend(_bare_amounts(text, mask, found, r))
    found.sort(key=lambda f: f["start"])
    for f in found:
        f.pop("mag", None)
        f["value"] = nm.plain(f["value"])
        f["value_max"] = nm.plain(f["value_max"]) if f["value_max"] is not None else None
    return found


_LISTING = "、和与及"
_LIST_ITEM = regex.compile(rf"(?<![\d.,A-Za-z])({nm.ARABIC})([{POWERS}]*)\s*[{_LISTING}]\s*$")


def _listed_before(text: str, end: int):
    """A number listed just before end (`1409万、`), or None."""
    lo = max(0, end - 30)
    return _LIST_ITEM.search(text, lo, end) if _may_end(text[lo:end], _LISTING) else None


def _list_items(text: str, mask, found: list[dict], r: Rules) -> list[dict]:
    """分别达1409万、1305万人次; 分别为3、5万元: numbers listed just before a figure share its unit
    (and its magnitude when they have none)."""
    out = []
    for f in found:
        if f["value_max"] is not None:
            continue
        end = f["start"]
        while m := _listed_before(text, end):
            if any(mask[m.start():m.end()]):
                break
            value = nm.parse_arabic(m.group(1)) * nm.magnitude(m.group(2) or f["mag"])
            if f["unit"] == "年" and 1900 <= value <= 2100:
                break  # 2021、2022年 are years
            clause = text[_clause_start(text, m.start()):m.start()]
            out.append({**f, "value": value, "approx": None, "per": _per(clause, r) or f["per"],
                        "start": m.start(), "end": m.end(1) + len(m.group(2))})
            end = m.start()
    return out


def _bare_amounts(text: str, mask, found: list[dict], r: Rules) -> list[dict]:
    """Amounts with no unit word: ￥300, $20, 肆佰叁拾萬 (financial capitals are only ever money)."""
    taken = bytearray(len(text))
    for f in found:
        taken[f["start"]:f["end"]] = b"\x01" * (f["end"] - f["start"])
    out = []
    pos = 0
    for c in r.bare_starts.finditer(text):  # r.bare matched only where it can start
        if c.start() < pos:
            continue
        m = r.bare.match(text, c.start())
        if m is None:
            continue
        pos = m.end()
        start = m.start("num") if m.group("prefix") else m.start()
        if any(mask[start:m.end()]) or any(taken[m.start():m.end()]):
            continue
        if m.group("prefix"):
            value = _number(m.group("num"), m.group("mag"))
            unit = r.currency_of[m.group("prefix")]
        else:
            value = nm.parse_chinese(m.group("fin"))
            unit = "元"
        if value is None:
            continue
        clause = text[_clause_start(text, start):start]
        out.append({"value": value, "value_max": None, "unit": unit, "kind": "money", "approx": None,
                    "per": _per(clause, r), "optional": False, "start": start, "end": m.end()})
    return out


@Language.component("zh_figures")
def zh_figures(doc: Doc) -> Doc:
    spans = []
    last_end = -1
    dates = [(sp.start_char, sp.end_char) for sp in doc.spans["dates"]] if "dates" in doc.spans else []
    # the pipeline hands over cleaned text (see pipeline.extract_source)
    for f in find_figures(doc_text(doc), dates, cleaned=True):
        sp = doc.char_span(f["start"], f["end"], label="FIGURE", alignment_mode="expand")
        if sp is None or sp.start_char < last_end:
            continue  # one figure per stretch of text
        last_end = sp.end_char
        set_span_extensions(doc, sp.start_char, last_end, {
            name: f[name] for name in ("value", "value_max", "unit", "kind", "approx", "per", "optional")})
        spans.append(sp)
    doc.spans["figures"] = spans
    return doc
