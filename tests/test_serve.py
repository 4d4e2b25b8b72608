"""zhmine serve: Datasette on the database, checked in a real browser (Debian's headless Chromium
driven by Playwright): the figures table, a facet, a canned query and the offline map page."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from zhmine.research import serve
from research_data import known_db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = known_db(tmp_path_factory.mktemp("s") / "zhmine.db")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "zhmine.cli", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"zhmine serve exited: {proc.stdout.read()}")
                time.sleep(0.2)
        else:
            pytest.fail("zhmine serve did not answer within 20 s")
        yield url, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def page():
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (run scripts/system-deps.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser.new_page()
        browser.close()


def test_metadata_describes_tables_and_facets(tmp_path):
    meta = serve.metadata(known_db(tmp_path / "m.db"))
    figures = meta["databases"]["m"]["tables"]["figures"]
    assert figures["facets"] == ["province", "year", "category", "unit"]
    assert "base unit" in figures["columns"]["value"]
    assert {"totals_by_region_year", "map_points", "search_sentences"} <= set(meta["databases"]["m"]["queries"])


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
    page.wait_for_selector("svg#map circle.region")
    circles = page.locator("svg#map circle.region")
    paths = {circles.nth(i).get_attribute("data-path") for i in range(circles.count())}
    assert {"福建省/南平市", "福建省/三明市", "广西壮族自治区/桂林市"} <= paths
    assert "regions, unit 元" in page.locator("#status").inner_text()


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
