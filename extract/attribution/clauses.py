"""Where sentences, paragraphs, clauses and headings are, on the article's simplified text."""
from __future__ import annotations

import bisect

import regex
from spacy.tokens import Doc

from ..text.spans import doc_text
from .lexicon import CLAUSE_END, Lexicon

_HEADING_MAX = 40
_HEADING_STOP = regex.compile(r"[。；;，,！？!?]")
_SPACE = regex.compile(r"\s+")
_SPACE_1 = regex.compile(r"\s")
CLAUSE_END_RE = regex.compile("[" + regex.escape(CLAUSE_END) + "]")
_CLAUSE_END_BACK = regex.compile("[" + regex.escape(CLAUSE_END) + "]", flags=regex.REVERSE)
_GUARDED = regex.compile(r"《[^《》\n]{0,60}》|“[^“”\n]{0,120}”|\"[^\"\n]{0,120}\"")
SENT_STOP = regex.compile(r"[。！？!?；;]")
FULL_STOP = regex.compile(r"[。！？!?]")
SOURCE_LINE = regex.compile(r"^\s*[（(][^（）()\n]{2,60}[）)]\s*$")
# a column tag or an opening quote before a clause does not stop what follows from opening it
# (`【社会保障】2020年，…`, `“2024年已动员…`)
_OPEN_TAG = regex.compile(r"^(?:【[^】\n]{0,30}】|[“‘「『\"])+")


def squash(s: str) -> str:
    return _SPACE.sub("", s) if _SPACE_1.search(s) else s


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds as zh_sentences draws them (segment.sentences), without building tokens."""
    from ..segment import sentences

    return sentences(text)


def blocks(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Paragraphs, with hard-wrapped lines joined: a line not ending a sentence runs on."""
    paras = []
    if "paragraphs" in doc.spans:
        # the bounds of zh_sentences' paragraph spans, which are segment.paragraphs of the doc's
        # text (a paragraph's bounds are token bounds): its kept answer, read without building a
        # Span per paragraph (spaCy reads each one's bounds from its tokens)
        from ..segment import paragraphs

        paras = paragraphs(doc_text(doc))
    if not paras:
        paras = [(m.start(), m.end()) for m in regex.finditer(r"[^\n]+", text)]
    out: list[list[int]] = []
    for s, e in paras:
        if out and not _block_ends_sentence(text, *out[-1]) and not _block_is_heading(text, *out[-1]):
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _block_ends_sentence(text: str, s: int, e: int) -> bool:
    """Whether text[s:e] ends a sentence (a paragraph never ends on ；), without copying it."""
    while e > s and text[e - 1].isspace():
        e -= 1
    return e == s or text[e - 1] in "。！？!?…”」』）)"


def _block_is_heading(text: str, s: int, e: int) -> bool:
    """is_heading(text[s:e]) without copying a long block."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return e - s <= _HEADING_MAX and is_heading(text[s:e])


def is_heading(t: str) -> bool:
    t = t.strip()
    return 0 < len(t) <= _HEADING_MAX and not _HEADING_STOP.search(t)


def guarded(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The 《…》 and “…” spans of text[start:end]; start and end at line bounds (none crosses a
    line, so the matches are those of the whole text there)."""
    return [(m.start(), m.end()) for m in _GUARDED.finditer(text, start, len(text) if end is None else end)]


def inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """pos inside one of the (sorted, non-nested) spans."""
    i = bisect.bisect_left(spans, (pos,)) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Start of the clause holding pos; a closed parenthesis (`除颤器（AED）`) is inside it."""
    i = pos
    while i > floor:
        m = _CLAUSE_END_BACK.search(text, floor, i)  # the last clause end before i
        if m is None:
            return floor
        i = m.end()
        if text[i - 1] in "）)":
            # an opening one at most 20 back: the parenthesis is inside the clause
            lo = max(floor, i - 20)
            j = max(text.rfind("（", lo, i - 1), text.rfind("(", lo, i - 1))
            if j >= 0:
                i = j
                continue
        break
    return i


def opens_clause(lx: Lexicon, text: str, start: int, floor: int = 0) -> bool:
    """True when nothing but a preposition (or a column tag, an opening quote) stands between the
    clause start and `start`."""
    return opener_only(lx, text[clause_start(text, start, floor):start])


def opener_only(lx: Lexicon, head: str) -> bool:
    """head, the text before a time expression in its clause or paragraph, lets it open the clause."""
    head = squash(head)
    if head and head[0] in "【“‘「『\"":
        head = _OPEN_TAG.sub("", head)
    return head == "" or head in lx.clause_openers


def subject_position(lx: Lexicon, text: str, pos: int) -> bool:
    """A place opening its clause (after time words and prepositions) is the clause's subject."""
    head = squash(text[clause_start(text, pos):pos])
    return not head or bool(lx.head_filler.fullmatch(head))
