"""Finding figures: the compiled pattern's hits, checked against what is never a figure and qualified.

Each hit is checked against what is never a figure (dates, ordinals, phone numbers, names in 《》
and short quotes, slogans: patterns/figures.toml) and qualified from the words before it in its
clause (约, 超过, 最高, 每户, 一天...).
"""
from __future__ import annotations

from decimal import Decimal

import regex

from ..text import numerals as nm
from ..text.hanzi import simplified_doc
from .rules import LISTING, G, Rules, compiled

# where a clause starts: the words before a number in its clause qualify it (、 joins list items).
# Not a line break: PDF text breaks lines and pages inside clauses (每户\n\n6000元).
CLAUSE_END = "，,。；;！!？?：:（(）)"


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
_NEGATIVE = regex.compile(r"(?<![A-Za-z0-9０-９.,%‰+\-－−])[-－−]")  # a minus opening a number, not a range's dash
_SINCE = regex.compile(r"\s*(?:以来|来)")  # 五年来 (see _figure)


def _name_follows(text: str, end: int, r: Rules) -> bool:
    nxt = text[end:end + 1]
    return bool(nxt) and _HAN.match(nxt) is not None and nxt not in r.money_name_next_ok


def _approx_before(text: str, start: int, r: Rules):
    """An approximation word in the 10 characters before start (超过, 不少于, 最高可达), or None."""
    window = text[max(0, start - 10):start]
    return r.approx_before_re.search(window) if _may_end(window, r.approx_before_last) else None


def _hedged(text: str, m, r: Rules) -> bool:
    """_marked, but a milestone verb is no hedge: 不到一个小时, 一年多 count; 突破一批 does not."""
    before = _approx_before(text, m.start(), r)
    if before and before.group(1) in r.milestone_before:
        return bool(m.group(G.IN1) or m.group(G.IN2) or m.group(G.IN3) or m.group(G.AFTER))
    return _marked(text, m, r)


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
    if m:
        return m.group(1)
    m = r.clause_per_time.match(clause)
    return r.clause_per_time_of[m.group(1)] if m else None


# ------------------------------------------------------------------ values
def _number(num: str, mag: str, r: Rules) -> Decimal | None:
    value = nm.parse_number(num)
    if value is None:
        return None
    return value * nm.magnitude(mag or "", r.magnitude)


def _is_chinese(s: str) -> bool:
    return not any(c.isdigit() for c in s)


def _figure(text: str, m, r: Rules) -> dict | None:
    """A regex hit -> the figure's fields, or None when it is not a figure."""
    # the groups read in one call, not a call per group
    num, mag, num2, mag2, kw, pct, unit_word, cur_after, half, after = m.group(
        G.NUM, G.MAG, G.NUM2, G.MAG2, G.KW, G.PCT, G.UNIT, G.CUR_AFTER, G.HALF, G.AFTER)
    mag = mag or ""
    num = num.translate(r.decimal_typo)  # 566。96万人
    if len(num) == 1 and num in nm.FIN_DIGIT and not mag:
        return None  # 伍人, 陆家: a lone capital is a surname
    if m.group(G.GE) and len(mag) > 1:
        return None  # 4个万亿元产业: a count of trillion-yuan things, not 4万亿元 (两个亿 is 2亿)
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
        value, value_max = value * nm.magnitude(mag, r.magnitude), value_max * nm.magnitude(mag, r.magnitude)
    else:
        value = _number(num, mag, r)
    if value is None:
        return None
    if num2:
        mag2 = mag2 or ""
        value_max = _number(num2, mag2, r)
        if value_max is None:
            return None
        if mag2 and not mag:  # 3~5万元: the magnitude of the end applies to both
            value *= nm.magnitude(mag2, r.magnitude)
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
        if unit_word.strip() == "块" and not _money_kuai(text, m, after, r):
            return None  # 修复17块污染地块: 块 is yuan only where money is spoken of
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
    if single_one and kind != "money" and not _hedged(text, m, r):
        return None  # 一个, 一名, 一天: an article, not a count
    if kind == "duration" and _SINCE.match(text[m.end():m.end() + 3]):
        return None  # 五年来: a period, not a quantity
    num_end = max(m.end(G.NUM), m.end(G.MAG))
    if (chinese or m.group(G.GE)) and (r.name_after.match(text, m.end()) or r.name_after.match(text, num_end)):
        return None  # 两个万亿元大关, 三千亿元城市
    return {"value": value, "value_max": value_max, "unit": unit, "kind": kind, "chinese": chinese, "mag": mag}


