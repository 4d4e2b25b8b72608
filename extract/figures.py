"""Figures: every quantity in the text, with its value in base units, unit, kind and qualifiers.

First version: Arabic numbers with a 万/亿 magnitude and a unit from patterns/units.toml.
"""
from __future__ import annotations

from functools import lru_cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from . import rules


@lru_cache(maxsize=1)
def _compiled():
    units = rules.load("units")
    table = {}
    for kind, words in units["kinds"].items():
        for w in words:
            table[w] = kind
    alt = "|".join(sorted(map(regex.escape, table), key=len, reverse=True))
    pat = regex.compile(rf"(\d+(?:\.\d+)?)\s*([万亿]?)\s*({alt})")
    return pat, table


@Language.component("zh_figures")
def zh_figures(doc: Doc) -> Doc:
    pat, table = _compiled()
    spans = []
    for m in pat.finditer(doc.text):
        sp = doc.char_span(m.start(), m.end(), label="FIGURE", alignment_mode="expand")
        if sp is None:
            continue
        value = float(m.group(1)) * {"": 1, "万": 1e4, "亿": 1e8}[m.group(2)]
        sp._.value = int(value) if value.is_integer() else value
        sp._.unit = m.group(3)
        sp._.kind = table[m.group(3)]
        spans.append(sp)
    doc.spans["figures"] = spans
    return doc
