"""The spaCy component zh_places: doc.spans["places"], each place's path, code and level as span
extensions, resolved within the document's region (doc._.default_region)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..text.spans import doc_text, set_span_extensions
from . import gazetteer
from .lexicon import place_tokenizer
from .recognize import find_places

FIELDS = ("path", "code", "level")


@Language.factory("zh_places", assigns=["doc.spans", *(f"span._.{f}" for f in FIELDS)], default_config={})
def make_places(nlp: Language, name: str) -> Places:
    return Places(nlp, name)


class Places:
    """The recognizer's data is loaded with the pipeline, not on its first document: the gazetteer,
    and jieba with the gazetteer's names (process-wide, shared by every pipeline: see lexicon)."""

    def __init__(self, nlp: Language, name: str = "zh_places"):
        self.name = name
        self.gazetteer = gazetteer.get()
        self.tokenizer, self.tags = place_tokenizer()

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for p in find_places(doc_text(doc), doc._.default_region):
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                continue
            set_span_extensions(doc, span.start_char, span.end_char, {"path": p.path, "code": p.code, "level": p.level})
            spans.append(span)
        doc.spans["places"] = spans
        return doc
