"""Table cells through the whole pipeline (issue 15): ingest reads them, extract_source adds them as
figures with the document's region and year, JSON Lines, the store and `zhmine show` say where each came
from (page, table, row, column). PDFs we write with reportlab."""
from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

FONT = "STSong-Light"


def _budget(path):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("t", fontName=FONT, fontSize=14, leading=20, alignment=1)
    body = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=14)
    small = ParagraphStyle("s", fontName=FONT, fontSize=9, leading=12, alignment=2)
    data = [["科目编码", "科目名称", "预算数"], ["205", "教育支出", "1,250.50"], ["20501", "教育管理事务", "300.25"],
            ["", "支出合计", "1,250.50"]]
    t = Table(data, colWidths=[60, 160, 90])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
                           ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    SimpleDocTemplate(str(path)).build([
        Paragraph("某区教育局2024年部门支出预算", title), Spacer(1, 6),
        Paragraph("本年共安排培训经费12万元。", body), Spacer(1, 6),
        Paragraph("单位：万元", small), Spacer(1, 4), t])
    return path


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from zhmine.pipeline import extract_file

    return extract_file(_budget(tmp_path_factory.mktemp("t") / "budget.pdf"))


def test_cells_are_figures_with_where_they_came_from(result):
    cells = {f["surface"]: f for f in result.figures if f.get("table") is not None}
    assert set(cells) == {"1,250.50", "300.25"} or {"1,250.50", "300.25"} <= set(cells)
    f = cells["300.25"]
    assert (f["value"], f["unit"], f["page"], f["table"], f["column"]) == (3002500, "元", 1, 0, 2)
    assert "教育管理事务" in f["metric"] and f["year"] == 2024
    assert f["region"] == result.default_region
    # the prose figure stays, and no cell is read again as prose
    prose = [f for f in result.figures if f.get("table") is None]
    assert [f["surface"] for f in prose] == ["12万元"]


def test_records_store_and_show_carry_table_row_column(result, tmp_path):
    from zhmine import store
    from zhmine.pipeline import to_jsonl_records
    from zhmine.research.show import render_html

    recs = [r for r in to_jsonl_records(result) if r["type"] == "figure" and r.get("table") is not None]
    assert recs and all({"table", "row", "column", "status", "direction"} <= set(r) for r in recs)
    db = store.open_db(tmp_path / "z.db")
    store.save(db, result)
    rows = list(db.query("select surface, page, [table], row, [column] from figures where [table] is not null"))
    assert {r["surface"] for r in rows} >= {"300.25"} and all(r["column"] is not None for r in rows)
    html = render_html(result)
    assert "figures in tables" in html and "教育管理事务" in html and html.count("class='table-figure'") == len(recs)


def test_cells_without_a_unit_are_left_out_with_a_warning(tmp_path):
    from zhmine.pipeline import DocumentResult, add_table_figures

    r = DocumentResult(path="x.pdf", name="x.pdf", sha256="0", encoding="pdf", kind="pdf", pages=1, text="",
                       doc_date="2024-05-01", doc_date_source=None, default_region="上海市")
    add_table_figures(r, [{"surface": "12", "value": 12, "unit": None, "page": 1, "table": 0, "row": 0, "column": 1},
                          {"surface": "5", "value": 50000, "unit": "元", "page": 1, "table": 0, "row": 1, "column": 1}])
    assert [(f["value"], f["year"], f["region"]) for f in r.figures] == [(50000, 2024, "上海市")]
    assert any("without a stated unit" in w for w in r.warnings)
