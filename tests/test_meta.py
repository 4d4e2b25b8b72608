"""Document metadata (--meta FILE, --region): read, checked with errors naming the file and line,
winning over inference, and stored on the document."""
import json

import pytest
from click.testing import CliRunner

from zhmine import meta
from zhmine.cli import main

TEXT = "县慈善总会今年共募集善款120万元，救助困难群众300户。\n"


@pytest.fixture
def docs(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("全市今年新建服务站26个。\n", encoding="utf-8")
    return tmp_path


def records(output):
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_csv_meta_wins_over_inference_and_names_its_source(docs):
    (docs / "m.csv").write_text("file,region,doc_date,title\na.txt,平阳县,2023-05-01,慈善简报\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(docs / "a.txt"), "--meta", str(docs / "m.csv")])
    assert res.exit_code == 0, res.output
    figs = [r for r in records(res.output) if r["type"] == "figure"]
    assert {f["region"] for f in figs} == {"浙江省/温州市/平阳县"}
    assert {f["year"] for f in figs} == {2023}  # 今年 from the meta file's doc_date


def test_jsonl_meta_by_path_and_region_for_every_document(docs):
    (docs / "m.jsonl").write_text(json.dumps({"path": str(docs / "b.txt"), "region": "福建省/三明市"}) + "\n",
                                  encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(docs), "--meta", str(docs / "m.jsonl"), "--region", "350722"])
    assert res.exit_code == 0, res.output
    by_doc = {(r["doc"], r["region"], r["region_source"]) for r in records(res.output) if r["type"] == "figure"}
    # b.txt: its own record; a.txt: --region (浦城县 by its code); 全市 resolves within the given area
    assert ("b.txt", "福建省/三明市", "sentence") in by_doc
    assert {r[1] for r in by_doc if r[0] == "a.txt"} == {"福建省/南平市/浦城县"}


def test_figure_without_a_place_takes_the_metadata_region(docs):
    (docs / "c.txt").write_text("今年共发放助学金15万元。\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(docs / "c.txt"), "--region", "福建省/南平市"])
    fig = next(r for r in records(res.output) if r["type"] == "figure")
    assert (fig["region"], fig["region_source"]) == ("福建省/南平市", "metadata")


@pytest.mark.parametrize("content, message", [
    ("file,region\nmissing.txt,福建省\n", "m.csv:2: no document 'missing.txt'"),
    ("file,region\na.txt,福建省\na.txt,不存在县\n", "m.csv:3: unknown region '不存在县'"),
    ("file,doc_date\na.txt,2023-13-01\n", "m.csv:2: doc_date '2023-13-01' is not a date"),
    ("file,colour\na.txt,red\n", "m.csv:2: unknown field 'colour'"),
    ("region\n福建省\n", "m.csv:1: the header needs a file column"),
])
def test_a_bad_meta_file_is_an_error_naming_its_line(docs, content, message):
    (docs / "m.csv").write_text(content, encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(docs / "a.txt"), "--meta", str(docs / "m.csv")])
    assert res.exit_code == 2
    assert message in res.output


def test_a_bad_jsonl_line_is_an_error_naming_its_line(docs):
    (docs / "m.jsonl").write_text('{"file": "a.txt"}\n{"file": "a.txt", \n', encoding="utf-8")
    with pytest.raises(meta.MetaError, match=r"m\.jsonl:2: not JSON"):
        meta.load_meta(docs / "m.jsonl", [docs / "a.txt"])


def test_unknown_or_ambiguous_region_option_is_an_error():
    res = CliRunner().invoke(main, ["extract", "nowhere.txt", "--region", "不存在县"])
    assert res.exit_code == 2 and "unknown region '不存在县'" in res.output
    with pytest.raises(meta.MetaError, match="names .* areas"):
        meta.resolve_region("鼓楼区")  # 福州, 南京, 徐州, 开封 each have one


def test_run_stores_metadata_and_inferred_region_with_their_sources(docs, tmp_path):
    import sqlite3

    (docs / "m.csv").write_text("file,region,issuer,source,title\na.txt,平阳县,县慈善总会,平阳新闻,简报\n",
                                encoding="utf-8")
    db = tmp_path / "z.db"
    res = CliRunner().invoke(main, ["run", str(docs / "a.txt"), str(docs / "b.txt"), "--db", str(db), "--workers", "1",
                                    "--quiet", "--meta", str(docs / "m.csv")])
    assert res.exit_code == 0, res.output
    con = sqlite3.connect(db)
    rows = dict((r[0], r[1:]) for r in con.execute(
        "select name, default_region, region_source, issuer, source, title from documents"))
    assert rows["a.txt"] == ("浙江省/温州市/平阳县", "metadata", "县慈善总会", "平阳新闻", "简报")
    assert rows["b.txt"] == (None, None, None, None, None)  # nothing names its area, nothing given
    sources = dict(con.execute("select document, region_source from figures where region is not null"))
    assert sources == {"a.txt": "sentence"}  # 县慈善总会 in its sentence, within the given county
    # a figure without any region has no source either
    assert {r[0] for r in con.execute("select region_source from figures where region is null")} <= {None}
