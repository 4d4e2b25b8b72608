"""What every process would otherwise rebuild at start-up (jieba's dictionary with the gazetteer's
names, the gazetteer's tables, compiled patterns), built once per installed version and kept on disk.

    value = cache.load("places-jieba", build, key=cache.version_key("jieba"))

The value must be marshal-able (built-in types only: marshal is the fastest way back to Python
objects, and what jieba itself caches its dictionary with). Where:
$ZHMINE_CACHE_DIR, else the user's cache directory (platformdirs), `zhmine/` in it.

A cache file is named for its key (the extractor version, which hashes the extraction code and the
rules, and the versions of the libraries its value comes from), so an upgrade builds new files and
prunes the old. Safe without locks: a file is written whole to a temporary name and moved into place
(os.replace), so a reader sees an old file, a new one or none, never half of one; two processes
that build at once both succeed and one file is left. A file that does not check out (a checksum in
its header) is rebuilt; a directory that cannot be written leaves the value built in memory.
"""
from __future__ import annotations

import gc
import marshal
import os
import sys
import zlib
from collections import Counter
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")

_MAGIC = b"ZHMC1\n"
# name -> how many times this process built it (tests: a second process must not build)
BUILDS: Counter = Counter()


def cache_dir() -> Path:
    """$ZHMINE_CACHE_DIR, else the user's cache directory for zhmine."""
    env = os.environ.get("ZHMINE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("zhmine", appauthor=False))


def version_key(*libraries: str) -> str:
    """The extractor version, Python's and the named libraries' versions: what a cached value is
    built from."""
    from importlib.metadata import PackageNotFoundError, version

    from .records import EXTRACTOR_VERSION

    parts = [EXTRACTOR_VERSION, sys.version, f"marshal {marshal.version}"]
    for lib in libraries:
        try:
            parts.append(f"{lib} {version(lib)}")
        except PackageNotFoundError:
            parts.append(f"{lib} ?")
    return "\n".join(parts)


def path_for(name: str, key: str) -> Path:
    import hashlib

    return cache_dir() / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.marshal"


def load(name: str, build: Callable[[], T], key: str) -> T:
    """The cached value of name under key, else build() (then stored for the next process)."""
    path = path_for(name, key)
    value = _read(path)
    if value is not None:
        return value[0]
    BUILDS[name] += 1
    value = build()
    _write(path, value)
    return value


def read(name: str, key: str):
    """The cached value of name under key, or None."""
    value = _read(path_for(name, key))
    return None if value is None else value[0]


def write(name: str, key: str, value) -> None:
    """Store value as name under key (for a value built bit by bit: see compiled.py)."""
    BUILDS[name] += 1
    _write(path_for(name, key), value)


def _read(path: Path):
    """(value,) from a whole, intact file, else None (missing, truncated, corrupt, unreadable)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 4
    if len(data) < head or not data.startswith(_MAGIC) or \
            zlib.crc32(memoryview(data)[head:]) != int.from_bytes(data[len(_MAGIC):head], "little"):
        return None
    # millions of new objects and no reference cycle: the cyclic collector would walk the growing
    # heap again and again for nothing
    enabled = gc.isenabled()
    gc.disable()
    try:
        return (marshal.loads(memoryview(data)[head:]),)
    except (EOFError, ValueError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()


def _write(path: Path, value) -> None:
    """Store value at path atomically; any failure (a read-only directory, a full disk) is left
    silent: the value is in memory and the next process tries again."""
    import tempfile

    try:
        payload = marshal.dumps(value)
    except ValueError:  # not a value marshal writes: kept in memory only
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + zlib.crc32(payload).to_bytes(4, "little"))
            f.write(payload)
        os.replace(tmp, path)
        tmp = None
        _prune(path)
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


PRUNE_AFTER = 86400  # seconds


def _prune(path: Path) -> None:
    """Remove the files of the same name under other keys (an older version's) unless written in the
    last day: two installed versions in use at once each keep theirs."""
    import time

    stem = path.stem.rsplit("-", 1)[0]
    for other in path.parent.glob(f"{stem}-*.marshal"):
        if other != path and other.stem.rsplit("-", 1)[0] == stem:
            try:
                if time.time() - other.stat().st_mtime > PRUNE_AFTER:
                    other.unlink()
            except OSError:
                pass
