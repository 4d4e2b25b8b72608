"""Export figures (with the same filters as `zhmine query`) to CSV, JSON Lines or Parquet, for pandas,
R (readr::read_csv, arrow::read_parquet) or anything else.

    from extract import export, query
    export.write(query.connect("output/zhmine.db"), "figures.parquet", region="福建省", year=2021)
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from . import query

FORMATS = ("csv", "jsonl", "parquet")
INT_COLUMNS = {"year", "page", "cumulative", "optional", "figures", "start", "end"}


def format_for(path, fmt: str | None) -> str:
    """The format asked for, else the one the file name ends with, else CSV."""
    if fmt:
        return fmt
    suffix = Path(str(path)).suffix.lstrip(".").lower() if path and str(path) != "-" else ""
    return {"json": "jsonl", "ndjson": "jsonl"}.get(suffix, suffix) if suffix in FORMATS + ("json", "ndjson") else "csv"


def write(db, out, fmt: str | None = None, group_by=None, aggregate: str = "auto", **filters) -> int:
    """Write the figures matching `filters` (see query.figures) to `out` (a path, or "-" / None for
    stdout; Parquet needs a path). Returns the number of rows written."""
    if isinstance(db, (str, Path)):
        db = query.connect(db)
    fmt = format_for(out, fmt)
    if fmt not in FORMATS:
        raise query.QueryError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    sql, params = query.build_sql(db, query.Filters(**filters), group_by=group_by, aggregate=aggregate)
    if fmt == "parquet":
        if out in (None, "-"):
            raise query.QueryError("Parquet is binary: give a file name with --output")
        df = query.sql(db, sql, params, as_dataframe=True)
        for col in INT_COLUMNS & set(df.columns):
            df[col] = df[col].astype("Int64")  # a year stays 2021 (not 2021.0) even beside NULLs
        df.to_parquet(out, index=False)
        return len(df)
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    stream = sys.stdout if out in (None, "-") else open(out, "w", encoding="utf-8", newline="")
    n = 0
    try:
        if fmt == "csv":
            # utf-8 with a BOM would please Excel but not pandas/R; plain UTF-8 it is
            writer = csv.writer(stream, lineterminator="\n")
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
