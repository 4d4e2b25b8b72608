"""Tables in PDFs (zhmine.tables): PDFs we write with reportlab, holding tables we write, and the answered
table pages of ../shared/samples/pdf-gold."""
from __future__ import annotations

import json
from collections import Counter

import pytest

pytest.importorskip("reportlab")

from zhmine.tables import table_bboxes, table_figures  # noqa: E402
from zhmine.tables.units import table_rules  # noqa: E402

FONT = "STSong-Light"


def _canvas(path, landscape=False):
    from reportlab import rl_config

    rl_config.invariant = 1
    from reportlab.lib.pagesizes import A4, landscape as wide
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    size = wide(A4) if landscape else A4
    return canvas.Canvas(str(path), pagesize=size), size


def _titled(path, title, unit):
    """A page with a title and a unit line over the table to come."""
    c, (w, h) = _canvas(path)
    c.setFont(FONT, 12)
    c.drawString(150, h - 50, title)
    c.setFont(FONT, 9)
    c.drawString(400, h - 68, unit)
    return c, h


def _ruled_budget(path):
    """A ruled budget table: title with its year, `单位：万元`, a code column, a header of two levels,
    indented sub-items, a wrapped label, an empty `-` cell."""
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle, Paragraph, Spacer
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("t", fontName=FONT, fontSize=14, leading=20, alignment=1)
    small = ParagraphStyle("s", fontName=FONT, fontSize=9, leading=12, alignment=2)
    cell = ParagraphStyle("c", fontName=FONT, fontSize=9, leading=11, wordWrap="CJK")
    data = [
        ["科目编码", "科目名称", "预算数", "", ""],
        ["", "", "合计", "基本支出", "项目支出"],
        ["205", "教育支出", "1,250.50", "800.00", "450.50"],
        ["20501", "  教育管理事务", "300.25", "300.25", "-"],
        ["20502", Paragraph("普通教育学校校舍维修改造专项经费支出", cell), "950.25", "499.75", "450.50"],
        ["", "支出合计", "1,250.50", "800.00", "450.50"],
    ]
    t = Table(data, colWidths=[60, 130, 80, 80, 80])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
                           ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("SPAN", (2, 0), (4, 0)),
                           ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)),
                           ("ALIGN", (2, 2), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    doc = SimpleDocTemplate(str(path))
    doc.build([Paragraph("某区教育局2024年部门支出预算表", title), Spacer(1, 6),
               Paragraph("单位：万元", small), Spacer(1, 4), t])
    return path


def _unruled_traditional(path):
    """No rules at all; traditional characters, an ROC year, `千元`, a change column with a negative."""
    c, (w, h) = _canvas(path)
    c.setFont(FONT, 12)
    c.drawString(200, h - 60, "某機關歲出預算比較表")
    c.setFont(FONT, 9)
    c.drawString(60, h - 80, "中華民國 113 年度")
    c.drawString(420, h - 80, "單位：新臺幣千元")
    cols = [(230, "本年度預算數"), (320, "上年度預算數"), (410, "前年度決算數"), (500, "本年度與上年度比較")]
    y = h - 105
    c.drawString(60, y, "名    稱")
    for x, text in cols:
        c.drawRightString(x + 40, y, text)
    rows = [("合    計", ["32,553", "30,316", "28,303", "2,237"]),
            ("一般行政", ["12,000", "16,000", "15,100", "-4,000"]),
            ("業務費", ["20,553", "14,316", "13,203", "6,237"]),
            ("債務費", ["-", "-", "-", "-"])]
    for label, values in rows:
        y -= 18
        c.drawString(60, y, label)
        for (x, _), v in zip(cols, values):
            c.drawRightString(x + 40, y, v)
    c.save()
    return path


def _year_columns(path):
    """A forecast table of a research report: year columns with estimates, a `%` row and a unit in the label."""
    c, (w, h) = _canvas(path)
    c.setFont(FONT, 9)
    y = h - 80
    c.drawString(60, y, "主要财务数据")
    for x, year in zip((260, 330, 400, 470), ("2020", "2021", "2022E", "2023E")):
        c.drawRightString(x, y, year)
    for label, values in (("营业收入(百万元)", ("746", "1,567", "3,684", "5,056")),
                          ("毛利率(%)", ("35.3%", "33.7%", "35.0%", "36.0%")),
                          ("净利润(百万元)", ("59", "173", "471", "717"))):
        y -= 16
        c.drawString(60, y, label)
        for x, v in zip((260, 330, 400, 470), values):
            c.drawRightString(x, y, v)
    c.save()
    return path


def by_surface(figs):
    return {(f["row_label"], f["column_header"]): f for f in figs}


def test_ruled_budget_table(tmp_path):
    figs = table_figures(_ruled_budget(tmp_path / "budget.pdf"))
    got = by_surface(figs)
    assert {f["surface"] for f in figs} >= {"1,250.50", "800.00", "450.50", "300.25", "950.25", "499.75"}
    assert not any(f["surface"] in {"205", "20501", "20502"} for f in figs), "codes are not figures"
    total = next(f for f in figs if f["row_label"] == "教育支出" and "合计" in f["metric"])
    assert total["value"] == 12505000 and total["unit"] == "元" and total["kind"] == "money"
    assert total["year"] == 2024 and total["page"] == 1 and total["table"] == 0
    assert "预算数" in total["metric"] and total["column"] == 2
    wrapped = [f for f in figs if f["surface"] == "950.25"]
    assert wrapped and wrapped[0]["row_label"] == "普通教育学校校舍维修改造专项经费支出"
    sub = next(f for f in figs if f["row_label"] == "教育管理事务")
    assert sub["row_indent"] > total["row_indent"], "the sub-item is indented"
    assert len(figs) == 11  # 4 rows x 3 columns, less the `-` cell
    assert got and all(f["region"] is None for f in figs)
    boxes = table_bboxes(tmp_path / "budget.pdf")
    assert list(boxes) == [1] and len(boxes[1]) == 1


def test_unruled_traditional_table(tmp_path):
    figs = table_figures(_unruled_traditional(tmp_path / "tw.pdf"))
    cell = {(f["row_label"], f["column_header"]): f for f in figs}
    assert cell[("合計", "本年度預算數")]["value"] == 32553000
    assert cell[("合計", "本年度預算數")]["year"] == 2024  # 中華民國113年度
    assert cell[("合計", "上年度預算數")]["year"] == 2023
    assert cell[("合計", "前年度決算數")]["year"] == 2022
    down = cell[("一般行政", "本年度與上年度比較")]
    assert (down["value"], down["direction"], down["year"]) == (4000000, "down", 2024)
    assert cell[("業務費", "本年度與上年度比較")]["direction"] == "up"
    assert not any(f["row_label"] == "債務費" for f in figs), "`-` cells are empty"
    assert len(figs) == 12


def test_year_columns_and_units_in_labels(tmp_path):
    figs = table_figures(_year_columns(tmp_path / "report.pdf"))
    cell = {(f["row_label"], f["column_header"]): f for f in figs}
    assert not any(f["surface"] in {"2020", "2021", "2022E", "2023E"} for f in figs), "year headers"
    rev = cell[("营业收入(百万元)", "2022E")]
    assert (rev["value"], rev["unit"], rev["year"], rev["status"]) == (3684000000, "元", 2022, "target")
    assert cell[("营业收入(百万元)", "2021")]["status"] is None
    margin = cell[("毛利率(%)", "2020")]
    assert (margin["value"], margin["unit"], margin["kind"], margin["year"]) == (35.3, "%", "percent", 2020)


@pytest.mark.parametrize("text,year,target", [
    ("2024年", 2024, False), ("2022E", 2022, True), ("113年度", 2024, False), ("中華民國 114 年度", 2025, False),
    ("上年度預算數", 2024, False), ("2025年预计", 2025, True)])
def test_header_years(text, year, target):
    assert table_rules().year_of(text, 2025) == (year, target)


@pytest.mark.parametrize("text,unit,scale", [
    ("单位：万元", "元", 10000), ("單位：新臺幣千元", "元", 1000), ("（百万元）", "元", 10**6), ("億元", None, None),
    ("单位：億元", "元", 10**8), ("占比(%)", "%", 1), ("人数（人）", "人", 1), ("單位：人", "人", 1)])
def test_units(text, unit, scale):
    u = table_rules().unit_of(text)
    assert (u.unit, u.scale) == (unit, scale) if unit else u is None


def test_codes_are_not_figures():
    r = table_rules()
    assert r.is_code_cell("（201类）（03款）（01项）") and r.is_code_cell("204 06 01")
    assert r.is_code_header(["功能分类科目编码", "类"]) and r.is_code_header(["序号"])
    assert not r.is_code_header(["项目支出"])


def test_shared_gold_pages(shared):
    """Every answered table page of ../shared/samples/pdf-gold yields its gold figures (value and unit)."""
    gold_dir, pdfs = shared / "samples" / "pdf-gold", shared / "samples" / "pdf"
    golds = sorted(gold_dir.glob("*.json"))
    if not golds:
        pytest.skip("no pdf-gold answers")
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        figs = [f for f in table_figures(pdfs / gold["doc"]) if f["page"] in set(gold["pages"])]
        assert {f["page"] for f in figs} == set(gold["pages"]), gold["doc"]
        want = Counter((g["value"], g["unit"]) for g in gold["figures"] if not g.get("optional"))
        have = Counter((f["value"], f["unit"]) for f in figs)
        found = sum((want & have).values())
        assert found >= 0.95 * sum(want.values()), (gold["doc"], want - have)


def _grid_page(c, h, rows, xs, top, with_header):
    """Draw a ruled table: rows of cell texts between vertical rules at xs, 18 pt high, from top down."""
    y = h - top
    lines = ([["科目名称", "合计", "基本支出"]] if with_header else []) + rows
    for k, cells in enumerate(lines):
        c.line(xs[0], y, xs[-1], y)
        for j, text in enumerate(cells):
            if j == 0 or (with_header and k == 0):
                c.drawString(xs[j] + 4, y - 13, text)
            else:
                c.drawRightString(xs[j + 1] - 4, y - 13, text)
        y -= 18
    c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, h - top, x, y)


