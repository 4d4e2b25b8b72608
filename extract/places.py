"""Places: recognize Chinese administrative areas and resolve each to its full /-path.

How (find_places):
0. Line wraps and spaces inside Chinese are squeezed out first (金\n龙街道, 厦 门); offsets map back.
1. An Aho-Corasick automaton (ahocorasick-rs) over the gazetteer's names finds candidates; text with
   traditional characters is matched a second time after OpenCC t2s (same offsets).
2. Overlaps: full names of counties and up, then of townships, then short names; longer, leftmost.
3. Each candidate is resolved to one region: a chain in the text (南平市建阳区水吉镇, 泉州市晋江永和镇),
   then regions named in full elsewhere in the article, then the document's region, then higher levels.
4. Each is accepted or dropped on general evidence: jieba word boundaries (担任城区 is not 任城区),
   brand/street words after it (兴业银行, 中山路), everyday words (合作, 平和) only in a chain or
   with the full name in the same article, a lone surname before it (记者李长乐), townships of another
   province without a chain.
5. Short township names (水吉) are looked for once their full name is found or right after their county.
6. Townships and villages the gazetteer lacks are found by suffix (镇/乡/街道, 村/社区): right after a
   place, or free-standing close after their county; repeats and short forms (科明) follow.
Rules are data in patterns/places.toml.
"""
from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import dataclass
from functools import lru_cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from . import gazetteer
from .text import rules
from . import words as jieba_words
from .text.hanzi import simplified_chars
from .text.spans import doc_text, set_span_extensions
from .gazetteer import RANK, Region

TOWN_SUFFIX = regex.compile(r"(\p{Han}{2,3}?)(镇|乡|街道)")
VILLAGE_SUFFIX = regex.compile(r"(\p{Han}{2,3}?)(村|社区)")
FREE_SUFFIX = regex.compile(r"村|社区|镇|乡|街道")
HAN = regex.compile(r"\p{Han}")


@dataclass
class Place:
    start: int
    end: int
    text: str            # the matched name (simplified)
    path: str
    code: str | None     # None for villages and townships the gazetteer lacks
    level: str
    region: Region | None = None
    kind: str = "full"   # full | short | alias | former | variant | suffix (found by 镇/村 suffix)


# ------------------------------------------------------------------ one-time setup
@lru_cache(maxsize=1)
def _config() -> dict:
    cfg = rules.load("places")
    ctx = cfg.get("context", {})
    generic = set(ctx.get("generic_before_suffix", []))
    return {
        "block_after": tuple(sorted(ctx.get("block_after", []), key=len, reverse=True)),
        "block_after_re": regex.compile(ctx.get("block_after_pattern", "(?!)")),
        "allow_after": tuple(ctx.get("allow_after", [])),
        "place_tags": set(ctx.get("place_tags", ["ns"])),
        "everyday": set(ctx.get("everyday_words", [])),
        "generic": generic,
        "generic_long": tuple(g for g in generic if len(g) >= 2),
        "skip": set(ctx.get("skip_names", [])),
        "not_short": set(ctx.get("not_short", [])),
        "surnames": set("".join(ctx.get("surnames", "").split())),
    }


@lru_cache(maxsize=1)
def _automaton():
    """(matcher, names) over every name but the short names of townships (most hits would be
    theirs: 中心, 发展, 健康 ...); those are looked for per document, see _add_township_shorts.

    ahocorasick-rs (Rust) scans ~10x faster than pyahocorasick here: the root of a Chinese name trie
    has thousands of children."""
    import ahocorasick_rs

    gz = gazetteer.get()
    skip = _config()["skip"]
    names = [name for name in gz.all_names()
             if len(name) >= 2 and name not in skip
             and any(n.kind != "short" or n.region.level != "township" for n in gz.names(name))]
    return ahocorasick_rs.AhoCorasick(names), names


@lru_cache(maxsize=1)
def _jieba():
    """jieba with the gazetteer names in its user dictionary, plus its own word tags (names we add
    are tagged ns only where jieba did not know the word, so its own tags stay)."""
    tk = jieba_words.tokenizer()
    gazetteer.load_into_jieba(tk)
    return tk, jieba_words.tags()


