"""The store: one transaction per document, versions, error history, the regions table."""
import sqlite3
import sys
import types

import pytest

import zhmine.places
import old_schema
from zhmine import records, schema, store
from zhmine.records import DocumentResult


def result(sha="a" * 64, path="docs/r1.txt", figures=1) -> DocumentResult:
    """A DocumentResult as the pipeline would make it for a one-sentence report."""
    text = "2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。"
    r = DocumentResult(path=path, name=path.rsplit("/", 1)[-1], sha256=sha, encoding="utf-8", kind="txt", pages=0,
                       text=text, doc_date="2024-01-10", doc_date_source="text", default_region="福建省/南平市")
    r.articles.append({"n": 0, "start": 0, "end": len(text), "title": None, "region": None, "page": None})
    r.sentences.append({"n": 0, "article": 0, "start": 0, "end": len(text), "text": text, "page": None})
    for i in range(figures):
        r.figures.append({"article": 0, "sentence": 0, "start": 15, "end": 24, "surface": "185.41万元", "page": None,
                          "value": 1854100.0, "value_max": None, "unit": "元", "kind": "money", "approx": None,
                          "per": None, "optional": False, "region": "福建省/南平市/浦城县", "region_code": None,
                          "year": 2023, "metric": "投入帮扶资金", "category": None, "cumulative": False,
                          "sentence_text": text})
    r.dates.append({"article": 0, "sentence": 0, "start": 0, "end": 5, "surface": "2023年", "page": None,
                    "value": "2023", "relative": False})
    return r


class FakeGazetteer:
    def __init__(self, rows):
        self._rows = rows

    def rows(self):
        return iter(self._rows)

    def by_path(self, path):
        for r in self._rows:
            if r["path"] == path:
                return types.SimpleNamespace(code=r["code"])
        return None


REGIONS = [
    {"code": "350000", "name": "福建省", "short_name": "福建", "level": "province", "parent_code": None,
     "path": "福建省", "province": "福建省", "prefecture": None, "county": None, "township": None, "lng": 119.3, "lat": 26.1},
    {"code": "350722", "name": "浦城县", "short_name": "浦城", "level": "county", "parent_code": "350700",
     "path": "福建省/南平市/浦城县", "province": "福建省", "prefecture": "南平市", "county": "浦城县", "township": None,
     "lng": 118.5, "lat": 27.9},
]


@pytest.fixture
def gazetteer(monkeypatch):
    """A small stand-in for zhmine.places.gazetteer, whatever the real one holds."""
    fake = FakeGazetteer([dict(r) for r in REGIONS])
    module = types.ModuleType("zhmine.places.gazetteer")
    module.get = lambda: fake
    monkeypatch.setitem(sys.modules, "zhmine.places.gazetteer", module)
    monkeypatch.setattr(zhmine.places, "gazetteer", module, raising=False)
    return fake


def count(db, table):
    return db.execute(f"select count(*) from [{table}]").fetchone()[0]


