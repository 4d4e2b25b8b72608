"""The zhmine command line: thin layers over the library (see extract/__init__.py)."""
from __future__ import annotations

import json
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zhmine")
def main():
    """zhmine: mine the figures in Chinese reports into a database of achievements by region."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--db", default="output/zhmine.db", show_default=True, help="SQLite database to fill.")
@click.option("--doc-date", callback=_check_date, help="Publication date (YYYY-MM-DD) for every document.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def run(paths, db, doc_date, quiet):
    """Extract PATHS (files, folders, globs; default corpus/) into the database."""
    from .batch import run as run_batch

    paths = paths or ("corpus/",)
    summary = run_batch(paths, db=db, doc_date=doc_date, progress=not quiet,
                        on_error=lambda msg: click.echo(f"error: {msg}", err=True))
    click.echo(f"{summary.line()} -> {db}")
    sys.exit(1 if summary.errors else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--doc-date", callback=_check_date, help="Publication date (YYYY-MM-DD) for every document.")
def extract(paths, fmt, doc_date):
    """Print the figures, dates and places of PATHS as JSON Lines (../shared/eval/FORMAT.md)."""
    from .batch import find_files
    from .ingest import IngestError
    from .pipeline import extract_file, to_jsonl_records

    failed = 0
    out = sys.stdout
    for path in find_files(paths):
        try:
            result = extract_file(path, doc_date=doc_date)
        except IngestError as e:
            click.echo(f"error: {e}", err=True)
            failed += 1
            continue
        for rec in to_jsonl_records(result):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
