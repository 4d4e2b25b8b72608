"""Recognizing places: each candidate name resolved to one region and accepted or dropped on the
evidence around it; then the places the gazetteer lacks (suffixes.py). And infer_region, the area a
whole document is about.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex
from functools import lru_cache

from ..text import rules
from ..text.hanzi import simplified_chars
from . import gazetteer
from .gazetteer import RANK, Region
from .lexicon import Lexicon, context_rules, place_tokenizer
from .names import Candidate, Names, Place, automaton_names, squeeze, original
from .suffixes import add_short_villages, add_suffixed, add_township_shorts


class Recognizer:
    """Finds places with one gazetteer, one set of rules (places.toml) and jieba's tokenizer."""

    def __init__(self, gz: gazetteer.Gazetteer, cfg: dict, tokenizer, tags: dict, names: list[str] | None = None):
        """names: the automaton's names (names.automaton_names), when the caller has them."""
        self.gz = gz
        self.lex = Lexicon(context_rules(cfg), tokenizer, tags)
        self.names = Names(gz, self.lex, names)

    def find_places(self, text: str, default_region: str | None = None) -> list[Place]:
        """Every administrative area named in text, resolved to its /-path (how: see zhmine.places).

        Offsets are into text; a name broken by a line wrap (金\n龙街道) is found whole."""
        squeezed, wraps = squeeze(text)
        places = self._find(squeezed, default_region)
        if wraps is not None:
            for p in places:
                p.start, p.end = original(wraps, p.start), original(wraps, p.end - 1) + 1
        return places

    def _find(self, text: str, default_region: str | None) -> list[Place]:
        norm = simplified_chars(text) or text
        cands = self.names.candidates(text)
        default = self.gz.by_path(default_region)
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
            if not self._accept(norm, c, reg, kind, chained, full_seen, ctx):
                continue
            if kind != "short":
                full_seen.add(reg.code)
            places.append(Place(c.start, c.end, c.name, reg.path, reg.code, reg.level, reg, kind))

        places = add_township_shorts(norm, places, self.gz, self.lex, _area_county(self.gz, default))
        places = add_suffixed(norm, places, self.gz, self.lex)
        places = add_short_villages(norm, places, self.lex)
        places.sort(key=lambda p: p.start)
        return places

    def _accept(self, text: str, c: Candidate, reg: Region, kind: str, chained: int, full_seen: set, ctx: _Context) -> bool:
        """Cheap evidence first, jieba's word boundaries last (they cost the most)."""
        if kind == "short" and not self._short_ok(c.name, reg, chained, full_seen, ctx, text, c):
            return False
        if chained:
            return True
        if reg.level == "township" and ctx.default is not None and reg.province != ctx.default.province \
                and not any(a in ctx.mention_paths for a in reg.ancestors()[1:]):
            return False  # a lone township of another province (乌镇 in a 浙江 text is not 陕西's 乌镇)
        if kind != "short" and self.lex.function_word_glued(c.name, reg.level):
            return False
        bounds = self.lex.boundaries(text, c.start, c.end)
        if c.start not in bounds:
            return False  # 担任城区
        if (kind == "short" or len(c.name) <= 2 or reg.level == "township") and c.end not in bounds \
                and not (kind == "full" and reg.level == "township" and len(c.name) >= 4 and _county_named(reg, ctx)):
            return False  # 漳州, 发展乡(村) must end a word too; 南平市(委) need not; nor 天荒坪镇(余村)
                          # in a text about its county, where jieba may glue the suffix to the next word
        if kind == "short" and c.start > 0 and text[c.start - 1] in self.lex.cfg["surnames"] and c.start - 1 in bounds:
            return False  # 李|长乐, 陈|福州: a person's name
        return True

    def _short_ok(self, name: str, reg: Region, chained: int, full_seen: set, ctx: _Context, text: str = "",
                  c: Candidate | None = None) -> bool:
        ordinary = self.lex.everyday(name, reg.level)
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
            if ctx.default is not None and reg.province == ctx.default.province:
                return True
            if self.lex.tags.get(name) not in self.lex.cfg["place_tags"]:
                return False
            if ctx.default is None:
                return True
            # another province's county by a name jieba knows as a place, where the text speaks of
            # places (汶川、玉树灾区, 舟曲泥石流灾区 in a 山东 text; not 长寿保健)
            return c is not None and self._speaks_of_places(text, c)
        return True

    def _speaks_of_places(self, text: str, c: Candidate) -> bool:
        """A name listed with others (汶川、玉树) or followed in its clause by a word of places (灾区)."""
        cfg = self.lex.cfg
        if text[c.end:c.end + 1] in cfg["list_marks"] or text[c.start - 1:c.start] in cfg["list_marks"]:
            return True
        tail = regex.split(r"[，,。；;！？!?：:\n]", text[c.end:c.end + 8], maxsplit=1)[0]
        return any(w in tail for w in cfg["place_words"])

    def infer_region(self, text: str) -> str | None:
        """The /-path of the area a whole document is about, or None.

        The deepest region (down to county) that covers more than half of the places the text names
        (and at least two of them); names in the first lines (title, masthead) count double. Only names
        that mean one region (浦城县, 南平, 福建省) are counted, so this needs no word segmentation;
        names inside a medium's name (香港商报网讯) are not. Then the level of the document's issuer
        or scope words in its head (县慈善总会, 全省, 副区长) sets the level: the area goes up to its
        ancestor of that level, or down to the place of that level the text names most inside it.
        Where no region covers most names, the lowest area holding every reading of the townships
        and counties named (南雁镇 and 万全镇 -> 平阳县) decides.
        """
        squeezed = squeeze(text)[0]
        norm = simplified_chars(squeezed) or squeezed
        cfg = self.lex.cfg
        head = min(len(text), 200)
        support: dict[str, float] = {}
        total = 0.0
        cands = [c for c in self.names.candidates(squeezed) if not cfg["medium_re"].match(norm, c.end, c.end + 6)]
        chained: dict[int, object] = {}  # a candidate read through the one before it
        for i, c in enumerate(cands):
            reg = chained.get(i, c.sole)
            if reg is None or (not c.full and self.lex.everyday(c.name, reg.level)):
                continue
            if i + 1 < len(cands) and cands[i + 1].start == c.end:
                inside = {n.region for n in cands[i + 1].names if n.region is not reg and n.region.within(reg)}
                if len(inside) == 1:
                    # 上海市普陀区…局: a chain names one place, its deepest (普陀区 alone means two)
                    chained[i + 1] = inside.pop()
                    continue
            w = 2.0 if c.start < head else 1.0
            total += w
            for key in _region_keys(reg.path):
                support[key] = support.get(key, 0.0) + w
        ok = [(k.count("/"), v, k) for k, v in support.items() if v > total / 2 and v >= 2]
        found = max(ok)[2] if ok else None
        level, weight = self._issuer_level(norm)
        if found is None:
            found = self._common_area(cands, level)
        if found is None or level is None:
            return found
        # up to the issuer's level only on firm evidence (全省 twice, 省医疗保障局); down on any
        return self._at_level(found, level, cands, up=weight >= 2) or found

    def _issuer_level(self, norm: str) -> tuple[str | None, float]:
        """The level char the document's head speaks for most (我县 and 县慈善总会 count 2, 全省 1;
        not after a benchmark word: 高于全省), with its weight; (None, 0) when none."""
        cfg = self.lex.cfg
        counts: dict[str, float] = {}
        first: dict[str, int] = {}
        for m in cfg["issuer_re"].finditer(norm, 0, min(len(norm), cfg["issuer_head"])):
            if cfg["benchmark_re"].search(norm, max(0, m.start() - 4), m.start()):
                continue
            lv = m.group(1) or m.group(2)
            # 全镇 once in a county's summary is one town's story: these count at half weight
            w = 1.0 if norm[m.start()] == "全" else 2.0
            counts[lv] = counts.get(lv, 0) + (w / 2 if m.group(1) and lv in cfg["scope_not_levels"] else w)
            first.setdefault(lv, m.start())
        if not counts:
            return None, 0.0
        lv = max(counts, key=lambda k: (counts[k], -first[k]))
        return (lv, counts[lv]) if counts[lv] >= 1 else (None, 0.0)


    def _at_level(self, path: str, level: str, cands, up: bool = True) -> str | None:
        """path's ancestor (or itself) whose name ends with level; else the place of that level
        inside path the text names most."""
        parts = path.split("/")
        for depth in range(len(parts), 0, -1):
            if _level_of(parts[depth - 1], level):
                return "/".join(parts[:depth]) if up or depth == len(parts) else None
        named: dict[str, int] = {}
        for c in cands:
            for n in c.names:
                reg = n.region
                if reg.path.startswith(path + "/") and _level_of(reg.path.rsplit("/", 1)[-1], level):
                    named[reg.path] = named.get(reg.path, 0) + (2 if c.start < 200 else 1)  # the head counts double
        if not named:
            return None
        best = max(named.values())
        tops = [p for p, v in named.items() if v == best]
        return tops[0] if len(tops) == 1 else None

    def _common_area(self, cands, level: str | None) -> str | None:
        """The deepest area (down to county) holding some reading of most townships named (of most
        counties and townships when the document speaks for a prefecture or more): 南雁镇 and 万全镇
        -> 平阳县. With an issuer's level a county's short name counts too (红河 with 县残联 -> 红河县)."""
        keyed = []
        for levels in (("township",), ("county", "township")) if level in ("县", "区") else (("county", "township"),):
            for c in cands:
                regs = {n.region for n in c.names if n.region.level in levels
                        and (n.kind != "short" or (level and _level_of(n.region.path.rsplit("/", 1)[-1], level)
                                                   and not self.lex.everyday(c.name, n.region.level)))}
                if regs and (c.full or level):
                    keyed.append({k for r in regs for k in _region_keys(r.path)})
            if keyed:
                break
        if not keyed:
            return None
        support: dict[str, int] = {}
        for keys in keyed:
            for k in keys:
                support[k] = support.get(k, 0) + 1
        ok = [k for k, v in support.items() if v > len(keyed) / 2 and (v >= 2 or (level and len(keyed) == 1))
              and k.count("/") >= 1]
        if not ok:
            return None
        deepest = max(ok, key=lambda k: (k.count("/"), support[k]))
        # one answer: no other key as deep with the same support
        if sum(1 for k in ok if k.count("/") == deepest.count("/") and support[k] == support[deepest]) > 1:
            return None
        return deepest


