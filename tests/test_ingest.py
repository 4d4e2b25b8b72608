"""ingest: text in every encoding archives use, PDFs read column by column with pages, clear errors."""
import os
from pathlib import Path

import pytest

from zhmine.ingest import IngestError, read

ROOT = Path(__file__).resolve().parent.parent

SIMPLIFIED = ("2023年，遵义市红十字会共开展应急救护培训1260场次，培训持证救护员1.52万人，"
              "救助困难群众3.62万人次，投入资金486.2万元。\n（遵义市红十字会）\n")
TRADITIONAL = ("2021年，全區各級計生協會共投入幫扶資金2865.7萬元，慰問計生特殊家庭3.27萬戶次，"
               "為計生特殊家庭成員購買住院護理補貼保險4.6萬份。\n（廣西計生協）\n")


@pytest.mark.parametrize("codec, text, expected", [
    ("utf-8", SIMPLIFIED, "utf-8"),
    ("utf-8-sig", SIMPLIFIED, "utf-8"),
    ("gb18030", SIMPLIFIED, "gb18030"),
    ("gbk", SIMPLIFIED, "gb18030"),
    ("big5", TRADITIONAL, "big5"),
    ("utf-16", SIMPLIFIED, "utf-16"),  # with BOM
    ("utf-16-le", SIMPLIFIED, "utf-16"),  # without BOM
    ("utf-16-be", TRADITIONAL, "utf-16"),
    ("bom+utf-16-be", TRADITIONAL, "utf-16"),  # big-endian with its BOM
])
def test_encoding_round_trip(tmp_path, codec, text, expected):
    path = tmp_path / f"doc.{codec}.txt"
    bom, _, codec = codec.rpartition("+")
    data = text.replace("\n", "\r\n").encode(codec)
    path.write_bytes(("\ufeff".encode(codec) if bom else b"") + data)
    src = read(path)
    assert src.text == text  # CRLF normalized, BOM gone
    assert src.encoding == expected
    assert src.kind == "txt" and src.pages == [] and src.page_at(5) is None


def test_our_corpus_documents_decode(tmp_path):
    expected = {"gb18030": "巾帼家政", "big5": "計生協會", "utf16": "家庭健康", "redcross-2023.txt": "红十字会"}
    for path in (ROOT / "corpus").glob("*.txt"):
        src = read(path)
        word = next(w for key, w in expected.items() if key in path.name)
        assert word in src.text, path.name


def test_utf8_with_a_damaged_byte_is_read_with_a_warning(tmp_path):
    path = tmp_path / "damaged.txt"
    path.write_bytes(SIMPLIFIED[:20].encode("utf-8") + b"\xff" + SIMPLIFIED[20:].encode("utf-8"))
    src = read(path)
    assert src.encoding == "utf-8" and "\ufffd" in src.text
    assert src.text.replace("\ufffd", "") == SIMPLIFIED
    assert src.warnings and "damaged" in src.warnings[0]


@pytest.mark.parametrize("content, says", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "text file"),
    (b"PK\x03\x04" + os.urandom(3000), "text file"),
])
def test_bad_text_files_raise_one_line_errors(tmp_path, content, says):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError) as e:
        read(path)
    message = str(e.value)
    assert message.startswith(str(path)) and "\n" not in message and says in message


# ------------------------------------------------------------------ PDF
def _font():
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


LEFT = [f"左栏第{n}行内容写在这里计生协会开展服务活动" for n in range(1, 13)]
RIGHT = [f"右栏第{n}行内容写在这里红十字会救护培训工作" for n in range(1, 13)]


def _two_column_pdf(path: Path, pages: int = 2) -> Path:
    """A masthead across the page, then two justified columns of 12 lines, on each page."""
    from reportlab.pdfgen import canvas

    font = _font()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for page in range(1, pages + 1):
        c.setFont(font, 16)
        c.drawString(150, 790, f"贵州红十字工作通讯第{page}版")
        c.setFont(font, 10)
        for i, (left, right) in enumerate(zip(LEFT, RIGHT)):
            y = 750 - 16 * i
            c.drawString(50, y, f"{page}{left}")
            c.drawString(320, y, f"{page}{right}")
        c.showPage()
    c.save()
    return path


