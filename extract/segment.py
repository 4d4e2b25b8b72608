"""Stage 3, segment: cleaned text -> articles -> paragraphs -> sentences (character spans).

A newsletter page or issue holds several articles; each becomes one spaCy Doc downstream, so that
"全市" and "今年" are read against the right article.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex


@dataclass
class Article:
    index: int
    start: int  # span in the cleaned document text
    end: int
    title: str | None = None
    byline: str | None = None  # "□本报记者 陈才源"
    source_line: str | None = None  # "（漳州市计生协）"


_PARAGRAPH = regex.compile(r"[^\n]+")
_SENTENCE = regex.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n|$)")


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Non-empty lines of the cleaned text (hard wraps were joined by clean)."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text, start, end) if m.group().strip()]


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    end = len(text) if end is None else end
    out = []
    for m in _SENTENCE.finditer(text, start, end):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def articles(text: str) -> list[Article]:
    """First version: the whole document is one article."""
    return [Article(0, 0, len(text))]
