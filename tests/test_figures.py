import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhmine.figures import find_figures


def figs(text, dates=()):
    return [(f["value"], f["unit"]) for f in find_figures(text, dates)]


def one(text):
    found = find_figures(text)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ values and units
@pytest.mark.parametrize("text,value,unit,kind", [
    ("全县共发放救助金37.5万元。", 375000, "元", "money"),
    ("省财政安排专项资金2.0318亿元用于试点。", 203180000, "元", "money"),
    ("为12.6万户农户办理保险。", 126000, "户", "count"),
    ("累计服务 1 5 0 8 人次。".replace(" ", ""), 1508, "人次", "count"),
    ("走访困难家庭386户（次）。", 386, "户次", "count"),
    ("举办讲座42场次。", 42, "场次", "count"),
    ("参保率达到97.35%。", 97.35, "%", "percent"),
    ("比上年提高1.8个百分点。", 1.8, "个百分点", "percent"),
    ("贫困发生率下降到百分之三。", 3, "%", "percent"),
    ("收购茶青4500斤。", 4500, "斤", "weight"),
    ("护理期最长180天。", 180, "天", "duration"),
    ("年满65周岁的老人。", 65, "周岁", "age"),
    ("捐赠120万美元。", 1200000, "美元", "money"),
    ("购入设备花费3.2万欧元。", 32000, "欧元", "money"),
    ("合计８２，２２５．５０元。", 82225.5, "元", "money"),
    ("献血量是上年的2.5倍。", 2.5, "倍", "other"),
    ("办理群众来访320件次。", 320, "件次", "count"),
])
def test_value_unit_kind(text, value, unit, kind):
    f = one(text)
    assert (f["value"], f["unit"], f["kind"]) == (value, unit, kind)


@pytest.mark.parametrize("text,value,unit,approx", [
    ("开展义诊三十多场。", 30, "场", "more_than"),
    ("惠及两万多名妇女。", 20000, "名", "more_than"),
    ("发放宣传册5千余册。", 5000, "册", "more_than"),
    ("服务群众12.9 万多人次。", 129000, "人次", "more_than"),
    ("培训约1200人。", 1200, "人", "about"),
    ("资金近80万元。", 800000, "元", "less_than"),
    ("覆盖70%以上的村。", 70, "%", "more_than"),
    ("投入超过300万元。", 3000000, "元", "more_than"),
    ("不少于20名志愿者。", 20, "名", "at_least"),
    ("参加人数在500人左右。", 500, "人", "about"),
])
def test_numbers_and_approximation(text, value, unit, approx):
    f = one(text)
    assert (f["value"], f["unit"], f["approx"]) == (value, unit, approx)


def test_units_spelled_with_a_magnitude_word():
    assert figs("新建绿道12千米。") == [(12, "公里")]
    assert figs("装机容量达350万千瓦。") == [(3500000, "千瓦")]
    assert figs("收购香菇三斤半。") == [(3.5, "斤")]


def test_round_numbers_count_only_when_hedged():
    assert [(f["value"], f["unit"], f["approx"]) for f in find_figures("吸引近千名群众，服务上万人次。")] == [
        (1000, "名", "less_than"), (10000, "人次", "more_than")]
    assert figs("启动百千万工程，为百户家庭送温暖。") == []
    assert [(f["value"], f["approx"]) for f in find_figures("募集善款逾千万元，千万不能松懈。")] == [
        (10000000, "more_than")]


def test_chinese_money_and_subunits():
    assert figs("每盒售价十二元五角。") == [(12.5, "元")]
    assert figs("合同金额叁仟伍佰万圆整。") == [(35000000, "元")]
    assert figs("他付了三块钱。") == [(3, "元")]


def test_informal_thousands_only_for_pay_and_prices():
    assert figs("期望月薪8k。") == [(8000, "元")]
    assert figs("预算在30w上下。") == [(300000, "元")]
    assert figs("推广4K超高清频道。") == []


def test_issue_examples():
    assert [(f["value"], f["unit"], f["approx"]) for f in find_figures("补贴5千余元，服务12.9 万多人次。")] == [
        (5000, "元", "more_than"), (129000, "人次", "more_than")]
    f = one("每组3~5人。")
    assert (f["value"], f["value_max"], f["unit"]) == (3, 5, "人")


