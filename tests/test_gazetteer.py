"""The gazetteer: codes, parent chains, short and former names, the regions table, jieba loading."""
import pytest

from zhmine.places import gazetteer


@pytest.fixture(scope="module")
def gz():
    return gazetteer.get()


def test_singleton(gz):
    assert gazetteer.get() is gz


def test_levels_and_size(gz):
    levels = {}
    for reg in gz:
        levels[reg.level] = levels.get(reg.level, 0) + 1
    assert levels["province"] == 34
    assert 330 <= levels["prefecture"] <= 345
    assert 2800 <= levels["county"] <= 3100
    assert levels["township"] > 35000


def test_lookup_chain_and_coordinates(gz):
    reg = gz.lookup("350703")
    assert reg.name == "建阳区" and reg.level == "county"
    assert reg.path == "福建省/南平市/建阳区"
    assert reg.parent == "350700"
    assert gz.lookup(reg.parent).name == "南平市"
    assert 117 < reg.lng < 119 and 26 < reg.lat < 28


def test_townships_hang_under_their_county(gz):
    town = gz.by_path("福建省/南平市/建阳区/水吉镇")
    assert town is not None and town.level == "township"
    assert town.parent == "350703" and town.short_name == "水吉"


def test_municipality_has_no_repeated_prefecture(gz):
    assert gz.by_path("北京市").level == "province"
    assert gz.by_path("北京市/东城区").level == "county"
    assert gz.by_path("北京市/北京市") is None


def test_province_direct_counties(gz):
    # 仙桃 has no prefecture: it sits right under 湖北省
    assert gz.by_path("湖北省/仙桃市").level == "county"


def test_short_names_strip_ethnic_autonomy(gz):
    assert gz.lookup("451228").name == "都安瑶族自治县"
    assert any(r.code == "451228" for r in gz.candidates("都安"))
    assert any(r.path == "广西壮族自治区" for r in gz.candidates("广西"))
    assert any(r.name == "南平市" for r in gz.candidates("南平"))


def test_former_names_map_to_today(gz):
    assert [r.name for r in gz.candidates("宜州市")] == ["宜州区"]
    assert "襄阳市" in [r.name for r in gz.candidates("襄樊市")]
    kinds = {n.kind for n in gz.names("宜州市")}
    assert kinds == {"former"}


def test_ambiguous_name_lists_every_region(gz):
    paths = [r.path for r in gz.candidates("鼓楼区")]
    assert "福建省/福州市/鼓楼区" in paths and "江苏省/南京市/鼓楼区" in paths


def test_candidates_higher_levels_first(gz):
    levels = [r.level for r in gz.candidates("鼓楼")]
    assert levels == sorted(levels, key=gazetteer.RANK.get)


def test_no_pseudo_units(gz):
    names = {r.name for r in gz}
    assert not any("直辖" in r.name or "交界" in r.name for r in gz if r.level != "township")
    assert "街道" not in names  # a township called just 街道 in the source data


def test_rows_for_regions_table(gz):
    rows = {r["code"]: r for r in gz.rows()}
    assert len(rows) == len(gz)
    row = rows["350703.水吉镇"]
    assert row["province"] == "福建省" and row["prefecture"] == "南平市"
    assert row["county"] == "建阳区" and row["township"] == "水吉镇"
    assert row["parent_code"] == "350703" and row["path"] == "福建省/南平市/建阳区/水吉镇"
    assert set(row) == {"code", "name", "short_name", "level", "parent_code", "path", "province",
                        "prefecture", "county", "township", "lng", "lat"}


def test_within(gz):
    town = gz.by_path("福建省/南平市/建阳区/水吉镇")
    assert town.within("福建省/南平市") and town.within(gz.by_path("福建省"))
    assert not town.within("福建省/南平") and not town.within(None)


def test_load_into_jieba_keeps_everyday_words():
    import jieba
    import jieba.posseg

    gazetteer.load_into_jieba()
    gazetteer.load_into_jieba()  # second call is a no-op
    # a county name jieba did not know is now one word, tagged ns
    assert "都安瑶族自治县" in jieba.lcut("广西都安瑶族自治县的山区")
    # everyday words that are also short names keep jieba's own tag
    tags = dict((w, t) for w, t in jieba.posseg.lcut("双方签订合作协议"))
    assert tags["合作"] != "ns"
