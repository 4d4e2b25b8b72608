"""The year of each figure on real report language (own example sentences, one cue each): the year in
force per paragraph (paragraph heads, headings, review sections), parts of a year, comparison bases,
from-to pairs, years stated in passing."""
import pytest
from test_attribute import fig, run

REGION = "福建省/三明市"


def years(doc, *surfaces):
    return [fig(doc, s)._.year for s in surfaces]


# ------------------------------------------------------------------ the year in force per paragraph
def test_paragraph_head_year_after_a_column_tag(nlp):
    text = "【社会保障】2020年，全镇发放救助金12万元。\n全镇新建服务站3个。"
    assert years(run(nlp, text, region=REGION), "12万元", "3个") == [2020, 2020]


def test_paragraph_head_year_inside_an_opening_quote(nlp):
    text = "“2024年已动员献血者2000人。建成服务点10家。”会长介绍，全市还动员爱心企业100余家。"
    assert years(run(nlp, text, region=REGION), "2000人", "10家", "100余家") == [2024, 2024, 2024]


def test_a_day_at_a_paragraph_head_dates_an_event_not_the_paragraphs_after(nlp):
    text = "2019年，全市新建服务站20个。\n3月26日，市红十字会举办培训班2期。\n全市培训救护员800人。"
    doc = run(nlp, text, region=REGION, doc_date="2019-12-30")
    assert years(doc, "20个", "2期", "800人") == [2019, 2019, 2019]


def test_a_year_stated_later_in_a_paragraph_opened_by_a_time_expression_holds_after_it(nlp):
    text = "近年来，市残联大力推进残疾人就业，2023年全市新增就业2865人。\n全市建成帮扶基地37个。"
    doc = run(nlp, text, region=REGION)
    assert years(doc, "2865人", "37个") == [2023, 2023]


# ------------------------------------------------------------------ headings and review sections
def test_review_heading_without_a_year_takes_the_reviewed_year(nlp):
    text = ("一、工作回顾\n（一）扩大有效需求\n全省新增城镇就业12万人。\n"
            "二、今年工作安排\n新建学校30所。")
    doc = run(nlp, text, region="福建省", doc_date="2026-02-01", title="2026年福建省政府工作报告")
    assert years(doc, "12万人", "30所") == [2025, 2026]


def test_a_sub_heading_keeps_its_parents_year(nlp):
    text = "一、2025年工作回顾\n（一）着力扩大内需\n全省社会消费品零售总额1.2万亿元。"
    doc = run(nlp, text, region="福建省", doc_date="2026-02-01", title="2026年福建省政府工作报告")
    assert fig(doc, "1.2万亿元")._.year == 2025


def test_a_period_at_a_paragraph_head_leaves_the_year_in_force(nlp):
    text = ("一、2025年工作回顾\n全省新增城镇就业12万人。\n“十四五”时期，全省经济实力跃上新台阶。\n"
            "新增养老床位2万张。\n过去一年，全省新建学校30所。")
    doc = run(nlp, text, region="福建省", doc_date="2026-02-01", title="2026年福建省政府工作报告")
    assert years(doc, "12万人", "2万张", "30所") == [2025, 2025, 2025]  # (period totals: meaning's)


def test_a_heading_run_on_into_its_paragraph_still_lets_the_next_line_open_it(nlp):
    text = "一、一年接着一年干，发展取得新成效\n2025年是收官之年。全省生产总值6万亿元。\n新建学校30所。"
    doc = run(nlp, text, region="福建省", doc_date="2026-02-01", title="2026年福建省政府工作报告")
    assert years(doc, "6万亿元", "30所") == [2025, 2025]


def test_a_dated_title_of_any_length(nlp):
    text = ("2019年长顺县国民经济和社会发展统计公报暨全县经济社会发展主要指标完成情况与有关说明\n"
            "全县新建学校3所。")
    assert fig(run(nlp, text, region="贵州省/黔南布依族苗族自治州/长顺县"), "3所")._.year == 2019


# ------------------------------------------------------------------ parts of a year, comparisons, from-to
def test_year_end_in_a_yearly_bulletin_takes_the_reviewed_year(nlp):
    text = "2019年长顺县国民经济和社会发展统计公报\n年末户籍人口273393人。"
    doc = run(nlp, text, region="贵州省/黔南布依族苗族自治州/长顺县", doc_date="2020-07-10")
    assert fig(doc, "273393人")._.year == 2019