def test_two_column_pdf_is_read_column_by_column_with_pages(tmp_path):
    src = read(_two_column_pdf(tmp_path / "two.pdf"))
    assert src.kind == "pdf" and len(src.pages) == 2 and src.warnings == []
    for page in (1, 2):
        title = src.text.index(f"贵州红十字工作通讯第{page}版")
        left = [src.text.index(f"{page}{line}") for line in LEFT]
        right = [src.text.index(f"{page}{line}") for line in RIGHT]
        assert title < left[0]
        assert left == sorted(left) and right == sorted(right)
        assert left[-1] < right[0]  # the whole left column before the right one
        assert {src.page_at(i) for i in [title] + left + right} == {page}


def test_three_column_page(tmp_path):
    from reportlab.pdfgen import canvas

    font = _font()
    path = tmp_path / "three.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(font, 10)
    for i in range(14):
        for x, name in ((40, "甲栏"), (225, "乙栏"), (410, "丙栏")):
            c.drawString(x, 760 - 15 * i, f"{name}第{i:02d}行计生协会开展服务")
    c.save()
    text = read(path).text
    order = [text.index(f"{name}第{i:02d}行") for name in ("甲栏", "乙栏", "丙栏") for i in range(14)]
    assert order == sorted(order)


def test_table_page_stays_one_column(tmp_path):
    """Label and number columns with an empty band between them are a table, read row by row."""
    from reportlab.pdfgen import canvas

    font = _font()
    path = tmp_path / "table.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(font, 10)
    rows = [("2013901", "行政运行", "51.32"), ("2013950", "事业运行", "11.31"), ("2080505", "养老保险缴费", "6.18"),
            ("2101101", "行政单位医疗", "2.22"), ("2210201", "住房公积金", "17.70"), ("2210203", "购房补贴", "11.72"),
            ("2130599", "其他巩固脱贫衔接", "30.00")]
    for i, (code, name, amount) in enumerate(rows):
        c.drawString(60, 760 - 18 * i, f"{code} {name}")
        c.drawString(420, 760 - 18 * i, amount)
    c.save()
    import pdfplumber

    from zhmine.ingest import page_text

    with pdfplumber.open(path) as pdf:  # the prose reader alone (ingest now reads the cells as a table)
        text = page_text(pdf.pages[0])
    assert "2013950 事业运行 11.31" in text
    assert "2210203 购房补贴 11.72" in text
    source = read(path)  # through ingest the rows are a table of their own: cells, not prose lines
    assert {(f["row_label"], f["surface"]) for f in source.tables} >= {("事业运行", "11.31"), ("购房补贴", "11.72")}


def test_page_without_text_layer_is_reported(tmp_path):
    from reportlab.pdfgen import canvas

    font = _font()
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(font, 12)
    c.drawString(72, 720, "全年救助困难群众3.62万人次。")
    c.showPage()
    c.rect(72, 72, 400, 600, fill=1)  # a page with a drawing and no text, like a scan
    c.showPage()
    c.save()
    src = read(path)
    assert len(src.pages) == 2 and src.pages[0].has_text and not src.pages[1].has_text
    assert len(src.warnings) == 1 and src.warnings[0].startswith("page 2 has no text layer")


def test_pdf_without_any_text_is_an_error(tmp_path):
    from reportlab.pdfgen import canvas

    pytest.importorskip("reportlab")
    path = tmp_path / "allscan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(72, 72, 400, 600, fill=1)
    c.save()
    with pytest.raises(IngestError, match="OCR"):
        read(path)


def test_corrupt_and_encrypted_pdfs_raise_one_line_errors(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n")
    with pytest.raises(IngestError, match="not a readable PDF") as e:
        read(corrupt)
    assert "\n" not in str(e.value) and str(corrupt) in str(e.value)

    locked = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(locked), encrypt=pdfencrypt.StandardEncryption("secret"))
    c.drawString(72, 720, "locked")
    c.save()
    with pytest.raises(IngestError, match="encrypted"):
        read(locked)

    disguised = tmp_path / "report.txt"  # a PDF saved under a text name is still read as a PDF
    disguised.write_bytes(corrupt.read_bytes())
    with pytest.raises(IngestError, match="not a readable PDF"):
        read(disguised)


