"""metric_of: a short label for what a figure measures, in the document's words, from jieba's words
and tags on the clause before it (and the noun after a count); category_of: its taxonomy category
(patterns/metrics.toml). See the package doc."""
from __future__ import annotations

import bisect
from functools import lru_cache

import regex

from ..places import words as jieba_words
from ..text import rules
from ..text.hanzi import simplified
from .clauses import CLAUSE_END_RE, squash, subject_position
from .context import Context, chain
from .lexicon import Lexicon
from .phrases import _has_noun, _noun_after, _parenthesised, _sentence_subject, _shorten, _trailing_nouns, _trim
from .wordcut import _PUNCT, words

__all__ = ["Taxonomy", "category_of", "default_taxonomy", "metric_of"]


# ------------------------------------------------------------------ category
class Taxonomy:
    """patterns/metrics.toml's categories, indexed for category_of's scan from the right."""

    def __init__(self, data: dict):
        by_word: dict[str, list] = {}
        for cid, cat in data.get("categories", {}).items():
            for w in cat.get("words", []):
                by_word.setdefault(w, []).append((cid, bool(cat.get("generic")), tuple(cat.get("kinds", ()))))
        # last character -> the lengths of the key words ending with it
        lengths: dict[str, set] = {}
        for w in by_word:
            lengths.setdefault(w[-1], set()).add(len(w))
        self.lengths = {c: sorted(ls) for c, ls in lengths.items()}
        self.by_word = by_word
        self.by_unit = dict(data.get("by_unit", {}).items())  # a plain dict: looked up per figure


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return Taxonomy(rules.load("metrics"))


def category_of(label: str | None, kind: str | None = None, unit: str | None = None,
                clause: str | None = None, taxonomy: Taxonomy | None = None) -> str | None:
    """The taxonomy category of a metric label: the key word ending furthest right wins."""
    taxonomy = default_taxonomy() if taxonomy is None else taxonomy
    for text in (label, clause):
        if not text:
            continue
        found = _category_in(text, kind, taxonomy)
        if found:
            return found
    return taxonomy.by_unit.get(unit or "")


@lru_cache(maxsize=2048)
def _category_in(text: str, kind: str | None, taxonomy: Taxonomy) -> str | None:
    """The category whose key word ends furthest right in text (labels repeat: cached)."""
    lengths, by_word = taxonomy.lengths, taxonomy.by_word
    text = squash(text)
    if not text.isascii():
        text = simplified(text)
    best = None  # (specific, end, length, cid)
    # every key word by where it ends, from the right: the first end with a specific key word
    # settles it (a generic one only wins when no specific one is found anywhere)
    for j in range(len(text), 0, -1):
        for length in lengths.get(text[j - 1], ()):
            i = j - length
            if i < 0:
                break
            for cid, generic, kinds in by_word.get(text[i:j], ()):
                if kinds and kind and kind not in kinds:
                    continue
                key = (not generic, j, length, cid)
                if best is None or key > best:
                    best = key
        if best and best[0]:
            break
    return best[3] if best else None


# ------------------------------------------------------------------ the label (words: phrases.py)
def _after_subject_place(ctx: Context, start: int, end: int) -> int:
    """Where the metric words begin: after a place that opens the clause (周口市郸城县依托…)."""
    k = bisect.bisect_left(ctx.place_starts, start)
    if k < len(ctx.places):
        p = ctx.places[k]
        if p.start < end and subject_position(ctx.lx, ctx.text, p.start):
            last = chain(ctx.text, ctx.places, p)
            if last.end < end:
                return last.end
    return start


def _cut_listed_verb(pre: str) -> str:
    """`…专家库”、成立有`: after an enumeration comma a new verb starts the phrase."""
    i = pre.rfind("、")
    if i >= 0 and i + 1 < len(pre):
        ws = words(pre[i + 1:])
        if ws and ws[0][1] == "v" and len(ws[0][0]) > 1:
            return pre[i + 1:]
    return pre


def _mark_word(c: str) -> bool:
    """A punctuation mark jieba keeps apart (、 but not the . or % of its blocks): cut as a word of
    its own and tagged x, so a text starting with it starts with neither a verb nor a noun."""
    return _PUNCT.match(c) is not None and jieba_words.blocks()[0].match(c) is None


