from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhmine.text import numerals as nm

DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """An independent reference writer of Chinese numerals (0 <= n < 10^12), for the round trip."""
    if n == 0:
        return "零"

    def below_10k(k: int) -> str:
        out, zero = [], False
        for power, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, k = divmod(k, power)
            if d:
                if zero and out:
                    out.append("零")
                out.append(DIGITS[d] + name)
                zero = False
            else:
                zero = True
        return "".join(out)

    parts, zero = [], False
    for power, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        d, n = divmod(n, power)
        if d:
            if parts and (zero or d < 1000):
                parts.append("零")
            parts.append(below_10k(d) + name)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


@pytest.mark.parametrize("text,value", [
    ("82,225.00", Decimal("82225")),
    ("８２，２２５", Decimal("82225")),
    ("1.4496", Decimal("1.4496")),
    ("233,333,333,434.344", Decimal("233333333434.344")),
])
def test_arabic(text, value):
    assert nm.parse_arabic(text) == value


@pytest.mark.parametrize("text,value", [
    ("二十", 20), ("一万零三", 10003), ("〇", 0), ("零", 0), ("两", 2), ("肆佰叁拾萬", 4300000),
    ("兩萬", 20000), ("壹万二千三百四十五", 12345), ("四十九兆九千五百九十二億", 49959200000000),
    ("百", 100), ("千", 1000), ("万", 10000), ("十五", 15), ("二百五", 250),
])
def test_chinese(text, value):
    assert nm.parse_chinese(text) == value


@pytest.mark.parametrize("text,value", [
    ("1.4496亿", 144960000), ("5千", 5000), ("12.9 万", 129000), ("3千万亿", 3 * 10**15), ("1.2万", 12000),
])
def test_mixed(text, value):
    assert nm.parse_number(text) == value


def test_neighbour_digits_are_a_range_not_a_number():
    assert nm.neighbour_range("一二") == (1, 2)
    assert nm.neighbour_range("三四十") == (30, 40)
    assert nm.neighbour_range("七八百") == (700, 800)
    assert nm.neighbour_range("两三千") == (2000, 3000)
    assert nm.neighbour_range("二四") is None


def test_not_numbers():
    assert nm.parse_number("1.2.3") is None
    assert nm.parse_number("12a") is None
    assert nm.parse_number("abc") is None
    assert nm.parse_number("") is None


def test_plain_gives_int_for_whole_values():
    assert nm.plain(Decimal("1.4496") * 10**8) == 144960000
    assert isinstance(nm.plain(Decimal("1.4496") * 10**8), int)
    assert nm.plain(Decimal("209.66")) == 209.66


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_arabic_with_separators_round_trips(n):
    assert nm.parse_number(f"{n:,}") == n
    assert nm.parse_number(str(n)) == n


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_round_trips(n):
    assert nm.parse_number(chinese(n)) == n


@given(st.integers(min_value=1, max_value=10**8 - 1))
def test_financial_capitals_round_trip(n):
    upper = chinese(n).translate(str.maketrans("零一二三四五六七八九十百千万亿", "零壹贰叁肆伍陆柒捌玖拾佰仟萬億"))
    assert nm.parse_number(upper) == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=9999),
       st.sampled_from([("万", 10**4), ("亿", 10**8), ("千", 1000)]))
def test_mixed_round_trips(whole, frac, mag):
    word, scale = mag
    text = f"{whole}.{frac:04d}{word}"
    assert nm.parse_number(text) == Decimal(f"{whole}.{frac:04d}") * scale


@settings(max_examples=200)
@given(st.text(max_size=12))
def test_parsers_never_raise(text):
    nm.parse_number(text)
    nm.parse_chinese(text)
    nm.neighbour_range(text)


@pytest.mark.parametrize("text,value", [
    ("12", 12), ("十二", 12), ("二十三", 23), ("廿一", 21), ("卅", 30), ("三十一", 31), ("两千零四", 2004),
    ("两三", 3),  # a digit after a digit replaces it: 两三年 counts 3 (dates have always read it so)
    ("", None), ("几", None), ("一万", None),
])
def test_small_numbers_of_dates(text, value):
    assert nm.parse_small(text) == value