# ------------------------------------------------------------------ helpers
@lru_cache(maxsize=1)
def _run_patterns():
    """Tests on jieba's runs, the text it cuts into words (any other character is a word of its
    own): is a character one of theirs; the run from a position (.match(text, pos, end)); the run
    up to one (.search(text, start, pos): the leftmost place a run reaching pos starts)."""
    import re

    han = jieba_words.blocks()[0]
    run = han.pattern.strip("()")
    return han.match, re.compile(run).match, re.compile(run + r"\Z").search


class _Boundaries:
    """Word boundaries jieba puts in text[start-pad:end+pad] (absolute offsets), as `pos in bounds`.

    jieba cuts only inside runs of Han, Latin letters and digits (its re_han_default), each run on
    its own; any other character is a word of its own (but \r\n is one), so a position beside one
    is a boundary. So only the run around an asked position is cut (the same words as a cut of the
    whole window gives there), and only when a question needs it: a third of the names stand after
    punctuation, and for most of those the start is all that is asked. Likewise jieba's HMM is run
    on a stretch of one-character words only when a question falls inside it (rarely: names are
    dictionary words)."""

    __slots__ = ("text", "a", "b", "_runs")

    def __init__(self, text: str, start: int, end: int, pad: int = 4):
        self.text = text
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
            ends, stretches = _run_ends(text[ra:rb])
            self._runs[ra] = cut = ({ra + e for e in ends}, [(ra + s, ra + e) for s, e in stretches])
        ends, stretches = cut
        if pos in ends:
            return True
        for s, e in stretches:
            if s < pos < e:
                ends.update(s + x for x in _hmm_ends(text[s:e]))
                stretches.remove((s, e))
                return pos in ends
        return False


