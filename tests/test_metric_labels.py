"""Metric labels: the cues of report language that name what a figure measures (own example sentences,
one cue each; see patterns/attribution.toml [metric])."""
import pytest

from test_attribute import fig, run


def label(nlp, text, surface):
    return fig(run(nlp, text), surface)._.metric or ""


# ------------------------------------------------------------------ the measure before, reused
def test_a_change_against_a_dated_base_measures_what_the_figure_before_did(nlp):
    assert "幼儿园" in label(nlp, "全县共有幼儿园95所，比2020年末增加7所。", "7所")


def test_xinzeng_against_last_year_is_a_change(nlp):
    assert "常住人口" in label(nlp, "年末常住人口41.2万人，比上年新增3200人。", "3200人")


def test_a_rise_on_the_basis_of_an_amount_is_a_change_of_it(nlp):
    assert "补助标准" in label(nlp, "将每户补助标准在500元的基础上提高60元。", "60元")


def test_a_share_of_a_whole_measures_the_figure_before(nlp):
    assert "农村人口" in label(nlp, "其中农村人口26.1万人，占总人口的63.4%。", "63.4%")


def test_zhandi_is_no_share(nlp):
    assert "产业园" not in label(nlp, "建成产业园2个，占地面积300亩。", "300亩")


def test_a_restatement_in_other_units_measures_the_figure_before(nlp):
    assert "人均生产总值" in label(nlp, "全市人均生产总值9.8万元（折合1.4万美元）。", "1.4万美元")


# ------------------------------------------------------------------ the words before
def test_qita_stays_at_the_head_of_a_label(nlp):
    assert label(nlp, "其他行业增加值5.6亿元。", "5.6亿元").startswith("其他")


def test_a_two_character_adverb_before_a_noun_is_a_modifier(nlp):
    assert "自然增长率" in label(nlp, "人口自然增长率为3.2‰。", "3.2‰")


def test_a_noun_jieba_tags_as_a_numeral_is_still_a_noun(nlp):
    assert "大米" in label(nlp, "发放面粉300袋、大米200袋。", "200袋")


# ------------------------------------------------------------------ the words after
def test_a_percentage_before_de_is_a_share_of_the_noun_after(nlp):
    assert "农户" in label(nlp, "该村65%的农户种植茶叶。", "65%")


def test_after_a_measure_noun_the_noun_after_de_is_what_is_measured(nlp):
    assert "养老服务中心" in label(nlp, "建成一个建筑面积800平方米的养老服务中心。", "800平方米")
    assert "养老服务中心" not in label(nlp, "建成一个养老服务中心，面积800平方米。", "800平方米")


def test_an_amount_takes_the_noun_right_after_it(nlp):
    assert "救灾资金" in label(nlp, "下拨25万元救灾资金。", "25万元")


def test_an_amount_takes_the_object_of_its_purpose(nlp):
    assert "助老服务" in label(nlp, "慈善会拿出15万元开展助老服务。", "15万元")


def test_a_pivot_verb_takes_the_verb_phrase_after_the_count(nlp):
    assert "健身活动" in label(nlp, "带动1.5万人参加健身活动。", "1.5万人")
    assert "健身活动" not in label(nlp, "培训1.5万人，参加健身活动。", "1.5万人")


def test_a_count_before_a_relative_clause_takes_its_head_noun(nlp):
    assert "低保家庭" in label(nlp, "今年走访了280户因病致贫的低保家庭。", "280户")
    assert "子女" in label(nlp, "受助学生中有45名为残疾人家庭的子女。", "45名")


def test_a_unit_given_again_in_parentheses_is_skipped(nlp):
    assert "受益" in label(nlp, "全年近3500人（户）受益。", "3500人")


def test_a_figure_alone_in_parentheses_measures_the_noun_before(nlp):
    assert "目标值" in label(nlp, "完成了年度计划的目标值（85%）。", "85%")


def test_a_clause_without_subject_takes_the_subject_opening_the_sentence(nlp):
    assert "森林覆盖率" in label(nlp, "全市森林覆盖率稳步提升，2023年达62.5%。", "62.5%")


@pytest.mark.parametrize("text,surface,words", [
    ("走访了15家规模以上企业。", "15家", "规模以上企业"),        # a qualifier inside the noun phrase
    ("新建了12个核酸采样点。", "12个", "采样点"),                 # a verb and a suffix make a noun
    ("覆盖全省14个市（州）。", "14个", "市（州）"),               # the levels in parentheses
    ("会同5部门印发通知。", "5部门", "部门"),                     # a unit that is a noun itself
])
def test_the_noun_phrase_after_a_count(nlp, text, surface, words):
    assert words in label(nlp, text, surface)
