"""The pages zhmine adds to Datasette (research/plugin.py registers them):

/-/figures                 the figures (with corrections) of the first database
/-/figure/DB/ID            one figure: its values (corrected and original), its paragraph highlighted
/-/show/DB/DOCUMENT_ID     the document as `zhmine show` draws it, rebuilt from the database, the figure marked
/-/review/DB/ID            confirm, reject or correct the figure (POST only with `zhmine serve --review`)
/map                       province and prefecture choropleths; /-/map-data/DB.json and /-/geo/LEVEL.json feed it
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from datasette.utils.asgi import Response

from . import amounts
from .query import REVIEWED as FIGURES

HERE = Path(__file__).parent / "datasette"  # templates, labels, static files
CONTEXT = 3  # sentences before and after a figure's on its page


async def columns_of(datasette, database: str, table: str) -> list[str]:
    try:
        return await datasette.get_database(database).table_columns(table)
    except KeyError:
        return []


async def view_names(datasette, database: str) -> list[str]:
    try:
        return await datasette.get_database(database).view_names()
    except KeyError:
        return []


def _db(datasette, request):
    name = request.url_vars.get("db") or next(iter(datasette.databases.keys() - {"_internal"}), None)
    try:
        return name, datasette.get_database(name)
    except KeyError:
        return name, None


@lru_cache(maxsize=1)
def labels() -> dict:
    return json.loads((HERE / "labels.json").read_text(encoding="utf-8"))


async def _relation(db) -> str:
    """query.relation for Datasette's async database."""
    return FIGURES if FIGURES in await db.view_names() else "figures"


async def figures_home(request, datasette):
    name, db = _db(datasette, request)
    rel = await _relation(db)
    return Response.redirect(f"/{name}/{rel}")


async def _figure(db, rel: str, fid) -> dict | None:
    ids = [fid] + ([int(fid)] if str(fid).isdigit() else [])  # as given, and as the integer it spells
    rows = (await db.execute(f"select * from [{rel}] where id in ({', '.join('?' * len(ids))}) limit 1", ids)).rows
    return dict(rows[0]) if rows else None


async def figure_page(request, datasette):
    name, db = _db(datasette, request)
    rel = await _relation(db) if db else None
    fig = await _figure(db, rel, request.url_vars["id"]) if db else None
    if fig is None:
        return Response.html(f"<p>No figure {request.url_vars['id']} in {name}.</p>", status=404)
    sentences = [dict(r) for r in (await db.execute(
        "select id, n, start, [end], text from sentences where article_id = ? order by n", [fig["article_id"]])).rows]
    at = next((i for i, s in enumerate(sentences) if s["id"] == fig["sentence_id"]), None)
    paragraph = []
    for i, s in enumerate(sentences[max(0, (at or 0) - CONTEXT): (at or 0) + CONTEXT + 1] if at is not None else []):
        s["this"] = s["id"] == fig["sentence_id"]
        if s["this"] and fig.get("start") is not None:
            a, b = fig["start"] - s["start"], fig["end"] - s["start"]
            s["before"], s["mark"], s["after"] = s["text"][:a], s["text"][a:b], s["text"][b:]
        paragraph.append(s)
    review = bool((datasette.plugin_config("zhmine") or {}).get("review"))
    doc = dict((await db.execute("select name, doc_date, default_region, region_source from documents where id = ?",
                                 [fig["document_id"]])).rows[0])
    return Response.html(await datasette.render_template("zhmine_figure.html", {
        "database": name, "fig": fig, "doc": doc, "paragraph": paragraph, "labels": labels(), "review": review,
        "amount": amounts.human(fig["value"], fig["unit"], fig.get("per")),
        "amount_original": amounts.human(fig.get("value_original"), fig["unit"], fig.get("per"))
        if fig.get("value_original") not in (None, fig["value"]) else None,
        "saved": request.args.get("saved"), "relation": rel,
    }, request=request))


async def show_page(request, datasette):
    """`zhmine show`'s page of a document, rebuilt from what the database holds (its sentences at their
    offsets, its figures, dates and places), the figure of ?at=START outlined and scrolled to."""
    from . import show

    name, db = _db(datasette, request)
    doc_id = request.url_vars["doc"]
    docs = (await db.execute("select * from documents where id = ?", [doc_id])).rows
    if not docs:
        return Response.html(f"<p>No document {doc_id} in {name}.</p>", status=404)
    doc = dict(docs[0])
    sents = (await db.execute("select start, [end], text, article_id from sentences where document_id = ? "
                              "order by start", [doc_id])).rows
    size = max([doc.get("chars") or 0] + [s["end"] for s in sents])
    chars, last_article = [" "] * size, None
    for s in sents:
        chars[s["start"]:s["end"]] = list(s["text"])[: s["end"] - s["start"]]
        if last_article is not None and s["article_id"] != last_article and s["start"] > 0:
            chars[s["start"] - 1] = "\n"  # articles on lines of their own
        last_article = s["article_id"]
    rel = await _relation(db)
    figures = [dict(r) for r in (await db.execute(f"select * from [{rel}] where document_id = ?", [doc_id])).rows]
    for f in figures:
        f["optional"] = bool(f.get("optional"))
    dates = [dict(r) for r in (await db.execute("select * from dates where document_id = ?", [doc_id])).rows]
    places = [dict(r) for r in (await db.execute("select * from places where document_id = ?", [doc_id])).rows]
    result = SimpleNamespace(name=doc["name"], text="".join(chars), figures=figures, dates=dates, places=places,
                             doc_date=doc.get("doc_date"), default_region=doc.get("default_region"))
    page = show.render_html(result)
    at = request.args.get("at")
    style = ("<style>mark.entity:target{outline:4px solid #c0392b;outline-offset:2px;box-shadow:0 0 0 8px "
             "rgba(192,57,43,.25)} .zh-back{position:sticky;top:0;background:#fff;padding:.4em 0;"
             "border-bottom:1px solid #ddd}</style>")
    back = (f"<p class='zh-back'><a href='/-/figure/{name}/{request.args.get('figure', '')}'>← 返回数字 back to the "
            f"figure</a> · <a href='/{name}/{rel}'>数字表 figures</a></p>") if request.args.get("figure") else ""
    page = page.replace("</head>", style + "</head>").replace("<body", "<body data-at='%s'" % (at or ""), 1)
    page = page.replace("<h2>", back + "<h2>", 1)
    if at:  # the anchor is set by show.spans (id="at-START"); the browser scrolls to it
        page = page.replace("</body>", f"<script>location.hash = 'at-{int(at)}';</script></body>")
    return Response.html(page)


