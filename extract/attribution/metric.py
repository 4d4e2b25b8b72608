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
from .wordcut import cut, words

__all__ = ["Taxonomy", "category_of", "cut", "default_taxonomy", "metric_of", "words"]

_PUNCT = regex.compile(r"\p{P}+")
_HAN = regex.compile(r"\p{Han}")
_HEAD_CHAR = regex.compile(r"[\p{Han}《“A-Za-z]")


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


# ------------------------------------------------------------------ the label
def _drop_subject(lx: Lexicon, ws: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`红十字会全年举办救护员培训班` -> `全年举办救护员培训班`: the organisation is the subject."""
    for i, (w, t) in enumerate(ws):
        if t == "v" and i > 0:
            break
        if t != "v" and w.endswith(lx.subject_organisations):
            nxt = ws[i + 1] if i + 1 < len(ws) else None
            if nxt and (nxt[1].startswith(lx.name_part_tags) or nxt[1] == "n?") and nxt[0] not in lx.lead_words:
                return ws  # 红十字会员学校: part of a name, not the subject
            return ws[i + 1:]
    return ws


def _trim(lx: Lexicon, ws: list[tuple[str, str]]) -> list[tuple[str, str]]:
    ws = _lead_trim(lx, ws)
    dropped = _drop_subject(lx, ws)
    if dropped is not ws and dropped:
        ws = _lead_trim(lx, dropped)
    return _tail_trim(lx, ws)


def _lead_trim(lx: Lexicon, ws: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while ws and (ws[0][1] in lx.lead_tags or ws[0][0] in lx.lead_words or ws[0][0] in "、，,"
                  or _per_word(lx, ws[0][0])):
        if ws[0][0] in ("“", "《") and any(w in ("”", "》") for w, _ in ws[1:]):
            break  # an opening quote whose name follows stays: “小巨人”企业
        if _modifier(lx, ws, 0):
            break  # 其他服务业, 自然增长率: the modifier is part of the noun
        ws = ws[1:]
    return ws


def _modifier(lx: Lexicon, ws: list[tuple[str, str]], i: int) -> bool:
    """Whether ws[i] modifies the noun after it: 其他/其余 (kept_modifiers), or a two-character word
    jieba tags as an adverb right before a noun (自然增长率, 长期任务)."""
    w, t = ws[i]
    if i + 1 >= len(ws) or w in lx.lead_words:
        return False
    nxt = ws[i + 1][1]
    is_noun = nxt.startswith(lx.has_noun_tags) and nxt != "nr" or nxt == "n?"
    return is_noun and (w in lx.kept_modifiers or (t == "d" and len(w) == 2 and _HAN.match(w) is not None))


def _tail_trim(lx: Lexicon, ws: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while ws and (_per_word(lx, ws[-1][0]) or ws[-1][1] in lx.trail_tags or ws[-1][0] in lx.trail_words
                  or ws[-1][0] in lx.change_verbs):
        if ws[-1][0].endswith(("》", "”")):
            break
        ws = ws[:-1]
    return ws


def _noun_phrase(lx: Lexicon, ws: list[tuple[str, str]]) -> str:
    """The noun phrase at the start of a word list (a 《title》 or “name” counts as a noun).

    Single characters go in whatever their tag (jieba splits words it does not know, 失独 -> 失/独);
    a verb of two or more characters or a function word ends the phrase.
    """
    out = []
    quote = None
    noun_tags, function_tags = lx.noun_tags, lx.function_tags
    suffix_next = False
    for i, (w, t) in enumerate(ws):
        if suffix_next:
            out.append(w)
            suffix_next = False
            continue
        nxt = ws[i + 1] if i + 1 < len(ws) else ("", "x")
        nxt_noun = nxt[1].startswith(noun_tags) or nxt[1] == "n?"
        if not quote and out and nxt_noun and w in lx.inner_qualifiers:
            out.append(w)  # 副处级以上单位: the phrase goes on to its head noun
            continue
        if not quote and len(nxt[0]) == 1 and nxt[0] in lx.noun_suffixes and (t == "v" or t.startswith(noun_tags)):
            out.append(w)  # 婚姻登记点, 服务点: a verb or noun and a suffix make a noun
            suffix_next = True
            continue
        if not quote and _modifier(lx, ws, i) and w not in lx.kept_modifiers:
            out.append(w)  # 长期任务
            continue
        if quote:
            out.append(w)
            if w in ("》", "”", '"'):
                quote = None
            continue
        if w in ("《", "“"):
            quote = w
            out.append(w)
            continue
        if t.startswith(noun_tags) or t == "n?":
            out.append(w)
            continue
        if len(w) == 1 and _HAN.match(w) and not t.startswith(function_tags):
            out.append(w)
            continue
        break
    while out and (out[-1] in ("《", "“") or out[-1] in lx.inner_qualifiers):
        out.pop()
    if not any(t.startswith(noun_tags) or t == "n?" or w in ("》", "”") for w, t in ws[:len(out)]):
        return ""  # single characters alone (能/出) are no noun phrase
    return "".join(out)


def _shorten(lx: Lexicon, ws: list[tuple[str, str]]) -> str:
    """A long phrase keeps its verb and what follows the last 等 / 的 (the head of the phrase)."""
    label = "".join(w for w, _ in ws)
    label_max = lx.label_max
    if len(label) <= label_max:
        return label
    for cut_word in lx.head_cuts:
        idx = [i for i, (w, _) in enumerate(ws) if w == cut_word]
        if idx and idx[-1] < len(ws) - 1:
            head = "".join(w for w, _ in ws[idx[-1] + 1:])
            verb = next((w for w, t in ws[:idx[-1]] if t == "v" and len(w) > 1), "")
            label = (verb + "…" if verb else "") + head
            if len(label) <= label_max + 4:
                return label
    return label[-label_max:]


def _has_noun(lx: Lexicon, ws) -> bool:
    return any(t.startswith(lx.has_noun_tags) and t != "nr" for _, t in ws) or \
        any(w.endswith(("》", "”")) for w, _ in ws)


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


def _per_word(lx: Lexicon, w: str) -> bool:
    """每人每年: the rate's denominator (most words fail on the first character)."""
    return w[:1] == lx.per and lx.per_word.match(w) is not None


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


def _noun_after(lx: Lexicon, pre_words, post_words, kind: str | None, is_count: bool, unit: str | None) -> str:
    """The noun phrase after the figure that names what it counts or pays for, or ""."""
    first, tag = post_words[0]
    last_pre = pre_words[-1] if pre_words else ("", "")
    noun_next = len(post_words) > 1 and (post_words[1][1].startswith(lx.has_noun_tags) or post_words[1][1] == "n?")
    if first == "的" and noun_next and kind == "percent":
        return _noun_phrase(lx, post_words[1:])  # 54%的职工
    if first == "的" and (last_pre[1].startswith("v") or not _has_noun(lx, pre_words) or last_pre[0] in lx.attribute_nouns):
        # 赠送600元的计生特殊家庭综合关爱保险, 价值1398万元的销售合同
        return "".join(_trailing_nouns(lx, post_words[1:]))
    if is_count:
        if len(post_words) > 2 and tag == "v" and post_words[1][0] == "的":
            return _noun_phrase(lx, post_words[2:])  # 1.8万人参加的志愿服务大队
        if tag == "v" and last_pre[0] in lx.pivot_verbs:
            return first + _noun_phrase(lx, post_words[1:])  # 动员2.4万人参与无偿献血
        if tag == "p":
            return _relative_head(lx, post_words)  # 10300户因病致贫的特困家庭, 98名为…的妇女
        if (tag == "v" and len(first) > 1 and unit not in lx.agent_units and len(post_words) > 1
                and (np := _noun_phrase(lx, post_words[1:]))):
            return first + np  # 两次集中救助活动: the unit asks for a noun, the verb modifies it
        return _change_subject(lx, post_words, _noun_phrase(lx, post_words))  # 救扶247名女性
    if kind == "money":
        if first in lx.purpose_verbs and len(post_words) > 1:
            return _purpose_object(lx, post_words[1:])  # 支持40.4万元开展爱心助学
        return _money_noun(lx, post_words)  # 落实90万元专项资金
    return ""


def _purpose_object(lx: Lexicon, ws) -> str:
    """The object of the purpose verb after an amount, up to the first function word, when it is short:
    开展爱心助学, 开展“博爱送万家”活动, 助力乡村振兴."""
    out, quote = [], False
    for w, t in ws:
        if w in ("“", "”", "《", "》"):
            quote = w in ("“", "《")
        elif not quote and (t == "x" or t.startswith(lx.trailing_stop_tags)):
            break
        out.append(w)
    label = "".join(out)
    return label if 2 <= len(label) <= lx.label_max and not quote else ""


def _money_noun(lx: Lexicon, ws) -> str:
    """The noun right after an amount, through the first word of money within a few words (90万元专项资金,
    10亿元绿色发展补偿基金), or ""."""
    for k, (w, t) in enumerate(ws[:8]):
        if t == "x" or t.startswith(lx.function_tags) or (t == "v" and k == 0):
            return ""
        if w.endswith(lx.money_nouns):
            return "".join(x for x, _ in ws[:k + 1])
    return ""


def _change_subject(lx: Lexicon, ws, np: str) -> str:
    """np, or np through a verb to the noun the change verb after it measures: in 11项困难群众保障标准
    提高5% the verb (保障) modifies 标准, the subject of 提高; in 247名女性参加培训 it is the predicate."""
    k, text = 0, ""
    while k < len(ws) and len(text) < len(np):
        text += ws[k][0]
        k += 1
    if not np or text != np or k >= len(ws) or ws[k][1] != "v" or ws[k][0] in lx.change_verbs:
        return np
    j = k + 1
    while j < len(ws) and (ws[j][1].startswith(lx.has_noun_tags) and ws[j][1] != "nr" or ws[j][1] == "n?"):
        j += 1
    if j == k + 1 or j >= len(ws) or ws[j][0] not in lx.change_verbs:
        return np
    return np + "".join(w for w, _ in ws[k:j])


def _relative_head(lx: Lexicon, ws) -> str:
    """The noun after the last 的 of a relative clause that runs to the clause end (N户因…的特困家庭)."""
    for i in range(len(ws) - 1, 0, -1):
        if ws[i][0] == "的":
            head = ws[i + 1:]
            ends_noun = head and (head[-1][1].startswith(lx.has_noun_tags) or head[-1][1] == "n?")
            return "".join(w for w, _ in head) if ends_noun and all(t != "x" for _, t in head) else ""
    return ""


def _parenthesised(lx: Lexicon, text: str, clause_start: int, start: int, end: int) -> str:
    """A figure alone in parentheses (目标值（37%）) measures the noun right before them."""
    if not (text[clause_start - 1:clause_start] in "（(" and clause_start > 0
            and text[end:end + 1] in ("）", ")") and not text[clause_start:start].strip()):
        return ""
    before = squash(text[max(0, clause_start - 31):clause_start - 1])
    return "".join(_trailing_nouns(lx, words(before))) if before else ""


def _sentence_subject(lx: Lexicon, text: str, sentence_start: int | None, clause_start: int) -> str:
    """The noun phrase opening the sentence (after a place that opens it: a place is no measure), for a
    clause with none of its own (健康素养水平稳步提升，2022年达38.2%): a subject goes on over the clauses
    after it."""
    if sentence_start is None or sentence_start >= clause_start:
        return ""
    m = CLAUSE_END_RE.search(text, sentence_start, clause_start)
    first = squash(text[sentence_start:m.start() if m else clause_start])
    ws = _lead_trim(lx, words(first[:30])) if first else []
    np = _noun_phrase(lx, ws)
    # a noun proper (n, j, l, nz), not an idiom or an adverbial phrase (自上而下凝练…)
    return np if np and _has_noun(lx, ws[:len(words(np))]) else ""


def _lone_figure_label(lx: Lexicon, text: str, start: int, end: int) -> str:
    """A figure standing alone as a headline takes the headline under it (`2300万元` / `省级…资金`)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:line_end].strip() != text[start:end].strip():
        return ""
    m = regex.match(r"\s*([^\n。；;！？]{2,40})", text[line_end:])
    return _shorten(lx, _trim(lx, words(squash(m.group(1))))) if m else ""


def _trailing_nouns(lx: Lexicon, ws):
    """The noun phrase that ends a word list (购买两癌保险 -> 两癌保险)."""
    out = []
    for w, t in reversed(ws):
        if t == "x" or t.startswith(lx.trailing_stop_tags) or (t == "v" and len(w) > 1):
            break
        out.insert(0, w)
    while out and (out[0] in ("》", "”") or not _HEAD_CHAR.match(out[0])):
        out.pop(0)
    return out


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
