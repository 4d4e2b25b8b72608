"""Figures: rates the clause implies and number forms of real report text (own example sentences, one
cue each; see patterns/figures.toml [rate], [decimal_typo] and [exclude])."""
from zhmine.figures import find_figures


def one(text):
    found = find_figures(text)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ rates
def test_an_age_has_no_rate_even_after_renjun():
    assert one("全县人均预期寿命达到81.2岁。")["per"] is None
    assert one("全县人均月收入达到3200元。")["per"] == "人"


def test_a_restatement_in_parentheses_has_the_rate_of_the_figure_before():
    found = find_figures("全市人均生产总值9.8万元（折合1.4万美元）。")
    assert [f["per"] for f in found] == ["人", "人"]
    found = find_figures("全市人均生产总值9.8万元（其中工资3.1万元）。")
    assert [f["per"] for f in found] == ["人", None]


def test_one_amount_after_fenbie_is_per_item_of_the_count_before():
    found = find_figures("全镇12家企业分别捐款1万元。")
    assert [(f["value"], f["per"]) for f in found] == [(12, None), (10000, "家")]


def test_several_amounts_after_fenbie_are_no_rate():
    found = find_figures("两家企业分别捐款1万元和2万元。")
    assert [f["per"] for f in found] == [None, None, None]


def test_fenbie_in_another_clause_gives_no_rate():
    found = find_figures("共有5家企业参加，分别捐款1万元。")
    assert [f["per"] for f in found] == [None, None]


def test_an_individual_contribution_is_per_person():
    assert one("城乡居民医保个人缴费标准为380元。")["per"] == "人"


def test_a_month_word_opening_the_clause_is_per_month():
    assert one("全镇低保对象，月发放补贴款52万元。")["per"] == "月"
    assert one("日前，全县发放补贴款52万元。")["per"] is None


# ------------------------------------------------------------------ number forms
def test_a_full_stop_typed_for_the_decimal_point_before_a_magnitude():
    f = one("全市参保人数达321。45万人，")
    assert (f["value"], f["unit"], f["start"], f["end"]) == (3214500, "人", 7, 15)


def test_a_full_stop_between_a_number_and_a_count_without_magnitude_ends_a_sentence():
    assert [(f["value"], f["unit"]) for f in find_figures("考核得分为95。20名学员顺利结业。")] == [(20, "名")]


def test_a_minus_before_a_listed_percentage_is_kept():
    found = find_figures("三次产业对增长的贡献分别为12.5、-3.2、90.7个百分点。")
    assert [f["value"] for f in found] == [12.5, -3.2, 90.7]


def test_the_sampling_rate_in_a_survey_name_is_no_figure():
    found = find_figures("根据全国1%人口抽样调查推算，全县常住人口为35.2万人。")
    assert [(f["value"], f["unit"]) for f in found] == [(352000, "人")]
    assert [f["value"] for f in find_figures("抽样比例为1%。")] == [1]


def test_a_length_in_characters_is_a_count_but_a_chinese_numeral_before_zi_is_a_name():
    assert [(f["value"], f["unit"]) for f in find_figures("全文共1200字。")] == [(1200, "字")]
    assert find_figures("市红十字会坚持八字方针。") == []