def test_currency_written_around_the_number():
    assert figs("捐款港币三千元。") == [(3000, "港元")]
    assert figs("投资新台币 5 亿元。") == [(500000000, "新台币")]


# ------------------------------------------------------------------ ranges and rates
def test_ranges():
    f = one("每人补助3000—20000元。")
    assert (f["value"], f["value_max"], f["unit"], f["per"]) == (3000, 20000, "元", "人")
    f = one("面向35周岁至50周岁的妇女。")
    assert (f["value"], f["value_max"], f["unit"]) == (35, 50, "周岁")
    f = one("每场安排5~8万元。")
    assert (f["value"], f["value_max"]) == (50000, 80000)


def test_rates():
    assert one("每户补助4000元。")["per"] == "户"
    assert one("陪护补贴180元/天。")["per"] == "天"
    assert one("贷款贴息2万元/户。")["per"] == "户"
    assert one("保费每人每年260元。")["per"] == "人"


def test_rate_and_ceiling_carry_over_a_list():
    found = find_figures("护理补贴由每天 100 元、120 元，分别提高到每天 160 元、180 元。")
    assert [(f["value"], f["per"]) for f in found] == [(100, "天"), (120, "天"), (160, "天"), (180, "天")]
    found = find_figures("每户最高奖励从 3000 元提高到 6000 元。")
    assert [(f["value"], f["per"], f["approx"]) for f in found] == [(3000, "户", "at_most"), (6000, "户", "at_most")]


def test_averages_and_other_denominators():
    assert one("参训妇女人均月增收约800元。")["per"] == "人"
    assert one("食堂日均接待老人约360人次。")["per"] == "天"
    assert one("户均获得救助金两千余元。")["per"] == "户"
    assert one("每个网格配备2~4名网格员。")["per"] == "网格"
    assert one("每餐补贴4元。")["per"] == "餐"
    assert one("每个农村社区至少建成3个服务点。")["per"] == "社区"
    assert [f["per"] for f in find_figures("人均可支配收入4.2万元、增长5.1%。")] == ["人", None]
    assert one("“爱心一日捐”共募集善款逾百万元。")["per"] is None


def test_one_day_as_a_rate():
    assert one("她一天走访30多户家庭。")["per"] == "天"
    assert one("用一年时间帮扶300户。")["per"] is None
    assert one("一年来共帮扶300户。")["per"] is None


def test_rate_across_a_page_break():
    assert one("签约结对帮扶，每户\n\n3000元，分两年发放。")["per"] == "户"


def test_range_end_that_is_a_date_or_another_unit_is_no_range():
    assert figs("累计投入12万元至2023年底。", dates=[(9, 14)]) == [(120000, "元")]
    assert figs("投入5万元到10个村。") == [(50000, "元"), (10, "个")]


def test_approximation_inside_the_unit():
    f = one("项目历时7个多月。")
    assert (f["value"], f["unit"], f["approx"]) == (7, "个月", "more_than")


def test_traditional_characters():
    found = find_figures("全縣投入資金36.5萬元，慰問困難家庭218戶，參與約1500人次，每戶補助2000元。")
    assert [(f["value"], f["unit"], f["approx"], f["per"]) for f in found] == [
        (365000, "元", None, None), (218, "户", None, None), (1500, "人次", "about", None), (2000, "元", None, "户")]
    assert figs("比上年提高0.6個百分點。") == [(0.6, "个百分点")]


# ------------------------------------------------------------------ never figures
@pytest.mark.parametrize("text", [
    "2023年3月5日召开会议。",
    "开展第六轮督查。",
    "咨询电话0591-87654321。",
    "举办“6·26国际禁毒日”宣传。",
    "建立“3+X”服务模式。",
    "录制《育儿100讲》节目。",
    "落实“四项重点任务”。",
    "统筹推进一些工作，千万不能松懈。",
    "坚持一线工作法，落实三孩生育政策。",
    "谋划十四五规划，上午9:30开始。",
    "过去五年，我们做好八项工作。",
    "在三元区设立服务站，破解城乡二元结构。",
    "身份证号码350702199001011234的申请人。",
    "带动线耗1111122222333334444%提升。",
])
def test_not_figures(text):
    assert find_figures(text) == []


