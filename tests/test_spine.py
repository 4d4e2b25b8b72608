import json
import subprocess
import sys

from zhmine import pipeline


def test_nlp_is_a_spacy_pipeline_with_registered_components(nlp):
    assert nlp.pipe_names == list(pipeline.COMPONENTS)
    doc = nlp("全市共投入资金185.41万元，慰问计生家庭4592户。")
    figs = [(s.text, s._.value, s._.unit) for s in doc.spans["figures"]]
    assert ("185.41万元", 1854100, "元") in figs
    assert ("4592户", 4592, "户") in figs


def test_a_figure_just_after_another_number_keeps_its_own_span(nlp):
    """Spans are cut at the characters the components found: a number the figure does not start
    with (1/20, then 3518万名) is not pulled into the figure's span and its metric."""
    doc = nlp("2024年，全省新增就业岗位约占全国1/20,3518万名返乡人员实现稳定就业。")
    figs = [(s.text, s._.value, s._.metric) for s in doc.spans["figures"]]
    assert ("3518万名", 35180000, "返乡人员实现稳定就业") in figs


def test_extract_cli_prints_jsonl(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("今年共发放助学金 12.5 万元。", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "zhmine.cli", "extract", "--format", "jsonl", str(f)],
                         capture_output=True, text=True, check=True).stdout
    recs = [json.loads(line) for line in out.splitlines()]
    figs = [r for r in recs if r["type"] == "figure"]
    assert figs and figs[0]["doc"] == "a.txt" and figs[0]["value"] == 125000 and figs[0]["surface"] == "12.5 万元"



# our own sentence: a running total of this year, in the county the document is about
CONTEXT_TEXT = "今年以来，全县共投入帮扶资金185.41万元，走访慰问困难家庭4592户。"
CONTEXT = {"doc_date": "2023-06-30", "region": "福建省/南平市/浦城县"}
FIELDS = ("value", "unit", "region", "year", "metric", "cumulative")


def figures_read(doc) -> list:
    return [[s.text] + [getattr(s._, f) for f in FIELDS] for s in doc.spans["figures"]]


def test_make_doc_carries_the_document_context(nlp):
    import zhmine

    bare = figures_read(nlp(CONTEXT_TEXT))
    assert [f[:3] for f in bare] == [["185.41万元", 1854100, "元"], ["4592户", 4592, "户"]]
    assert all(f[3] is None and f[4] is None for f in bare)  # no date nor region to read them against
    doc = zhmine.make_doc(CONTEXT_TEXT, title="浦城县帮扶工作简报", nlp=nlp, **CONTEXT)
    assert (doc._.doc_date, doc._.default_region, doc._.title) == ("2023-06-30", "福建省/南平市/浦城县", "浦城县帮扶工作简报")
    figs = figures_read(nlp(doc))
    assert [f[:5] for f in figs] == [["185.41万元", 1854100, "元", "福建省/南平市/浦城县", 2023],
                                     ["4592户", 4592, "户", "福建省/南平市/浦城县", 2023]]


def test_sentences_are_a_factory_with_paragraph_spans(nlp):
    from zhmine.segment import SentenceSegmenter, make_sentences  # noqa: F401 (the entry point's name)

    assert isinstance(nlp.get_pipe("zh_sentences"), SentenceSegmenter)
    doc = nlp("第一句。第二句！\n第二段；还有\n\n")
    assert [s.text for s in doc.sents] == ["第一句。", "第二句！\n", "第二段；", "还有\n\n"]
    assert [p.text for p in doc.spans["paragraphs"]] == ["第一句。第二句！", "第二段；还有"]
    assert not len(nlp(""))


def test_a_saved_pipeline_loads_in_a_process_that_imports_nothing_of_ours(nlp, tmp_path):
    """nlp.to_disk, then spacy.load in a fresh process: the package's entry points (pyproject.toml)
    give spaCy the factories and the tokenizer, and the loaded pipeline reads as zhmine.load()'s."""
    import zhmine

    path = tmp_path / "zhmine-nlp"
    nlp.to_disk(path)
    code = f"""
import json, sys
import spacy
assert not [m for m in sys.modules if m.split(".")[0] in ("zhmine", "extract")], "imported too early"
nlp = spacy.load(sys.argv[1])
doc = nlp.make_doc({CONTEXT_TEXT!r})
doc._.doc_date, doc._.default_region = {CONTEXT["doc_date"]!r}, {CONTEXT["region"]!r}
figures = [[s.text] + [getattr(s._, f) for f in {FIELDS!r}] for s in nlp(doc).spans["figures"]]
print(json.dumps({{"pipes": nlp.pipe_names, "tokenizer": type(nlp.tokenizer).__name__, "figures": figures}}))
"""
    # run outside the checkout, so that nothing of ours is found beside the script
    out = subprocess.run([sys.executable, "-c", code, str(path)], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    loaded = json.loads(out.stdout)
    assert loaded["pipes"] == list(pipeline.COMPONENTS)
    assert loaded["tokenizer"] == "CharTokenizer"
    expected = figures_read(nlp(zhmine.make_doc(CONTEXT_TEXT, nlp=nlp, **CONTEXT)))
    assert loaded["figures"] == expected and len(expected) == 2
