"""Numbers as Chinese reports write them, to exact values.

Arabic (82,225.00 / ８２，２２５ / 1.4496), Chinese (二十, 一万零三, 〇, 肆佰叁拾萬, 兩萬) and mixed
(1.4496亿, 5千, 12.9 万) forms. Values are Decimal while computing, so 1.4496亿 is exactly 144960000;
`plain()` turns them into int or float for the records.

Chinese numerals go through cn2an (maintained, handles traditional and financial characters and
colloquial 一万五/二百五). What it cannot do is done here: 兆 (10^12, as in 四十九兆九千五百九十二億),
a bare leading magnitude (百户, 千名, 万人), and neighbour-digit ranges (一二个 = 1 to 2, 三四十 = 30 to 40),
which cn2an would read as 12 and 340.

Also here: mixed magnitudes written in parts (1亿2000万, 3万5千, 10億9,711萬9千, 1万零500) and
成 (三成 = 30%).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

# Digits in every width: clean.py folds full-width digits, but the component also runs on raw text.
_FW = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

# Thousands separators: "," always; the full-width "，" is also the Chinese comma, so only where
# the grouping cannot be a list (82，225.00 or 1，234，567, but not $20，300美圆).
_D = "[0-9０-９]"
ARABIC = (rf"{_D}{{1,3}}(?:,{_D}{{3}})+(?!{_D})(?:[.．]{_D}+)?"
          rf"|{_D}{{1,3}}(?:[,，]{_D}{{3}}){{2,}}(?!{_D})(?:[.．]{_D}+)?"
          rf"|{_D}{{1,3}}(?:[,，]{_D}{{3}})+(?!{_D})[.．]{_D}+"
          rf"|{_D}+(?:[.．]{_D}+)?")
CN_DIGIT = "〇○零一二三四五六七八九两壹贰叁肆伍陆柒捌玖貳參叄陸兩廿"
CN_POWER = "十拾百佰千仟万萬亿億兆"
# one Chinese numeral: digits and powers, with an optional 点 decimal part (五点五)
CHINESE = rf"[{CN_DIGIT}{CN_POWER}]+(?:点[{CN_DIGIT}]+)?"
FIN_DIGIT = "壹贰貳叁參叄肆伍陆陸柒捌玖"
FINANCIAL = set(FIN_DIGIT + "拾佰仟萬億")

_POWER_VALUE = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000,
                "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGIT_VALUE.update({"〇": 0, "○": 0, "两": 2, "兩": 2, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "叄": 3,
                     "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9})
_SPACE = regex.compile(r"\s+")
_MIXED = regex.compile(rf"({ARABIC})([{CN_POWER}]*)")
_CHINESE = regex.compile(CHINESE)
# A number written in descending parts, each with its magnitude: 1亿2000万, 10億9,711萬9千,
# 1万零500 (a 零 marks a skipped place), 3万5 (colloquial: a lone digit after 万 is its thousands).
_PART = rf"(?:{ARABIC}|[{CN_DIGIT}]+)"
COMPOUND = rf"(?:{ARABIC})[{CN_POWER}]+(?:零?{_PART}[{CN_POWER}]+)*(?:零?{_PART}[{CN_POWER}]+|零{_PART}|{_PART})"
_COMPOUND = regex.compile(COMPOUND)
_PARTS = regex.compile(rf"(零)?({_PART})([{CN_POWER}]*)")
# the higher parts written before a number: 1亿 before 2000万元, 3万 before 5千人, 1万零 before 500元
_HIGHER = regex.compile(rf"(?<![0-9０-９.,，．{CN_DIGIT}{CN_POWER}])(?:(?:{ARABIC})[{CN_POWER}]+零?)+$")
_NEIGHBOURS = regex.compile(rf"([一二两三四五六七八九])([一二三四五六七八九])([{CN_POWER}]*)")


def parse_arabic(text: str) -> Decimal:
    """'82,225.00' / '８２，２２５' / '1.4496' -> Decimal."""
    return Decimal(text.translate(_FW).replace(",", "").replace(" ", ""))


def parse_chinese(text: str) -> Decimal | None:
    """A Chinese numeral -> Decimal, None when it is not a well-formed number."""
    text = text.strip()
    if not text:
        return None
    if "兆" in text:  # cn2an stops at 亿: 四十九兆九千五百九十二億 = 49*10^12 + 9592*10^8
        high, _, low = text.partition("兆")
        h = parse_chinese(high or "一")
        lo = parse_chinese(low) if low else Decimal(0)
        return None if h is None or lo is None else h * 10**12 + lo
    text = text.replace("○", "〇")
    if text[0] in "百佰千仟万萬亿億":  # 百户, 千名: a bare magnitude means one of it
        text = "一" + text
    import cn2an  # here: its import compiles ~50 patterns (0.15 s), and most documents never get here

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def neighbour_range(text: str) -> tuple[Decimal, Decimal] | None:
    """一二 -> (1, 2), 三四十 -> (30, 40), 两三千 -> (2000, 3000): two neighbouring digits are a rough range."""
    m = _NEIGHBOURS.fullmatch(text)
    if not m:
        return None
    a, b = _DIGIT_VALUE[m.group(1)], _DIGIT_VALUE[m.group(2)]
    if b != a + 1:
        return None
    scale = Decimal(1)
    for c in m.group(3):
        scale *= _POWER_VALUE[c]
    return a * scale, b * scale


@lru_cache(maxsize=4096)
def parse_number(text: str) -> Decimal | None:
    """Any single number: Arabic, Chinese, or Arabic followed by magnitude words (1.2万, 3千万亿).
    Reports repeat their numbers (一, 10, 100) and cn2an is slow: cached (a Decimal is immutable)."""
    text = _SPACE.sub("", text.translate(_FW))
    m = _MIXED.fullmatch(text)
    if m:
        value = parse_arabic(m.group(1))
        for c in m.group(2):
            value *= _POWER_VALUE[c]
        return value
    if _CHINESE.fullmatch(text):
        return parse_chinese(text)
    if _COMPOUND.fullmatch(text):
        return _parse_compound(text)
    return None


# the digits of dates and counts (no financial capitals), and the powers they use
_PLAIN_DIGIT = {c: v for c, v in _DIGIT_VALUE.items() if c not in FIN_DIGIT}
_SMALL_POWER = {"十": 10, "百": 100, "千": 1000}
_TENS = {"廿": 20, "卅": 30}


def parse_small(text: str) -> int | None:
    """A day, month, year or count as dates write it: '12', '十二', '二十三', '廿一', '卅', '两千零四'.

    Read left to right, without cn2an: 十/百/千 multiply the digit before them, 廿/卅 add 20/30, and a
    digit after a digit replaces it (两三年 counts 3, where parse_chinese reads 一二 as 12).
    None when a character is none of these."""
    s = text.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _PLAIN_DIGIT:
            cur = _PLAIN_DIGIT[ch]
        elif ch in _SMALL_POWER:
            total += (cur or 1) * _SMALL_POWER[ch]
            cur = 0
        elif ch in _TENS:
            total += _TENS[ch]
        elif ch.isdigit():
            cur = cur * 10 + int(ch)
        else:
            return None
    return total + cur


def parse_digits(text: str) -> int:
    """Digit by digit, as years are written: '二〇二〇' -> 2020, '九七' -> 97. Arabic digits pass as
    they are; any other character raises ValueError."""
    return int("".join(str(_PLAIN_DIGIT[c]) if c in _PLAIN_DIGIT else c for c in text))


def _parts(text: str) -> list[tuple[bool, Decimal, int]] | None:
    """'1亿2000万' -> [(False, 1, 10^8), (False, 2000, 10^4)]: (after a 零, number, magnitude)."""
    out, pos = [], 0
    while pos < len(text):
        m = _PARTS.match(text, pos)
        if not m or m.end() == pos:
            return None
        num = m.group(2)
        value = parse_arabic(num) if num[0].translate(_FW).isdigit() else parse_chinese(num)
        if value is None:
            return None
        out.append((bool(m.group(1)), value, magnitude(m.group(3))))
        pos = m.end()
    return out


def _sum_parts(parts: list[tuple[bool, Decimal, int]], colloquial: bool = True) -> Decimal | None:
    """The parts' total, None unless each part is below the magnitude of the one before (2000万 < 1亿).
    A lone digit last with no magnitude and no 零 is the next place down (3万5 = 35000) where
    colloquial, else no reading (3万5人 is 35000 or 30005)."""
    total, above = Decimal(0), None
    for i, (zero, value, scale) in enumerate(parts):
        if scale == 1 and i and not zero and value < 10 and above in _NEXT_PLACE:
            if not colloquial or value != int(value):
                return None
            scale = _NEXT_PLACE[above]
        part = value * scale
        if above is not None and (scale >= above or part >= above):
            return None
        total += part
        above = scale
    return total


_NEXT_PLACE = {10**8: 10**7, 10**4: 10**3, 1000: 100, 100: 10}


def _parse_compound(text: str) -> Decimal | None:
    parts = _parts(text)
    return _sum_parts(parts) if parts and len(parts) > 1 else None


def higher_places(text: str, start: int, number: Decimal, scale: int = 1,
                  longest: int = 40) -> tuple[int, Decimal] | None:
    """A number at `start` whose higher parts are written before it (1亿|2000万元, 3万|5千人,
    10億9,711萬|9千元, 1万零|500元): (where the whole number starts, its value), else None.
    For a figure finder that matched the last part only: number and scale are that part's
    (2000 and 10^4 for 2000万)."""
    m = _HIGHER.search(text, max(0, start - longest), start)
    if not m:
        return None
    zero = text[start - 1:start] == "零"
    parts = _parts(text[m.start():start - zero])
    if not parts:
        return None
    total = _sum_parts(parts + [(zero, number, scale)], colloquial=False)
    return None if total is None else (m.start(), total)


def magnitude(words: str, values: dict[str, int] | None = None) -> int:
    """The factor of a chain of magnitude words: '万' -> 10^4, '千万' -> 10^7, '' -> 1. values: each
    word's factor (figures pass figures.toml's [magnitude] table); a character not in it counts 1."""
    values = _POWER_VALUE if values is None else values
    scale = 1
    for c in words:
        scale *= values.get(c, 1)
    return scale


_CHENG = regex.compile(rf"({ARABIC}|[{CN_DIGIT}十]{{1,2}})成(半|[{CN_DIGIT}])?")


def parse_cheng(text: str) -> tuple[Decimal, Decimal | None] | None:
    """成 is a tenth, as a percentage: 三成 -> (30, None), 两成半 -> (25, None), 三成五 -> (35, None),
    七八成 -> (70, 80), 十成 -> (100, None)."""
    m = _CHENG.fullmatch(_SPACE.sub("", text.translate(_FW)))
    if not m:
        return None
    num, tail = m.group(1), m.group(2) or ""
    rng = neighbour_range(num)
    if rng:
        if tail:
            return None
        return rng[0] * 10, rng[1] * 10
    value = parse_number(num)
    if value is None or value > 10:
        return None
    extra = Decimal(5) if tail == "半" else (_DIGIT_VALUE.get(tail, 0))
    return value * 10 + extra, None


def plain(value: Decimal) -> int | float:
    """Decimal -> int when whole, else float (what the records carry)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def is_financial(text: str) -> bool:
    """Written with the anti-fraud capitals of cheques and invoices (肆佰叁拾萬): always an amount."""
    return any(c in FINANCIAL for c in text)
