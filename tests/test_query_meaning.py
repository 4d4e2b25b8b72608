"""Query, export and chart on what a figure means (issue 14): direction, status, measure, indicator, and
groups that never add percentages, rates or a from-to pair. Our own sentences, through the whole pipeline
(zhmine run), so the meaning comes from extraction."""
import json
import subprocess
import sys

import pytest

from zhmine.research import chart, query
from research_data import pipeline_db

REPORTS = {
    "2024-甲市-政府工作报告.txt": "甲市2024年政府工作报告\n2023年，全市地区生产总值达到3200亿元，增长5.2%；"
                             "固定资产投资下降3.3%；城镇化率为61.5%。\n2024年主要预期目标是：地区生产总值增长5.5%左右。\n",
    "2025-甲市-政府工作报告.txt": "甲市2025年政府工作报告\n2024年，全市地区生产总值达到3400亿元，增长5.0%；"
                             "固定资产投资增长2.1%；城镇化率为62.4%。\n",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return pipeline_db(tmp_path_factory.mktemp("meaning"), REPORTS)


def values(rows):
    return sorted(r["value"] for r in rows)


def test_filters_on_direction_status_measure_indicator(db):
    assert values(query.figures(db, direction="down")) == [3.3]
    assert values(query.figures(db, status="target")) == [5.5]
    assert values(query.figures(db, indicator="gdp", measure="level")) == [3200e8, 3400e8]
    assert values(query.figures(db, indicator="gdp", measure="change", status="none")) == [5.0, 5.2]
    assert values(query.figures(db, measure="rate")) == [61.5, 62.4]


def test_groups_never_add_percentages(db):
    rows = query.figures(db, measure="rate", group_by="province")
    assert [(r["figures"], r["total"], r["value"]) for r in rows] == [(2, None, 62.4)]  # latest, not 123.9
    mean = query.figures(db, measure="rate", group_by="province", aggregate="mean")
    assert [round(r["value"], 2) for r in mean] == [61.95]
    summed = query.figures(db, measure="rate", group_by="province", aggregate="sum")
    assert [r["value"] for r in summed] == [None]  # refused
    with pytest.raises(query.QueryError, match="do not add up"):
        chart.draw(query.connect(db), "/tmp/never.png", group_by=["province"], measure="rate", aggregate="sum")


def test_cli_filters_and_aggregate(db):
    out = subprocess.run([sys.executable, "-m", "zhmine.cli", "query", "--db", str(db), "--indicator", "gdp",
                          "--direction", "up", "--status", "none", "--group-by", "year", "--format", "json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["year"], r["measure"], r["value"]) for r in rows] == [(2023, "change", 5.2), (2024, "change", 5.0)]
