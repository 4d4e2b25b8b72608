"""Traditional -> simplified characters with OpenCC, keeping every offset: the stages match their
rules on a simplified copy of the text and report spans of the original, so a conversion that
changes the length is never used as it is."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The text in simplified characters, same length; the text itself where a phrase conversion
    changed the length."""
    out = converter().convert(text)
    return out if len(out) == len(text) else text


@lru_cache(maxsize=2)
def simplified_doc(text: str) -> str:
    """simplified() of a whole document text, converted once for figures and attribution (both
    match on it); the text itself when nothing changes, so that `is` tells a simplified document."""
    out = simplified(text)
    return text if out == text else out


@lru_cache(maxsize=2)  # places convert a document's text twice (candidates, then names)
def simplified_chars(text: str) -> str | None:
    """The text in simplified characters with the same length, or None when nothing changes. Where a
    phrase conversion changes the length, each character is converted alone (places need every
    character converted; simplified() would give up on the whole text)."""
    cc = converter()
    conv = cc.convert(text)
    if conv == text:
        return None
    if len(conv) != len(text):
        conv = "".join(c if len(d := cc.convert(c)) != 1 else d for c in text)
    return conv
