"""zhmine chart: PNG and SVG charts of grouped queries with Chinese labels (extract/research/chart.py)."""
import subprocess
import sys

import pytest

from zhmine.research import chart, query
from research_data import known_db


@pytest.fixture(scope="module")
def kdb(tmp_path_factory):
    return known_db(tmp_path_factory.mktemp("c") / "known.db")


@pytest.fixture(autouse=True)
def cjk():
    try:
        chart.cjk_font()
    except query.QueryError as e:
        pytest.skip(str(e))


def test_bar_chart_png_and_svg_with_chinese_labels(kdb, tmp_path):
    png, svg = chart.draw(query.connect(kdb), tmp_path / "premium.png", group_by=["prefecture"], metric="保费")
    assert png.stat().st_size > 5000 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text(encoding="utf-8")
    # text stays text in the SVG, set in the CJK font: the region names are there, not boxes
    assert "南平市" in text and "三明市" in text and "CJK" in text


def test_line_chart_with_series_from_cli(kdb, tmp_path):
    out = tmp_path / "by-year.png"
    res = subprocess.run([sys.executable, "-m", "zhmine.cli", "chart", "--db", str(kdb), "--unit", "元",
                          "--group-by", "year", "--group-by", "prefecture", "--type", "line", "-o", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    svg = out.with_suffix(".svg").read_text(encoding="utf-8")
    assert out.stat().st_size > 5000 and "2021" in svg and "桂林市" in svg  #桂林 is a series in the legend


def test_chart_refuses_to_add_units(kdb, tmp_path):
    with pytest.raises(query.QueryError, match="units"):
        chart.draw(query.connect(kdb), tmp_path / "x.png", group_by=["county"], region="政和县")
    # counting figures across units is fine
    png, _ = chart.draw(query.connect(kdb), tmp_path / "n.png", group_by=["county"], region="政和县", measure="figures")
    assert png.exists()


def test_map_is_a_choropleth_of_provinces_and_prefectures(kdb, tmp_path):
    png, svg = chart.draw_map(query.connect(kdb), tmp_path / "map.png", unit="元")
    text = svg.read_text(encoding="utf-8")
    assert png.stat().st_size > 20000 and text.count("<path") > 30  # every province outlined
    assert "福建省" in text and "76.5万元" in text and "e+" not in text  # 南平 30万 + 12.5万 + 8万 + 6万 + 三明 20万
    _, svg = chart.draw_map(query.connect(kdb), tmp_path / "pref.png", unit="元", level="prefecture")
    text = svg.read_text(encoding="utf-8")
    assert "南平市" in text and "56.5万元" in text and "三明市" in text


def test_map_title_reads_as_words(kdb, tmp_path):
    out = subprocess.run([sys.executable, "-m", "zhmine.cli", "chart", "--map", "--db", str(kdb), "--unit", "元",
                          "--year", "2021", "--not-cumulative", "--no-rates", "-o", str(tmp_path / "m.png")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    title = chart._title({"year": 2021, "cumulative": False, "rates": False, "category": "insurance_premium"}, "auto", "元")
    assert "False" not in title and title.startswith("2021年 当年") and "（元）" in title
    assert "False" not in (tmp_path / "m.svg").read_text(encoding="utf-8")


def test_map_without_figures_says_why(tmp_path):
    db = query.connect(known_db(tmp_path / "nogaz.db", regions=False))
    with pytest.raises(query.QueryError, match="nothing to map"):
        chart.draw_map(db, tmp_path / "map.png", year=1999)


def test_chart_treats_a_rate_as_its_own_unit(tmp_path):
    from zhmine import store
    from research_data import known_results

    db = store.open_db(tmp_path / "r.db")
    (res,) = known_results([("甲县简报.txt", 2023, "甲县共发放补助金2万元，每户补助500元。", [
        ("2万元", 20000, "元", "money", "福建省/南平市/政和县", "350725", "发放补助金", "relief_subsidies"),
        ("500元", 500, "元", "money", "福建省/南平市/政和县", "350725", "补助", "relief_subsidies")])])
    res.figures[1]["per"] = "户"
    store.save(db, res)
    with pytest.raises(query.QueryError, match="元/户"):
        chart.draw(db, tmp_path / "x.png", group_by=["county"])
    png, svg = chart.draw(db, tmp_path / "y.png", group_by=["county"], rates=False)
    assert "政和县" in svg.read_text(encoding="utf-8")