def test_the_base_of_a_ratio_is_not_a_figure():
    assert figs("每10万人拥有执业医师32名。") == [(32, "名")]


def test_numbers_inside_date_spans_are_skipped():
    text = "3年来共投入5万元。"
    assert figs(text) == [(50000, "元")]
    assert figs("截至12日共投入5万元。", dates=[(2, 5)]) == [(50000, "元")]


def test_yen_is_not_a_day():
    assert figs("兑换10日元。", dates=[(2, 5)]) == [(10, "日元")]


def test_list_items_share_the_unit_written_last():
    assert figs("两地客流分别达826万、715万人次。") == [(8260000, "人次"), (7150000, "人次")]
    assert figs("奖补标准分别为2、3万元。") == [(20000, "元"), (30000, "元")]
    assert figs("2021、2022年连续获评。") == []
    assert figs("荣获第1、2名。") == []


def test_ceiling_words_only_before_a_verb():
    assert one("每人最高奖励5000元。")["approx"] == "at_most"
    assert one("单日最高客流量达3.5万人次。")["approx"] is None


def test_spaces_kept_by_the_cleaner_are_cell_boundaries():
    assert figs("共帮扶 35 户家庭。") == [(35, "户")]  # raw text: letter-spaced running text
    assert find_figures("本年收入合计 307.82 本年支出合计 307.82", cleaned=True) == []
    assert figs("202 08 05 支出") == []


def test_one_figure_per_number():
    found = find_figures("全省共代理维权案件2257件，调解纠纷1.09万宗，协调权益维护6030件。")
    assert [(f["value"], f["unit"]) for f in found] == [(2257, "件"), (10900, "宗"), (6030, "件")]


# ------------------------------------------------------------------ the spaCy component
def test_component_writes_span_attributes(nlp):
    doc = nlp("2022年，全市发放慰问金近86.5万元，每户最高3000元。")
    spans = doc.spans["figures"]
    assert [s._.value for s in spans] == [865000, 3000]
    assert spans[0]._.approx == "less_than" and spans[0]._.unit == "元" and spans[0]._.kind == "money"
    assert spans[1]._.per == "户" and spans[1]._.approx == "at_most"
    assert all(s._.optional is False for s in spans)
    assert not any(s.start_char < 5 for s in spans)  # 2022年 is a date


def test_ages_and_policy_terms_are_optional():
    found = find_figures("为49周岁以上的母亲每人每年最高给付180天护理补贴1200元。")
    assert [(f["unit"], f["optional"]) for f in found] == [("周岁", True), ("天", True), ("元", False)]


# ------------------------------------------------------------------ properties
@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["元", "户", "人次", "名", "%"]))
def test_generated_figures_are_found(n, unit):
    assert figs(f"共完成{n:,}{unit}。") == [(n, unit)]


@given(st.integers(min_value=1, max_value=99999), st.integers(min_value=0, max_value=99))
def test_magnitude_multiplies(whole, frac):
    found = figs(f"投入资金{whole}.{frac:02d}万元")
    assert len(found) == 1 and abs(found[0][0] - (whole * 100 + frac) * 100) < 1e-6


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,，、%万亿千百十一二两三〇零元户人次多余约近每/~—至第年月日“”《》·+ \n")), max_size=40))
def test_no_input_makes_the_extractor_raise(text):
    for f in find_figures(text):
        assert 0 <= f["start"] < f["end"] <= len(text)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=60))
def test_no_input_makes_the_component_raise(nlp, text):
    nlp(text)


# ------------------------------------------------------------------ against the shared gold
def test_gold_figures(shared):
    """Figures F1 on ../shared/gold, paired by (value, unit) like eval/score.py."""
    from zhmine import pipeline
    from zhmine.clean import clean

    nlp = pipeline.load(("zh_sentences", "zh_dates", "zh_figures"))
    tp = fp = fn = 0
    for gold_file in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        text = clean((shared / "corpus" / gold["doc"]).read_text(encoding="utf-8")).text
        doc = nlp(text)
        pred = [(s._.value, s._.unit) for s in doc.spans["figures"]]
        pool = list(gold["figures"])
        for v, u in pred:
            hit = next((g for g in pool if g["unit"] == u and abs(g["value"] - v) < 1e-6), None)
            if hit is None:
                fp += 1
            else:
                pool.remove(hit)
                tp += not hit["optional"]
        fn += sum(not g["optional"] for g in pool)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.98, (tp, fp, fn)


