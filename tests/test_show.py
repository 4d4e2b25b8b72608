"""zhmine show: one document as HTML with figures, dates and places highlighted (extract/research/show.py)."""
import html
import re
import subprocess
import sys

from zhmine.pipeline import DocumentResult
from zhmine.research.show import render_html, spans

TEXT = "2022年3月，南平市政和县投入保费12.5万元，为困难家庭<特殊>发放慰问金6000元。"


def result():
    res = DocumentResult(path="t.txt", name="t.txt", sha256="0" * 64, encoding="utf-8", kind="txt", pages=1,
                         text=TEXT, doc_date=None, doc_date_source=None, default_region="福建省/南平市")

    def at(surface):
        s = TEXT.index(surface)
        return {"start": s, "end": s + len(surface), "surface": surface, "page": 1, "article": 0, "sentence": 0}

    fig = dict(value_max=None, kind="money", approx=None, per=None, optional=False, region="福建省/南平市/政和县",
               region_code="350725", year=2022, metric="投入保费", category="insurance_premium", cumulative=False)
    res.figures = [{**at("12.5万元"), **fig, "value": 125000.0, "unit": "元"},
                   {**at("6000元"), **fig, "value": 6000.0, "unit": "元", "metric": "慰问金"}]
    res.dates = [{**at("2022年3月"), "value": "2022-03", "relative": False}]
    res.places = [{**at("南平市"), "path": "福建省/南平市", "code": "350700", "level": "prefecture"},
                  {**at("政和县"), "path": "福建省/南平市/政和县", "code": "350725", "level": "county"},
                  # overlaps the figure: the figure wins
                  {**at("5万"), "path": "nowhere", "code": None, "level": None}]
    return res


def marks(page):
    return re.findall(r'<mark class="entity zh-(\w+)" title="([^"]*)" data-type="\w+" data-value="([^"]*)"[^>]*>(.*?)<span',
                      page, re.S)


def test_every_figure_date_and_place_is_highlighted_with_its_values():
    page = render_html(result())
    found = [(t, html.unescape(title), text.strip()) for t, title, _, text in marks(page)]
    assert [(t, text) for t, _, text in found] == [("date", "2022年3月"), ("place", "南平市"), ("place", "政和县"),
                                                    ("figure", "12.5万元"), ("figure", "6000元")]
    tip = dict((text, title) for _, title, text in found)["12.5万元"]
    assert "125,000 元" in tip and "region: 福建省/南平市/政和县" in tip and "year: 2022" in tip
    assert "2022-03" in dict((text, title) for _, title, text in found)["2022年3月"]


def test_text_is_escaped_and_overlaps_dropped():
    page = render_html(result())
    assert "&lt;特殊&gt;" in page and "<特殊>" not in page
    assert len(spans(result())) == 5


def test_cli_writes_a_page_through_the_pipeline(tmp_path):
    src = tmp_path / "简报.txt"
    src.write_text("全县开展免费健康体检2300人次，投入资金45万元。\n", encoding="utf-8")
    out = tmp_path / "page.html"
    res = subprocess.run([sys.executable, "-m", "zhmine.cli", "show", str(src), "-o", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    page = out.read_text(encoding="utf-8")
    figures = {text.strip(): value for t, _, value, text in marks(page) if t == "figure"}
    assert figures["2300人次"] == "2300 人次" and figures["45万元"] == "450000 元"
