"""clean: each repair on our own short examples; the offset map must lead back to the original surface."""
import unicodedata
from pathlib import Path

import pytest

from zhmine.clean import clean
from zhmine.ingest import read

ROOT = Path(__file__).resolve().parent.parent


def surface(src: str, ct, needle: str, nth: int = 0) -> str:
    """The source text behind the nth occurrence of needle in the cleaned text."""
    i = -1
    for _ in range(nth + 1):
        i = ct.text.index(needle, i + 1)
    s, e = ct.to_source(i, i + len(needle))
    return src[s:e]


# a newspaper column hard-wrapped at 13-14 characters: a blank line falls mid-sentence, a number is
# cut from its unit and a word is cut in two; the short line without punctuation is a heading
WRAPPED = """近年来，贵阳市计生协会围绕
群众所需，积极开展帮扶工作，全
年为计生特殊家庭送去慰问金
186.5万元，开展免费健康体检

8620人次，帮扶困难家庭1274户
，组织志愿服务3500余人次，受
到群众广泛好评。全市各级计
生协会还开展心理疏导活动，共
举办讲座126场，服务群众4
218人次。

健康知识进万家
今年以来，花溪区计生协会在
各乡镇举办健康讲座48场，发放
宣传资料1.2万份，受益群众达
6300人次。
"""


def test_wrapped_lines_join_into_paragraphs():
    ct = clean(WRAPPED)
    paras = ct.text.strip().split("\n")
    assert paras[0].startswith("近年来，贵阳市计生协会围绕群众所需，积极开展帮扶工作，全年为")
    assert paras[0].endswith("服务群众4218人次。")
    assert paras[1] == "健康知识进万家"  # a heading keeps its own line
    assert paras[2] == "今年以来，花溪区计生协会在各乡镇举办健康讲座48场，发放宣传资料1.2万份，受益群众达6300人次。"
    assert len(paras) == 3


def test_joined_breaks_map_back_to_the_original_surface():
    ct = clean(WRAPPED)
    assert surface(WRAPPED, ct, "计生协会还") == "计\n生协会还"  # a word cut in two
    assert surface(WRAPPED, ct, "4218人次") == "4\n218人次"  # a number cut in two
    assert surface(WRAPPED, ct, "体检8620人次") == "体检\n\n8620人次"  # blank line in mid-sentence
    assert surface(WRAPPED, ct, "1274户，组织") == "1274户\n，组织"  # a line may not start with ，


def test_number_cut_from_its_unit_in_paragraph_text():
    src = "全县共培训应急救护员1\n280人，发放宣传资料4.5万\n份。\n2 精准帮扶更有力\n这一年，全县新建服务站12个。"
    ct = clean(src)
    assert ct.text == "全县共培训应急救护员1280人，发放宣传资料4.5万份。\n2 精准帮扶更有力\n这一年，全县新建服务站12个。"
    assert surface(src, ct, "4.5万份") == "4.5万\n份"


def test_traditional_text_number_cut_from_its_unit():
    src = "全區共投入幫扶資金2865.7萬\n元，購買保險4.6萬\n份。\n一、保險保障持續加強\n全年理賠1968人次。"
    ct = clean(src)
    assert ct.text == "全區共投入幫扶資金2865.7萬元，購買保險4.6萬份。\n一、保險保障持續加強\n全年理賠1968人次。"
    assert surface(src, ct, "4.6萬份") == "4.6萬\n份"


def test_one_paragraph_a_line_keeps_headings_and_captions_apart():
    src = ("□本报记者 刘晓红\n\n"
           "一年来，全省各级妇联组织围绕中心工作，举办巾帼创业培训班260期，培训农村妇女\n\n"
           "1.8万人次，帮助4200名妇女实现就业。\n\n"
           "▲2022年6月8日，省妇联在南阳市召开现场推进会\n\n"
           "一、培训规模持续扩大\n\n"
           "全省共建成巾帼示范基地56个。\n")
    lines = clean(src).text.strip().split("\n")
    assert lines == ["□本报记者 刘晓红",
                     "一年来，全省各级妇联组织围绕中心工作，举办巾帼创业培训班260期，培训农村妇女1.8万人次，帮助4200名妇女实现就业。",
                     "▲2022年6月8日，省妇联在南阳市召开现场推进会",
                     "一、培训规模持续扩大",
                     "全省共建成巾帼示范基地56个。"]


def test_short_clauses_join_only_across_a_word():
    src = ("坚持创新驱动，加快培育新动能\n全年研发投入增长8.5%。\n"
           "李秀英育有两个女儿，家庭经\n\n济困难，2022年获得帮扶资金3万元。\n")
    lines = clean(src).text.strip().split("\n")
    assert lines == ["坚持创新驱动，加快培育新动能", "全年研发投入增长8.5%。",
                     "李秀英育有两个女儿，家庭经济困难，2022年获得帮扶资金3万元。"]


def test_table_rows_in_pdf_text_keep_their_cells():
    rows = ["2013901 行政运行 51.32 51.32", "2013950 事业运行 11.31 11.31", "合计 307.82 105.58 202.24"]
    prose = "全年一般公共预算财政拨款支出决算数为307.82万元，比年初预算增加12.5万元，主要原因是人员"
    src = "\n".join([prose, "调整。"] * 5 + rows) + "\n\f注：本表反映部门本年度支出情况。\n"
    lines = clean(src).text.strip().split("\n")
    assert lines[-4:-1] == rows  # neither joined (51.32|2013950) nor squeezed (行政运行51.32)


