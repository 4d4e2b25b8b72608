"""What a table's caption and header cells say about its cells: the unit (`单位：万元`, `（千元）`, `%`),
the year of a column (`2024年`, `2022E`, `113年度`, `本年度` against the table's year), whether a column
holds codes or changes. The rules are data in patterns/tables.toml, matched on simplified characters."""
from __future__ import annotations

import regex as re
from dataclasses import dataclass
from functools import lru_cache

from ..text import rules
from ..text.hanzi import simplified
from ..text.regextools import alt


@dataclass(frozen=True)
class Unit:
    unit: str           # canonical: 元, %, or a measure word
    kind: str           # money | percent | count
    scale: int = 1      # multiplier to the base unit (万元 -> 10000)


_SPACE = re.compile(r"\s+")
# compiled once: regex.sub with a pattern string looks the pattern up in its cache on every call, which
# costs more than the substitution on a short cell
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff（）()、，])\s+(?=[\u3400-\u9fff（）()])")
_PERCENT_END = re.compile(r"[%％]$")


def squash(text: str) -> str:
    return _SPACE.sub("", text or "")


class TableRules:
    """patterns/tables.toml compiled once (held by whoever reads tables; pure data, no document state)."""

    def __init__(self):
        t = rules.load("tables")
        u = t["unit"]
        self.money: dict[str, int] = {k: int(v) for k, v in u["money"].items()}
        self.percent: list[str] = [w for ws in u["percent"].values() for w in ws]
        units = rules.load("units")
        count = units["count"]
        self.count: dict[str, str] = {w: w for w in count["words"]}
        for canon, spellings in count.items():
            if canon != "words":
                for s in spellings:
                    self.count[s] = canon
        # measures of other kinds (`(倍)`, `（吨）`, `（天）`) by their spellings in units.toml
        self.other: dict[str, Unit] = {s: Unit(canon, kind) for kind in ("weight", "duration", "age", "other")
                                       for canon, spellings in units[kind].items() for s in spellings}
        currency = alt(u["currency_prefix"])
        label = alt(u["label"])
        self.labelled = re.compile(rf"(?:{label})\s*[：:]\s*(?:{currency})?\s*([^\s，,。；;）)]{{1,5}})")
        self.money_words = list(u["money_words"])
        self.count_suffix = tuple(u["count_suffix"])
        self.bracket = re.compile(r"[（(]\s*(?:" + currency + r")?\s*([^（）()]{1,4}?)\s*[)）]") if u["bracketed"] else None
        c = t["columns"]
        self.code_exact = set(c["code_exact"])
        self.code_contains = list(c["code_contains"])
        self.change = list(c["change"])
        cells = t["cells"]
        self.empty = set(cells["empty"])
        self.code_cell = [re.compile(p) for p in cells["code_patterns"]]
        self.label_prefix = re.compile(cells["label_prefix"])
        self.prose_marks = list(cells["prose_marks"])
        self.prose_share = float(cells["prose_share"])
        self.label_wrap = [tuple(p) for p in cells["label_wrap"]]
        y = t["years"]
        self.target_suffix = tuple(y["target_suffix"])
        self.target_words = list(y["target_words"])
        self.roc_offset = int(y["roc_offset"])
        roc = alt(y["roc_marks"])
        self.relative: dict[str, int] = {k: int(v) for k, v in y["relative"].items()}
        self.year = re.compile(
            rf"(?:(?:{roc})\s*(?P<roc>\d{{2,3}})\s*年)|(?<!\d)(?P<roc2>\d{{2,3}})\s*年度"
            rf"|(?<![\d.])(?P<year>(?:19|20)\d{{2}})(?![\d.,%])(?P<suffix>[A-Za-z])?")
        self.rel = re.compile(alt(sorted(self.relative, key=len, reverse=True)))

    # -- units -------------------------------------------------------------------------------------
    def unit_of(self, text: str) -> Unit | None:
        """The unit a caption or header cell names: `单位：万元`, `（千元）`, `(%)`, `（人）`."""
        s = simplified(text or "")
        m = self.labelled.search(s)
        if m:  # `单位：人`, `单位：万元/吨`: the longest head of the word that is a unit
            word = m.group(1)
            unit = next((u for k in range(len(word), 0, -1) if (u := self._unit(word[:k]))), None)
            if unit:
                return unit
        if self.bracket:
            for m in self.bracket.finditer(s):
                unit = self._unit(m.group(1).strip())
                if unit:
                    return unit
        return None

    def _unit(self, word: str) -> Unit | None:
        word = simplified(word)
        if word in self.money:
            return Unit("元", "money", self.money[word])
        if word in self.percent:
            return Unit("%", "percent")
        if word in self.count:
            return Unit(self.count[word], "count")
        return self.other.get(word)

    def header_unit(self, header: str) -> Unit | None:
        """A column's own unit: bracketed in its header, or a bare `%` (`占比%`)."""
        u = self.unit_of(header)
        if u:
            return u
        return Unit("%", "percent") if _PERCENT_END.search(squash(header)) else None

    def implied_unit(self, texts: list[str]) -> Unit | None:
        """The unit of a table that names none: a measure word before 数 in a header (`件数`), or money
        where the caption or headers speak of a budget."""
        for text in texts:
            s = squash(simplified(text))
            for suffix in sorted(self.count_suffix, key=len, reverse=True):
                if s.endswith(suffix):
                    stem = s[: -len(suffix)]
                    word = next((w for w in sorted(self.count, key=len, reverse=True) if stem.endswith(w)), None)
                    if word:
                        return Unit(self.count[word], "count")
        joined = simplified(" ".join(texts))
        return Unit("元", "money") if any(w in joined for w in self.money_words) else None

    def is_prose(self, cell: str) -> bool:
        return len(cell) > 20 and any(m in cell for m in self.prose_marks)

    # -- columns -----------------------------------------------------------------------------------
    def is_code_header(self, cells: list[str]) -> bool:
        """A column headed `类`/`款`/`项`, `科目编码`, `序号`: codes and serials, not figures."""
        last = squash(simplified(cells[-1])) if cells else ""
        if last in self.code_exact:
            return True
        return any(w in squash(simplified(c)) for c in cells for w in self.code_contains)

    def is_change(self, header: str) -> bool:
        s = squash(simplified(header))
        return any(w in s for w in self.change)

    def is_empty(self, cell: str) -> bool:
        s = squash(cell)
        return not s or s in self.empty

    def is_code_cell(self, cell: str) -> bool:
        return any(p.match(cell.strip()) for p in self.code_cell)

    def clean_label(self, label: str) -> str:
        s = squash_cjk(label)
        for a, b in self.label_wrap:
            if s.startswith(a) and s.endswith(b):
                s = s[len(a):-len(b)]
        return self.label_prefix.sub("", s).strip()

    # -- years -------------------------------------------------------------------------------------
    def year_of(self, text: str, base: int | None) -> tuple[int | None, bool]:
        """(year, is_target) a header or caption gives: the first year or relative year word in it."""
        s = simplified(text or "")
        m = self.year.search(s)
        r = self.rel.search(s) if base is not None else None
        if r and (not m or r.start() < m.start()):
            year = base + self.relative[r.group(0)]
            return year, self._target(s)
        if not m:
            return None, False
        if m.group("year"):
            target = bool(m.group("suffix")) and m.group("suffix") in self.target_suffix
            return int(m.group("year")), target or self._target(s)
        roc = m.group("roc") or m.group("roc2")
        return int(roc) + self.roc_offset, self._target(s)

    def _target(self, s: str) -> bool:
        return any(w in s for w in self.target_words)


def squash_cjk(text: str) -> str:
    """Drop the spaces a table sets between the characters of a label (`合    計` -> `合計`)."""
    return _SPACE.sub(" ", _CJK_GAP.sub("", (text or "").strip()))


@lru_cache(maxsize=1)
def table_rules() -> TableRules:
    return TableRules()
