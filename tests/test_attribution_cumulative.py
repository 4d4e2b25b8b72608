"""Running totals and standing stocks per the GUIDELINES rulings (own example sentences, one cue each):
a cue covers its clause and the following clauses of the same subject; a new time, a target or a
rate of change is not cumulative; a breakdown takes its total's flag."""
from test_attribute import fig, run

REGION = "福建省/三明市"


def flags(doc, *surfaces):
    return [bool(fig(doc, s)._.cumulative) for s in surfaces]


def test_years_since_is_a_cue_but_the_year_under_review_is_not(nlp):
    assert flags(run(nlp, "近年来，市计生协会共帮扶困难家庭1380户。", region=REGION), "1380户") == [True]
    assert flags(run(nlp, "十年来，协会共资助学生260名。", region=REGION), "260名") == [True]
    assert flags(run(nlp, "一年来，全市新建服务站12个。", region=REGION, doc_date="2026-01-20"), "12个") == [False]


def test_this_year_after_an_as_of_date_is_the_span_of_the_total(nlp):
    text = "截至7月31日，县慈善总会今年已收到善款384万元，其中单位捐款24万元。"
    assert flags(run(nlp, text, region=REGION, doc_date="2024-08-05"), "384万元", "24万元") == [True, True]


def test_a_date_word_inside_a_short_quoted_name_is_no_new_period(nlp):
    text = "截至目前，县慈善总会已收到“慈善一日捐”善款384万元。"
    assert flags(run(nlp, text, region=REGION, doc_date="2024-08-05"), "384万元") == [True]


def test_a_length_of_time_does_not_end_the_stretch(nlp):
    text = "多年来，协会连续多年被评为先进单位，帮扶困难家庭200户。"
    assert flags(run(nlp, text, region=REGION), "200户") == [True]


def test_the_cue_reaches_clauses_after_a_semicolon_that_go_on_with_a_verb(nlp):
    text = "截止到2011年底，已累计募集善款9600万元；帮助165名残疾人安装假肢；今年资助大学生30名。"
    doc = run(nlp, text, region=REGION, doc_date="2012-01-05")
    assert flags(doc, "9600万元", "165名", "30名") == [True, True, False]


def test_a_target_is_never_cumulative(nlp):
    text = "目前已建成服务点8个，力争每个点志愿者不少于10人。"
    assert flags(run(nlp, text, region=REGION), "8个", "10人") == [True, False]


def test_a_breakdown_takes_its_totals_flag(nlp):
    text = "截至目前，募集款物价值3.2亿元（含疫情期间募集款物2.47亿元）。"
    assert flags(run(nlp, text, region=REGION), "3.2亿元", "2.47亿元") == [True, True]
    text = "目前，全区共有医疗机构787间，其中社区卫生服务中心21间。"
    assert flags(run(nlp, text, region=REGION), "787间", "21间") == [True, True]


def test_percentages_are_levels_or_changes_not_running_totals(nlp):
    assert flags(run(nlp, "全年居民消费价格累计上涨2.8%。", region=REGION), "2.8%") == [False]
    assert flags(run(nlp, "五年来，群众满意度保持在99%以上。", region=REGION), "99%以上") == [False]
    # the ratio of two running totals keeps their flag (累计赔付…，赔付率…)
    assert flags(run(nlp, "累计赔付277万元，赔付率209%。", region=REGION), "277万元", "209%") == [True, True]


def test_a_record_in_years_is_not_a_running_total(nlp):
    text = "太湖水质30年来首次达到良好，建成幸福河湖4762个。"
    assert flags(run(nlp, text, region=REGION), "4762个") == [False]
