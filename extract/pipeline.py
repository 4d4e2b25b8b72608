"""The spaCy backbone: a blank Chinese Language with zhmine's components, and the driver that takes
one file through every stage (ingest -> clean -> segment -> tokenize and nlp per article -> records).

Components (registered factories, found by spaCy through the package's spacy_factories entry
points; each lives with its stage):
    zh_sentences  (zhmine.segment)      sentence starts, doc.spans["paragraphs"]
    zh_dates      (zhmine.dates)        doc.spans["dates"]    span._.value, ._.relative, ._.year
    zh_places     (zhmine.places)       doc.spans["places"]   span._.path, ._.code, ._.level
    zh_figures    (zhmine.figures)      doc.spans["figures"]  span._.value, ._.value_max, ._.unit, ._.kind,
                                                              ._.approx, ._.per, ._.optional
    zh_attribute  (zhmine.attribution)  on each figure: ._.region, ._.region_code, ._.year, ._.metric,
                                                        ._.category, ._.cumulative
Document context travels on the Doc (make_doc sets it): doc._.doc_date ("YYYY-MM-DD" or None),
doc._.default_region (a /-path the whole document is about), doc._.title / doc._.byline /
doc._.source_line (the article's), doc._.doc_name.

A pipeline saved with nlp.to_disk(path) loads with spacy.load(path) in any process where zhmine is
installed: the entry points name the factories and the tokenizer, nothing needs importing first.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .records import EXTRACTOR_VERSION, DocumentResult  # noqa: F401 (part of this module's API)
from .text.spans import (  # noqa: F401 (part of this module's API)
    DOC_EXTENSIONS, FIGURE_FIELDS, PLACE_FIELDS, SPAN_EXTENSIONS, doc_text, register_extensions,
    set_span_extensions, span_extension, span_extensions)
from .tokenizer import CharTokenizer, char_tokens, make_char_tokenizer  # noqa: F401 (formerly defined here)


COMPONENTS = ("zh_sentences", "zh_dates", "zh_places", "zh_figures", "zh_attribute")


def load(components: tuple[str, ...] = COMPONENTS) -> Language:
    """A blank Chinese pipeline with zhmine's components: nlp = zhmine.load(); nlp(text)."""
    # The factories are found through the package's spacy_factories entry points (pyproject.toml):
    # spaCy imports the stage modules when it makes a Language, here as in spacy.load of a saved
    # pipeline.
    from .compiled import from_disk

    # the stages' modules and rules compile their patterns here: the programs come from zhmine's cache
    with from_disk():
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zhmine.CharTokenizer.v1"}}})
        # spaCy's 1M-character guard is for parsers' memory; ours is linear in the text, and an archive's
        # single-article yearbook may be longer (size limits are the batch's --max-mb).
        nlp.max_length = 100_000_000
        for name in components:
            nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """One pipeline per process (building it loads the gazetteer and rules)."""
    return load()


def make_doc(text: str, doc_date: str | None = None, region: str | None = None, title: str | None = None,
             byline: str | None = None, source_line: str | None = None, doc_name: str | None = None,
             nlp: Language | None = None) -> Doc:
    """The Doc of one article with the context the components read: doc_date ("YYYY-MM-DD", what
    今年 and 3月8日 resolve against), region (the /-path the document is about, for 全市 and figures
    that name no place), title, byline, source_line and doc_name. nlp(doc) then runs the components.
    nlp: the pipeline whose tokenizer and vocabulary the Doc takes (default: shared_nlp()).

        doc = nlp(zhmine.make_doc("今年共投入资金185万元。", doc_date="2023-05-01", region="福建省/南平市", nlp=nlp))
    """
    doc = (nlp or shared_nlp()).make_doc(text)
    doc._.doc_date = doc_date
    doc._.default_region = region
    doc._.title = title
    doc._.byline = byline
    doc._.source_line = source_line
    doc._.doc_name = doc_name
    return doc


