"""What the words around a place name say: jieba's word boundaries (with the gazetteer's names in
its dictionary) and tags, and the word lists of patterns/places.toml (everyday words, generic words,
words that never follow a place).
"""
from __future__ import annotations

from functools import lru_cache

import regex

from . import gazetteer, words


# ------------------------------------------------------------------ one-time setup
def context_rules(cfg: dict) -> dict:
    """places.toml's [context] tables, as the checks read them."""
    ctx = cfg.get("context", {})
    generic = set(ctx.get("generic_before_suffix", []))
    everyday, not_short = set(ctx.get("everyday_words", [])), set(ctx.get("not_short", []))
    return {
        "block_after": tuple(sorted(ctx.get("block_after", []), key=len, reverse=True)),
        "block_after_re": regex.compile(ctx.get("block_after_pattern", "(?!)")),
        "allow_after": tuple(ctx.get("allow_after", [])),
        "place_tags": set(ctx.get("place_tags", ["ns"])),
        "everyday": everyday,
        "generic": generic,
        "generic_long": tuple(g for g in generic if len(g) >= 2),
        "skip": set(ctx.get("skip_names", [])),
        "not_short": not_short,
        "surnames": set("".join(ctx.get("surnames", "").split())),
        "medium_re": regex.compile("(?:" + "|".join(map(regex.escape, sorted(ctx.get("medium_words", []), key=len,
                                                                            reverse=True)) or ["(?!)"]) + ")"),
        "issuer_re": _issuer_pattern(ctx),
        "issuer_head": ctx.get("issuer_head", 500),
        "list_marks": set(ctx.get("list_marks", [])),
        "place_words": tuple(ctx.get("place_words", [])),
        "benchmark_re": regex.compile("(?:" + "|".join(map(regex.escape, ctx.get("issuer_benchmark", []))) + r")\s*$")
        if ctx.get("issuer_benchmark") else regex.compile("(?!)"),
        "scope_not_levels": set(ctx.get("issuer_scope_not_levels", [])),
        "ordinary_after": {k: tuple(v) for k, v in ctx.get("ordinary_after", {}).items()},
        "level_words": tuple(ctx.get("level_words", {}).get("words", [])),
        "level_word_names": set(ctx.get("level_words", {}).get("extra", [])) | everyday | not_short,
    }


def _issuer_pattern(ctx: dict):
    """全省, 我县; 县慈善总会, 区民政局, 副区长 with the level word standing alone (group 1: the level)."""
    levels = "|".join(map(regex.escape, ctx.get("issuer_levels", []))) or "(?!)"
    bodies = "|".join(map(regex.escape, sorted(ctx.get("issuer_bodies", []), key=len, reverse=True))) or "(?!)"
    scope = "|".join(map(regex.escape, ctx.get("issuer_scope", []))) or "(?!)"
    before = regex.escape(ctx.get("issuer_before", ""))
    return regex.compile(rf"(?:{scope})({levels})(?![委政长级直属])|(?:(?<=^|[^\p{{Han}}]|[{before}])|(?<=副))({levels})(?:{bodies})")


@lru_cache(maxsize=1)
def place_tokenizer():
    """jieba with the gazetteer names in its user dictionary, plus its own word tags (names we add
    are tagged ns only where jieba did not know the word, so its own tags stay). jieba's tokenizer
    is one per process (jieba.dt, which jieba.posseg uses too): so is this."""
    gazetteer.load_into_jieba(words.jieba_module().dt)  # before tokenizer(): one load, from the cache
    return words.tokenizer(), words.tags()


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=1)
def _run_patterns():
    """Tests on jieba's runs, the text it cuts into words (any other character is a word of its
    own): is a character one of theirs; the run from a position (.match(text, pos, end)); the run
    up to one (.search(text, start, pos): the leftmost place a run reaching pos starts)."""
    import re

    han = words.blocks()[0]
    run = han.pattern.strip("()")
    return han.match, re.compile(run).match, re.compile(run + r"\Z").search


