"""Places the gazetteer lacks or names in short: townships and villages found by their suffix
(镇/乡/街道, 村/社区) right after a place or close after their county, and the short forms of
townships and villages once the text has named them in full (水吉 for 水吉镇, 科明 for 科明村).
"""
from __future__ import annotations

from bisect import bisect_right, insort

import regex

from . import gazetteer
from .gazetteer import Region
from .lexicon import VERBAL_TAGS, Lexicon
from .names import Place


TOWN_SUFFIX = regex.compile(r"(\p{Han}{2,3}?)(镇|乡|街道)")
VILLAGE_SUFFIX = regex.compile(r"(\p{Han}{2,3}?)(村|社区)")
FREE_SUFFIX = regex.compile(r"村|社区|镇|乡|街道")
HAN = regex.compile(r"\p{Han}")


def add_township_shorts(text: str, places: list[Place], gz: gazetteer.Gazetteer, lex: Lexicon,
                        county: Region | None = None) -> list[Place]:
    """水吉 for 水吉镇: once the township is named in full in the text, or right after its county
    (建阳区水吉), or anywhere in a document about its county (a county's bulletin writes 鳌江, 垛庄
    for its towns). Everyday words (中心 of 中心镇) never."""
    shorts: dict[str, Region] = {}
    for p in places:
        if p.region is not None and p.region.level == "township" and p.region.short_name:
            shorts.setdefault(p.region.short_name, p.region)
    if county is not None:
        for child in gz.children(county.code):
            if child.level == "township" and child.short_name and len(child.short_name) >= 2:
                shorts.setdefault(child.short_name, child)
    taken = bytearray(len(text) + 1)
    for p in places:
        taken[p.start:p.end] = b"\x01" * (p.end - p.start)
    out = list(places)

    def add(start: int, reg: Region, chained: bool) -> None:
        end = start + len(reg.short_name)
        if any(taken[start:end]) or lex.ordinary_word(reg.short_name):
            return
        bounds = lex.boundaries(text, start, end)
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
def add_suffixed(text: str, places: list[Place], gz: gazetteer.Gazetteer, lex: Lexicon) -> list[Place]:
    """Townships right after a county (XX县文亨镇) and villages/communities (公馆村, 科明村)."""
    out = list(places)
    taken = bytearray(len(text) + 1)
    for p in places:
        taken[p.start:p.end] = b"\x01" * (p.end - p.start)
    # chained: directly after a county/township/prefecture
    for p in places:
        if p.level in ("county", "prefecture"):
            m = TOWN_SUFFIX.match(text, p.end)
            if m and _plausible_name(text, m.start(), m.start(1) + len(m.group(1)), m.end(), lex) and \
                    not any(taken[m.start():m.end()]):
                out.append(_child(p, m.start(), m.end(), m.group(), "township", gz))
                taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for p in sorted(out, key=lambda p: p.start):
        if p.level in ("prefecture", "county", "township"):
            m = VILLAGE_SUFFIX.match(text, p.end)
            if m and _plausible_name(text, m.start(), m.start(1) + len(m.group(1)), m.end(), lex) and \
                    not any(taken[m.start():m.end()]):
                out.append(_child(p, m.start(), m.end(), m.group(), "village", gz))
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
        span = _free_name(text, m.start(), s_end, lex)
        if span is None or any(taken[span:s_end]) or span < parent.end:
            continue
        if span - parent.end <= FREE_WINDOW:
            child = _child(parent, span, s_end, text[span:s_end], level, gz)
            out.append(child)
            taken[span:s_end] = b"\x01" * (s_end - span)
            for lv, levels in parent_levels.items():
                if child.level in levels:
                    insort(ends[lv], child.end)
    return out


UNIT_CHARS = set("省市州县区旗镇乡村街城")
FREE_WINDOW = 40  # a free-standing township/village needs its county named this close before it


def _name_like(name: str) -> bool:
    return len(name) >= 2 and all(HAN.match(ch) and ch not in UNIT_CHARS for ch in name) and name[-1] not in "小古"


def _free_name(text: str, suffix_start: int, end: int, lex: Lexicon) -> int | None:
    """Where the proper name before a free-standing 村/社区/镇/乡/街道 starts, or None.

    The name is 2-3 characters that jieba starts a word at, holding no verb, function word or
    frequent noun (科明村, 石峰岭镇 yes; 贫困村, 该镇, 居民乡镇, 新农村 no), and the suffix ends a word."""
    tags = lex.tags
    single_generic = lex.cfg["generic"]
    words = lex.cut_words(text, suffix_start - 8, end + 3)
    cuts = {ws for ws, _, _ in words} | {we for _, we, _ in words}
    if end not in cuts:
        return None
    for k in (3, 2):
        start = suffix_start - k
        name = text[start:suffix_start]
        if start < 0 or start not in cuts or not all(HAN.match(ch) for ch in name):
            continue
        if lex.generic(name) or name[0] in single_generic or text[start:end] in tags:
            continue
        # planning language: 百县千镇, 名镇名村, 和小城镇, 的城镇, 联影小镇, 江南古镇
        if any(ch in UNIT_CHARS for ch in name) or name[-1] in "小古" or \
                tags.get(name[0], "").startswith(VERBAL_TAGS):
            continue
        inside = [w for ws, we, w in words if ws < suffix_start and we > start]
        if any(lex.common_word(w) for w in inside):
            continue
        if any(ws < start < we for ws, we, _ in words):
            continue
        return start
    return None



def _plausible_name(text: str, start: int, name_end: int, end: int, lex: Lexicon) -> bool:
    """A name before a 镇/乡/村 suffix right after a place: not generic (贫困村), no verb or function
    word inside (发挥侨乡), and jieba does not glue the suffix to the name's last character
    (带乡村振兴 is 带|乡村, not a village 带乡村)."""
    name = text[start:name_end]
    if lex.generic(name) or lex.common_word(name):
        return False  # 贫困村, 所有村
    tags = lex.tags
    words = lex.cut_words(text, start, end)
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


def _child(parent: Place, start: int, end: int, name: str, level: str, gz: gazetteer.Gazetteer) -> Place:
    path = f"{parent.path}/{name}"
    known = gz.by_path(path)
    if known is not None:
        return Place(start, end, name, known.path, known.code, known.level, known, "full")
    return Place(start, end, name, path, None, level, None, "suffix")


def add_short_villages(text: str, places: list[Place], lex: Lexicon) -> list[Place]:
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
        b = lex.boundaries(text, m.start(), m.end())
        if m.start() in b and m.end() in b and not lex.ordinary_word(m.group()):
            v = villages[m.group()]
            kind = "suffix" if m.group() == v.text else "short"
            out.append(Place(m.start(), m.end(), m.group(), v.path, v.code, v.level, v.region, kind))
    return out
