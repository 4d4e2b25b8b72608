"""Place recognition: chains, context resolution, short names, false places, villages, traditional text.

Sentences are the project's own, in the style of the newsletters.
"""
import pytest

from zhmine import places
from zhmine.places import lexicon


def found(text, region=None):
    return [(p.text, p.path) for p in places.find_places(text, region)]


def names(text, region=None):
    return [p.text for p in places.find_places(text, region)]


def test_chain_resolves_township():
    got = found("近日，宁德市蕉城区霍童镇计生协会走访慰问困难家庭。")
    assert got == [("宁德市", "福建省/宁德市"), ("蕉城区", "福建省/宁德市/蕉城区"),
                   ("霍童镇", "福建省/宁德市/蕉城区/霍童镇")]


def test_chain_with_short_county_name():
    got = dict(found("泉州市晋江永和镇组织志愿者开展入户走访。"))
    assert got["晋江"] == "福建省/泉州市/晋江市"
    assert got["永和镇"] == "福建省/泉州市/晋江市/永和镇"


def test_ambiguous_district_by_chain_and_by_document_region():
    assert dict(found("省领导到福州市鼓楼区看望慰问。"))["鼓楼区"] == "福建省/福州市/鼓楼区"
    assert dict(found("鼓楼区举办健康讲座。", "江苏省/南京市"))["鼓楼区"] == "江苏省/南京市/鼓楼区"
    assert dict(found("鼓楼区举办健康讲座。", "河南省/开封市"))["鼓楼区"] == "河南省/开封市/鼓楼区"


def test_ambiguous_district_by_article_mentions():
    text = "徐州市计生协召开会议。会后，鼓楼区计生协开展入户走访。"
    assert dict(found(text))["鼓楼区"] == "江苏省/徐州市/鼓楼区"


def test_short_prefecture_and_province_names():
    got = dict(found("为建设健康福建作贡献，漳州召开专题会议。"))
    assert got["福建"] == "福建省" and got["漳州"] == "福建省/漳州市"


def test_place_inside_organisation_name_counts():
    assert names("北京某某公益基金会向厦门市计生协捐赠物资。") == ["北京", "厦门市"]


@pytest.mark.parametrize("text,bad", [
    ("双方签订了住院护理补贴保险合作协议。", "合作"),
    ("为会员购买安康团体疾病保险。", "安康"),
    ("他先后担任城区多个部门负责人。", "任城区"),
    ("兴业银行捐赠了慰问金。", "兴业"),
    ("中国人寿承保了意外伤害保险。", "中国"),
    ("当地推动农村人口向城镇转移。", "向城镇"),
    ("全力发展乡村特色产业。", "发展乡"),
    ("各县均已完成建档工作。", "县"),
])
def test_no_false_places(text, bad):
    assert bad not in names(text, "福建省")


def test_brand_and_street_names_after_a_place():
    assert names("他在中山路开了一家店。", "广东省") == []
    assert "福州" not in names("福州大学志愿者参加活动。", "福建省")


def test_short_county_name_needs_context():
    assert "闽侯" in names("闽侯某工艺品公司吸纳失独母亲就业。", "福建省")
    # 平和 is an everyday word: only a place in a chain or with its full name nearby
    assert "平和" not in names("她心态平和，积极面对生活。", "福建省")
    assert "平和" in names("漳州市平和县计生协开展义诊。平和的做法受到肯定。", "福建省")


def test_township_short_name_after_its_full_name():
    text = "水吉镇计生协组织志愿者入户。随后，水吉志愿者又走访了12户家庭。"
    got = found(text, "福建省/南平市")
    assert got.count(("水吉", "福建省/南平市/建阳区/水吉镇")) == 1
    # without the full name the short one is not a place
    assert "水吉" not in names("水吉志愿者又走访了12户家庭。", "福建省/南平市")


def test_villages_found_by_suffix_and_hung_under_county():
    text = "连城县计生协了解到科明村计划发展香菇种植。后来她加入科明种植合作社。"
    got = found(text, "福建省")
    assert ("科明村", "福建省/龙岩市/连城县/科明村") in got
    assert ("科明", "福建省/龙岩市/连城县/科明村") in got


def test_village_after_township_chain():
    got = dict(found("协会工作者到武夷山市武夷街道公馆村开展慰问。"))
    assert got["公馆村"] == "福建省/南平市/武夷山市/武夷街道/公馆村"
    assert got["武夷街道"] == "福建省/南平市/武夷山市/武夷街道"


def test_township_missing_from_gazetteer_after_county():
    got = dict(found("龙岩市连城县石峰岭镇计生协开展活动。"))
    assert got.get("石峰岭镇") == "福建省/龙岩市/连城县/石峰岭镇"


@pytest.mark.parametrize("text", ["推进贫困村帮扶工作", "开展健康社区行活动", "他主动请缨到村里帮忙", "建设美丽乡村"])
def test_generic_village_words_are_not_places(text):
    assert not [p for p in places.find_places(text, "福建省") if p.level == "village"]


