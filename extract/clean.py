"""Stage 2, clean: repair what PDF extraction and hard-wrapped text do to Chinese, keeping a map
from every cleaned character back to its offset in the source text.

The map is what lets every figure report its exact original surface (line breaks and all) and page.

Repairs, in order (each a pass over the previous pass's text; the offset maps are composed):
  1. characters: full-width digits and letters to ASCII (NFKC), odd spaces to plain ones,
     zero-width characters dropped
  2. markup: **bold** / __bold__ markers, HTML tags and entities, table-of-contents dot leaders with
     their page numbers, page-number lines beside a PDF page break
  3. lines: hard-wrapped lines joined into paragraphs (see join_lines); the result holds one "\n"
     between paragraphs and headings, which segment relies on
  4. spaces: spaces inside numbers, between a number and its unit, and in letter-spaced words removed
  5. doubled glyphs: runs printed twice by fake-bold PDFs (培训班培训班, ((直播带货直播带货))) kept once
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex


@dataclass
class CleanText:
    text: str
    offsets: list[int]  # offsets[i]: source offset of cleaned char i; one extra entry for the end

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Cleaned [start, end) -> source [start, end)."""
        if end <= start:
            s = self.offsets[start]
            return s, s
        return self.offsets[start], self.offsets[end - 1] + 1


