"""Issue 16: no traceback, no stopped batch. One test per reproduction of the issue (numbers in the
test names), property-based where it fits: random file names (non-UTF-8 bytes included), random bytes
as files, random SQL from a small grammar. Each asserts no traceback, nothing already stored lost,
and the exit codes the README's section on bad input documents."""
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhmine import batch, ingest, store
from zhmine.research import query
from zhmine.safe import path_bytes, path_text, shown

GOOD = "2023年，福建省南平市共投入帮扶资金185.41万元，慰问困难家庭120户。\n"
POSIX = os.name == "posix"
ROOT = POSIX and os.geteuid() == 0
# root ignores file modes: run a command without the capabilities that let it (Linux setpriv)
NO_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def zhmine(*args, env=None, prefix=()):
    proc = subprocess.run([*prefix, sys.executable, "-m", "zhmine.cli", *map(os.fsdecode, args)],
                          capture_output=True, text=True, errors="replace", env=env)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def as_user(*args):
    """zhmine with file modes enforced (the tests run as root in CI): skip where that is not possible."""
    if not ROOT:
        return zhmine(*args)
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file modes are not enforced")
    return zhmine(*args, prefix=NO_OVERRIDE)


def one_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, text
    return lines[0]


def rows(db, sql, params=()):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def make_db(tmp_path, texts=(GOOD,)) -> Path:
    docs = tmp_path / "seed"
    docs.mkdir()
    for i, text in enumerate(texts):
        (docs / f"seed{i}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "z.db"
    summary = batch.run([docs], db=db, progress=False, workers=1)
    assert summary.documents == len(texts), summary.errors
    return db


# ------------------------------------------------------------------ 1, 7: names, stored and shown
NAMES = st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))


@given(NAMES)
def test_1_any_path_is_stored_as_text_and_back_to_the_same_bytes(raw):
    text = path_text(raw)
    text.encode("utf-8")  # what SQLite needs
    assert path_bytes(text) == raw
    if POSIX:
        assert path_text(os.fsdecode(raw)) == text  # Python's str of the name (surrogates) too


@given(st.text(min_size=1, max_size=30))
def test_1_a_utf8_name_is_stored_unchanged_unless_it_holds_an_escape(name):
    if "\\x" not in name and not any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        assert path_text(name) == name


@given(st.one_of(st.text(max_size=40), NAMES.map(os.fsdecode)))
def test_7_shown_text_holds_no_control_character(name):
    out = shown(name)
    assert "\n" not in out and "\r" not in out and "\x1b" not in out and "\x07" not in out
    assert all(ch.isprintable() or ch.isspace() for ch in out)
    out.encode("utf-8")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAMES, min_size=1, max_size=4, unique=True))
def test_1_store_keeps_every_name_losslessly(tmp_path, names):
    from zhmine.pipeline import extract_source

    db = store.open_db(tmp_path / f"n{time.monotonic_ns()}.db")
    run = store.begin_run(db)
    for i, raw in enumerate(names):
        path = os.fsdecode(b"docs/" + raw + b".txt")
        source = ingest.Source(path=Path(path), text=GOOD + f"第{i}份。", encoding="utf-8", kind="txt",
                               sha256=hashlib.sha256(raw).hexdigest())
        result = extract_source(source)
        result.path = path
        store.save(db, result, run_id=run)
        store.record_error(db, path + ".bad", "a reason", run_id=run)
    stored = {path_bytes(p) for (p,) in db.execute("select path from documents")}
    assert stored == {b"docs/" + raw + b".txt" for raw in names}
    errors = {path_bytes(p) for (p,) in db.execute("select path from errors")}
    assert errors == {b"docs/" + raw + b".txt.bad" for raw in names}


