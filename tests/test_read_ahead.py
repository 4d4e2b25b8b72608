"""PDFs in a local run are read ahead by reader processes while the workers warm up (executors.LocalExecutor
.read_ahead): what is stored must be what reading and extracting in one process gives."""
import shutil

from zhmine import batch, ingest, pipeline
from test_batch import make_pdf, report_text, rows


def test_pdfs_read_ahead_store_what_one_process_extracts(tmp_path, shared):
    docs = tmp_path / "docs"
    docs.mkdir()
    pdfs = sorted((shared / "samples" / "pdf").glob("*.pdf"))[:2]
    for p in pdfs:
        shutil.copy(p, docs / p.name)
    (docs / "note.txt").write_text(report_text(7), encoding="utf-8")  # text goes straight to a worker
    make_pdf(docs / "locked.pdf", encrypt=True)  # a reader's error is recorded like a worker's
    db = tmp_path / "z.db"

    summary = batch.run([docs], db=db, progress=False, workers=1)
    assert summary.documents == len(pdfs) + 1
    assert [path.endswith("locked.pdf") and "encrypted" in reason for path, reason in summary.errors] == [True]
    stored = {r["name"]: r for r in rows(db, "documents")}
    figures = rows(db, "figures")
    for p in pdfs:
        expected = pipeline.extract_source(ingest.read(docs / p.name))
        doc = stored[p.name]
        assert (doc["pages"], doc["chars"]) == (expected.pages, len(expected.text))
        key = lambda f: (f["page"], f["start"] if f["start"] is not None else -1, f["value"])  # table cells: no start
        mine = sorted(key(f) for f in figures if f["document_id"] == doc["id"])
        assert mine and mine == sorted(key(f) for f in expected.figures)


def test_a_run_of_pdfs_only_stores_the_regions_table_too(tmp_path):
    """A run of PDFs stores the regions table once its first document is back rather than at its
    start; it is there at the end all the same, also when that document failed."""
    docs = tmp_path / "docs"
    docs.mkdir()
    make_pdf(docs / "a.pdf", pages=2)
    make_pdf(docs / "locked.pdf", encrypt=True)
    db = tmp_path / "z.db"
    summary = batch.run([docs], db=db, progress=False, workers=1)
    assert summary.documents == 1 and len(summary.errors) == 1
    regions = rows(db, "regions")
    assert len(regions) > 3000 and {"北京市", "福建省"} <= {r["name"] for r in regions}
    again = batch.run([docs / "locked.pdf"], db=db, progress=False, workers=1)  # nothing extracted at all
    assert again.documents == 0 and len(rows(db, "regions")) == len(regions)
