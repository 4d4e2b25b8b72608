"""Regular-expression helpers shared by the stages' rule compilers (a leaf).

    alt(words)           a trie alternation of literal words, longest first
    Alternation(bs)      finditer of an alternation that tries it only where a branch can start
    standard(pattern)    a regex-module pattern compiled by the standard re module, where that is sure
    first_chars(pattern) a class of the characters a match can start with
    bmp_chars(name)      the BMP characters the regex module's \\d or \\s matches
"""
from __future__ import annotations

import re
try:  # a private module, only to read which characters a pattern can start with (first_chars)
    import re._parser as sre_parse
except ImportError:  # a Python without it: Alternation falls back to a plain search
    sre_parse = None
import string
import warnings
from functools import lru_cache

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


_POSIX_OR_PROPERTY = re.compile(r"\[:\^?\w+:\]|\\[pPN]")


@lru_cache(maxsize=None)
def bmp_chars(name: str) -> str:
    """The characters of the BMP that the regex module's \\d or \\s matches (its \\s has none above
    the BMP: Unicode's white space is all in it)."""
    bmp = "".join(map(chr, (*range(0xD800), *range(0xE000, 0x10000))))
    return "".join(regex.findall(name, bmp))


def _category(name: str) -> str:
    """The characters the regex module's \\d or \\s matches, for a standard-re class: those of the BMP
    one by one (a class of single characters is one table lookup, faster to scan than a category
    test), and all above the BMP (regex's \\d knows digits newer than the standard module's tables,
    all up there)."""
    return re.escape(bmp_chars(name)) + "\U00010000-\U0010ffff"


@lru_cache(maxsize=None)
def _ranges(chars: str) -> str:
    """chars as the items of a standard-re class, runs of consecutive characters as ranges (Unicode's
    digits come in runs of ten: a shorter class to parse, a cost paid before the workers fork)."""
    out, codes, i = [], sorted(map(ord, chars)), 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        a, b = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        out.append(a if i == j else a + b if j == i + 1 else f"{a}-{b}")
        i = j + 1
    return "".join(out)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def standard(pattern: str) -> re.Pattern | None:
    """pattern compiled by the standard re module to match as the regex module does on text with no
    character above the BMP, or None where that is not sure. For the few constructs the exclusions
    use: literals, classes, groups, lookarounds, quantifiers, \\d and \\s (whose character sets the two
    modules draw from different Unicode tables: they are listed as regex's). Any other escaped letter
    or digit (\\w, \\b, \\p, a backreference) and any warning or error of the standard parser: None.
    (The standard engine matches these simple patterns faster.)"""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1:i + 2]
            if nxt in ("d", "s"):
                chars = _ranges(bmp_chars("\\" + nxt))
                out.append(chars if in_class else f"[{chars}]")
            elif not nxt or (nxt.isascii() and nxt.isalnum()):
                return None
            else:
                out.append(c + nxt)  # an escaped sign or character
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            j = i + 1 + (pattern[i + 1:i + 2] == "^")
            if pattern[j:j + 1] == "]":  # a ] right after [ or [^ is a literal
                j += 1
            out.append(pattern[i:j])
            i = j
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # FutureWarning: a set the regex module may read otherwise
            return re.compile("".join(out))
    except (re.error, Warning, OverflowError, RecursionError):
        return None


def first_chars(pattern: str) -> str | None:
    """A standard-re character class holding every character a match of pattern can start with, or
    None where that is not worked out. Read from the standard parser's tree: lookarounds are skipped
    (which only makes the class larger), an optional item adds what may follow it."""
    if sre_parse is None or _POSIX_OR_PROPERTY.search(pattern.replace("\\\\", "")):
        return None  # [[:digit:]], \\p{Han}: the standard parser reads them otherwise or not at all
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return None
    if tree.state.flags & re.IGNORECASE:
        return None
    chars, nullable = _firsts(list(tree))
    return None if chars is None or nullable else "[" + "".join(chars) + "]"


