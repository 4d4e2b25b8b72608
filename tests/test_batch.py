"""Batch runs: parallel workers, resume after kill -9, every kind of bad input recorded, Dask."""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zlib

import pytest

from test_store import fts_exact
from zhmine import batch, records, schema, store, worker

CONTENT_TABLES = ("documents", "articles", "sentences", "figures", "dates", "places")


# ------------------------------------------------------------------ test inputs the tests make
def report_text(seed: int, sentences: int = 12) -> str:
    """A short work summary in the usual style, different for every seed."""
    rnd = random.Random(seed)
    forms = [
        "{y}年，全县共投入帮扶资金{a}.{b}万元，慰问困难家庭{c}户。",
        "全市累计开展免费健康体检{c}人次，受益群众达到{d}人。",
        "新建村级综合服务站{e}个，培训基层干部{d}名，发放宣传资料{c}份。",
        "截至{y}年底，全镇参保人数达{d}人，参保率为{p}%。",
        "{y}年共落实奖励扶助资金{a}万元，惠及独生子女家庭{e}户。",
    ]
    lines = [f"第{seed}期工作简报", ""]
    for _ in range(sentences):
        lines.append(rnd.choice(forms).format(y=rnd.randint(2015, 2024), a=rnd.randint(10, 999), b=rnd.randint(10, 99),
                                              c=rnd.randint(100, 20000), d=rnd.randint(1000, 90000),
                                              e=rnd.randint(2, 80), p=rnd.randint(60, 99)))
    return "\n".join(lines) + "\n"


def huge_text() -> str:
    """Close to a million characters (spaCy's limit for one text) of reports: seconds of work."""
    parts, size, i = [], 0, 0
    while size < 900_000:
        parts.append(report_text(1000 + i, sentences=200))
        size += len(parts[-1])
        i += 1
    return "".join(parts)