def _money_kuai(text: str, m, after, r: Rules) -> bool:
    """块 is the spoken yuan (50块钱, 十块三毛, 花了20块) only where money is spoken of; before a noun
    it counts pieces (17块污染地块, 三块牌子)."""
    nxt = text[m.end():m.end() + 1]
    if not nxt or not regex.match(r"\p{Han}", nxt) or nxt in "钱左右多又" + nm.CN_DIGIT:
        return True
    if any(c in r.kuai_nouns for c in text[m.end():m.end() + 4]):
        return True  # 五百块慰问金
    return bool(after or r.informal_context.search(text, _clause_start(text, m.start()), m.end() + 2))


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


def find_figures(text: str, dates: list[tuple[int, int]] = (), cleaned: bool = False,
                 rules: Rules | None = None) -> list[dict]:
    """Every figure in text as a dict with start, end and the span attributes (value in base units).

    dates: character ranges of the date expressions found before; no figure overlaps one.
    cleaned: text comes from clean.py, which removes the spaces inside running-text figures
    (185.41 万 元); a space it kept between a number and a word is a table-cell boundary.
    rules: the compiled rules (the component's); default those of patterns/.
    """
    r = rules or compiled()
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
        if f["value_max"] is None and not f["chinese"]:
            scale = nm.magnitude(f["mag"], r.magnitude)
            hp = nm.higher_places(text, s, f["value"] / scale, scale)
            if hp and not any(mask[hp[0]:s]):
                s, f["value"] = hp  # 1亿2000万元, 3万5千人, 10億9,711萬9千元
        if f["kind"] == "percent" and f["value_max"] is None and s > 0 and _NEGATIVE.match(text, s - 1, s):
            s, f["value"] = s - 1, -f["value"]  # 自然增长率为-3.19‰: a rate below zero
        if f["kind"] == "money" and f["value_max"] is None:
            f["value"], e = _money_tail(text, e, f["unit"], f["value"], r)
        if f["chinese"] and f["kind"] == "money" and f["value"] < r.money_name_max and _name_follows(text, e, r):
            continue  # 三元区, 二元结构
        clause = text[_clause_start(text, s):s]
        f["approx"] = _approx(text, m, clause, r) or ("at_least" if r.milestone.match(text, e) else None)
        chinese = f.pop("chinese")
        if chinese and f["kind"] == "duration" and f["value"] < 100 and not _marked(text, m, r):
            continue  # 五年, 三天: small Chinese durations are rhetoric unless hedged (二十多年)
        if chinese and f["kind"] == "count" and f["value"] < 100 and not _marked(text, m, r) and (
                r.slogan.match(text, m.start(G.UNIT) if m.group(G.UNIT) else e)
                or m.group(G.NUM) in ("二", "零") or r.unit_of.get(m.group(G.UNIT) or "") in r.chinese_not_units):
            continue  # 八项规定, 两个大局: a slogan's count; 二期, 二人转 (a count says 两), 零部件; 机场三期, 四类村庄
        f["per"] = m.group(G.SLASH) or (_per(clause, r) if f["kind"] not in r.no_per_kinds else None)
        # ages and policy terms (49周岁以上, 最高给付180天, 每年365天) describe who or how, not what was done
        f["optional"] = f["kind"] == "age" or (f["kind"] == "duration" and bool(f["per"] or f["approx"] == "at_most"))
        f.update(start=s, end=e)
        found.append(f)
    found.extend(_list_items(text, mask, found, r))
    found.extend(_bare_amounts(text, mask, found, r))
    found.extend(_tenths(text, mask, found, r))
    found.sort(key=lambda f: f["start"])
    _rates_from_before(text, found, r)
    for f in found:
        f.pop("mag", None)
        f["value"] = nm.plain(f["value"])
        f["value_max"] = nm.plain(f["value_max"]) if f["value_max"] is not None else None
    return found


