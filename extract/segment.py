"""Stage 3, segment: cleaned text -> articles -> paragraphs -> sentences (character spans).

A newsletter page or issue holds several articles; each becomes one spaCy Doc downstream, so that
"全市" and "今年" are read against the right article.

Articles are found from the furniture of Chinese newsletters and newspapers, line by line (clean
leaves one paragraph or heading per line):
  - a byline (□本报记者 陈才源, 通讯员 梁国松, 本报讯) opens an article; the headings right above it
    are its title block;
  - a source line, a whole line in brackets (（漳州市计生协）, （张舒锦 王丽玲）), closes one; the
    headings after it open the next;
  - a table of contents (目录 and its entries) is an article of its own.
Other headings (1 特殊保障更稳固, 一、…, 链接) are sections inside the article.

The spaCy component zh_sentences (factory make_sentences) marks the sentence starts of an article's
Doc and puts its paragraphs in doc.spans["paragraphs"].
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy
import regex
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .text.spans import doc_text


@dataclass
class Article:
    index: int
    start: int  # span in the cleaned document text
    end: int
    title: str | None = None
    byline: str | None = None  # "□本报记者 陈才源"
    source_line: str | None = None  # "（漳州市计生协）"


# (standard re: it runs through a negated set faster than the regex module)
_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n|$)")


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Non-empty lines of the cleaned text (hard wraps were joined by clean), white space trimmed."""
    return list(_spans(_PARAGRAPH, text, start, len(text) if end is None else end))


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences end at 。！？；(and ! ? ;), with any closing quotes, or at a line end."""
    return list(_spans(_SENTENCE, text, start, len(text) if end is None else end))


# segmentation, dates, attribution and the driver each ask for the same article's sentences and
# paragraphs: a few recent answers are kept (callers get their own copy of the list)
@lru_cache(maxsize=8)
def _spans(rx: re.Pattern, text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    out = []
    for m in rx.finditer(text, start, end):
        # white space trimmed as str.strip() trims it (str.isspace)
        seg = m.group()
        s = m.start() + len(seg) - len(seg.lstrip())
        e = m.start() + len(seg.rstrip())
        if e > s:
            out.append((s, e))
    return tuple(out)


# ------------------------------------------------------------------ line kinds
_BYLINE = regex.compile(
    r"^(?:[□■◇◆○●☆★]\s*\S|(?:本[报報刊台臺])?(?:特约|特約|见习|見習)?(?:记者|記者|通讯员|通訊員|撰稿|供稿|作者)[\s:：]"
    r"|本[报報刊]讯|本[报報刊]訊|文[/／]|文\s*[|｜]|[图圖][/／]文)")  # traditional forms too
_SOURCE = regex.compile(r"^[（(][^（()）\n]{2,60}[）)]$")
_JUMP = regex.compile(r"[上下][转轉]|[转轉]第|接第|[见見]第")  # （下转第3版） is not a source line
_FINAL = regex.compile(r"[。！？!?；;][”’」』）)]*$")
_PUNCT = regex.compile(r"[，。；！？,;!?]")
_TOC = regex.compile(r"^目\s*[录錄]$|^contents$", regex.I)
# issue lines and datelines of a masthead (第十二期, 总第118期, 二〇二三年十二月二十日), in any numerals
_N = r"[\d〇○零一二三四五六七八九十百]"
_DATELINE = regex.compile(
    rf"第\s*{_N}+\s*期|[总總]第|{_N}{{4}}\s*年\s*{_N}{{1,3}}\s*月\s*{_N}{{1,3}}\s*日|^\d+\s*(?:版|页|頁)$")
_CAPTION = regex.compile(r"^[▲△]")
_BRACKETED_DATE = regex.compile(r"^[（(]\s*[\d〇○零一二三四五六七八九十]{4}\s*年[\d一二三四五六七八九十月日号\s]*[）)]$")  # （2023年12月26日）
MAX_HEADING = 40  # characters; a longer line without final punctuation is prose cut short


def line_kind(line: str) -> str:
    """One of: byline, source, caption, toc, heading, text."""
    if _SOURCE.match(line) and not _JUMP.search(line) and not _BRACKETED_DATE.match(line):
        return "source"
    if _BYLINE.match(line) and len(line) <= 40 and not _FINAL.search(line):
        return "byline"
    if _CAPTION.match(line):
        return "caption"
    if _TOC.match(line):
        return "toc"
    if len(line) <= MAX_HEADING and not _FINAL.search(line) and len(_PUNCT.findall(line)) <= 1:
        return "heading"
    return "text"


# ------------------------------------------------------------------ articles
def articles(text: str) -> list[Article]:
    """Articles in document order, covering the text from the first paragraph to the last."""
    lines = paragraphs(text)
    if not lines:
        return [Article(0, 0, len(text))]
    kinds = [line_kind(text[s:e]) for s, e in lines]
    starts = _article_starts(kinds, [text[s:e] for s, e in lines])
    out: list[Article] = []
    for n, first in enumerate(starts):
        last = (starts[n + 1] if n + 1 < len(starts) else len(lines)) - 1
        art = _describe(text, lines, kinds, first, last)
        # an 'article' with no running text (a stray title at a page's foot) joins the one before
        if out and not any(k in ("text", "caption") for k in kinds[first:last + 1]) and kinds[first] != "toc":
            out[-1].end = art.end
            continue
        out.append(art)
    # the articles tile the document: leading and trailing white space go to the first and last
    out[0].start = 0
    out[-1].end = len(text)
    for a, b in zip(out, out[1:]):
        a.end = b.start
    for i, a in enumerate(out):
        a.index = i
    return out


def _article_starts(kinds: list[str], lines_text: list[str]) -> list[int]:
    """Indices of the lines where an article begins."""
    starts = {0}
    n = len(kinds)
    i = 0
    text_since_start = False  # running text since the last article start
    while i < n:
        k = kinds[i]
        text_since_start = text_since_start or k == "text"
        if k == "byline":
            # the title block: the headings right above the byline
            j = i
            while j > 0 and kinds[j - 1] == "heading" and i - j < 4:
                j -= 1
            starts.add(j)
            text_since_start = False
            while i + 1 < n and kinds[i + 1] == "byline":  # 通讯员 on a second line
                i += 1
        elif k == "source" and i + 1 < n and text_since_start:
            starts.add(i + 1)  # a source line closes an article that has running text
            text_since_start = False
        elif k == "toc":
            # the entries are headings; the contents end where the first entry comes back as
            # the first article's title, or at running text
            starts.add(i)
            entries = set()
            j = i + 1
            while j < n and kinds[j] == "heading" and lines_text[j] not in entries:
                entries.add(lines_text[j])
                j += 1
            if j < n:
                starts.add(j)
            text_since_start = False
            i = j - 1
        i += 1
    return sorted(starts)


def _describe(text: str, lines, kinds, first: int, last: int) -> Article:
    """Title, byline and source line of the article made of lines[first..last]."""
    art = Article(0, lines[first][0], lines[last][1])
    head = []
    for i in range(first, last + 1):
        if kinds[i] in ("heading", "toc"):
            head.append(i)
        elif kinds[i] == "byline":
            j = i
            while j < min(last, i + 1) and kinds[j + 1] == "byline":  # 通讯员 on a second line
                j += 1
            art.byline = " ".join(text[slice(*lines[k])] for k in range(i, j + 1))
            break
        else:
            break
    if kinds[first] == "toc":
        art.title = text[slice(*lines[first])]
        return art
    titles = [text[slice(*lines[i])] for i in head]
    titles = [t for t in titles if not t.startswith(("——", "—", "--")) and not _DATELINE.search(t)] or titles
    if titles:
        art.title = max(titles, key=len)  # the headline; kickers and column names are shorter
    if kinds[last] == "source":
        art.source_line = text[slice(*lines[last])]
    return art


# ------------------------------------------------------------------ spaCy component
@Language.factory("zh_sentences", assigns=["token.is_sent_start", "doc.spans"])
def make_sentences(nlp: Language, name: str) -> SentenceSegmenter:
    return SentenceSegmenter(nlp, name)


class SentenceSegmenter:
    """Sentence starts after 。！？；and line ends (sentences()); doc.spans["paragraphs"] are the lines
    (paragraphs())."""

    def __init__(self, nlp: Language, name: str = "zh_sentences"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # Vectorised: creating a Python Token per character costs more than the rest of the pipeline,
        # and setting token.is_sent_start one by one re-checks the whole doc each time.
        idx = doc.to_array([IDX]).astype("int64").ravel()
        text = doc_text(doc)
        starts = numpy.fromiter((s for s, _ in sentences(text)), dtype="int64")
        flags = numpy.where(numpy.isin(idx, starts), 1, -1).astype("int32")
        flags[0] = 1
        doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
        doc.spans["paragraphs"] = [sp for sp in (doc.char_span(s, e, alignment_mode="expand")
                                                 for s, e in paragraphs(text)) if sp is not None]
        return doc
