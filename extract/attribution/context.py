"""The document context of attribution, built once per article: its simplified text, sentences,
paragraphs, places, the parts under its headings with their regions, the article's region and year,
and the time expressions that fix years. Each figure then costs a bisect, not a walk over the article."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import regex
from spacy.tokens import Doc

from ..text.hanzi import simplified, simplified_doc
from ..text.spans import doc_text, span_extension
from . import times
from .clauses import FULL_STOP, SOURCE_LINE, blocks, inside, is_heading, sentences, subject_position
from .lexicon import CLAUSE_END, Lexicon, default_gazetteer, default_lexicon

_BOOK = regex.compile(r"《[^《》\n]{0,60}》")


@dataclass
class Place:
    start: int
    end: int
    path: str
    level: str | None
    name: str
    i: int = -1  # position in the article's list of places


class Places(list):
    """The article's places in text order, with their start offsets for bisecting."""

    def __init__(self, items):
        super().__init__(items)
        self.starts = [p.start for p in self]


def starts_of(places: list[Place]) -> list[int]:
    return places.starts if isinstance(places, Places) else [p.start for p in places]


@dataclass
class Context:
    text: str             # simplified article text
    doc_year: int | None
    article_region: str | None
    article_year: int | None
    paragraphs: list[tuple[int, int]]
    para_starts: list[int]
    places: list[Place]
    year_events: list[tuple[int, int, int | None, bool, str | None]]  # start, end, year, opens a clause, kind
    date_starts: list[int]  # starts of the date spans (with the period words, end cumulative stretches)
    in_force: list[tuple[int, object]]  # (position, year) changes of the year in force (times.in_force)
    sections: list[tuple[int, str | None]]  # (start, region) of each part under a heading
    place_starts: list[int]
    sentences: list[tuple[int, int]]
    # built once per article so that each figure costs a bisect, not a walk over the article
    sent_starts: list[int] = field(default_factory=list)
    section_starts: list[int] = field(default_factory=list)
    year_open: list[int] = field(default_factory=list)  # year_events index -> last governing one <= it
    year_stated: list[int] = field(default_factory=list)  # ... -> last year stated in passing <= it
    in_force_starts: list[int] = field(default_factory=list)
    region_events: list | None = None       # see region.all_region_events
    guarded: list[tuple[int, int]] = field(default_factory=list)  # 《…》 and “…” spans there
    region_event_starts: list[int] = field(default_factory=list)
    para_fold: tuple | None = None          # (p_start, sent_start, next event, state): see region_of
    sent_fold: tuple | None = None          # (p_start, sent_start, fig_start, next event, state)
    scope_fallback: dict = field(default_factory=dict)  # level char -> per place index answer
    cumulative_marks: list | None = None    # every cumulative mark of the text (see cumulative)
    cumulative_starts: list[int] = field(default_factory=list)
    article_region_source: str = "document"  # metadata when the user gave the document's region
    lx: Lexicon | None = None               # the component's rules
    gazetteer: object = None                # the component's gazetteer handle (None: none loaded)


def _places(doc: Doc, orig: str, lx: Lexicon) -> list[Place]:
    out = []
    for sp in doc.spans.get("places", []):
        start, end = sp.start_char, sp.end_char
        path = span_extension(doc, start, end, "path")
        if not path:
            continue
        out.append(Place(start, end, path, span_extension(doc, start, end, "level"), orig[start:end]))  # orig[...] is sp.text
    out.sort(key=lambda p: p.start)
    out = _without_bare_foreign(lx, out, doc._.default_region, orig)
    for i, p in enumerate(out):
        p.i = i
    return Places(out)


