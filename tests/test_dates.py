"""Dates and periods (issue 4): forms, context years, relative words, ranges, the document date.

Every sentence here is written for these tests in the style of the reports zhmine reads.
"""
import json

import pytest

from zhmine import dates as D


def found(text, doc_date=None, title=None):
    """[(surface, value, relative)] of every date expression in text."""
    return [(text[e.start:e.end], e.value, e.relative) for e in D.find_dates(text, doc_date, title)]


def one(text, doc_date=None):
    got = found(text, doc_date)
    assert len(got) == 1, got
    return got[0]


# ------------------------------------------------------------------ absolute forms
@pytest.mark.parametrize("text,surface,value", [
    ("2020年3月25日，市协会召开理事会。", "2020年3月25日", "2020-03-25"),
    ("会议于2020.3.25在县城举行。", "2020.3.25", "2020-03-25"),
    ("报名截止日期为2020-03-25。", "2020-03-25", "2020-03-25"),
    ("二〇二〇年三月，项目正式启动。", "二〇二〇年三月", "2020-03"),
    ("2021年5月29日上午，活动在广场举行。", "2021年5月29日", "2021-05-29"),
    ("批次编号之外，登记日期20240307已录入。", "20240307", "2024-03-07"),
    ("2018年，全县新建服务站4个。", "2018年", "2018"),
    ("2019 年 6 月，第二期培训开班。", "2019 年 6 月", "2019-06"),
    ("二零一九年十二月三十一日前完成验收。", "二零一九年十二月三十一日", "2019-12-31"),
    ("1998年10月，协会成立。", "1998年10月", "1998-10"),
    # the ROC calendar (issue 14): 民国1年 is 1912, in either numerals
    ("中华民国一百一十三年施行。", "中华民国一百一十三年", "2024"),
    ("民國113年3月1日公布。", "民國113年3月1日", "2024-03-01"),
])
def test_absolute_forms(text, surface, value):
    assert one(text)[:2] == (surface, value)


def test_a_date_never_swallows_a_figure():
    # figures run after dates and skip numbers inside date spans
    assert found("2022年共慰问困难家庭1322户，发放慰问金26万元。") == [("2022年", "2022", False)]
    assert found("全年培训3期，覆盖12个乡镇。") == []


def test_counts_that_look_like_days_are_not_dates():
    assert found("新建3号楼和5号楼。") == []
    assert found("要求在十日内整改到位。") == []


# ------------------------------------------------------------------ partial dates and context years
def test_partial_date_takes_the_year_of_its_sentence():
    text = "4月6日—4月8日，由县卫健局主办的2024年基层骨干培训班在党校举行。"
    assert found(text)[0] == ("4月6日—4月8日", "2024-04-06/2024-04-08", False)


def test_partial_date_takes_the_last_year_named_earlier_in_the_paragraph():
    text = "2019年，全市计生协会持续发力。12月9日，市协会召开总结会议。"
    assert found(text)[1] == ("12月9日", "2019-12-09", False)


def test_parts_of_a_month_take_the_paragraph_year():
    # a month's 底 and 中 name the month (the gold's ruling), in the year named before
    text = "2019年，全县启动暖心工程。4月底，首批12户完成改造；11月中，第二批开工。"
    assert [v for _, v, _ in found(text)] == ["2019", "2019-04", "2019-11"]


def test_quarters_and_halves_take_the_document_year():
    assert one("第一季度，全市新增会员500人。", "2023-07-01")[1] == "2023-01/2023-03"
    assert one("上半年，累计走访800户。", "2023-07-01")[1] == "2023-01/2023-06"
    assert one("上半年，累计走访800户。") == ("上半年", None, False)


def test_partial_date_without_any_year_stays_open():
    # another paragraph names a year: it does not count
    text = "3月8日下午，市委副书记听取工作汇报。\n2021年共慰问家庭300户。"
    assert found(text)[0] == ("3月8日", None, False)


def test_partial_date_takes_the_document_year():
    assert one("3月8日下午，召开专题会议。", "2023-05-01")[:2] == ("3月8日", "2023-03-08")


@pytest.mark.parametrize("text,value", [
    ("2022年4月底，各县完成摸底。", "2022-04"),
    ("2022年11月中，工作组进驻。", "2022-11"),
    ("2022年11月中旬，工作组进驻。", "2022-11-11/2022-11-20"),
    ("2023年第一季度，新增会员500人。", "2023-01/2023-03"),
    ("2023年上半年，累计走访800户。", "2023-01/2023-06"),
    ("2021年3月上旬，召开动员会。", "2021-03-01/2021-03-10"),
    ("2020年底，全面完成建档。", "2020-12"),
    ("2020年末，全面完成建档。", "2020-12"),
    ("2020年初，启动建档。", "2020-01"),
])
def test_parts_of_a_period(text, value):
    assert found(text)[0][1] == value


