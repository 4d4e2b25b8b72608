"""zhmine serve: Datasette on the database, checked in a real browser (Debian's headless Chromium
driven by Playwright): the figures table, a facet, a canned query and the offline map page."""
import urllib.error
import urllib.parse
import urllib.request

import pytest

from zhmine.research import serve
from browser import chromium_page, zhmine_serve
from research_data import known_db


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = known_db(tmp_path_factory.mktemp("s") / "zhmine.db")
    with zhmine_serve(db) as url:
        yield url, db


@pytest.fixture(scope="module")
def page():
    with chromium_page() as tab:
        yield tab


def test_metadata_describes_tables_and_facets(tmp_path):
    meta = serve.metadata(known_db(tmp_path / "m.db"))
    tables = meta["databases"]["m"]["tables"]
    assert tables["figures"]["facets"] == tables["figures_reviewed"]["facets"] == ["province", "year", "category", "unit"]
    assert "figures_reviewed" in meta["databases"]["m"]["queries"]["totals_by_region_year"]["sql"]
    assert {"totals_by_region_year", "map_points", "search_sentences", "figures_for_words"} <= set(meta["databases"]["m"]["queries"])
    # the column descriptions are a file of the package, in Chinese and English, not 28 lines atop the table
    from zhmine.research import plugin

    assert "base unit" in plugin.labels()["value"]["description"] and plugin.labels()["region"]["zh"] == "地区"
    assert "columns" not in tables["figures_reviewed"]


def test_server_refuses_writes(server):
    url, db = server
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url + "/zhmine.json?sql=" + urllib.parse.quote("delete from figures"))
    assert refused.value.code == 400 and b"Statement must be a SELECT" in refused.value.read()
    rows = urllib.request.urlopen(url + "/zhmine.json?sql=select+count(*)+as+n+from+figures&_shape=array").read()
    assert b'"n": 9' in rows


def test_figures_table_facet_in_browser(server, page):
    url, _ = server
    page.goto(url + "/zhmine/figures")
    assert page.locator("table.rows-and-columns tbody tr").count() == 9
    # default facets are shown; apply the province facet
    facet = page.locator('.facet-info[data-column="province"] a', has_text="广西壮族自治区")
    facet.click()
    page.wait_for_url("**province=*")
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() == 1
    assert "3.5万元" in rows.first.inner_text()
    assert "桂林市" in rows.first.inner_text()


def test_canned_query_totals_in_browser(server, page):
    url, _ = server
    page.goto(url + "/zhmine/totals_by_region_year?category=insurance_premium")
    text = page.locator("table.rows-and-columns").inner_text()
    assert "政和县" in text and "80000" in text and "三明市" in text and "200000" in text


def test_map_page_draws_regions(server, page):
    url, _ = server
    page.goto(url + "/map")
    page.wait_for_selector("svg#map path.area.has-data")
    painted = page.locator("svg#map path.has-data")
    codes = {painted.nth(i).get_attribute("data-code") for i in range(painted.count())}
    assert codes == {"350000", "450000"}  # 福建, 广西
    assert page.locator("select[name=unit]").input_value() == "元"  # money first, not an arbitrary unit
    assert "76.5万元" in page.locator("#legend").inner_text()
    page.select_option("select[name=level]", "prefecture")
    page.wait_for_selector("svg#map path.has-data[data-code='350700']")
    assert "3 地市 prefectures" in page.locator("#map-status").inner_text()


def test_search_on_figures_finds_two_character_words(server):
    url, _ = server
    import json

    def rows(table, words):
        q = urllib.parse.urlencode({"_search": words, "_shape": "array", "_col": "surface"})
        return {r["surface"] for r in json.loads(urllib.request.urlopen(f"{url}/zhmine/{table}.json?{q}").read())}
    for table in ("figures", "figures_reviewed"):
        assert rows(table, "体检") == {"1500人次", "8万元"}  # two characters
        assert rows(table, "助学金") == {"3.5万元"}  # three
        assert rows(table, "保费 建阳") == {"30万元", "6万元"}  # every word


