"""The gazetteer's names in a text: an Aho-Corasick scan over every name (and over the text's
simplified form), each hit's readings, and the overlaps resolved; the text squeezed of the wraps
inside Chinese first, with the offsets mapped back.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..text.hanzi import simplified_chars
from . import gazetteer
from .gazetteer import Region
from .lexicon import Lexicon


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


def automaton_names(gz: gazetteer.Gazetteer, skip: set) -> list[str]:
    """The names the automaton looks for: every name but the short names of townships (most hits
    would be theirs: 中心, 发展, 健康 ...); those are looked for per document, see add_township_shorts."""
    return [name for name in gz.all_names()
            if len(name) >= 2 and name not in skip
            and any(n.kind != "short" or n.region.level != "township" for n in gz.names(name))]


def _automaton(names: list[str]):
    """ahocorasick-rs (Rust): the root of a Chinese name trie has thousands of children, which its scan
    handles far better than pyahocorasick's."""
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(names)


# ------------------------------------------------------------------ candidates
@dataclass
class Candidate:
    start: int
    end: int
    name: str
    names: list  # gazetteer.Name
    full: bool   # some reading is a full (or former) name
    sole: Region | None = None  # see _Reading


def _priority(c: Candidate) -> int:
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
    """What candidates needs of one automaton name, worked out once (Names.reading)."""
    names: list           # its readings (no short ones for names in not_short)
    full: bool            # some reading is a full name (see Candidate)
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
    return _Reading(names, full, _priority(Candidate(0, 0, name, names, full)), codes, town_codes, others, sole)


class Names:
    """The gazetteer's names in a text (candidates), with what each name can mean (reading)."""

    def __init__(self, gz: gazetteer.Gazetteer, lex: Lexicon, names: list[str] | None = None):
        """names: automaton_names(gz, lex.cfg["skip"]) when the caller has them (from zhmine's cache)."""
        self.gz, self.lex = gz, lex
        self.automaton_names = automaton_names(gz, lex.cfg["skip"]) if names is None else names
        self.automaton = _automaton(self.automaton_names)
        self._readings: dict[str, _Reading] = {}
        # read-only results, cached: infer_region reads the whole document, and a document of one
        # article then asks again for the same text
        self.candidates = lru_cache(maxsize=2)(self._candidates)

    def reading(self, name: str) -> _Reading:
        r = self._readings.get(name)
        if r is None:
            names = self.gz.names(name)
            codes = frozenset(n.region.code for n in names if n.kind != "short")
            if name in self.lex.cfg["not_short"]:
                names = [n for n in names if n.kind != "short"]
            r = self._readings[name] = _make_reading(name, names, codes)
        return r

    def _candidates(self, text: str) -> tuple[Candidate, ...]:
        """The place names in text, overlaps resolved (see self.candidates)."""
        auto, auto_names = self.automaton, self.automaton_names
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
        full_codes = set().union(*(self.reading(name).codes for name in set(found.values())))
        # where a reading other than a township's short name ends: every automaton name has one
        ends = {e for _, e in found}
        keyed = []
        for (s, e), name in found.items():
            r = self.reading(name)
            if r.town_codes and s not in ends:
                if full_codes.isdisjoint(r.town_codes):
                    r = r.others
                else:
                    names = [n for n in r.names if not _township_short(n) or n.region.code in full_codes]
                    r = _make_reading(name, names, r.codes)
            if not r.names:
                continue
            # (no two candidates share a span: the key decides, the candidate is never compared)
            keyed.append((r.priority, -(e - s), s, Candidate(s, e, name, r.names, r.full, r.sole)))
        # full names first, then short names of counties and above (township short names are rarely
        # right: 新福建 is 福建, not 新福镇), then longer, then leftmost; keep those that overlap no kept one
        keyed.sort()
        taken = bytearray(len(text) + 1)
        kept = []
        for _, _, _, c in keyed:
            if any(taken[c.start:c.end]):
                continue
            if self.lex.blocked_after(simp or text, c.end, c.name):
                continue
            taken[c.start:c.end] = b"\x01" * (c.end - c.start)
            kept.append(c)
        kept.sort(key=lambda c: c.start)
        return tuple(kept)


# a line break or spaces inside Chinese text (金\n龙街道, 厦 门): a hard wrap, not a boundary
_WRAP = regex.compile(r"(?<=\p{Han})(?:[ \t\u3000]*\n[ \t\u3000]*|[ \t\u3000]+)(?=\p{Han})")


@lru_cache(maxsize=2)  # infer_region and a document of one article squeeze the same text
def squeeze(text: str) -> tuple[str, tuple[list[int], list[int]] | None]:
    """text without wraps inside Chinese, and where its chars were in text (None: unchanged): for
    each wrap taken out, where the squeezed text goes on and how many chars were taken out before
    (see original; a few lists, not one offset per char). (Cached: the lists are read, never changed.)"""
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


def original(wraps: tuple[list[int], list[int]], i: int) -> int:
    """The offset in the text squeeze was given of the char at i in its squeezed text."""
    at, shift = wraps
    return i + shift[bisect_right(at, i) - 1]