@pytest.mark.skipif(not POSIX, reason="file names as bytes")
def test_1_6_7_a_run_over_bad_names_unreadable_folders_and_empty_globs_goes_on(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    (docs / "locked").mkdir(parents=True)
    (docs / "locked" / "inside.txt").write_text(GOOD, encoding="utf-8")
    nasty = [b"b\xffname.txt", b"evil\n\x1b]0;pwned\x07.txt", "混合\udcfe名.txt".encode("utf-8", "surrogateescape")]
    for i, raw in enumerate(nasty):
        with open(os.path.join(os.fsencode(docs), raw), "wb") as f:
            f.write(f"{GOOD}第{i}份报告。\n".encode())
    with open(os.path.join(os.fsencode(docs), b"empty\nerror: all good.txt"), "wb"):
        pass  # a bad file whose name forges a line
    real_scandir = os.scandir

    def scandir(path="."):  # an unreadable folder, even for root
        if os.fsdecode(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    messages = []
    summary = batch.run([docs, str(tmp_path / "none" / "*.txt")], db=tmp_path / "z.db", progress=False,
                        workers=1, on_error=messages.append, on_warning=messages.append)
    assert summary.documents == 3
    stored = {path_bytes(p) for (p,) in rows(tmp_path / "z.db", "select path from documents")}
    assert stored == {os.path.join(os.fsencode(docs), raw) for raw in nasty}
    reasons = dict(rows(tmp_path / "z.db", "select path, reason from current_errors"))
    assert any(p.endswith("locked") and "cannot read the folder" in r for p, r in reasons.items())
    assert any("empty file" in r for r in reasons.values())
    assert [g for g, _ in summary.unmatched] == [str(tmp_path / "none" / "*.txt")]
    assert all("\n" not in m and "\x1b" not in m for m in messages)


@pytest.mark.skipif(not POSIX, reason="file names as bytes")
def test_1_7_the_command_line_shows_names_safely_and_exits_1(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(GOOD, encoding="utf-8")
    with open(os.path.join(os.fsencode(docs), b"b\xff\nerror: all good\x1b]0;x\x07.txt"), "wb"):
        pass
    proc = zhmine("run", "--quiet", "--workers", "1", docs, tmp_path / "nothing*.pdf", "--db", tmp_path / "z.db")
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr + proc.stdout
    forged = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: all good")]
    assert not forged, proc.stderr
    assert "warning:" in proc.stderr and "matches no file" in proc.stderr
    assert "1 documents extracted" in proc.stdout


# ------------------------------------------------------------------ 2: concurrent writers
def test_2_two_runs_on_one_database_both_finish(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        (docs / f"d{i}.txt").write_text(f"{GOOD}第{i}份。\n", encoding="utf-8")
    db = tmp_path / "z.db"
    cmd = [sys.executable, "-m", "zhmine.cli", "run", "--quiet", "--workers", "1", "--db", str(db)]
    first = subprocess.Popen([*cmd, str(docs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    second = subprocess.Popen([*cmd, str(docs / "d1.txt"), str(docs / "d5.txt")], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    for proc in (first, second):
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and "Traceback" not in err, err
    assert rows(db, "select count(*) from documents") == [(6,)]
    assert [s for (s,) in rows(db, "select status from runs")] == ["ok", "ok"]


def test_2_a_run_held_past_wait_stops_with_a_clear_message_and_exit_2(tmp_path):
    db = make_db(tmp_path)
    before = rows(db, "select count(*) from figures")
    with store.RunLock(db):
        proc = zhmine("run", "--quiet", "--workers", "1", "--wait", "1", tmp_path / "seed", "--db", db)
    assert proc.returncode == 2
    waiting, error = proc.stderr.strip().splitlines()  # said once when it starts to wait, then the error
    assert waiting.startswith("warning: waiting for another zhmine run (pid")
    assert error.startswith("Error: another zhmine run (pid") and "--wait" in error
    assert rows(db, "select count(*) from figures") == before


def test_2_a_reader_during_a_write_transaction_still_reads(tmp_path):
    db = make_db(tmp_path)
    writer = store.open_db(db)
    writer.execute("begin immediate")
    try:
        assert query.sql(query.connect(db), "select count(*) as n from documents")[0]["n"] == 1
    finally:
        writer.execute("rollback")


def test_2_a_locked_write_is_retried(tmp_path, monkeypatch):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "done"

    monkeypatch.setattr(time, "sleep", lambda s: None)
    assert store.retry(flaky) == "done" and len(calls) == 3


# ------------------------------------------------------------------ 3: disk full; a store failure
def _full_after(monkeypatch, pages: int):
    real = store.open_db

    def small(path, **kw):
        db = real(path, **kw)
        n = db.execute("pragma page_count").fetchone()[0]
        db.execute(f"pragma max_page_count = {n + pages}")  # SQLite's own "database or disk is full"
        return db

    monkeypatch.setattr(store, "open_db", small)


def test_3_disk_full_stops_the_run_cleanly_and_marks_it_failed(tmp_path, monkeypatch):
    db = make_db(tmp_path)
    before = rows(db, "select * from figures order by id")
    docs = tmp_path / "more"
    docs.mkdir()
    for i in range(8):
        (docs / f"m{i}.txt").write_text((f"{GOOD}第{i}份。\n") * 150, encoding="utf-8")
    _full_after(monkeypatch, 2)
    summary = batch.run([docs], db=db, progress=False, workers=1)
    assert summary.stopped and "full" in summary.stopped and "run the same command again" in summary.stopped
    assert rows(db, "select status from runs order by id") == [("ok",), ("failed",)]
    assert rows(db, "select * from figures where document_id in (select id from documents where name = 'seed0.txt') "
                    "order by id") == before
    assert rows(db, "pragma integrity_check") == [("ok",)]


def test_3_a_store_failure_inside_a_batch_is_recorded_and_the_batch_goes_on(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"d{i}.txt").write_text(f"{GOOD}第{i}份。\n", encoding="utf-8")
    real = store._save_one  # one document of a group (store.save_many)

    def save(conn, result, *args):
        real(conn, result, *args)
        if result.path.endswith("d1.txt"):  # after its rows are in: they must go again
            raise ValueError("a value SQLite refuses")

    monkeypatch.setattr(store, "_save_one", save)
    summary = batch.run([docs], db=tmp_path / "z.db", progress=False, workers=1)
    assert summary.documents == 2 and not summary.stopped
    assert [(Path(p).name, "could not be stored" in r) for p, r in summary.errors] == [("d1.txt", True)]
    assert rows(tmp_path / "z.db", "select name from documents order by name") == [("d0.txt",), ("d2.txt",)]
    assert rows(tmp_path / "z.db", "select count(distinct document) from figures") == [(2,)]


# ------------------------------------------------------------------ 4: --db, read-only, show -o
@pytest.mark.parametrize("command", [["run", "--quiet", "--workers", "1", "SEED"], ["query"], ["sql", "select 1"]])
@pytest.mark.parametrize("kind", ["not-sqlite", "folder", "other-sqlite"])
def test_4_a_db_that_is_not_a_database_is_a_clear_error_exit_2(tmp_path, command, kind):
    db = tmp_path / "bad.db"
    if kind == "folder":
        db.mkdir()
    elif kind == "other-sqlite":
        rows(db, "create table photos (x)")
        if command[0] != "run":
            return  # reading another program's database is harmless
    else:
        db.write_bytes(b"this is not SQLite\n" * 100)
    seed = tmp_path / "seed.txt"
    seed.write_text(GOOD, encoding="utf-8")
    proc = zhmine(*[str(seed) if a == "SEED" else a for a in command], "--db", db)
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert str(db) in line
    assert {"folder": "folder", "other-sqlite": "another program"}.get(kind, "not a zhmine database") in line
    if kind == "other-sqlite":
        assert rows(db, "select name from sqlite_master") == [("photos",)]  # nothing added to it


@pytest.mark.skipif(not POSIX, reason="file modes")
@pytest.mark.parametrize("what", ["file", "folder"])
def test_4_a_read_only_db_is_a_clear_error_exit_2(tmp_path, what):
    db = make_db(tmp_path)
    if what == "file":
        db.chmod(0o444)
    else:
        target = tmp_path / "ro"
        target.mkdir()
        db = target / "new.db"
        target.chmod(0o555)
    try:
        proc = as_user("run", "--quiet", "--workers", "1", tmp_path / "seed", "--db", db)
    finally:
        db.parent.chmod(0o755)
    assert proc.returncode == 2
    assert "cannot be written" in one_line(proc.stderr)


@pytest.mark.skipif(not POSIX, reason="file modes")
def test_4_query_on_a_read_only_wal_database_works_or_says_why(tmp_path):
    db = make_db(tmp_path)
    folder = tmp_path / "ro"
    folder.mkdir()
    rows(db, "pragma wal_checkpoint(truncate)")
    shutil.copy(db, folder / "z.db")  # checkpointed: nothing waits in a -wal file
    folder.chmod(0o555)
    try:
        ok = as_user("sql", "select count(*) as n from documents", "--db", folder / "z.db", "--format", "csv")
        assert ok.returncode == 0 and ok.stdout.split() == ["n", "1"], ok.stderr
        folder.chmod(0o755)
        con = sqlite3.connect(folder / "z.db")  # a change left in the -wal file
        con.execute("pragma journal_mode=wal")
        con.execute("pragma wal_autocheckpoint=0")
        con.execute("insert into meta (key, value) values ('x', 'y')")
        con.commit()
        shutil.copy(folder / "z.db-wal", tmp_path / "wal")
        con.close()
        shutil.copy(tmp_path / "wal", folder / "z.db-wal")
        (folder / "z.db-shm").unlink(missing_ok=True)
        folder.chmod(0o555)
        proc = as_user("query", "--db", folder / "z.db")
        assert proc.returncode == 2
        assert "-wal" in one_line(proc.stderr) and "writable folder" in proc.stderr
    finally:
        folder.chmod(0o755)


def test_4_show_into_a_missing_folder_is_a_clear_error(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text(GOOD, encoding="utf-8")
    proc = zhmine("show", doc, "-o", tmp_path / "missing" / "x.html")
    assert proc.returncode == 1
    assert "no folder" in one_line(proc.stderr)
    proc = zhmine("export", "--db", tmp_path / "any.db", "-o", tmp_path / "missing" / "x.csv")
    assert proc.returncode == 1
    assert "no folder" in one_line(proc.stderr)


# ------------------------------------------------------------------ 5: sql
@pytest.fixture(scope="module")
def sdb(tmp_path_factory):
    return make_db(tmp_path_factory.mktemp("sql"))


def _fingerprint(db: Path):
    folder = db.parent
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))), \
        rows(db, "select count(*) from figures"), rows(db, "select count(*) from errors")


@pytest.mark.parametrize("statement, says", [
    ("select 1; delete from figures", "one statement"),
    ("select :a", "parameters"),
    ("select 1 limit -1 offset 'x'", "cannot run"),
    ("select zeroblob(2000000000)", "100 MB"),
    ("select length(randomblob(1e9))", "100 MB"),
    ("ATTACH DATABASE 'ATTACHED' AS x", "read-only"),
    ("VACUUM INTO 'ATTACHED'", "read-only"),
    ("insert into figures (id) values ('x')", "read-only"),
    ("delete from figures", "read-only"),
    ("pragma journal_mode=delete", "read-only"),
    ("create table t (x)", "read-only"),
    ("with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c", "limit"),
])
def test_5_sql_refuses_with_one_line_and_changes_nothing(sdb, statement, says):
    attached = sdb.parent / "attached.db"
    before = _fingerprint(sdb)
    with pytest.raises(query.QueryError, match=says):
        query.sql(query.connect(sdb), statement.replace("ATTACHED", str(attached)), time_limit=1)
    assert not attached.exists()
    assert _fingerprint(sdb) == before


def test_5_sql_on_the_command_line_exits_1_without_a_traceback(sdb):
    for statement in ("select 1; delete from figures", "insert into errors (path) values ('x')"):
        proc = zhmine("sql", statement, "--db", sdb)
        assert proc.returncode == 1 and one_line(proc.stderr).startswith("Error: ")
    proc = zhmine("sql", "select :a as a", "--param", "a", "5", "--db", sdb, "--format", "csv")
    assert proc.returncode == 0 and proc.stdout.split() == ["a", "5"]


def _sql_grammar():
    table = st.sampled_from(["figures", "documents", "errors", "runs", "sentences_fts", "sqlite_master", "nowhere"])
    value = st.sampled_from(["1", "'x'", "null", "-1", "1e308", ":p", "?", "x'00ff'", "zeroblob(10)",
                             "randomblob(1e9)", "zeroblob(2000000000)", "'" + "长" * 50 + "'"])
    select = st.builds(lambda v, t, lim: f"select {v} from {t} limit {lim}", value, table, value)
    write = st.builds(lambda t, v: st.sampled_from([f"insert into {t} values ({v})", f"delete from {t}",
                                                    f"update {t} set id = {v}", f"drop table {t}"]), table, value)
    other = st.sampled_from(["attach 'GEN' as g", "vacuum into 'GEN'", "vacuum", "pragma query_only=0",
                             "pragma writable_schema=1", "begin", "commit", "reindex", "analyze",
                             "create temp table t(x)", "select", ";", "", "select 1;;", "select load_extension('x')"])
    single = st.one_of(select, write.flatmap(lambda s: s), other)
    return st.lists(single, min_size=1, max_size=3).map("; ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(statement=_sql_grammar())
def test_5_random_sql_reads_or_refuses_and_never_writes(sdb, statement):
    gen = sdb.parent / "gen.db"
    before = _fingerprint(sdb)
    try:
        result = query.sql(query.connect(sdb), statement.replace("GEN", str(gen)), time_limit=2)
        assert isinstance(result, list)
    except query.QueryError as e:
        assert "\n" not in str(e)
    assert not gen.exists()
    assert _fingerprint(sdb) == before


# ------------------------------------------------------------------ 8: PDFs and text
def test_8_a_pdf_page_of_cid_codes_is_unreadable_not_garbage(tmp_path, monkeypatch):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "cid.pdf"
    c = canvas.Canvas(str(pdf))
    c.drawString(72, 700, "2023 total 1200 yuan on page one")
    c.showPage()
    c.drawString(72, 700, "page two")
    c.save()
    real = ingest.page_text
    monkeypatch.setattr(ingest, "page_text",
                        lambda page: real(page) if page.page_number == 1 else "(cid:3206)(cid:3431)(cid:19) (cid:20)")
    source = ingest.read(pdf)
    assert "(cid:" not in source.text and "1200" in source.text
    assert [p.has_text for p in source.pages] == [True, False]
    assert any("page 2" in w and "OCR" in w for w in source.warnings)


def test_8_an_encrypted_pdf_with_an_empty_password_is_read_or_explained(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "open.pdf"
    c = canvas.Canvas(str(pdf), encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canCopy=0))
    c.drawString(72, 700, "2023 total 1200 yuan")
    c.save()
    assert "1200" in ingest.read(pdf).text  # no user password: opened with the empty one


def test_8_a_few_nul_bytes_in_utf8_text_are_dropped_with_a_warning(tmp_path):
    f = tmp_path / "nul.txt"
    f.write_bytes(GOOD.encode() + b"\x00" + GOOD.encode() + b"\x00\x00")
    source = ingest.read(f)
    assert "\x00" not in source.text and source.text.count("185.41") == 2
    assert any("NUL" in w for w in source.warnings)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(min_size=1, max_size=3000),
                      st.builds(lambda t, junk: t.encode() + junk, st.text(min_size=1, max_size=200),
                                st.binary(max_size=20))),
       suffix=st.sampled_from([".txt", ".pdf", ".md"]))
def test_8_random_bytes_as_a_file_are_read_or_refused_in_one_line(tmp_path, data, suffix):
    f = tmp_path / f"random{suffix}"
    f.write_bytes(data)
    try:
        source = ingest.read(f)
        assert "\x00" not in source.text
    except ingest.IngestError as e:
        assert "\n" not in e.reason and str(f) in str(e)