def metric_of(ctx: Context, orig: str, start: int, end: int, kind: str | None, unit: str | None,
              clause_start: int, clause_end: int, post_end: int, previous: str | None,
              sentence_start: int | None = None) -> str | None:
    """A short label for what the figure at [start, end) measures, cut from the original text
    (see the package doc). sentence_start: where the figure's sentence starts (its subject may
    open it: 健康素养水平稳步提升，2022年达38.2%)."""
    text, lx = ctx.text, ctx.lx
    clause_start = _after_subject_place(ctx, clause_start, start)
    pre = lx.lead_scope.sub("", _cut_listed_verb(squash(text[clause_start:start])))
    if lx.comparison.fullmatch(pre) or (previous and (lx.share.fullmatch(pre) or lx.restated.fullmatch(pre))):
        # 较上年增长12% / 占总人口的34.1% / （折合1万美元）: a change, a share or a restatement of the
        # measure before it (no words needed)
        return _original(f"{previous}…{pre}" if previous else pre, text, orig, clause_start, end)
    pre_words = _trim(lx, words(pre)) if pre else []
    label = _shorten(lx, pre_words) if pre_words else ""
    if label in lx.change_verbs:
        label = ""  # 从5000元提高到8000元: the second figure measures what the first did
    elif len(label) < 2:
        # 每餐只收5元: a one-character verb keeps the words around it
        single_verb = len(pre_words) == 1 and pre_words[0][1] == "v"
        label = pre if single_verb and 2 <= len(pre) <= 8 else ""
    aside = lx.unit_aside.match(text, end)
    if aside and clause_end <= aside.end():
        # 近2万人（户）受益: the words after the unit given again
        m = CLAUSE_END_RE.search(text, aside.end(), aside.end() + 60)
        clause_end = post_end = m.start() if m else min(len(text), aside.end() + 60)
        end_read = aside.end()
    else:
        end_read = end
    post = lx.age_ahead.sub("", squash(text[end_read:post_end])) or \
        lx.age_ahead.sub("", squash(text[end_read:clause_end]))
    is_count = kind in ("count", None) and unit not in lx.not_count_units
    # the words after are read only for a count, an amount or after 的: skip jieba otherwise, and when
    # they start with a mark (`培训120人、…`) no branch below takes (only 《 and “ open a noun phrase)
    read_post = post and (is_count or kind == "money" or post[0] == "的") and (post[0] in "《“" or not _mark_word(post[0]))
    post_words = words(post[:24]) if read_post else []
    if post_words and is_count and post_words[0][1] == "p" and len(post) > 24:
        post_words = words(post[:60])  # a relative clause runs longer: 10300户因…造成的特困家庭
    if is_count and unit in lx.noun_units:
        np = unit  # 联合6部门: the unit is the noun
    else:
        np = _noun_after(lx, pre_words, post_words, kind, is_count, unit) if post_words else ""
    if np and np == post and post_end == clause_end and (levels := lx.level_aside.match(text, clause_end)):
        np += levels.group()  # 六个县（市、区）
    if label and np:
        label = f"{label}…{np}"
    elif not label:
        rest = squash(text[end_read:clause_end])
        if np:
            label = np
        elif aside_label := _parenthesised(lx, text, clause_start, start, end):
            label = aside_label        # 目标值（37%）: the noun the parenthesis stands after
        elif rest and not _mark_word(rest[0]) and words(rest[:8])[0][1] == "v":
            label = rest[:lx.label_max]  # the count is the subject: 3458人取得相关资质证明
        elif previous:
            label = previous           # 每户6000元 / 97场2129人次: same measure as the one before
        else:
            opening = None if sentence_start is None else _after_subject_place(ctx, sentence_start, clause_start)
            label = _lone_figure_label(lx, text, start, end) or _sentence_subject(lx, text, opening, clause_start)
    elif not _has_noun(lx, pre_words) and not is_count:
        # 投入285万元为…购买住院护理补贴保险: a bare money verb takes the object of its purpose
        tail = squash(text[end:clause_end])
        nouns = _trailing_nouns(lx, words(tail[:30])) if tail else []
        if nouns:
            label = f"{label}…{''.join(nouns)}"
    if not label:
        return None
    return _original(label, text, orig, clause_start, max(clause_end, end + len(label) + 40))


def _lone_figure_label(lx: Lexicon, text: str, start: int, end: int) -> str:
    """A figure standing alone as a headline takes the headline under it (`2300万元` / `省级…资金`)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:line_end].strip() != text[start:end].strip():
        return ""
    m = regex.match(r"\s*([^\n。；;！？]{2,40})", text[line_end:])
    return _shorten(lx, _trim(lx, words(squash(m.group(1))))) if m else ""


def _original(label: str, stext: str, orig: str, start: int, end: int) -> str:
    """The label in the document's own characters (traditional stays traditional)."""
    if stext is orig or stext == orig:
        return label
    sq_s, sq_o = squash(stext[start:end]), squash(orig[start:end])
    if len(sq_s) != len(sq_o):
        return label
    parts = []
    for piece in label.split("…"):
        i = sq_s.find(piece) if piece else -1
        parts.append(sq_o[i:i + len(piece)] if i >= 0 else piece)
    return "…".join(parts)
