"""A researcher's path through `zhmine serve --review` in headless Chromium (Debian's, driven by
Playwright): search 养老, facet by province and year, open a figure, follow it to its highlighted
source, correct its region on the review page, see the correction in the table and in an export,
open the map filtered to one indicator. Each step leaves a screenshot in output/screenshots/.
The database is our own report-style text (research_data.RESEARCH_TEXT) mined by the real pipeline."""
import csv
import io
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser import chromium_page, zhmine_serve
from research_data import RESEARCH_TEXT, pipeline_db

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "output" / "screenshots"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`zhmine serve --review` on our database; stopped at the end, whatever happens."""
    db = pipeline_db(tmp_path_factory.mktemp("path"), RESEARCH_TEXT)
    with zhmine_serve(db, "--review") as url:
        yield url, db


@pytest.fixture(scope="module")
def page():
    with chromium_page() as tab:
        yield tab


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def rows(page):
    return page.locator("table.rows-and-columns tbody tr")


def the_row(page, surface):
    """The row of the figure written `surface` (its sentence may hold other figures' words)."""
    return rows(page).filter(has=page.locator("td.col-surface", has_text=re.compile(f"^\\s*{surface}\\s*$")))


def test_researchers_path(served, page):
    url, db = served
    # 1. search a two-character word from the front page's figures
    page.goto(url + "/-/figures")
    page.fill("#zh-search", "养老")
    page.click("form.zh-search input[type=submit]")
    page.wait_for_url("**_search=*")
    assert rows(page).count() == 6  # the figures of the three sentences with 养老
    page.wait_for_selector("th .zh-label")  # the Chinese labels (labels.js)
    headers = page.locator("table.rows-and-columns th").all_inner_texts()
    assert any("地区" in h and "region" in h for h in headers) and not any("document_id" in h for h in headers)
    assert "35亿元" in page.locator("table.rows-and-columns").inner_text()  # not 3500000000.0
    shot(page, "01-search.png")

    # 2. facet by province, then by year
    page.locator('.facet-info[data-column="province"] a', has_text="福建省").click()
    page.wait_for_url("**province=*")
    page.locator('.facet-info[data-column="year"] a', has_text="2023").click()
    page.wait_for_url("**year=2023*")
    assert rows(page).count() == 4
    assert all("福建" in t for t in rows(page).all_inner_texts())
    shot(page, "02-facets.png")

    # 3. open a figure
    the_row(page, "4800万元").locator("a.figure-link").click()
    page.wait_for_url("**/-/figure/**")
    assert page.locator("mark.zh-figure").inner_text() == "4800万元"
    assert "泉州市" in page.locator("table.zh-fields").inner_text()
    shot(page, "03-figure.png")
    figure_url = page.url

    # 4. follow it to its source, highlighted
    page.click("a.zh-source")
    page.wait_for_url("**/-/show/**")
    target = page.locator("mark.entity:target")
    target.wait_for()
    assert "4800万元" in target.inner_text()
    shot(page, "04-source.png")

    # 5. correct its region on the review page
    page.goto(figure_url)
    page.click("a.zh-correct")
    page.fill("#region", "福建省/厦门市")
    page.fill("#note", "补贴由厦门市发放")
    shot(page, "05-review.png")
    page.click("form.zh-review-form input[type=submit]")
    page.wait_for_url("**saved=1")
    assert page.locator(".zh-saved").is_visible()
    fields = page.locator("table.zh-fields").inner_text()
    assert "福建省/厦门市" in fields and "福建省/泉州市" in page.locator("table.zh-fields s").all_inner_texts()
    shot(page, "06-corrected.png")

    # 6. the correction in the table
    page.goto(url + "/-/figures")
    page.fill("#zh-search", "养老")
    page.click("form.zh-search input[type=submit]")
    page.locator('.facet-info[data-column="province"] a', has_text="福建省").click()
    page.wait_for_url("**province=*")
    corrected = the_row(page, "4800万元")
    assert "福建省/厦门市" in corrected.locator("b.corrected").inner_text()
    assert "福建省/泉州市" in corrected.locator("s").first.inner_text()
    corrected.scroll_into_view_if_needed()
    shot(page, "07-table-corrected.png")

    # 7. ... and in an export (the CLI's CSV and Datasette's own CSV)
    out = subprocess.run([sys.executable, "-m", "zhmine.cli", "export", "--db", str(db), "--region", "厦门市"],
                         capture_output=True, text=True, timeout=60)
    exported = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["surface"], r["region"], r["region_original"], r["review"]) for r in exported] == [
        ("4800万元", "福建省/厦门市", "福建省/泉州市", "corrected")]
    name = Path(db).stem
    data = urllib.request.urlopen(f"{url}/{name}/figures_reviewed.csv?prefecture=厦门市".replace("厦门市", "%E5%8E%A6%E9%97%A8%E5%B8%82"),
                                  timeout=10).read().decode("utf-8")
    assert "4800万元" in data and "福建省/泉州市" in data

    # 8. the map filtered to one indicator
    page.goto(url + "/map?indicator=gdp")
    page.wait_for_selector("#map path.area.has-data")
    painted = {page.locator("#map path.has-data").nth(i).get_attribute("data-code")
               for i in range(page.locator("#map path.has-data").count())}
    assert painted == {"440000", "350000"}
    labels = page.locator("#map text.area-label").evaluate_all("els => els.map(e => e.textContent)")
    assert "14.16万亿元" in labels and "5.44万亿元" in labels
    assert page.locator("select[name=indicator]").input_value() == "gdp"
    assert "万亿元" in page.locator("#legend").inner_text()
    assert page.locator("#map path.area").count() >= 30  # every province outlined, not circles on a blank canvas
    shot(page, "08-map.png")


def test_review_post_needs_the_csrf_token(served):
    url, db = served
    from zhmine.research import query

    fid = query.sql(query.connect(db), "select id from figures limit 1")[0]["id"]
    # a browser's request (it carries cookies) without the page's token, as a forged form would
    request = urllib.request.Request(f"{url}/-/review/{Path(db).stem}/{fid}", data=b"action=reject", method="POST",
                                     headers={"Cookie": "ds_csrftoken=forged",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert not query.sql(query.connect(db), "select * from corrections where action = 'reject'")