# ------------------------------------------------------------------ the driver
def extract_file(path, doc_date: str | None = None, nlp: Language | None = None, meta: dict | None = None) -> DocumentResult:
    from .ingest import read

    return extract_source(read(path), doc_date=doc_date, nlp=nlp, meta=meta)


def extract_source(source, doc_date: str | None = None, nlp: Language | None = None,
                   meta: dict | None = None) -> DocumentResult:
    """meta: what the user knows of the document (zhmine.meta: doc_date, region as a /-path, title,
    source, issuer); it wins over what is inferred from the text."""
    from .dates import infer_doc_date
    from . import places as places_mod
    from .clean import clean
    from .segment import articles as split_articles
    from .segment import sentences as split_sentences

    nlp = nlp or shared_nlp()
    ct = clean(source.text)
    text = ct.text

    meta = meta or {}
    doc_date = meta.get("doc_date") or doc_date
    if doc_date:
        doc_date_source = "given"
    else:
        doc_date, doc_date_source = infer_doc_date(text, source.metadata)
    if meta.get("region"):
        default_region, region_source = meta["region"], "metadata"
    else:
        # the issuer or title the user gave names the area too (县慈善总会, 平阳县…工作总结)
        lead = "\n".join(meta[k] for k in ("issuer", "title", "source") if meta.get(k))
        default_region = places_mod.infer_region(f"{lead}\n{text}" if lead else text)
        region_source = "inferred" if default_region else None

    def page_of(start: int) -> int | None:
        return source.page_at(ct.offsets[start])

    result = DocumentResult(
        path=str(source.path), name=source.name, sha256=source.sha256, encoding=source.encoding,
        kind=source.kind, pages=len(source.pages), text=text, doc_date=doc_date,
        doc_date_source=doc_date_source, default_region=default_region, region_source=region_source,
        title=meta.get("title"), source=meta.get("source"), issuer=meta.get("issuer"),
        metadata=source.metadata, warnings=list(source.warnings),
    )
    sent_no = 0
    for art in split_articles(text):
        art_text = text[art.start:art.end]
        doc = make_doc(art_text, doc_date=doc_date, region=default_region, title=art.title, byline=art.byline,
                       source_line=art.source_line, doc_name=source.name, nlp=nlp)
        doc._.region_source = region_source
        # split as zh_sentences, dates and attribution split the doc's text: segment keeps the
        # answer, so the four share one split
        art_sentences = [(s + art.start, e + art.start) for s, e in split_sentences(art_text)]
        doc = nlp(doc)
        off = art.start
        region = getattr(doc._, "article_region", None) if Doc.has_extension("article_region") else None
        result.articles.append({"n": art.index, "start": art.start, "end": art.end, "title": art.title,
                                "region": region, "page": page_of(art.start)})
        # sentences: index by cleaned offset so each record can point at its sentence (bisect: big
        # documents have tens of thousands of sentences)
        sent_starts, sent_ends, sent_nos = [], [], []
        for s, e in art_sentences:
            result.sentences.append({"n": sent_no, "article": art.index, "start": s, "end": e,
                                     "text": text[s:e], "page": page_of(s)})
            sent_starts.append(s)
            sent_ends.append(e)
            sent_nos.append(sent_no)
            sent_no += 1

        def sentence_of(start: int):
            i = bisect_right(sent_starts, start) - 1
            return sent_nos[i] if i >= 0 and start < sent_ends[i] else None

        def located(span) -> dict:
            """Where a span stands: article, sentence, cleaned offsets, original surface, page."""
            s, e = off + span.start_char, off + span.end_char
            src_s, src_e = ct.to_source(s, e)
            return {"article": art.index, "sentence": sentence_of(s), "start": s, "end": e,
                    "surface": source.text[src_s:src_e], "page": source.page_at(src_s)}

        def values(span, names) -> list:
            """span._.name for each name, without an Underscore proxy per read (span_extensions)."""
            return span_extensions(doc, span.start_char, span.end_char, names)

        for span in doc.spans.get("figures", []):
            rec = located(span)
            sn = rec["sentence"]
            fig = dict(zip(FIGURE_FIELDS, values(span, FIGURE_FIELDS)))
            fig["optional"], fig["cumulative"] = bool(fig["optional"]), bool(fig["cumulative"])
            result.figures.append({**rec, **fig,
                                   "sentence_text": result.sentences[sn]["text"] if sn is not None else None})
        for span in doc.spans.get("dates", []):
            value, relative = values(span, ("value", "relative"))
            result.dates.append({**located(span), "value": value, "relative": bool(relative)})
        for span in doc.spans.get("places", []):
            result.places.append({**located(span), **dict(zip(PLACE_FIELDS, values(span, PLACE_FIELDS)))})
    add_table_figures(result, getattr(source, "tables", None) or [], source.pages)
    return result


