"""Compiled patterns kept on disk: building the pipeline compiles some 600 patterns of the rules
(0.3 CPU-s, a fifth of `zhmine extract`'s start-up on a small file), the same in every process.

    with compiled.from_disk():
        ...  # every re/regex pattern compiled here comes from zhmine's cache when it is there

Neither engine can save a compiled pattern (pickling one compiles it again), but both compile in two
steps: the pattern is parsed and turned into a program (a list of ints: the costly part, in Python),
then the C engine makes the pattern object from that program. Inside from_disk() the first step is
skipped for every pattern whose program the cache holds: re's `_sre.compile` and regex's
`_regex.compile` get the same arguments re.compile and regex.compile gave them when the program was
built, which makes the same pattern object. The cache is keyed by the versions of Python, its
pattern engine and regex, and each entry by its engine, pattern and flags; a pattern it lacks is
compiled the usual way and its program kept for the next process. Anything unusual (bytes, debug,
locale flags, named lists) is left to the engines.

These are internals of both engines (re._compiler, regex._main): a version of either that lacks
them, or a program the engine refuses, makes the pattern compile the usual way.
"""
from __future__ import annotations

import re
import sys
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_TABLE: dict | None = None   # (engine, pattern, flags) -> the engine's compile arguments
_USED: set = set()
_NEW: dict = {}
_depth = 0
MAX_ENTRIES = 5000


def _key() -> str:
    import _sre

    import regex

    return f"{sys.version}\n_sre {_sre.MAGIC} {_sre.CODESIZE}\nregex {regex.__version__} {regex.DEFAULT_VERSION}"


def _table() -> dict:
    global _TABLE
    if _TABLE is None:
        from . import cache

        _TABLE = cache.read("patterns", _key()) or {}
    return _TABLE


@contextmanager
def from_disk():
    """Patterns compiled in this block come from the cache where it has them; those it lacks are
    stored when the block ends (the outermost one)."""
    global _depth
    try:
        import regex._main as regex_main
        from re import _compiler, _parser  # noqa: F401 (the internals used below)
    except ImportError:
        yield
        return
    with _lock:
        _depth += 1
        if _depth == 1:
            _table()
            orig_re, orig_regex = re._compile, regex_main._compile
            re._compile = _re_hook(orig_re)
            regex_main._compile = _regex_hook(orig_regex, regex_main)
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                re._compile, regex_main._compile = orig_re, orig_regex
                _save()


def _save() -> None:
    if not _NEW:
        return
    from . import cache

    table = dict(_TABLE or {})
    table.update(_NEW)
    if len(table) > MAX_ENTRIES:  # patterns of older rules: keep this process's
        table = {k: v for k, v in table.items() if k in _USED or k in _NEW}
    cache.write("patterns", _key(), table)
    _TABLE.update(_NEW)
    _NEW.clear()


# ------------------------------------------------------------------ the standard re module
_RE_SKIP = re.DEBUG | getattr(re, "TEMPLATE", 0)  # (re.TEMPLATE is gone from Python 3.13)


def _re_hook(orig):
    import _sre

    def compile_(pattern, flags):
        f = flags.value if isinstance(flags, re.RegexFlag) else flags
        if type(pattern) is not str or not isinstance(f, int) or f & _RE_SKIP:
            return orig(pattern, flags)
        key = ("re", pattern, f)
        args = _TABLE.get(key)
        if args is not None:
            try:
                p = _sre.compile(pattern, *args)
            except Exception:  # a program this engine does not take: compile it anew
                pass
            else:
                _USED.add(key)
                return p
        p = orig(pattern, flags)
        if key not in _NEW:
            args = _re_args(pattern, f)
            if args is not None and _sre.compile(pattern, *args) == p:  # (== compares the programs)
                _NEW[key] = args
                _USED.add(key)
        return p

    return compile_


def _re_args(pattern: str, flags: int):
    """What re._compiler.compile hands _sre.compile after the pattern itself."""
    from re import _compiler, _parser

    try:
        p = _parser.parse(pattern, flags)
        code = _compiler._code(p, flags)
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        # (the program's opcodes are int subclasses: _plain makes them ints, as _sre.compile reads them)
        return _plain((flags | p.state.flags, code, p.state.groups - 1, groupindex, tuple(indexgroup)))
    except Exception:
        return None


# ------------------------------------------------------------------ regex
def _regex_hook(orig, regex_main):
    import regex

    engine = regex_main._regex
    skip = regex.DEBUG | regex.LOCALE

    def compile_(pattern, flags, ignore_unused, kwargs, cache_it):
        if type(pattern) is not str or kwargs or not isinstance(flags, int) or flags & skip:
            return orig(pattern, flags, ignore_unused, kwargs, cache_it)
        key = ("regex", pattern, int(flags))
        args = _TABLE.get(key)
        if args is not None:
            try:
                p = engine.compile(pattern, *args)
            except Exception:
                pass
            else:
                _USED.add(key)
                return p
        # compile the usual way, keeping what it hands the engine (this thread's call for this
        # pattern only: another thread may compile at the same time)
        seen = []
        me = threading.get_ident()

        class Recorder:
            def __getattr__(self, name):
                return getattr(engine, name)

            @staticmethod
            def compile(*args):
                if threading.get_ident() == me and args and args[0] is pattern:
                    seen.append(args[1:])
                return engine.compile(*args)

        regex_main._regex = Recorder()
        try:
            p = orig(pattern, flags, ignore_unused, kwargs, cache_it)
        finally:
            regex_main._regex = engine
        if len(seen) == 1 and not seen[0][0] & regex.LOCALE and key not in _NEW:
            args = _plain(seen[0])
            if args is not None:
                _NEW[key] = args
                _USED.add(key)
        return p

    return compile_


def _plain(value):
    """value with its int subclasses (regex's flags) as plain ints, or None where something is not
    a type marshal writes."""
    import marshal

    def plain(v):
        if isinstance(v, bool) or v is None or type(v) in (str, bytes, float, int):
            return v
        if isinstance(v, int):
            return int(v)
        if isinstance(v, (list, tuple)):
            return type(v)(plain(x) for x in v)
        if isinstance(v, dict):
            return {plain(k): plain(x) for k, x in v.items()}
        if isinstance(v, frozenset):
            return frozenset(plain(x) for x in v)
        raise ValueError(type(v))

    try:
        out = plain(value)
        marshal.dumps(out)
    except ValueError:
        return None
    return out
