"""zhmine's Datasette plugin (loaded by `zhmine serve`, research/serve.py): a researcher's front page.

- render_cell: a figure's id links to its page; values read as reports write them (2595亿元), with the
  original beside a corrected value, region, year or metric;
- filters_from_request: `_search` on the figures finds words of any length (query.search_clause);
- asgi_wrapper: the figures pages open on the reading columns (ids and offsets one click away);
- prepare_connection: zh_amount(value, unit, per) for canned queries;
- register_routes: a figure's page, its document with the figure highlighted, the review page
  (`zhmine serve --review` only), the map and its data (research/pages.py).
Templates, labels and static files are files under research/datasette/.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from markupsafe import Markup, escape

from . import amounts, pages
from .pages import labels

HERE = pages.HERE
FIGURE_TABLES = ("figures", "figures_reviewed")
# what the figures pages show first; every other column stays a click away (Datasette's column menu)
READING = ("id", "document", "region", "year", "metric", "indicator", "value", "unit", "surface", "sentence", "review")


@lru_cache(maxsize=1)
def category_names() -> dict:
    """category id -> its Chinese name (patterns/metrics.toml): 资金投入 for funding."""
    from ..text import rules

    return {cid: cat.get("name", cid) for cid, cat in rules.load("metrics")["categories"].items()}


def escape_fts(words):
    """Datasette's escape_fts (the search box's words -> an FTS5 query) for sentences_fts, whose tokens
    are single characters (extract/schema.py): the sentences holding every character of the words."""
    from datasette.utils import escape_fts as datasette_escape

    from ..schema import fts_match

    return fts_match(words or "") or datasette_escape(words or "")


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so that this one stays
def prepare_connection(conn):
    conn.create_function("zh_amount", 3, amounts.human, deterministic=True)
    conn.create_function("escape_fts", 1, escape_fts)


def _get(row, key):
    try:
        return row[key]
    except (IndexError, KeyError):
        return None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column == "figure" or (column == "id" and table in FIGURE_TABLES):
        if value is None:
            return None
        return Markup(f'<a class="figure-link" title="{escape(value)}" href="/-/figure/{escape(database)}/{escape(value)}">'
                      '查看 open</a>')
    if column == "category" and table in FIGURE_TABLES and value:
        name = category_names().get(value)
        return Markup(f'{escape(name)} <span class="zh-en">{escape(value)}</span>') if name else None
    if table not in FIGURE_TABLES or column not in ("value", "region", "year", "metric"):
        return None
    if f"{column}_original" in row.keys() or _get(row, "review") != "corrected" or _get(row, "id") is None:
        return _cell(row, value, column, _get(row, f"{column}_original"))

    async def with_original():  # the page shows fewer columns than the originals: read them for this row
        db = datasette.get_database(database)
        found = (await db.execute(f"select {column}_original from [{table}] where id = ?", [row["id"]])).rows
        return _cell(row, value, column, found[0][0] if found else None)

    return with_original


def _cell(row, value, column, original):
    if column == "value" and value is not None:
        shown = amounts.human(value, _get(row, "unit"), _get(row, "per"))
        if original is not None and original != value:
            return Markup(f'<b class="corrected">{escape(shown)}</b> <s title="原值 original">'
                          f'{escape(amounts.human(original, _get(row, "unit"), _get(row, "per")))}</s>')
        return Markup(f'<span class="amount" title="{escape(value)}">{escape(shown)}</span>')
    if original is not None and original != value:
        return Markup(f'<b class="corrected">{escape(value)}</b> <s title="原值 original">{escape(original)}</s>')
    return None


@hookimpl
def filters_from_request(request, database, table, datasette):
    words = (request.args.get("_search") or "").strip()
    if table not in FIGURE_TABLES or not words:
        return None

    async def inner():
        import sqlite_utils
        from datasette.filters import FilterArguments

        from . import query

        db = datasette.get_database(database)
        clause, params = await db.execute_fn(lambda conn: query.search_clause(sqlite_utils.Database(conn), words))
        named = {}
        parts = clause.split("?")
        text = parts[0]
        for i, part in enumerate(parts[1:]):
            named[f"zs{i}"] = params[i]
            text += f":zs{i}" + part
        return FilterArguments([text], params=named, human_descriptions=[f'原句含 sentence contains "{words}"'])

    return inner


@hookimpl
def asgi_wrapper(datasette):
    """Open a figures page (HTML, no column choice yet) on the reading columns."""
    def wrap(app):
        async def add_columns(scope, receive, send):
            if scope["type"] == "http":
                parts = scope["path"].strip("/").split("/")
                args = parse_qsl(scope.get("query_string", b"").decode("utf-8"), keep_blank_values=True)
                if (len(parts) == 2 and parts[1] in FIGURE_TABLES
                        and not any(k in ("_col", "_nocol") for k, _ in args)):
                    have = set(await pages.columns_of(datasette, parts[0], parts[1]))
                    # a table shows its primary key (id) anyway (Datasette refuses it in _col); a view only when asked
                    is_view = parts[1] in await pages.view_names(datasette, parts[0])
                    args += [("_col", c) for c in READING if c in have and (c != "id" or is_view)]
                    scope = dict(scope, query_string=urlencode(args).encode("utf-8"))
            await app(scope, receive, send)
        return add_columns
    return wrap


@hookimpl
def extra_template_vars(template, database, table, request, datasette):
    return {"zh_labels": labels(), "zh_figure_tables": FIGURE_TABLES,
            "zh_search": (request.args.get("_search") or "") if request else "",
            # the page's other arguments, kept by the search box (the reading columns are added again)
            "zh_hidden": [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True)
                          if k not in ("_search", "_next", "_col")] if request else [],
            "zh_review": bool((datasette.plugin_config("zhmine") or {}).get("review"))}


@hookimpl
def extra_css_urls():
    return ["/-/zhmine/zhmine.css"]


@hookimpl
def extra_js_urls():
    return ["/-/zhmine/labels.js"]


@hookimpl
def register_routes():
    return pages.ROUTES
