"""Places: recognize Chinese administrative areas and resolve each to its full /-path.

How (find_places):
0. Line wraps and spaces inside Chinese are squeezed out first (金\n龙街道, 厦 门); offsets map back.
1. An Aho-Corasick automaton (ahocorasick-rs) over the gazetteer's names finds candidates; text with
   traditional characters is matched a second time after OpenCC t2s (same offsets).
2. Overlaps: full names of counties and up, then of townships, then short names; longer, leftmost.
3. Each candidate is resolved to one region: a chain in the text (南平市建阳区水吉镇, 泉州市晋江永和镇),
   then regions named in full elsewhere in the article, then the document's region, then higher levels.
4. Each is accepted or dropped on general evidence: jieba word boundaries (担任城区 is not 任城区),
   brand/street words after it (兴业银行, 中山路), everyday words (合作, 平和) only in a chain or
   with the full name in the same article, a lone surname before it (记者李长乐), townships of another
   province without a chain.
5. Short township names (水吉) are looked for once their full name is found or right after their county.
6. Townships and villages the gazetteer lacks are found by suffix (镇/乡/街道, 村/社区): right after a
   place, or free-standing close after their county; repeats and short forms (科明) follow.
Rules are data in patterns/places.toml.

    names.py      the gazetteer's names in the text (steps 0-2), Place
    recognize.py  Recognizer: find_places (steps 3-4) and infer_region, the area a whole document
                  is about
    suffixes.py   short forms and the places the gazetteer lacks (steps 5-6)
    lexicon.py    jieba's word boundaries and tags, places.toml's word lists
    gazetteer.py  the administrative divisions, loaded once per process
    words.py      jieba's dictionary, tags and best route (shared with attribution)
    component.py  the spaCy component zh_places (make_places)

This package's own import is light: its names load their modules on first use, so that the store
can read gazetteer.table_rows() without loading spaCy or the recognizer.
"""
from __future__ import annotations

from importlib import import_module

# name -> the module it comes from
_EXPORTS = {
    "make_places": "component", "Places": "component",
    "find_places": "recognize", "infer_region": "recognize", "Recognizer": "recognize", "recognizer": "recognize",
    "Place": "names",
    "Gazetteer": "gazetteer", "Region": "gazetteer", "RANK": "gazetteer", "LEVELS": "gazetteer",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