def test_a_short_quoted_name_holds_no_date(nlp):
    text = "去年，全县“一日捐”募集善款131万元。"
    assert fig(run(nlp, text, region=REGION, doc_date="2012-02-10"), "131万元")._.year == 2011


def test_a_length_of_time_is_not_a_year(nlp):
    text = "2025年，全省新增就业12万人，一年内建成项目10个。"
    assert fig(run(nlp, text, region="福建省", doc_date="2026-02-01"), "10个")._.year == 2025


def test_a_year_inside_a_quoted_story_does_not_date_the_days_after_it(nlp):
    text = "“她2014年11月去世，留下两个孩子。”4月12日，协会举行表彰活动，当天8户家庭获得表彰。"
    assert fig(run(nlp, text, region=REGION, doc_date="2017-04-20"), "8户")._.year == 2017


# ------------------------------------------------------------------ years stated in passing
def test_a_year_stated_in_passing_dates_the_paragraph_only_where_no_year_is_in_force(nlp):
    text = "日前，全市开展2016年新春慰问活动。据统计，此次活动共发放慰问金92万元。"
    assert fig(run(nlp, text, region=REGION), "92万元")._.year == 2016
    text = "今年以来，区妇联开展寻找活动，2户家庭获评2023年度最美家庭。全区建成家长学校112所。"
    assert fig(run(nlp, text, region=REGION, doc_date="2024-06-28"), "112所")._.year == 2024


# one sentence, one cue: (text, region, document date, figures, their years)
CASES = [
    # a deadline opening a paragraph (到2028年) does not set the year of the paragraphs after
    ("二、2026年重点工作\n到2028年，全省建成高铁3400公里。\n新建学校30所。", "福建省", "2026-02-01",
     ("3400公里", "30所"), [2028, 2026]),
    # a comparison base (与2021年相比, 与上年持平) is not the figure's year
    ("2022年，全区共有医疗机构787间，与2021年相比增加66间。门诊量1213万人次，与上年持平。", "广东省/广州市/番禺区",
     "2023-03-01", ("787间", "66间", "1213万人次"), [2022, 2022, 2022]),
    # a from-to pair gives each figure its year
    ("全县生产总值从2020年的100亿元提高到2025年的140亿元。", "浙江省/湖州市/安吉县", "2026-01-20",
     ("100亿元", "140亿元"), [2020, 2025]),
    # inside an aside, last year in passing (not opening its clause) dates its own clause only
    ("2024年，全县受理投诉520件（含上年度转入12件，另有9件转入下年度办理）。", "浙江省/湖州市/安吉县", None,
     ("520件", "12件", "9件"), [2024, None, 2024]),  # (no document date: 上年度 fixes no year)
    # ...outside one it goes on with its subject to the clauses after it
    ("全县慈善会去年组织志愿者30名，走访困难家庭120户。", "浙江省/湖州市/安吉县", "2025-01-10",
     ("30名", "120户"), [2024, 2024]),
    # a time expression inside an aside closed before the figure dates only the aside
    ("2025年，全县办结案件480件（去年受理），结案率98%。", "浙江省/湖州市/安吉县", "2025-12-20",
     ("480件", "98%"), [2025, 2025]),
    # ...while one opening its clause still dates the clauses after it
    ("去年，全县新建公园6个，绿地面积增加30公顷。", "浙江省/湖州市/安吉县", "2025-01-10",
     ("6个", "30公顷"), [2024, 2024]),
    # a review's refrain `这是…的五年` covers the five years before the report: a level reached takes their last
    ("“十四五”时期工作回顾\n——这是实力跃升的五年。全县生产总值达到520亿元，新建学校30所。", "浙江省/湖州市/安吉县",
     "2026-01-20", ("520亿元",), [2025]),
]


@pytest.mark.parametrize("text, region, doc_date, surfaces, expected", CASES)
def test_one_cue(nlp, text, region, doc_date, surfaces, expected):
    assert years(run(nlp, text, region=region, doc_date=doc_date), *surfaces) == expected
