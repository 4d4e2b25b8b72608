"""zhmine: mine the figures in Chinese reports into a database of achievements by region.

The library mirrors the CLI (as sqlite-utils does):

    import zhmine
    nlp = zhmine.load()                       # a spaCy pipeline: nlp(text).spans["figures"]
    doc = nlp(zhmine.make_doc(text, doc_date="2023-05-01", region="福建省/南平市", nlp=nlp))  # with context
    result = zhmine.extract_file("a.pdf")     # one document, every stage, as plain records
    zhmine.run(["corpus/"], db="output/zhmine.db")   # what `zhmine run` does

Heavy imports (spaCy, jieba, the gazetteer) happen on first use, not on `import zhmine`.
"""
from __future__ import annotations

from ._version import __version__  # noqa: F401


def load(**kwargs):
    """A ready spaCy pipeline with zhmine's components (see zhmine.pipeline.load)."""
    from .pipeline import load as _load

    return _load(**kwargs)


def make_doc(text, doc_date=None, region=None, title=None, byline=None, source_line=None, doc_name=None, nlp=None):
    """An article's Doc with the context the components read (what 今年 resolves against, the region
    the document is about, ...); nlp(doc) runs them. nlp: the pipeline whose vocabulary the Doc takes
    (default: the process's shared one). See zhmine.pipeline.make_doc."""
    from .pipeline import make_doc as _make_doc

    return _make_doc(text, doc_date=doc_date, region=region, title=title, byline=byline, source_line=source_line,
                     doc_name=doc_name, nlp=nlp)


def extract_file(path, doc_date=None, nlp=None):
    """Run every stage on one file and return a zhmine.pipeline.DocumentResult."""
    from .pipeline import extract_file as _extract_file

    return _extract_file(path, doc_date=doc_date, nlp=nlp)


def run(paths, db="output/zhmine.db", **kwargs):
    """Mine files and folders into a SQLite database (what `zhmine run` does)."""
    from .batch import run as _run

    return _run(paths, db=db, **kwargs)