def test_spring_festival_comes_from_the_lunar_calendar():
    assert one("2023年春节期间，志愿者上门慰问。")[:2] == ("2023年春节期间", "2023-01-22")
    assert one("今年春节，协会走访困难家庭。", "2024-03-01")[1] == "2024-02-10"
    # no year anywhere: the festival is named but its day is unknown
    assert one("春节期间，志愿者上门慰问。") == ("春节期间", None, False)


def test_lunar_dates():
    assert one("农历2020年闰四月初一举行祭典。")[1] == "2020-05-23"
    assert one("二零一二年农历正月十五，村里办灯会。")[1] == "2012-02-06"


# ------------------------------------------------------------------ relative expressions
def test_relative_words_resolve_against_the_document_date():
    assert one("今年新增帮扶对象35户。", "2023-06-30") == ("今年", "2023", True)
    assert one("去年11月21日，协会与保险公司签约。", "2023-06-30") == ("去年11月21日", "2022-11-21", True)
    assert one("前年起实施该项目。", "2023-06-30")[1] in ("2021/", "2021")
    assert one("明年继续推进。", "2023-06-30")[1] == "2024"


def test_relative_words_without_a_document_date_stay_open_and_relative():
    assert one("今年新增帮扶对象35户。") == ("今年", None, True)
    assert one("去年 11 月 21 日，协会与保险公司签约。") == ("去年 11 月 21 日", None, True)
    assert one("明天开始报名。") == ("明天", None, True)


def test_days_weeks_and_months_relative_to_the_document_date():
    ref = "2021-06-14"  # a Monday
    assert one("昨天下午召开会议。", ref)[1] == "2021-06-13"
    assert one("上周三完成验收。", ref)[1] == "2021-06-09"
    assert one("下个月启动第二批。", ref)[1] == "2021-07"
    assert one("本季度新增会员。", ref)[1] == "2021-04/2021-06"


def test_vague_periods():
    assert one("近年来，协会不断拓展服务。") == ("近年来", None, True)
    assert one("多年来，她坚持照护老人。", "2022-01-01") == ("多年来", None, True)
    assert one("截至目前，累计投保12799人次。") == ("截至目前", None, True)


def test_one_year_and_this_year_resolve_to_the_article_year():
    text = "一年来，全省各级协会扎实工作。\n这一年，全省新建服务站20个。"
    got = found(text, title="2022年全省计生协会工作综述")
    assert got == [("一年来", "2022", True), ("这一年", "2022", True)]
    # a report titled by its year looks back on the year before
    got = found("一年来，全省经济稳中有进。", "2026-01-27", title="2026年政府工作报告")
    assert got == [("一年来", "2025", True)]
    # no title: a document written early in a year looks back on the year before
    assert found("这一年，全省新建服务站20个。", "2024-02-01") == [("这一年", "2023", True)]
    assert found("这一年，全省新建服务站20个。", "2024-11-20") == [("这一年", "2024", True)]
    # no article year and no document date: open
    assert found("这一年，全省新建服务站20个。") == [("这一年", None, True)]


def test_counted_periods():
    assert one("近三年，全县投入资金500万元。", "2017-03-22")[1] == "2014-03-22/2017-03-22"
    assert one("3年后再评估。", "2021-01-01")[1] == "2024"


# ------------------------------------------------------------------ ranges and open periods
@pytest.mark.parametrize("text,surface,value", [
    ("2019年至2021年，全市累计投入1200万元。", "2019年至2021年", "2019/2021"),
    ("2022年以来，各级协会走访800户。", "2022年以来", "2022/"),
    ("2022 年以来，各级协会走访800户。", "2022 年以来", "2022/"),
    ("2018年1-9月，全市新增会员。", "2018年1-9月", "2018-01/2018-09"),
    ("2017年8月11日至8月22日开展集中服务。", "2017年8月11日至8月22日", "2017-08-11/2017-08-22"),
    ("2016年至今，累计救助300人。", "2016年至今", "2016/"),
    ("2022年内完成全部改造。", "2022年内", "2022"),
])
def test_ranges_and_open_periods(text, surface, value):
    assert found(text)[0][:2] == (surface, value)


