"""The spaCy backbone: a blank Chinese Language with zhmine's components, and the driver that takes
one file through every stage (ingest -> clean -> segment -> nlp per article -> records).

Components (registered factories, each in the module of its stage):
    zh_sentences  (this module)  sentence starts, doc.spans["paragraphs"]
    zh_dates      (dates/)       doc.spans["dates"]    span._.value, ._.relative, ._.year
    zh_places     (places/)      doc.spans["places"]   span._.path, ._.code, ._.level
    zh_figures    (figures/)     doc.spans["figures"]  span._.value, ._.value_max, ._.unit, ._.kind,
                                                       ._.approx, ._.per, ._.optional
    zh_attribute  (attribution/) on each figure: ._.region, ._.region_code, ._.year, ._.metric,
                                                 ._.category, ._.cumulative
Document context travels on the Doc: doc._.doc_date ("YYYY-MM-DD" or None), doc._.default_region
(a /-path the whole document is about), doc._.title / doc._.byline / doc._.source_line (the article's).
"""
from __future__ import annotations

import re
from bisect import bisect_right

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .records import EXTRACTOR_VERSION, DocumentResult  # noqa: F401 (part of this module's API)
from .text.spans import (  # noqa: F401 (part of this module's API)
    _TEXT_KEY, DOC_EXTENSIONS, FIGURE_FIELDS, PLACE_FIELDS, SPAN_EXTENSIONS, doc_text, register_extensions,
    set_span_extensions, span_extension, span_extensions)


# ------------------------------------------------------------------ tokenizer
# The tokens of more than one character: a Latin word, a run of white space that does not open on a
# plain space (a plain space is a token of its own). Every other character is a token, digits too: a
# whole number is a string the vocabulary has not seen for nearly every figure, and spaCy makes each
# new one a lexeme (its lexical attributes computed, ~25 µs) and keeps its string for good.
# stdlib re: 1.4x faster than regex on such patterns, and they need nothing regex adds.
_LONG_TOKEN = re.compile(r"[A-Za-z]+|[^\S ]\s*")


def char_tokens(text: str) -> list[str]:
    """The CharTokenizer's words. Chinese text is mostly one-character tokens: those are taken a
    slice at a time between the longer ones, which is 1.4x faster than one findall of every token."""
    words: list[str] = []
    extend, append = words.extend, words.append
    pos = 0
    for m in _LONG_TOKEN.finditer(text):
        if m.start() > pos:
            extend(text[pos:m.start()])  # one word per character
        append(m.group())
        pos = m.end()
    extend(text[pos:])
    return words


class _OrthCache(dict):
    """Token string -> its hash in the StringStore (added on first sight). Only single characters are
    kept: a few thousand at most, where numbers and Latin words would grow without end in a long run."""

    def __init__(self, strings):
        super().__init__()
        self.strings = strings

    def __missing__(self, word: str) -> int:
        orth = self.strings.add(word)
        if len(word) == 1:
            self[word] = orth
        return orth


class CharTokenizer:
    """One token per character, digits included, a whole token per Latin word, a token per
    space (none is folded into the previous token's trailing whitespace: a flat list of words and no
    per-token Python loop make this the cheapest Doc to build).

    About 4x faster than spaCy's own "char" segmenter; jieba runs later, only where a component
    needs words.
    """

    def __init__(self, vocab):
        self.vocab = vocab
        self._orth = _OrthCache(vocab.strings)

    def __call__(self, text: str) -> Doc:
        words = char_tokens(text)
        # Doc takes a word's hash in place of its string: a dict lookup instead of hashing the string
        # again for every token, a third of the Doc's cost
        doc = Doc(self.vocab, words=list(map(self._orth.__getitem__, words)), spaces=[False] * len(words))
        doc.user_data[_TEXT_KEY] = text
        return doc

    # spaCy serialization hooks (nothing to save)
    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        pass

    def from_disk(self, path, **kwargs):
        return self


@spacy.registry.tokenizers("zhmine.CharTokenizer.v1")
def make_char_tokenizer():
    def create(nlp):
        return CharTokenizer(nlp.vocab)

    return create


