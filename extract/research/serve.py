"""`zhmine serve`: Datasette on the database, on 127.0.0.1, as a researcher's front page.

Read-only unless `--review`: Datasette opens the file read-only and 0.65 has no write API. With
--review, the review page (research/pages.py) writes corrections through Datasette's own write
connection, behind its CSRF token (asgi-csrf), and only on 127.0.0.1. What the pages add (a figure's
page, its document highlighted, search of words of any length, the map, numbers in 万/亿) is the
plugin research/plugin.py; titles, descriptions, facets and canned queries are the file
research/datasette/metadata.json, templates and static files sit beside it.
"""
from __future__ import annotations

import json
from pathlib import Path

from . import query
from .pages import HERE

LOCAL = ("127.0.0.1", "localhost", "::1")


class ServeError(ValueError):
    """A serve request that cannot be granted (review on a public address): one line."""


def db_name(db_path) -> str:
    """Datasette names a database after its file stem."""
    return Path(db_path).stem


def metadata(db_path, review: bool = False) -> dict:
    """Datasette metadata from research/datasette/metadata.json, for the tables the database has; the
    map query only when it has a regions table."""
    import sqlite_utils

    base = json.loads((HERE / "metadata.json").read_text(encoding="utf-8"))
    db = sqlite_utils.Database(db_path)
    names = set(db.table_names() + db.view_names())
    tables = {t: entry for t, entry in base["tables"].items() if t in names}
    for name in names:
        if name.startswith("sentences_fts"):
            tables[name] = {"hidden": True}
    queries = dict(base["queries"])
    if "regions" in names:
        queries["map_points"] = dict(base["map_query"])
    # the queries read the figures with corrections (figures_reviewed, or a figures view with the
    # overlay folded in); a database without them: the table as it is
    rel = query.relation(db)
    has_review = "figures" in names and query.reviewed(db)
    for name, q in queries.items():
        # {additive}: query.py's rule of which figures add up (never percentages or rates)
        sql = q["sql"].replace("figures_reviewed", rel).replace("{additive}", query._additive())
        if not has_review:
            sql = sql.replace(" and coalesce(review, '') != 'rejected'", "").replace(
                " and coalesce(f.review, '') != 'rejected'", "")
        queries[name] = {**q, "sql": sql}
    return {"title": base["title"], "description_html": base["description_html"],
            "plugins": {"zhmine": {"review": bool(review)}},
            "databases": {db_name(db_path): {"tables": tables, "queries": queries}}}


def app(db_path, review: bool = False):
    """The Datasette instance (an ASGI app with .app()) on db_path, with zhmine's plugin."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from . import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="zhmine")
    _catch_up_index(db_path)
    return Datasette(files=[str(db_path)], metadata=metadata(db_path, review=review),
                     template_dir=str(HERE / "templates"),
                     settings={"default_page_size": 50, "sql_time_limit_ms": 5000, "suggest_facets": False,
                               "facet_time_limit_ms": 1000})


def _catch_up_index(db_path) -> None:
    """Datasette searches sentences_fts directly: index the sentences a killed run left unindexed
    (store.index_sentences; nothing to do after a finished run), and make the corrections table and
    the figures_reviewed view of a database made before them, before Datasette opens it."""
    import sqlite3

    from .. import store

    if not Path(db_path).is_file() or store.RunLock.running(db_path):  # a run indexes at its end
        return
    try:
        store.open_db(db_path).close()  # ensure_schema: corrections, figures_reviewed
        import sqlite_utils

        store.index_sentences(sqlite_utils.Database(sqlite3.connect(db_path, timeout=1)))
    except Exception:  # a read-only or busy file: serve it as it is
        pass


def serve(db_path, host: str = "127.0.0.1", port: int = 8001, review: bool = False) -> int:
    import uvicorn

    if review and host not in LOCAL:
        raise ServeError(f"--review writes corrections: it serves on 127.0.0.1 only, not {host}")
    mode = "review page on: corrections are saved" if review else "read-only"
    print(f"zhmine serve: http://{host}:{port}/  ({mode}; figures at /-/figures, map at /map; Ctrl-C to stop)",
          flush=True)
    uvicorn.run(app(db_path, review=review).app(), host=host, port=port, log_level="warning")
    return 0
