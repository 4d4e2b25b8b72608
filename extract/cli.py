"""The zhmine command line: thin layers over the library (see extract/__init__.py). Each command
imports what it uses when it runs: a research command's start-up is most of its time."""
from __future__ import annotations

import sys

import click


def _check_date(ctx, param, value):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: write it as YYYY-MM-DD") from None


class DatabaseError(click.ClickException):
    """A --db that cannot be used (a folder, not SQLite, read-only, held by another run): exit 2."""

    exit_code = 2


def _say(message: str) -> None:
    """One line on stderr, whatever a file name in it holds (a newline, terminal escape codes)."""
    from .safe import shown

    click.echo(shown(message), err=True)


META_HELP = ("CSV or JSON Lines of what you know per document: a file column (file name or path) and any of "
             "doc_date, region, title, source, issuer. It wins over what is inferred from the text.")
REGION_HELP = "The region every document is about (/-path, code or a name meaning one area); --meta wins per document."


def _meta(paths, meta_file, region) -> dict:
    """{"table": file -> fields of the meta file, "region": --region as a /-path}; a bad file or
    region is a usage error naming it (and the line)."""
    from .batch import find_files
    from .meta import MetaError, load_meta, resolve_region

    try:
        table = load_meta(meta_file, find_files(paths)) if meta_file else None
        path = resolve_region(region) if region else None
    except MetaError as e:
        raise click.BadParameter(str(e), param_hint="--meta" if meta_file and str(e).startswith(str(meta_file))
                                 else "--region") from None
    return {"table": table, "region": path}


def _set_ocr(ctx, param, value):
    """--ocr goes to ingest (and to local batch workers, which inherit the environment) as ZHMINE_OCR."""
    import os

    if value is not None:
        os.environ["ZHMINE_OCR"] = value
    return value


OCR_OPTION = click.option("--ocr", type=click.Choice(["auto", "never", "always"]), callback=_set_ocr, expose_value=False,
                          help="PDF pages read by OCR (extra zhmine[ocr]): auto = pages without a text layer, "
                               "always = every page, never = none.  [default: auto]")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zhmine")