def test_up_to_a_day_is_that_day():
    # the gold's ruling: 截至 is the figures' cumulative flag; the date is the point
    assert one("截至4月13日，已发放补助金80万元。", "2023-05-01")[:2] == ("4月13日", "2023-04-13")
    assert one("截至2022年底，共建成暖心家园12个。")[1] == "2022-12"


# ------------------------------------------------------------------ traditional characters
def test_traditional_characters():
    assert one("後天開會。", "2018-09-18")[1] == "2018-09-20"
    assert one("禮拜一報到。", "2018-09-18")[1] == "2018-09-24"


# ------------------------------------------------------------------ names of events are not dates
def test_days_in_event_names_are_not_dates():
    assert found("举办第25届“母亲节暨家庭健康活动日”宣传。") == []
    assert found("开展“5·29会员活动日”服务。") == []


# ------------------------------------------------------------------ the document date
@pytest.mark.parametrize("text,expected", [
    ("协会工作通讯\n第3期\n福建省计生协会编印    2020年4月18日印发\n正文", ("2020-04-18", "text:issue-line")),
    ("2026年全省政府工作报告\n——2026年1月27日在省人民代表大会上\n各位代表：", ("2026-01-27", "text:dateline")),
    ("保障更稳固 服务更暖心\n——2021年全省计生协会工作综述\n一年来，全省", ("2021-12-31", "text:title")),
    ("政府工作报告\n——2026年1月26日在省第十四届\n人民代表大会第五次会议上\n各位代表：", ("2026-01-26", "text:dateline")),
    ("2026年政府工作报告\n——二〇二六年一月二十七日在省十四届人民代表大会第四次会议上\n", ("2026-01-27", "text:dateline")),
    ("（2026年1月27日在省第十四届人民代表大会第四次会议上）\n一、2025年工作回顾\n", ("2026-01-27", "text:dateline")),
    ("某某局\n2024年度\n部门决算\n目 录", ("2024-12-31", "text:title")),
    ("一、2025年工作回顾\n正文", (None, None)),
    ("民政工作简报\n第12期\n县民政局办公室编          2023年6月20日\n正文", ("2023-06-20", "text:issue-line")),
    ("协会通讯\n2022年第3期（总第45期）  2022.09.30\n正文", ("2022-09-30", "text:issue-line")),
    ("本报讯 各地协会积极开展活动。", (None, None)),
    ("妇联工作动态\n第4期\n市妇联办公室\u3000\u3000\u3000\u30002024年5月6日\n今年以来", ("2024-05-06", "text:masthead")),
    ("老龄工作简报\n省老龄办      二〇二二年十一月三日\n正文", ("2022-11-03", "text:masthead")),
    ("2023年工作总结\n今年以来，全县共救助困难群众300人次。\n（某县红十字会　2024年1月12日）\n", ("2024-01-12", "text:signoff")),
    ("今年全县救助300人次。\n（某县红十字会）\n", (None, None)),
])
def test_infer_doc_date(text, expected):
    """Issue line, speech dateline (also wrapped or in Chinese numerals), dated title, nothing."""
    assert D.infer_doc_date(text, {}) == expected


def test_doc_date_from_pdf_metadata():
    assert D.infer_doc_date("正文没有日期。", {"CreationDate": "D:20240307101500+08'00'"}) == ("2024-03-07", "pdf:metadata")


# ------------------------------------------------------------------ the spaCy component and the CLI
def test_component_writes_spans(nlp):
    doc = nlp.make_doc("2022年以来，各级协会走访800户；去年11月21日签约。")
    doc._.doc_date = "2023-06-30"
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    got = [(s.text, s._.value, s._.relative, s._.year) for s in doc.spans["dates"]]
    assert got == [("2022年以来", "2022/", False, 2022), ("去年11月21日", "2022-11-21", True, 2022)]


def test_document_with_unknown_date_end_to_end(tmp_path):
    from zhmine.pipeline import extract_file

    f = tmp_path / "note.txt"
    f.write_text("近年来，协会持续开展帮扶。\n今年新增结对帮扶20户。\n3月8日，召开专题会议。\n", encoding="utf-8")
    r = extract_file(f)
    assert r.doc_date is None and r.doc_date_source is None
    assert [(d["surface"], d["value"], d["relative"]) for d in r.dates] == [
        ("近年来", None, True), ("今年", None, True), ("3月8日", None, False)]
    r = extract_file(f, doc_date="2023-05-01")
    assert r.doc_date_source == "given"
    assert [d["value"] for d in r.dates] == [None, "2023", "2023-03-08"]