def test_traditional_characters_resolve_to_simplified_paths():
    got = found("南平市建陽區水吉鎮計生協會")
    assert [p for _, p in got] == ["福建省/南平市", "福建省/南平市/建阳区", "福建省/南平市/建阳区/水吉镇"]
    assert [t for t, _ in got] == ["南平市", "建阳区", "水吉镇"]


def test_former_name_maps_to_today():
    assert dict(found("广西河池市宜州市举办培训班。"))["宜州市"] == "广西壮族自治区/河池市/宜州区"


def test_names_broken_by_line_wrap_keep_offsets():
    text = "黄某是泉州市鲤城区金\n龙街道爱心会员"
    ps = places.find_places(text)
    town = [p for p in ps if p.level == "township"][0]
    assert text[town.start:town.end] == "金\n龙街道"
    assert town.path == "福建省/泉州市/鲤城区/金龙街道"


def test_infer_region():
    assert places.infer_region("南平市计生协会召开会议。浦城县、顺昌县、南平市延平区作交流发言。") == "福建省/南平市"
    assert places.infer_region("福建省计生协会在宁德市举办活动，龙岩市、福州市代表参加。") == "福建省"
    assert places.infer_region("本会召开年度工作会议。") is None


def test_component_writes_spans():
    import zhmine

    nlp = zhmine.load(components=("zh_sentences", "zh_places"))
    doc = nlp("近日，南平市建阳区水吉镇计生协会开展慰问活动。")
    spans = doc.spans["places"]
    assert [s.text for s in spans] == ["南平市", "建阳区", "水吉镇"]
    last = spans[-1]
    assert last._.path == "福建省/南平市/建阳区/水吉镇" and last._.level == "township"
    assert spans[0]._.code == "350700"


def test_gold_places(shared):
    """Every place in the reference answers is found with the right path (squashing white space)."""
    import json

    from zhmine.clean import clean

    total = right = 0
    for gold_file in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        text = clean((shared / "corpus" / gold["doc"]).read_text(encoding="utf-8")).text
        got = {}
        for p in places.find_places(text, places.infer_region(text)):
            got.setdefault("".join(text[p.start:p.end].split()), []).append(p.path)
        for g in gold["places"]:
            total += 1
            paths = got.get("".join(g["surface"].split()), [])
            if g["path"] in paths:
                paths.remove(g["path"])
                right += 1
    assert total and right / total >= 0.9


def test_informal_names_of_autonomous_units():
    got = dict(found("省红十字会向凉山州昭觉县捐赠物资，都安县妇联组织妇女参加培训。"))
    assert got["凉山州"] == "四川省/凉山彝族自治州"
    assert got["昭觉县"] == "四川省/凉山彝族自治州/昭觉县"
    assert got["都安县"] == "广西壮族自治区/河池市/都安瑶族自治县"


def test_infer_region_needs_a_majority():
    text = "四川省红十字会向凉山州昭觉县、甘孜州泸定县捐赠物资。"
    assert places.infer_region(text) == "四川省"


@pytest.mark.parametrize("text,person", [
    ("记者李长乐报道，会议由协会主持。", "长乐"),
    ("秘书长陈福州到场致辞。", "福州"),
    ("志愿者林南平说，这份工作很有意义。", "南平"),
])
def test_peoples_names_are_not_places(text, person):
    assert person not in names(text, "福建省")


def test_place_after_a_preposition_is_kept():
    assert names("会议在福州召开，随后赴漳州调研。", "福建省") == ["福州", "漳州"]


def test_free_standing_township_near_its_county():
    got = dict(found("连城县计生协会组织人员到石峰岭镇开展义诊。", "福建省"))
    assert got["石峰岭镇"] == "福建省/龙岩市/连城县/石峰岭镇"


@pytest.mark.parametrize("text", [
    "连城县推进百县千镇万村高质量发展。",
    "连城县推动大中小城市和小城镇协调发展。",
    "连城县打造一批特色小镇和开源社区。",
    "连城县保护历史文化名镇名村。",
])
def test_planning_language_is_not_a_township(text):
    assert [p.text for p in places.find_places(text, "福建省")] == ["连城县"]


def test_traditional_copy_of_the_corpus_gives_the_same_places(shared):
    import opencc

    from zhmine.clean import clean

    s2t = opencc.OpenCC("s2t")
    for path in sorted((shared / "corpus").glob("*.txt"))[:2]:
        text = clean(path.read_text(encoding="utf-8")).text
        trad = s2t.convert(text)
        if len(trad) != len(text):
            continue
        simp = [(p.start, p.path) for p in places.find_places(text, places.infer_region(text))]
        assert simp and [(p.start, p.path) for p in places.find_places(trad, places.infer_region(trad))] == simp


def test_prefecture_short_names_with_odd_jieba_tags_are_places():
    # jieba tags 龙岩 nr, 大连 d, 合肥 n: still cities
    got = names("龙岩、三明、宁德三地联动，石家庄、大连、合肥代表参加。", "福建省")
    assert got == ["龙岩", "三明", "宁德", "石家庄", "大连", "合肥"]


