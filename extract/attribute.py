"""Attribution: for each figure, the region, year and metric it belongs to, and whether it is a
running total. First version: the document's region and the year of a date in the same sentence.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("zh_attribute")
def zh_attribute(doc: Doc) -> Doc:
    for fig in doc.spans.get("figures", []):
        fig._.region = doc._.default_region
        sent = fig.sent
        years = [d._.year for d in doc.spans.get("dates", []) if d.sent == sent and d._.year]
        fig._.year = years[0] if years else None
        fig._.cumulative = "累计" in sent.text
    return doc
