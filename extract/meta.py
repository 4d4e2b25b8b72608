"""Document metadata a user knows (`--meta FILE`, `--region`): per document its publication date,
region, title, source and issuer. Metadata wins over what extraction infers from the text.

A meta file is CSV (a header row) or JSON Lines (one object a line), each record naming its document
by `file` (or `name`, `path`, `doc`: a file name or a path) and giving any of doc_date, region,
title, source, issuer. A region is a /-path (福建省/南平市), a gazetteer code (350700) or a name
(南平市, 平阳县) that means one area. Errors name the file and line (MetaError).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

FIELDS = ("doc_date", "region", "title", "source", "issuer")
FILE_KEYS = ("file", "name", "path", "doc", "document")


class MetaError(ValueError):
    """A meta file or region the user gave that cannot be used; the message names where."""


def resolve_region(value: str, where: str = "--region") -> str:
    """The /-path of a region given by path, code or name; MetaError when it names none or several."""
    from .places import gazetteer

    value = value.strip()
    gz = gazetteer.get()
    reg = gz.by_path(value) or (gz.lookup(value) if value.isdigit() else None)
    if reg is None:
        found = {r.path: r for r in gz.candidates(value)}
        if len(found) == 1:
            reg = next(iter(found.values()))
        elif len(found) > 1:
            paths = sorted(found)
            raise MetaError(f"{where}: region {value!r} names {len(paths)} areas ({', '.join(paths[:4])}"
                            f"{' ...' if len(paths) > 4 else ''}): give the /-path or the code")
    if reg is None:
        raise MetaError(f"{where}: unknown region {value!r}: give a /-path (福建省/南平市), a code or a full name")
    return reg.path


def _check_date(value: str, where: str) -> str:
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise MetaError(f"{where}: doc_date {value!r} is not a date: write it as YYYY-MM-DD") from None


def _records(path: Path):
    """(line number, dict) of a CSV or JSON Lines file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise MetaError(f"{path}: cannot read the meta file ({e})") from None
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson") or first.lstrip().startswith("{"):
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise MetaError(f"{path}:{n}: not JSON ({e.msg})") from None
            if not isinstance(rec, dict):
                raise MetaError(f"{path}:{n}: a line must be a JSON object")
            yield n, rec
        return
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or not any(k in reader.fieldnames for k in FILE_KEYS):
        raise MetaError(f"{path}:1: the header needs a file column ({', '.join(FILE_KEYS)}) and any of {', '.join(FIELDS)}")
    for rec in reader:
        yield reader.line_num, rec


def load_meta(path, documents=None) -> dict[str, dict]:
    """file name or path as given -> {field: value} of a meta file, dates and regions checked.
    documents: the files of the run; a record naming none of them is an error."""
    path = Path(path)
    out: dict[str, dict] = {}
    known = None
    if documents is not None:
        known = {str(d) for d in documents} | {Path(d).name for d in documents} | \
                {str(Path(d).resolve()) for d in documents}
    for n, rec in _records(path):
        where = f"{path}:{n}"
        name = next((str(rec[k]).strip() for k in FILE_KEYS if rec.get(k)), None)
        if not name:
            raise MetaError(f"{where}: no file name ({' / '.join(FILE_KEYS)})")
        unknown = [k for k in rec if k not in FIELDS and k not in FILE_KEYS]
        if unknown:
            raise MetaError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(FIELDS)})")
        if known is not None and name not in known and str(Path(name).resolve()) not in known:
            raise MetaError(f"{where}: no document {name!r} among the files given")
        fields = {k: str(rec[k]).strip() for k in FIELDS if rec.get(k) not in (None, "")}
        if "doc_date" in fields:
            fields["doc_date"] = _check_date(fields["doc_date"], where)
        if "region" in fields:
            fields["region"] = resolve_region(fields["region"], where)
        out[name] = fields
    return out


def meta_for(table: dict[str, dict] | None, path, region: str | None = None, doc_date: str | None = None) -> dict:
    """The metadata of one document: its record of the meta table (by path, else file name), with
    --region and --doc-date for what the record does not give."""
    rec: dict = {}
    if table:
        p = Path(path)
        rec = table.get(str(path)) or table.get(str(p.resolve())) or table.get(p.name) or {}
        if not rec:
            resolved = str(p.resolve())
            rec = next((v for k, v in table.items() if str(Path(k).resolve()) == resolved), {})
    rec = dict(rec)
    if region and "region" not in rec:
        rec["region"] = region
    if doc_date and "doc_date" not in rec:
        rec["doc_date"] = doc_date
    return rec
