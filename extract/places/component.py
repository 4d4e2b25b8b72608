"""The spaCy component zh_places: doc.spans["places"], each place's path, code and level as span
extensions, resolved within the document's region (doc._.default_region)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..text.spans import doc_text, set_span_extensions
from .recognize import recognizer

FIELDS = ("path", "code", "level")


@Language.factory("zh_places", assigns=["doc.spans", *(f"span._.{f}" for f in FIELDS)], default_config={})
def make_places(nlp: Language, name: str) -> Places:
    return Places(nlp, name)


class Places:
    """The recognizer (the gazetteer, places.toml's rules, jieba with the gazetteer's names) is
    loaded with the pipeline, not on its first document; one per process, shared by its pipelines
    and by infer_region (see recognize.recognizer)."""

    def __init__(self, nlp: Language, name: str = "zh_places"):
        self.name = name
        self.recognizer = recognizer()

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for p in self.recognizer.find_places(doc_text(doc), doc._.default_region):
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                continue
            set_span_extensions(doc, span.start_char, span.end_char, {"path": p.path, "code": p.code, "level": p.level})
            spans.append(span)
        doc.spans["places"] = spans
        return doc