def test_alt_trie_matches_like_a_longest_first_alternation():
    import regex

    from zhmine.text.regextools import alt

    words = ["人", "人次", "人（次）", "万元", "万", "元", "a.b", "#"]
    trie = regex.compile(f"(?:{alt(words)})(?=x)|(?:{alt(words)})", regex.X)
    flat = regex.compile("(?:{0})(?=x)|(?:{0})".format("|".join(
        regex.escape(w) for w in sorted(words, key=len, reverse=True))), regex.X)
    for text in ["人次x", "人（次", "人（次）", "万元x", "万x元", "a.b", "axb", "#x", "人"]:
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)], text


# ------------------------------------------------------------------ the exclusions' fast search
def test_first_chars_hold_every_first_character():
    from zhmine.text.regextools import first_chars

    assert first_chars(r"(?:第|每\s*)?[3-5]+") == r"[第每3-5]"
    # the lookbehind reads no character; \s* may be empty
    assert {c for c in " \n\u30000٣𝟘a每" if re.match(first_chars(r"(?<=每)\s*\d"), c)} == set(" \n\u30000٣𝟘")
    assert first_chars(r"a?") is None  # may match empty
    for unknown in (r"[^a]b", r".b", r"\p{Han}", r"[[:digit:]]", r"(?i)a", r"\w"):
        assert first_chars(unknown) is None


def test_standard_patterns_match_as_the_regex_module_does_below_the_astral_planes():
    import regex

    from zhmine.text.regextools import standard

    pattern = r"(?<![\d.])\d{1,2}\s*[日号\]]|[^\s\d]+|[]x]"
    fast = standard(pattern)
    assert isinstance(fast, re.Pattern)
    # the standard module's \d and \s differ from regex's: ٣ and ૩ are digits to both, \x1c a space only to re
    for text in ["12日", "1.5日", "٣ 号", "3\x1c日", "3\u3000]", "]x", "a\x1cb", "૩૩号"]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in regex.finditer(pattern, text)], text
    for unsure in (r"\w+", r"a\b", r"\p{Han}", r"(a)\1", "[[:digit:]]", "a\\"):
        assert standard(unsure) is None


def test_exclusions_searched_only_where_a_branch_can_start_find_what_the_alternation_finds():
    from pathlib import Path

    from zhmine import attribution, clean, ingest
    from zhmine.figures import compiled
    from zhmine.text.regextools import Alternation

    ex = compiled().exclude
    assert ex.starts is not None  # every exclusion pattern has its first characters worked out
    assert all(isinstance(p, re.Pattern) for p in ex.by_branches.values())  # and is read by the standard re
    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "tests" / "heldout" / "docs").glob("*")) + sorted((root / "corpus").glob("*.txt"))
    texts = [attribution.simplified_doc(clean.clean(ingest.read(p).text).text) for p in paths]
    texts.append("每10万人拥有3个，居全国前10位，5·29会员活动日，1+X，2021—2025年，8:30，〔2023〕5号，一方面，二〇二二年")
    texts.append("𠮷每10万人，前10位，8:30")  # a character above the BMP: the plain search
    hits = 0
    for text in texts:
        fast = [m.span() for m in ex.finditer(text)]
        assert fast == [m.span() for m in ex.pattern.finditer(text)]
        hits += len(fast)
    assert hits > 50  # the texts do exercise the exclusions
    # a branch the parser cannot read turns the filter off; a backreference by number too
    assert Alternation([r"\p{Han}+", "a"]).starts is None
    assert Alternation([r"(a)\1", "b"]).starts is None
    assert [m.span() for m in Alternation([r"\p{Han}+", "a"]).finditer("xa中文")] == [(1, 2), (2, 4)]