def _run_ends(run: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Where jieba.dt.cut(run) ends its words, for a run of the characters jieba cuts (see
    _run_patterns): jieba's own accurate mode with HMM (Tokenizer.__cut_DAG, jieba 0.42.1) on
    words.best_route, without its generators and tuples. tests/test_words.py holds it to jieba.cut.

    Returns (ends, stretches): stretches are the (start, end) of runs of one-character words that
    jieba hands to its HMM; their ends are in ends, what lies inside them is _hmm_ends' to say."""
    tk, _ = _jieba()
    freq, n = tk.FREQ, len(run)
    best_end = jieba_words.best_route(run, tk.total)
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


def _hmm_ends(stretch: str) -> list[int]:
    """Where jieba's HMM (finalseg.cut) ends the words of a stretch of one-character words."""
    import jieba.finalseg

    ends, e = [], 0
    for w in jieba.finalseg.cut(stretch):
        e += len(w)
        ends.append(e)
    return ends


def _jieba_words(text: str, a: int, b: int) -> list[tuple[int, int, str]]:
    tk, _ = _jieba()
    a, b = max(0, a), min(len(text), b)
    out, pos = [], a
    for w in tk.cut(text[a:b], HMM=True):
        out.append((pos, pos + len(w), w))
        pos += len(w)
    return out


def _ordinary_word(name: str) -> bool:
    """True when jieba's own dictionary knows name as something other than a place."""
    if name in _config()["everyday"]:
        return True
    _, tags = _jieba()
    tag = tags.get(name)
    return tag is not None and tag not in _config()["place_tags"]


def _everyday(name: str, level: str) -> bool:
    """True when a short name is more often an everyday word than this place (see places.toml)."""
    cfg = _config()
    if name in cfg["everyday"]:
        return True
    if level in ("province", "prefecture"):
        tk, tags = _jieba()
        return tags.get(name, "x").startswith(("v", "a")) and tk.FREQ.get(name, 0) >= 2000
    return _ordinary_word(name)


def _blocked_after(text: str, end: int) -> bool:
    return _blocked_tail(text[end:end + 4])


@lru_cache(maxsize=2048)  # the same few words follow most names
def _blocked_tail(tail: str) -> bool:
    cfg = _config()
    if tail.startswith(cfg["allow_after"]):
        return False
    return tail.startswith(cfg["block_after"]) or cfg["block_after_re"].match(tail) is not None


def _generic(name: str) -> bool:
    cfg = _config()
    return name in cfg["generic"] or name.endswith(cfg["generic_long"]) or name.startswith(cfg["generic_long"])


def _region_of_path(path: str | None) -> Region | None:
    return gazetteer.get().by_path(path) if path else None


# ------------------------------------------------------------------ candidates
@dataclass
class _Cand:
    start: int
    end: int
    name: str
    names: list  # gazetteer.Name
    full: bool   # some reading is a full (or former) name
    sole: Region | None = None  # see _Reading


def _priority(c: _Cand) -> int:
    """Full names of counties and up, then of townships (南平市 wins over 市东街道 in 南平市东街道),
    then short names of counties and up, then of townships."""
    high = any(n.region.level != "township" for n in c.names if (n.kind != "short") == c.full)
    return (0 if high else 1) if c.full else (2 if high else 3)


def _is_full(names: list) -> bool:
    return any(n.kind in ("full", "former", "variant") for n in names)


def _township_short(n) -> bool:
    return n.kind == "short" and n.region.level == "township"


@dataclass(frozen=True)
class _Reading:
    """What _candidates needs of one automaton name, worked out once per process."""
    names: list           # its readings (no short ones for names in not_short)
    full: bool            # some reading is a full name (see _Cand)
    priority: int         # see _priority
    codes: frozenset      # the regions it names in full
    town_codes: frozenset  # the townships it is the short name of
    others: "_Reading | None"  # the same without the townships' short names (when it has some)
    sole: Region | None   # the one region it means to infer_region (short names of counties and
                          # townships left out), None when it means several


def _make_reading(name: str, names: list, codes: frozenset) -> _Reading:
    full = _is_full(names)
    town_codes = frozenset(n.region.code for n in names if _township_short(n))
    others = _make_reading(name, [n for n in names if not _township_short(n)], codes) if town_codes else None
    regs = {n.region for n in names if n.kind != "short" or n.region.level in ("province", "prefecture")}
    sole = next(iter(regs)) if len(regs) == 1 else None
    return _Reading(names, full, _priority(_Cand(0, 0, name, names, full)), codes, town_codes, others, sole)


@lru_cache(maxsize=None)
def _reading(name: str) -> _Reading:
    names = gazetteer.get().names(name)
    codes = frozenset(n.region.code for n in names if n.kind != "short")
    if name in _config()["not_short"]:
        names = [n for n in names if n.kind != "short"]
    return _make_reading(name, names, codes)


@lru_cache(maxsize=2)
def _candidates(text: str) -> tuple[_Cand, ...]:
    """The place names in text, overlaps resolved (read-only: cached, because infer_region reads the
    whole document and a document of one article then asks again for the same text)."""
    auto, auto_names = _automaton()
    found: dict[tuple[int, int], str] = {}
    variants = [text]
    simp = simplified_chars(text)
    if simp is not None:
        variants.append(simp)
    for t in variants:
        for i, s, e in auto.find_matches_as_indexes(t, overlapping=True):
            found.setdefault((s, e), auto_names[i])
    # a township's short name (水吉) can only be accepted after its full name or right after a
    # place (建阳区水吉): drop those readings early, they are most of the automaton's hits
    full_codes = set().union(*(_reading(name).codes for name in set(found.values())))
    # where a reading other than a township's short name ends: every automaton name has one
    ends = {e for _, e in found}
    keyed = []
    for (s, e), name in found.items():
        r = _reading(name)
        if r.town_codes and s not in ends:
            if full_codes.isdisjoint(r.town_codes):
                r = r.others
            else:
                names = [n for n in r.names if not _township_short(n) or n.region.code in full_codes]
                r = _make_reading(name, names, r.codes)
        if not r.names:
            continue
        # (no two candidates share a span: the key decides, the candidate is never compared)
        keyed.append((r.priority, -(e - s), s, _Cand(s, e, name, r.names, r.full, r.sole)))
    # full names first, then short names of counties and above (township short names are rarely
    # right: 新福建 is 福建, not 新福镇), then longer, then leftmost; keep those that overlap no kept one
    keyed.sort()
    taken = bytearray(len(text) + 1)
    kept = []
    for _, _, _, c in keyed:
        if any(taken[c.start:c.end]):
            continue
        if _blocked_after(simp or text, c.end):
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return tuple(kept)


# ------------------------------------------------------------------ resolution
@dataclass
class _Context:
    """What the article says about its geography, for choosing among same-named regions."""
    default: Region | None
    mention_paths: set   # paths of regions named unambiguously in full in the article
    mention_provinces: set


def _score(reg: Region, kind: str, prev: Region | None, nxt: list[Region], ctx: _Context) -> float:
    s = 0.0
    if prev is not None and reg.within(prev) and reg is not prev:
        s += 100  # 福州市鼓楼区
    if any(n.within(reg) and n is not reg for n in nxt):
        s += 50   # 晋江永和镇
    province = reg.province
    default = ctx.default
    if default is not None:
        if reg.within(default) or default.within(reg):
            s += 20
        elif province == default.province:
            s += 8
    if reg.path in ctx.mention_paths or any(a in ctx.mention_paths for a in reg.ancestors()):
        s += 10
    elif province in ctx.mention_provinces:
        s += 3
    s += {"full": 3, "variant": 2, "alias": 2, "short": 2, "former": 1}[kind]
    return s - RANK[reg.level] * 0.5


# a line break or spaces inside Chinese text (金\n龙街道, 厦 门): a hard wrap, not a boundary
_WRAP = regex.compile(r"(?<=\p{Han})(?:[ \t\u3000]*\n[ \t\u3000]*|[ \t\u3000]+)(?=\p{Han})")


@lru_cache(maxsize=2)  # infer_region and a document of one article squeeze the same text
def _squeeze(text: str) -> tuple[str, tuple[list[int], list[int]] | None]:
    """text without wraps inside Chinese, and where its chars were in text (None: unchanged): for
    each wrap taken out, where the squeezed text goes on and how many chars were taken out before
    (see _original; a few lists, not one offset per char). (Cached: the lists are read, never changed.)"""
    if not _WRAP.search(text):
        return text, None
    at, shift = [0], [0]
    pos, out = 0, []
    for m in _WRAP.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
        at.append(m.start() - shift[-1])
        shift.append(shift[-1] + m.end() - m.start())
    out.append(text[pos:])
    return "".join(out), (at, shift)


def _original(wraps: tuple[list[int], list[int]], i: int) -> int:
    """The offset in the text _squeeze was given of the char at i in its squeezed text."""
    at, shift = wraps
    return i + shift[bisect_right(at, i) - 1]


def find_places(text: str, default_region: str | None = None) -> list[Place]:
    """Every administrative area named in text, resolved to its /-path (see the module docstring).

    Offsets are into text; a name broken by a line wrap (金\n龙街道) is found whole."""
    squeezed, wraps = _squeeze(text)
    places = _find(squeezed, default_region)
    if wraps is not None:
        for p in places:
            p.start, p.end = _original(wraps, p.start), _original(wraps, p.end - 1) + 1
    return places


def _find(text: str, default_region: str | None) -> list[Place]:
    norm = simplified_chars(text) or text
    cands = _candidates(text)
    default = _region_of_path(default_region)
    # unambiguous full names anchor the article's geography
    mentions = {c.names[0].region for c in cands if len(c.names) == 1 and c.names[0].kind in ("full", "variant")
                and c.names[0].region.level != "township"}
    ctx = _Context(default, {m.path for m in mentions}, {m.province for m in mentions})
    full_seen = {n.region.code for c in cands for n in c.names if n.kind != "short" and len(c.names) == 1}

    places: list[Place] = []
    for i, c in enumerate(cands):
        prev = places[-1] if places and places[-1].end == c.start and places[-1].region else None
        nxt = [n.region for n in cands[i + 1].names] if i + 1 < len(cands) and cands[i + 1].start == c.end else []
        prev_reg = prev.region if prev else None
        best = c.names[0] if len(c.names) == 1 else \
            max(c.names, key=lambda n: _score(n.region, n.kind, prev_reg, nxt, ctx))
        reg, kind = best.region, best.kind
        chained = _chain(reg, prev_reg, nxt)
        if not _accept(norm, c, reg, kind, chained, full_seen, ctx):
            continue
        if kind != "short":
            full_seen.add(reg.code)
        places.append(Place(c.start, c.end, c.name, reg.path, reg.code, reg.level, reg, kind))

    places = _add_township_shorts(norm, places)
    places = _add_suffixed(norm, places)
    places = _add_short_villages(norm, places)
    places.sort(key=lambda p: p.start)
    return places


def _chain(reg: Region, prev: Region | None, nxt: list[Region]) -> int:
    """2: the text names reg's parent right before it or a child right after it (南平市建阳区,
    晋江永和镇); 1: some farther ancestor or descendant (福建建阳); 0: no chain."""
    if (prev is not None and reg.parent == prev.code) or any(n.parent == reg.code for n in nxt):
        return 2
    if (prev is not None and reg.within(prev) and reg is not prev) or any(n.within(reg) and n is not reg for n in nxt):
        return 1
    return 0


def _accept(text: str, c: _Cand, reg: Region, kind: str, chained: int, full_seen: set, ctx: _Context) -> bool:
    """Cheap evidence first, jieba's word boundaries last (they cost the most)."""
    if kind == "short" and not _short_ok(c.name, reg, chained, full_seen, ctx):
        return False
    if chained:
        return True
    if reg.level == "township" and ctx.default is not None and reg.province != ctx.default.province \
            and not any(a in ctx.mention_paths for a in reg.ancestors()[1:]):
        return False  # a lone township of another province (乌镇 in a 浙江 text is not 陕西's 乌镇)
    if kind != "short" and _function_word_glued(c.name, reg.level):
        return False
    bounds = _Boundaries(text, c.start, c.end)
    if c.start not in bounds:
        return False  # 担任城区
    if (kind == "short" or len(c.name) <= 2 or reg.level == "township") and c.end not in bounds \
            and not (kind == "full" and reg.level == "township" and len(c.name) >= 4 and _county_named(reg, ctx)):
        return False  # 漳州, 发展乡(村) must end a word too; 南平市(委) need not; nor 天荒坪镇(余村)
                      # in a text about its county, where jieba may glue the suffix to the next word
    if kind == "short" and c.start > 0 and text[c.start - 1] in _config()["surnames"] and c.start - 1 in bounds:
        return False  # 李|长乐, 陈|福州: a person's name
    return True


def _county_named(reg: Region, ctx: _Context) -> bool:
    """The township's own county is named in full in the article, or is what the document is about."""
    county = reg.ancestors()[-1]
    return county in ctx.mention_paths or (ctx.default is not None and ctx.default.within(county))


FUNCTION_TAGS = ("c", "p", "u", "d", "r", "f")


def _function_word_glued(name: str, level: str) -> bool:
    """和县 (和|县), and townships read out of a one-char word plus a common word: 占城镇 (占|城镇),
    于城镇, 高城乡 (调高|城乡). Counties are left alone (东城区 is 东|城区 too)."""
    tk, tags = _jieba()
    if len(name) == 2:
        return tags.get(name[0], "").startswith(FUNCTION_TAGS)
    return level == "township" and len(name) == 3 and tk.FREQ.get(name[1:], 0) >= 100


def _short_ok(name: str, reg: Region, chained: int, full_seen: set, ctx: _Context) -> bool:
    ordinary = _everyday(name, reg.level)
    if ordinary and reg.level == "prefecture" and ctx.default is not None and reg.province == ctx.default.province:
        ordinary = False  # 中卫, 长治 in a document about 宁夏, 山西 (长治久安 still fails on jieba's cut)
    if reg.level == "township":
        # 水吉 only once 水吉镇 is named, or right after 建阳区; never an everyday word (中心 of 中心镇)
        return not ordinary and (reg.code in full_seen or chained == 2)
    if reg.code in full_seen or chained == 2:
        return True
    if ordinary:
        return False  # 合作, 平和, 光泽: everyday words unless the text ties them to the place
    if chained:
        return True
    if reg.level == "county":
        # a county's short name needs its prefecture named in the article, or the document to be
        # about its province; with neither, only names jieba knows as places
        if reg.parent and any(reg.path.startswith(p + "/") for p in ctx.mention_paths if p.count("/") == 1):
            return True
        if ctx.default is not None:
            return reg.province == ctx.default.province
        _, tags = _jieba()
        return tags.get(name) in _config()["place_tags"]
    return True


def _add_township_shorts(text: str, places: list[Place]) -> list[Place]:
    """水吉 for 水吉镇: once the township is named in full in the text, or right after its county
    (建阳区水吉). Everyday words (中心 of 中心镇) never."""
    gz = gazetteer.get()
    shorts: dict[str, Region] = {}
    for p in places:
        if p.region is not None and p.region.level == "township" and p.region.short_name:
            shorts.setdefault(p.region.short_name, p.region)
    taken = bytearray(len(text) + 1)
    for p in places:
        taken[p.start:p.end] = b"\x01" * (p.end - p.start)
    out = list(places)

    def add(start: int, reg: Region, chained: bool) -> None:
        end = start + len(reg.short_name)
        if any(taken[start:end]) or _ordinary_word(reg.short_name):
            return
        bounds = _Boundaries(text, start, end)
        if (chained or start in bounds) and end in bounds:
            out.append(Place(start, end, reg.short_name, reg.path, reg.code, reg.level, reg, "short"))
            taken[start:end] = b"\x01" * (end - start)

    for p in places:
        if p.region is not None and p.level == "county":
            for child in gz.children(p.region.code):
                if child.short_name and text.startswith(child.short_name, p.end):
                    add(p.end, child, True)
                    break
    if shorts:
        pat = regex.compile("|".join(map(regex.escape, sorted(shorts, key=len, reverse=True))))
        for m in pat.finditer(text):
            add(m.start(), shorts[m.group()], False)
    return out


# ------------------------------------------------------------------ places the gazetteer lacks
def _add_suffixed(text: str, places: list[Place]) -> list[Place]:
    """Townships right after a county (XX县文亨镇) and villages/communities (公馆村, 科明村)."""
    out = list(places)
    taken = bytearray(len(text) + 1)
    for p in places:
        taken[p.start:p.end] = b"\x01" * (p.end - p.start)
    # chained: directly after a county/township/prefecture
    for p in places:
        if p.level in ("county", "prefecture"):
            m = TOWN_SUFFIX.match(text, p.end)
            if m and _plausible_name(text, m.start(), m.start(1) + len(m.group(1)), m.end()) and \
                    not any(taken[m.start():m.end()]):
                out.append(_child(p, m.start(), m.end(), m.group(), "township"))
                taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for p in sorted(out, key=lambda p: p.start):
        if p.level in ("prefecture", "county", "township"):
            m = VILLAGE_SUFFIX.match(text, p.end)
            if m and _plausible_name(text, m.start(), m.start(1) + len(m.group(1)), m.end()) and \
                    not any(taken[m.start():m.end()]):
                out.append(_child(p, m.start(), m.end(), m.group(), "village"))
                taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    # free-standing: a name jieba keeps as one word with its suffix (了解科明村计划, 到石峰岭镇调研),
    # hung under the nearest county (townships) or county/township (villages) named around it
    parent_levels = {"township": ("county",), "village": ("county", "township")}
    # where places of those levels end, sorted: most suffixes (乡村振兴) have none close before them,
    # which this tells without going through every place
    ends = {lv: sorted(p.end for p in out if p.level in levels) for lv, levels in parent_levels.items()}
    for m in FREE_SUFFIX.finditer(text):
        s_end = m.end()
        if any(taken[m.start():s_end]):
            continue
        level = "village" if m.group() in ("村", "社区") else "township"
        # cheap tests first: a county close before, a name-like run of characters (乡村 fails here)
        lv_ends = ends[level]
        i = bisect_right(lv_ends, m.start())
        if not i or lv_ends[i - 1] > m.start() - 2 or m.start() - lv_ends[i - 1] > FREE_WINDOW + 3:
            continue  # the test below on the nearest parent: it ends lv_ends[i - 1] (or after the suffix)
        parent = _nearest_parent(out, m.start(), parent_levels[level])
        if parent is None or parent.end > m.start() - 2 or m.start() - parent.end > FREE_WINDOW + 3:
            continue
        if not any(_name_like(text[m.start() - k:m.start()]) for k in (3, 2)):
            continue
        span = _free_name(text, m.start(), s_end)
        if span is None or any(taken[span:s_end]) or span < parent.end:
            continue
        if span - parent.end <= FREE_WINDOW:
            child = _child(parent, span, s_end, text[span:s_end], level)
            out.append(child)
            taken[span:s_end] = b"\x01" * (s_end - span)
            for lv, levels in parent_levels.items():
                if child.level in levels:
                    insort(ends[lv], child.end)
    return out


VERBAL_TAGS = ("v", "d", "p", "c", "u", "r", "m", "q", "a", "f", "t")
NAME_TAGS = ("ns", "nr", "nz")
UNIT_CHARS = set("省市州县区旗镇乡村街城")
FREE_WINDOW = 40  # a free-standing township/village needs its county named this close before it


def _common_word(w: str) -> bool:
    """A word of jieba's dictionary that is a verb/function word, or a frequent noun (居民, 干部)."""
    tk, tags = _jieba()
    tag = tags.get(w)
    if len(w) < 2 or tag is None or tag.startswith(NAME_TAGS):
        return False
    return tag.startswith(VERBAL_TAGS) or tk.FREQ.get(w, 0) >= 300


def _name_like(name: str) -> bool:
    return len(name) >= 2 and all(HAN.match(ch) and ch not in UNIT_CHARS for ch in name) and name[-1] not in "小古"


def _free_name(text: str, suffix_start: int, end: int) -> int | None:
    """Where the proper name before a free-standing 村/社区/镇/乡/街道 starts, or None.

    The name is 2-3 characters that jieba starts a word at, holding no verb, function word or
    frequent noun (科明村, 石峰岭镇 yes; 贫困村, 该镇, 居民乡镇, 新农村 no), and the suffix ends a word."""
    _, tags = _jieba()
    single_generic = _config()["generic"]
    words = _jieba_words(text, suffix_start - 8, end + 3)
    cuts = {ws for ws, _, _ in words} | {we for _, we, _ in words}
    if end not in cuts:
        return None
    for k in (3, 2):
        start = suffix_start - k
        name = text[start:suffix_start]
        if start < 0 or start not in cuts or not all(HAN.match(ch) for ch in name):
            continue
        if _generic(name) or name[0] in single_generic or text[start:end] in tags:
            continue
        # planning language: 百县千镇, 名镇名村, 和小城镇, 的城镇, 联影小镇, 江南古镇
        if any(ch in UNIT_CHARS for ch in name) or name[-1] in "小古" or \
                tags.get(name[0], "").startswith(VERBAL_TAGS):
            continue
        inside = [w for ws, we, w in words if ws < suffix_start and we > start]
        if any(_common_word(w) for w in inside):
            continue
        if any(ws < start < we for ws, we, _ in words):
            continue
        return start
    return None



def _plausible_name(text: str, start: int, name_end: int, end: int) -> bool:
    """A name before a 镇/乡/村 suffix right after a place: not generic (贫困村), no verb or function
    word inside (发挥侨乡), and jieba does not glue the suffix to the name's last character
    (带乡村振兴 is 带|乡村, not a village 带乡村)."""
    name = text[start:name_end]
    if _generic(name) or _common_word(name):
        return False  # 贫困村, 所有村
    _, tags = _jieba()
    words = _jieba_words(text, start, end)
    for ws, we, w in words:
        if ws < name_end and len(w) >= 2 and tags.get(w, "x").startswith(VERBAL_TAGS):
            return False
    if any(ws == start and we == end and w in tags for ws, we, w in words):
        return False  # a word of jieba's dictionary (中关村, 新农村): a landmark or a common noun
    if any(ws == start and we == start + 1 and tags.get(w, "").startswith(("p", "c", "u")) for ws, we, w in words):
        return False  # 在|玉阳街道, 为|溪龙乡: a preposition or conjunction before the name, not in it
    cuts = {ws for ws, _, _ in words} | {we for _, we, _ in words}
    if end not in cuts:
        return False
    # the suffix glued into a dictionary word with the name's last char: 带|乡村, not 带乡|村; fine
    # when the name is a word of its own (宝山 in 宝|山村)
    if name in tags:
        return True
    return not any(ws < name_end < we and w in tags for ws, we, w in words)


def _nearest_parent(places: list[Place], pos: int, levels=("county", "township")) -> Place | None:
    """The closest place of one of these levels named before pos (else the closest after)."""
    before = [p for p in places if p.end <= pos and p.level in levels]
    if before:
        return max(before, key=lambda p: p.end)
    after = [p for p in places if p.start >= pos and p.level in levels]
    return min(after, key=lambda p: p.start) if after else None


def _child(parent: Place, start: int, end: int, name: str, level: str) -> Place:
    gz = gazetteer.get()
    path = f"{parent.path}/{name}"
    known = gz.by_path(path)
    if known is not None:
        return Place(start, end, name, known.path, known.code, known.level, known, "full")
    return Place(start, end, name, path, None, level, None, "suffix")


def _add_short_villages(text: str, places: list[Place]) -> list[Place]:
    """科明村 again, and 科明 for it, once the village is found in the same text."""
    villages = {}
    for p in places:
        if p.level == "village":
            base = p.text[:-2] if p.text.endswith("社区") else p.text[:-1]
            villages.setdefault(p.text, p)  # a second 科明村 far from its county
            if len(base) >= 2:
                villages.setdefault(base, p)
    if not villages:
        return places
    taken = bytearray(len(text) + 1)
    for p in places:
        taken[p.start:p.end] = b"\x01" * (p.end - p.start)
    out = list(places)
    pat = regex.compile("|".join(map(regex.escape, sorted(villages, key=len, reverse=True))))
    for m in pat.finditer(text):
        if any(taken[m.start():m.end()]):
            continue
        b = _Boundaries(text, m.start(), m.end())
        if m.start() in b and m.end() in b and not _ordinary_word(m.group()):
            v = villages[m.group()]
            kind = "suffix" if m.group() == v.text else "short"
            out.append(Place(m.start(), m.end(), m.group(), v.path, v.code, v.level, v.region, kind))
    return out


# ------------------------------------------------------------------ spaCy component, document region
@Language.component("zh_places")
def zh_places(doc: Doc) -> Doc:
    spans = []
    for p in find_places(doc_text(doc), doc._.default_region):
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            continue
        set_span_extensions(doc, span.start_char, span.end_char, {"path": p.path, "code": p.code, "level": p.level})
        spans.append(span)
    doc.spans["places"] = spans
    return doc


def infer_region(text: str) -> str | None:
    """The /-path of the area a whole document is about, or None.

    The deepest region (down to county) that covers more than half of the places the text names
    (and at least two of them); names in the first lines (title, masthead) count double. Only names
    that mean one region (浦城县, 南平, 福建省) are counted, so this needs no word segmentation.
    """
    head = min(len(text), 200)
    support: dict[str, float] = {}
    total = 0.0
    for c in _candidates(_squeeze(text)[0]):
        reg = c.sole
        if reg is None or (not c.full and _everyday(c.name, reg.level)):
            continue
        w = 2.0 if c.start < head else 1.0
        total += w
        for key in _region_keys(reg.path):
            support[key] = support.get(key, 0.0) + w
    ok = [(k.count("/"), v, k) for k, v in support.items() if v > total / 2 and v >= 2]
    return max(ok)[2] if ok else None


@lru_cache(maxsize=None)
def _region_keys(path: str) -> tuple[str, ...]:
    """The paths infer_region counts a region under: its own and its ancestors', down to county."""
    parts = path.split("/")
    return tuple("/".join(parts[:k]) for k in range(1, min(len(parts), 3) + 1))