def test_canned_query_rows_link_to_figures_with_amounts(server, page):
    url, _ = server
    page.goto(url + "/zhmine/figures_for_words?words=" + urllib.parse.quote("保费"))
    links = page.locator("table.rows-and-columns a.figure-link")
    assert links.count() == 8  # the figures of the four sentences with 保费
    text = page.locator("table.rows-and-columns").inner_text()
    assert "12.5万元" in text and "125000.0" not in text
    links.first.click()
    page.wait_for_url("**/-/figure/**")
    assert page.locator("mark.zh-figure").count() == 1


def test_review_page_is_read_only_without_review(server, page):
    url, db = server
    from zhmine.research import query

    fid = query.sql(query.connect(db), "select id from figures where surface = '8万元'")[0]["id"]
    page.goto(f"{url}/-/review/zhmine/{fid}")
    assert "zhmine serve --review" in page.locator(".zh-error").inner_text()
    assert page.locator("form.zh-review-form input[type=submit]").is_disabled()
    # a form sent all the same (with its CSRF token) is refused, and nothing is written
    page.evaluate("document.querySelector('form.zh-review-form input[type=submit]').disabled = false")
    page.fill("#region", "三明市")
    with page.expect_response("**/-/review/**") as sent:
        page.click("form.zh-review-form input[type=submit]")
    assert sent.value.status == 403
    assert not query.sql(query.connect(db), "select * from corrections")
    page.goto(f"{url}/-/figure/zhmine/{fid}")
    assert page.locator("a.zh-correct").count() == 0 and f"zhmine review {fid}" in page.inner_text("body")


def test_review_only_on_this_machine(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "zhmine.cli", "serve", "--review", "--host", "0.0.0.0", "--db",
                          str(known_db(tmp_path / "r.db"))], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "127.0.0.1 only" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("word, expected", [("体检", ["政和县投入保费8万元，开展免费体检1500人次。"]),
                                            ("慰问困难家庭", ["三明市全年投入保费20万元，慰问困难家庭450户。"])])
def test_the_sentences_search_finds_words_of_two_characters_and_more(server, word, expected):
    """Datasette's search box and the search_sentences query, over the per-character index."""
    url, db = server
    name = serve.db_name(db)
    box = json_get(f"{url}/{name}/sentences.json?_shape=array&_search=" + urllib.parse.quote(word))
    canned = json_get(f"{url}/{name}/search_sentences.json?_shape=array&words=" + urllib.parse.quote(word))
    assert [r["text"] for r in box] == expected and [r["sentence"] for r in canned] == expected


def json_get(url):
    import json

    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.load(resp)


def test_canned_totals_never_add_percentages(tmp_path):
    """Two growth rates of one county and year are shown with their range, not summed; amounts are summed."""
    import sqlite3

    from research_data import pipeline_db
    from zhmine.research import plugin

    db = pipeline_db(tmp_path, {"丙县简报.txt": "丙县2024年工作简报\n\n2024年，全县发放助学金12万元，另发放慰问金8万元。\n"
                                             "农村居民收入增长6.5%，城镇居民收入增长5.2%。\n"})
    sql = serve.metadata(db)["databases"]["pipeline"]["queries"]["totals_by_region_year"]["sql"]
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    plugin.prepare_connection(con)
    rows = {r["unit"]: dict(r) for r in con.execute(sql, {"category": ""})}
    con.close()
    assert (rows["%"]["figures"], rows["%"]["total"], rows["%"]["amount"]) == (2, None, "")
    assert (rows["%"]["low"], rows["%"]["high"]) == (5.2, 6.5)
    assert (rows["元"]["figures"], rows["元"]["total"], rows["元"]["amount"]) == (2, 200000.0, "20万元")