class Editor:
    """Collect non-overlapping edits of the source, then apply them in one pass with an offset map."""

    def __init__(self, source: str):
        self.source = source
        self.edits: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, new))

    def apply(self, base: list[int] | None = None) -> CleanText:
        """base: the offsets of the source back to an earlier text, if it is itself an edit; the result
        then maps straight back to that text. (Composed here from slices of base, which copy its
        numbers, where mapping a built map through base afterwards read it one entry at a time.)"""
        source = self.source
        at = base.__getitem__ if base is not None else int  # (int(i) is i: no earlier map)
        out: list[str] = []
        offsets: list[int] = []
        pos = 0
        for start, end, new in sorted(self.edits):
            if start < pos:  # overlapping edit: the earlier one wins
                continue
            out.append(source[pos:start])
            offsets.extend(range(pos, start) if base is None else base[pos:start])
            out.append(new)
            # every new char maps into the replaced range (last char at its end)
            span = max(1, end - start)
            offsets.extend(at(start + min(span - 1, i * span // max(1, len(new)))) for i in range(len(new)))
            pos = end
        out.append(source[pos:])
        offsets.extend(range(pos, len(source)) if base is None else base[pos:len(source)])
        offsets.append(at(len(source)))
        return CleanText("".join(out), offsets)


def clean(text: str) -> CleanText:
    ct = None  # nothing edited yet: every offset maps to itself (no map built for that)
    for step in (fix_chars, strip_markup, join_lines, squeeze_spaces, undouble):
        current = text if ct is None else ct.text
        ed = Editor(current)
        step(current, ed)
        if ed.edits:  # the new map composed with the last, so it maps straight back to text
            ct = ed.apply(None if ct is None else ct.offsets)
    return CleanText(text, list(range(len(text) + 1))) if ct is None else ct


# ------------------------------------------------------------------ 1. characters
# Standard re, each led by a set: it skips ahead to the set's characters in C, where the regex module
# tests the members one by one at every character.
# [０-９Ａ-Ｚａ-ｚ％＋－／], or ．， between digits (written so that the pattern starts with a set)
_FULLWIDTH = re.compile(r"[０-９Ａ-Ｚａ-ｚ％＋－／．，](?:(?<=[．，])(?<=[0-9０-９].)(?=[0-9０-９])|(?<![．，]))")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ODD_SPACE_OR_ZERO_WIDTH = re.compile(rf"[\u00a0\u2002-\u200a\u202f\u205f\t{_ZERO_WIDTH}]")  # one scan for both


def fix_chars(text: str, ed: Editor) -> None:
    for m in _FULLWIDTH.finditer(text):
        ed.replace(m.start(), m.end(), unicodedata.normalize("NFKC", m.group()))
    for m in _ODD_SPACE_OR_ZERO_WIDTH.finditer(text):
        ed.replace(m.start(), m.end(), "" if m.group() in _ZERO_WIDTH else " ")


# ------------------------------------------------------------------ 2. markup
_BOLD = regex.compile(r"(\*\*|__)(?=\S)(.{1,200}?)(?<=\S)\1")
_TAG = regex.compile(r"</?(?:p|br|b|strong|i|em|span|div|font|u|sup|sub|a)\b[^<>\n]{0,200}>", regex.I)
_ENTITY = regex.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,5}|[a-zA-Z]{2,8});")
# 目录……3 / 一、工作概况 ............ 12 : the leader and the page number go, the entry stays
_TOC_LEADERS = ("……", "⋯⋯", "....", "····", "．．．．", "------", "______")  # the shortest of each
_TOC_LEADER = regex.compile(r"[ \u3000]*(?:…{2,}|⋯{2,}|\.{4,}|·{4,}|．{4,}|-{6,}|_{6,})[ \u3000]*\d{1,4}[ \u3000]*$", regex.M)
# a page number alone on the line before or after a PDF page break: - 3 - / 第3页 / 3 / 第 3 页 共 20 页
_PAGE_NUMBER = r"[ \u3000]*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*[页頁](?:\s*[，,/]?\s*共\s*\d{1,4}\s*[页頁])?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})[ \u3000]*"
_PAGE_FURNITURE = regex.compile(rf"(?<=\f)({_PAGE_NUMBER})\n|\n({_PAGE_NUMBER})(?=\n\f)")


def strip_markup(text: str, ed: Editor) -> None:
    if "**" in text or "__" in text:  # (two substring tests are cheaper than the pattern's scan)
        for m in _BOLD.finditer(text):
            ed.replace(m.start(1), m.end(1), "")
            ed.replace(m.end(2), m.end(), "")
    for m in _TAG.finditer(text):
        ed.replace(m.start(), m.end(), "\n" if m.group().lower().startswith(("<br", "<p", "</p", "<div", "</div")) else "")
    for m in _ENTITY.finditer(text):
        ed.replace(m.start(), m.end(), html.unescape(m.group()).replace("\xa0", " "))
    if any(leader in text for leader in _TOC_LEADERS):  # (substring tests: faster than the pattern's scan)
        for m in _TOC_LEADER.finditer(text):
            ed.replace(m.start(), m.end(), "")
    if "\f" in text:
        for m in _PAGE_FURNITURE.finditer(text):
            g = 1 if m.group(1) is not None else 2
            ed.replace(m.start(g), m.end(g), "")


# ------------------------------------------------------------------ 3. lines
_FINAL = "。！？!?；;…"  # a line ending in one of these (maybe before closing quotes) is complete
_CLOSERS = "”’」』）)》〉】〕]"
_OPENERS = "“‘「『（(《〈【〔["
_PAUSE = "，、,：:"
# Chinese typesetting never starts a line with these (避头点): such a line continues the last one
_NO_LINE_START = "，、。；：？！,;:?!）)》〉」』”’】〕]%‰…"
# not the colon: 来源：广西日报 is a label line. (Tested with _PUNCT.isdisjoint(line), which stops at the
# first hit, where building set(line) of a long paragraph cost a third of cleaning.)
_PUNCT = frozenset("，。、；！？,;!?")
_MARKER = regex.compile(
    r"[▲△■□●○◆◇★☆※▶►•]|——|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]"
    r"|\d{1,2}[、．](?!\d)|第[一二三四五六七八九十百\d]{1,4}[章节節部分篇条條]")
_HEADLINE_GAP = regex.compile(r"\p{Han}{2}[ \u3000]+[\p{Han}“《]")  # 精心精准帮扶 浓浓深情关爱
_NUMBERED = regex.compile(r"\d{1,2}[ \u3000]+[\p{Han}“《]")  # 1 特殊保障更稳固


def width(s: str) -> int:
    """Display width: Latin-1 characters count 1, everything else (Han, full-width punctuation) 2."""
    return 2 * len(s) - len(s.encode("latin-1", "ignore"))


@dataclass
class Layout:
    """What the document's lines look like: hard-wrapped at a fixed width or one paragraph a line."""

    wrapped: bool
    column: int  # typical full line width (display units) of a wrapped document

    @classmethod
    def of(cls, lines: list[str], physical: bool = False) -> Layout:
        """physical: the lines are known to be printed lines (PDF text), whatever their widths.

        The column width is measured on prose lines (with sentence punctuation): tables, titles
        and captions have widths of their own."""
        lines = [s.strip() for s in lines if s.strip()]
        prose = [s for s in lines if not _PUNCT.isdisjoint(s)]
        widths = sorted(width(s) for s in (prose if len(prose) >= 8 else lines))
        if len(widths) < 8:
            return cls(physical, widths[-1] if widths else 0)
        column = widths[int(0.75 * len(widths))]
        near = sum(0.7 * column <= w <= 1.15 * column for w in widths)
        # newspaper and PDF columns are narrow and most lines fill them
        return cls(physical or (column <= 140 and near >= 0.5 * len(widths)), column)


def join_lines(text: str, ed: Editor) -> None:
    """Join hard-wrapped lines; keep one "\n" between paragraphs and headings.

    A break between line A and line B (maybe with blank lines or a page break between) is joined on
    general evidence: A is a full-width line of a wrapped document without final punctuation, A ends
    with a pause or an opening bracket, B starts with punctuation no line may start with, or A leaves
    a quote or bracket open. Short lines without final punctuation are headings; lines that start
    with a marker (▲, □, 一、, （二）) start a new unit.
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n\f]+", text) if text[m.start():m.end()].strip()]
    # ingest separates PDF pages with a form feed: such text is printed lines
    layout = Layout.of([text[s:e] for s, e in lines], physical="\f" in text)
    starts_paragraph = True
    for (s1, e1), (s2, e2) in zip(lines, lines[1:]):
        a, b = text[s1:e1].strip(), text[s2:e2].strip()
        gap_start = s1 + len(text[s1:e1].rstrip(" \t\u3000"))
        gap_end = s2 + (len(text[s2:e2]) - len(text[s2:e2].lstrip(" \t\u3000")))
        gap = text[gap_start:gap_end]
        joined = joins(a, b, gap, text[s2:e2], layout, starts_paragraph)
        if joined:
            ed.replace(gap_start, gap_end, "")
        elif gap != "\n":
            ed.replace(gap_start, gap_end, "\n")
        starts_paragraph = not joined


def joins(a: str, b: str, gap: str, raw_b: str, layout: Layout, first: bool = False) -> bool:
    """Does line b continue line a? (gap: the white space between them; first: a opens a paragraph,
    so it may have lost a two-character indent.)"""
    if b[0] in _NO_LINE_START:
        return True
    if _MARKER.match(b) or raw_b.startswith(("  ", "\u3000", "\t")):
        return False
    if a[-1] in _OPENERS or a[-1] in _PAUSE or _unbalanced(a) or _split_number(a, b):
        return True
    if _headline(b):
        return False
    if _headline(a) or a[0] in "▲△□■" and not layout.wrapped:
        return False
    complete = _complete(a)
    if layout.wrapped:
        if _too_wide(a, layout) or _too_wide(b, layout) or _table_row(a) or _table_row(b):
            return False  # a title or dateline set wider than the column
        full = width(a) >= 0.8 * layout.column
        if not full and first and width(a) >= 0.8 * layout.column - 6:
            # a paragraph's first line lost its indent; a heading is as short but is no prose
            full = _prose(a) or _word_across(a, b)
        if full and not complete:
            return True
        # a full line ending a sentence: the paragraph goes on unless a blank line or page ends it
        return full and gap == "\n" and width(b) <= 1.15 * layout.column
    # one paragraph a line: a clause cut short is a paragraph broken by accident (a long line without
    # any punctuation is a title or dateline). A short one may be a heading (坚持“双碳”引领，推动绿色
    # 转型): it joins only when a word runs across the break (家庭经|济拮据)
    if complete or not _prose(a):
        return False
    if width(a) >= 60 or "\f" in gap:  # a page's last line rarely is a heading
        return not (len(b) <= 12 and b[-1] in "：:")  # 各位代表： opens a speech
    return _word_across(a, b)


_UNIT_START = regex.compile(r"[\d.%‰万亿萬億千百元人户戶次个個名位场場期件项項家支条條册冊本份吨噸斤岁歲天周小]")


# a number at the line's end that is part of the text (服务群众4|218人次), not a cell of a table row
_NUMBER_END = regex.compile(r"(?<=[^\s\d.,])\d[\d.]*[万亿萬億]?$")
# what _NUMBER_END's match ends with: tested on the last two characters first, where the search
# itself tries every digit of the line
_NUMBER_LAST = regex.compile(r"[\d.万亿萬億]\n?$")


def _split_number(a: str, b: str) -> bool:
    """A number, or a number and its unit, cut by the line end: 1|280人, 4.5万|份, 10933|人次."""
    return (bool(_NUMBER_LAST.search(a, max(0, len(a) - 2))) and bool(_NUMBER_END.search(a))
            and bool(_UNIT_START.match(b)) and not _table_row(b))


_ROW_FREE = frozenset("，。；")  # a table row has none of these
_STANDALONE_NUMBER = regex.compile(r"(?<![^\s])[-+]?[\d,]*\d(?:\.\d+)?%?(?![^\s])")


def _table_row(s: str) -> bool:
    """Cells of a table row: two or more numbers standing alone, no sentence punctuation."""
    return _ROW_FREE.isdisjoint(s) and len(_STANDALONE_NUMBER.findall(s)) >= 2


def _prose(a: str) -> bool:
    """Sentence punctuation after any section number (一、 is a heading's, not a clause's)."""
    m = _MARKER.match(a)
    return not _PUNCT.isdisjoint(a[m.end():] if m else a)


def _too_wide(s: str, layout: Layout) -> bool:
    """Wider than the column without being prose: a title or dateline over several columns. (A
    letter-spaced line is wide only because of its spaces.)"""
    limit = 1.15 * layout.column
    return width(s) > limit and _PUNCT.isdisjoint(s) and width(s.replace(" ", "")) > limit


@lru_cache(maxsize=1)
def _own_dictionary():
    """A jieba.Tokenizer with only jieba's own dictionary: the global one gets place names added by
    the gazetteer, and cleaning must not depend on what loaded first.

    Loading the dictionary is slow, so the global tokenizer's copy is shared (places and
    attribution load it anyway) and its words are copied, less the names the gazetteer
    added: gazetteer.load_into_jieba adds a name only where jieba has no such word, and tags each
    one in user_word_tag_tab, so setting those back to 0 (a mere prefix, which no cut can tell from
    an absent entry) and taking their counts off the total gives jieba's own dictionary exactly.
    Anything else (user words we cannot account for): the private tokenizer loads its own."""
    import jieba

    from .places import gazetteer
    from .places.words import init_jieba

    jieba.setLogLevel(60)
    tk = jieba.Tokenizer()
    dt = jieba.dt
    added = dt.user_word_tag_tab
    loaded = id(dt) in getattr(gazetteer, "_JIEBA_LOADED", {id(dt)})
    if loaded != bool(added) or (added and set(added.values()) != {"ns"}):
        return tk  # words added some other way, or their tags moved away (posseg): load our own
    init_jieba(dt)
    freq = dict(dt.FREQ)
    total = dt.total
    for name in added:
        total -= freq[name]
        freq[name] = 0
    tk.FREQ, tk.total = freq, total
    tk.initialized = True
    return tk


def _word_across(a: str, b: str) -> bool:
    """jieba's dictionary has a word running across the break (各|不相同): a wrapped line."""
    head, tail = a[-4:], b[:4]
    pos = 0
    for word in _own_dictionary().cut(head + tail):  # HMM on: unknown names too (金|龙街道)
        if pos < len(head) < pos + len(word):
            return True
        pos += len(word)
    return False


