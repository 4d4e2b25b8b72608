"""segment: articles with title, byline and source line; paragraphs; sentences."""
from zhmine.clean import clean
from zhmine.ingest import read
from zhmine.segment import articles, line_kind, paragraphs, sentences

# a newsletter page as clean leaves it: one paragraph or heading a line (our own text)
PAGE = """河南妇联工作简报
2022年第6期
目录
全省巾帼家政培训工作综述
郑州市妇联推进两癌筛查救助
全省巾帼家政培训工作综述
——2022年上半年河南省妇联工作回顾
□本刊记者 孙丽萍
今年上半年，全省各级妇联共举办家政培训班416期，培训12608人次。
1 培训规模持续扩大
郑州市、洛阳市培训人数均超过1000人。
（省妇联发展部）
郑州市妇联推进两癌筛查救助
□通讯员 赵书雅
通讯员 李 明
2022年，郑州市完成筛查15.3万人，覆盖率达到92.4%。
对困难患病妇女每人救助1万元，全年救助387人。
（郑州市妇联）
争先创优
信阳 巾帼电商助农增收
今年以来，信阳市妇联开展直播带货培训26期。
（信阳市妇联）
"""


def test_articles_from_bylines_source_lines_and_contents():
    arts = articles(PAGE)
    titles = [a.title for a in arts]
    assert titles == ["河南妇联工作简报", "目录", "全省巾帼家政培训工作综述", "郑州市妇联推进两癌筛查救助",
                      "信阳 巾帼电商助农增收"]
    first = arts[2]
    assert first.byline == "□本刊记者 孙丽萍"
    assert first.source_line == "（省妇联发展部）"
    body = PAGE[first.start:first.end]
    assert "1 培训规模持续扩大" in body  # a section heading stays inside its article
    assert body.lstrip().startswith("全省巾帼家政培训工作综述\n——2022年")  # the title block opens the article
    assert arts[3].byline == "□通讯员 赵书雅 通讯员 李 明"
    assert arts[3].source_line == "（郑州市妇联）"
    assert PAGE[arts[4].start:arts[4].end].lstrip().startswith("争先创优")  # a kicker is not the title


def test_masthead_issue_and_dateline_are_not_the_title():
    text = ("广西老龄工作简报\n第十二期\n自治区老龄办　　　　　　二〇二三年十二月二十日\n"
            "全区老年友好型社会建设取得新进展\n今年以来，全区发放高龄津贴15.6亿元。\n（自治区老龄办综合处）\n")
    arts = articles(text)
    assert len(arts) == 1 and arts[0].title == "全区老年友好型社会建设取得新进展"


def test_a_dated_line_under_the_title_does_not_close_the_article():
    text = ("乐山市红十字会2023年工作总结\n（2023年12月26日）\n"
            "2023年，全市红十字会共开展救护培训860场次。\n全年筹集救助款物1260万元。\n（乐山市红十字会办公室）\n")
    arts = articles(text)
    assert len(arts) == 1
    assert arts[0].title == "乐山市红十字会2023年工作总结" and arts[0].source_line == "（乐山市红十字会办公室）"
    assert line_kind("（2023年12月26日）") == "heading"


def test_articles_tile_the_text():
    arts = articles(PAGE)
    assert arts[0].start == 0 and arts[-1].end == len(PAGE)
    assert all(a.end == b.start for a, b in zip(arts, arts[1:]))
    assert [a.index for a in arts] == list(range(len(arts)))


def test_text_without_newsletter_furniture_is_one_article():
    text = "一、总体情况\n2023年，全省地区生产总值增长5.2%。\n二、主要工作\n全年新增城镇就业62万人。"
    arts = articles(text)
    assert len(arts) == 1 and (arts[0].start, arts[0].end) == (0, len(text))


def test_line_kinds():
    assert line_kind("□本报记者 陈明") == "byline"
    assert line_kind("本报讯（记者 王强）") == "byline"
    assert line_kind("（漳州市计生协）") == "source"
    assert line_kind("(福建财政)") == "source"
    assert line_kind("（下转第3版）") != "source"
    assert line_kind("▲志愿者在社区开展宣传") == "caption"
    assert line_kind("1 特殊保障更稳固") == "heading"
    assert line_kind("全年救助困难群众3.62万人次，发放救助金157.6万元。") == "text"
    # traditional characters
    assert line_kind("通訊員 黃麗華") == "byline"
    assert line_kind("本報訊（記者 韋秋蘭）") == "byline"
    assert line_kind("（下轉第2版）") != "source"
    assert line_kind("目錄") == "toc"


def test_sentences_end_at_final_punctuation_with_closing_quotes():
    text = "他说：“今年要再建10个站。”全年培训1260场次；受益8.7万人次！还有吗？\n标题行\n"
    got = [text[s:e] for s, e in sentences(text)]
    assert got == ["他说：“今年要再建10个站。”", "全年培训1260场次；", "受益8.7万人次！", "还有吗？", "标题行"]


def test_sentences_within_a_range():
    text = "甲。乙。丙。"
    assert [text[s:e] for s, e in sentences(text, 2, 6)] == ["乙。", "丙。"]


def test_paragraphs_are_trimmed_lines():
    text = "  第一段。 \n\n第二段\n   \n"
    assert [text[s:e] for s, e in paragraphs(text)] == ["第一段。", "第二段"]


def test_shared_corpus_issue_splits_into_articles(shared):
    """004 is a newsletter page of several short reports each closed by a source line."""
    path = shared / "corpus" / "004_340ff175eb7f3e24.txt"
    text = clean(read(path).text).text
    arts = articles(text)
    assert len(arts) >= 5
    assert sum(a.source_line is not None for a in arts) >= 5
    for a in arts:
        assert a.source_line is None or a.source_line in text[a.start:a.end]