def main():
    """zhmine: mine the figures in Chinese reports into a database of achievements by region."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--db", default="output/zhmine.db", show_default=True, help="SQLite database to fill.")
@click.option("--doc-date", callback=_check_date, help="Publication date (YYYY-MM-DD) for every document.")
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes (local executor). [default: all cores]")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300, show_default=True,
              help="Time limit per document, in seconds: a document past it is recorded as an error.")
@click.option("--max-mb", type=click.FloatRange(min=0, min_open=True), default=200, show_default=True,
              help="Files larger than this many megabytes are recorded as errors, not read.")
@click.option("--max-pages", type=click.IntRange(min=1), default=2000, show_default=True,
              help="PDFs with more pages than this are recorded as errors, not read.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: worker processes on this machine; dask: a Dask distributed cluster (--scheduler).")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
@click.option("--wait", type=click.FloatRange(min=0), default=600, show_default=True,
              help="Seconds to wait for another `zhmine run` on the same database to finish.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--meta", "meta_file", metavar="FILE", help=META_HELP)
@click.option("--region", metavar="REGION", help=REGION_HELP)
@OCR_OPTION
def run(paths, db, doc_date, workers, timeout, max_mb, max_pages, executor, scheduler, wait, quiet, meta_file,
        region):
    """Extract PATHS (files, folders, globs; default corpus/) into the database.

    Documents already stored from the same content by the same extractor version are skipped, so an
    interrupted run resumes where it stopped. Bad files are recorded (table `errors`) and the batch
    goes on. Exit status: 0 all stored; 1 some file failed or a glob matched nothing; 2 the database
    cannot be used (README: bad input); 3 the run stopped early (disk full), marked failed.
    """
    from tqdm import tqdm

    # sqlite-utils imports pandas when it is installed (research extra) only to map its Timestamp type:
    # memory and start-up time the writer of a batch run never uses
    sys.modules.setdefault("pandas", None)
    from .batch import run as run_batch

    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    paths = paths or ("corpus/",)
    from .safe import shown
    from .store import StoreError

    meta = _meta(paths, meta_file, region)
    # SIGTERM (kill, a service stopping) ends the run as Ctrl-C does: the run is marked interrupted and
    # its worker processes are stopped before this one exits
    import signal

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        summary = run_batch(paths, db=db, doc_date=doc_date, meta=meta, progress=not quiet, workers=workers,
                            timeout=timeout, max_mb=max_mb, max_pages=max_pages, executor=executor,
                            scheduler=scheduler, wait=wait,
                            on_error=lambda msg: tqdm.write(f"error: {shown(msg)}", file=sys.stderr),
                            on_warning=lambda msg: tqdm.write(f"warning: {shown(msg)}", file=sys.stderr))
    except StoreError as e:
        raise DatabaseError(str(e)) from None
    if summary.errors:  # again at the end: on a long run the first ones scrolled away
        top = 20
        click.echo(f"{len(summary.errors)} files failed:", err=True)
        for path, reason in summary.errors[:top]:
            _say(f"  {path}: {reason}")
        if len(summary.errors) > top:
            click.echo(f"  ... and {len(summary.errors) - top} more: select * from current_errors", err=True)
    click.echo(f"{summary.line()} -> {shown(db)}")
    if summary.stopped:
        _say(f"error: the run stopped before its end: {summary.stopped}")
        sys.exit(3)
    sys.exit(1 if summary.errors or summary.unmatched else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--doc-date", callback=_check_date, help="Publication date (YYYY-MM-DD) for every document.")
@click.option("--meta", "meta_file", metavar="FILE", help=META_HELP)
@click.option("--region", metavar="REGION", help=REGION_HELP)
@OCR_OPTION
def extract(paths, fmt, doc_date, meta_file, region):
    """Print the figures, dates and places of PATHS as JSON Lines (../shared/eval/FORMAT.md)."""
    import json

    from .batch import find_files
    from .ingest import IngestError
    from .meta import meta_for
    from .pipeline import extract_file, to_jsonl_records

    failed = 0
    out = sys.stdout
    meta = _meta(paths, meta_file, region)
    problems: list = []
    files = find_files(paths, problems)
    for path, reason in problems:
        _say(f"{'warning' if 'matches no file' in reason else 'error'}: {path}: {reason}")
        failed += 1
    for path in files:
        try:
            result = extract_file(path, doc_date=doc_date, meta=meta_for(meta["table"], path, meta["region"]))
        except IngestError as e:
            _say(f"error: {e}")
            failed += 1
            continue
        for rec in to_jsonl_records(result):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    sys.exit(1 if failed else 0)


# ------------------------------------------------------------------ research commands (issue 6)
DB_OPTION = click.option("--db", default="output/zhmine.db", show_default=True, help="SQLite database built by `zhmine run`.")


def filter_options(f):
    """The filters query, export and chart share (see extract/research/query.py)."""
    opts = [
        click.option("--region", help="Name (南平市, 南平), code (350700) or /-path; includes everything below it."),
        click.option("--year", type=int, help="Only this year."),
        click.option("--from", "year_from", type=int, help="From this year on."),
        click.option("--to", "year_to", type=int, help="Up to this year."),
        click.option("--category", help="Metric category: its id or its Chinese name (insurance_premium or 保险保费; patterns/metrics.toml)."),
        click.option("--metric", help="Words that must all occur in the metric label."),
        click.option("--kind", help="money | count | percent | weight | duration | age | other."),
        click.option("--unit", help="Canonical unit (元, 人次, 户, %...)."),
        click.option("--doc", help="Part of the document's file name."),
        click.option("--search", help="Words that must all occur in the figure's sentence (full-text)."),
        click.option("--cumulative/--not-cumulative", default=None,
                     help="Only running totals (累计, 截至, 以来), or leave them out. Default: both."),
        click.option("--rates/--no-rates", default=None,
                     help="Only rates (每户6000元: 6000 元 per 户), or leave them out. Default: both."),
        # meaning (extract/meaning.py)
        click.option("--direction", type=click.Choice(["up", "down", "none"]), help="A stated change up or down (none: levels)."),
        click.option("--status", type=click.Choice(["target", "none"]), help="Targets (planned, expected), or none: achieved."),
        click.option("--measure", help="level | change | share | rate (change: 增长5%, 提高2个百分点)."),
        click.option("--indicator", help="A standard indicator id (gdp, income_per_capita...: patterns/indicators.toml)."),
        click.option("--exact/--approximate", default=None,
                     help="Only figures stated exactly, or only bounds and estimates (约, 超过, 突破3万亿元). Default: both."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


FILTER_KEYS = ("region", "year", "year_from", "year_to", "category", "metric", "kind", "unit", "doc", "search",
               "cumulative", "rates", "direction", "status", "measure", "indicator", "exact")
AGGREGATE_OPTION = click.option(
    "--aggregate", type=click.Choice(["auto", "sum", "mean", "max", "min", "latest", "count"]), default="auto",
    show_default=True, help="A group's value: auto sums amounts and counts and takes the latest (newest document's) "
    "value of percentages, shares and rates, which never add up; sum refuses them.")
GROUP_HELP = "Group by province|prefecture|county|township|region|year|category|metric|kind|unit|document|indicator|measure|direction|status (repeat or comma-separate)."


def _filters(kwargs, db=None) -> dict:
    filters = {k: kwargs.pop(k) for k in FILTER_KEYS}
    if db is not None and filters["region"]:
        _warn_ambiguous(db, filters["region"])
    return filters


def _warn_ambiguous(db, region):
    from .research.query import QueryError, resolve_region

    try:
        paths = resolve_region(db, region)
    except QueryError as e:
        raise click.ClickException(str(e)) from None
    if len(paths) > 1:
        click.echo(f"note: {region} matches {len(paths)} regions ({', '.join(paths[:5])}{' ...' if len(paths) > 5 else ''}); "
                   "all are included: give a /-path or a code to pick one", err=True)


def _open(db):
    import os

    from .research.query import QueryError, connect, ensure_indexes
    from .safe import shown

    if not os.path.exists(db):
        raise click.ClickException(f"no database at {shown(db)}: build one with `zhmine run corpus/ --db {shown(db)}`")
    try:
        database = connect(db)
    except QueryError as e:
        raise DatabaseError(str(e)) from None
    from .schema import is_old, missing_indexes

    if is_old(database.conn):  # made before integer keys (issue 19): brought to the current schema once
        database.close()
        from .store import StoreError, open_db

        try:
            open_db(db).conn.close()
        except StoreError as e:
            raise DatabaseError(f"{e} (it was made by an older zhmine and must be updated once, "
                                "which needs it writable)") from None
        database = connect(db)
    try:  # a run makes the indexes at its end; a killed run's are made here, once
        if missing_indexes(database.conn) and os.access(db, os.W_OK) and os.path.isfile(db):
            import sqlite3

            from .store import RunLock

            if not RunLock.running(db):  # else the run makes them
                conn = sqlite3.connect(db, timeout=0.5)
                try:
                    ensure_indexes(conn)
                finally:
                    conn.close()
    except Exception:  # not writable or busy: the query works without them, only slower
        pass
    return database


def _check_output(output) -> None:
    """A file to write must go into a folder that exists: one line rather than FileNotFoundError."""
    from pathlib import Path

    from .safe import shown

    folder = Path(output).parent
    if not folder.is_dir():
        raise click.ClickException(f"cannot write {shown(output)}: no folder {shown(folder)} (create it first)")


def _groups(group_by) -> list[str]:
    return [g for item in group_by for g in item.replace(",", " ").split()]


@main.command()
@DB_OPTION
@filter_options
@click.option("--group-by", "group_by", multiple=True, help=GROUP_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--limit", type=int, help="At most this many rows.")
@click.option("--show-sql", is_flag=True, help="Print the SQL instead of running it.")
@AGGREGATE_OPTION
def query(db, group_by, fmt, limit, show_sql, aggregate, **kwargs):
    """Figures matching the filters, or sums and counts per group (never across units)."""
    from .research import query as q

    database = _open(db)
    try:
        if show_sql:
            text, params = q.build_sql(database, q.Filters(**_filters(kwargs)), group_by=_groups(group_by), limit=limit,
                                       aggregate=aggregate)
            click.echo(f"{text}\n-- params: {params}")
            return
        rows = q.figures(database, group_by=_groups(group_by), limit=limit + 1 if limit else None, aggregate=aggregate,
                         **_filters(kwargs, database))
    except q.QueryError as e:
        raise click.ClickException(str(e)) from None
    cut = bool(limit) and len(rows) > limit
    click.echo(q.format_rows(rows[:limit] if limit else rows, fmt).rstrip("\n"))
    if cut:
        click.echo(f"(first {limit} rows shown: more match; raise --limit or use zhmine export)", err=True)


@main.command()
@click.argument("statement")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--param", "-p", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A value for :NAME in the statement (repeat for each).")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60, show_default=True,
              help="Seconds before the statement is stopped.")
def sql(statement, db, fmt, params, time_limit):
    """Run one read-only SQL STATEMENT (tables: figures, documents, articles, sentences, dates, places, regions).

    Read-only in SQLite itself: ATTACH, VACUUM INTO, PRAGMA and every change are refused (exit 1)."""
    from .research import query as q

    try:
        rows = q.sql(_open(db), statement, {k.lstrip(":$@"): v for k, v in params} if params else None,
                     time_limit=time_limit)
    except q.QueryError as e:
        raise click.ClickException(str(e)) from None
    click.echo(q.format_rows(rows, fmt).rstrip("\n"))


PANEL_HELP = ("A tidy panel for pandas or Stata: one row per region, year and indicator (standard indicators only, "
              "rates left out). Where a cell has several figures, the one of the newest document (by its date, then "
              "its name) wins, its first statement there; the columns figures and values say how many statements "
              "and how many different values the cell had.")


@main.command()
@DB_OPTION
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "xlsx", "parquet"]),
              help="Default: from the file name, else csv.")
@click.option("--output", "-o", default="-", show_default=True, help="File to write (- for stdout).")
@click.option("--group-by", "group_by", multiple=True, help=GROUP_HELP)
@click.option("--excel", is_flag=True, help="CSV with a byte-order mark, so that Excel reads the Chinese right.")
@click.option("--panel", is_flag=True, help=PANEL_HELP)
@click.option("--corrections", "corrections_file", metavar="FILE",
              help="Write the researchers' corrections instead (CSV or .jsonl), to share: `zhmine review --import FILE`.")
@click.option("--with-rejected", is_flag=True, help="Keep the figures a researcher rejected (zhmine review --reject).")
@AGGREGATE_OPTION
def export(db, fmt, output, group_by, excel, panel, corrections_file, with_rejected, aggregate, **kwargs):
    """Write the figures matching the filters as CSV, JSON Lines, Excel (XLSX) or Parquet, with every
    column a figure carries and corrections applied (the originals beside)."""
    from .research import query as q
    from .research.export import write

    if corrections_file:
        from .research import corrections

        _check_output(corrections_file)
        n = corrections.export(_open(db), corrections_file)
        click.echo(f"{n} corrections -> {corrections_file}", err=True)
        return
    if output != "-":
        _check_output(output)
    database = _open(db)
    try:
        n = write(database, output, fmt=fmt, group_by=_groups(group_by), aggregate=aggregate, excel=excel,
                  panel=panel, rejected=with_rejected, **_filters(kwargs, database))
    except q.QueryError as e:
        raise click.ClickException(str(e)) from None
    if output != "-":
        click.echo(f"{n} rows -> {output}", err=True)


@main.command()
@click.argument("figure_id", required=False)
@DB_OPTION
@click.option("--confirm", "action", flag_value="confirm", help="The figure is right as extracted.")
@click.option("--reject", "action", flag_value="reject", help="Not an achievement figure: queries, exports and maps leave it out.")
@click.option("--value", help="The right value, in the figure's unit (12.5万元 is 125000).")
@click.option("--region", help="The right region: name, code or /-path (福建省/三明市, 350400).")
@click.option("--year", type=int, help="The right year.")
@click.option("--metric", help="The right metric (what is measured).")
@click.option("--note", help="Why (kept with the correction).")
@click.option("--list", "list_all", is_flag=True, help="List every correction; orphaned ones (their figure is gone "
              "after a re-extraction) are marked.")
@click.option("--import", "import_file", metavar="FILE", help="Add the corrections of a file from `zhmine export --corrections`.")
def review(figure_id, db, action, value, region, year, metric, note, list_all, import_file):
    """Confirm, reject or correct the figure FIGURE_ID (its id column), or list and import corrections.
    Corrections are kept by document and position, so a new extractor version keeps them."""
    import sqlite3

    from .research import corrections

    database = _open(db)  # exists and is zhmine's; writes go through a writable connection below
    try:
        writable = __import__("sqlite_utils").Database(sqlite3.connect(db, timeout=30))
        corrections.ensure_table(writable)
        if import_file:
            added, skipped = corrections.import_file(writable, import_file)
            click.echo(f"{added} corrections added, {skipped} already present")
        elif list_all or not figure_id:
            click.echo(corrections.listing(database))
        else:
            action = action or ("correct" if any(v is not None for v in (value, region, year, metric)) else None)
            if action is None:
                raise click.UsageError("say what to do: --confirm, --reject, or --value/--region/--year/--metric")
            cid = corrections.record(writable, figure_id, action, value=value, region=region, year=year,
                                     metric=metric, note=note, author="zhmine review")
            click.echo(f"correction {cid}: {action} {figure_id}")
    except corrections.CorrectionError as e:
        raise click.ClickException(str(e)) from None
    except sqlite3.OperationalError as e:
        raise DatabaseError(f"cannot write corrections to {db} ({e}): is it read-only or busy?") from None


@main.command()
@DB_OPTION
@click.option("--port", type=int, default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Keep 127.0.0.1 unless you mean to share the data.")
@click.option("--review", is_flag=True, help="Enable the review page: confirm, reject or correct figures in the "
              "browser (saved in the corrections table; 127.0.0.1 only).")
def serve(db, port, host, review):
    """Browse the database in Datasette: figures with search and facets, each figure's page, a map."""
    from .research.serve import ServeError, serve as run_serve

    _open(db)  # exists? then indexes
    try:
        sys.exit(run_serve(db, host=host, port=port, review=review))
    except ServeError as e:
        raise click.UsageError(str(e)) from None


