"""Places: recognize Chinese administrative areas and resolve each to its full path.

First version: no gazetteer yet (see issue 5).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("zh_places")
def zh_places(doc: Doc) -> Doc:
    doc.spans["places"] = []
    return doc


def infer_region(text: str) -> str | None:
    """The /-path of the area a whole document is about, or None."""
    return None
