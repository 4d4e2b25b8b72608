"""Dates and periods: find every time expression and resolve it against the document's date.

First version: absolute 年/月/日 dates only. See issue 4 for the full scope.
"""
from __future__ import annotations

import regex
from spacy.language import Language
from spacy.tokens import Doc

_ABS = regex.compile(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?")


def _value(m) -> str:
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if mo and d:
        return f"{y}-{int(mo):02d}-{int(d):02d}"
    if mo:
        return f"{y}-{int(mo):02d}"
    return y


@Language.component("zh_dates")
def zh_dates(doc: Doc) -> Doc:
    spans = []
    for m in _ABS.finditer(doc.text):
        sp = doc.char_span(m.start(), m.end(), label="DATE", alignment_mode="expand")
        if sp is None:
            continue
        sp._.value = _value(m)
        sp._.year = int(m.group(1))
        sp._.relative = False
        spans.append(sp)
    doc.spans["dates"] = spans
    return doc


def infer_doc_date(text: str, metadata: dict | None = None) -> tuple[str | None, str | None]:
    """(date, where it came from) for the document; (None, None) when the text does not say."""
    return None, None