def _without_bare_foreign(lx: Lexicon, places: list[Place], own: str | None, text: str) -> list[Place]:
    """A county or township of another province named bare (see bare_foreign_levels) stands for the
    document's own area: a word there (盐湖化工), still one of a list it stands in (新海港、美兰机场)."""
    if not own:
        return places
    province = own.split("/", 1)[0]
    bares = [simplified(p.name) != p.path.rsplit("/", 1)[-1] for p in places]  # named short, not in full
    full = {p.path for p, bare in zip(places, bares) if not bare}
    ends, starts = {p.end for p in places}, {p.start for p in places}
    out = []
    for k, p in enumerate(places):
        bare = bares[k]
        word = False
        if bare and p.level in lx.bare_foreign_levels and p.path.split("/", 1)[0] != province:
            prev = places[k - 1] if k else None
            chained = prev is not None and prev.end == p.start and p.path.startswith(prev.path + "/")
            word = not chained and not any(p.path.startswith(a + "/") for a in full)
        elif bare:
            # 黄金、白银、精炼铜: a whole item of a list, next to an item that is no place
            word = text[p.start - 1:p.start] in lx.word_list_marks and text[p.end:p.end + 1] in lx.word_list_marks \
                and (p.start - 1 not in ends or p.end + 1 not in starts)
        if word:
            p = Place(p.start, p.end, own, _OWN_LEVELS[min(own.count("/"), 3)], p.name)
        out.append(p)
    return out


_OWN_LEVELS = ("province", "prefecture", "county", "township")


def chain(text: str, places: list[Place], p: Place) -> Place:
    """The deepest place of a chain written together (泉州市鲤城区金龙街道 -> 金龙街道)."""
    i = p.i if p.i >= 0 else places.index(p)
    while i + 1 < len(places):
        q = places[i + 1]
        if text[places[i].end:q.start].strip() or not q.path.startswith(places[i].path + "/"):
            break
        i += 1
    return places[i]


def in_chain_tail(text: str, places: list[Place], p: Place) -> bool:
    i = p.i if p.i >= 0 else places.index(p)
    return i > 0 and not text[places[i - 1].end:p.start].strip() and p.path.startswith(places[i - 1].path + "/")


def cap_level(place: Place, text: str, gz=None) -> str:
    """Villages and communities are not attribution targets: their township if named, else county.
    gz: the gazetteer handle (default: the process's)."""
    if place.level not in ("village",) and place.path.count("/") <= 3:
        return place.path
    parts = place.path.split("/")
    if gz is None:
        gz = default_gazetteer()
    # walk up to township/county; a township counts only when the text names it
    for depth in range(min(len(parts) - 1, 4), 0, -1):
        path = "/".join(parts[:depth])
        reg = gz.by_path(path) if gz else None
        level = reg.level if reg else ("township" if depth == 4 else "county" if depth == 3 else None)
        if level == "township":
            name = parts[depth - 1]
            short = reg.short_name if reg else None
            if name in text or (short and short in text):
                return path
            continue
        return path
    return place.path


def _heading_place(doc: Doc, text: str, places: list[Place], line: str | None) -> Place | None:
    if not line:
        return None
    at = text.find(simplified(line.strip()))
    if at < 0:
        return _line_place(line, doc._.default_region)
    for p in places:
        if at <= p.start < at + len(line.strip()):
            return p
    return None


def _line_place(line: str, default_region: str | None) -> Place | None:
    """The first place named in a title or source line kept outside the article's text."""
    try:
        from ..places import find_places

        found = find_places(line, default_region)
    except Exception:
        return None
    found = sorted(found, key=lambda p: p.start)
    if not found:
        return None
    p = found[0]
    # the deepest place of a chain written together
    for q in found[1:]:
        if q.path.startswith(p.path + "/") and not line[p.end:q.start].strip():
            p = q
    return Place(p.start, p.end, p.path, p.level, p.text)


def _article_region(lx: Lexicon, gz, doc: Doc, text: str, places: list[Place], sents) -> str | None:
    """Title, then source line, byline (a place inside the document's area, or any where the
    document's is unknown); else the document's area (places.infer_region: issuer, title, the places
    named); else the first sentences."""
    area = doc._.default_region
    for line in (doc._.title, doc._.source_line, doc._.byline):
        p = _heading_place(doc, text, places, line)
        if p and not _in_medium(lx, text, p):
            p = chain(text, places, p) if p in places else p
            if area is None or p.path == area or p.path.startswith(area + "/"):
                return cap_level(p, text, gz)
            break
    if area:
        return area
    sents = sents[:4]
    if sents:
        p = first_subject(lx, text, places, 0, sents[-1][1], subject_only=False)
        if p:
            return cap_level(p, text, gz)
    return doc._.default_region