def _level_of(name: str, level: str) -> bool:
    """A region name of that level char (自治区 is a 省, 自治州 a 州/市, 新区 a 区)."""
    if name.endswith(level):
        return True
    return (level == "省" and name.endswith("自治区")) or (level == "市" and name.endswith(("州", "地区", "盟"))) \
        or (level == "州" and name.endswith("市"))


@lru_cache(maxsize=1)
def recognizer() -> Recognizer:
    """The recognizer of the gazetteer and patterns/places.toml, built once per process and shared
    by its pipelines (jieba's tokenizer it uses is one per process anyway)."""
    from .. import cache

    tk, tags = place_tokenizer()
    gz, cfg = gazetteer.get(), rules.load("places")
    skip = context_rules(cfg)["skip"]
    names = cache.load("places-names", lambda: automaton_names(gz, skip), key=cache.version_key())
    return Recognizer(gz, cfg, tk, tags, names)


def find_places(text: str, default_region: str | None = None) -> list[Place]:
    """Every administrative area named in text, resolved to its /-path (see Recognizer.find_places)."""
    return recognizer().find_places(text, default_region)


def infer_region(text: str) -> str | None:
    """The /-path of the area a whole document is about, or None (see Recognizer.infer_region)."""
    return recognizer().infer_region(text)


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
            s += 25 if reg is default else 20  # 红河 in a document about 红河县: the county, not its prefecture
        elif province == default.province:
            s += 8
    if reg.path in ctx.mention_paths or any(a in ctx.mention_paths for a in reg.ancestors()):
        s += 10
    elif province in ctx.mention_provinces:
        s += 3
    s += {"full": 3, "variant": 2, "alias": 2, "short": 2, "former": 1}[kind]
    return s - RANK[reg.level] * 0.5