def test_gold_dates(shared):
    """Dates of the shared gold set: surfaces found and values right (F1 and accuracy >= 0.95)."""
    from zhmine.pipeline import extract_file

    tp = fp = fn = right = 0
    for g in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        src = shared / "corpus" / gold["doc"]
        if not src.exists():
            continue
        pred = [(("".join(d["surface"].split())), d["value"]) for d in extract_file(src).dates]
        want = [("".join(d["surface"].split()), d.get("value")) for d in gold["dates"]]
        for s, v in want:
            hit = next((p for p in pred if p[0] == s), None)
            if hit is None:
                fn += 1
                continue
            pred.remove(hit)
            tp += 1
            right += D.fmt_period(*_span(hit[1])) == D.fmt_period(*_span(v)) if v and hit[1] else hit[1] == v
        fp += len(pred)
    assert tp, "no gold dates found"
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95 and right / tp >= 0.95, (f1, right / tp)


def _span(value):
    import datetime as dt

    a, _, b = value.partition("/") if "/" in value else (value, "", value)

    def first(v):
        p = [int(x) for x in v.split("-")] if v else None
        return dt.date(p[0], p[1] if len(p) > 1 else 1, p[2] if len(p) > 2 else 1) if p else None

    def last(v):
        if not v:
            return None
        p = [int(x) for x in v.split("-")]
        if len(p) == 3:
            return dt.date(*p)
        if len(p) == 2:
            return D.month_end(*p)
        return dt.date(p[0], 12, 31)

    return first(a), last(b)


# ------------------------------------------------------------------ the wider vocabulary
@pytest.mark.parametrize("text,ref,value", [
    ("国庆节期间开放展馆。", "2022-05-01", "2022-10-01"),
    ("母亲节当天组织义诊。", "2022-05-01", "2022-05-08"),          # second Sunday of May
    ("中秋节前走访慰问。", "2022-05-01", "2022-09-10"),            # lunar 8-15
    ("除夕夜值班。", "2022-05-01", "2023-01-21"),                  # last day of the lunar year 2022
    ("冬至包饺子。", "2022-05-01", "2022-12-22"),
    ("2021年国庆前夕举行升旗仪式。", None, "2021-10-01"),
    ("20世纪80年代末，村里办起小学。", None, "1987/1989"),
    ("上世纪90年代", "2020-01-01", "1990/1999"),
    ("2023年三月的第二周完成验收。", None, "2023-03-13/2023-03-19"),
    ("6月第3个星期日举办活动。", "2021-01-01", "2021-06-20"),
    ("2022年前十一个月，累计接待游客。", None, "2022-01/2022-11"),
    ("去年四季度，新增会员。", "2021-06-14", "2020-10/2020-12"),
    ("2019年4月12-19日开展培训。", None, "2019-04-12/2019-04-19"),
    ("2019年1-五月，全县完成任务。", None, "2019-01/2019-05"),
    ("时间从2016年一月十日到十二日。", None, "2016-01-10/2016-01-12"),
    ("前年11月到去年3月", "2021-06-14", "2019-11/2020-03"),
    ("2007年与2009年之间", None, "2007/2008"),
    ("两千零四年八月十五", None, "2004-08-15"),
    ("康熙三年五月", None, "1664-05"),
    ("九七年一季度", "1999-09-02", "1997-01/1997-03"),
    ("下周六值班。", "2021-06-14", "2021-06-26"),
    ("上个礼拜天", "2021-06-14", "2021-06-13"),
    ("大前天", "2017-03-22", "2017-03-19"),
    ("3年后", "2021-01-01", "2024"),
    ("17天内完成整改。", "2019-02-18", "2019-02-18/2019-03-07"),
    ("3个多月以来", "2019-08-22", "2019-05-01/2019-08-22"),
    ("五年来，全省新增就业岗位。", "2026-01-27", "2021/2025"),
    ("2月29日", "2019-03-22", "2020-02-29"),                      # no year: the nearest leap year
    ("1994.01-19", None, "1994-01-19"),
    ("1999.08-2002.02", None, "1999-08/2002-02"),
    ("你13.5.2015有时间吗", None, "2015-05-13"),
    ("3-7-07", "2016-11-07", "2007-07-03"),
])
def test_wider_vocabulary(text, ref, value):
    assert found(text, ref)[0][1] == value


def test_amounts_and_names_are_not_dates():
    assert found("决算数2077.09\n预算数1895.3") == []
    assert found("实施“人工智能+”一号创新工程，建成13号线。") == []
    assert found("四季如春，风景宜人。") == []


