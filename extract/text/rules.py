"""Load the rules kept as data in patterns/ (TOML), once per process.

patterns/ sits at the top of the checkout beside extract/; an installed wheel carries it as zhmine/patterns.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path


def patterns_dir() -> Path:
    package = Path(__file__).resolve().parent.parent  # extract/ (zhmine)
    for cand in (package.parent / "patterns", package / "patterns"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("zhmine's patterns/ folder is missing: reinstall the package (pip install -e .)")


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """patterns/<name>.toml as a dict."""
    path = patterns_dir() / f"{name}.toml"
    with path.open("rb") as f:
        return tomllib.load(f)


def path(name: str) -> Path:
    """A data file in patterns/ that is not TOML (word lists, compressed tables)."""
    return patterns_dir() / name