class Boundaries:
    """Word boundaries jieba puts in text[start-pad:end+pad] (absolute offsets), as `pos in bounds`.

    jieba cuts only inside runs of Han, Latin letters and digits (its re_han_default), each run on
    its own; any other character is a word of its own (but \r\n is one), so a position beside one
    is a boundary. So only the run around an asked position is cut (the same words as a cut of the
    whole window gives there), and only when a question needs it: a third of the names stand after
    punctuation, and for most of those the start is all that is asked. Likewise jieba's HMM is run
    on a stretch of one-character words only when a question falls inside it (rarely: names are
    dictionary words)."""

    __slots__ = ("text", "a", "b", "_runs", "_run_ends")

    def __init__(self, text: str, start: int, end: int, run_ends, pad: int = 4):
        """run_ends: Lexicon.run_ends, the cut of one run."""
        self.text = text
        self._run_ends = run_ends
        self.a = max(0, start - pad)
        self.b = min(len(text), end + pad)
        # start of a run cut -> the boundaries in it, and the stretches the HMM has not cut yet
        self._runs: dict[int, tuple[set[int], list[tuple[int, int]]]] = {}

    def __contains__(self, pos: int) -> bool:
        a, b, text = self.a, self.b, self.text
        if pos == a or pos == b:
            return True
        if not a < pos < b:
            return False
        in_run, run_at, run_to = _run_patterns()
        if not (in_run(text[pos - 1]) and in_run(text[pos])):
            return text[pos - 1:pos + 1] != "\r\n"
        ra = run_to(text, a, pos).start()  # the run around pos, within the window
        cut = self._runs.get(ra)
        if cut is None:
            rb = run_at(text, pos, b).end()
            ends, stretches = self._run_ends(text[ra:rb])
            self._runs[ra] = cut = ({ra + e for e in ends}, [(ra + s, ra + e) for s, e in stretches])
        ends, stretches = cut
        if pos in ends:
            return True
        for s, e in stretches:
            if s < pos < e:
                ends.update(s + x for x in hmm_ends(text[s:e]))
                stretches.remove((s, e))
                return pos in ends
        return False


def hmm_ends(stretch: str) -> list[int]:
    """Where jieba's HMM (finalseg.cut) ends the words of a stretch of one-character words."""
    import jieba.finalseg

    ends, e = [], 0
    for w in jieba.finalseg.cut(stretch):
        e += len(w)
        ends.append(e)
    return ends


FUNCTION_TAGS = ("c", "p", "u", "d", "r", "f")
VERBAL_TAGS = ("v", "d", "p", "c", "u", "r", "m", "q", "a", "f", "t")
NAME_TAGS = ("ns", "nr", "nz")


