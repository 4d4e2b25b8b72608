"""Every way Chinese writes a number, through the figure finder: conformance-style cases of our own
(tests/forms/figures.jsonl, one sentence each). A case marked `pending` names the figures.py change of
issue 14 it waits for; it is an expected failure until then, and a strict one: once it passes, drop
the mark."""
import json
from pathlib import Path

import pytest

from zhmine.figures import find_figures

CASES = [json.loads(line) for line in (Path(__file__).parent / "forms" / "figures.jsonl").open(encoding="utf-8")]


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c["input"], marks=pytest.mark.xfail(strict=True, reason=c["pending"])) if c.get("pending")
    else pytest.param(c, id=c["input"])
    for c in CASES
])
def test_numeral_form(case):
    got = [[f["value"], f["unit"]] for f in find_figures(case["input"])]
    assert got == case["expected"]