# ------------------------------------------------------------------ sentences
@Language.component("zh_sentences")
def zh_sentences(doc: Doc) -> Doc:
    """Sentence starts after 。！？；and line ends; paragraphs are lines."""
    from .segment import paragraphs, sentences

    if not len(doc):
        return doc
    # Vectorised: creating a Python Token per character costs more than the rest of the pipeline, and
    # setting token.is_sent_start one by one re-checks the whole doc each time.
    idx = doc.to_array([IDX]).astype("int64").ravel()
    text = doc_text(doc)
    starts = numpy.fromiter((s for s, _ in sentences(text)), dtype="int64")
    flags = numpy.where(numpy.isin(idx, starts), 1, -1).astype("int32")
    flags[0] = 1
    doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
    doc.spans["paragraphs"] = [sp for sp in (doc.char_span(s, e, alignment_mode="expand") for s, e in paragraphs(text)) if sp is not None]
    return doc


COMPONENTS = ("zh_sentences", "zh_dates", "zh_places", "zh_figures", "zh_attribute")


def load(components: tuple[str, ...] = COMPONENTS) -> Language:
    """A blank Chinese pipeline with zhmine's components: nlp = extract.load(); nlp(text)."""
    # importing the stage modules registers their factories
    from . import attribution, dates, figures  # noqa: F401
    from .places import make_places  # noqa: F401 (zhmine.places loads its component on first use)

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zhmine.CharTokenizer.v1"}}})
    # spaCy's 1M-character guard is for parsers' memory; ours is linear in the text, and an archive's
    # single-article yearbook may be longer (size limits are the batch's --max-mb).
    nlp.max_length = 100_000_000
    for name in components:
        nlp.add_pipe(name)
    return nlp


_NLP: Language | None = None


def shared_nlp() -> Language:
    """One pipeline per process (building it loads the gazetteer and rules)."""
    global _NLP
    if _NLP is None:
        _NLP = load()
    return _NLP


# ------------------------------------------------------------------ the driver
def extract_file(path, doc_date: str | None = None, nlp: Language | None = None) -> DocumentResult:
    from .ingest import read

    return extract_source(read(path), doc_date=doc_date, nlp=nlp)


def extract_source(source, doc_date: str | None = None, nlp: Language | None = None) -> DocumentResult:
    from .dates import infer_doc_date
    from . import places as places_mod
    from .clean import clean
    from .segment import articles as split_articles
    from .segment import sentences as split_sentences

    nlp = nlp or shared_nlp()
    ct = clean(source.text)
    text = ct.text

    if doc_date:
        doc_date_source = "given"
    else:
        doc_date, doc_date_source = infer_doc_date(text, source.metadata)
    default_region = places_mod.infer_region(text)

    def page_of(start: int) -> int | None:
        return source.page_at(ct.offsets[start])

    result = DocumentResult(
        path=str(source.path), name=source.name, sha256=source.sha256, encoding=source.encoding,
        kind=source.kind, pages=len(source.pages), text=text, doc_date=doc_date,
        doc_date_source=doc_date_source, default_region=default_region,
        metadata=source.metadata, warnings=list(source.warnings),
    )
    sent_no = 0
    for art in split_articles(text):
        art_text = text[art.start:art.end]
        doc = nlp.make_doc(art_text)
        # split as zh_sentences, dates and attribution split the doc's text: segment keeps the
        # answer, so the four share one split
        art_sentences = [(s + art.start, e + art.start) for s, e in split_sentences(art_text)]
        doc._.doc_date = doc_date
        doc._.default_region = default_region
        doc._.title = art.title
        doc._.byline = art.byline
        doc._.source_line = art.source_line
        doc._.doc_name = source.name
        for _, proc in nlp.pipeline:
            doc = proc(doc)
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
    return result


def to_jsonl_records(result: DocumentResult):
    """Records in the interchange format of ../shared/eval/FORMAT.md."""
    for f in result.figures:
        yield {"type": "figure", "doc": result.name, "surface": f["surface"], "start": f["start"], "end": f["end"],
               "value": f["value"], "value_max": f["value_max"], "unit": f["unit"], "kind": f["kind"],
               "approx": f["approx"], "per": f["per"], "optional": f["optional"],
               "region": f["region"], "year": f["year"],
               "cumulative": f["cumulative"], "metric": f["metric"], "category": f["category"],
               "page": f["page"], "sentence": f["sentence_text"]}
    for d in result.dates:
        yield {"type": "date", "doc": result.name, "surface": d["surface"], "start": d["start"], "end": d["end"],
               "value": d["value"], "relative": d["relative"], "page": d["page"]}
    for p in result.places:
        yield {"type": "place", "doc": result.name, "surface": p["surface"], "start": p["start"], "end": p["end"],
               "path": p["path"], "code": p["code"], "page": p["page"]}