def _two_grid_pages(path, title, unit, first, second, second_header):
    """A titled page with a ruled table of rows `first` (with its header), then a page with `second`."""
    c, h = _titled(path, title, unit)
    xs = [60, 260, 360, 460]
    _grid_page(c, h, first, xs, 75, True)
    c.showPage()
    c.setFont(FONT, 9)
    _grid_page(c, h, second, xs, 60, second_header)
    c.save()
    return path


def test_table_continued_on_next_page(tmp_path):
    """A table split over two pages: the headless part takes the header, unit and year of the first."""
    _two_grid_pages(tmp_path / "split.pdf", "2023年部门支出决算表", "单位：万元",
                    [["一般公共服务支出", "120.50", "100.00"], ["教育支出", "80.25", "80.25"]],
                    [["卫生健康支出", "33.10", "30.00"], ["住房保障支出", "12.00", "12.00"]], False)
    figs = table_figures(tmp_path / "split.pdf")
    second = [f for f in figs if f["page"] == 2]
    assert len(figs) == 8 and len(second) == 4
    health = next(f for f in second if f["row_label"] == "卫生健康支出" and f["column_header"] == "合计")
    assert (health["value"], health["unit"], health["year"]) == (331000, "元", 2023)


@pytest.mark.parametrize("cell,value,unit", [("12,345千元", 12345000, "元"), ("1.2億元", 120000000, "元"),
                                             ("35.3%", 35.3, "%"), ("(4,000)", -4000, None)])
