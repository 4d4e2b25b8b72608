"""Corrections (zhmine review): keyed by document hash and position, so that a re-extraction by a new
extractor version keeps them; a correction whose figure is gone is kept and listed as orphaned;
queries and exports show the corrected values with the originals beside; shared files import."""
import subprocess
import sys

import pytest

from zhmine import records, store
from zhmine.batch import run
from zhmine.research import corrections, export, query
from research_data import RESEARCH_TEXT, known_db, pipeline_db


def _zhmine(*args):
    return subprocess.run([sys.executable, "-m", "zhmine.cli", *args], capture_output=True, text=True, timeout=120)


def _figure_id(db_path, surface):
    return str(query.sql(query.connect(db_path), "select id from figures where surface = ?", [surface])[0]["id"])


@pytest.fixture
def research_db(tmp_path):
    return pipeline_db(tmp_path, RESEARCH_TEXT)


def test_correction_survives_reextraction_by_a_new_extractor_version(research_db, tmp_path, monkeypatch):
    fid = _figure_id(research_db, "4800万元")
    db = store.open_db(research_db)
    corrections.record(db, fid, "correct", region="福建省/厦门市", note="泉州 is wrong")
    db.close()
    rows = query.figures(research_db, region="厦门市")
    assert [(r["surface"], r["region_original"], r["review"]) for r in rows] == [("4800万元", "福建省/泉州市", "corrected")]

    monkeypatch.setattr(records, "EXTRACTOR_VERSION", records.EXTRACTOR_VERSION + "-next")
    summary = run([tmp_path / "docs"], db=str(research_db), progress=False)
    assert summary.documents == 2  # re-extracted, not skipped as current
    after = store.open_db(research_db)
    assert {r[0] for r in after.execute("select extractor_version from documents")} == {records.EXTRACTOR_VERSION}
    assert _figure_id(research_db, "4800万元") is not None
    rows = query.figures(research_db, region="厦门市")
    assert [(r["surface"], r["region"], r["region_original"]) for r in rows] == [("4800万元", "福建省/厦门市", "福建省/泉州市")]
    assert not corrections.orphans(after)


def test_correction_whose_figure_disappears_is_kept_as_orphaned(research_db, tmp_path):
    fid = _figure_id(research_db, "4800万元")
    db = store.open_db(research_db)
    corrections.record(db, fid, "reject")
    # a new extractor that no longer finds the figure: the document's rows without it (the same file,
    # so the same hash; an edited file would be a new document beside the old one)
    with db.conn:
        db.execute("delete from figure_rows where id = ?", [fid])
    lost = corrections.orphans(db)
    assert [(r["surface"], r["action"]) for r in lost] == [("4800万元", "reject")]
    listed = _zhmine("review", "--list", "--db", str(research_db))
    assert listed.returncode == 0 and "ORPHANED" in listed.stdout and "1 orphaned" in listed.stdout


def test_rejected_figures_leave_queries_unless_asked(tmp_path):
    path = known_db(tmp_path / "k.db")
    fid = _figure_id(path, "3.5万元")
    out = _zhmine("review", fid, "--reject", "--db", str(path))
    assert out.returncode == 0, out.stderr
    assert not query.figures(path, region="桂林市")
    assert [r["review"] for r in query.figures(path, region="桂林市", rejected=True)] == ["rejected"]


def test_review_cli_corrects_value_and_year_and_refuses_bad_input(tmp_path):
    path = known_db(tmp_path / "k.db")
    fid = _figure_id(path, "8万元")
    ok = _zhmine("review", fid, "--value", "90000", "--year", "2022", "--db", str(path))
    assert ok.returncode == 0, ok.stderr
    row = query.figures(path, region="政和县", metric="保费")[0]
    assert (row["value"], row["value_original"], row["year"], row["year_original"]) == (90000, 80000, 2022, 2021)
    unknown = _zhmine("review", "nope", "--confirm", "--db", str(path))
    assert unknown.returncode == 1 and "no figure with id nope" in unknown.stderr and "Traceback" not in unknown.stderr
    nothing = _zhmine("review", fid, "--db", str(path))
    assert nothing.returncode == 2 and "--confirm, --reject" in nothing.stderr
    ambiguous = _zhmine("review", fid, "--region", "不存在县", "--db", str(path))
    assert ambiguous.returncode == 1 and "不存在县" in ambiguous.stderr