class Lexicon:
    """What the words around a name say: places.toml's word lists (context_rules) and jieba's
    tokenizer with the gazetteer's names (place_tokenizer) and tags."""

    def __init__(self, cfg: dict, tokenizer, tags: dict):
        self.cfg, self.tk, self.tags = cfg, tokenizer, tags
        # the same few words follow most names
        self._blocked_tail = lru_cache(maxsize=2048)(self._blocked_tail_uncached)

    def boundaries(self, text: str, start: int, end: int) -> Boundaries:
        """jieba's word boundaries around text[start:end] (see Boundaries)."""
        return Boundaries(text, start, end, self.run_ends)

    def run_ends(self, run: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Where jieba.dt.cut(run) ends its words, for a run of the characters jieba cuts (see
        _run_patterns): jieba's own accurate mode with HMM (Tokenizer.__cut_DAG, jieba 0.42.1) on
        words.best_route, without its generators and tuples. tests/test_words.py holds it to jieba.cut.

        Returns (ends, stretches): stretches are the (start, end) of runs of one-character words that
        jieba hands to its HMM; their ends are in ends, what lies inside them is hmm_ends' to say."""
        tk = self.tk
        freq, n = tk.FREQ, len(run)
        best_end = words.best_route(run, tk.total)
        ends: list[int] = []
        stretches: list[tuple[int, int]] = []

        def single_chars(a: int, b: int) -> None:
            """A stretch of one-character words: the HMM cuts it unless it is a dictionary word."""
            if b - a > 1 and not freq.get(run[a:b]):
                stretches.append((a, b))
                ends.append(b)
            else:
                ends.extend(range(a + 1, b + 1))

        x, buf = 0, None  # buf: where the pending one-character words start
        while x < n:
            y = best_end[x]
            if y - x == 1:
                if buf is None:
                    buf = x
            else:
                if buf is not None:
                    single_chars(buf, x)
                    buf = None
                ends.append(y)
            x = y
        if buf is not None:
            single_chars(buf, n)
        return ends, stretches

    def cut_words(self, text: str, a: int, b: int) -> list[tuple[int, int, str]]:
        tk = self.tk
        a, b = max(0, a), min(len(text), b)
        out, pos = [], a
        for w in tk.cut(text[a:b], HMM=True):
            out.append((pos, pos + len(w), w))
            pos += len(w)
        return out

    def ordinary_word(self, name: str) -> bool:
        """True when jieba's own dictionary knows name as something other than a place."""
        if name in self.cfg["everyday"]:
            return True
        tag = self.tags.get(name)
        return tag is not None and tag not in self.cfg["place_tags"]

    def everyday(self, name: str, level: str) -> bool:
        """True when a short name is more often an everyday word than this place (see places.toml)."""
        if name in self.cfg["everyday"]:
            return True
        if level in ("province", "prefecture"):
            return self.tags.get(name, "x").startswith(("v", "a")) and self.tk.FREQ.get(name, 0) >= 2000
        return self.ordinary_word(name)

    def blocked_after(self, text: str, end: int, name: str) -> bool:
        return self._blocked_tail(text[end:end + 4]) or self.ordinary_before(name, text, end)

    def ordinary_before(self, name: str, text: str, end: int) -> bool:
        """A name that is also an everyday word, made that word by what follows (places.toml):
        阿里 before 巴巴 or 云; 新建县 whose 县 opens 县域 (新建县域医疗中心: newly built)."""
        cfg = self.cfg
        after = cfg["ordinary_after"].get(name)
        if after and text.startswith(after, end):
            return True
        return len(name) >= 3 and name[:-1] in cfg["level_word_names"] \
            and text[end - 1:end + 1] in cfg["level_words"]

    def _blocked_tail_uncached(self, tail: str) -> bool:
        cfg = self.cfg
        if tail.startswith(cfg["allow_after"]):
            return False
        return tail.startswith(cfg["block_after"]) or cfg["block_after_re"].match(tail) is not None

    def generic(self, name: str) -> bool:
        cfg = self.cfg
        return name in cfg["generic"] or name.endswith(cfg["generic_long"]) or name.startswith(cfg["generic_long"])

    def function_word_glued(self, name: str, level: str) -> bool:
        """和县 (和|县), and townships read out of a one-char word plus a common word: 占城镇 (占|城镇),
        于城镇, 高城乡 (调高|城乡). Counties are left alone (东城区 is 东|城区 too)."""
        tk, tags = self.tk, self.tags
        if len(name) == 2:
            return tags.get(name[0], "").startswith(FUNCTION_TAGS)
        return level == "township" and len(name) == 3 and tk.FREQ.get(name[1:], 0) >= 100

    def common_word(self, w: str) -> bool:
        """A word of jieba's dictionary that is a verb/function word, or a frequent noun (居民, 干部)."""
        tk, tags = self.tk, self.tags
        tag = tags.get(w)
        if len(w) < 2 or tag is None or tag.startswith(NAME_TAGS):
            return False
        return tag.startswith(VERBAL_TAGS) or tk.FREQ.get(w, 0) >= 300