def test_cells_with_their_own_unit(cell, value, unit):
    from zhmine.text.numerals import plain
    from zhmine.tables.cells import TableReader

    rec = TableReader()._cell(cell, ("", None, None, False, False))
    number, negative = rec["number"]
    own = rec["own"]
    got = plain(number * (own.scale if own else 1)) * (-1 if negative else 1)
    assert (got, own.unit if own else None) == (value, unit)


def test_prose_reader_keeps_notes_not_cells(tmp_path):
    """without_tables() hides the cells from the prose reader but keeps a column of notes (說明)."""
    import pdfplumber

    from zhmine.ingest import page_text
    from zhmine.tables import page_tables, without_tables

    c, h = _titled(tmp_path / "notes.pdf", "歲出計畫提要及分支計畫概況表", "單位：新臺幣千元")
    y = h - 90
    c.drawString(60, y, "名    稱")
    c.drawRightString(250, y, "本年度預算數")
    c.drawRightString(330, y, "上年度預算數")
    c.drawString(350, y, "說    明")
    notes = ["本年度預算數12,000千元，", "較上年度減列4,000千元。", "包括業務費8,000千元，", "獎補助費4,000千元。"]
    for k, (label, a, b) in enumerate([("一般行政", "12,000", "16,000"), ("業務費", "8,000", "9,000"),
                                       ("獎補助費", "4,000", "7,000"), ("債務費", "-", "-")]):
        y -= 16
        c.drawString(60, y, label)
        c.drawRightString(250, y, a)
        c.drawRightString(330, y, b)
        c.drawString(350, y, notes[k])
    c.save()
    with pdfplumber.open(tmp_path / "notes.pdf") as pdf:
        page = pdf.pages[0]
        grids, figs = page_tables(page, 1)
        prose = page_text(without_tables(page, grids))
    assert len(grids) == 1 and len(figs) == 6
    assert "較上年度減列4,000千元" in prose.replace("\n", "") and "16,000" not in prose
    assert "歲出計畫提要" in prose


@pytest.mark.parametrize("first_pages,year", [
    (["上海市某区财政局\n年度部门决算\n2024"], 2024), (["", "目 次", "監察院主管 114 年度施政及預算重點說明"], 2025),
    (["2025年部门预算"], 2025), (["中華民國113年度總預算"], 2024), (["没有年份"], None)])
