"""Metric labels: the cues of report language that name what a figure measures (own example sentences,
one cue each; see patterns/attribution.toml [metric])."""
import pytest

from test_attribute import fig, run


def label(nlp, text, surface):
    return fig(run(nlp, text), surface)._.metric or ""


# (cue, sentence, figure, words its label holds)
CUES = [
    # the measure of the figure before, reused
    ("change against a dated base", "全县共有幼儿园95所，比2020年末增加7所。", "7所", "幼儿园"),
    ("xinzeng against last year", "年末常住人口41.2万人，比上年新增3200人。", "3200人", "常住人口"),
    ("a rise on the basis of an amount", "将每户补助标准在500元的基础上提高60元。", "60元", "补助标准"),
    ("a share of a whole", "其中农村人口26.1万人，占总人口的63.4%。", "63.4%", "农村人口"),
    ("a restatement in other units", "全市人均生产总值9.8万元（折合1.4万美元）。", "1.4万美元", "人均生产总值"),
    # the words before
    ("qita stays at the head", "其他行业增加值5.6亿元。", "5.6亿元", "其他行业"),
    ("an adverb-tagged modifier before a noun", "人口自然增长率为3.2‰。", "3.2‰", "自然增长率"),
    ("a noun jieba tags as a numeral", "发放面粉300袋、大米200袋。", "200袋", "大米"),
    # the words after
    ("a percentage before de", "该村65%的农户种植茶叶。", "65%", "农户"),
    ("a measure noun before de", "建成一个建筑面积800平方米的养老服务中心。", "800平方米", "养老服务中心"),
    ("a measure noun before de, a verbal noun after", "达成价值500万元的销售协议。", "500万元", "销售协议"),
    ("the noun right after an amount", "下拨25万元救灾资金。", "25万元", "救灾资金"),
    ("the object of an amount's purpose", "慈善会拿出15万元开展助老服务。", "15万元", "助老服务"),
    ("a pivot verb before a count", "带动1.5万人参加健身活动。", "1.5万人", "健身活动"),
    ("the head of a relative clause", "今年走访了280户因病致贫的低保家庭。", "280户", "低保家庭"),
    ("the head after wei", "受助学生中有45名为残疾人家庭的子女。", "45名", "子女"),
    ("a unit given again in parentheses", "全年近3500人（户）受益。", "3500人", "受益"),
    ("a figure alone in parentheses", "完成了年度计划的目标值（85%）。", "85%", "目标值"),
    ("the subject opening the sentence", "全市森林覆盖率稳步提升，2023年达62.5%。", "62.5%", "森林覆盖率"),
    ("a time opening the sentence is skipped", "2023年，全市森林覆盖率稳步提升，年底达62.5%。", "62.5%", "森林覆盖率"),
    ("a place opening the sentence is skipped", "城南区森林覆盖率稳步提升，2023年达62.5%。", "62.5%", "森林覆盖率"),
    # the noun phrase after a count
    ("a qualifier inside the noun phrase", "走访了15家规模以上企业。", "15家", "规模以上企业"),
    ("a verb and a suffix make a noun", "新建了12个核酸采样点。", "12个", "采样点"),
    ("the levels in parentheses", "覆盖全省14个市（州）。", "14个", "市（州）"),
    ("a verb inside the subject of a change", "6项城乡居民保障标准提高10%。", "6项", "保障标准"),
    ("a unit that is a noun itself", "会同5部门印发通知。", "5部门", "部门"),
    ("a verb opening the noun after a count of things", "组织了5次集中宣传活动。", "5次", "集中宣传活动"),
]


@pytest.mark.parametrize("text,surface,words", [c[1:] for c in CUES], ids=[c[0] for c in CUES])
def test_a_cue_of_report_language_names_the_measure(nlp, text, surface, words):
    assert words in label(nlp, text, surface)


# (cue, sentence, figure, words its label does not hold: the cue is absent)
NOT_CUES = [
    ("zhandi is no share", "建成产业园2个，占地面积300亩。", "300亩", "产业园"),
    ("no de after the measure noun", "建成一个养老服务中心，面积800平方米。", "800平方米", "养老服务中心"),
    ("a clause after the count is no pivot", "培训1.5万人，参加健身活动。", "1.5万人", "健身活动"),
    ("shouci is no noun", "地方财政收入首次突破900亿元。", "900亿元", "首次"),
    ("a person opening the sentence is no subject", "县长作报告，全文只有900字。", "900字", "县长"),
    ("an idiom opening the sentence is no subject", "循序渐进推进改造，2023年达85%。", "85%", "循序渐进"),
    ("a one-character verb before its preposition ends the noun", "80%的企业降至低风险等级。", "80%", "降"),
    ("a noun after an amount that is no money", "全市有3个生产总值超500亿元县区。", "500亿元", "县区"),
    ("a verb after the noun is the predicate", "全年有120名妇女参加培训。", "120名", "参加"),
]


@pytest.mark.parametrize("text,surface,words", [c[1:] for c in NOT_CUES], ids=[c[0] for c in NOT_CUES])
def test_without_the_cue_the_label_stays_as_it_was(nlp, text, surface, words):
    assert words not in label(nlp, text, surface)