def test_everyday_words_that_are_prefecture_short_names():
    assert names("来宾们陆续入座，白银价格上涨。", "广西壮族自治区") == []


def test_village_chain_with_ordinary_words():
    got = dict(found("南平市延平区茫荡镇宝山村开展活动，浦城县所有村都建立了服务站。"))
    assert got["宝山村"] == "福建省/南平市/延平区/茫荡镇/宝山村"
    assert "所有村" not in got


def test_township_named_in_full_before_a_village_in_its_county_text():
    """jieba may glue a township's suffix to the village after it (镇仙); in a text about its county
    the township named in full still counts."""
    got = found("德清县民政局推进养老服务。莫干山镇仙潭村建起老年食堂。", "浙江省/湖州市/德清县")
    assert ("莫干山镇", "浙江省/湖州市/德清县/莫干山镇") in got
    assert ("仙潭村", "浙江省/湖州市/德清县/莫干山镇/仙潭村") in got


def test_preposition_before_a_township_is_not_part_of_its_name():
    got = found("当阳市在坝陵街道各社区开展助老服务。")
    assert ("坝陵街道", "湖北省/宜昌市/当阳市/坝陵街道") in got
    assert not any(name.startswith("在") for name, _ in got)


@pytest.mark.parametrize("text", [
    "近日，宁德市蕉城区霍童镇计生协会走访慰问困难家庭",
    "记者李长乐报道：他先后担任城区多个部门负责人，推动农村人口向城镇转移",
    "2023年全市GDP增长5.5%，投入保费185.41万元，免费健康体检10933人次",
    "莫干山镇仙潭村建起老年食堂，德清县民政局推进养老服务，来宾们陆续入座",
    "龙岩三明宁德三地联动石家庄大连合肥代表参加嘅啲囖",  # unknown characters: jieba's HMM
])
def test_run_ends_are_jiebas(text):
    """Lexicon.run_ends copies jieba's cut step for step: the same words in every part of every run (its
    best route is words.best_route's: tests/test_words.py)."""
    import jieba

    tk, _ = lexicon.place_tokenizer()
    for m in jieba.re_han_default.finditer(text):
        for a in range(m.start(), m.end()):
            for b in range(a + 1, min(m.end(), a + 16) + 1):
                run, ends, e = text[a:b], [], 0
                for w in tk.cut(run, HMM=True):
                    e += len(w)
                    ends.append(e)
                assert _all_run_ends(run) == ends, run


def _all_run_ends(run):
    ends, stretches = places.recognizer().lex.run_ends(run)
    return sorted({*ends, *(a + e for a, b in stretches for e in lexicon.hmm_ends(run[a:b]))})


def test_a_chain_of_places_names_its_deepest_place_once():
    # 普陀区 alone is in 上海 and in 舟山; after 上海市 it is one district, and the chain is one mention of it
    text = "上海市普陀区民政局召开年度会议。上海市普陀区民政局全年投入资金100万元。"
    assert places.infer_region(text) == "上海市/普陀区"


# ------------------------------------------------------------------ names that are also ordinary words
@pytest.mark.parametrize("text,region,bad", [
    ("新一代大模型阿里千问上线。", "浙江省", "阿里"),          # the company's product
    ("阿里巴巴在本地设立研发中心。", "西藏自治区", "阿里"),    # the company, even in 阿里地区's province
    ("推动西夏陵申报世界文化遗产。", "宁夏回族自治区", "西夏"),  # the dynasty's tombs
    ("新建县域医疗次中心12个。", "江西省", "新建县"),          # newly built county-area centres
])
def test_name_refused_before_the_words_that_make_it_ordinary(text, region, bad):
    assert not any(n.startswith(bad) for n in names(text, region))


def test_ambiguous_name_needs_a_place_context():
    # with no level suffix, parent or list the everyday reading wins...
    assert "西夏" not in names("西夏的历史遗存得到保护。", "宁夏回族自治区")
    assert "阿里" not in names("阿里加大了投资。", "浙江省")
    # ...a level suffix, a parent, or the document's own province (a prefecture) makes it the place
    assert dict(found("西夏区新增城镇就业。", "宁夏回族自治区"))["西夏区"] == "宁夏回族自治区/银川市/西夏区"
    assert dict(found("银川市西夏区新增城镇就业。"))["西夏区"] == "宁夏回族自治区/银川市/西夏区"
    assert dict(found("支持那曲和阿里加快发展。", "西藏自治区"))["阿里"] == "西藏自治区/阿里地区"
    assert dict(found("南昌市新建区新增城镇就业。"))["新建区"] == "江西省/南昌市/新建区"


def test_level_suffix_opening_a_word_keeps_an_unambiguous_county():
    # 县域 after a county that is no everyday word is still that county's area
    assert dict(found("长顺县域经济持续发展。", "贵州省"))["长顺县"].endswith("/长顺县")


def test_some_towns_and_villages_is_no_village():
    # 部分镇村: "some towns and villages", not a village called 部分镇
    assert names("在海原县、中宁县部分镇村开展活动。", "宁夏回族自治区/中卫市") == ["海原县", "中宁县"]