def make_pdf(path, pages: int = 1, encrypt: bool = False) -> None:
    """A small valid PDF with a line of text per page; `encrypt` adds a user password we do not know."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{4 + 2 * i} 0 R" for i in range(pages)), pages),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        stream = f"BT /F1 12 Tf 20 100 Td (Page {i + 1}: 2023 total 1200 yuan) Tj ET".encode()
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents {5 + 2 * i} 0 R "
                    "/Resources << /Font << /F1 3 0 R >> >> >>")
        objs.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
    if encrypt:
        objs.append("<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % ("ab" * 32, "cd" * 32))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    extra = f" /Encrypt {len(objs)} 0 R /ID [<{'12' * 16}> <{'12' * 16}>]" if encrypt else ""
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R{extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def zhmine(*args, check=None):
    proc = subprocess.run([sys.executable, "-m", "zhmine.cli", "run", "--quiet", *map(str, args)],
                          capture_output=True, text=True)
    if check is not None:
        assert proc.returncode == check, proc.stderr
    return proc


def rows(db_path, table):
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(f"select * from [{table}]")]
    finally:
        con.close()


def content(db_path) -> dict:
    """What a database holds, apart from when it was written: comparable across runs. Integer keys
    follow the order documents were stored in (schema.py), so each becomes the document's sha256 and
    the row's number in it."""
    shas = {r["id"]: r["sha256"] for r in rows(db_path, "documents")}

    def key(k, v):
        if k in ("id", "document_id", "article_id", "sentence_id") and isinstance(v, int):
            return (shas[v], None) if k == "document_id" else (shas[v // schema.CHILD_SPAN], v % schema.CHILD_SPAN)
        return v

    out = {}
    for table in CONTENT_TABLES:
        recs = [tuple(sorted((k, key(k, v) if table != "documents" else v) for k, v in r.items()
                             if k != "extracted_at" and (table, k) != ("documents", "id")))
                for r in rows(db_path, table)]
        out[table] = sorted(recs, key=repr)
    return out


def current_errors(db_path) -> dict:
    return {os.path.basename(r["path"]): r["reason"] for r in rows(db_path, "current_errors")}


# ------------------------------------------------------------------ tests
def test_find_files_expands_folders_and_globs_once(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "b.TXT", "sub/c.pdf", "notes.odt"):  # .odt: not read (issue 17 reads .docx)
        (tmp_path / name).write_text("x")
    found = batch.find_files([tmp_path, str(tmp_path / "*.txt")])
    assert [p.name for p in found] == ["a.txt", "b.TXT", "c.pdf"]


def test_run_stores_each_document_once_and_skips_current_ones(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(4):
        (docs / f"r{i}.txt").write_text(report_text(i), encoding="utf-8")
    (docs / "r9-copy.txt").write_text(report_text(0), encoding="utf-8")  # same content as r0
    db = tmp_path / "z.db"

    first = batch.run([docs], db=db, progress=False, workers=2)
    assert (first.documents, first.skipped, first.errors) == (4, 1, [])
    assert first.figures == len(rows(db, "figures")) > 0
    assert sorted(r["name"] for r in rows(db, "documents")) == ["r0.txt", "r1.txt", "r2.txt", "r3.txt"]

    again = batch.run([docs], db=db, progress=False, workers=2)
    assert (again.documents, again.skipped) == (0, 5)
    assert [r["status"] for r in rows(db, "runs")] == ["ok", "ok"]


def test_each_group_a_run_stores_is_searchable_when_its_transaction_ends(tmp_path, monkeypatch):
    """Workers send each document's rows as a shard; the writer copies it in with its full-text index
    entries, so after every transaction the index holds exactly the sentences stored."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(12):
        (docs / f"r{i:02d}.txt").write_text(report_text(100 + i), encoding="utf-8")
    db = tmp_path / "z.db"
    save, exact_after = store.save_many, []

    def watched_save(database, results, **kwargs):
        assert all(isinstance(r.rows.shard, bytes) and not r.sentences for r in results)  # made by the workers
        failed = save(database, results, **kwargs)
        exact_after.append(fts_exact(database))
        return failed

    monkeypatch.setattr(store, "save_many", watched_save)
    monkeypatch.setattr(batch, "GROUP_CHARS", 1)  # a document at a time
    summary = batch.run([docs], db=db, progress=False, workers=2)
    assert (summary.documents, summary.errors) == (12, [])
    assert exact_after == [True] * 12
    con = sqlite3.connect(db)
    try:
        assert fts_exact(con) and con.execute("select count(*) from sentences").fetchone()[0] > 12 * 10
    finally:
        con.close()


def test_new_extractor_version_re_extracts_without_duplicates(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"r{i}.txt").write_text(report_text(10 + i), encoding="utf-8")
    db = tmp_path / "z.db"
    batch.run([docs], db=db, progress=False, workers=1)
    before = content(db)

    monkeypatch.setattr(records, "EXTRACTOR_VERSION", records.EXTRACTOR_VERSION + "-next")
    summary = batch.run([docs], db=db, progress=False, workers=1)
    assert summary.documents == 3
    docs_rows = rows(db, "documents")
    assert {r["extractor_version"] for r in docs_rows} == {records.EXTRACTOR_VERSION}
    after = content(db)
    assert {t: len(v) for t, v in after.items()} == {t: len(v) for t, v in before.items()}


def test_bad_inputs_are_recorded_with_a_reason_and_fail_the_exit_status(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(report_text(1), encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 8 + b"\x00" * 4096)
    rnd = random.Random(7)
    (docs / "undecodable.txt").write_bytes(bytes(rnd.choice(range(0x80, 0x100)) for _ in range(3000)))
    (docs / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + zlib.compress(b"not really a pdf") * 50)
    make_pdf(docs / "locked.pdf", encrypt=True)
    make_pdf(docs / "long.pdf", pages=3)
    (docs / "big.txt").write_text(report_text(2, sentences=400), encoding="utf-8")
    db = tmp_path / "z.db"

    proc = zhmine(docs, "--db", db, "--workers", "2", "--max-mb", "0.01", "--max-pages", "2", check=1)
    errors = current_errors(db)
    assert set(errors) == {"empty.txt", "binary.txt", "undecodable.txt", "corrupt.pdf", "locked.pdf", "long.pdf", "big.txt"}
    assert "empty" in errors["empty.txt"]
    assert "binary" in errors["binary.txt"] or "text" in errors["binary.txt"]
    assert "text" in errors["undecodable.txt"]
    assert "PDF" in errors["corrupt.pdf"]
    assert "encrypted" in errors["locked.pdf"]
    assert "3 pages" in errors["long.pdf"] and "2-page" in errors["long.pdf"]
    assert "limit" in errors["big.txt"] and "--max-mb" in errors["big.txt"]
    assert [r["name"] for r in rows(db, "documents")] == ["good.txt"]
    assert "1 documents extracted" in proc.stdout and "7 errors" in proc.stdout
    for name in errors:  # each failure is named on stderr too
        assert name in proc.stderr


def test_a_document_past_the_time_limit_is_stopped_and_the_batch_goes_on(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a-huge.txt").write_text(huge_text(), encoding="utf-8")
    (docs / "b-small.txt").write_text(report_text(3), encoding="utf-8")
    db = tmp_path / "z.db"
    zhmine(docs, "--db", db, "--workers", "1", "--timeout", "1", check=1)
    errors = current_errors(db)
    assert list(errors) == ["a-huge.txt"] and "--timeout" in errors["a-huge.txt"]
    # the worker was replaced: the next file was still extracted
    assert [r["name"] for r in rows(db, "documents")] == ["b-small.txt"]


def test_a_fixed_file_leaves_its_old_error_as_history_only(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(report_text(5, sentences=60), encoding="utf-8")
    db = tmp_path / "z.db"
    zhmine(f, "--db", db, "--max-mb", "0.001", check=1)
    assert list(current_errors(db)) == ["r.txt"]
    zhmine(f, "--db", db, check=0)
    assert current_errors(db) == {}
    history = rows(db, "errors")
    assert len(history) == 1 and history[0]["resolved"] == 1
    assert [r["status"] for r in rows(db, "runs")] == ["failed", "ok"]


def test_kill_9_then_the_same_command_gives_the_same_database(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    total = 400  # enough that the run is still going when the first documents are stored
    for i in range(total):
        (docs / f"r{i:03d}.txt").write_text(report_text(100 + i, sentences=30), encoding="utf-8")
    reference, resumed = tmp_path / "ref.db", tmp_path / "resumed.db"
    zhmine(docs, "--db", reference, "--workers", "2", check=0)

    cmd = [sys.executable, "-m", "zhmine.cli", "run", "--quiet", str(docs), "--db", str(resumed), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stored = 0
    try:
        deadline = time.monotonic() + 300
        while stored < 5 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
            if resumed.exists():
                try:
                    stored = len(rows(resumed, "documents"))
                except sqlite3.OperationalError:  # schema not there yet
                    pass
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the main process and its workers, as kill -9 would
        proc.wait()
    assert 5 <= stored < total, "the run was not caught in the middle"
    assert len(rows(resumed, "documents")) < total

    zhmine(docs, "--db", resumed, "--workers", "2", check=0)
    assert content(resumed) == content(reference)
    con = sqlite3.connect(resumed)
    try:  # every sentence is in the full-text index, and nothing else; the indexes were made
        assert fts_exact(con) and not schema.missing_indexes(con)
    finally:
        con.close()
    assert [r["status"] for r in rows(resumed, "runs")] == ["interrupted", "ok"]  # the next run marks the killed one


def test_dask_executor_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"r{i}.txt").write_text(report_text(200 + i), encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    local_db, dask_db = tmp_path / "local.db", tmp_path / "dask.db"
    zhmine(docs, "--db", local_db, "--workers", "1", check=1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        proc = zhmine(docs, "--db", dask_db, "--executor", "dask", "--scheduler", cluster.scheduler_address, check=1)
    assert "3 documents extracted" in proc.stdout
    assert content(dask_db) == content(local_db)
    assert list(current_errors(dask_db)) == ["empty.txt"]


def test_dask_executor_needs_a_scheduler(tmp_path):
    proc = zhmine(tmp_path, "--executor", "dask")
    assert proc.returncode == 2 and "--scheduler" in proc.stderr


def test_dask_executor_enforces_the_time_limit(tmp_path):
    distributed = pytest.importorskip("distributed")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a-huge.txt").write_text(huge_text(), encoding="utf-8")
    (docs / "b-small.txt").write_text(report_text(4), encoding="utf-8")
    db = tmp_path / "z.db"
    # two workers: the one running the overdue task stays busy (Dask cannot stop a thread)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        zhmine(docs, "--db", db, "--executor", "dask", "--scheduler", cluster.scheduler_address, "--timeout", "1", check=1)
    errors = current_errors(db)
    assert list(errors) == ["a-huge.txt"] and "--timeout" in errors["a-huge.txt"]
    assert [r["name"] for r in rows(db, "documents")] == ["b-small.txt"]


def test_a_component_bug_is_recorded_as_itself():
    """spaCy's nlp(doc) wraps a component's KeyError in a ValueError about initialize(); the record
    names the KeyError, the bug to report."""
    import spacy
    from spacy.language import Language

    @Language.component("zhmine_test_broken")
    def broken(doc):
        raise KeyError("no such rule")

    nlp = spacy.blank("xx")
    nlp.add_pipe("zhmine_test_broken")
    status, reason = worker._outcome_of(nlp, "文本")
    assert status == "error" and "(KeyError: 'no such rule')" in reason, reason