async def review_page(request, datasette):
    from . import corrections

    name, db = _db(datasette, request)
    enabled = bool((datasette.plugin_config("zhmine") or {}).get("review"))
    fid = request.url_vars["id"]
    error = None
    if request.method == "POST":
        if not enabled:
            return Response.html("<p>Reviews are written only with <code>zhmine serve --review</code>.</p>", status=403)
        form = await request.post_vars()
        action = form.get("action") or "correct"

        def write(conn):
            import sqlite_utils

            return corrections.record(sqlite_utils.Database(conn), fid, action, value=form.get("value"),
                                      region=form.get("region"), year=form.get("year"), metric=form.get("metric"),
                                      note=form.get("note"), author="review page")
        try:
            await db.execute_write_fn(write, block=True)
            return Response.redirect(f"/-/figure/{name}/{fid}?saved=1")
        except corrections.CorrectionError as e:
            error = str(e)
    fig = await _figure(db, await _relation(db), fid)
    if fig is None:
        return Response.html(f"<p>No figure {fid} in {name}.</p>", status=404)
    return Response.html(await datasette.render_template("zhmine_review.html", {
        "database": name, "fig": fig, "enabled": enabled, "error": error,
        "amount": amounts.human(fig["value"], fig["unit"], fig.get("per"))}, request=request))


async def map_page(request, datasette):
    name, _ = _db(datasette, request)
    return Response.html(await datasette.render_template("zhmine_map.html", {"database": name}, request=request))


MAP_FILTERS = ("year", "indicator", "category", "status", "metric")


async def map_data(request, datasette):
    from . import geo, query

    name, db = _db(datasette, request)
    level = request.args.get("level") or "province"
    filters = {k: request.args.get(k) or None for k in MAP_FILTERS}
    if filters["year"]:
        filters["year"] = int(filters["year"])

    def compute(conn):
        import sqlite_utils

        sdb = sqlite_utils.Database(conn)
        rows = geo.totals(sdb, level, **filters)
        # the choices from the extracted figures (their indexes answer at once), not the corrected view
        options = {col: [r[0] for r in conn.execute(f"select distinct [{col}] from figures where [{col}] is not null "
                                                     f"order by 1")] for col in ("year", "indicator", "category", "unit")}
        return rows, options
    try:
        rows, options = await db.execute_fn(compute)
    except query.QueryError as e:
        return Response.json({"error": str(e)}, status=400)
    names = {a["code"]: a["name"] for a in geo.areas(level)}
    for r in rows:
        r["name"] = names.get(r["code"])
        r["display"] = amounts.human(r["value"], r["unit"])
    return Response.json({"level": level, "areas": rows, "options": options, "filters": filters},
                         default=str)


async def geo_json(request, datasette):
    from . import geo

    return Response.json(geo.geojson(request.url_vars["level"]), headers={"Cache-Control": "max-age=3600"})


STATIC_TYPES = {".css": "text/css", ".js": "application/javascript", ".json": "application/json"}


async def static(request, datasette):
    name = request.url_vars["file"]
    path = HERE / name if name == "labels.json" else HERE / "static" / name
    if not path.is_file():
        return Response.text("not found", status=404)
    return Response(path.read_text(encoding="utf-8"), content_type=STATIC_TYPES.get(path.suffix, "text/plain") + "; charset=utf-8")


ROUTES = [
    (r"^/-/figures$", figures_home),
    (r"^/-/figure/(?P<db>[^/]+)/(?P<id>[^/]+)$", figure_page),
    (r"^/-/show/(?P<db>[^/]+)/(?P<doc>[^/]+)$", show_page),
    (r"^/-/review/(?P<db>[^/]+)/(?P<id>[^/]+)$", review_page),
    (r"^/map$", map_page),
    (r"^/-/map-data/(?P<db>[^/]+)\.json$", map_data),
    (r"^/-/geo/(?P<level>province|prefecture)\.json$", geo_json),
    (r"^/-/zhmine/(?P<file>[a-z_]+\.(?:css|js|json))$", static),
]
