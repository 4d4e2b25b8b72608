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