def _firsts(items: list) -> tuple[list[str] | None, bool]:
    """(the class items a match of the parsed sequence can start with, or None for any character;
    whether it can match empty)."""
    C = sre_parse  # (the opcodes are in the parser's namespace)
    out: list[str] = []
    for op, av in items:
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # zero width
        if op is C.LITERAL:
            return out + [re.escape(chr(av))], False
        if op is C.IN:
            for o, a in av:
                if o is C.LITERAL:
                    out.append(re.escape(chr(a)))
                elif o is C.RANGE:
                    out.append(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
                elif o is C.CATEGORY and a is C.CATEGORY_DIGIT:
                    out.append(_category(r"\d"))
                elif o is C.CATEGORY and a is C.CATEGORY_SPACE:
                    out.append(_category(r"\s"))
                else:
                    return None, False  # a negated set, \\w ...
            return out, False
        if op is C.SUBPATTERN and not av[1] & re.IGNORECASE:
            first, nullable = _firsts(list(av[3]))
        elif op is C.BRANCH:
            first, nullable = [], False
            for branch in av[1]:
                f, n = _firsts(list(branch))
                if f is None:
                    return None, False
                first += f
                nullable = nullable or n
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            first, nullable = _firsts(list(av[2]))
            nullable = nullable or av[0] == 0
        else:
            return None, False  # any character, a backreference ...
        if first is None:
            return None, False
        out += first
        if not nullable:
            return out, False
    return out, True


class Alternation:
    """finditer of an alternation of patterns (figures' exclusions: words and patterns) that tries it
    only where one of its branches can start, and there only the branches that can start with that
    character, in their order: the same matches (leftmost, the first branch that matches, each search
    after the last match). The regex engine tries every branch at every character, and lookbehind-led
    branches (每10万人, 前10位) cannot skip ahead at all."""

    def __init__(self, branches: list[str]):
        self.branches = branches
        self.pattern = regex.compile("|".join(branches))
        firsts = [first_chars(b) for b in branches]
        # (a backreference by number would count the groups of the branches left out)
        if None in firsts or regex.search(r"\\[1-9]|\(\?P=", "".join(branches)):  # plain search
            self.starts = None
            return
        self.firsts = [re.compile(f) for f in firsts]
        self.starts = re.compile("[" + "".join(f[1:-1] for f in firsts) + "]")
        # a first character -> its branches, compiled by the standard re module where standard() can
        self.by_char: dict[str, re.Pattern | regex.Pattern] = {}
        self.by_branches: dict[tuple, re.Pattern | regex.Pattern] = {}
        # compiled now (in the warm-up, before workers fork), not on a document's time: the branches of
        # the characters the patterns name and of ASCII (any other character is looked up when met)
        for c in sorted(set("".join(branches) + string.printable)):
            if self.starts.match(c):
                self._branches_for(c)

    def _branches_for(self, c: str) -> re.Pattern | regex.Pattern:
        which = tuple(i for i, f in enumerate(self.firsts) if f.match(c))
        if which not in self.by_branches:
            source = "|".join(self.branches[i] for i in which)
            self.by_branches[which] = standard(source) or regex.compile(source)
        self.by_char[c] = self.by_branches[which]  # (finditer meets no character above the BMP)
        return self.by_branches[which]

    def finditer(self, text: str):
        # standard()'s patterns hold for the BMP only; a text with a character above it (rare: an
        # emoji, a rare Han character) takes the plain search
        if self.starts is None or _ASTRAL.search(text):
            yield from self.pattern.finditer(text)
            return
        pos = 0
        by_char = self.by_char
        for c in self.starts.finditer(text):
            if c.start() < pos:
                continue  # inside the last match
            first = c.group()
            m = (by_char.get(first) or self._branches_for(first)).match(text, c.start())
            if m is not None:
                yield m
                pos = m.end()