def test_document_year(first_pages, year):
    from types import SimpleNamespace

    from zhmine.tables import document_year

    pdf = SimpleNamespace(pages=[SimpleNamespace(extract_text=lambda t=t: t) for t in first_pages])
    assert document_year(pdf) == year


def test_a_page_without_a_digit_is_not_searched_for_tables(tmp_path, monkeypatch):
    """A ruled frame of words (no digit: no value cell) is not searched, not even by pdfplumber's line
    finder; the ruled table of the next page still is, and is found."""
    import pdfplumber

    from zhmine.tables.find import find_tables

    _two_grid_pages(tmp_path / "cue.pdf", "某区教育局工作职责", "职责一览",
                    [["教育管理事务", "统筹", "指导"], ["教育督导事务", "检查", "评估"]],
                    [["一般公共服务支出", "120.50", "100.00"], ["教育支出", "80.25", "80.25"]], True)
    searched = []
    for name in ("extract_words", "find_tables"):
        real = getattr(pdfplumber.page.Page, name)

        def spy(self, *a, _real=real, _name=name, **k):
            searched.append((self.page_number, _name))
            return _real(self, *a, **k)
        monkeypatch.setattr(pdfplumber.page.Page, name, spy)
    with pdfplumber.open(tmp_path / "cue.pdf") as pdf:
        assert pdf.pages[0].edges, "the first page has rules: only the digit cue leaves it out"
        grids = [find_tables(page, n) for n, page in enumerate(pdf.pages, 1)]
    assert grids[0] == [] and len(grids[1]) == 1
    assert {p for p, _ in searched} == {2} and {n for _, n in searched} == {"extract_words", "find_tables"}


def _spy(monkeypatch, name, calls):
    import pdfplumber

    real = getattr(pdfplumber.page.Page, name)

    def spy(self, *a, **k):
        calls.append(self.page_number)
        return real(self, *a, **k)
    monkeypatch.setattr(pdfplumber.page.Page, name, spy)


def test_the_title_year_is_not_read_from_a_pdf_without_tables(tmp_path, monkeypatch):
    """ingest reads a PDF's title year (extract_text on its first pages) only when a page has a table."""
    from zhmine.ingest import read

    c, h = _titled(tmp_path / "prose.pdf", "某区教育局2023年工作总结", "")
    c.drawString(60, h - 100, "全年共培训教师1200人次。")
    c.showPage()
    c.setFont(FONT, 9)
    c.drawString(60, h - 60, "下一年度继续推进。")
    c.save()
    asked: list[int] = []
    _spy(monkeypatch, "extract_text", asked)
    src = read(tmp_path / "prose.pdf")
    assert "1200人次" in src.text and src.tables == []
    assert asked == []


def test_a_table_after_the_first_page_takes_the_title_year_without_parsing_a_page_twice(tmp_path, monkeypatch):
    """The title on page 1, the first table on page 2: the table's cells take the title's year, and page 1,
    held open until the year is asked for, is parsed once."""
    from zhmine.ingest import read

    c, h = _titled(tmp_path / "late.pdf", "某区教育局2023年部门决算", "")
    c.drawString(60, h - 100, "本部门决算说明如下。")
    c.showPage()
    c.setFont(FONT, 9)
    c.drawString(400, h - 50, "单位：万元")
    _grid_page(c, h, [["一般公共服务支出", "120.50", "100.00"], ["教育支出", "80.25", "80.25"]],
               [60, 260, 360, 460], 60, True)
    c.save()
    asked, parsed = [], []
    _spy(monkeypatch, "extract_text", asked)
    _spy(monkeypatch, "parse_objects", parsed)
    src = read(tmp_path / "late.pdf")
    assert len(src.tables) == 4 and {f["year"] for f in src.tables} == {2023}
    assert asked == [1]  # the year is on page 1: the title reader stops there
    assert sorted(parsed) == [1, 2]


def test_a_title_that_cannot_be_read_gives_no_year_and_the_tables_are_still_read(tmp_path, monkeypatch):
    import pdfplumber

    from zhmine.ingest import read

    _two_grid_pages(tmp_path / "split.pdf", "2023年部门支出决算表", "单位：万元",
                    [["一般公共服务支出", "120.50", "100.00"], ["教育支出", "80.25", "80.25"]],
                    [["卫生健康支出", "33.10", "30.00"], ["住房保障支出", "12.00", "12.00"]], False)

    def broken(self, *a, **k):
        raise ValueError("unreadable title")
    monkeypatch.setattr(pdfplumber.page.Page, "extract_text", broken)
    src = read(tmp_path / "split.pdf")
    assert len(src.tables) == 8
    assert not any("tables not read" in w for w in src.warnings)
