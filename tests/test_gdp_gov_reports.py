"""Over the 31 provincial government work reports of 2026 (../shared/samples/gov-reports-2026), a query
for the GDP indicator finds each province's 2025 GDP, stated as a level, where the report states it
(issue 14): one figure per province, of the province itself, and nothing for the reports that give
only a growth rate or a bound (山西 超过2.5万亿元, 陕西 跨过3万亿元, 青海 迈上4000亿元台阶).
Skips when ../shared is absent; asserts it read all 31 reports."""
from __future__ import annotations

from pathlib import Path

import pytest

from zhmine import pipeline, store
from zhmine.research import query

# the 2025 GDP each report states exactly (亿元), read by hand from the reports
STATED = {
    "上海市": 56700, "云南省": 32765, "内蒙古自治区": 26700, "北京市": 52000, "吉林省": 15000, "四川省": 67665,
    "宁夏回族自治区": 5696, "安徽省": 53000, "山东省": 103000, "广东省": 145800, "新疆维吾尔自治区": 21500,
    "江苏省": 142000, "江西省": 36000, "河北省": 49300, "河南省": 66600, "湖北省": 62661, "湖南省": 55300,
    "福建省": 60199.45, "贵州省": 23562, "重庆市": 33757.93,
    # stated in the review of the plan's five years only (“十四五”时期工作回顾 … ——这是…的五年。全省地区
    # 生产总值达到13697.5亿元): the review's refrain dates it to the five years' last
    "甘肃省": 13697.5,
}


@pytest.fixture(scope="module")
def gov_db(tmp_path_factory):
    folder = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "gov-reports-2026"
    if not folder.is_dir():
        pytest.skip("../shared/samples/gov-reports-2026 is not beside this checkout")
    files = sorted(folder.glob("*.txt"))
    assert len(files) == 31
    import zhmine

    nlp = zhmine.load()
    db = store.open_db(tmp_path_factory.mktemp("gov") / "gov.db")
    for path in files:
        store.save(db, pipeline.extract_file(path, nlp=nlp))
    return db


def test_gdp_query_finds_each_stated_province_once(gov_db):
    rows = query.figures(gov_db, indicator="gdp", year=2025, measure="level", status="none", exact=True)
    # the province's own figure (not a city's or an economic zone's)
    own = [r for r in rows if r["prefecture"] is None]
    values: dict[str, set] = {}
    for r in own:
        values.setdefault(r["province"], set()).add(round(r["value"] / 1e8, 2))
    assert values == {p: {v} for p, v in STATED.items()}
    # grouped, one row a province, its value the stated figure (the latest statement, never a sum)
    grouped = query.figures(gov_db, indicator="gdp", year=2025, measure="level", status="none", exact=True,
                            group_by="province", aggregate="latest")
    got = {r["province"]: round(r["value"] / 1e8, 2) for r in grouped if r["unit"] == "元"}
    assert {p: got.get(p) for p in STATED} == STATED


def test_from_to_pair_is_two_years_never_a_sum(gov_db):
    # 广东: 地区生产总值从11.37万亿元提高到14.58万亿元 (its line names no span: the first end's year is
    # not 2025, and unknown); 河北: 从2020年的3.68万亿元增长到2025年的4.93万亿元
    rows = query.figures(gov_db, indicator="gdp", measure="level", exact=True)
    years = {round(r["value"] / 1e8): r["year"] for r in rows if r["prefecture"] is None}
    assert years[113700] is None and years[145800] == 2025
    assert years[36800] == 2020 and years[49300] == 2025
    # a group of the year holds one end only: never 11.37 + 14.58
    grouped = query.figures(gov_db, indicator="gdp", region="广东省", year=2025, measure="level", exact=True,
                            group_by="province")
    assert [round(r["value"] / 1e8) for r in grouped if r["unit"] == "元"] == [145800]