def _chain(reg: Region, prev: Region | None, nxt: list[Region]) -> int:
    """2: the text names reg's parent right before it or a child right after it (南平市建阳区,
    晋江永和镇); 1: some farther ancestor or descendant (福建建阳); 0: no chain."""
    if (prev is not None and reg.parent == prev.code) or any(n.parent == reg.code for n in nxt):
        return 2
    if (prev is not None and reg.within(prev) and reg is not prev) or any(n.within(reg) and n is not reg for n in nxt):
        return 1
    return 0


def _county_named(reg: Region, ctx: _Context) -> bool:
    """The township's own county is named in full in the article, or is what the document is about."""
    county = reg.ancestors()[-1]
    return county in ctx.mention_paths or (ctx.default is not None and ctx.default.within(county))


def _area_county(gz, default: Region | None) -> Region | None:
    """The county the document is about (its region, or the county of its township), or None."""
    if default is None:
        return None
    if default.level == "county":
        return default
    return gz.county_of(default) if default.level == "township" else None


@lru_cache(maxsize=None)
def _region_keys(path: str) -> tuple[str, ...]:
    """The paths infer_region counts a region under: its own and its ancestors', down to county."""
    parts = path.split("/")
    return tuple("/".join(parts[:k]) for k in range(1, min(len(parts), 3) + 1))
