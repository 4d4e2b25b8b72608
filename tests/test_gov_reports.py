"""The 31 provincial government work reports of 2026 (../shared/samples/gov-reports-2026): each report's
review section (`一、2025年工作回顾`, `工作回顾`, `“十四五”时期和2025年工作回顾`) is filed under the
reviewed year, and its plan section (`三、2026年重点工作`, `今年工作安排`) under 2026.

The sections are found here from the reports' own outline, independently of the extractor: the
top-level divisions are the lines numbered `一、`, `二、`… (or, unnumbered, a short line naming a review
or the year's work); the review section is the first division, the plan section the first later one
naming 2026 or 今年."""
import re
from collections import Counter

import pytest

from conftest import SHARED
from zhmine import pipeline

_STOP = re.compile(r"[。；;！？]")


def _division(line: str) -> bool:
    line = line.strip()
    if _STOP.search(line):
        return False
    if re.match(r"[一二三四五六七八九十]+、", line):
        return len(line) <= 60
    return len(line) <= 45 and not re.search(r"[，,]", line) and bool(re.search(r"回顾|重点工作|主要目标", line))


def _sections(text: str):
    """(review start, review end, review heading), (plan start, plan end) in the cleaned text."""
    tops = [(m.start(), m.group().strip()) for m in re.finditer(r"[^\n]+", text) if _division(m.group())]
    assert tops, "no outline found"
    review = (tops[0][0], tops[1][0] if len(tops) > 1 else len(text), tops[0][1])
    later = [(s, line) for s, line in tops[1:] if re.search(r"2026|今年", line)]
    plan = None
    if later:
        after = [s for s, _ in tops if s > later[0][0]]
        plan = (later[0][0], after[0] if after else len(text))
    return review, plan


@pytest.fixture(scope="module")
def reports():
    folder = SHARED / "samples" / "gov-reports-2026"
    if not folder.is_dir():
        pytest.skip("../shared/samples/gov-reports-2026 is not there")
    paths = sorted(folder.glob("*.txt"))
    return {p.name: pipeline.extract_file(p) for p in paths}


def test_all_31_reports_are_read(reports):
    assert len(reports) == 31
    assert all(r.figures for r in reports.values())


def test_review_sections_are_filed_under_the_reviewed_year(reports):
    for name, r in reports.items():
        (rs, re_, heading), _ = _sections(r.text)
        years = Counter(f["year"] for f in r.figures if rs <= f["start"] < re_)
        n = sum(years.values())
        assert n >= 30, (name, heading, n)
        # at most a small share under the publication year
        assert years[2026] <= 0.05 * n, (name, heading, years)
        # nothing after it
        assert not [y for y in years if y and y > 2026], (name, years)
        if "2025" in heading or ("十四五" not in heading and "回顾" in heading):
            # a review of 2025 (with or without the five-year review, whose totals have no single
            # year): its figures are filed under 2025
            assert years[2025] >= 5 and years[2025] > 5 * years[2026], (name, heading, years)


def test_plan_sections_are_filed_under_the_coming_year(reports):
    found = 0
    for name, r in reports.items():
        _, plan = _sections(r.text)
        if plan is None:
            continue
        ps, pe = plan
        years = Counter(f["year"] for f in r.figures if ps <= f["start"] < pe)
        n = sum(years.values())
        if n < 10:
            continue
        found += 1
        assert years[2026] >= 0.85 * n, (name, years)
    assert found >= 25