def test_spaces_inside_numbers_and_letter_spaced_words():
    src = "截至目前，累计投 入 保 费 96.3 万 元 ，赔付率 108.5 %，2022 年新增 35 户。"
    ct = clean(src)
    assert ct.text == "截至目前，累计投入保费96.3万元，赔付率108.5%，2022年新增35户。"
    assert surface(src, ct, "96.3万元") == "96.3 万 元"
    assert surface(src, ct, "投入保费") == "投 入 保 费"


def test_real_separators_are_kept():
    src = "（王明华 李小红 张 敏）\n漳州 专题研究帮扶工作\n对比2020 2021两年数据\n使用Big Data平台"
    ct = clean(src)
    assert "（王明华 李小红 张 敏）" in ct.text  # names stay apart, a padded two-character name too
    assert "漳州 专题研究帮扶工作" in ct.text
    assert "2020 2021" in ct.text
    assert "Big Data" in ct.text


def test_doubled_bold_runs_collapse_but_genuine_repetition_stays():
    src = "▲县妇联举办专题培训班专题培训班((直播带货直播带货))活动\n群众说：“谢谢谢谢！”天天天天都来。"
    ct = clean(src)
    assert ct.text == "▲县妇联举办专题培训班(直播带货)活动\n群众说：“谢谢谢谢！”天天天天都来。"
    assert surface(src, ct, "专题培训班") == "专题培训班"
    assert surface(src, ct, "(直播带货)") == "((直播带货直播带货))"


def test_fullwidth_digits_and_letters():
    src = "全年救助１２３名群众，配置ＡＥＤ４５台，覆盖率１２．５％。"
    ct = clean(src)
    assert ct.text == "全年救助123名群众，配置AED45台，覆盖率12.5%。"
    assert surface(src, ct, "123名") == "１２３名"
    assert surface(src, ct, "12.5%") == "１２．５％"


def test_markup_and_table_of_contents_leaders():
    src = ("目录\n一、总体情况……………3\n二、主要做法..........12\n"
           "**一、总体情况**\n全年投入资金<b>860万元</b>，服务群众&nbsp;2.3万人次。")
    ct = clean(src)
    assert ct.text == ("目录\n一、总体情况\n二、主要做法\n"
                       "一、总体情况\n全年投入资金860万元，服务群众2.3万人次。")
    assert surface(src, ct, "860万元") == "860万元"
    assert surface(src, ct, "一、总体情况", nth=1) == "一、总体情况"


def test_pdf_paragraph_indents_start_paragraphs():
    src = read(ROOT / "corpus" / "zhejiang-redcross-newsletter-2023-04.pdf").text
    lines = clean(src).text.split("\n")
    assert "今年，全省新建博爱家园58个，每个项目点平均投入15万元，项目覆盖率达到行政村总数的23.4%。" in lines
    assert any(line.startswith("丽水市景宁畲族自治县大均乡") and line.endswith("9800人次。") for line in lines)


def test_page_numbers_at_page_breaks_go_and_sentences_run_across_pages():
    src = "全市共建成暖心家园36个，服务计生特殊\n- 2 -\n\f家庭1800余户。\n第3页\n\f（市计生协）\n"
    ct = clean(src)
    assert "- 2 -" not in ct.text and "第3页" not in ct.text
    assert "服务计生特殊家庭1800余户。" in ct.text
    assert surface(src, ct, "特殊家庭") == "特殊\n- 2 -\n\f家庭"
    # a number alone on a line elsewhere is content, not a page number
    assert "2024" in clean("全区预算执行情况如下。\n2024\n年度预算执行情况说明\n- 1 -\n\f第二页正文。\n").text


def _check_map(src: str):
    ct = clean(src)
    assert len(ct.offsets) == len(ct.text) + 1
    assert all(a <= b for a, b in zip(ct.offsets, ct.offsets[1:]))
    for ch, off in zip(ct.text, ct.offsets):
        orig = src[off]
        assert ch == orig or ch == unicodedata.normalize("NFKC", orig) or (ch.isspace() and orig.isspace()), (ch, orig, off)


def test_every_cleaned_char_maps_to_its_source_char_in_our_corpus():
    for path in sorted((ROOT / "corpus").iterdir()):
        if path.suffix in (".txt", ".pdf"):
            _check_map(read(path).text)


def test_every_cleaned_char_maps_to_its_source_char_in_shared_corpus(shared):
    for path in sorted((shared / "corpus").glob("*.txt")):
        _check_map(read(path).text)


def test_shared_corpus_numbers_split_by_breaks_are_whole(shared):
    import json

    for gold_path in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        src = read(shared / "corpus" / gold["doc"]).text
        ct = clean(src)
        for fig in gold["figures"]:
            if "\n" in fig["surface"] or " " in fig["surface"]:
                joined = "".join(fig["surface"].split())
                assert joined in ct.text, fig["surface"]


def test_any_text_cleans_with_an_exact_map():
    """Property: on any mix of the characters reports are made of, clean does not fail and every
    cleaned character maps back, in order, to its own source character."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("计生协会投入保费万元人次户南平市县镇１２３ＡＢ0123456789.%，。、；：！？“”（）《》()▲□—…*_<>&; \n\n\f\u3000\t"))

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(st.text(alphabet, max_size=300))
    def check(src):
        _check_map(src)

    check()
