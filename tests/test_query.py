"""zhmine query / sql and the Python API behind them (extract/research/query.py)."""
import json
import subprocess
import sys

import pytest

from zhmine.research import query
from research_data import known_db, pipeline_db


@pytest.fixture(scope="module")
def kdb(tmp_path_factory):
    return known_db(tmp_path_factory.mktemp("q") / "known.db")


@pytest.fixture(scope="module")
def kdb_no_regions(tmp_path_factory):
    return known_db(tmp_path_factory.mktemp("q") / "known-nogaz.db", regions=False)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "zhmine.cli", *args], capture_output=True, text=True)


def test_region_by_name_includes_everything_below(kdb):
    rows = query.figures(kdb, region="南平市", unit="元")
    assert sorted(r["value"] for r in rows) == [60000, 80000, 125000, 300000]
    assert {r["prefecture"] for r in rows} == {"南平市"}


@pytest.mark.parametrize("region", ["南平", "350700", "福建省/南平市"])
def test_region_by_short_name_code_or_path(kdb, region):
    assert len(query.figures(kdb, region=region)) == 6


@pytest.mark.parametrize("region,n", [("南平市", 6), ("350700", 6), ("350725", 2), ("福建省", 8), ("35", 8)])
def test_region_without_gazetteer_uses_stored_levels_and_code_prefixes(kdb_no_regions, region, n):
    assert len(query.figures(kdb_no_regions, region=region)) == n


def test_unknown_region_is_an_error_not_an_empty_answer(kdb):
    with pytest.raises(query.QueryError, match="鼓楼区"):
        query.figures(kdb, region="鼓楼区")


def test_group_by_prefecture_and_year_sums_per_unit(kdb):
    rows = query.figures(kdb, metric="保费", group_by=["prefecture", "year"])
    got = {(r["prefecture"], r["year"], r["unit"]): (r["figures"], r["total"]) for r in rows}
    assert got == {("南平市", 2021, "元"): (2, 205000), ("南平市", 2022, "元"): (2, 360000),
                   ("三明市", 2022, "元"): (1, 200000)}


def test_group_never_adds_different_units(kdb):
    rows = query.figures(kdb, region="政和县", group_by="county")
    assert {(r["unit"], r["total"]) for r in rows} == {("元", 80000), ("人次", 1500)}


def test_filters_compose(kdb):
    assert [r["value"] for r in query.figures(kdb, year=2022, kind="money", region="南平")] == [300000, 60000]
    assert len(query.figures(kdb, year_from=2022)) == 4
    assert len(query.figures(kdb, year_to=2021)) == 5
    assert [r["surface"] for r in query.figures(kdb, category="student_aid")] == ["3.5万元"]
    # a category by its Chinese name (patterns/metrics.toml) is the category of that id
    assert query.category_id("资金投入") == "funding" and query.category_id(" 助学 ") == "education_aid"
    assert query.category_id("student_aid") == "student_aid"
    assert len(query.figures(kdb, doc="2021")) == 4
    assert [r["value"] for r in query.figures(kdb, metric="慰问 家庭")] == [450]


def test_full_text_search_on_sentences(kdb):
    # 3+ characters go through the FTS5 trigram index, shorter words through instr
    assert {r["surface"] for r in query.figures(kdb, search="免费体检")} == {"8万元", "1500人次"}
    assert {r["surface"] for r in query.figures(kdb, search="助学")} == {"3.5万元"}


def test_dataframe_matches_rows(kdb):
    df = query.figures(kdb, group_by="province", as_dataframe=True)
    assert list(df.columns[:2]) == ["province", "unit"]
    fujian_yuan = df[(df.province == "福建省") & (df.unit == "元")]
    assert fujian_yuan.total.iloc[0] == 765000


def test_sql_is_read_only(kdb):
    assert query.sql(kdb, "select count(*) as n from figures")[0]["n"] == 9
    with pytest.raises(query.QueryError, match="read-only"):
        query.sql(kdb, "delete from figures")
    assert query.sql(kdb, "select count(*) as n from figures")[0]["n"] == 9


def test_cli_query_table_csv_json(kdb):
    out = cli("query", "--db", str(kdb), "--region", "南平市", "--group-by", "county", "--unit", "元")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["province", "prefecture", "county", "unit", "per", "measure", "figures", "value", "total",
                               "mean", "min", "max"]
    assert any("政和县" in line and "80000" in line for line in lines)
    # aligned: Chinese characters count two columns, so every line has the same display width
    from wcwidth import wcswidth

    assert len({wcswidth(line) for line in lines}) == 1
    csv_out = cli("query", "--db", str(kdb), "--group-by", "year", "--unit", "元", "--format", "csv").stdout
    assert csv_out.splitlines()[0] == "year,unit,per,measure,figures,value,total,mean,min,max"
    assert "2021,元,,,3,240000.0,240000.0,80000.0,35000.0,125000.0" in csv_out.splitlines()
    span = json.loads(cli("query", "--db", str(kdb), "--from", "2021", "--to", "2021", "--doc", "闽北", "--format", "json").stdout)
    assert sorted(r["value"] for r in span) == [1500, 3200, 80000, 125000]
    rows = json.loads(cli("query", "--db", str(kdb), "--year", "2022", "--unit", "户", "--format", "json").stdout)
    assert [(r["prefecture"], r["value"], r["sentence"][:3]) for r in rows] == [("三明市", 450, "三明市")]