def _complete(a: str) -> bool:
    s = a.rstrip(_CLOSERS)
    if s and s[-1] in _FINAL:
        return True
    # a whole line in brackets is a source line: （漳州市计生协）
    return a[0] in "（(" and a[-1] in "）)"


def _headline(s: str) -> bool:
    """Two phrases set apart by a space, or a section number and a phrase, without sentence
    punctuation: a headline, a byline, names, 1 特殊保障更稳固."""
    return len(s) <= 40 and _PUNCT.isdisjoint(s) and bool(_HEADLINE_GAP.search(s) or _NUMBERED.match(s))


def _unbalanced(a: str) -> bool:
    """A opens a quote or bracket it does not close: the sentence runs on."""
    for o, c in ("“”", "《》", "（）", "()", "「」"):
        if a.count(o) > a.count(c):
            return True
    return False


# ------------------------------------------------------------------ 4. spaces
_SP = r"[ \u3000]+"
# one space only: a wider gap is layout (办公室　　　2022年7月15日) and stays
# (each alternative starts with the space itself, so the engine can skip ahead to spaces)
_NUMBER_SPACE = regex.compile(
    r"[ \u3000](?<=\d.)(?=[\p{Han}%‰])"  # 185.41 万 / 35 户 / 2022 年 / 209.66 %
    r"|[ \u3000](?<=\p{Han}.)(?=\d)"  # 对帮扶 35
    r"|[ \u3000](?<=\d.)(?=\.\d)|[ \u3000](?<=\d\..)(?=\d)"  # 185 .41 / 185. 41
)
# a chain of words and numbers set apart by single spaces; when three or more of them are lone Han
# characters it is letter-spaced (投 入 保 费 185.41 万 元) and all its spaces go; otherwise the
# spaces are real (王明华 李小红 张 敏: a two-character name padded to three)
_CHAIN = regex.compile(r"[\p{Han}\d.%]+(?:[ \u3000][\p{Han}\d.%]+)+")
_SPACED_CHAR = regex.compile(r"[ \u3000]\p{Han}(?=[ \u3000])")
_LONE_HAN = regex.compile(r"(?<![^ \u3000])\p{Han}(?![^ \u3000])")
_PUNCT_SPACE = regex.compile(rf"{_SP}(?=[，。、；：！？）》”’])|{_SP}(?<=[，。、；：！？（《“‘][ \u3000]{{1,50}})")
_LINE_START_NUMBER = regex.compile(r"^\d{1,2}[ \u3000]+\p{Han}[^，。；\n]*$", regex.M)  # 1 特殊保障更稳固