def test_corrections_export_and_import_into_another_database(tmp_path):
    first, second = known_db(tmp_path / "a.db"), known_db(tmp_path / "b.db")
    fid = _figure_id(first, "20万元")
    assert _zhmine("review", fid, "--region", "南平市", "--db", str(first)).returncode == 0
    shared = tmp_path / "corrections.csv"
    out = _zhmine("export", "--corrections", str(shared), "--db", str(first))
    assert out.returncode == 0 and "1 corrections" in out.stderr
    assert "id" not in shared.read_text(encoding="utf-8").splitlines()[0].split(",")  # keys, not row ids
    imported = _zhmine("review", "--import", str(shared), "--db", str(second))
    assert imported.returncode == 0 and "1 corrections added" in imported.stdout
    again = _zhmine("review", "--import", str(shared), "--db", str(second))
    assert "0 corrections added, 1 already present" in again.stdout
    row = [r for r in query.figures(second, region="南平市") if r["surface"] == "20万元"]
    assert row and row[0]["region_original"] == "福建省/三明市"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    refused = _zhmine("review", "--import", str(bad), "--db", str(second))
    assert refused.returncode == 1 and "not a corrections file" in refused.stderr


def test_overlay_sql_takes_the_base_relation(tmp_path):
    """The overlay reads any relation with the figures' columns (at the merge: the figures view)."""
    db = store.open_db(known_db(tmp_path / "k.db"))
    db.execute("create view other_figures as select * from figures where kind = 'money'")
    sql = corrections.overlay_sql(db, base="other_figures")
    rows = db.execute(f"select surface, value_original, review from ({sql})").fetchall()
    assert len(rows) == 6 and all(r[2] is None for r in rows)


def test_overlay_folded_into_a_figures_view(tmp_path):
    """The fold: `figures` is the overlay over the lean view (schema.figures_view_sql, renamed);
    corrections, queries and the canned queries read it, no second overlay."""
    from zhmine import reviewed, schema
    from zhmine.research import serve

    path = known_db(tmp_path / "k.db")
    db = store.open_db(path)
    with db.conn:  # figures_reviewed stays, as in a database made before the fold
        db.execute("drop view figures_reviewed")
        db.execute("drop view figures")
        db.execute(schema.figures_view_sql().replace("create view figures", "create view figures_base"))
        db.execute("create view figures_reviewed as select * from figures_base")  # stale, to be dropped
        db.execute(f"create view figures as {reviewed.overlay_sql(db, 'figures_base')}")
    # what store.ensure_schema calls last (it would also remake `figures` as schema.figures_view_sql():
    # the fold passes the overlay's SQL to schema.ensure_view)
    reviewed.ensure_table(db)
    assert "figures_reviewed" not in db.view_names()
    fid = _figure_id(path, "3.5万元")
    corrections.record(db, fid, "correct", region="三明市")
    corrections.record(db, _figure_id(path, "20万元"), "reject")
    rows = query.figures(path, region="三明市")  # 450户, the corrected 3.5万元; 20万元 rejected
    assert [(r["surface"], r["region_original"], r["review"]) for r in rows] == [
        ("450户", "福建省/三明市", None), ("3.5万元", "广西壮族自治区/桂林市", "corrected")]
    assert query.relation(db) == "figures" and query.reviewed(db)
    sql = serve.metadata(path)["databases"]["k"]["queries"]["totals_by_region_year"]["sql"]
    assert "from figures\n" in sql and "'rejected'" in sql


def test_a_figure_is_read_by_one_select_from_an_id_typed_as_text(research_db):
    db = query.connect(research_db)
    fid = _figure_id(research_db, "4800万元")  # text, as `zhmine review ID` receives it
    statements = []
    db.conn.set_trace_callback(statements.append)
    got = corrections.figure(db, fid)
    db.conn.set_trace_callback(None)
    assert str(got["id"]) == fid and got["surface"] == "4800万元" and len(got["document_sha256"]) == 64
    assert len(statements) == 1
    with pytest.raises(corrections.CorrectionError, match="no figure with id 999999999"):
        corrections.figure(db, "999999999")
