"""Names from the file system, stored losslessly and shown safely (issue 16).

A POSIX file name is bytes: `b'b\\xffname.txt'` is a valid name that is not UTF-8, and Python hands it
over as a str with a lone surrogate ('b\\udcffname.txt') that SQLite refuses. path_text() turns any
path into UTF-8 text that path_bytes() turns back into the exact bytes: each byte that is not part of
valid UTF-8 becomes `\\xNN`, and a backslash that would read as such an escape becomes `\\x5c`. Every
UTF-8 name (the usual case, Windows paths included) is stored unchanged.

shown() is for the terminal: a name may hold a newline (and forge a line of output) or terminal escape
codes (and set the window title); shown() writes every such character as a visible escape.
"""
from __future__ import annotations

import os
import re
import unicodedata

_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")


def path_text(path) -> str:
    """Any path (str with surrogates, bytes, Path) -> UTF-8 text that path_bytes() reverses exactly."""
    raw = path if isinstance(path, bytes) else os.fsencode(os.fspath(path))
    text = raw.decode("utf-8", errors="surrogateescape")
    if "\\x" not in text and not _has_surrogates(text):
        return text  # the common case: stored as it is
    out = []
    for i, ch in enumerate(text):
        if 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that is not UTF-8
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ch == "\\" and _ESCAPE.match(text, i):
            out.append("\\x5c")
        else:
            out.append(ch)
    return "".join(out)


def path_bytes(text: str) -> bytes:
    """The exact bytes of a path stored by path_text()."""
    out, pos = [], 0
    for m in _ESCAPE.finditer(text):
        out.append(text[pos:m.start()].encode("utf-8"))
        out.append(bytes([int(m.group(1), 16)]))
        pos = m.end()
    out.append(text[pos:].encode("utf-8"))
    return b"".join(out)


def path_str(text: str) -> str:
    """A stored path back as the str Python's os functions take (surrogates for non-UTF-8 bytes)."""
    return os.fsdecode(path_bytes(text))


def _has_surrogates(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def shown(value) -> str:
    """Text safe to print on one terminal line: control characters (newline, ESC, BEL...), lone
    surrogates and other unprintable characters are written as escapes (\\n, \\x1b, \\udcff)."""
    text = path_text(value) if not isinstance(value, str) else value
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or unicodedata.category(ch) == "Zs":  # 　 (U+3000) is a space, not a code
            out.append(ch)
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif 0xDC80 <= ord(ch) <= 0xDCFF:
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")  # a non-UTF-8 byte, as path_text writes it
        else:
            out.append(ascii(ch)[1:-1])  # \x1b, \u200e ...
    return "".join(out)