def test_years_digit_by_digit():
    assert nm.parse_digits("二〇二〇") == 2020 and nm.parse_digits("九七") == 97 and nm.parse_digits("二○一9") == 2019


# ------------------------------------------------------------------ issue 14: every numeral form
@pytest.mark.parametrize("text,value", [
    ("1亿2000万", 120000000), ("3万5千", 35000), ("10億9,711萬9千", 1097119000), ("1万零500", 10500),
    ("2亿零300万", 203000000), ("3万5", 35000), ("1万2345", 12345), ("4亿3千万", 430000000),
    ("１亿２０００万", 120000000), ("5万3千2百", 53200), ("1万500", 10500), ("1亿500万", 105000000),
])
def test_mixed_magnitudes_in_parts(text, value):
    assert nm.parse_number(text) == value


@pytest.mark.parametrize("text", ["5万10万", "2000万1亿", "3千3千", "2万3.5"])
def test_parts_that_do_not_descend_are_not_one_number(text):
    assert nm.parse_number(text) is None  # a list or a range read together


@pytest.mark.parametrize("sentence,last,number,scale,whole", [
    ("全年投入1亿2000万元用于改造", "2000万元", 2000, 10**4, ("1亿2000万元", 120000000)),
    ("共有3万5千人参加义诊", "5千人", 5, 1000, ("3万5千人", 35000)),
    ("年度收入10億9,711萬9千元", "9千元", 9, 1000, ("10億9,711萬9千元", 1097119000)),
    ("追加1万零500元", "500元", 500, 1, ("1万零500元", 10500)),
    ("追加1亿500万元", "500万元", 500, 10**4, ("1亿500万元", 105000000)),
])
def test_higher_places_written_before_the_last_part(sentence, last, number, scale, whole):
    start = sentence.index(last)
    got = nm.higher_places(sentence, start, Decimal(number), scale)
    assert got is not None
    assert sentence[got[0]:].startswith(whole[0]) and got[1] == whole[1]


@pytest.mark.parametrize("sentence,last,number,scale", [
    ("2023年5千人", "5千人", 5, 1000),           # a year is not a higher part
    ("补助3万、5千人", "5千人", 5, 1000),         # a list
    ("分别为5万10万元", "10万元", 10, 10**4),     # a list without its comma
    ("共3万5人", "5人", 5, 1),                   # 35000 or 30005: no reading
])
def test_no_higher_places(sentence, last, number, scale):
    assert nm.higher_places(sentence, sentence.index(last), Decimal(number), scale) is None


@pytest.mark.parametrize("text,value", [
    ("三", 3), ("五", 5), ("两", 2), ("十二", 12), ("二十三", 23),   # counts: 三个, 五家, 两次
    ("壹万贰仟", 12000), ("伍佰元", None), ("叁拾伍", 35), ("贰佰零伍", 205), ("陆仟柒佰捌拾玖", 6789),
])
def test_chinese_counts_and_financial_capitals(text, value):
    if value is None:
        assert nm.parse_number(text) is None  # 伍佰元 has its unit: the caller cuts it off
    else:
        assert nm.parse_number(text) == value


@pytest.mark.parametrize("text,value", [
    ("三成", (30, None)), ("两成半", (25, None)), ("三成五", (35, None)), ("七八成", (70, 80)),
    ("十成", (100, None)), ("3成", (30, None)), ("九成以上", None), ("十一成", None),
])
def test_cheng_is_a_tenth(text, value):
    assert nm.parse_cheng(text) == value


@settings(max_examples=200)
@given(st.text(alphabet="0123456789,.万亿千百零三五两億萬年", max_size=14))
def test_new_parsers_never_raise(text):
    nm.parse_number(text)
    nm.parse_cheng(text)
    nm.higher_places(text, len(text) // 2, Decimal(5), 10)
