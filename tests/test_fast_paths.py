"""The fast paths of attribution and cleaning give what the slow, obvious ones give (own sentences)."""
import jieba

from zhmine import attribution, clean

SENTENCES = [
    "2023年，南平市浦城县共投入帮扶资金185.41万元，全年免费健康体检10933人次。",
    "全市累计发放慰问金36.5万元，救扶困难女性247名，开展AED培训班12期。",
    "顺昌县、建阳区分别募集善款41万元和38.5万元（其中企业捐赠20万元）。",
    "目前已建成“幸福院”86所，覆盖率达到95.6%，比上年提高3.1个百分点。",
    "截至2024年6月底，各级红十字会共组织无偿献血志愿服务活动1,280场次。",
]


def test_cut_is_jiebas_dictionary_cut():
    dt = jieba.dt
    dt.check_initialized()
    for text in SENTENCES:
        for i in range(len(text)):
            for j in (i + 1, i + 5, i + 17, len(text)):
                window = text[i:j]
                assert attribution.cut(window, dt) == dt.lcut(window, HMM=False), window


def _regions(nlp, text, order):
    doc = nlp.make_doc(text)
    doc._.doc_date = "2024-03-01"
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    ctx = attribution.build_context(doc)
    sent_starts = [s for s, _ in ctx.sentences]
    out = {}
    for sp in order(sorted(doc.spans["figures"], key=lambda s: s.start_char)):
        k = attribution.bisect.bisect_right(sent_starts, sp.start_char) - 1
        out[sp.start_char] = attribution.region_of(ctx, sp.start_char, ctx.sentences[k][0])
    return out


def test_region_walk_resumed_or_restarted_agrees(nlp):
    # one paragraph naming places in several sentences: the walk resumed from the last figure
    # (text order) must agree with walks that restart for every figure (reverse order)
    text = ("建阳区妇联今年举办培训班8期。全区发放慰问金12万元，其中麻沙镇发放3万元。"
            "顺昌县、浦城县为试点县，共投入资金96万元。全县新建服务站15个，惠及群众2300人次。"
            "南平市红十字会调拨物资520件。")
    forward = _regions(nlp, text, lambda figs: figs)
    backward = _regions(nlp, text, lambda figs: list(reversed(figs)))
    assert forward == backward
    assert len(set(forward.values())) > 1  # the walk does move between places


def test_own_dictionary_is_jiebas_without_the_gazetteer_names():
    from zhmine.places import lexicon

    lexicon.place_tokenizer()  # the global tokenizer now holds the gazetteer's names
    own = clean._own_dictionary()
    own.check_initialized()  # (its fallback, after a posseg cut moved the names' tags, loads on first use)
    private = jieba.Tokenizer()
    private.check_initialized()
    assert own.total == private.total
    assert all(own.FREQ.get(w) == f for w, f in private.FREQ.items())
    assert not any(f for w, f in own.FREQ.items() if w not in private.FREQ)
    for text in SENTENCES:
        for i in range(len(text) - 8):
            assert list(own.cut(text[i:i + 8])) == list(private.cut(text[i:i + 8]))


def _own_texts():
    """Our own documents (held-out set and corpus/), cleaned as figures sees them."""
    from pathlib import Path

    from zhmine import ingest

    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "tests" / "heldout" / "docs").glob("*")) + sorted((root / "corpus").glob("*.txt"))
    return [clean.clean(ingest.read(p).text).text for p in paths] + SENTENCES


def _searched(pattern, text):
    """pattern's hits in text, searched the slow, obvious way."""
    out, pos = [], 0
    while (m := pattern.search(text, pos)) is not None:
        out.append(m.span())
        pos = m.end()
    return out


def _filtered(starts, pattern, text):
    """pattern's hits where starts says one can begin, as find_figures and _bare_amounts look."""
    out, pos = [], 0
    for c in starts.finditer(text):
        if c.start() >= pos and (m := pattern.match(text, c.start())) is not None:
            out.append(m.span())
            pos = m.end()
    return out


def test_figure_start_filters_miss_no_hit_of_their_patterns():
    # the filters are written beside the patterns (figures.compiled): a unit, connector or word
    # allowed between a number and its unit that the filter does not know would lose figures here
    from zhmine import figures

    r = figures.compiled()
    texts = [attribution.simplified_doc(t) for t in _own_texts()]
    hits = 0
    for text in texts:
        for starts, pattern in ((r.starts, r.pattern), (r.bare_starts, r.bare)):
            slow = _searched(pattern, text)
            assert _filtered(starts, pattern, text) == slow
            hits += len(slow)
    assert hits > 300  # the texts do exercise both patterns


def test_char_tokens_are_one_per_character_but_latin_words_and_white_space_runs():
    """pipeline.char_tokens gives what one findall of every token gives (the obvious tokenizer)."""
    import random
    import re

    from zhmine import pipeline

    every_token = re.compile(r"[A-Za-z]+|[ ]|\s+|.", re.S)
    rnd = random.Random(7)
    alphabet = "年月日万元人次，。、（）1234567890１２３.,  \n\t\r\u3000\u00a0abcXYZ٣"
    texts = SENTENCES + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(5000)]
    for text in texts:
        assert pipeline.char_tokens(text) == every_token.findall(text), text
    assert pipeline.char_tokens("投入 185.41万元\n 共2,400 AED") == [
        "投", "入", " ", "1", "8", "5", ".", "4", "1", "万", "元", "\n ", "共", "2", ",", "4", "0", "0", " ", "AED"]
