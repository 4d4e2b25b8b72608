"""Archives as they are (issue 17): HTML, MHTML, Word, spreadsheets and zip/tar.gz, each built here
from a text we wrote, read through the same stages as the same text in a .txt file."""
from __future__ import annotations

import io
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from formats_data import PARAGRAPHS, TABLE, html_page, plain_text, write_docx, write_xlsx
from zhmine.batch import find_files
from zhmine.ingest import IngestError, read


def _key(result):
    figures = sorted((f["surface"], f["value"], f["unit"] or "", f["year"] or 0, f["region"] or "", f["metric"] or "")
                     for f in result.figures)
    dates = sorted((d["surface"], d["value"]) for d in result.dates)
    places = sorted((p["surface"], p["path"]) for p in result.places)
    return figures, dates, places, result.doc_date


@pytest.fixture(scope="module")
def as_txt(tmp_path_factory):
    from zhmine.pipeline import extract_source

    path = tmp_path_factory.mktemp("txt") / "doc.txt"
    path.write_text(plain_text(), encoding="utf-8")
    result = extract_source(read(path))
    assert len(result.figures) >= 5 and result.places and result.doc_date == "2023-05-12"
    return _key(result)


def _same_as_txt(path, as_txt):
    from zhmine.pipeline import extract_source

    assert _key(extract_source(read(path))) == as_txt


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_page_equals_its_text(tmp_path, as_txt, charset):
    path = tmp_path / "page.html"
    path.write_bytes(html_page(with_table=False, charset=charset).encode(charset))
    src = read(path)
    assert src.encoding == ("gb18030" if charset == "gbk" else "utf-8")
    assert src.metadata["Title"].startswith("遵义市计生协召开") and src.metadata["date"] == "2023-05-12"
    assert src.metadata["source"] == "市计生协"
    # navigation, the sidebar's other articles and the footer are gone
    for boiler in ("首页", "热点文章", "2.6亿元", "5000人", "9800份", "版权所有", "分享到", "上一篇"):
        assert boiler not in src.text
    _same_as_txt(path, as_txt)


def test_gbk_page_without_meta_charset_is_detected(tmp_path):
    page = html_page(with_table=False).replace('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', "")
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gbk"))
    src = read(path)
    assert src.encoding == "gb18030" and PARAGRAPHS[0][:20] in src.text


