"""Figures: every quantity in the text, with its value in base units, unit, kind and qualifiers.

How it works: one compiled regex over doc.text finds a number (Arabic, Chinese or mixed, see
text/numerals.py) with its magnitude, range end, unit and the approximation/rate words written
around it. Each hit is then checked against what is never a figure (dates, ordinals, phone numbers,
names in 《》 and short quotes, slogans: patterns/figures.toml) and qualified from the words before
it in its clause (约, 超过, 最高, 每户, 一天...). All word lists are data in patterns/units.toml and
figures.toml.

    rules.py   the two files compiled into one Rules object (compiled())
    find.py    find_figures: the pattern's hits, checked and qualified
    here       the spaCy component zh_figures (make_figures)
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..text.spans import doc_text, set_span_extensions
from .find import find_figures
from .rules import G, Rules, compiled

__all__ = ["Figures", "G", "Rules", "compiled", "find_figures", "make_figures"]

FIELDS = ("value", "value_max", "unit", "kind", "approx", "per", "optional")


@Language.factory("zh_figures", assigns=["doc.spans", *(f"span._.{f}" for f in FIELDS)],
                  default_config={"cleaned": True})
def make_figures(nlp: Language, name: str, cleaned: bool) -> Figures:
    """cleaned: the docs' text comes from clean.py (the pipeline's does, see pipeline.extract_source)."""
    return Figures(nlp, name, cleaned=cleaned)


class Figures:
    """doc.spans["figures"], with each figure's fields as span extensions."""

    def __init__(self, nlp: Language, name: str = "zh_figures", cleaned: bool = True):
        self.name = name
        self.cleaned = cleaned
        self.rules = compiled()

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        last_end = -1
        dates = [(sp.start_char, sp.end_char) for sp in doc.spans["dates"]] if "dates" in doc.spans else []
        for f in find_figures(doc_text(doc), dates, cleaned=self.cleaned, rules=self.rules):
            sp = doc.char_span(f["start"], f["end"], label="FIGURE", alignment_mode="expand")
            if sp is None or sp.start_char < last_end:
                continue  # one figure per stretch of text
            last_end = sp.end_char
            set_span_extensions(doc, sp.start_char, last_end, {name: f[name] for name in FIELDS})
            spans.append(sp)
        doc.spans["figures"] = spans
        return doc
