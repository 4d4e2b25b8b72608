"""words.py, jieba's dictionary, tags and best route: the same as jieba's own (own sentences)."""
import jieba
import pytest

from zhmine.places import gazetteer, words

TEXTS = [
    "近日，宁德市蕉城区霍童镇计生协会走访慰问困难家庭",
    "记者李长乐报道：他先后担任城区多个部门负责人，推动农村人口向城镇转移",
    "2023年全市GDP增长5.5%，投入保费185.41万元，免费健康体检10933人次",
    "莫干山镇仙潭村建起老年食堂，德清县民政局推进养老服务，来宾们陆续入座",
    "龙岩三明宁德三地联动石家庄大连合肥代表参加嘅啲囖",  # characters jieba does not know
]


def _jiebas_route(tk, s):
    """The end of the first word of every start on jieba's own best route (get_DAG and calc)."""
    route = {}
    tk.calc(s, tk.get_DAG(s), route)
    return [route[k][1] + 1 for k in range(len(s))]


@pytest.mark.parametrize("gazetteer_names", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_best_route_is_jiebas(text, gazetteer_names):
    tk = words.tokenizer()
    if gazetteer_names:
        gazetteer.load_into_jieba(tk)  # as places has it (a new total)
    for m in jieba.re_han_default.finditer(text):
        for a in range(m.start(), m.end()):
            for b in range(a + 1, min(m.end(), a + 16) + 1):
                run = text[a:b]
                assert words.best_route(run, tk.total) == _jiebas_route(tk, run), run


def test_best_route_breaks_ties_as_jieba(monkeypatch):
    """Two routes of equal probability (甲|乙 and 甲乙): jieba's max over (probability, end) takes
    the longer word."""
    tk = words.tokenizer()
    # a total of its own, so that best_route's table of word scores is a fresh one
    total = tk.total + 12345
    monkeypatch.setattr(tk, "total", total)
    for word, freq in (("甲", total), ("乙", 50), ("甲乙", 50)):  # P(甲) = 1: a tie
        monkeypatch.setitem(tk.FREQ, word, freq)
    assert _jiebas_route(tk, "甲乙") == [2, 2]
    assert words.best_route("甲乙", total) == [2, 2]


def test_tags_are_possegs_without_importing_it():
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = "import sys; from zhmine.places import words; words.tags(); print('jieba.posseg' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(Path(words.__file__).parents[2])}
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                          check=True).stdout.strip() == "False"
    import jieba.posseg

    assert words.tags() == jieba.posseg.POSTokenizer(words.tokenizer()).word_tag_tab


def test_tags_stay_jiebas_own_after_a_posseg_cut():
    """posseg moves the tags of added words (the gazetteer's names, ns) into its own table on its
    first cut: places must not see everyday words turn into place names when someone uses posseg."""
    import jieba.posseg

    gazetteer.load_into_jieba(words.tokenizer())
    jieba.posseg.lcut("南平市建阳区的山区")
    assert jieba.posseg.dt.word_tag_tab.get("建阳区") == "ns"  # a name jieba's dictionary lacks
    assert "建阳区" not in words.tags()


def test_init_jieba_loads_exactly_what_jieba_itself_loads():
    jieba.setLogLevel(60)
    own = jieba.Tokenizer()
    own.initialize()  # jieba's way (and it writes the cache when there is none yet)
    fast = jieba.Tokenizer()
    words.init_jieba(fast)
    assert fast.initialized
    assert fast.total == own.total
    assert fast.FREQ == own.FREQ
    assert fast.lcut("浦城县共投入帮扶资金185.41万元") == own.lcut("浦城县共投入帮扶资金185.41万元")


def test_init_jieba_leaves_other_dictionaries_to_jieba(tmp_path):
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("浦城县 5 ns\n帮扶 3 v\n", encoding="utf-8")
    tk = jieba.Tokenizer(str(dictionary))
    tk.tmp_dir = str(tmp_path)  # its own cache, not jieba's default one
    words.init_jieba(tk)
    assert tk.initialized and tk.FREQ["浦城县"] == 5 and tk.total == 8
