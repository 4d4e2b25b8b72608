"""Spreadsheets: .xlsx/.xlsm through openpyxl (read-only, values not formulas), .xls through xlrd.

Each sheet is one table for the table reader: title rows above it (`2023年救助情况统计表`,
`单位：万元`) are its caption, the leading rows without values its header, the first column of words
its row labels. Each figure keeps its sheet (page = sheet number, sheet = its name). Source.text holds
the sheets' names and title rows, the prose of a workbook.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from .base import FormatError, fields
from .grids import Tables, year_of
from .office import OLE_MAGIC

MAX_CELLS = 2_000_000


def read_sheets(path: Path) -> dict:
    with path.open("rb") as f:
        magic = f.read(8)
    suffix = path.suffix.lower()
    if magic == OLE_MAGIC and suffix != ".xls":
        raise FormatError("password-protected (encrypted) workbook: remove the password in Excel and retry")
    if magic.startswith(b"PK"):
        sheets = _xlsx(path)
    elif magic == OLE_MAGIC:
        sheets = _xls(path)
    else:
        raise FormatError(f"not a readable {suffix} workbook (no Excel header): is it damaged? Re-save it in Excel")
    name_year = year_of(path.stem)
    tables = Tables(name_year)
    lines, pages, pos = [], [], 0
    for number, (name, rows) in enumerate(sheets, 1):
        rows = [r for r in rows if any(c not in (None, "") for c in r)]
        if not rows:
            continue
        titles = []
        for r in rows:
            filled = [str(c).strip() for c in r if c not in (None, "")]
            if len(filled) != 1:
                break
            titles.append(filled[0])
        tables.doc_year = year_of(" ".join(titles)) or name_year
        tables.add(rows, page=number, sheet=name)
        text = "\n".join([name] + titles) + "\n"
        pages.append((number, pos, pos + len(text)))
        lines.append(text)
        pos += len(text)
    if not lines:
        raise FormatError("no cells with values in the workbook")
    return fields("".join(lines), suffix.lstrip("."), suffix.lstrip("."), path.read_bytes(), pages=pages,
                  tables=tables.figures)


def _xlsx(path: Path):
    import openpyxl

    try:
        wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise FormatError(f"not a readable workbook ({type(e).__name__}: {e}): is it damaged? Re-save it in Excel") from None
    except Exception as e:
        raise FormatError(f"not a readable workbook ({type(e).__name__}): is it damaged? Re-save it in Excel") from None
    out, cells = [], 0
    try:
        for ws in wb.worksheets:
            rows = []
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS:
                    raise FormatError(f"over {MAX_CELLS} cells: split the workbook")
                rows.append(list(row))
            out.append((ws.title, rows))
    finally:
        wb.close()
    return out


def _xls(path: Path):
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except xlrd.biffh.XLRDError as e:
        reason = str(e)
        if "encrypt" in reason.lower() or "password" in reason.lower():
            raise FormatError("password-protected (encrypted) workbook: remove the password in Excel and retry") from None
        raise FormatError(f"not a readable .xls workbook ({reason}): is it damaged? Re-save it in Excel") from None
    except Exception as e:
        raise FormatError(f"not a readable .xls workbook ({type(e).__name__}): is it damaged? Re-save it in Excel") from None
    out = []
    for sheet in book.sheets():
        out.append((sheet.name, [sheet.row_values(i) for i in range(sheet.nrows)]))
    return out
