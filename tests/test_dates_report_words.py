"""Dates in report language that only look like dates, or that the plan's number fixes (issue: dates2).

Every sentence here is written for these tests, each holding only the cue it tests.
"""
import pytest

from zhmine import dates as D


def found(text, doc_date="2025-07-01"):
    return [(text[e.start:e.end], e.value, e.relative) for e in D.find_dates(text, doc_date)]


# ------------------------------------------------------------------ years in Chinese digits
@pytest.mark.parametrize("text,value", [
    ("到二〇三五年基本建成。", "2035"),
    ("二〇二四年，全省增长。", "2024"),
    ("二○二四年，全省增长。", "2024"),
    ("九八年，洪水过境。", "1998"),
])
def test_year_in_chinese_digits_is_read(text, value):
    assert [v for _, v, _ in found(text)] == [value]


@pytest.mark.parametrize("text", ["到二三五年实现目标。", "九二五年，旧城建成。"])
def test_three_chinese_digits_before_nian_are_no_year(text):
    # 二〇三五年 with its 〇 dropped: no year 235, and no date at all
    assert found(text) == []


# ------------------------------------------------------------------ date words inside names and words
@pytest.mark.parametrize("text", [
    "本网—今日新城讯(记者 李四)",   # a news site's dateline
    "本报今天河口訊 全县召开大会。",
    "消息转载于今日头条。",
    "节目播出于今日说法栏目。",
    "推选一批明日之星。",
    "营造政治清明的环境。",
    "做到吏治清明。",
])
def test_date_word_inside_a_name_or_word_is_no_date(text):
    assert found(text) == []


@pytest.mark.parametrize("text,surface", [
    ("今日，全县召开大会。", "今日"),
    ("明日之前提交材料。", "明日"),
    ("清明前后，雨水增多。", "清明"),
])
def test_the_same_words_alone_are_dates(text, surface):
    assert [s for s, _, _ in found(text)] == [surface]


# ------------------------------------------------------------------ five-year plans
@pytest.mark.parametrize("text,surface,value", [
    ("“十四五”期间，全县增长较快。", "“十四五”期间", "2021/2025"),
    ("十三五时期，全县增长较快。", "十三五时期", "2016/2020"),
    ("“十五五”时期，全县将加快发展。", "“十五五”时期", "2026/2030"),
    ("“九五”期间，全县建成公路。", "“九五”期间", "1996/2000"),
    ("“十三五”以来，全县增长较快。", "“十三五”以来", "2016/"),
])
def test_five_year_plan_period_is_the_plans_years(text, surface, value):
    assert found(text) == [(surface, value, False)]


@pytest.mark.parametrize("text", ["编制十四五规划。", "“十四五”规划纲要已发布。", "共二十五期间隔发放。"])
def test_plan_name_without_its_period_is_no_date(text):
    assert found(text) == []


# ------------------------------------------------------------------ counted periods
def test_jinhou_belongs_to_the_counted_period():
    assert found("今后五年的目标已明确。") == [("今后五年", "2025-07-02/2030-07-01", True)]


@pytest.mark.parametrize("text,surface", [("泉水断流30年后复流。", "30年后"), ("此后五年，工程陆续完工。", "此后五年")])
def test_count_after_an_event_is_unresolved(text, surface):
    # counted from the event the text names, not from the document date
    assert found(text) == [(surface, None, True)]


@pytest.mark.parametrize("text,value", [("30年后，城市更美。", "2055"), ("再过30年后，城市更美。", "2055"),
                                        ("她3天前已经完成了报名。", "2025-06-28")])
def test_count_from_now_takes_the_document_date(text, value):
    assert [v for _, v, _ in found(text)] == [value]


def test_five_year_plan_fixes_no_single_year():
    (e,) = D.find_dates("“十四五”期间，全县增长较快。", "2025-07-01")
    assert (e.value, e.year) == ("2021/2025", None)