def test_saving_twice_replaces_rather_than_duplicates(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    store.save(db, result(figures=2))
    store.save(db, result(figures=3))
    assert count(db, "documents") == 1 and count(db, "figures") == 3 and count(db, "dates") == 1
    store.index_sentences(db)
    assert fts_exact(db)


def test_is_current_depends_on_content_and_extractor_version(tmp_path, monkeypatch):
    db = store.open_db(tmp_path / "z.db")
    store.save(db, result())
    assert store.is_current(db, "a" * 64) and not store.is_current(db, "b" * 64)
    monkeypatch.setattr(records, "EXTRACTOR_VERSION", records.EXTRACTOR_VERSION + "-next")
    assert not store.is_current(db, "a" * 64)


def test_a_failed_save_leaves_nothing_behind(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    store.save(db, result(figures=2))
    broken = result(figures=1)
    broken.dates.append({"article": 0})  # missing keys: fails half-way through the save
    with pytest.raises(KeyError):
        store.save(db, broken)
    # the earlier version of the document is intact, not half-replaced
    assert count(db, "figures") == 2 and count(db, "dates") == 1 and count(db, "sentences") == 1


def test_errors_keep_history_but_only_the_latest_counts(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    run1 = store.begin_run(db, "zhmine run docs")
    store.record_error(db, "docs/r1.txt", "took too long", run_id=run1)
    store.record_error(db, "docs/r2.txt", "empty file", run_id=run1)
    store.finish_run(db, run1, 0, 0, 2)
    run2 = store.begin_run(db, "zhmine run docs")
    store.record_error(db, "docs/r2.txt", "empty file", run_id=run2)  # still broken
    store.save(db, result(path="docs/r1.txt"), run_id=run2)  # fixed
    store.finish_run(db, run2, 1, 0, 1)
    current = store.current_errors(db)
    assert [(e["path"], e["run_id"]) for e in current] == [("docs/r2.txt", run2)]
    assert count(db, "errors") == 3
    assert [r["status"] for r in db["runs"].rows] == ["failed", "failed"]


def test_old_databases_gain_the_new_error_columns(tmp_path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.execute("create table documents (id text primary key, extractor_version text)")
    con.execute("create table figures (id text primary key, region text)")
    con.execute("create table errors (id integer primary key, path text, sha256 text, reason text, at text)")
    con.execute("insert into errors (path, reason) values ('x.txt', 'empty file')")
    con.commit()
    con.close()
    db = store.open_db(path)
    assert {"run_id", "resolved"} <= set(db["errors"].columns_dict)
    assert [e["path"] for e in store.current_errors(db)] == ["x.txt"]
    # and the columns of how a region was decided and of the metadata a user gives
    assert {"region_source", "title", "source", "issuer"} <= set(db["documents"].columns_dict)
    assert "region_source" in columns(db, "figures")


def test_regions_are_stored_once_and_again_when_they_change(tmp_path, gazetteer):
    db = store.open_db(tmp_path / "z.db")
    assert store.sync_regions(db) is True
    assert store.sync_regions(db) is False
    assert db["regions"].get("350722")["path"] == "福建省/南平市/浦城县"
    gazetteer._rows.append({**REGIONS[1], "code": "350723", "name": "光泽县", "path": "福建省/南平市/光泽县"})
    assert store.sync_regions(db) is True
    assert count(db, "regions") == 3


def test_figures_get_a_region_code_from_their_path(tmp_path, gazetteer):
    db = store.open_db(tmp_path / "z.db")
    r = result()
    r.figures.append({**r.figures[0], "region": "福建省", "region_code": "35"})  # a code the span set wins
    store.save(db, r)
    codes = [f["region_code"] for f in db.query("select region_code from figures order by id")]
    assert codes == ["350722", "35"]
    row = next(db.query("select province, prefecture, county from figures where region_code = '350722'"))
    assert row == {"province": "福建省", "prefecture": "南平市", "county": "浦城县"}


def test_the_store_works_without_a_gazetteer(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "zhmine.places.gazetteer", None)  # import fails as before the module existed
    monkeypatch.delattr(zhmine.places, "gazetteer", raising=False)
    db = store.open_db(tmp_path / "z.db")
    assert store.sync_regions(db) is False
    store.save(db, result())
    assert [f["region_code"] for f in db.query("select region_code from figures")] == [None]


def test_region_columns_follow_the_gazetteer_levels(tmp_path):
    """A municipality's district is a county (no prefecture); a township the gazetteer lacks sits below
    the deepest known part."""
    db = store.open_db(tmp_path / "z.db")
    r = result()
    r.figures[0]["region"] = "北京市/东城区"
    second = dict(r.figures[0], region="浙江省/湖州市/安吉县/某某新镇", start=30)
    r.figures.append(second)
    store.save(db, r)
    rows = {row["region"]: row for row in db.query("select * from figures")}
    assert [rows["北京市/东城区"][k] for k in store.REGION_PARTS] == ["北京市", None, "东城区", None]
    assert [rows["浙江省/湖州市/安吉县/某某新镇"][k] for k in store.REGION_PARTS] == ["浙江省", "湖州市", "安吉县", "某某新镇"]


def test_a_current_regions_table_is_seen_without_loading_the_gazetteer(tmp_path, monkeypatch):
    from zhmine.places import gazetteer as real

    db = store.open_db(tmp_path / "z.db")
    assert store.sync_regions(db) is True
    assert db["regions"].count > 40000

    def no_load():
        raise AssertionError("the gazetteer was loaded although the regions table is current")

    monkeypatch.setattr(real, "get", no_load)
    assert store.sync_regions(db) is False


# ------------------------------------------------------------------ the full-text index, filled in bulk
def fts_exact(db):
    """sentences_fts holds exactly the sentences table: each character is indexed for the sentences
    that hold it, no more and no fewer (fts5vocab reads the index; FTS5 raises on a damaged one)."""
    from collections import Counter

    db.execute("insert into sentences_fts (sentences_fts, rank) values ('integrity-check', 1)")
    return indexed_chars(db) == Counter(ch.lower() for (text,) in db.execute("select text from sentences")
                                        for ch in set(text) if ch.isalnum())


def indexed_chars(db):
    from collections import Counter

    db.execute("create virtual table if not exists temp.fts_chars using fts5vocab(main, 'sentences_fts', 'row')")
    return Counter(dict(db.execute("select term, doc from temp.fts_chars").fetchall()))


def found(db, words="帮扶资金"):
    from zhmine.research import query

    return sorted({f["document"] for f in query.figures(db, search=words)})


def test_each_save_indexes_its_sentences_in_its_own_transaction(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    store.save(db, result(sha="a" * 64))
    assert fts_exact(db) and found(db) == ["r1.txt"]
    store.save_many(db, [result(sha="b" * 64, path="docs/r2.txt"), result(sha="c" * 64, path="docs/r3.txt")])
    assert fts_exact(db) and found(db) == ["r1.txt", "r2.txt", "r3.txt"] and found(db, "帮扶资金 XYZ") == []
    assert schema.indexed_upto(db.conn) == db.execute("select max(id) from sentences").fetchone()[0]


def test_a_document_refused_leaves_nothing_in_the_index(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    bad = result(sha="b" * 64, path="docs/bad.txt")
    bad.figures[0]["value"] = "not a number"  # float() refuses it: the document is rolled back alone
    failed = store.save_many(db, [result(), bad])
    assert [r.name for r, _ in failed] == ["bad.txt"]
    assert fts_exact(db) and found(db) == ["r1.txt"]


@pytest.mark.parametrize("word", ["帮扶", "帮扶资金", "4592户", "困难家庭"])
def test_search_finds_words_of_two_characters_and_more(tmp_path, word):
    db = store.open_db(tmp_path / "z.db")
    store.save(db, result())
    other = result(sha="b" * 64, path="docs/other.txt")
    other.sentences[0]["text"] = "全县共投入资金185.41万元，家庭困难的帮助4592人。"  # the characters, not the words
    store.save(db, other)
    store.index_sentences(db)
    assert found(db, word) == ["r1.txt"]
    assert found(db, "资金") == ["other.txt", "r1.txt"]


def test_re_extraction_keeps_the_index_exact(tmp_path):
    """A document stored again keeps its ids: its old sentences leave the index and its new ones
    enter it in the same transaction."""
    db = store.open_db(tmp_path / "z.db")
    for sha in "abc":
        store.save(db, result(sha=sha * 64, path=f"docs/{sha}.txt"))
    ids = db.execute("select id from sentences order by id").fetchall()
    changed = result(sha="c" * 64, path="docs/c.txt")
    changed.sentences[0]["text"] = "另一个句子：帮扶资金"
    store.save(db, changed)  # the last document
    assert fts_exact(db)
    store.save(db, result(sha="d" * 64, path="docs/d.txt"))  # a new one
    store.save(db, result(sha="d" * 64, path="docs/d.txt"))  # again
    store.save(db, result(sha="a" * 64, path="docs/a.txt"))  # a document in the middle
    assert db.execute("select id from sentences order by id").fetchall()[:3] == ids
    assert fts_exact(db) and found(db) == ["a.txt", "b.txt", "c.txt", "d.txt"]


def unindex_all(db):
    """The database as an older zhmine left it after a run killed before its last index batch: the
    sentences are stored, the index and its mark do not count them."""
    for (i, text) in db.execute("select id, text from sentences").fetchall():
        db.execute("insert into sentences_fts (sentences_fts, rowid, text) values ('delete', ?, ?)",
                   [i, schema.fts_text(text)])
    db.execute("update meta set value = '0' where key = ?", [store.FTS_ROWID])
    db.conn.commit()


def test_sentences_an_older_run_left_unindexed_are_found_and_caught_up(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    store.save(db, result())
    unindex_all(db)
    assert not indexed_chars(db)
    assert found(db) == ["r1.txt"]  # read directly past the mark
    store.save(db, result(sha="b" * 64, path="docs/r2.txt"))  # the next save indexes them first
    assert fts_exact(db) and found(db) == ["r1.txt", "r2.txt"]


def test_index_sentences_catches_up_alone(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    store.save(db, result())
    unindex_all(db)
    assert store.index_sentences(db) == 1 and fts_exact(db)
    assert store.index_sentences(db) == 0


# ------------------------------------------------------------------ the schema: keys, the view, indexes
def columns(db, name):
    return [r[1] for r in db.execute(f"pragma table_info([{name}])")]


def old_figure_columns():
    """The columns of figures as the old CREATE TABLE made them."""
    con = sqlite3.connect(":memory:")
    con.execute(next(s for s in old_schema.SCHEMA if s.startswith('CREATE TABLE "figures"')))
    return columns(con, "figures")


def test_the_figures_view_has_every_column_of_the_old_table_in_its_order(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    assert db.execute("select type from sqlite_master where name = 'figures'").fetchone()[0] == "view"
    assert columns(db, "figures") == old_figure_columns()
    assert "sentence" not in columns(db, "figure_rows") and "document" not in columns(db, "figure_rows")


def test_the_view_reads_what_the_table_held(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    r = result(figures=1)
    table_cell = dict(r.figures[0], article=None, sentence=None, sentence_text="表1 农村低保 资金")
    r.figures.append(table_cell)
    r.articles[0]["title"] = "一、帮扶"
    store.save(db, r)
    rows = list(db.query("select * from figures order by id"))
    assert [(f["document"], f["article_title"], f["sentence"]) for f in rows] == [
        ("r1.txt", "一、帮扶", r.sentences[0]["text"]), ("r1.txt", None, "表1 农村低保 资金")]
    doc = db.execute("select id from documents where sha256 = ?", ["a" * 64]).fetchone()[0]
    assert isinstance(doc, int) and rows[0]["document_id"] == doc and rows[1]["id"] == rows[0]["id"] + 1


def test_an_old_database_is_migrated_with_every_row(tmp_path):
    path = tmp_path / "old.db"
    old_schema.make(path)
    con = sqlite3.connect(path)
    before = con.execute("select * from figures order by id").fetchall()
    counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("documents", "sentences", "dates", "places")}
    con.close()
    db = store.open_db(path)
    after = db.execute("select * from figures order by id").fetchall()
    assert columns(db, "figures") == old_figure_columns()
    ids = ("id", "document_id", "article_id", "sentence_id")
    keep = [i for i, c in enumerate(old_figure_columns()) if c not in ids]
    assert [[r[i] for i in keep] for r in after] == [[r[i] for i in keep] for r in before]
    assert [r[3] is None for r in after] == [r[3] is None for r in before]  # the figure outside any sentence
    assert {t: count(db, t) for t in counts} == counts
    assert fts_exact(db) and found(db, "帮扶") == ["r1.txt", "r2.txt"]
    assert not schema.missing_indexes(db.conn)
    store.save(db, result(sha="c" * 64, path="docs/r3.txt"))  # and it is written to as a new one
    assert found(db, "帮扶") == ["r1.txt", "r2.txt", "r3.txt"] and store.is_current(db, "a" * 64) is False


def test_a_migration_that_fails_leaves_the_old_database(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    old_schema.make(path)

    def broken(conn):
        conn.execute("alter table documents rename to old_documents")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(schema, "migrate", broken)
    with pytest.raises(store.StoreError, match="full"):
        store.open_db(path)
    con = sqlite3.connect(path)
    assert con.execute("select count(*) from figures").fetchone()[0] == 3
    assert con.execute("select type from sqlite_master where name = 'documents'").fetchone()[0] == "table"


def test_indexes_are_made_at_the_end_of_a_run_or_by_the_next_open(tmp_path):
    db = store.open_db(tmp_path / "z.db")
    run = store.begin_run(db)
    store.save(db, result())
    assert set(schema.missing_indexes(db.conn)) >= {"idx_figure_rows_region", "idx_figure_rows_year"}
    store.finish_run(db, run, 1, 0, 0)
    assert schema.missing_indexes(db.conn) == []
    killed = store.open_db(tmp_path / "killed.db")
    store.begin_run(killed)
    store.save(killed, result())
    killed.conn.close()  # no finish_run: the process died
    assert schema.missing_indexes(store.open_db(tmp_path / "killed.db").conn) == []
    while_running = store.open_db(tmp_path / "new.db")
    store.save(while_running, result())
    assert schema.missing_indexes(store.open_db(tmp_path / "new.db", indexes=False).conn)


def test_a_group_keeps_each_document_whole(tmp_path):
    """save_many: a document whose data SQLite refuses is rolled back alone; the others are stored."""
    db = store.open_db(tmp_path / "z.db")
    good, bad, last = result(sha="a" * 64), result(sha="b" * 64, path="docs/bad.txt"), result(sha="c" * 64, path="docs/c.txt")
    bad.dates.append({"article": 0, "sentence": 0, "start": 1, "end": 2, "surface": object(), "page": None,
                      "value": "2023", "relative": False})  # a value SQLite cannot take, after its figures
    failed = store.save_many(db, [good, bad, last])
    assert [r.sha256 for r, _ in failed] == ["b" * 64]
    assert [r[0] for r in db.execute("select name from documents order by id")] == ["r1.txt", "c.txt"]
    assert count(db, "figures") == 2 and count(db, "sentences") == 2 and count(db, "dates") == 2


def test_regions_rows_come_from_the_data_file_as_the_gazetteer_gives_them():
    from zhmine.places import gazetteer

    assert store._region_rows() == list(gazetteer.get().rows())
    assert tuple(next(gazetteer.get().rows())) == tuple(store.REGION_COLUMNS)



def test_zhmine_query_brings_an_old_database_up_to_date(tmp_path):
    from click.testing import CliRunner

    from zhmine import cli

    path = tmp_path / "old.db"
    old_schema.make(path)
    out = CliRunner().invoke(cli.main, ["query", "--db", str(path), "--search", "帮扶", "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert [line.split(",")[0] for line in out.output.splitlines()[1:]] == ["r1.txt", "r2.txt"]
    con = sqlite3.connect(path)
    assert not schema.is_old(con) and not schema.missing_indexes(con)


def test_a_database_with_the_earlier_unicode61_index_is_kept_exact(tmp_path):
    """zhmine before the ascii tokenizer made sentences_fts with unicode61: a re-stored document's
    old entries leave it and new ones enter it with the same tokens."""
    db = store.open_db(tmp_path / "z.db")
    db.execute("drop table sentences_fts")
    db.execute("create virtual table sentences_fts using fts5(text, content='', tokenize='unicode61', "
               "detail=none, columnsize=0)")
    db.execute("update meta set value = '0' where key = ?", [store.FTS_ROWID])
    db.conn.commit()
    store.save(db, result())
    changed = result()
    changed.sentences[0]["text"] = "另一个句子：帮扶资金，Ｂｉｇ ABC"
    store.save(db, changed)  # the old sentence out, the new one in
    assert "unicode61" in db.execute("select sql from sqlite_master where name = 'sentences_fts'").fetchone()[0]
    assert fts_exact(db) and found(db, "帮扶资金") == ["r1.txt"] and found(db, "另一个") == ["r1.txt"]


@pytest.mark.parametrize("shard", [b"", b"not a database" * 100, "another layout"])
def test_a_document_whose_rows_cannot_be_read_back_fails_alone(tmp_path, shard):
    """A shard that is not one (damaged on its way from a worker) or was made by another zhmine version
    fails its document; the others of the transaction are stored."""
    from zhmine import rows

    bad = result(sha="b" * 64, path="docs/bad.txt")
    made = rows.make(bad)
    if shard == "another layout":
        con = sqlite3.connect(":memory:")
        con.deserialize(made.shard)
        con.execute("pragma user_version = 1")
        shard = con.serialize()
    bad.rows = rows.Rows(shard, made.counts)
    db = store.open_db(tmp_path / "z.db")
    failed = store.save_many(db, [result(), bad, result(sha="c" * 64, path="docs/r3.txt")])
    assert [(r.name, type(e)) for r, e in failed] == [("bad.txt", ValueError)]
    assert "another version" in str(failed[0][1]) if shard.startswith(b"SQLite") else "read back" in str(failed[0][1])
    assert sorted(r[0] for r in db.execute("select name from documents")) == ["r1.txt", "r3.txt"]
    assert fts_exact(db)