_SPACE = re.compile(r"[ \u3000]")


def _spaced_lines(text: str) -> list[tuple[int, int]]:
    """[start, end) of every line that holds a space (or an ideographic one)."""
    out = []
    pos = 0
    while m := _SPACE.search(text, pos):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.start())
        end = len(text) if end < 0 else end
        out.append((start, end))
        pos = end + 1
    return out


def squeeze_spaces(text: str, ed: Editor) -> None:
    # every pattern here matches at a space or needs one in its line, and none crosses a line end:
    # only the lines with a space are searched (each up to and with its line end, for the lookaheads)
    for start, end in _spaced_lines(text):
        stop = min(end + 1, len(text))
        keep = {m.start() + len(m.group()) - len(m.group().lstrip("0123456789"))
                for m in _LINE_START_NUMBER.finditer(text, start, stop)}
        # the spaces of a table row separate its cells: 一般公共服务支出 264.87 62.63
        line = text[start:end]
        if not (" " in line and _table_row(line)):
            for pat in (_NUMBER_SPACE, _PUNCT_SPACE):
                for m in pat.finditer(text, start, stop):
                    if m.start() not in keep:
                        ed.replace(m.start(), m.end(), "")
        # letter-spaced chains hold a lone character between spaces
        if _SPACED_CHAR.search(text, start, stop):
            for m in _CHAIN.finditer(text, start, end):
                if len(_LONE_HAN.findall(m.group())) >= 3:
                    for sp in _SPACE.finditer(m.group()):
                        ed.replace(m.start() + sp.start(), m.start() + sp.end(), "")