def test_fake_bold_doubled_glyphs_are_read_once(tmp_path):
    from reportlab.pdfgen import canvas

    font = _font()
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(font, 14)
    for dx in (0, 0.7):  # fake bold: the same string drawn twice, a fraction of a point apart
        c.drawString(72 + dx, 720, "南平市计生协会")
    c.save()
    assert read(path).text.split("\n")[0] == "南平市计生协会"


def test_our_corpus_pdf(tmp_path):
    path = ROOT / "corpus" / "zhejiang-redcross-newsletter-2023-04.pdf"
    src = read(path)
    assert len(src.pages) == 2
    order = [src.text.index(s) for s in ("浙江红十字工作通讯", "应急救护培训走进千村万户", "人道救助温暖困难群众",
                                         "全省红十字系统志愿服务工作综述", "红十字青少年工作亮点纷呈")]
    assert order == sorted(order)
    assert src.page_at(order[-1]) == 2 and src.page_at(order[1]) == 1
    assert src.metadata.get("Title", "").startswith("浙江红十字工作通讯")
    assert "\n无偿献血和遗体器官捐献工作稳步推进\n" in src.text  # a headline wrapped over two lines is one line
    assert "\n\u3000\u3000杭州市红十字会联合市教育局" in src.text  # a paragraph's indent is kept


def test_dedupe_drops_a_glyph_within_a_point_of_one_kept():
    from zhmine.pdftext import dedupe

    def glyph(text, x, y=100.0):
        return {"text": text, "x0": x, "top": y}

    chars = [glyph("南", 10.0), glyph("南", 10.7), glyph("平", 10.0),  # a double and another glyph at its place
             glyph("南", 11.9), glyph("南", 12.2),  # 11 is next to the kept 10: dropped; 12 is not: kept
             glyph("市", 30.0), glyph("市", 30.5, 101.4), glyph("市", 30.0, 102.0)]
    assert [(c["text"], c["x0"], c["top"]) for c in dedupe(chars)] == [
        ("南", 10.0, 100.0), ("平", 10.0, 100.0), ("南", 12.2, 100.0), ("市", 30.0, 100.0), ("市", 30.0, 102.0)]


def test_a_text_layer_pdf_does_not_ask_for_the_ocr_engine(tmp_path, monkeypatch):
    """Under --ocr auto the engine (an onnxruntime import) is looked for only when a page has no text."""
    from zhmine import ocr

    asked = []
    monkeypatch.setenv("ZHMINE_OCR", "auto")
    monkeypatch.setattr(ocr, "available", lambda: asked.append(1) or False)
    assert read(_two_column_pdf(tmp_path / "two.pdf")).pages[0].has_text
    assert asked == []
    test_page_without_text_layer_is_reported(tmp_path)  # page 2 has no text: now it asks, once
    assert asked == [1]


def test_each_page_is_parsed_once_and_the_collector_is_restored(tmp_path, monkeypatch):
    """A page without text is not parsed again after page.close() to tell an image from nothing; the
    collector's threshold is raised while the PDF is read and restored after, an error included."""
    import gc

    import pdfplumber

    from zhmine import ingest

    monkeypatch.setenv("ZHMINE_OCR", "never")  # page 2 is the text layer's, not OCR'd
    parsed, during = [], []
    real_parse = pdfplumber.page.Page.parse_objects
    real_read = ingest._page_with_tables
    monkeypatch.setattr(pdfplumber.page.Page, "parse_objects",
                        lambda self: parsed.append(self.page_number) or real_parse(self))
    monkeypatch.setattr(ingest, "_page_with_tables", lambda *a: during.append(gc.get_threshold()) or real_read(*a))
    before = gc.get_threshold()
    test_page_without_text_layer_is_reported(tmp_path)
    assert sorted(parsed) == [1, 2]
    assert gc.get_threshold() == before and during and all(t[0] >= 20_000 for t in during)
    monkeypatch.setattr(ingest, "_page_with_tables", lambda *a: 1 / 0)
    with pytest.raises(IngestError, match="page 1"):
        read(_two_column_pdf(tmp_path / "fails.pdf"))
    assert gc.get_threshold() == before


def test_pdfs_read_at_once_by_threads_restore_the_first_threshold(tmp_path):
    import gc
    import threading

    paths = [_two_column_pdf(tmp_path / f"t{i}.pdf") for i in range(3)]
    before = gc.get_threshold()
    threads = [threading.Thread(target=read, args=(p,)) for p in paths for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.get_threshold() == before