def _rates_from_before(text: str, found: list[dict], r: Rules) -> None:
    """Rates the clause does not write but the figure before gives: a restatement in parentheses
    (人均GDP达7万元（折合1万美元）) has its rate; one amount after 分别 for a count before it in the
    same clause (7家企业分别捐了2万元) is per item of the count."""
    for k in range(1, len(found)):
        f, before = found[k], found[k - 1]
        if f["per"] or f["kind"] in r.no_per_kinds:
            continue
        between = text[before["end"]:f["start"]]
        if before["per"] and r.restated.fullmatch(between):
            f["per"] = before["per"]
            continue
        if (before["kind"] == "count" and f["kind"] == "money" and r.each.search(between)
                and not any(c in CLAUSE_END for c in between) and not _listed(text, found, k)
                and before["unit"] in r.denominators):
            f["per"] = before["unit"]


def _listed(text: str, found: list[dict], k: int) -> bool:
    """Whether found[k] is one of a list of figures (分别捐了2万元和3万元)."""
    nxt = found[k + 1] if k + 1 < len(found) else None
    return nxt is not None and text[found[k]["end"]:nxt["start"]].strip() in tuple(LISTING)


def _listed_before(text: str, end: int, r: Rules):
    """A number listed just before end (`1409万、`), or None."""
    lo = max(0, end - 30)
    return r.list_item.search(text, lo, end) if _may_end(text[lo:end], LISTING) else None


def _list_items(text: str, mask, found: list[dict], r: Rules) -> list[dict]:
    """分别达1409万、1305万人次; 分别为3、5万元: numbers listed just before a figure share its unit
    (and its magnitude when they have none)."""
    out = []
    for f in found:
        if f["value_max"] is not None:
            continue
        end = f["start"]
        while m := _listed_before(text, end, r):
            if any(mask[m.start():m.end()]):
                break
            value = nm.parse_arabic(m.group(1)) * nm.magnitude(m.group(2) or f["mag"], r.magnitude)
            if f["unit"] == "年" and 1900 <= value <= 2100:
                break  # 2021、2022年 are years
            clause = text[_clause_start(text, m.start()):m.start()]
            approx = "at_least" if f["approx"] == "at_least" and r.milestone.match(text, f["end"]) else None
            start = m.start()
            if f["kind"] == "percent" and start > 0 and _NEGATIVE.match(text, start - 1, start):
                start, value = start - 1, -value  # 分别为0.15、-5.64、1.34个百分点
            out.append({**f, "value": value, "approx": approx, "per": _per(clause, r) or f["per"],
                        "start": start, "end": m.end(1) + len(m.group(2))})
            end = start
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
            value = _number(m.group("num"), m.group("mag"), r)
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


def _tenths(text: str, mask, found: list[dict], r: Rules) -> list[dict]:
    """三成, 两成半, 七八成: tenths of a whole, as a percentage (约三成的家庭 -> 30 %)."""
    out = []
    for m in r.cheng.finditer(text):
        s, e = m.start(), m.end()
        if any(mask[s:e]) or any(f["start"] < e and s < f["end"] for f in found):
            continue
        parsed = nm.parse_cheng(m.group())
        if parsed is None:
            continue
        before = _approx_before(text, s, r)
        approx = r.approx_before[before.group(1)] if before else None
        out.append({"value": parsed[0], "value_max": parsed[1], "unit": "%", "kind": "percent", "approx": approx,
                    "per": None, "optional": False, "start": s, "end": e})
    return out
