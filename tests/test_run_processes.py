"""Issue 19: no process of `zhmine run` is left once it has exited, on every path: success, a
database that cannot be written mid-run, Ctrl-C (SIGINT to the process group) and SIGTERM.

Each run starts in a session of its own (start_new_session): its process group and session are its
pid, which every process it starts (workers, readers, multiprocessing's forkserver and resource
tracker) inherits; /proc says which processes still carry them."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_batch import report_text

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


def processes_of(session: int) -> list[tuple[int, str, str]]:
    """(pid, state, command line) of every process whose group or session is `session`."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # state ppid pgrp session ...
        if session in (int(fields[2]), int(fields[3])):
            out.append((int(entry), fields[0], cmd[:120]))
    return out


def start(args, cwd, pre=None) -> subprocess.Popen:
    """`zhmine run ARGS --quiet` in a session of its own; pre: Python run first in the same process
    (to break the database the way a failing disk would)."""
    code = f"{pre or ''}\nimport sys\nfrom zhmine.cli import main\nsys.argv = ['zhmine', 'run', '--quiet', *sys.argv[1:]]\nmain()"
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=cwd, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_nothing_left(proc: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    """Wait for the run to exit, then: not one process of its session, the main one included."""
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    left = processes_of(proc.pid)
    if left:  # cleaned up here, so that one failure does not leave processes to the next tests
        for pid, _, _ in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    assert left == [], f"left running after `zhmine run` exited: {left}"
    return proc.returncode, err


def make_docs(folder: Path, n: int, sentences: int = 12) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(report_text(300 + i, sentences=sentences), encoding="utf-8")
    return folder


def stored(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return con.execute("select count(*) from documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:  # not there yet, or its schema not yet
        return 0


def test_nothing_is_left_after_a_run_that_succeeds(tmp_path):
    docs = make_docs(tmp_path / "docs", 3)
    code, err = assert_nothing_left(start([docs, "--db", tmp_path / "z.db", "--workers", "2"], tmp_path))
    assert code == 0, err
    assert stored(tmp_path / "z.db") == 3


def test_nothing_is_left_after_a_run_with_pdfs(tmp_path):
    """PDFs add reader processes of their own (spawned, beside the forkserver's workers)."""
    from test_batch import make_pdf

    docs = make_docs(tmp_path / "docs", 2)
    make_pdf(docs / "a.pdf")
    code, err = assert_nothing_left(start([docs, "--db", tmp_path / "z.db", "--workers", "1"], tmp_path))
    assert code == 0, err


# SQLite's own "database or disk is full" a few pages after the database is opened (as in
# test_hardening's disk-full test): the run stops mid-way with exit status 3
DISK_FULL = """
from zhmine import store
_open = store.open_db
def _small(path, **kw):
    db = _open(path, **kw)
    n = db.execute("pragma page_count").fetchone()[0]
    db.execute(f"pragma max_page_count = {n + 2}")
    return db
store.open_db = _small
"""


def test_nothing_is_left_after_the_database_fails_mid_run(tmp_path):
    docs = make_docs(tmp_path / "docs", 12, sentences=150)
    code, err = assert_nothing_left(start([docs, "--db", tmp_path / "z.db", "--workers", "2"], tmp_path, pre=DISK_FULL))
    assert code == 3 and "full" in err, err


def test_nothing_is_left_when_the_database_cannot_be_opened(tmp_path):
    """The workers' forkserver starts before the database is opened: a database that is not one
    stops the run at once (exit status 2), with the forkserver warming up."""
    db = tmp_path / "z.db"
    db.write_text("not a database\n" * 100)
    docs = make_docs(tmp_path / "docs", 2)
    code, err = assert_nothing_left(start([docs, "--db", db, "--workers", "2"], tmp_path))
    assert code == 2, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
@pytest.mark.parametrize("when", ["warm-up", "mid-run"])
def test_nothing_is_left_after_a_signal_to_the_group(tmp_path, sig, when):
    """Ctrl-C in a terminal sends SIGINT to the whole foreground group; `kill -TERM -PGID` (or a
    service manager) SIGTERM. warm-up: while the forkserver builds its pipeline, before any
    document; mid-run: once some documents are stored."""
    # ~10,000 characters a document: the run stores them in groups of batch.GROUP_CHARS, about ten
    # transactions, so a signal once a group is stored lands before the last one
    docs = make_docs(tmp_path / "docs", 300, sentences=300)
    db = tmp_path / "z.db"
    proc = start([docs, "--db", db, "--workers", "2"], tmp_path)
    deadline = time.monotonic() + 240
    if when == "warm-up":
        # the forkserver is there (started before the database is opened): it is warming up
        while time.monotonic() < deadline and proc.poll() is None and \
                not any("forkserver" in cmd for _, _, cmd in processes_of(proc.pid)):
            time.sleep(0.02)
        time.sleep(0.3)
    else:
        while time.monotonic() < deadline and proc.poll() is None and stored(db) < 3:
            time.sleep(0.05)
    assert proc.poll() is None, "the run ended before the signal"
    os.killpg(proc.pid, sig)
    code, err = assert_nothing_left(proc, timeout=120)
    assert code != 0
    assert "Traceback" not in err, err
    if when == "mid-run":
        con = sqlite3.connect(db)
        try:
            assert con.execute("select status from runs").fetchall() == [("interrupted",)]
            assert 3 <= con.execute("select count(*) from documents").fetchone()[0] < 300
        finally:
            con.close()