def test_html_table_is_read_as_a_table(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(html_page(), encoding="utf-8")
    src = read(path)
    assert "120.5" not in src.text  # the table's cells are not prose
    got = {(f["row_label"], f["year"], f["value"], f["unit"]) for f in src.tables}
    assert got == {("救助金", 2022, 3560000, "元"), ("救助金", 2023, 4000000, "元"),
                   ("慰问金", 2022, 1205000, "元"), ("慰问金", 2023, 1300000, "元")}
    assert all(f["page"] == 1 and f["table"] == 0 for f in src.tables)


def test_mhtml(tmp_path, as_txt):
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    msg = MIMEMultipart("related")
    msg["Subject"] = "saved page"
    msg.attach(MIMEText(html_page(with_table=False), "html", "gbk"))
    path = tmp_path / "page.mhtml"
    path.write_bytes(msg.as_bytes())
    src = read(path)
    assert src.kind == "mhtml" and "热点文章" not in src.text
    _same_as_txt(path, as_txt)


def test_docx_equals_its_text_and_reads_tables(tmp_path, as_txt):
    plain = tmp_path / "plain.docx"
    write_docx(plain, with_table=False)
    _same_as_txt(plain, as_txt)
    path = tmp_path / "report.docx"
    write_docx(path)
    src = read(path)
    assert src.kind == "docx" and "120.5" not in src.text
    assert {(f["row_label"], f["year"], f["value"]) for f in src.tables} >= {("慰问金", 2022, 1205000)}


def test_xlsx_sheet_as_a_table(tmp_path):
    path = tmp_path / "stats.xlsx"
    write_xlsx(path)
    src = read(path)
    assert src.kind == "xlsx" and "救助情况" in src.text
    got = {(f["row_label"], f["year"], f["value"], f["unit"], f["sheet"], f["page"]) for f in src.tables}
    assert got == {("救助金", 2022, 3560000, "元", "救助情况", 1), ("救助金", 2023, 4000000, "元", "救助情况", 1),
                   ("慰问金", 2022, 1205000, "元", "救助情况", 1), ("慰问金", 2023, 1300000, "元", "救助情况", 1)}


def test_xls_reads_as_its_xlsx(tmp_path):
    pytest.importorskip("xlwt")
    from formats_data import write_xls

    xls, xlsx = tmp_path / "stats.xls", tmp_path / "stats.xlsx"
    write_xls(xls)
    write_xlsx(xlsx)
    a, b = read(xls), read(xlsx)
    assert a.kind == "xls" and a.text == b.text

    def key(figs):
        return sorted((f["row_label"], f["year"], f["value"], f["unit"], f["sheet"]) for f in figs)

    assert key(a.tables) == key(b.tables) and len(a.tables) == 4


def test_same_table_same_figures_in_every_format(tmp_path):
    html, docx_, xlsx = tmp_path / "a.html", tmp_path / "a.docx", tmp_path / "a.xlsx"
    html.write_text(html_page(), encoding="utf-8")
    write_docx(docx_)
    write_xlsx(xlsx)
    values = [sorted((f["row_label"], f["year"], f["value"], f["unit"]) for f in read(p).tables) for p in (html, docx_, xlsx)]
    assert values[0] == values[1] == values[2] and len(values[0]) == 2 * (len(TABLE) - 1)


def _zip_of(path, files: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


def test_zip_members_are_documents(tmp_path, as_txt):
    inner = tmp_path / "inner.docx"
    write_docx(inner, with_table=False)
    archive = tmp_path / "reports.zip"
    _zip_of(archive, {"2023/report.docx": inner.read_bytes(), "2023/page.html": html_page(with_table=False).encode(),
                      "notes.txt": plain_text().encode(), "image.png": b"\x89PNG....", "__MACOSX/._x.txt": b"x"})
    files = find_files([tmp_path])
    names = [str(f) for f in files if "!/" in str(f)]
    assert names == [f"{archive}!/2023/page.html", f"{archive}!/2023/report.docx", f"{archive}!/notes.txt"]
    for member in names:
        src = read(member)
        assert str(src.path) == member
        _same_as_txt(member, as_txt)


def test_tar_gz_members(tmp_path):
    archive = tmp_path / "reports.tar.gz"
    data = plain_text().encode()
    with tarfile.open(archive, "w:gz") as t:
        info = tarfile.TarInfo("a/notes.txt")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    [member] = find_files([archive])
    assert str(member) == f"{archive}!/a/notes.txt" and PARAGRAPHS[0] in read(member).text


def test_zip_bomb_is_a_clear_error(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("big.txt", "w") as f:
            block = b"\0" * (1 << 20)
            for _ in range(50):  # 50 MB of zeros pack to about 50 KB
                f.write(block)
    assert find_files([bomb]) == [bomb]  # not expanded: reading it records the reason
    with pytest.raises(IngestError, match="zip bomb"):
        read(bomb)


def test_too_many_members(tmp_path, monkeypatch):
    from zhmine.formats import archive as archive_mod

    monkeypatch.setattr(archive_mod, "MAX_MEMBERS", 3)
    path = tmp_path / "many.zip"
    _zip_of(path, {f"{i}.txt": b"x" for i in range(5)})
    with pytest.raises(IngestError, match="over 3 members"):
        read(path)


@pytest.mark.parametrize("name, data, reason", [
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable .docx"),
    ("broken.docx", b"hello, not a word file", "not a readable .docx"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable workbook"),
    ("broken.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "not a readable .xls"),
    ("broken.zip", b"PK\x03\x04 broken", "not a zip or tar.gz|not a readable archive"),
    ("empty.html", b"<html><head><title></title></head><body><div> </div></body></html>", "no article text"),
])
def test_bad_input_is_a_clear_error(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=reason) as e:
        read(path)
    assert str(e.value).startswith(str(path)) and "\n" not in str(e.value)


@pytest.mark.parametrize("suffix, write", [(".xlsx", write_xlsx), (".docx", write_docx)])
def test_password_protected_office_files(tmp_path, suffix, write):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / f"plain{suffix}"
    write(plain)
    locked = tmp_path / f"locked{suffix}"
    with plain.open("rb") as f, locked.open("wb") as out:
        OOXMLFile(f).encrypt("secret", out)
    assert msoffcrypto  # the library that wrote it
    with pytest.raises(IngestError, match="password-protected"):
        read(locked)


@pytest.mark.parametrize("name, what", [("old.doc", "Word 97-2003"), ("old.wps", "WPS")])
def test_damaged_doc_and_wps_are_clear_errors(tmp_path, name, what):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    with pytest.raises(IngestError, match="antiword") as e:
        read(path)
    if shutil.which("antiword") is None:
        assert "apt-get install antiword" in e.value.reason
    else:
        assert f"not a readable {what} document" in e.value.reason and "save it as .docx" in e.value.reason
    path.write_bytes(b"plain words, not a Word file")
    with pytest.raises(IngestError, match="no Word header"):
        read(path)


def test_corpus_has_each_new_format():
    """`make run` over corpus/ reads one document of each new format (scripts/make_corpus_formats.py)."""
    from zhmine.pipeline import extract_source

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    new = [p for p in find_files([corpus]) if p.suffix not in (".txt", ".pdf")]
    kinds = {}
    for path in new:
        src = read(path)
        result = extract_source(src)
        assert result.figures or src.tables, path
        kinds[src.kind] = path
    assert set(kinds) == {"html", "mhtml", "docx", "xlsx"}
    assert any("!/" in str(p) for p in kinds.values())  # the zip's members are documents