def _in_medium(lx: Lexicon, text: str, p: Place) -> bool:
    """A place inside a medium's name (【香港商报网讯】, 南昌日报社): the publisher, not the area."""
    return bool(lx.medium.match(text, p.end))


def in_list(lx: Lexicon, text: str, p: Place, places: list[Place]) -> bool:
    """One of several places listed together (浦城县、顺昌县等): none of them is the subject."""
    after = text[p.end:p.end + 2].lstrip()
    before = text[max(0, p.start - 2):p.start].rstrip()
    i = p.i if p.i >= 0 else places.index(p)
    nxt = places[i + 1] if i + 1 < len(places) else None
    prev = places[i - 1] if i > 0 else None
    if after[:1] in lx.list_joiners and nxt and 0 < nxt.start - p.end <= 3:
        return True
    if before[-1:] in lx.list_before and prev and 0 < p.start - prev.end <= 3:
        return True
    # 巴彦淖尔农高区等一批平台: an example, not the subject
    rest = text[p.end:p.end + 12]
    cut = min([rest.find(c) for c in CLAUSE_END + "、" if c in rest] or [len(rest)])
    rest = rest[:cut]
    for w in lx.examples:
        if w in rest:
            return True
    return False


def _subject_place(lx: Lexicon, text: str, places: list[Place], start: int, end: int, subject_only: bool = False,
                   refine: bool = True) -> Place | None:
    """The first place between start and end that can be what a passage is about; a more specific
    place inside it named later in the same stretch refines it (广东老龄工作通讯 / 顺德区老年人协会…)."""
    books = [(m.start(), m.end()) for m in _BOOK.finditer(text, start, end)]
    found = None
    for p in places[bisect.bisect_left(starts_of(places), start):]:
        if p.start >= end:
            break
        if inside(books, p.start) or in_list(lx, text, p, places) or text[p.end:p.end + 1] in lx.adjective_after \
                or _in_medium(lx, text, p):
            continue
        if found is None:
            if subject_only and not subject_position(lx, text, p.start):
                continue
            found = chain(text, places, p)
            if not refine:
                return found
        elif p.path.startswith(found.path + "/"):
            found = chain(text, places, p)
    return found


def first_subject(lx: Lexicon, text: str, places: list[Place], start: int, end: int,
                  subject_only: bool = True) -> Place | None:
    """The place the opening sentences are about; None when they speak for a whole area first
    (全省…, 省红十字会…): then the part belongs to the article's area."""
    p = _subject_place(lx, text, places, start, end, subject_only=subject_only)
    limit = p.start if p else end
    for _ in scope_matches(lx, text, places, start, limit):
        return None
    return p


def scope_matches(lx: Lexicon, text: str, places: list[Place], start: int, end: int):
    """Scope words (全市, 我县, 省红十字会) between start and end that are not part of a place name;
    each with whether it is an organisation's (a weaker claim)."""
    starts = starts_of(places)
    for pat in (lx.scope, lx.org_scope):
        for m in pat.finditer(text, start, end):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k >= 0 and places[k].start <= m.start() < places[k].end:
                continue  # the 市 of 南平市红十字会
            yield m, pat is lx.org_scope


