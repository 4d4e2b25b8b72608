"""jieba's words and part-of-speech tags on a short window of text, for metric labels (metric.py) and
the verb test of cumulative clauses: the dictionary cut, memoized, with the tags corrected where jieba's
table misleads a label (village names tagged ns, nouns tagged m)."""
from __future__ import annotations

from functools import lru_cache

import regex

from ..places import words as jieba_words
from .lexicon import default_lexicon

_NUM = regex.compile(r"[\d.]+")
_PUNCT = regex.compile(r"\p{P}+")
_HAN = regex.compile(r"\p{Han}")
_ENG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # jieba's re_eng


def words(text: str) -> list[tuple[str, str]]:
    """jieba words with their part-of-speech tags, for a short window of text."""
    return list(_words(text))


# The memos here are small on purpose: a document repeats its phrases (培训, 发放慰问金) within a few
# thousand windows, which is what they are for (docs/performance/attribution.md).
@lru_cache(maxsize=2048)
def _words(text: str) -> tuple[tuple[str, str], ...]:
    dt, tags = jieba_words.tokenizer(), jieba_words.tags()
    tag_of = _TAG_OF
    return tuple([(w, tag_of.get(w) or _tag(w, tags)) for w in cut(text, dt)])


def _tag(w: str, tags: dict) -> str:
    """The tag of a word _words has not met yet, remembered in _TAG_OF."""
    if _NUM.fullmatch(w):
        tag = "m"
    elif _PUNCT.fullmatch(w):
        tag = "x"
    else:
        tag = tags.get(w, "x" if len(w) == 1 and not _HAN.match(w) else "n?")
        if tag == "ns":
            tag = "n?"  # the gazetteer tags every village name (惠及, 和平) ns: places come from spans
        elif tag == "m" and len(w) > 1 and _HAN.match(w) and not default_lexicon().numeral_chars.intersection(w):
            tag = "n?"  # jieba's dictionary tags some nouns m (大米, 少儿): no numeral, no number
    if len(_TAG_OF) > 20_000:
        _TAG_OF.clear()  # numbers are words too: keep the table bounded
    _TAG_OF[w] = tag
    return tag


_TAG_OF: dict[str, str] = {}  # word -> tag as _words gives it (jieba's tag table does not change)


def cut(text: str, dt) -> list[str]:
    """dt.lcut(text, HMM=False), word for word, faster: jieba cuts each run of Han characters,
    letters and digits on its own (memoized) and splits the rest into characters."""
    out: list[str] = []
    han, skip = jieba_words.blocks()
    # split() with a capturing group puts the matched runs at the odd indices: no need to re-match
    for k, blk in enumerate(han.split(text)):
        if k % 2:
            out.extend(_cut_block(blk, dt.total))
        elif blk:
            for j, x in enumerate(skip.split(blk)):
                if j % 2:
                    out.append(x)  # a space or line break is a word of its own
                else:
                    out.extend(x)
    return out


@lru_cache(maxsize=4096)
def _cut_block(s: str, total: int) -> tuple[str, ...]:
    """jieba's dictionary cut of one block (Tokenizer.__cut_DAG_NO_HMM: words.best_route, then
    jieba's English buffer). total is part of the key: names added to the dictionary change it."""
    best_end = jieba_words.best_route(s, total)
    n = len(s)
    out = []
    buf = ""
    x = 0
    while x < n:
        y = best_end[x]
        word = s[x:y]
        if word in _ENG_CHARS:
            buf += word  # single letters and digits run together (jieba's English buffer)
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(word)
        x = y
    if buf:
        out.append(buf)
    return tuple(out)