def test_cli_sql_and_errors(kdb, tmp_path):
    out = cli("sql", "select unit, count(*) n from figures group by unit order by n desc", "--db", str(kdb), "--format", "csv")
    assert out.stdout.splitlines()[:2] == ["unit,n", "元,6"]
    bad = cli("sql", "drop table figures", "--db", str(kdb))
    assert bad.returncode != 0 and "read-only" in bad.stderr
    missing = cli("query", "--db", str(tmp_path / "none.db"))
    assert missing.returncode != 0 and "zhmine run" in missing.stderr


def test_query_over_a_database_built_by_the_pipeline(tmp_path):
    db = pipeline_db(tmp_path)
    rows = query.figures(db, unit="元", group_by="document")
    assert {(r["document"], r["total"]) for r in rows} == {("甲县简报.txt", 125000 + 450000), ("乙市通讯.txt", 360000)}
    assert [r["value"] for r in query.figures(db, search="健康体检")] == [2300, 450000]


def test_municipality_paths_and_ambiguous_names(tmp_path):
    from zhmine import store
    from research_data import add_regions, known_results

    db = store.open_db(tmp_path / "m.db")
    items = [("京沪简报.txt", 2023, "东城区发放慰问金5万元，福州市鼓楼区发放慰问金2万元。", [
        ("5万元", 50000, "元", "money", "北京市/东城区", "110101", "发放慰问金", "family_visits"),
        ("2万元", 20000, "元", "money", "福建省/福州市/鼓楼区", "350102", "发放慰问金", "family_visits")])]
    for res in known_results(items):
        store.save(db, res)
    add_regions(db, [("110000", "北京市", "北京", "province", None, "北京市", 116.4, 39.9),
                     ("110101", "东城区", "东城", "county", "110000", "北京市/东城区", 116.42, 39.93),
                     ("350102", "鼓楼区", "鼓楼", "county", "350100", "福建省/福州市/鼓楼区", 119.30, 26.08),
                     ("320106", "鼓楼区", "鼓楼", "county", "320100", "江苏省/南京市/鼓楼区", 118.77, 32.07),
                     ("350700", "南平市", "南平", "prefecture", "350000", "福建省/南平市", 118.18, 26.64),
                     ("500119104", "南平镇", "南平", "township", "500119", "重庆市/南川区/南平镇", 107.1, 29.1)])
    # a district straight under a municipality (no prefecture level) is below it all the same
    assert [r["value"] for r in query.figures(db, region="北京")] == [50000]
    assert [r["value"] for r in query.figures(db, region="110101")] == [50000]
    # an ambiguous name means every region of that name; a path or code picks one
    assert query.resolve_region(db, "鼓楼区") == ["江苏省/南京市/鼓楼区", "福建省/福州市/鼓楼区"]
    assert [r["value"] for r in query.figures(db, region="鼓楼区")] == [20000]
    assert query.figures(db, region="江苏省/南京市/鼓楼区") == []
    # a short name means the biggest area of that name, a full name the area itself
    assert query.resolve_region(db, "南平") == ["福建省/南平市"]
    assert query.resolve_region(db, "南平镇") == ["重庆市/南川区/南平镇"]
    note = cli("query", "--db", str(tmp_path / "m.db"), "--region", "鼓楼区")
    assert "matches 2 regions" in note.stderr and "2万元" in note.stdout


def test_rates_are_not_added_to_totals_and_cumulative_filter(tmp_path):
    from zhmine import store
    from research_data import known_results

    db = store.open_db(tmp_path / "r.db")
    items = [("甲县简报.txt", 2023, "甲县共发放补助金2万元，每户补助500元，累计发放补助金9万元。", [
        ("2万元", 20000, "元", "money", "福建省/南平市/政和县", "350725", "发放补助金", "relief_subsidies"),
        ("500元", 500, "元", "money", "福建省/南平市/政和县", "350725", "补助", "relief_subsidies"),
        ("9万元", 90000, "元", "money", "福建省/南平市/政和县", "350725", "累计发放补助金", "relief_subsidies")])]
    (res,) = known_results(items)
    res.figures[1]["per"] = "户"
    res.figures[2]["cumulative"] = True
    store.save(db, res)
    rows = query.figures(db, group_by="county")
    # a rate (500 元 per 户) has no total: its value is the latest stated
    assert {(r["per"], r["figures"], r["total"], r["value"]) for r in rows} == {(None, 2, 110000, 110000),
                                                                                ("户", 1, None, 500)}
    # a year's amounts without the running total, or the running totals alone
    assert [r["value"] for r in query.figures(db, cumulative=False)] == [20000, 500]
    assert [r["value"] for r in query.figures(db, cumulative=True)] == [90000]
    assert [r["value"] for r in query.figures(db, rates=False)] == [20000, 90000]
    assert [r["value"] for r in query.figures(db, rates=True)] == [500]
    out = cli("query", "--db", str(tmp_path / "r.db"), "--not-cumulative", "--group-by", "year", "--format", "csv")
    assert out.stdout.splitlines()[1:] == ["2023,元,,,1,20000.0,20000.0,20000.0,20000.0,20000.0",
                                            "2023,元,户,,1,500.0,,500.0,500.0,500.0"]


def test_limit_says_when_it_cut(kdb):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "zhmine.cli", "query", "--db", str(kdb), *args],
                              capture_output=True, text=True, timeout=120)
    cut = run("--limit", "3")
    assert cut.returncode == 0 and len(cut.stdout.strip().splitlines()) == 2 + 3  # header, rule, 3 rows
    assert "first 3 rows shown: more match" in cut.stderr
    whole = run("--limit", "9")  # exactly all of them: nothing was cut
    assert len(whole.stdout.strip().splitlines()) == 2 + 9 and "more match" not in whole.stderr


def test_big_values_print_as_digits():
    assert "14160000000000" in query.format_rows([{"value": 1.416e13, "unit": "元"}, {"value": 3.5, "unit": "%"}])