@main.command()
@click.argument("path")
@click.option("--output", "-o", help="HTML file to write (default: FILE's name + .html in the current folder).")
@click.option("--doc-date", callback=_check_date, help="Publication date (YYYY-MM-DD) of the document.")
def show(path, output, doc_date):
    """Write an HTML page of one document with every figure, date and place highlighted."""
    from pathlib import Path

    from .ingest import IngestError
    from .research.show import write_html

    from .safe import shown

    output = output or (Path(path).name + ".html")
    _check_output(output)
    try:
        n = write_html(path, output, doc_date=doc_date)
    except IngestError as e:
        raise click.ClickException(shown(str(e))) from None
    except OSError as e:
        raise click.ClickException(f"cannot write {shown(output)} ({e.strerror or e}): choose another --output") from None
    click.echo(f"{n} highlights -> {shown(output)}")


@main.command()
@DB_OPTION
@filter_options
@click.option("--group-by", "group_by", multiple=True, help=GROUP_HELP + " Up to two: the second makes one series each.")
@click.option("--type", "chart_type", type=click.Choice(["bar", "line"]), default="bar", show_default=True)
@AGGREGATE_OPTION
@click.option("--map", "as_map", is_flag=True, help="Draw a map: provinces (or prefectures, --level) filled by their totals.")
@click.option("--level", type=click.Choice(["province", "prefecture"]), default="province", show_default=True,
              help="The areas of --map.")
@click.option("--output", "-o", default="chart.png", show_default=True, help="PNG file; an SVG is written beside it.")
@click.option("--title", help="Chart title (default: from the filters).")
def chart(db, group_by, chart_type, aggregate, as_map, level, output, title, **kwargs):
    """Draw a bar or line chart (PNG and SVG) of a grouped query, with Chinese labels."""
    from .research import query as q
    from .research.chart import draw, draw_map

    try:
        if as_map:
            paths = draw_map(_open(db), output, title=title, aggregate=aggregate, level=level, **_filters(kwargs))
        else:
            if not group_by:
                raise click.UsageError("chart needs --group-by (e.g. --group-by prefecture --group-by year)")
            paths = draw(_open(db), output, group_by=_groups(group_by), chart_type=chart_type, aggregate=aggregate,
                         title=title, **_filters(kwargs))
    except q.QueryError as e:
        raise click.ClickException(str(e)) from None
    click.echo(" ".join(str(p) for p in paths))


if __name__ == "__main__":
    main()
