"""The extension attributes zhmine's components write on spans and docs, and the cheap ways to
read and write them (a leaf: every component imports it, it imports none of them)."""
from __future__ import annotations

from spacy.tokens import Doc, Span


SPAN_EXTENSIONS = (
    # figures
    "value", "value_max", "unit", "kind", "approx", "per", "optional",
    # attribution
    "region", "region_code", "year", "metric", "category", "cumulative", "region_source",
    # meaning (extract/meaning.py, set by attribution)
    "direction", "status", "period", "measure", "indicator",
    # dates
    "relative",
    # places
    "path", "code", "level",
)
FIGURE_FIELDS = ("value", "value_max", "unit", "kind", "approx", "per", "optional", "region", "region_code",
                 "year", "metric", "category", "cumulative", "region_source",
                 # meaning
                 "direction", "status", "period", "measure", "indicator")  # a figure record's values, in its order
PLACE_FIELDS = ("path", "code", "level")
DOC_EXTENSIONS = ("doc_date", "default_region", "title", "byline", "source_line", "doc_name",
                  "region_source")  # region_source: "metadata" when the user gave default_region


def register_extensions() -> None:
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


def set_span_extensions(doc: Doc, start: int, end: int, values: dict) -> None:
    """Set extension attributes of the span at characters [start, end) of doc. spaCy keeps them in
    doc.user_data under ("._.", name, start_char, end_char) (spacy.tokens.underscore); writing there
    directly skips building a proxy and its checks per attribute, which cost more than the
    component's own work. Only for the plain `default=None` extensions of
    register_extensions (no getters or setters); sp._.name reads them back as usual."""
    ud = doc.user_data
    for name, value in values.items():
        ud["._.", name, start, end] = value


def span_extension(doc: Doc, start: int, end: int, name: str):
    """sp._.name of the span at characters [start, end), read as set_span_extensions writes it."""
    return doc.user_data.get(("._.", name, start, end))


def span_extensions(doc: Doc, start: int, end: int, names) -> list:
    """[span_extension(doc, start, end, name) for name in names], without a call per name (a
    figure's record reads fifteen)."""
    get = doc.user_data.get
    return [get(("._.", name, start, end)) for name in names]


_TEXT_KEY = "zhmine.text"


def doc_text(doc: Doc) -> str:
    """doc.text, read once: spaCy rebuilds Doc.text from every token on each access, which cost more
    than all of zhmine's components together. Components read the text through this. (A Doc's text
    never changes, retokenizing included, so the cache cannot go stale.)"""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text