def _sections(lx: Lexicon, gz, text: str, paragraphs, places) -> list[tuple[int, str | None]]:
    """Parts of the article under a heading (`连城 小香菇拓宽“幸福路”`): each is about the place its
    heading names, else the place its first two sentences name, else the article's area (None).
    A closing source line (`（漳州市计生协）`) names the area of the part it closes."""
    out: list[list] = []  # [start, region, named by its heading]
    n = len(paragraphs)
    i = 0
    while i < n:
        s, e = paragraphs[i]
        block = text[s:e]
        if SOURCE_LINE.match(block):
            p = _subject_place(lx, text, places, s, e)
            if p and out and not out[-1][2]:
                out[-1][1] = cap_level(p, text, gz)
            out.append([e, None, False])
            i += 1
            continue
        if not is_heading(block) or lx.byline.search(block):
            i += 1
            continue
        # a run of heading lines (title, subtitle, byline) is one heading
        j, p = i, None
        while j < n:
            hs, he = paragraphs[j]
            line = text[hs:he]
            if not is_heading(line) or SOURCE_LINE.match(line):
                break
            if not lx.byline.search(line):
                q = _subject_place(lx, text, places, hs, he)
                if q and (p is None or q.path.startswith(p.path + "/")):
                    p = q
            j += 1
        named = p is not None
        if p is None and j < n:
            body = paragraphs[j][0]
            ends = [m.end() for m in FULL_STOP.finditer(text, body, min(len(text), body + 300))]
            stop = ends[1] if len(ends) > 1 else (ends[0] if ends else min(len(text), body + 120))
            p = first_subject(lx, text, places, body, stop)
        out.append([s, cap_level(p, text, gz) if p else None, named])
        i = max(j, i + 1)
    return [(start, region) for start, region, _ in out]


def para_index(ctx: Context, pos: int) -> int:
    return max(0, bisect.bisect_right(ctx.para_starts, pos) - 1)


def sentence_end(ctx: Context, pos: int) -> int:
    """End of the sentence holding pos, or of the text."""
    k = bisect.bisect_right(ctx.sent_starts, pos) - 1
    if k >= 0 and ctx.sentences[k][0] <= pos < ctx.sentences[k][1]:
        return ctx.sentences[k][1]
    # not found by bisecting (overlapping or unsorted bounds): the first sentence holding pos
    return next((e for s, e in ctx.sentences if s <= pos < e), len(ctx.text))


def build_context(doc: Doc, orig: str | None = None, lx: Lexicon | None = None, gazetteer=None) -> Context:
    """The context of doc's article (orig: its text, if already read); lx and gazetteer: the
    component's rules and gazetteer handle (default: the process's)."""
    lx = default_lexicon() if lx is None else lx
    gz = default_gazetteer() if gazetteer is None else gazetteer
    orig = doc_text(doc) if orig is None else orig
    text = simplified_doc(orig)
    sents = sentences(text)
    # the date spans' bounds read once (spaCy builds a new Span, bounds from its tokens, on each read)
    dates = [(sp.start_char, sp.end_char) for sp in doc.spans.get("dates", [])]
    doc_year = times.doc_year(doc, text, dates)
    places = _places(doc, orig, lx)
    if doc._.region_source == "metadata" and doc._.default_region:
        article_region, article_source = doc._.default_region, "metadata"
    else:
        article_region, article_source = _article_region(lx, gz, doc, text, places, sents), "document"
    article_year = times.article_year(doc, text)
    paragraphs = blocks(doc, text)
    found = times.time_events(lx, doc, text, dates)
    events = times.year_events(doc, found, doc_year, article_year)
    if article_year is None:
        article_year = times.lead_year(lx, text, paragraphs, events, bool(doc._.title))
        if article_year is not None:
            events = times.year_events(doc, found, doc_year, article_year)
    events, in_force = times.in_force(lx, doc, text, paragraphs, events, article_year, doc_year)
    sections = _sections(lx, gz, text, paragraphs, places)
    year_open, year_stated = times.year_open(text, events)
    return Context(text, doc_year, article_region, article_year, paragraphs, [s for s, _ in paragraphs],
                   places, events, sorted({s for s, _ in dates}), in_force, sections, starts_of(places), sents,
                   sent_starts=[s for s, _ in sents], section_starts=[start for start, _ in sections],
                   year_open=year_open, year_stated=year_stated, in_force_starts=[pos for pos, _ in in_force],
                   article_region_source=article_source, lx=lx, gazetteer=gz)