# ------------------------------------------------------------------ table cells (issue 15)
TABLE_KEYS = ("table", "row", "column")  # where a table figure came from, with its page


def add_table_figures(result: DocumentResult, tables: list[dict], pages: list = ()) -> None:
    """The figures of the document's table cells (ingest read them, zhmine.tables) join the prose
    figures: region the document's, year the document's where no column or caption gives one.
    A cell whose table never states a unit (a count of requests under a bare header) is left out:
    a number without a unit measures nothing a reader can compare; the document says how many."""
    year = int(result.doc_date[:4]) if result.doc_date and result.doc_date[:4].isdigit() else None
    unitless = 0
    for f in tables:
        if not f.get("unit"):
            unitless += 1
            continue
        fig = {k: f.get(k) for k in FIGURE_FIELDS}
        fig.update(region=result.default_region, region_source="document" if result.default_region else None,
                   region_code=None, year=f.get("year") or year,
                   optional=bool(f.get("optional")), cumulative=bool(f.get("cumulative")))
        fig.update({k: f.get(k) for k in (*TABLE_KEYS, "direction", "status", "row_label", "column_header")})
        result.figures.append({"article": None, "sentence": None, "start": None, "end": None,
                               "surface": f.get("surface"), "page": f.get("page"), **fig, "source": "table",
                               "sentence_text": f.get("context")})
    sources = {p.number: p.source for p in pages if getattr(p, "source", "layer") != "layer"}
    if sources:  # a figure of an OCR'd page says so (text_source), as the page does
        for f in result.figures:
            f["text_source"] = sources.get(f["page"], "layer")
    if unitless:
        result.warnings.append(f"{unitless} table cell(s) without a stated unit left out")


def _table_record(f: dict) -> dict:
    """The keys a table figure adds to its JSON Lines record."""
    if f.get("source") != "table":
        return {"text_source": f["text_source"]} if f.get("text_source") else {}
    return {"table": f["table"], "row": f["row"], "column": f["column"],
            **({"text_source": f["text_source"]} if f.get("text_source") else {})}


def to_jsonl_records(result: DocumentResult):
    """Records in the interchange format of ../shared/eval/FORMAT.md."""
    for f in result.figures:
        yield {"type": "figure", "doc": result.name, "surface": f["surface"], "start": f["start"], "end": f["end"],
               "value": f["value"], "value_max": f["value_max"], "unit": f["unit"], "kind": f["kind"],
               "approx": f["approx"], "per": f["per"], "optional": f["optional"],
               "region": f["region"], "region_source": f["region_source"], "year": f["year"],
               "cumulative": f["cumulative"], "metric": f["metric"], "category": f["category"],
               # meaning
               "direction": f["direction"], "status": f["status"], "period": f["period"],
               "measure": f["measure"], "indicator": f["indicator"],
               "page": f["page"], "sentence": f["sentence_text"], **_table_record(f)}
    for d in result.dates:
        yield {"type": "date", "doc": result.name, "surface": d["surface"], "start": d["start"], "end": d["end"],
               "value": d["value"], "relative": d["relative"], "page": d["page"]}
    for p in result.places:
        yield {"type": "place", "doc": result.name, "surface": p["surface"], "start": p["start"], "end": p["end"],
               "path": p["path"], "code": p["code"], "page": p["page"]}