# ------------------------------------------------------------------ 5. doubled glyphs
# Fake bold draws a run twice; text extraction then reads it twice. Only whole runs of three or more
# characters with at least three Han are collapsed (培训班培训班); genuine repetition in reports is
# two characters (谢谢谢谢, 一个一个) and stays. Doubled brackets around a doubled run go too.
# (the standard re module runs this backreference pattern faster than regex)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# The doubled opening brackets are looked for before a doubled run found, not in the pattern: a
# pattern that opens on an optional group cannot skip ahead to the Han characters it needs.
_DOUBLED = re.compile(rf"([{_HAN}][{_HAN}\d]{{2,59}}?)\1([)\]）】]{{2}})?")
_DOUBLE_OPEN = "([（【"


def undouble(text: str, ed: Editor) -> None:
    for m in _DOUBLED.finditer(text):
        run, close = m.group(1), m.group(2)
        if len(re.findall(f"[{_HAN}]", run)) < 3:
            continue
        start = m.start()
        if start >= 2 and text[start - 2] in _DOUBLE_OPEN and text[start - 1] in _DOUBLE_OPEN:
            ed.replace(start - 1, start, "")
        ed.replace(m.end(1), m.end(1) + len(run), "")
        if close:  # keep the outer bracket, so a span over the whole maps to the whole
            ed.replace(m.start(2), m.end(2) - 1, "")
