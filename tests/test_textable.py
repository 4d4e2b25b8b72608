"""The aligned table (extract/research/textable.py) against tabulate, whose output it reproduces."""
import subprocess
import sys

import pytest
import tabulate
import wcwidth
from hypothesis import given, settings, strategies as st

from zhmine.research import query, textable
from research_data import known_db


def _tabulate(rows):
    tabulate.WIDE_CHARS_MODE = True
    return tabulate.tabulate(rows, headers="keys", floatfmt=".15g", disable_numparse=False)


def _laid_out_here(rows) -> bool:
    return textable._layout(rows) is not None


def test_widths_are_wcwidths():
    """Every character the table measures itself is as wide as wcwidth says (1 or 2 columns); the
    others it leaves to tabulate."""
    for first, last, width in textable._RANGES + ((0x20, 0x7E, 1),):
        wrong = [hex(c) for c in range(first, last + 1)
                 if not textable._width(chr(c)) == width == wcwidth.wcwidth(chr(c))]
        assert not wrong, (hex(first), width, wrong[:5])
    for other in "\x00\x1f\x7f\u00ad\u0301\u200b\u2028\u302a\u3099\ufe0f\U0001f600\U00020000":
        assert textable._width("南" + other) is None, hex(ord(other))
    assert textable._width("南平市 2024年（万元）") == 21


@pytest.fixture(scope="module")
def kdb(tmp_path_factory):
    return known_db(tmp_path_factory.mktemp("t") / "known.db")


@pytest.mark.parametrize("group_by", [None, ["prefecture", "year"], ["unit"], ["county", "metric"]])
def test_query_tables_are_tabulates(kdb, group_by):
    rows = query.figures(kdb, group_by=group_by)
    keys = list(rows[0]) if group_by else [k for k in query.TABLE_COLUMNS if k in rows[0]]
    shown = [{k: query._short(r[k]) for k in keys} for r in rows]
    assert _laid_out_here(shown)  # Chinese text, numbers and empty cells: no tabulate needed
    assert textable.simple_table(shown) == _tabulate(shown)


# what a table holds: numbers, empty cells, text in the measured scripts, and what only tabulate lays out
_SAFE = "abcXYZ -_.:/()%南平市福建省元、。「」（）０１ＡＢ…—“”·①Ⅻかなカナ㈠"
_ODD = "\n\t\x1b\x01\u200b\u0301é😀\U00020000"
# strings tabulate reads as numbers (or bools), and some that only look like them
_NUMERIC = st.one_of(st.sampled_from(["12", " 3 ", "1,234", "1,234.50", "+1,000", "1e5", "nan", "NaN", "-inf", "inf",
                                      "infinity", "True", "False", ".5", "5.", "1_000", "", "  ", "1e999", "-", ".",
                                      "350700", "０７", "\xa012", "1,2345"]),
                     st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=False).map(str))
_PLAIN = st.one_of(st.none(), st.integers(-10**15, 10**15), st.floats(allow_nan=True, allow_infinity=True),
                   st.floats(-1e6, 1e6).map(lambda f: round(f, 3)), st.text(alphabet=_SAFE, max_size=12), _NUMERIC)
_ANY = st.one_of(_PLAIN, st.text(alphabet=_SAFE + _ODD, max_size=6), st.booleans(), st.binary(max_size=4))


def _tables(values):
    keys = st.lists(st.text(alphabet=_SAFE, min_size=1, max_size=6), min_size=1, max_size=5, unique=True)
    return keys.flatmap(lambda ks: st.lists(st.fixed_dictionaries({k: values for k in ks}), min_size=1, max_size=6))


@settings(max_examples=300, deadline=None)
@given(_tables(_PLAIN))
def test_tables_of_numbers_and_text_are_tabulates(rows):
    assert _laid_out_here(rows)
    assert textable.simple_table(rows) == _tabulate(rows)


@settings(max_examples=300, deadline=None)
@given(_tables(_ANY))
def test_any_table_is_tabulates(rows):
    assert textable.simple_table(rows) == _tabulate(rows)


def test_numbers_and_text_are_laid_out_here_and_the_rest_by_tabulate():
    assert _laid_out_here([{"地区": "南平市", "value": 1.5, "n": 3, "x": None}])
    assert _laid_out_here([{"surface": "1320"}, {"surface": "12万元"}])  # a number among text is text
    assert _laid_out_here([{"code": "350700"}, {"code": "1,234.5"}, {"code": None}])  # numbers written as text
    for odd in ("a\nb", "\x1b[31mred", "e\u0301", "😀", "\x01", b"ab", True):
        assert not _laid_out_here([{"地区": odd, "value": 1}]), odd
    assert not _laid_out_here([{"a\u200b": 1}])  # a header tabulate measures
    assert textable.simple_table([{"n": 1}, {"n": 22}]) == "  n\n---\n  1\n 22"


def test_query_prints_a_table_without_importing_tabulate(kdb):
    code = ("import runpy, sys\nsys.argv = ['zhmine', 'query', '--db', sys.argv[1], '--group-by', 'prefecture']\n"
            "try:\n    runpy.run_module('zhmine.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('tabulate', 'wcwidth', 'importlib.metadata') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(kdb)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "南平市" in out.stdout and out.stdout.strip().endswith("[]")
