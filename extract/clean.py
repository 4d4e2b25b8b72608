"""Stage 2, clean: repair what PDF extraction and hard-wrapped text do to Chinese, keeping a map
from every cleaned character back to its offset in the source text.

The map is what lets every figure report its exact original surface (line breaks and all) and page.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex


@dataclass
class CleanText:
    text: str
    offsets: list[int]  # offsets[i]: source offset of cleaned char i; one extra entry for the end

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Cleaned [start, end) -> source [start, end)."""
        if end <= start:
            s = self.offsets[start]
            return s, s
        return self.offsets[start], self.offsets[end - 1] + 1


class Editor:
    """Collect non-overlapping edits of the source, then apply them in one pass with an offset map."""

    def __init__(self, source: str):
        self.source = source
        self.edits: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, new))

    def apply(self) -> CleanText:
        out: list[str] = []
        offsets: list[int] = []
        pos = 0
        for start, end, new in sorted(self.edits):
            if start < pos:  # overlapping edit: the earlier one wins
                continue
            out.append(self.source[pos:start])
            offsets.extend(range(pos, start))
            out.append(new)
            # every new char maps into the replaced range (last char at its end)
            span = max(1, end - start)
            offsets.extend(start + min(span - 1, i * span // max(1, len(new))) for i in range(len(new)))
            pos = end
        out.append(self.source[pos:])
        offsets.extend(range(pos, len(self.source)))
        offsets.append(len(self.source))
        return CleanText("".join(out), offsets)


_CJK = r"\p{Han}"
# a single line break between two characters that belong together (not a blank line, not after
# sentence-final punctuation): joined
_BROKEN_LINE = regex.compile(rf"(?<=[{_CJK}\d.%（(“”、，,])[ \t]*\n[ \t]*(?=[{_CJK}\d.%）)”])")
# spaces inside Chinese text or between a number and its unit
_INNER_SPACE = regex.compile(rf"(?<=[{_CJK}\d])[ \t\u3000]+(?=[{_CJK}\d%])")
_FULLWIDTH = regex.compile(r"[０-９Ａ-Ｚａ-ｚ％．]")


def clean(text: str) -> CleanText:
    ed = Editor(text)
    for m in _BROKEN_LINE.finditer(text):
        ed.replace(m.start(), m.end(), "")
    for m in _INNER_SPACE.finditer(text):
        ed.replace(m.start(), m.end(), "")
    for m in _FULLWIDTH.finditer(text):
        ed.replace(m.start(), m.end(), chr(ord(m.group()) - 0xFEE0))
    return ed.apply()
