"""What a figure means (extract/meaning.py): one sentence of our own per rule of patterns/meaning.toml."""
import pytest

from zhmine import meaning as M
from zhmine.text import rules


def span(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(surface, i + 1)
    return i, i + len(surface)


def unit_of(surface: str) -> str:
    for u in ("个百分点", "个千分点", "%", "‰", "元", "人", "个", "座", "处"):
        if surface.endswith(u):
            return u
    return ""


# ------------------------------------------------------------------ direction
@pytest.mark.parametrize("text,surface,expected", [
    ("全县财政收入比上年增长6.2%。", "6.2%", "up"),
    ("工业用电量同比下降3.3%。", "3.3%", "down"),
    ("农村常住人口减少1.5万人。", "1.5万人", "down"),
    ("城镇化率提高2个百分点。", "2个百分点", "up"),
    ("出生率下降0.4个千分点。", "0.4个千分点", "down"),
    ("全年物价上涨1.2%。", "1.2%", "up"),
    ("出口负增长2%。", "2%", "down"),
    ("货运量增长了8%。", "8%", "up"),
    ("客流量增速达6%。", "6%", "up"),        # the rate of growth itself
    ("事故起数降幅为12%。", "12%", "down"),
    ("三项收入分别增长8%、9%和10%。", "9%", "up"),
    ("三项收入分别增长8%、9%和10%。", "10%", "up"),
    ("涨幅低于上年0.5个百分点。", "0.5个百分点", "down"),
    ("涨幅高于上年0.3个百分点。", "0.3个百分点", "up"),
    ("会员比上年新增300人。", "300人", "up"),
    ("较2021年末增加12所。", "12所", "up"),
])
def test_direction_of_a_change(text, surface, expected):
    s, e = span(text, surface)
    assert M.direction(text, s, e, unit_of(surface)) == expected


@pytest.mark.parametrize("text,surface", [
    ("登记失业率降至3.1%。", "3.1%"),                  # 降至: the level reached
    ("覆盖率提高到95%。", "95%"),
    ("养老床位增加到1200张。", "1200张"),
    ("新增城镇就业1.2万人。", "1.2万人"),              # a flow, not a change over a year
    ("比全省平均高于1.2个百分点的地区", "1.2个百分点"),  # compared with a region, not a time
    ("今年提升了12处活动场所。", "12处"),              # 提升 an object: a count, not a change
    ("人口自然增长率为2.9‰。", "2.9‰"),                # the level of a growth rate
    ("工业增加值120亿元。", "120亿元"),
    ("全市生产总值5.2万亿元。", "5.2万亿元"),
])
def test_no_direction(text, surface):
    s, e = span(text, surface)
    assert M.direction(text, s, e, unit_of(surface)) is None


def test_direction_from_and_to_are_levels():
    text = "城镇化率从59%提高到63%。"
    for surface in ("59%", "63%"):
        s, e = span(text, surface)
        assert M.direction(text, s, e, "%") is None


def test_direction_with_an_object_of_rates():
    text = "群众满意度提升3个百分点。"
    s, e = span(text, "3个百分点")
    assert M.direction(text, s, e, "个百分点") == "up"


def test_direction_in_traditional_characters():
    text = "地區生產總值增長9%，財政收入下降2%。"
    assert M.direction(text, *span(text, "9%"), "%") == "up"
    assert M.direction(text, *span(text, "2%"), "%") == "down"


# ------------------------------------------------------------------ status
@pytest.mark.parametrize("text,surface", [
    ("今年主要预期目标是：地区生产总值增长5%左右。", "5%"),
    ("全年生产总值预期增长6%。", "6%"),
    ("力争全年接待游客500万人次。", "500万人次"),
    ("确保粮食产量稳定在30万吨以上。", "30万吨"),
    ("新能源装机容量将达2吉瓦。", "2吉瓦"),
    ("计划投入资金300万元。", "300万元"),
    ("今年的目标为新建养老床位800张。", "800张"),
])
def test_target(text, surface):
    s, e = span(text, surface)
    assert M.status(text, s, e, 2026, 2026) == "target"


@pytest.mark.parametrize("text,surface", [
    ("将救助金8万元发放给困难家庭。", "8万元"),          # 将 the object marker
    ("计划生育协会走访慰问120户。", "120户"),            # family planning, not a plan
    ("经济运行好于预期，全年增长5.2%。", "5.2%"),
    ("全市稳就业、稳预期，生产总值增长5.3%。", "5.3%"),   # the market's expectations
    ("人均预期寿命达到80岁。", "80岁"),
    ("超额完成目标任务，实现收入12亿元。", "12亿元"),
    ("预计全年地区生产总值增长5.1%。", "5.1%"),          # an estimate of the year just ended
    ("积极争取救助资金60万元。", "60万元"),              # sought and obtained
    ("实施技能提升计划，培训学员900人。", "900人"),       # a programme's name
    ("地区生产总值增长5.4%。", "5.4%"),
])
def test_not_target(text, surface):
    s, e = span(text, surface)
    assert M.status(text, s, e, 2026, 2025) is None


def test_target_by_a_later_year():
    text = "到2030年，森林覆盖率达到90%。"
    s, e = span(text, "90%")
    assert M.status(text, s, e, 2026, None) == "target"
    assert M.status(text, s, e, 2031, None) is None  # a review written after 2030
    text = "覆盖率达到90%。"
    s, e = span(text, "90%")
    assert M.status(text, s, e, 2025, 2027) == "target"  # the figure's year is after the document's


def test_target_heading_line_and_list():
    text = "今后五年的重点目标\n地区生产总值突破3000亿元；\n财政总收入突破500亿元。\n"
    for surface in ("3000亿元", "500亿元"):
        s, e = span(text, surface)
        assert M.status(text, s, e, 2026, None) == "target"


def test_target_heading_covers_its_paragraph():
    text = "今年的主要预期目标是：地区生产总值增长6%。产业结构持续优化，服务业比重达到55%。\n去年服务业比重为52%。"
    assert M.status(text, *span(text, "55%"), 2026, 2026) == "target"
    assert M.status(text, *span(text, "52%"), 2026, 2025) is None


def test_target_for_a_plan_not_yet_over():
    text = "“十五五”时期，地区生产总值年均增长5%左右。"
    s, e = span(text, "5%")
    assert M.status(text, s, e, 2026, None) == "target"
    assert M.status(text, s, e, 2031, None) is None


# ------------------------------------------------------------------ period
@pytest.mark.parametrize("text,surface,doc_year,expected", [
    ("“十四五”期间，累计完成投资1200亿元。", "1200亿元", 2026, "2021/2025"),
    ("十三五时期，工业产值年均增长7%。", "7%", 2021, "2016/2020"),
    ("2021—2025年，累计新增就业50万人。", "50万人", 2026, "2021/2025"),
    ("2016-2020年全县年均增长6.5%。", "6.5%", 2021, "2016/2020"),
    ("五年来，累计建成公园80座。", "80座", 2026, "2021/2025"),
    ("过去五年，居民收入年均增长6%。", "6%", 2026, "2021/2025"),
    ("收入从2016年的100亿元增加到2020年的150亿元，年均增长10.7%。", "10.7%", 2021, "2016/2020"),
    ("与2020年相比，两年平均增长3%。", "3%", 2023, "2020/2022"),
])
def test_period(text, surface, doc_year, expected):
    s, e = span(text, surface)
    assert M.period(text, s, e, doc_year) == expected


@pytest.mark.parametrize("text,surface", [
    ("收入从2016年的100亿元增加到2020年的150亿元，年均增长10.7%。", "100亿元"),  # a level at one end
    ("收入从2016年的100亿元增加到2020年的150亿元，年均增长10.7%。", "150亿元"),
    ("2020年至2024年，人均可支配收入达到38000元。", "38000元"),                  # a level reached
    ("PM2.5年均浓度为30微克/立方米。", "30微克"),                                # 年均: an annual mean
    ("空气质量较“十三五”末改善16%。", "16%"),                                    # 十三五末: a base
    ("优良天数较2020年增加23天。", "23天"),                                       # a change since a base
    ("累计服务群众3000人次。", "3000人次"),                                       # no years fixed
])
def test_no_period(text, surface):
    s, e = span(text, surface)
    assert M.period(text, s, e, 2026) is None


# ------------------------------------------------------------------ measure
@pytest.mark.parametrize("text,surface,unit,expected", [
    ("服务业增加值占地区生产总值比重达到55%。", "55%", "%", "share"),
    ("城镇化率达到63%。", "63%", "%", "rate"),
    ("常住人口城镇化率63%。", "63%", "%", "rate"),
    ("全县生产总值增长5%。", "5%", "%", "change"),
    ("城镇化率提高1.2个百分点。", "1.2个百分点", "个百分点", "change"),
    ("全市生产总值5.2万亿元。", "5.2万亿元", "元", "level"),
])
def test_measure(text, surface, unit, expected):
    s, e = span(text, surface)
    assert M.measure(text, s, e, unit) == expected


# ------------------------------------------------------------------ indicator
@pytest.mark.parametrize("label,unit,expected", [
    ("地区生产总值", "元", "gdp"), ("全市生产总值", "元", "gdp"), ("GDP", "%", "gdp"), ("经济总量", "元", "gdp"),
    ("地區生產總值", "元", "gdp"),
    ("人均地区生产总值", "元", "gdp_per_capita"),
    ("第一产业增加值", "元", "value_added_primary"),
    ("城镇居民人均可支配收入", "元", "income_per_capita_urban"),
    ("农村居民人均可支配收入", "元", "income_per_capita_rural"),
    ("全体居民人均可支配收入", "元", "income_per_capita"),
    ("全社会固定资产投资", "%", "fixed_asset_investment"),
    ("社会消费品零售总额", "元", "retail_sales"),
    ("外贸进出口总额", "元", "trade_total"), ("出口总额", "元", "exports"), ("进口", "元", "imports"),
    ("地方一般公共预算收入", "元", "budget_revenue"),
    ("城镇新增就业", "人", "new_urban_jobs"),
    ("城镇调查失业率", "%", "unemployment_surveyed"),
    ("居民消费价格", "%", "cpi"),
    ("研发经费支出占地区生产总值比重", "%", None),  # a share of GDP is not GDP
    ("开展女性免费健康体检", "人", "health_checks"),
    ("走访慰问计生特殊家庭", "户", "special_family_visits"),
    ("两癌救助资金", "元", "aid_funds"),
    ("代缴保险保费", "元", "insurance_premium"),
    ("志愿服务时长", "小时", "volunteers"),
    ("种植面积", "亩", None),
    (None, "元", None),
])
def test_indicator(label, unit, expected):
    assert M.indicator(label, unit) == expected


def test_every_indicator_has_its_statistics_name_and_reads_its_own_names():
    table = rules.load("indicators")["indicators"]
    for ident, spec in table.items():
        assert spec["name"] and M.compiled().indicator_name(ident) == spec["name"]
        assert M.indicator(spec["name"]) == ident, spec["name"]
