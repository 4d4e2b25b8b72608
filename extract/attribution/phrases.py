"""The phrases of a metric label: trimming the clause before a figure to its verb-object phrase, the
noun phrase after a count or an amount, and the cues of report language that name what a figure
measures (patterns/attribution.toml [metric]). metric.py puts them together."""
from __future__ import annotations

import regex

from .clauses import CLAUSE_END_RE, squash
from .lexicon import Lexicon
from .wordcut import _HAN, words

_HEAD_CHAR = regex.compile(r"[\p{Han}《“A-Za-z]")


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
            if t == "v" and nxt[1] == "p":
                break  # 园区降至…: a verb before its preposition is the predicate, not a character of a name
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


def _per_word(lx: Lexicon, w: str) -> bool:
    """每人每年: the rate's denominator (most words fail on the first character)."""
    return w[:1] == lx.per and lx.per_word.match(w) is not None


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
    pos = sentence_start
    while pos is not None and pos < clause_start:  # the clauses before (2022年，X稳步提升，…)
        m = CLAUSE_END_RE.search(text, pos, clause_start)
        clause = squash(text[pos:m.start() if m else clause_start])
        pos = m.end() if m else None
        ws = _lead_trim(lx, words(clause[:30])) if clause else []
        np = _noun_phrase(lx, ws)
        n = len(words(np)) if np else 0
        # a noun proper (n, j, l, nz), not an idiom or an adverbial phrase (自上而下凝练…), whose clause
        # says how it moved (稳步提升, 跨越…): a person who did something (代市长…作报告) is no measure
        verbs = [w for w, t in ws[n:] if not t.startswith("d")][:1]
        if np and _has_noun(lx, ws[:n]) and verbs and verbs[0] in lx.subject_verbs:
            return np
    return ""


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
