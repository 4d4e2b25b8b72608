"""Region per figure and the document's own area, on sentences we write (one cue each), with how
each region was decided (span._.region_source)."""
import pytest

from zhmine.places import infer_region

from test_attribute import fig, run


def region(doc, surface):
    sp = fig(doc, surface)
    return sp._.region, sp._.region_source


def test_source_of_a_place_in_the_sentence_and_of_the_document_area(nlp):
    doc = run(nlp, "永安市发放慰问金12万元。\n今年共走访困难家庭320户。", region="福建省/三明市")
    assert region(doc, "12万元") == ("福建省/三明市/永安市", "sentence")
    assert region(doc, "320户") == ("福建省/三明市", "document")


def test_metadata_region_is_named_as_such(nlp):
    doc = nlp.make_doc("今年共发放助学金15万元。")
    doc._.default_region, doc._.region_source = "福建省/南平市", "metadata"
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert region(doc, "15万元") == ("福建省/南平市", "metadata")


def test_a_city_named_earlier_does_not_take_a_province_wide_sentence(nlp):
    text = "福州市举办了技能大赛，参赛选手来自各行各业。全省直接融资7990亿元。"
    doc = run(nlp, text, region="福建省")
    assert region(doc, "7990亿元") == ("福建省", "sentence")
    # 资本市场 is no 本市 (this city)
    doc = run(nlp, "厦门市召开推进会。\n完善资本市场培育体系，17家企业上市融资。", region="福建省")
    assert region(doc, "17家") == ("福建省", "document")


def test_a_place_heading_its_paragraph_carries_over(nlp):
    doc = run(nlp, "永安市持续推进关爱行动。发放慰问金12万元。", region="福建省/三明市")
    assert region(doc, "12万元") == ("福建省/三明市/永安市", "carried")


def test_a_place_inside_the_paragraph_carries_only_through_an_anaphor(nlp):
    text = "今年的活动由市妇联牵头，永安市积极配合。该市发放慰问金12万元。另外全年新增服务站5个。"
    doc = run(nlp, text, region="福建省/三明市")
    assert region(doc, "12万元")[0] == "福建省/三明市/永安市"
    assert region(doc, "5个")[0] == "福建省/三明市"


def test_benchmark_scope_is_not_the_subject(nlp):
    text = "地区生产总值增长9.7%，高于全省2.2个百分点。其中第一产业增加值249.4亿元。"
    doc = run(nlp, text, region="安徽省/滁州市")
    assert region(doc, "2.2个百分点")[0] == "安徽省/滁州市"
    assert region(doc, "249.4亿元")[0] == "安徽省/滁州市"


@pytest.mark.parametrize("text, area, surface", [
    # recipients, the whole list after 向
    ("除了向汶川、玉树灾区捐款2700万元外，还资助学生600名。", "山东省/济南市/章丘区", "2700万元"),
    # an excluded place
    ("我省各市县妇联（不含三沙市）共争取资金165万元。", "海南省", "165万元"),
    # a venue is not the organiser
    ("慈善晚会在煤炭坝镇文化广场举行，当天为8户家庭送去慰问金。", "湖南省/长沙市/宁乡市", "8户"),
    # a giver from outside
    ("上海华侨基金会资助我县贫困学生15名。", "河南省/周口市/商水县", "15名"),
])
def test_places_that_do_not_take_the_figure(nlp, text, area, surface):
    assert region(run(nlp, text, region=area), surface)[0] == area


def test_listed_places_go_to_their_lowest_common_area(nlp):
    doc = run(nlp, "东湖区、西湖区和青山湖区共救助困难家庭12户。", region="江西省")
    assert region(doc, "12户") == ("江西省/南昌市", "sentence")


@pytest.mark.parametrize("text, area", [
    # the issuer's level with the places' common readings (no county named: the towns' county)
    ("日前，记者从县慈善总会了解到，全县各单位踊跃捐款。南雁镇捐款5万元，万全镇捐款3万元。\n", "浙江省/温州市/平阳县"),
    # a place inside a medium's name is the publisher
    ("【香港商报网讯】2月19日，绵阳市涪城区召开大会。全区经济发展稳中有进。\n", "四川省/绵阳市/涪城区"),
    # scope and issuer words lift an example place to the province
    ("来自省医疗保障局的消息：全省基本医保参保人数稳定，西宁等地超额完成任务。全省参保率95%。\n", "青海省"),
])
def test_document_area(text, area):
    assert infer_region(text) == area


def test_a_false_place_does_not_decide_the_area():
    # 担任城区: jieba reads 担任|城区, not 任城区 (济宁)
    assert infer_region("他担任城区志愿者服务队队长多年。永安市今年发放慰问金12万元。") != "山东省/济宁市/任城区"


def test_quan_qu_in_a_guangxi_text_is_the_region(nlp):
    doc = run(nlp, "南宁市召开推进会。\n全区共发放临时救助资金3.2亿元。", region="广西壮族自治区")
    assert region(doc, "3.2亿元") == ("广西壮族自治区", "sentence")
    assert infer_region("广西壮族自治区民政厅消息：全区各地加大救助力度，南宁市、柳州市、桂林市成效明显。") == "广西壮族自治区"


@pytest.mark.parametrize("text, own, surface, expected", [
    # a county of another province named bare is a word here (盐湖化工: salt-lake chemicals), not the area
    ("全省锂电池、盐湖化工产品出口增长80%。", "青海省", "80%", "青海省"),
    # ...named in full it is that county (a partner county helped)
    ("帮扶山东省德州市平原县新建学校3所。", "北京市", "3所", "山东省/德州市/平原县"),
    # ...and so is a bare name right after its parent
    ("德州平原新建学校3所。", "北京市", "3所", "山东省/德州市/平原县"),
])
def test_a_bare_county_of_another_province_is_no_area_of_its_own(nlp, text, own, surface, expected):
    assert fig(run(nlp, text, region=own), surface)._.region == expected


@pytest.mark.parametrize("text, surface, expected", [
    # a city's bare name as a whole item of a list of words is a word (白银: silver)
    ("全省黄金、白银、精炼铜产量分别增长12%、8%、5%。", "8%", "甘肃省"),
    # ...but not one heading a longer item of its own (白银铜冶炼项目)
    ("全省建成黄金选矿项目、白银铜冶炼项目2个。", "2个", "甘肃省/白银市"),
])
def test_a_bare_place_listed_among_words_is_a_word(nlp, text, surface, expected):
    assert fig(run(nlp, text, region="甘肃省"), surface)._.region == expected
