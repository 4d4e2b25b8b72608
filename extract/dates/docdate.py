"""The document's date: an issue line, a dateline, a masthead, a sign-off, a dated title, else the
PDF's creation date (infer_doc_date); and the year a dated title names (title_year), which the
dates of a summary are read against.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..text import rules
from ..text.numerals import parse_digits, parse_small
from .calendar import Date, safe_date

_SECTION_NUMBER = regex.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]")
_TITLE_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_ISSUE_LINE = regex.compile(
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发|印發|出版|编印|編印|发布|發布|签发|簽發)")
# a masthead line: 第5期 … 某某办公室编 … 2023年6月20日
_MASTHEAD = regex.compile(
    r"(?m)^[^\n]*(?:第\s*[\d一二三四五六七八九十百〇零]+\s*期|[编編]印|[编編]发|[编編]發|主办|主辦|[编編]\s*$|[编編][ \t\u3000])"
    r"[^\n]*?((?:19|20)\d{2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})")
_CN_NUM = "〇零○一二三四五六七八九十"
# a speech: ——2026年1月27日在…会议上 (also in Chinese numerals, in brackets, after a 分享： prefix)
_SPEECH_LINE = regex.compile(
    rf"(?m)^[^\n]{{0,8}}?((?:19|20)\d{{2}}|[{_CN_NUM}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*月"
    rf"\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日\s*在[^。]{{0,60}}?(?:会议|大会|會議|大會)上")
# a line that is only a date (a timestamp may follow)
_DATELINE = regex.compile(
    r"(?m)^[ \t\u3000]*(?:——|—|―+|-{1,2})?[ \t\u3000（(]*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"[）)]?(?:\s*\d{1,2}[时時:：]\d{2}(?:分)?)?[ \t\u3000]*$")
_TIME_LINE = regex.compile(r"(?m)^[ \t\u3000]*(?:时间|時間|日期|发布时间|發布時間)[：:][ \t\u3000]*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_PDF_DATE = regex.compile(r"D?:?((?:19|20)\d{2})(\d{2})(\d{2})")
# A briefing's masthead: the issuer, a wide gap, the full date ending the line
# (安吉县民政局办公室　　　2023年9月15日, 自治区老龄办　　二〇二三年十二月二十日), Arabic or Chinese numerals.
_FULL_DATE = (rf"((?:19|20)\d{{2}}|[{_CN_NUM}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*月"
              rf"\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日")
_MASTHEAD_GAP = regex.compile(rf"(?m)^[^\n。，；]{{0,40}}?(?:[ \t]{{2,}}|\u3000+){_FULL_DATE}[ \t\u3000]*$")
# A closing sign-off: （寿光市慈善总会　2024年2月20日） on a line of its own.
_SIGNOFF = regex.compile(rf"(?m)^[ \t\u3000]*[（(][^\n（）()。，]{{2,30}}?[ \t\u3000]*{_FULL_DATE}[）)][ \t\u3000]*$")


def _ymd_cn(y: str, mo: str, d: str) -> str | None:
    """_ymd for numbers written in Arabic or Chinese numerals (二〇二三, 十二, 二十)."""
    yy = int(y) if y.isdigit() else parse_digits(y)
    mm, dd = parse_small(mo), parse_small(d)
    return _ymd(yy, mm, dd) if mm and dd else None


def _title_line_year(text: str) -> tuple[int, str] | None:
    """A dated title near the top: '2021年…工作综述' -> (2021, 'end'), '2026年政府工作报告' -> (2026, 'start').

    A title broken over two or three short lines (PDF covers) is read joined.
    """
    return _head_title_year(text[:1500])


@lru_cache(maxsize=8)  # the document date and each article's dates ask about the same first lines
def _head_title_year(head: str) -> tuple[int, str] | None:
    w = rules.load("dates")["title"]
    lines = [ln.strip().lstrip("—-－ ") for ln in head.splitlines()[:40]]
    lines = [ln for ln in lines if ln]
    for i in range(len(lines)):
        if _SECTION_NUMBER.match(lines[i]):
            continue  # a numbered section heading, not the title
        for k in (1, 2, 3):
            cand = "".join(lines[i:i + k])
            if len(cand) > 60 or i + k > len(lines):
                break
            m = _TITLE_YEAR.search(cand)
            if not m:
                continue
            tail = cand[m.end():].rstrip("）)")
            if any(tail.endswith(x) for x in w["year_end"]):
                return int(m.group(1)), "end"
            if any(tail.endswith(x) for x in w["year_start"]):
                return int(m.group(1)), "start"
    return None


def title_year(text: str) -> int | None:
    """The year a summary's title names (2021年…工作综述); a report or plan looks ahead, so none."""
    r = _title_line_year(text)
    return r[0] if r and r[1] == "end" else None


def _ymd(y, m, d) -> str | None:
    r = safe_date(int(y), int(m), int(d))
    return r.isoformat() if r else None


# Lines that state the document's date, tried in order: (pattern, where to look, source label).
_DOC_DATE_LINES = (
    (_ISSUE_LINE, "head_tail", "text:issue-line"),
    (_MASTHEAD, "head", "text:issue-line"),
    (_SPEECH_LINE, "head_tail", "text:dateline"),
    (_DATELINE, "head_tail", "text:dateline"),
    (_TIME_LINE, "head_tail", "text:dateline"),
    (_MASTHEAD_GAP, "head", "text:masthead"),
    (_SIGNOFF, "tail", "text:signoff"),
)


def infer_doc_date(text: str, metadata: dict | None = None) -> tuple[str | None, str | None]:
    """(date, where it came from) for the document; (None, None) when nothing says.

    In order: an issue line (`2020年4月18日印发`), a dateline (a line that is only a date, or
    `——2026年2月3日在…会议上`, or `时间：2026-02-09`), a masthead ending in a date after a wide gap,
    a closing sign-off `（某某会　2024年2月20日）`, a dated title (`2021年…工作综述`: the year's end;
    `2026年政府工作报告`: its start), then the PDF's creation date.
    """
    parts = {"head": text[:800], "head_tail": text[:3000] + "\n" + text[-1500:], "tail": text[-600:]}
    for rx, part, source in _DOC_DATE_LINES:
        m = rx.search(parts[part])
        if m and _ymd_cn(*m.groups()):
            return _ymd_cn(*m.groups()), source
    t = _title_line_year(text)
    if t:
        y, where = t
        return (f"{y}-12-31" if where == "end" else f"{y}-01-01"), "text:title"
    for key in ("CreationDate", "ModDate", "creationdate", "moddate"):
        v = (metadata or {}).get(key)
        m = _PDF_DATE.match(str(v)) if v else None
        if m and _ymd(*m.groups()):
            return _ymd(*m.groups()), "pdf:metadata"
    return None, None


def parse_doc_date(s) -> Date | None:
    """doc._.doc_date ("YYYY-MM-DD...") as a date; None when absent or not a date."""
    if not s:
        return None
    try:
        return Date.fromisoformat(str(s)[:10])
    except ValueError:
        return None
