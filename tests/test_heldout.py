"""Held-out evaluation: documents the extractor authors never tuned on (tests/heldout/README.md).

The gold follows ../shared/gold/GUIDELINES.md and is scored with ../shared/eval/score.py, the same scorer as
the shared corpus. The floors are generous on purpose: they catch real regressions, not small drifts.
"""
import importlib.util
import json
from pathlib import Path

import pytest

HELDOUT = Path(__file__).resolve().parent / "heldout"
DOCS = HELDOUT / "docs"
GOLD = HELDOUT / "gold"

KINDS = {"money", "count", "percent", "weight", "duration", "age", "other"}
APPROX = {None, "more_than", "less_than", "about", "at_least", "at_most"}
FLOORS = {"figures": 0.80, "places": 0.80, "dates": 0.75}


def gold_files():
    return sorted(GOLD.glob("*.json"))


def test_every_document_has_gold():
    assert sorted(p.stem for p in DOCS.glob("*.txt")) == [p.stem for p in gold_files()]


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_gold_is_well_formed(gold_path):
    """Every surface is in its document, in document order, and the fields use the spec's vocabularies."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (DOCS / gold["doc"]).read_text(encoding="utf-8")
    for kind in ("figures", "dates", "places"):
        pos = 0
        for item in gold[kind]:
            found = text.find(item["surface"], pos)
            assert found >= 0, f"{kind} {item['surface']!r} not found after offset {pos}"
            pos = found + len(item["surface"])
    for f in gold["figures"]:
        assert f["kind"] in KINDS and f["approx"] in APPROX, f
        assert isinstance(f["value"], (int, float)) and f["metric"], f
        assert f["value_max"] is None or f["value_max"] > f["value"], f
        assert f["region"] and f["region"].split("/")[0] == gold["default_region"].split("/")[0], f
    for p in gold["places"]:
        assert p["path"].split("/")[-1], p


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("heldout_score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_heldout_scores(shared, nlp, tmp_path):
    """Run the real extractor over the held-out documents and score it against the held-out gold."""
    from zhmine.pipeline import extract_file, to_jsonl_records

    pred = tmp_path / "heldout.jsonl"
    with pred.open("w", encoding="utf-8") as out:
        for path in sorted(DOCS.glob("*.txt")):
            for rec in to_jsonl_records(extract_file(path, nlp=nlp)):
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")

    scorer = load_scorer(shared)
    result = scorer.score(scorer.load_gold(GOLD, None), scorer.load_pred(str(pred)))
    print("\nheld-out: " + scorer.summary_line(result))
    assert result["documents"] == len(gold_files())
    for name, floor in FLOORS.items():
        assert result[name]["f1"] >= floor, f"{name} F1 {result[name]['f1']} < {floor}: {scorer.summary_line(result)}"
