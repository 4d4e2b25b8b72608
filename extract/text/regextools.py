"""Regular-expression helpers shared by the stages' rule compilers (a leaf)."""
from __future__ import annotations

import regex


def alt(words) -> str:
    """A regex alternation of literal words, longest first so 人次 wins over 人.

    Written as a trie (人(?:次)?): the engine reads each character once instead of trying every
    word in turn, which made the unit list and the exclusion words the slow part of their scans.
    The same strings match in the same order (of the words matching at a position, each is a prefix
    of the longer ones, and the trie tries the longer first)."""
    root: dict = {}
    for w in set(words):
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}  # a word ends here
    return _trie(root)


def _trie(node: dict) -> str:
    ends = "" in node
    alts = [regex.escape(c) + _trie(child) for c, child in sorted(node.items()) if c]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 and not ends else "(?:" + "|".join(alts) + ")"
    return body + "?" if ends else body