def test_windowed_search_finds_what_the_whole_text_search_finds(monkeypatch):
    """Kinds with an anchor are searched only between boundaries that hold one (D.atoms._ANCHOR): on random
    text of date characters, boundaries and spaces the atoms are those of a search of the whole text."""
    import random

    rnd = random.Random(7)
    alphabet = list("0123456789年月日号季度Q星期礼拜周週天旬初中底末始期叶春夏秋冬历曆纪世代农大今明个多半以来"
                    "前后上下本这当次第首近过去最一二三四五六七八九十〇两廿正闰./-·~—至到 \t\u3000\n。；！？，的元万于")
    alphabet += ["2020", "2019年", "3月", "12日", "1-9", "2008.03", "20240307", "上半年", "第二季度"]
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(5, 300))) for _ in range(400)]

    def atoms():
        return [[(a.kind, a.start, a.end, a.groups) for a in D.find_atoms(t)] for t in texts]

    windowed = atoms()
    monkeypatch.setattr(D.atoms, "_ANCHOR", {})
    assert windowed == atoms()


# ------------------------------------------------------------------ the year in force (reports)
def test_prior_year_is_before_the_year_in_force_not_the_documents():
    # a bulletin about 2019 published in 2020: 比上年 compares with 2018
    text = "2019年，全县地区生产总值80亿元，比上年增长6%。"
    assert dict((s, v) for s, v, _ in found(text, "2020-07-10"))["上年"] == "2018"


def test_prior_year_end_takes_the_year_of_the_section_heading():
    text = "一、2019年工作回顾\n年末常住人口53万人，比上年末增加0.2万人。"
    got = dict((s, v) for s, v, _ in found(text, "2020-03-01"))
    assert got["年末"] == "2019-12" and got["上年末"] == "2018-12"


def test_quarter_of_a_review_section_takes_its_heading_year():
    text = "一、2025年工作回顾\n针对三季度经济增速回落的情况，出台一揽子政策措施。"
    assert dict((s, v) for s, v, _ in found(text, "2026-01-27"))["三季度"] == "2025-07/2025-09"


def test_period_without_year_never_after_the_document_date_in_a_review():
    assert one("三季度经济增速有所回落。", "2026-01-27")[1] == "2025-07/2025-09"
    # ...unless its clause states a plan
    assert one("力争三季度完成全部改造。", "2026-01-27")[1] == "2026-07/2026-09"


def test_day_takes_the_document_year_not_a_dated_title():
    # a news item's title names the year it reports on; its dateline's day is the document's year
    text = "2023年全市新建养老床位2524张\n3月26日，市政府新闻办召开发布会。"
    assert dict((s, v) for s, v, _ in found(text, "2024-03-26"))["3月26日"] == "2024-03-26"


def test_relative_year_is_the_year_in_force_for_a_day_after_it():
    text = "2014年，她的丈夫病故；今年初，婆婆患病。4月12日，协会上门慰问。"
    assert dict((s, v) for s, v, _ in found(text, "2017-04-13"))["4月12日"] == "2017-04-12"


@pytest.mark.parametrize("text", [
    "落实学前一年免费教育政策。",      # a year of pre-school
    "实施学前1年免保教费政策。",
    "提前两年完成病险水库除险加固。",  # two years early
    "三级医院提前两周投放号源。",
])
def test_duration_after_an_education_or_period_word_is_no_date(text):
    assert found(text, "2026-01-27") == []


@pytest.mark.parametrize("text", [
    "游客人次年均增长8%。",          # 人次 + 年均
    "满足不同年龄段老年人需求。",    # 不同 + 年龄
    "乡村建设三年初见成效。",        # 三年 + 初见
    "开展“慈善一日捐”活动。",        # a day inside a quoted name
    "举行“学雷锋献爱心暨慈善一日捐”活动。",
    "结转以前年度结余资金。",        # 以前年度 (previous years), not 前年
])
def test_date_word_glued_to_another_word_is_no_date(text):
    assert found(text, "2026-01-27") == []


def test_suffix_nei_does_not_swallow_a_place_name():
    assert found("2026年内蒙古自治区政府工作报告", "2026-02-04")[0][0] == "2026年"


def test_range_of_years_takes_jian():
    assert found("2020年至2024年间，全县生产总值稳定增长。")[0][:2] == ("2020年至2024年间", "2020/2024")


def test_relative_year_as_a_comparison_base_is_not_the_year_in_force():
    text = "献血量是去年的1.5倍。截至12月20日，累计登记捐献志愿者800人。"
    assert dict((s, v) for s, v, _ in found(text, "2023-12-26"))["12月20日"] == "2023-12-20"


def test_year_end_by_sui_is_a_part_of_the_year():
    assert one("临近岁末，救助金发放到位。", "2017-12-20")[:2] == ("岁末", "2017-12")
