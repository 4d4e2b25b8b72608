"""`zhmine serve`: Datasette on the database, read-only, on 127.0.0.1, with table and column
descriptions, default facets, canned queries and an offline map page (/map).

Datasette opens the file with mode=ro and 0.65 has no write API, so nothing can change the data.
The map: datasette-cluster-map needs Leaflet and map tiles from the internet, which a researcher
behind a firewall (and our CI) does not have; /map instead draws circles at each region's
coordinates as SVG with a few lines of JavaScript over the `map_points` canned query.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

COLUMNS = {
    "id": "Figure id: document_id * 2^24 + the figure's number in the document (kept when the document is extracted again)",
    "document_id": "The document (documents.id; documents.sha256 is the SHA-256 of its content)",
    "article_id": "Article within the document (articles.id)",
    "sentence_id": "Sentence the figure is in (sentences.id)",
    "document": "File name of the document",
    "article_title": "Title of the article the figure is in",
    "sentence": "The whole sentence the figure comes from",
    "page": "1-based PDF page (empty for text files)",
    "start": "Character offset of the figure in the cleaned document text",
    "end": "Character offset just after the figure",
    "surface": "The figure exactly as written (spaces and line breaks kept)",
    "value": "Value in the base unit: yuan for money (21万元 = 210000), a plain count otherwise",
    "value_max": "Upper end of a range (3~5人), else empty",
    "unit": "Canonical unit: 元, 人次, 户, 人, 个, %, 吨 ... Never add values of different units",
    "kind": "money | count | percent | weight | duration | age | other",
    "approx": "more_than (多, 余, 以上) | less_than (近) | about (约) | at_least | at_most, else empty",
    "per": "Denominator of a rate: 户 for 每户6000元, 天 for 150元/天",
    "optional": "1 when the number is part of a name or a policy term rather than an achievement",
    "region": "Region the figure is attributed to, as a /-path from the province down",
    "region_code": "GB/T 2260 code of that region",
    "province": "Province (省, 自治区, 直辖市) of the region",
    "prefecture": "Prefecture-level city or area (市, 州, 盟, 地区)",
    "county": "County-level area (县, 区, 县级市, 旗)",
    "township": "Township-level area (镇, 乡, 街道)",
    "year": "Calendar year the figure belongs to, where the text fixes it",
    "metric": "What is measured, in the document's words (e.g. 投入保费)",
    "category": "Metric category (e.g. insurance_premium)",
    "cumulative": "1 for a running total or standing stock (累计, 截至, 以来, 目前)",
}

TABLES = {
    "figures": "One row per figure: value, unit, what it measures, where, when, and the sentence it came from "
               "(a view over figure_rows, with the document's name, the article's title and the sentence)",
    "documents": "One row per source file (its content's SHA-256 in sha256, unique)",
    "articles": "Articles (sections with a title) inside each document",
    "sentences": "Every sentence, with full-text search (words of any length: 养老, 养老保险)",
    "dates": "Every date or period expression, normalized to ISO where the text allows",
    "places": "Every mention of an administrative area, resolved to its /-path and code",
    "regions": "The gazetteer: administrative areas with code, parent, level and coordinates",
    "errors": "Files that could not be read or extracted, and why",
}

QUERIES = {
    "totals_by_region_year": {
        "title": "Totals by region and year for a category",
        "description": "Sum and count of figures per province, prefecture, county and year, one row per unit "
                       "(and per rate denominator). "
                       "Leave category empty for all.",
        "sql": "select province, prefecture, county, year, unit, per, count(*) as figures, sum(value) as total\n"
               "from figures\nwhere (:category = '' or category = :category)\n"
               "group by province, prefecture, county, year, unit, per\norder by province, prefecture, county, year, unit",
    },
    "totals_by_prefecture": {
        "title": "Totals by prefecture for words in the metric",
        "description": "E.g. metric 保费: how much premium each prefecture paid, per year and unit.",
        "sql": "select province, prefecture, year, unit, per, count(*) as figures, sum(value) as total\n"
               "from figures\nwhere instr(coalesce(metric, ''), :metric) > 0\n"
               "group by province, prefecture, year, unit, per\norder by province, prefecture, year",
    },
    "search_sentences": {
        "title": "Sentences containing a word",
        "description": "Full-text search over every sentence (a word of any length: 养老, 养老保险), with the figures in it.",
        "sql": "select s.text as sentence, d.name as document, s.page,\n"
               "  (select group_concat(f.surface, ' | ') from figure_rows f where f.sentence_id = s.id) as figures\n"
               "from sentences_fts join sentences s on s.rowid = sentences_fts.rowid\n"
               "join documents d on d.id = s.document_id\nwhere sentences_fts match escape_fts(:words)\n"
               "and instr(lower(s.text), lower(trim(:words))) > 0\nlimit 200",
    },
}

# Only with a gazetteer: totals per region with longitude and latitude (columns named for mapping plugins).
MAP_QUERY = {
    "title": "Totals by region with coordinates",
    "description": "For maps: regions with their longitude/latitude and the totals of their figures, per unit "
                   "(rates such as 每户6000元 left out).",
    "sql": "select r.name, r.path, r.code, r.lat as latitude, r.lng as longitude, f.unit,\n"
           "  count(*) as figures, sum(f.value) as total\n"
           "from figures f join regions r on r.path = f.region\n"
           "where r.lng is not null and f.per is null and (:unit = '' or f.unit = :unit)\n"
           "group by r.path, f.unit order by total desc",
}

MAP_PAGE = """{% extends "base.html" %}
{% block title %}zhmine: map of figures by region{% endblock %}
{% block content %}
<h1>Figures by region</h1>
<p>Circle area: total of the figures attributed to the region, for one unit.
Data: <a href="/DBNAME/map_points">map_points</a> (regions with coordinates from the gazetteer).</p>
<form><label>Unit <select id="unit"></select></label></form>
<svg id="map" width="900" height="640" style="border:1px solid #ccc;background:#f8fbff"></svg>
<p id="status"></p>
<script>
const NS = "http://www.w3.org/2000/svg";
async function draw() {
  const resp = await fetch("/DBNAME/map_points.json?_shape=array&unit=");
  const rows = await resp.json();
  const status = document.getElementById("status");
  if (!Array.isArray(rows) || !rows.length) { status.textContent = "No figures with coordinates."; return; }
  const units = [...new Set(rows.map(r => r.unit))];
  const sel = document.getElementById("unit");
  if (!sel.options.length) {
    for (const u of units) { const o = document.createElement("option"); o.textContent = u; sel.appendChild(o); }
    sel.onchange = () => render(rows, sel.value);
  }
  render(rows, sel.value || units[0]);
}
function render(all, unit) {
  const rows = all.filter(r => r.unit === unit);
  const svg = document.getElementById("map");
  svg.innerHTML = "";
  const W = 900, H = 640, pad = 70;
  const xs = rows.map(r => r.longitude), ys = rows.map(r => r.latitude);
  const x0 = Math.min(...xs) - 0.3, x1 = Math.max(...xs) + 0.3, y0 = Math.min(...ys) - 0.3, y1 = Math.max(...ys) + 0.3;
  const k = Math.min((W - 2 * pad) / (x1 - x0), (H - 2 * pad) / (y1 - y0));
  const top = Math.max(...rows.map(r => r.total || 0)) || 1;
  for (const r of rows) {
    const cx = pad + (r.longitude - x0) * k, cy = H - pad - (r.latitude - y0) * k;
    const c = document.createElementNS(NS, "circle");
    c.setAttribute("cx", cx); c.setAttribute("cy", cy);
    c.setAttribute("r", 4 + 40 * Math.sqrt((r.total || 0) / top));
    c.setAttribute("fill", "rgba(192,57,43,0.45)"); c.setAttribute("stroke", "#7b241c");
    c.setAttribute("class", "region"); c.setAttribute("data-path", r.path);
    const tip = document.createElementNS(NS, "title");
    tip.textContent = `${r.path}: ${r.total} ${r.unit} (${r.figures} figures)`;
    c.appendChild(tip); svg.appendChild(c);
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", cx); t.setAttribute("y", cy + 4); t.setAttribute("text-anchor", "middle");
    t.setAttribute("font-size", "12"); t.textContent = r.name; svg.appendChild(t);
  }
  document.getElementById("status").textContent = `${rows.length} regions, unit ${unit}`;
}
draw();
</script>
{% endblock %}
"""


def db_name(db_path) -> str:
    """Datasette names a database after its file stem."""
    return Path(db_path).stem


def metadata(db_path, table_names=None) -> dict:
    """Datasette metadata: descriptions, default facets, canned queries; the map query only when
    the database has a regions table."""
    import sqlite_utils

    if table_names is None:  # figures is a view (store.schema)
        db = sqlite_utils.Database(db_path)
        table_names = db.table_names() + db.view_names()
    names = set(table_names)
    tables = {}
    for table, description in TABLES.items():
        if table not in names:
            continue
        entry = {"description": description}
        if table == "figures":
            entry.update(columns=COLUMNS, facets=["province", "year", "category", "unit"],
                         sort="document", label_column="surface")
        tables[table] = entry
    for name in names:
        if name.startswith("sentences_fts"):
            tables[name] = {"hidden": True}
    if "sentences" in tables:
        tables["sentences"]["fts_table"] = "sentences_fts"
        tables["sentences"]["fts_pk"] = "rowid"
    queries = dict(QUERIES)
    if "regions" in names:
        queries["map_points"] = MAP_QUERY
    return {
        "title": "zhmine: achievements by region",
        "description": "Figures mined from Chinese reports, with where, when and the sentence behind each. "
                       "Never add values of different units. Map: /map",
        "databases": {db_name(db_path): {"tables": tables, "queries": queries}},
    }


def app(db_path, template_dir=None):
    """The Datasette instance (an ASGI app with .app()), read-only on db_path."""
    from datasette.app import Datasette

    if template_dir is None:
        template_dir = tempfile.mkdtemp(prefix="zhmine-serve-")
    pages = Path(template_dir) / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / "map.html").write_text(MAP_PAGE.replace("DBNAME", db_name(db_path)), encoding="utf-8")
    _catch_up_index(db_path)
    _register_search()
    # suggest_facets: suggestions rescan every column of every row (2-3 s a page at 40 MB of text)
    return Datasette(files=[str(db_path)], metadata=metadata(db_path), template_dir=str(template_dir),
                     settings={"default_page_size": 50, "sql_time_limit_ms": 5000, "suggest_facets": False})


class _Search:
    """Datasette's escape_fts (the search box's words -> an FTS5 query) for sentences_fts, whose tokens
    are single characters (store.schema): the sentences holding every character of the words."""

    @staticmethod
    def escape(words):
        from datasette.utils import escape_fts

        from ..schema import fts_match

        return fts_match(words or "") or escape_fts(words or "")

    @staticmethod
    def _hook():
        from datasette import hookimpl

        @hookimpl(trylast=True)  # after Datasette's own escape_fts, so that this one stays
        def prepare_connection(conn):
            conn.create_function("escape_fts", 1, _Search.escape)
        return prepare_connection


def _register_search() -> None:
    import types

    from datasette.plugins import pm

    if pm.get_plugin("zhmine-search") is None:  # a module: Datasette lists plugins by module
        plugin = types.ModuleType("zhmine_search")
        plugin.prepare_connection = _Search._hook()
        pm.register(plugin, name="zhmine-search")


def _catch_up_index(db_path) -> None:
    """Datasette searches sentences_fts directly: index the sentences a killed run left unindexed
    (store.index_sentences; nothing to do after a finished run) before it opens the file read-only."""
    import sqlite3

    import sqlite_utils

    from .. import store

    if not Path(db_path).is_file() or store.RunLock.running(db_path):  # a run indexes at its end
        return
    try:
        store.index_sentences(sqlite_utils.Database(sqlite3.connect(db_path, timeout=1)))
    except Exception:  # a read-only or busy file: serve it as it is
        pass


def serve(db_path, host: str = "127.0.0.1", port: int = 8001) -> int:
    import uvicorn

    print(f"zhmine serve: http://{host}:{port}/  (read-only; map at /map; Ctrl-C to stop)", flush=True)
    with tempfile.TemporaryDirectory(prefix="zhmine-serve-") as tmp:
        ds = app(db_path, template_dir=tmp)
        uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
    return 0
