"""Export figures (with the same filters as `zhmine query`) to CSV, JSON Lines, Excel (XLSX) or
Parquet, for pandas, R, Stata or a spreadsheet; or a tidy panel (region × year × indicator).

Every row carries every column a figure has (region_code, doc_date, direction, status, period,
region_source ...), with corrections applied and the originals beside (value_original ...).

    from zhmine.research import export, query
    export.write(query.connect("output/zhmine.db"), "figures.parquet", region="福建省", year=2021)
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from . import query

FORMATS = ("csv", "jsonl", "xlsx", "parquet")
INT_COLUMNS = {"year", "page", "cumulative", "optional", "figures", "start", "end", "year_original"}
# the panel: one row per region, year and indicator (what a fixed-effects regression reads)
PANEL_KEYS = ["region", "region_code", "province", "prefecture", "county", "year", "indicator", "unit", "measure"]


def format_for(path, fmt: str | None) -> str:
    """The format asked for, else the one the file name ends with, else CSV."""
    if fmt:
        return fmt
    suffix = Path(str(path)).suffix.lstrip(".").lower() if path and str(path) != "-" else ""
    return {"json": "jsonl", "ndjson": "jsonl"}.get(suffix, suffix) if suffix in FORMATS + ("json", "ndjson") else "csv"


def _pandas():
    try:
        import pandas
        import pyarrow  # noqa: F401
    except ImportError:
        raise query.QueryError("Parquet needs pandas and pyarrow: pip install 'zhmine[research]' "
                               "(or write --format csv / xlsx)") from None
    return pandas


def panel_sql(db, filters: query.Filters) -> tuple[str, list]:
    """One row per region, year and indicator (and unit and measure, never mixed): the value of the
    newest document and its first statement there (query.newest_first); `figures` says how many
    statements the cell had, `values` how many different values among them."""
    where, params = filters.where(db)
    rel = query.relation(db)
    where = (where + " and " if where else " where ") + "indicator is not null and region is not null and per is null"
    keys = ", ".join(PANEL_KEYS)
    # the count of different values once per cell (p), not once per figure inside the window query
    sql = (f"select {keys}, value, figures, (select count(distinct value) from {rel} g where g.region is p.region and "
           f"g.year is p.year and g.indicator is p.indicator and g.unit is p.unit and g.measure is p.measure "
           f"and g.per is null) as [values], document from (select {keys}, value, document, count(*) over w as figures, "
           f"row_number() over (partition by {keys} order by {query.newest_first('t')}) as rn from {rel} t{where} "
           f"window w as (partition by {keys})) p where rn = 1 order by {keys}")
    return sql, params


def write(db, out, fmt: str | None = None, group_by=None, aggregate: str = "auto", excel: bool = False,
          panel: bool = False, **filters) -> int:
    """Write the figures matching `filters` (see query.figures) to `out` (a path, or "-" / None for
    stdout; XLSX and Parquet need a path). excel: CSV with a byte-order mark, which Excel needs to
    read UTF-8. panel: the region × year × indicator table (panel_sql). Returns the rows written."""
    if isinstance(db, (str, Path)):
        db = query.connect(db)
    fmt = format_for(out, fmt)
    if fmt not in FORMATS:
        raise query.QueryError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    if fmt in ("parquet", "xlsx") and out in (None, "-"):
        raise query.QueryError(f"{fmt} is binary: give a file name with --output")
    if fmt == "parquet":
        _pandas()
    if panel:
        sql, params = panel_sql(db, query.Filters(**filters))
    else:
        sql, params = query.build_sql(db, query.Filters(**filters), group_by=group_by, aggregate=aggregate)
    if fmt == "parquet":
        df = query.sql(db, sql, params, as_dataframe=True, guard=False)
        for col in INT_COLUMNS & set(df.columns):
            df[col] = df[col].astype("Int64")  # a year stays 2021 (not 2021.0) even beside NULLs
        df.to_parquet(out, index=False)
        return len(df)
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    if fmt == "xlsx":
        return _xlsx(out, names, cursor)
    encoding = "utf-8-sig" if excel else "utf-8"  # the BOM tells Excel the file is UTF-8
    stream = sys.stdout if out in (None, "-") else open(out, "w", encoding=encoding, newline="")
    if stream is sys.stdout and excel:
        stream.write("\ufeff")
    n = 0
    try:
        if fmt == "csv":
            writer = csv.writer(stream, lineterminator="\r\n" if excel else "\n")
            writer.writerow(names)
            for row in cursor:
                writer.writerow(row)
                n += 1
        else:
            for row in cursor:
                stream.write(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\n")
                n += 1
    finally:
        if stream is not sys.stdout:
            stream.close()
    return n


def _xlsx(out, names, cursor) -> int:
    """An Excel workbook (openpyxl, write-only: rows stream to the file): a frozen header row."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("figures")
    ws.freeze_panes = "A2"
    ws.append(names)
    n = 0
    for row in cursor:
        ws.append(list(row))
        n += 1
    wb.save(out)
    return n
