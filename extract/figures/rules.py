"""Figures' rules: patterns/figures.toml and units.toml compiled into one Rules object.

The figure pattern (a number with its magnitude, range end, unit and the approximation/rate words
written around it), where it can start, the exclusions, and the word tables the checks read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from ..text import numerals as nm
from ..text import rules
from ..text.regextools import Alternation, bmp_chars
from ..text.regextools import alt as _alt

NUM = rf"(?:{nm.ARABIC}|{nm.CHINESE})"
_DIGITS = "0123456789０１２３４５６７８９"  # numerals.ARABIC's [0-9０-９]
LISTING = "、和与及"  # what joins listed numbers (分别达1409万、1305万人次)


# Group numbers of Rules.pattern and Rules.single (the same groups in the same order; compiled()
# checks them): the regex module looks a group's name up on every call, m.group(G.NUM) does not.
class G:
    NAMES = ("pct", "num", "in1", "ge", "mag", "in2", "unit1", "conn", "num2", "mag2", "in3", "kw", "unit",
             "cur_after", "half", "slash", "after")
    PCT, NUM, IN1, GE, MAG, IN2, UNIT1, CONN, NUM2, MAG2, IN3, KW, UNIT, CUR_AFTER, HALF, SLASH, AFTER = range(1, 18)



@dataclass
class Rules:
    pattern: re.Pattern  # standard re: no class in it that the two modules read differently
    starts: re.Pattern  # where pattern can match (a superset, see compiled)
    single: re.Pattern
    bare: regex.Pattern
    bare_starts: re.Pattern  # where bare can match (a superset)
    exclude: Alternation
    magnitude: dict  # a magnitude word -> its factor (figures.toml [magnitude])
    list_item: regex.Pattern  # a number listed just before (see find._listed_before)
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
    slogan: regex.Pattern  # (unit)(a few characters) a slogan's noun: 八项规定, 两个大局
    kuai_nouns: str  # 块 before a noun of money is yuan
    milestone: regex.Pattern  # 台阶, 大关 after a figure: a bound passed
    milestone_before: frozenset  # 突破, 迈上: a bound before it
    chinese_not_units: frozenset  # 三期, 四类: phases and classes, not counts
    cheng: regex.Pattern  # 三成, 两成半, 七八成: tenths as a percentage
    decimal_typo: dict  # str.translate table: a full stop typed for the decimal point -> "."
    no_per_kinds: frozenset  # kinds that never have a denominator (percent, age)
    restated: regex.Pattern  # （折合 before a figure: it restates the figure before
    each: regex.Pattern  # 分别 between a count and one amount: the amount is per item
    denominators: frozenset  # the words a rate may be per (每户, 元/天)
    clause_per_time: regex.Pattern  # 月发放…: a month or day word opening the clause (group 1)
    clause_per_time_of: dict


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

    # the magnitude words after a number (万, 亿) and what each multiplies by
    magnitude = {word: int(value) for word, value in figs["magnitude"].items()}
    powers = "".join(magnitude)

    subunits = {}
    for canon, table in units["subunits"].items():
        tail = regex.compile(rf"\s*(?:又|零)?\s*({NUM})\s*({_alt(table)})")
        subunits[canon] = (tail, {k: Decimal(str(v)) for k, v in table.items()})

    currency_of = {}
    for canon, spellings in units["prefix_currency"].items():
        for s in spellings:
            currency_of[s] = canon or None

    approx = figs["approx"]
    approx["before"] = {**approx["before"], **approx["milestone"]}  # 突破3000亿元: a bound
    conn = _alt(figs["range"]["connectors"])
    unit = _alt(unit_of)
    after = _alt(approx["after"])
    informal = figs["informal_money_magnitude"]
    denoms = _alt(figs["rate"]["denominators"])
    # A number, its magnitude, approximation, optional range end, unit, rate and trailing qualifier.
    # Spaces may stand inside a figure (185.41 万 元), line breaks not: clean.py has joined the lines
    # that belong together, so a break left between a number and a word is a table or a layout edge.
    # (Written as regex's white space but the line break, one by one: the pattern then reads the same
    # to the standard re module, which matches it faster than regex does.)
    S = "[" + re.escape(bmp_chars(r"\s").replace("\n", "")) + "]*"
    # a full stop typed for the decimal point (566。96万人): a number of its own where a magnitude follows
    typo = "".join(figs["decimal_typo"]["marks"])
    num = rf"(?:[{_DIGITS}]+[{re.escape(typo)}][{_DIGITS}]+(?={S}[{powers}])|{NUM})"
    # units spelled with a magnitude word (千米, 千克, 千瓦): 12千米 is 12 公里, not 12000 米
    power_units = _alt([s for s in unit_of if s[0] in powers]) or "(?!)"
    source = (
        rf"""
        (?P<pct>[百千]分之{S})?
        (?P<num>{num})
        (?P<in1>{S}[多余])?
        (?:{S}(?P<ge>个)?(?P<mag>(?:(?!{power_units})[{powers}])+)(?![{powers}]*元?级))?  # 两个亿; not 4个万亿级产业, 12千米
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
    range_ = rf"(?:{S}(?P<unit1>{unit})?{S}(?P<conn>{conn}){S}(?P<num2>{NUM})(?P<mag2>[{powers}]*)(?P<in3>{S}[多余])?)?"
    pattern = re.compile(source.replace("RANGE", range_), re.X)
    # the same without ranges, for a number whose "range end" is a date or another quantity
    # (投入10万元至2022年底): same group names, never matching
    # Where pattern can start, for find_figures: a numeral whose unit, range connector or k/w
    # follows after nothing but numerals, spaces and the words allowed between (多, 余, 个,
    # magnitudes), or the 百/千 of 百分之. A superset of pattern's starts, found by stdlib re, which
    # skips the other characters faster than regex (each branch after the first
    # character is a lookaround: a pattern opening on one character class is scanned fastest).
    # Keep it in step with `source`: what may stand between a number and its unit is listed here.
    numeral = f"{_DIGITS}{nm.CN_DIGIT}{nm.CN_POWER}"
    between = rf"[{numeral},，.．点多余个{re.escape(typo)}]|[^\S\n]"  # stdlib's \s holds regex's
    firsts = {w[0] for w in unit_of} | {w[0] for w in figs["range"]["connectors"]} | set(informal)
    starts = re.compile(rf"[{numeral}](?:(?=(?:{between})*?[{re.escape(''.join(sorted(firsts)))}])|(?<=[百千])(?=分之))")
    single = re.compile(source.replace("RANGE", "(?:(?!)(?P<unit1>)(?P<conn>)(?P<num2>)(?P<mag2>)(?P<in3>))?"), re.X)
    if not pattern.groupindex == single.groupindex == {g: i for i, g in enumerate(G.NAMES, 1)}:
        raise ValueError("figures: the pattern's groups are not those of G")
    # Numbers with no unit that are still amounts: written in financial capitals, or after a
    # currency sign/name (￥300, $20, 港币 2960).
    prefix_alt = _alt(currency_of)
    bare = regex.compile(
        rf"(?P<prefix>{prefix_alt})\s*(?P<num>{nm.ARABIC}|{nm.CHINESE})(?P<mag>[{powers}]*)(?!\s*(?:{_alt(money_spellings)}))"
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
    list_item = regex.compile(rf"(?<![\d.,A-Za-z])({nm.ARABIC})([{powers}]*)\s*[{LISTING}]\s*$")
    return Rules(
        magnitude=magnitude, list_item=list_item,
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
        no_per_kinds=frozenset(rate["no_per_kinds"]),
        restated=regex.compile(rf"\s*[（(]\s*(?:{_alt(rate['restated_before'])})\s*$"),
        each=regex.compile(_alt(rate["each"])), denominators=frozenset(rate["denominators"]),
        clause_per_time=regex.compile(rf"\s*({_alt(rate['clause_per_time'])})(?=\p{{Han}})(?![{rate['clause_per_time_not_after']}])"),
        clause_per_time_of=rate["clause_per_time"],
        per_marks="每一" + "".join(sorted({w[-1] for w in rate["average"]} | set(rate["clause_per_time"]))), informal={k: Decimal(v) for k, v in informal.items()},
        informal_context=regex.compile(_alt(figs["informal_money_context"]["words"])),
        brackets=[regex.compile(rf"{regex.escape(a)}[^{regex.escape(b)}\n]*{regex.escape(b)}") for a, b in ex["brackets"]],
        quotes=[regex.compile(rf"{regex.escape(a)}([^{regex.escape(b)}\n]*){regex.escape(b)}") for a, b in ex["quotes"]],
        quote_max=ex["quote_max"],
        money_name_max=figs["money_name"]["max"], money_name_next_ok=figs["money_name"]["next_ok"],
        name_after=regex.compile(rf"\s*元?(?:{_alt(ex['name_after'])})"),
        slogan=regex.compile(rf"(?:{_alt(ex['slogan_units'])})\p{{Han}}{{0,3}}?(?:{_alt(ex['slogan_after'])})"),
        kuai_nouns=figs["informal_money_context"]["kuai_nouns"],
        milestone=regex.compile(approx["milestone_after"]), milestone_before=frozenset(approx["milestone"]),
        chinese_not_units=frozenset(ex["chinese_not_units"]), decimal_typo=str.maketrans(dict.fromkeys(typo, ".")),
        cheng=regex.compile(rf"(?<![\d.{nm.CN_DIGIT}十百千万亿第])({nm.ARABIC}|[{nm.CN_DIGIT}十]{{1,2}})成(半|[{nm.CN_DIGIT}](?!\s*[{nm.CN_POWER}个项人]))?"
                            rf"(?![{figs['cheng']['not_after']}])"),
    )
