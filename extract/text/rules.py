"""Load the rules kept as data in patterns/ (TOML), once per process.

patterns/ sits at the top of the checkout beside extract/; an installed wheel carries it as zhmine/patterns.

Each file is checked against SCHEMAS on loading: a top-level key the code does not know (a typo, a
table left behind) is an error that names the file and the key, not a rule that silently does
nothing. Tables come back as `Table`s, dicts that remember which keys were read, so a test can
show that every key of every file is used by some stage (`unread()`).
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

# file -> its top-level keys and the type of each (TOML tables are dicts, arrays lists)
SCHEMAS: dict[str, dict[str, type]] = {
    "attribution": {"cumulative": dict, "time": dict, "year": dict, "scope": dict, "region": dict, "metric": dict},
    "dates": {"lists": dict, "holidays": dict, "eras": dict, "relative_years": dict, "relative_days": dict,
              "title": dict, "term_aliases": dict, "numbers": dict, "weekdays": dict, "glued": dict, "parts": dict,
              "years": dict, "plans": dict},
    "figures": {"magnitude": dict, "informal_money_magnitude": dict, "informal_money_context": dict,
                "approx": dict, "range": dict, "rate": dict, "exclude": dict, "money_name": dict,
                "cheng": dict, "decimal_typo": dict},
    "metrics": {"categories": dict, "by_unit": dict},
    "places": {"aliases": dict, "context": dict},
    "tables": {"unit": dict, "columns": dict, "cells": dict, "years": dict},
    "meaning": {"direction": dict, "status": dict, "measure": dict, "period": dict},
    "indicators": {"not_names": list, "indicators": dict},
    "units": {"money": dict, "percent": dict, "weight": dict, "duration": dict, "age": dict, "other": dict,
              "count": dict, "subunits": dict, "prefix_currency": dict},
}


class RulesError(ValueError):
    """A patterns/ file that does not fit its schema."""


class Table(dict):
    """A TOML table that records the keys read from it (by [], get, in, or iterating it whole)."""

    __slots__ = ("read",)

    def __init__(self, items):
        super().__init__(items)
        self.read: set = set()

    def __getitem__(self, key):
        self.read.add(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self.read.add(key)
        return dict.get(self, key, default)

    def __contains__(self, key):
        self.read.add(key)
        return dict.__contains__(self, key)

    def _all(self):
        self.read.update(dict.keys(self))

    def __iter__(self):
        self._all()
        return dict.__iter__(self)

    def keys(self):
        self._all()
        return dict.keys(self)

    def items(self):
        self._all()
        return dict.items(self)

    def values(self):
        self._all()
        return dict.values(self)

    def unread(self, prefix: str = "") -> list[str]:
        """Dotted names of the keys never read, here and in the tables below."""
        out = []
        for k, v in dict.items(self):
            name = f"{prefix}{k}"
            if k not in self.read:
                out.append(name)
            elif isinstance(v, Table):
                out += v.unread(name + ".")
        return out


def _tables(value):
    if isinstance(value, dict):
        return Table({k: _tables(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_tables(v) for v in value]
    return value


def patterns_dir() -> Path:
    package = Path(__file__).resolve().parent.parent  # extract/ (zhmine)
    for cand in (package.parent / "patterns", package / "patterns"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("zhmine's patterns/ folder is missing: reinstall the package (pip install -e .)")


def check(name: str, data: dict) -> None:
    """Raise RulesError where data (patterns/<name>.toml) has a key or a type its schema does not."""
    schema = SCHEMAS.get(name)
    if schema is None:
        raise RulesError(f"patterns/{name}.toml has no schema: add its keys to SCHEMAS in {__name__}")
    for key, value in data.items():
        if key not in schema:
            raise RulesError(f"patterns/{name}.toml: unknown key {key!r} (known: {', '.join(schema)})")
        if not isinstance(value, schema[key]):
            raise RulesError(f"patterns/{name}.toml: {key!r} should be a {schema[key].__name__}, "
                             f"not a {type(value).__name__}")


@lru_cache(maxsize=None)
def load(name: str) -> Table:
    """patterns/<name>.toml, checked against its schema, as a Table."""
    path = patterns_dir() / f"{name}.toml"
    with path.open("rb") as f:
        data = tomllib.load(f)
    check(name, data)
    return _tables(data)


def unread() -> dict[str, list[str]]:
    """For each file loaded so far, the keys no stage has read."""
    return {name: unread for name in SCHEMAS if (unread := load(name).unread())}


def path(name: str) -> Path:
    """A data file in patterns/ that is not TOML (word lists, compressed tables)."""
    return patterns_dir() / name
